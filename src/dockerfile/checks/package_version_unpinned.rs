//! PC3006 package-version-unpinned: every package word of an install command, per manager.

use super::package_managers::{classify, Manager, PackageCommand};
use super::Context;
use crate::dockerfile::shell::Word;
use crate::dockerfile::Span;
use crate::rules::PACKAGE_VERSION_UNPINNED;

/// How a manager writes a pinned package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Apt,
    Apk,
    Pip,
    Npm,
    Gem,
    /// `yum`/`dnf`/`microdnf install name-version`.
    Rpm,
    /// `yum`/`dnf module install name:stream`.
    RpmModule,
    Zypper,
    Go,
}

/// The words an install command names as packages, how they are pinned, and the upstream id.
struct Install<'a> {
    syntax: Syntax,
    words: Vec<&'a Word>,
    alias: &'static str,
}

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String, &'static str)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(install) = classify(command).as_ref().and_then(install_of) else {
                continue;
            };
            for word in install.words {
                let text = word.text.as_str();
                // Known ARG/ENV values arrive expanded; what still holds `$`, `$(…)` or
                // backquotes is not known while linting.
                if text.contains('$') || text.contains('`') {
                    continue;
                }
                // A package that came from a variable (`$PKGS`) names it in the message.
                let written = script
                    .text(ctx.file)
                    .and_then(|t| t.get(word.range.clone()))
                    .filter(|w| *w != text && w.contains('$'));
                if let Some(message) = unpinned(install.syntax, text, written) {
                    reports.push((script.span(word.range.clone()), message, install.alias));
                }
            }
        }
    }
    for (span, message, alias) in reports {
        ctx.report(&PACKAGE_VERSION_UNPINNED, message, span).aliases = vec![alias];
    }
}

/// The package words of an install command, or `None` for any other command (and for
/// installs whose versions come from elsewhere: requirement files, lock files).
fn install_of<'a>(p: &PackageCommand<'a>) -> Option<Install<'a>> {
    let sub = p.sub()?;
    let operands = p.operands();
    let (syntax, words, alias) = match (p.manager, sub) {
        (Manager::Apt, "install") => (Syntax::Apt, operands, "DL3008"),
        (Manager::Apk, "add") => (Syntax::Apk, operands, "DL3018"),
        (Manager::Pip | Manager::Pipx, "install") => {
            let from_files = ["-r", "--requirement", "-c", "--constraint"];
            if p.option_value(&from_files).is_some() || operands.iter().any(|w| w.text == ".") {
                return None;
            }
            (Syntax::Pip, operands, "DL3013")
        }
        (Manager::Npm, "install" | "i" | "add" | "in") => (Syntax::Npm, operands, "DL3016"),
        (Manager::Gem, "install" | "i") => {
            if p.flag(Some('v'), Some("version")).is_some() {
                return None;
            }
            (Syntax::Gem, operands, "DL3028")
        }
        (Manager::Yum | Manager::Dnf | Manager::Microdnf, "install" | "module") => {
            let alias = if p.manager == Manager::Yum {
                "DL3033"
            } else {
                "DL3041"
            };
            if sub == "install" {
                (Syntax::Rpm, operands, alias)
            } else if operands.first().is_some_and(|w| w.text == "install") {
                (Syntax::RpmModule, operands[1..].to_vec(), alias)
            } else {
                return None;
            }
        }
        (Manager::Zypper, "install" | "in") => {
            // Patterns, patches and products have no versions to pin.
            if p.option_value(&["-t", "--type"])
                .is_some_and(|t| t != "package")
            {
                return None;
            }
            (Syntax::Zypper, operands, "DL3037")
        }
        (Manager::Go, "install" | "get") => (Syntax::Go, operands, "DL3062"),
        // `go run pkg@v1 args…`: only the first operand is a package.
        (Manager::Go, "run") => (Syntax::Go, operands.into_iter().take(1).collect(), "DL3062"),
        _ => return None,
    };
    Some(Install {
        syntax,
        words,
        alias,
    })
}

