//! PC3020 download-unverified.

use super::command_options::{OptionSpec, Options};
use super::wget_progress_output::WGET;
use super::Context;
use crate::dockerfile::shell::{is_shell, Command, Word};
use crate::dockerfile::{Keyword, Span};
use crate::rules::DOWNLOAD_UNVERIFIED;

/// curl's options that take a value.
const CURL: OptionSpec = OptionSpec {
    short_values: "AbcCdDeEFHKmoPQrTtuUwxXyYz",
    long_values: &[
        "output",
        "output-dir",
        "user-agent",
        "cookie",
        "cookie-jar",
        "continue-at",
        "data",
        "data-raw",
        "data-binary",
        "data-urlencode",
        "dump-header",
        "referer",
        "cert",
        "cacert",
        "capath",
        "key",
        "form",
        "header",
        "config",
        "max-time",
        "connect-timeout",
        "retry",
        "retry-delay",
        "retry-max-time",
        "range",
        "upload-file",
        "user",
        "proxy",
        "request",
        "write-out",
        "url",
        "resolve",
        "limit-rate",
        "max-redirs",
        "proto",
        "proto-redir",
        "interface",
        "netrc-file",
        "oauth2-bearer",
        "unix-socket",
        "json",
    ],
};

const CHECKSUM_TOOLS: &[&str] = &[
    "sha1sum",
    "sha224sum",
    "sha256sum",
    "sha384sum",
    "sha512sum",
    "md5sum",
    "b2sum",
    "shasum",
    "sha3sum",
    "cksum",
    "rhash",
];
/// Programs that read a downloaded script from standard input (left to `pipe-to-shell`).
const INTERPRETERS: &[&str] = &["python", "python3", "perl", "ruby", "node", "php"];
/// Signature, checksum and key files: downloading them is part of verifying.
const VERIFICATION_SUFFIXES: &[&str] = &[
    ".asc",
    ".sig",
    ".sign",
    ".gpg",
    ".pgp",
    ".pub",
    ".key",
    ".pem",
    ".sha1",
    ".sha256",
    ".sha512",
    ".md5",
    ".sha256sum",
    ".sha512sum",
    ".sha256.txt",
    ".sha512.txt",
    ".intoto.jsonl",
];
const VERIFICATION_NAMES: &[&str] = &["sums", "checksums", "gpg", "key", "gpgkey", "pubkey"];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for run in ctx.runs().iter() {
        // Every command of the RUN in order, with its script.
        let all: Vec<(usize, &Command)> = run
            .iter()
            .enumerate()
            .flat_map(|(n, s)| s.commands.iter().map(move |c| (n, c)))
            .collect();
        for (at, (n, command)) in all.iter().enumerate() {
            let Some(url) = unverified_download(command, &all[at + 1..]) else {
                continue;
            };
            // `sh -c "$(curl …)"` is `pipe-to-shell`'s finding.
            let range = command.range();
            let run_by_shell = all[..at].iter().any(|(m, outer)| {
                m == n
                    && outer.program().is_some_and(is_shell)
                    && outer.words.iter().any(|w| {
                        (w.text.contains("$(") || w.text.contains('`'))
                            && w.range.start <= range.start
                            && range.end <= w.range.end
                    })
            });
            if run_by_shell {
                continue;
            }
            let verified = all[at + 1..].iter().any(|(_, c)| verifies(c));
            if !verified {
                reports.push((
                    run[*n].span(url.range.clone()),
                    format!(
                        "`{}` is downloaded and nothing in this RUN checks its checksum or signature: verify it, e.g. `echo \"<sha256>  <file>\" | sha256sum -c -`",
                        url.text
                    ),
                ));
            }
        }
    }
    for (_, instruction, _) in ctx.instructions() {
        if instruction.keyword != Keyword::Add || instruction.flag("checksum").is_some() {
            continue;
        }
        let sources = &instruction.args[..instruction.args.len().saturating_sub(1)];
        for source in sources {
            let lower = source.value.to_ascii_lowercase();
            let remote = lower.starts_with("http://") || lower.starts_with("https://");
            let git = lower.ends_with(".git") || lower.contains(".git#");
            if remote && !git {
                reports.push((
                    source.span,
                    format!(
                        "ADD fetches `{}` without `--checksum`: pin it with `ADD --checksum=sha256:<digest>`",
                        source.value
                    ),
                ));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&DOWNLOAD_UNVERIFIED, message, span);
    }
}

