//! PC3003 verification-disabled: TLS or signature checks switched off.

use super::Context;
use crate::dockerfile::shell::{word_is_flag, Command, Word};
use crate::dockerfile::Span;
use crate::rules::TLS_VERIFICATION_DISABLED;

/// Environment variables that switch verification off, when their value does.
struct EnvSwitch {
    name: &'static str,
    disables: fn(&str) -> bool,
    alias: &'static str,
}

const ENV_SWITCHES: &[EnvSwitch] = &[
    EnvSwitch {
        name: "GIT_SSL_NO_VERIFY",
        disables: |v| !matches!(v, "" | "0" | "false"),
        alias: "CKV2_DOCKER_14",
    },
    EnvSwitch {
        name: "NODE_TLS_REJECT_UNAUTHORIZED",
        disables: |v| v == "0",
        alias: "CKV2_DOCKER_6",
    },
    EnvSwitch {
        name: "PYTHONHTTPSVERIFY",
        disables: |v| v == "0",
        alias: "CKV2_DOCKER_5",
    },
    EnvSwitch {
        name: "NPM_CONFIG_STRICT_SSL",
        disables: |v| matches!(v.to_ascii_lowercase().as_str(), "false" | "0"),
        alias: "CKV2_DOCKER_12",
    },
    EnvSwitch {
        name: "PIP_TRUSTED_HOST",
        disables: |v| !v.is_empty(),
        alias: "CKV2_DOCKER_16",
    },
];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String, &'static str)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            for (word, what, alias) in command_findings(command) {
                reports.push((script.span(word.range.clone()), what, alias));
            }
            // `VAR=x cmd`, `export VAR=x`, `env VAR=x cmd`.
            let exported = if command.program() == Some("export") {
                command.args()
            } else {
                &[]
            };
            let env_words = command
                .words
                .iter()
                .take(command.program_index().unwrap_or(0));
            for word in command.assignments.iter().chain(exported).chain(env_words) {
                if let Some((name, value)) = word.text.split_once('=') {
                    if let Some(switch) = env_switch(name, value) {
                        reports.push((
                            script.span(word.range.clone()),
                            format!("`{name}={value}` turns verification off"),
                            switch.alias,
                        ));
                    }
                }
            }
        }
    }
    for entry in ctx.assignments() {
        let Some(value) = entry.value.as_deref() else {
            continue;
        };
        let value = value.trim_matches(['"', '\'']);
        if let Some(switch) = env_switch(&entry.name, value) {
            reports.push((
                entry.name_span.cover(entry.value_span),
                format!(
                    "{} {}={value} turns verification off for every later step",
                    entry.keyword.as_str(),
                    entry.name
                ),
                switch.alias,
            ));
        }
    }
    for (span, message, alias) in reports {
        ctx.report(&TLS_VERIFICATION_DISABLED, message, span)
            .aliases = vec![alias];
    }
}

fn env_switch(name: &str, value: &str) -> Option<&'static EnvSwitch> {
    ENV_SWITCHES
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name) && (s.disables)(value))
}

/// Flags and settings of one command that turn verification off.
fn command_findings(command: &Command) -> Vec<(&Word, String, &'static str)> {
    let Some(program) = command.program() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut flag = |short: Option<char>, long: &str, alias: &'static str| {
        if let Some(word) = command.flag(short, Some(long)) {
            found.push((
                word,
                format!("`{program} {}` disables verification", word.text),
                alias,
            ));
        }
    };
    match program {
        "curl" => flag(Some('k'), "insecure", "CKV2_DOCKER_2"),
        "wget" => flag(None, "no-check-certificate", "CKV2_DOCKER_3"),
        "pip" | "pip3" | "python" | "python3" | "pipenv" | "uv" => {
            flag(None, "trusted-host", "CKV2_DOCKER_4")
        }
        "apk" => flag(None, "allow-untrusted", "CKV2_DOCKER_7"),
        "apt-get" | "apt" | "aptitude" => {
            flag(None, "allow-unauthenticated", "CKV2_DOCKER_8");
            flag(None, "allow-insecure-repositories", "CKV2_DOCKER_8");
            flag(None, "force-yes", "CKV2_DOCKER_11");
        }
        "yum" | "dnf" | "dnf5" | "tdnf" | "microdnf" | "yum-config-manager" => {
            flag(None, "nogpgcheck", "CKV2_DOCKER_9")
        }
        "rpm" => {
            for long in ["nosignature", "nodigest", "noverify", "nofiledigest"] {
                flag(None, long, "CKV2_DOCKER_10");
            }
        }
        _ => {}
    }
    let args = command.args();
    // Settings passed as values: `-o Acquire::https::Verify-Peer=false`, `--setopt=sslverify=0`,
    // `git -c http.sslVerify=false`, `npm config set strict-ssl false`.
    for (n, word) in args.iter().enumerate() {
        let text = word.text.to_ascii_lowercase();
        let next = args.get(n + 1).map(|w| w.text.to_ascii_lowercase());
        let setting = text
            .strip_prefix("--setopt=")
            .map(str::to_owned)
            .or_else(|| {
                (word_is_flag(&word.text, Some('o'), Some("option"))
                    || text == "-c"
                    || text == "--setopt")
                    .then(|| next.clone().unwrap_or_default())
            });
        if let Some(setting) = setting {
            let alias = match program {
                "git" => "CKV2_DOCKER_14",
                "yum" | "dnf" | "dnf5" | "tdnf" | "microdnf" | "yum-config-manager" => {
                    "CKV2_DOCKER_15"
                }
                _ => "CKV2_DOCKER_8",
            };
            if disables_by_setting(&setting) {
                found.push((word, format!("`{program}` is told `{setting}`"), alias));
            }
        }
        let false_value = next.as_deref().is_some_and(|v| matches!(v, "false" | "0"));
        if matches!(program, "npm" | "yarn" | "pnpm") && text == "strict-ssl" && false_value {
            found.push((
                word,
                format!("`{program} config set strict-ssl false` disables TLS verification"),
                "CKV2_DOCKER_13",
            ));
        }
        if program == "git" && text == "http.sslverify" && false_value {
            found.push((
                word,
                "`git config http.sslVerify false` disables TLS verification".to_owned(),
                "CKV2_DOCKER_14",
            ));
        }
    }
    if matches!(program, "npm" | "yarn" | "pnpm") {
        if let Some(word) = args.iter().find(|w| w.text == "--strict-ssl=false") {
            found.push((
                word,
                format!("`{program} --strict-ssl=false` disables TLS verification"),
                "CKV2_DOCKER_13",
            ));
        }
    }
    found
}