/// The message for `package` if it needs a version it lacks; `from` is the variable word it
/// came from.
fn unpinned(syntax: Syntax, package: &str, from: Option<&str>) -> Option<String> {
    let (suggestion, floating) = match syntax {
        Syntax::Apt => {
            if package.contains(['=', '/', '*', '?'])
                || package.ends_with(".deb")
                || package.ends_with('-')
                || package.ends_with('+')
            {
                return None;
            }
            (format!("{package}=<version>"), false)
        }
        Syntax::Apk => {
            // `so:libssl.so.3`, `cmd:bash`: provided names, not packages.
            if package.contains(['=', '<', '>', '~', '/', ':']) || package.ends_with(".apk") {
                return None;
            }
            (format!("{package}=<version>"), false)
        }
        Syntax::Pip => (pip_suggestion(package)?, false),
        Syntax::Npm => npm_suggestion(package)?,
        Syntax::Gem => {
            if package.contains([':', '/']) || package.ends_with(".gem") {
                return None;
            }
            (format!("{package}:<version>"), false)
        }
        Syntax::Rpm => {
            let local = package.contains('/') || package.ends_with(".rpm");
            let group = package.starts_with('@');
            // `dnf-command(config-manager)`: a capability, not a package.
            let constrained = package.contains(['=', '<', '>', '*', '?', '(']);
            // `name-version[-release]`: the last dash-separated part starts with a digit
            // (`httpd-2.4.57`, `openssl-1:3.0.7-27.el9`), unlike `python3-devel`.
            let versioned = package
                .rsplit_once('-')
                .is_some_and(|(_, v)| v.starts_with(|c: char| c.is_ascii_digit()));
            if local || group || constrained || versioned {
                return None;
            }
            (format!("{package}-<version>"), false)
        }
        Syntax::RpmModule => {
            if package.contains(':') {
                return None;
            }
            let (name, profile) = match package.split_once('/') {
                Some((name, profile)) => (name, format!("/{profile}")),
                None => (package, String::new()),
            };
            (format!("{name}:<stream>{profile}"), false)
        }
        Syntax::Zypper => {
            if package.contains(['=', '<', '>', '/', '('])
                || package.ends_with(".rpm")
                || package.starts_with(['!', '~'])
            {
                return None;
            }
            (format!("{package}=<version>"), false)
        }
        Syntax::Go => go_suggestion(package)?,
    };
    let what = match from {
        Some(word) => format!("`{package}` (from `{word}`)"),
        None => format!("`{package}`"),
    };
    Some(if floating {
        format!("{what} follows a moving target: pin a version, as in `{suggestion}`")
    } else {
        format!("{what} has no version: pin it, as in `{suggestion}`")
    })
}

/// VCS schemes pip installs from.
const PIP_VCS: &[&str] = &["git+", "git://", "hg+", "svn+", "svn://", "bzr+"];

fn pip_suggestion(package: &str) -> Option<String> {
    if PIP_VCS.iter().any(|s| package.starts_with(s)) {
        // `git+https://host/repo.git@v1.2#egg=x`: the ref follows the last path segment's `@`.
        let url = package.split('#').next().unwrap_or(package);
        let last = url.rsplit('/').next().unwrap_or(url);
        if last.contains('@') {
            return None;
        }
        return Some(format!("{url}@<tag or commit>"));
    }
    let local = package == "."
        || package.starts_with('.')
        || package.contains('/')
        || [".whl", ".tar.gz", ".tgz", ".zip"]
            .iter()
            .any(|s| package.ends_with(s));
    // `name[extra]==1`, `name>=1,<2`, `name @ url` (a direct reference).
    if local || package.contains(['=', '<', '>', '@']) {
        return None;
    }
    Some(format!("{package}==<version>"))
}