/// The URL a `curl`/`wget` command downloads, unless the download is something this rule leaves
/// alone. `after` are the commands that follow it in the RUN.
fn unverified_download<'c>(command: &'c Command, after: &[(usize, &Command)]) -> Option<&'c Word> {
    let program = command.program()?;
    let args = command.args();
    let (options, output) = match program {
        "curl" => {
            let options = Options::parse(args, &CURL);
            let probe = options.has(Some('I'), &["head"])
                || options.has(
                    Some('d'),
                    &["data", "data-raw", "data-binary", "data-urlencode", "json"],
                )
                || options.has(Some('F'), &["form"])
                || options.has(Some('T'), &["upload-file"])
                || options
                    .value(Some('X'), &["request"])
                    .is_some_and(|v| !v.text.eq_ignore_ascii_case("GET"));
            if probe {
                return None;
            }
            let output = options.value(Some('o'), &["output"]).map(|v| v.text);
            (options, output)
        }
        "wget" => {
            let options = Options::parse(args, &WGET);
            if options.has(None, &["spider"]) {
                return None;
            }
            let output = options
                .value(Some('O'), &["output-document"])
                .map(|v| v.text);
            (options, output)
        }
        _ => return None,
    };
    if output == Some("/dev/null") || output.is_some_and(is_verification_file) {
        return None;
    }
    let url = options
        .operands()
        .chain(options.value(None, &["url"]).map(|v| v.word))
        .find(|w| w.text.contains("://"))?;
    let lower = url.text.to_ascii_lowercase();
    let host = lower.split("://").nth(1).unwrap_or_default();
    if host.starts_with("localhost") || host.starts_with("127.0.0.1") {
        return None;
    }
    let path = lower.split(['?', '#']).next().unwrap_or_default();
    if is_verification_file(path) {
        return None;
    }
    if command.pipes_into_next && pipes_into_consumer(after) {
        return None;
    }
    Some(url)
}

/// The pipeline goes on into a shell or interpreter (`pipe-to-shell`'s case) or imports a key.
fn pipes_into_consumer(after: &[(usize, &Command)]) -> bool {
    for (_, next) in after.iter().take_while(|(_, c)| c.piped_from_previous) {
        let Some(program) = next.program() else {
            continue;
        };
        let key_import = matches!(program, "gpg" | "gpg2" | "apt-key")
            || (program == "rpm" && next.flag(None, Some("import")).is_some())
            || (program == "tee" && next.args().iter().any(|w| w.text.contains("keyring")));
        if is_shell(program)
            || INTERPRETERS.contains(&program)
            || program.starts_with("python3.")
            || key_import
        {
            return true;
        }
    }
    false
}

fn is_verification_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    VERIFICATION_SUFFIXES.iter().any(|s| name.ends_with(s))
        || VERIFICATION_NAMES.iter().any(|n| name.ends_with(n))
        || name.contains("sha256sums")
        || name.contains("sha512sums")
        || name.contains("shasums")
}