/// `key=value` settings that turn verification off.
fn disables_by_setting(setting: &str) -> bool {
    let Some((key, value)) = setting.split_once('=') else {
        return false;
    };
    let key = key.rsplit(['.', ':']).next().unwrap_or(key);
    let off = matches!(value, "false" | "0" | "no" | "off");
    let on = matches!(value, "true" | "1" | "yes" | "on");
    (matches!(
        key,
        "sslverify" | "verify-peer" | "verify-host" | "gpgcheck" | "repo_gpgcheck"
    ) && off)
        || (matches!(key, "allowunauthenticated" | "allowinsecurerepositories") && on)
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged};
    use crate::rules::TLS_VERIFICATION_DISABLED;

    fn aliases(source: &str) -> Vec<String> {
        findings(&TLS_VERIFICATION_DISABLED, source)
            .iter()
            .map(|f| f.aliases.join(","))
            .collect()
    }

    #[test]
    fn flags_each_tool_with_its_checkov_id() {
        let cases = [
            ("RUN curl -fsSLk https://x -o y", "CKV2_DOCKER_2"),
            ("RUN wget --no-check-certificate https://x", "CKV2_DOCKER_3"),
            (
                "RUN pip install --trusted-host pypi.example x",
                "CKV2_DOCKER_4",
            ),
            ("ENV PYTHONHTTPSVERIFY=0", "CKV2_DOCKER_5"),
            ("ENV NODE_TLS_REJECT_UNAUTHORIZED=0", "CKV2_DOCKER_6"),
            ("RUN apk add --allow-untrusted x.apk", "CKV2_DOCKER_7"),
            (
                "RUN apt-get install -y --allow-unauthenticated x",
                "CKV2_DOCKER_8",
            ),
            ("RUN dnf install -y --nogpgcheck x", "CKV2_DOCKER_9"),
            ("RUN rpm -i --nosignature x.rpm", "CKV2_DOCKER_10"),
            ("RUN apt-get install --force-yes x", "CKV2_DOCKER_11"),
            ("ARG NPM_CONFIG_STRICT_SSL=false", "CKV2_DOCKER_12"),
            ("RUN npm config set strict-ssl false", "CKV2_DOCKER_13"),
            ("ENV GIT_SSL_NO_VERIFY=true", "CKV2_DOCKER_14"),
            (
                "RUN yum-config-manager --save --setopt=*.sslverify=false",
                "CKV2_DOCKER_15",
            ),
            ("ENV PIP_TRUSTED_HOST=pypi.example", "CKV2_DOCKER_16"),
            (
                "RUN GIT_SSL_NO_VERIFY=1 git clone https://x",
                "CKV2_DOCKER_14",
            ),
            (
                "RUN git -c http.sslVerify=false clone https://x",
                "CKV2_DOCKER_14",
            ),
            (
                "RUN apt-get -o Acquire::https::Verify-Peer=false update",
                "CKV2_DOCKER_8",
            ),
            (
                "RUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && node x",
                "CKV2_DOCKER_6",
            ),
        ];
        for (line, alias) in cases {
            let source = format!("FROM a:1\n{line}\n");
            assert_eq!(aliases(&source), [alias], "{line}");
        }
    }

    #[test]
    fn points_at_the_offending_flag() {
        assert_eq!(
            flagged(
                &TLS_VERIFICATION_DISABLED,
                "FROM a:1\nRUN curl --insecure -o x https://y\n"
            ),
            ["--insecure"]
        );
    }

    #[test]
    fn verified_downloads_are_fine() {
        for line in [
            "RUN curl -fsSL https://x -o y",
            "RUN wget -q https://x",
            "RUN pip install --index-url https://pypi.example/simple x",
            "ENV NODE_TLS_REJECT_UNAUTHORIZED=1",
            "ENV GIT_SSL_NO_VERIFY=false",
            "RUN npm config set strict-ssl true",
            "RUN apt-get install -y x",
            "RUN echo --insecure",
            "RUN dnf --setopt=install_weak_deps=False install -y x",
        ] {
            let source = format!("FROM a:1\n{line}\n");
            assert!(aliases(&source).is_empty(), "{line}");
        }
    }
}