/// The suggestion, and whether the package names a moving tag (`@latest`).
fn npm_suggestion(package: &str) -> Option<(String, bool)> {
    let git = [
        "git://",
        "git+ssh://",
        "git+http://",
        "git+https://",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ];
    let is_git = git.iter().any(|p| package.starts_with(p));
    let local = ["/", "./", "../", "~/", "file:", "http://", "https://"]
        .iter()
        .any(|p| package.starts_with(p))
        || [".tar", ".tar.gz", ".tgz"]
            .iter()
            .any(|s| package.ends_with(s));
    if local && !is_git {
        return None;
    }
    // Git URLs and the `user/repo` GitHub shorthand are pinned by a `#ref`.
    if is_git || (package.contains('/') && !package.starts_with('@')) {
        return (!package.contains('#')).then(|| (format!("{package}#<tag or commit>"), false));
    }
    // `@scope/name@version`: the version follows the `@` after the scope.
    let (scope, rest) = match package.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, rest)) => (format!("@{scope}/"), rest),
            None => return None,
        },
        None => (String::new(), package),
    };
    let (name, version) = match rest.split_once('@') {
        Some((name, version)) => (name, Some(version)),
        None => (rest, None),
    };
    if version.is_some_and(|v| !matches!(v, "" | "latest" | "*" | "x" | "next")) {
        return None;
    }
    Some((format!("{scope}{name}@<version>"), version.is_some()))
}