/// A command that checks a checksum or a signature.
fn verifies(command: &Command) -> bool {
    // `[ "$(sha256sum f | cut -d' ' -f1)" = "$SUM" ]`.
    let substituted = command.words.iter().any(|w| {
        (w.text.contains("$(") || w.text.contains('`'))
            && CHECKSUM_TOOLS.iter().any(|t| w.text.contains(t))
    });
    if substituted {
        return true;
    }
    let Some(program) = command.program() else {
        return false;
    };
    let args = command.args();
    let has_arg = |text: &str| args.iter().any(|w| w.text == text);
    match program {
        p if CHECKSUM_TOOLS.contains(&p) => {
            command.flag(Some('c'), Some("check")).is_some() || command.pipes_into_next
        }
        "gpg" | "gpg2" => {
            command.flag(None, Some("verify")).is_some()
                || command.flag(None, Some("verify-files")).is_some()
        }
        "gpgv" | "gpgv2" | "slsa-verifier" => true,
        "cosign" | "notation" => command
            .subcommand()
            .is_some_and(|w| w.text.starts_with("verify")),
        "minisign" | "signify" | "signify-openbsd" => command.flag(Some('V'), None).is_some(),
        "openssl" => has_arg("-verify") || has_arg("-signature"),
        "rpm" => command.flag(Some('K'), Some("checksig")).is_some(),
        "gh" => has_arg("attestation") && has_arg("verify"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::DOWNLOAD_UNVERIFIED;

    #[test]
    fn flags_downloads_without_a_later_check_at_the_url() {
        assert_eq!(
            flagged(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nRUN curl -fsSLo /tmp/t.tgz https://x/t.tgz && tar -xzf /tmp/t.tgz\n"
            ),
            ["https://x/t.tgz"]
        );
        assert_eq!(
            flagged(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nRUN wget -qO- \"https://x/t.tgz\" | tar -xz\n"
            ),
            ["\"https://x/t.tgz\""]
        );
        assert_eq!(
            positions(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nRUN set -e; \\\n    curl -fsSL --url https://x/a -o a\n"
            ),
            [(3, 22)]
        );
        assert_eq!(
            positions(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nRUN <<EOF\nset -e\nwget -q https://x/a\nEOF\n"
            ),
            [(4, 9)]
        );
        assert_eq!(
            positions(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nONBUILD RUN curl -O https://x/a\n"
            ),
            [(2, 21)]
        );
        // A check before the download does not count.
        assert_eq!(
            positions(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nRUN sha256sum -c s && curl -O https://x/a\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn flags_add_of_urls_without_checksum() {
        assert_eq!(
            flagged(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nADD https://x/a.tgz /opt/\nADD --checksum=sha256:abc https://x/b /b\n"
            ),
            ["https://x/a.tgz"]
        );
        assert_eq!(
            positions(
                &DOWNLOAD_UNVERIFIED,
                "FROM a:1\nONBUILD ADD http://x/a /a\n"
            ),
            [(2, 13)]
        );
    }

    #[test]
    fn verified_probing_and_key_downloads_are_fine() {
        for run in [
            "curl -fsSLo t.tgz https://x/t.tgz && echo \"$SUM  t.tgz\" | sha256sum -c - && tar -xzf t.tgz",
            "curl -fsSLO https://x/t.tgz && curl -fsSLO https://x/SHA256SUMS && sha256sum --check --ignore-missing SHA256SUMS",
            "wget -q https://x/t.tgz https://x/t.tgz.asc && gpg --batch --verify t.tgz.asc t.tgz",
            "curl -o t https://x/t && gpgv --keyring k t.sig t",
            "curl -o t https://x/t && cosign verify-blob --key k --signature s t",
            "curl -o t https://x/t && [ \"$(sha256sum t | cut -d' ' -f1)\" = \"$SUM\" ]",
            "curl -o t https://x/t && sha512sum t | grep -q \"$SUM\"",
            "curl -fsSL https://download.example.com/linux/gpg | gpg --dearmor -o /etc/apt/keyrings/x.gpg",
            "curl -fsSLo /etc/apt/keyrings/x.asc https://x/key",
            "curl -fsSL https://x/install.sh | sh",
            "sh -c \"$(curl -fsSL https://x/install.sh)\"",
            "curl -fsS -X POST -d @body https://x/api",
            "curl -I https://x/",
            "curl -o /dev/null https://x/",
            "curl -f http://localhost:8080/health",
            "wget --spider https://x/a",
            "echo https://x/a",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(positions(&DOWNLOAD_UNVERIFIED, &source).is_empty(), "{run}");
        }
        for source in [
            "FROM a:1\nADD --checksum=sha256:abc https://x/a /a\n",
            "FROM a:1\nADD https://github.com/x/y.git#v1 /src\n",
            "FROM a:1\nADD app.tar.gz /opt/\n",
            "FROM a:1\nONBUILD RUN curl -o t https://x/t && sha256sum -c s\n",
        ] {
            assert!(
                positions(&DOWNLOAD_UNVERIFIED, source).is_empty(),
                "{source}"
            );
        }
    }
}
