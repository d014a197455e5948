//! PC8005 platform-hardcoded: BuildKit's FromPlatformFlagConstDisallowed and hadolint's DL3029.

use super::Context;
use crate::rules::PLATFORM_HARDCODED;

pub(crate) fn check(ctx: &mut Context) {
    let (file, build) = (ctx.file, ctx.build);
    for stage in &build.stages {
        let from = &file.instructions[stage.from];
        let Some(flag) = from.flag("platform") else {
            continue;
        };
        let value = flag.value.as_deref().unwrap_or_default().trim();
        if value.is_empty() || super::platform_redundant::is_target_platform(value) {
            continue;
        }
        let mut aliases = Vec::new();
        let constant = !value.contains('$');
        if constant {
            let intended = platform_parts(value).is_none_or(|(os, arch)| {
                let name = stage.name.as_deref().unwrap_or_default();
                name.contains(os.as_str()) || arch.is_some_and(|a| name.contains(a.as_str()))
            });
            if !intended {
                aliases.push("FromPlatformFlagConstDisallowed");
            }
        }
        if !value.contains("BUILDPLATFORM") && !value.contains("TARGETPLATFORM") {
            aliases.push("DL3029");
        }
        if aliases.is_empty() {
            continue;
        }
        let message = if constant {
            format!(
                "`--platform={value}` pins this stage to one platform whatever platform the image \
                 is built for: use `$BUILDPLATFORM` for build stages, or drop the flag"
            )
        } else {
            format!(
                "`--platform={value}` does not follow the build or target platform: use \
                 `$BUILDPLATFORM` for build stages, or drop the flag"
            )
        };
        ctx.report(&PLATFORM_HARDCODED, message, flag.span).aliases = aliases;
    }
}

/// The OS and architecture of a platform string (`linux/arm64/v8`, `windows/amd64`, `linux`,
/// `arm64`), normalised as containerd does; `None` when it is not a valid platform.
fn platform_parts(value: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<String> = value.split('/').map(str::to_ascii_lowercase).collect();
    let valid = |p: &String| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    };
    if parts.len() > 3 || !parts.iter().all(valid) {
        return None;
    }
    let os = normalize_os(&parts[0]);
    if parts.len() == 1 {
        if KNOWN_OS.contains(&os.as_str()) {
            return Some((os, None));
        }
        // A lone architecture runs on the builder's default OS.
        let arch = normalize_arch(&parts[0]);
        return KNOWN_ARCH
            .contains(&arch.as_str())
            .then(|| ("linux".to_owned(), Some(arch)));
    }
    Some((os, Some(normalize_arch(&parts[1]))))
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "illumos",
    "ios",
    "js",
    "linux",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
];

const KNOWN_ARCH: &[&str] = &[
    "386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64",
    "ppc64le", "riscv64", "s390x", "wasm",
];

fn normalize_os(os: &str) -> String {
    match os {
        "macos" => "darwin".to_owned(),
        other => other.to_owned(),
    }
}

fn normalize_arch(arch: &str) -> String {
    match arch {
        "i386" | "x86" => "386",
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" | "armel" => "arm",
        other => other,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::PLATFORM_HARDCODED as RULE;

    fn aliases(source: &str) -> Vec<Vec<&'static str>> {
        findings(&RULE, source)
            .iter()
            .map(|f| f.effective_aliases().to_vec())
            .collect()
    }

    #[test]
    fn a_constant_platform_is_both_checks() {
        let source = "FROM --platform=linux/amd64 debian:12\n";
        assert_eq!(positions(&RULE, source), [(1, 6)]);
        assert_eq!(flagged(&RULE, source), ["--platform=linux/amd64"]);
        assert_eq!(
            aliases(source),
            [vec!["FromPlatformFlagConstDisallowed", "DL3029"]]
        );
        assert_eq!(
            aliases("FROM --platform=linux/aarch64 debian:12 AS build\n").len(),
            1
        );
    }

    #[test]
    fn a_stage_named_after_the_platform_is_only_hadolints() {
        for source in [
            "FROM --platform=linux/amd64 debian:12 AS build-amd64\n",
            "FROM --platform=linux/x86_64 debian:12 AS build-amd64\n",
            "FROM --platform=windows/amd64 nanoserver AS windows-base\n",
        ] {
            assert_eq!(aliases(source), [vec!["DL3029"]], "{source}");
        }
    }

    #[test]
    fn a_variable_other_than_build_or_target_platform_is_only_hadolints() {
        let source = "ARG P=linux/amd64\nFROM --platform=$P debian:12\n";
        assert_eq!(aliases(source), [vec!["DL3029"]]);
        assert_eq!(
            aliases("FROM --platform=${TARGETOS}/${TARGETARCH} debian:12\n"),
            [vec!["DL3029"]]
        );
    }

    #[test]
    fn an_unparsable_constant_is_only_hadolints() {
        assert_eq!(
            aliases("FROM --platform=not/a/platform/at-all debian:12\n"),
            [vec!["DL3029"]]
        );
    }

    #[test]
    fn build_and_target_platform_and_no_flag_are_fine() {
        for source in [
            "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n",
            "FROM --platform=${BUILDPLATFORM} golang:1.22\n",
            "FROM --platform=$TARGETPLATFORM debian:12\n",
            "FROM debian:12\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }

    #[test]
    fn a_continued_from_points_at_the_flag_line() {
        let source = "FROM \\\n  --platform=linux/arm64 \\\n  debian:12\n";
        assert_eq!(positions(&RULE, source), [(2, 3)]);
    }
}