/// The suggestion, and whether the package names a moving version (`@latest`).
fn go_suggestion(package: &str) -> Option<(String, bool)> {
    let (path, version) = match package.rsplit_once('@') {
        Some((path, version)) => (path, Some(version)),
        None => (package, None),
    };
    let local = path.starts_with(['.', '/', '~']) || path.ends_with(".go");
    // Remote module paths start with a host name; anything else is in the main module or the
    // standard library (`go install tool`, `std`, `cmd/...`).
    let remote = path
        .split('/')
        .next()
        .is_some_and(|host| host.contains('.'));
    if local || (!remote && version.is_none()) {
        return None;
    }
    let floating = [
        "", "latest", "upgrade", "patch", "none", "master", "main", "HEAD",
    ];
    if version.is_some_and(|v| !floating.contains(&v)) {
        return None;
    }
    Some((format!("{path}@<version>"), version.is_some()))
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::PACKAGE_VERSION_UNPINNED;

    fn run(script: &str) -> Vec<String> {
        flagged(
            &PACKAGE_VERSION_UNPINNED,
            &format!("FROM a:1\nRUN {script}\n"),
        )
    }

    /// Each case is flagged with exactly the alias of its manager.
    fn assert_alias(script: &str, alias: &str) {
        let found = findings(
            &PACKAGE_VERSION_UNPINNED,
            &format!("FROM a:1\nRUN {script}\n"),
        );
        assert!(!found.is_empty(), "{script}");
        for finding in &found {
            assert_eq!(finding.aliases, [alias], "{script}");
        }
    }

    fn assert_fine(scripts: &[&str]) {
        for script in scripts {
            assert!(run(script).is_empty(), "{script}: {:?}", run(script));
        }
    }

    #[test]
    fn apt_packages_need_a_version() {
        assert_eq!(
            run("apt-get update && apt-get install -y curl git=1:2.39.5-0+deb12u1"),
            ["curl"]
        );
        assert_alias("apt-get install -y curl", "DL3008");
        assert_fine(&[
            "apt-get install -y curl=7.88.1-10",
            "apt-get install -y -t bookworm-backports curl=8.1",
            "apt-get install -y --target-release=bookworm curl=8.1",
            "apt-get install -y ./local.deb /tmp/other.deb",
            "apt-get install -y curl/bookworm-backports",
            "apt-get -o Dpkg::Options::=--force-confold install -y curl=1",
            "apt-get update",
        ]);
    }

    #[test]
    fn apk_packages_need_a_version() {
        assert_eq!(
            run("apk add --no-cache --virtual .deps gcc musl-dev=1.2.4-r2"),
            ["gcc"]
        );
        assert_alias("apk add curl", "DL3018");
        assert_fine(&[
            "apk add --no-cache curl=8.5.0-r0 bash~5.2",
            "apk add -t .build-deps git=2.43.0-r0",
            "apk add --allow-untrusted /tmp/pkg.apk",
            "apk add so:libssl.so.3 cmd:bash",
        ]);
    }

    #[test]
    fn pip_packages_need_a_version() {
        assert_eq!(run("pip install requests flask==3.0.0"), ["requests"]);
        assert_eq!(run("pip3 install --upgrade pip"), ["pip"]);
        assert_eq!(
            run("python3 -m pip install --index-url https://x/simple six"),
            ["six"]
        );
        assert_eq!(
            run("pipx install --python \"$(which python)\" poetry"),
            ["poetry"]
        );
        assert_eq!(
            run("pip install git+https://example.com/org/repo.git#egg=repo"),
            ["git+https://example.com/org/repo.git#egg=repo"]
        );
        assert_alias("pip install requests", "DL3013");
        assert_alias("pipx install black", "DL3013");
        assert_fine(&[
            "pip install 'a==1' 'b>=2' 'c<=3' 'd>4' 'e<5' 'f!=6' 'g~=7' 'h===8'",
            "pip install -r requirements.txt",
            "pip install --requirement=requirements.txt",
            "pip install -c constraints.txt requests",
            "pip install .",
            "pip install -e ./src",
            "pip install ./dist/app-1.0-py3-none-any.whl app.tar.gz",
            "pip install https://example.com/pkg.zip",
            "pip install git+https://example.com/org/repo.git@v1.2#egg=repo",
            "pipx install --python \"$(which python)\" \"poetry==1.8.5\"",
            "pipenv install black",
            "python3 app.py install x",
        ]);
    }

    #[test]
    fn npm_packages_need_a_version() {
        assert_eq!(
            run("npm install -g express @angular/cli@17.1.0 @types/node"),
            ["express", "@types/node"]
        );
        assert_eq!(run("npm i lodash@latest"), ["lodash@latest"]);
        assert_alias("npm install express", "DL3016");
        assert_fine(&[
            "npm install",
            "npm ci",
            "npm install --production",
            "npm install express@4.18.2 @scope/pkg@1.0.0",
            "npm install git+https://example.com/org/repo.git#v1.0.0",
            "npm install org/repo#abc123",
            "npm install ./local-dir /abs/pkg.tgz https://x/pkg.tar.gz",
        ]);
        assert_eq!(
            run("npm install git+https://example.com/org/repo.git"),
            ["git+https://example.com/org/repo.git"]
        );
    }

    #[test]
    fn gem_packages_need_a_version() {
        assert_eq!(run("gem install rails bundler:2.5.6"), ["rails"]);
        assert_alias("gem install rails", "DL3028");
        assert_fine(&[
            "gem install bundler:2.5.6",
            "gem install bundler -v 2.5.6",
            "gem install bundler --version=2.5.6",
            "gem install ./local.gem",
            "gem install nokogiri:1.16.0 -- --use-system-libraries",
        ]);
    }

    #[test]
    fn rpm_packages_need_a_version() {
        assert_eq!(
            run("yum install -y httpd python3-devel tomcat-9.0.1"),
            ["httpd", "python3-devel"]
        );
        assert_eq!(run("dnf module install -y nodejs"), ["nodejs"]);
        assert_alias("yum install -y httpd", "DL3033");
        assert_alias("yum module install -y nodejs", "DL3033");
        assert_alias("dnf install -y httpd", "DL3041");
        assert_alias("microdnf install -y httpd", "DL3041");
        assert_fine(&[
            "yum install -y httpd-2.4.57 openssl-1:3.0.7-27.el9",
            "yum install -y /tmp/local.rpm https://x/y.rpm",
            "dnf install -y @development-tools 'dnf-command(config-manager)'",
            "dnf module install -y nodejs:18/common",
            "microdnf install -y tomcat-9.0.1",
            "dnf --setopt=install_weak_deps=False install -y tar-1.34",
            "notdnf install tomcat",
        ]);
    }

    #[test]
    fn zypper_packages_need_a_version() {
        assert_eq!(run("zypper install -y curl 'vim>=9'"), ["curl"]);
        assert_eq!(run("zypper -n in git"), ["git"]);
        assert_alias("zypper in -y curl", "DL3037");
        assert_fine(&[
            "zypper install -y curl=8.0.1 'git<3' ./x.rpm",
            "zypper in -y -t pattern devel_basis",
            "zypper in -y 'perl(JSON)'",
            "zypper refresh",
        ]);
    }

    #[test]
    fn go_packages_need_a_version() {
        assert_eq!(
            run("go install example.com/cmd/tool"),
            ["example.com/cmd/tool"]
        );
        assert_eq!(
            run("go install example.org/tools/gopls@latest"),
            ["example.org/tools/gopls@latest"]
        );
        assert_eq!(
            run("go get -u example.com/pkg@master"),
            ["example.com/pkg@master"]
        );
        assert_eq!(
            run("go run example.com/gen@latest -o out"),
            ["example.com/gen@latest"]
        );
        assert_alias("go install example.com/pkg", "DL3062");
        assert_fine(&[
            "go install example.org/tools/gopls@v0.15.0",
            "go get example.com/pkg@v1.2.3",
            "go run example.com/gen@v1.2.3 example.com/not-a-package",
            "go run -tags netgo example.com/gen@v1 --flag",
            "go install ./cmd/... /go/src/app .",
            "go run main.go",
            "go install tool",
            "go build example.com/pkg",
        ]);
    }

    #[test]
    fn variables_are_judged_by_their_value() {
        let source = "FROM a:1\nARG PKGS=\"curl git=2.39\"\nENV PIN=curl=7.88\n\
                      RUN apt-get install -y $PKGS $PIN $UNKNOWN \"${PKGS}\"\n";
        let found = findings(&PACKAGE_VERSION_UNPINNED, source);
        // `$PKGS` splits into `curl` and `git=2.39`; quoted, it is one (pinned-looking) word.
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("`curl` (from `$PKGS`)"));
        assert_eq!(flagged(&PACKAGE_VERSION_UNPINNED, source), ["$PKGS"]);
        assert!(flagged(
            &PACKAGE_VERSION_UNPINNED,
            "FROM a:1\nRUN pip install \"requests==${V}\" $(cat pkgs)\n"
        )
        .is_empty());
    }

    #[test]
    fn findings_point_at_the_package_word_everywhere() {
        assert_eq!(
            positions(
                &PACKAGE_VERSION_UNPINNED,
                "FROM a:1\nRUN apt-get update \\\n && apt-get install -y \\\n      curl=1 wget\n"
            ),
            [(4, 14)]
        );
        assert_eq!(
            positions(
                &PACKAGE_VERSION_UNPINNED,
                "FROM a:1\nRUN <<EOF\nset -e\napk add --no-cache \\\n  bash\nEOF\n"
            ),
            [(5, 3)]
        );
        assert_eq!(
            positions(
                &PACKAGE_VERSION_UNPINNED,
                "FROM a:1\nONBUILD RUN pip install six\n"
            ),
            [(2, 25)]
        );
        assert_eq!(
            positions(
                &PACKAGE_VERSION_UNPINNED,
                "FROM a:1\nRUN sh -c 'gem install rails'\n"
            ),
            [(2, 24)]
        );
        assert_eq!(
            flagged(
                &PACKAGE_VERSION_UNPINNED,
                "FROM a:1\nRUN [\"apk\", \"add\", \"curl\"]\n"
            ),
            ["\"curl\""]
        );
    }
}
