//! What package-manager commands do, shared by the rules about indexes, caches, pinning and
//! prompts.
//!
//! [`classify`] recognises the manager (looking through `sudo`, `env` and `python -m pip`),
//! finds its subcommand while skipping the values of options that take one
//! (`apt-get -o Dpkg::Options::=--force-confold install`), and [`PackageCommand::operands`]
//! lists the words after the subcommand that are neither options nor option values: the
//! packages, files and URLs the command works on.

use crate::dockerfile::shell::{basename, word_is_flag, Command, Word};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Manager {
    Apt,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Pip,
    /// `pipx`: installs applications through pip, each in its own environment.
    Pipx,
    Yarn,
    Npm,
    Gem,
    Go,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Refreshes the package index only.
    UpdateIndex,
    /// Installs or upgrades packages.
    Install,
    /// Removes the manager's cache.
    Clean,
    Other,
}

/// A package-manager command: which manager, what it does, and the word that says so.
pub(crate) struct PackageCommand<'a> {
    pub manager: Manager,
    pub action: Action,
    pub command: &'a Command,
    /// The program word (`apt-get`), for positions.
    pub program: &'a Word,
    /// The words after the program (after `-m pip` for `python -m pip`).
    pub args: &'a [Word],
    /// Index in `args` of the subcommand (`install`), if there is one.
    subcommand: Option<usize>,
}

pub(crate) fn classify(command: &Command) -> Option<PackageCommand<'_>> {
    let index = command.program_index()?;
    let program = &command.words[index];
    let mut name = basename(&program.text);
    let mut args = &command.words[index + 1..];
    // `python -m pip install`, `python3 -m pip`.
    if name.starts_with("python") {
        if args.first().map(|w| w.text.as_str()) != Some("-m")
            || args.get(1).map(|w| w.text.as_str()) != Some("pip")
        {
            return None;
        }
        name = "pip";
        args = &args[2..];
    }
    let manager = match name {
        "apt-get" | "apt" | "aptitude" => Manager::Apt,
        "apk" => Manager::Apk,
        "yum" => Manager::Yum,
        "dnf" | "dnf5" | "tdnf" => Manager::Dnf,
        "microdnf" => Manager::Microdnf,
        "zypper" => Manager::Zypper,
        "pipx" => Manager::Pipx,
        _ if is_pip(name) => Manager::Pip,
        "yarn" => Manager::Yarn,
        "npm" => Manager::Npm,
        "gem" => Manager::Gem,
        "go" => Manager::Go,
        _ => return None,
    };
    let subcommand = first_operand(manager, args, 0);
    let sub = subcommand.map(|i| args[i].text.as_str());
    let action = match (manager, sub) {
        (Manager::Apt, Some("update")) => Action::UpdateIndex,
        (
            Manager::Apt,
            Some(
                "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep" | "reinstall",
            ),
        ) => Action::Install,
        (Manager::Apt, Some("clean" | "autoclean" | "distclean" | "dist-clean")) => Action::Clean,
        (Manager::Apk, Some("update")) => Action::UpdateIndex,
        (Manager::Apk, Some("add" | "upgrade")) => Action::Install,
        (Manager::Apk, Some("cache")) => Action::Clean,
        (Manager::Yum | Manager::Dnf | Manager::Microdnf, Some("makecache")) => Action::UpdateIndex,
        (
            Manager::Yum | Manager::Dnf | Manager::Microdnf,
            Some("install" | "groupinstall" | "localinstall" | "reinstall" | "upgrade" | "update"),
        ) => Action::Install,
        (Manager::Yum | Manager::Dnf | Manager::Microdnf, Some("clean")) => Action::Clean,
        (Manager::Zypper, Some("refresh" | "ref")) => Action::UpdateIndex,
        (
            Manager::Zypper,
            Some("install" | "in" | "update" | "up" | "dist-upgrade" | "dup" | "patch"),
        ) => Action::Install,
        (Manager::Zypper, Some("clean" | "cc")) => Action::Clean,
        (Manager::Pip | Manager::Pipx, Some("install")) => Action::Install,
        (Manager::Pip, Some("cache")) => Action::Clean,
        (Manager::Yarn, None | Some("install")) => Action::Install,
        (Manager::Npm, Some("install" | "i" | "add" | "ci")) => Action::Install,
        (Manager::Yarn | Manager::Npm, Some("cache")) if args.iter().any(|w| w.text == "clean") => {
            Action::Clean
        }
        (Manager::Gem, Some("install" | "i")) => Action::Install,
        (Manager::Go, Some("install" | "get")) => Action::Install,
        _ => Action::Other,
    };
    Some(PackageCommand {
        manager,
        action,
        command,
        program,
        args,
        subcommand,
    })
}

/// `pip`, `pip3`, `pip2`, `pip3.12`: not `pipx` or `pipenv`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

impl Manager {
    pub(crate) fn same_family(self, other: Manager) -> bool {
        let family = |m: Manager| match m {
            Manager::Dnf | Manager::Microdnf | Manager::Yum => Manager::Dnf,
            m => m,
        };
        family(self) == family(other)
    }

    /// Options of this manager that take the next word as their value (when not written
    /// `--name=value`).
    fn value_options(self) -> &'static [&'static str] {
        match self {
            Manager::Apt => &[
                "-o",
                "--option",
                "-c",
                "--config-file",
                "-t",
                "--target-release",
                "--default-release",
                "-a",
                "--host-architecture",
                "-P",
                "--build-profiles",
            ],
            Manager::Apk => &[
                "-t",
                "--virtual",
                "-X",
                "--repository",
                "--repositories-file",
                "-p",
                "--root",
                "--arch",
                "--cache-dir",
                "--keys-dir",
                "--cache-max-age",
                "--progress-fd",
            ],
            Manager::Yum | Manager::Dnf | Manager::Microdnf => &[
                "-c",
                "--config",
                "-d",
                "--debuglevel",
                "-e",
                "--errorlevel",
                "-x",
                "--exclude",
                "--excludepkgs",
                "--enablerepo",
                "--disablerepo",
                "--repo",
                "--repoid",
                "--setopt",
                "--installroot",
                "--releasever",
                "--forcearch",
                "--downloaddir",
                "--destdir",
                "-R",
                "--randomwait",
                "--color",
                "--rpmverbosity",
                "--enableplugin",
                "--disableplugin",
            ],
            Manager::Zypper => &[
                "-R",
                "--root",
                "-c",
                "--config",
                "-D",
                "--reposd-dir",
                "-C",
                "--cache-dir",
                "--raw-cache-dir",
                "--solv-cache-dir",
                "--pkg-cache-dir",
                "-r",
                "--repo",
                "--from",
                "-t",
                "--type",
                "--download",
            ],
            Manager::Pip | Manager::Pipx => &[
                "-r",
                "--requirement",
                "-c",
                "--constraint",
                "--abi",
                "-b",
                "--build",
                "-e",
                "--editable",
                "--extra-index-url",
                "-f",
                "--find-links",
                "-i",
                "--index-url",
                "--implementation",
                "--no-binary",
                "--only-binary",
                "--platform",
                "--prefix",
                "--progress-bar",
                "--proxy",
                "--python-version",
                "--root",
                "--src",
                "-t",
                "--target",
                "--trusted-host",
                "--upgrade-strategy",
                "--cert",
                "--client-cert",
                "--cache-dir",
                "--log",
                "--timeout",
                "--retries",
                "--exists-action",
                "--global-option",
                "-C",
                "--config-settings",
                "--report",
                "--keyring-provider",
                "--use-feature",
                "--use-deprecated",
                "--root-user-action",
                // pipx
                "--python",
                "--pip-args",
                "--suffix",
                "--spec",
            ],
            Manager::Npm => &[
                "--prefix",
                "-C",
                "--registry",
                "--cache",
                "--userconfig",
                "--globalconfig",
                "--loglevel",
                "-w",
                "--workspace",
                "--omit",
                "--include",
                "--tag",
                "--install-strategy",
                "--save-prefix",
                "--before",
                "--otp",
            ],
            Manager::Gem => &[
                "-i",
                "--install-dir",
                "-n",
                "--bindir",
                "-s",
                "--source",
                "--platform",
                "-P",
                "--trust-policy",
                "-g",
                "--file",
                "--build-root",
                "-v",
                "--version",
            ],
            Manager::Go => &[
                "-C",
                "-o",
                "-p",
                "-tags",
                "-ldflags",
                "-gcflags",
                "-asmflags",
                "-mod",
                "-modfile",
                "-overlay",
                "-pgo",
                "-pkgdir",
                "-toolexec",
                "-exec",
                "-buildmode",
                "-compiler",
                "-installsuffix",
                "-coverpkg",
                "-covermode",
                "-gccgoflags",
            ],
            Manager::Yarn => &[],
        }
    }

    /// Whether the option word `text` takes the next word as its value.
    fn takes_value(self, text: &str) -> bool {
        if text.contains('=') {
            return false;
        }
        // Go accepts `-flag` and `--flag` alike.
        let text = match self {
            Manager::Go => text
                .strip_prefix('-')
                .filter(|t| t.starts_with('-'))
                .unwrap_or(text),
            _ => text,
        };
        self.value_options().contains(&text)
    }
}

/// What a word of a package command is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Option,
    /// The value of the option before it (`-o x`).
    Value,
    Operand,
}

/// The words of `args[from..]` with their index and what each is: the one walk that skips the
/// values of options that take one. `--` counts as an option here.
fn parts(manager: Manager, args: &[Word], from: usize) -> impl Iterator<Item = (usize, Part)> + '_ {
    let mut value_next = false;
    args.iter().enumerate().skip(from).map(move |(i, word)| {
        let text = word.text.as_str();
        let part = if std::mem::take(&mut value_next) {
            Part::Value
        } else if text.starts_with('-') && text.len() > 1 {
            value_next = manager.takes_value(text);
            Part::Option
        } else {
            Part::Operand
        };
        (i, part)
    })
}

/// Index of the first word of `args[from..]` that is not an option or an option's value.
fn first_operand(manager: Manager, args: &[Word], from: usize) -> Option<usize> {
    parts(manager, args, from)
        .find(|(_, part)| *part == Part::Operand)
        .map(|(i, _)| i)
}

impl<'a> PackageCommand<'a> {
    /// The subcommand word (`install` in `apt-get -y install curl`).
    pub(crate) fn subcommand(&self) -> Option<&'a Word> {
        self.subcommand.map(|i| &self.args[i])
    }

    /// The subcommand as text.
    pub(crate) fn sub(&self) -> Option<&'a str> {
        self.subcommand().map(|w| w.text.as_str())
    }

    /// The words after the subcommand that are not options or option values: packages,
    /// files, URLs. After `--` every word counts (for `gem`, the words after `--` are build
    /// options and are left out).
    pub(crate) fn operands(&self) -> Vec<&'a Word> {
        let Some(start) = self.subcommand else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, part) in parts(self.manager, self.args, start + 1) {
            let word = &self.args[i];
            if part == Part::Option && word.text == "--" {
                if self.manager != Manager::Gem {
                    out.extend(&self.args[i + 1..]);
                }
                break;
            }
            if part == Part::Operand {
                out.push(word);
            }
        }
        out
    }

    /// The first argument that is the flag `short` or `long` (bundled short flags count).
    pub(crate) fn flag(&self, short: Option<char>, long: Option<&str>) -> Option<&'a Word> {
        self.option_words()
            .find(|w| word_is_flag(&w.text, short, long))
    }

    /// The value of the first option named by one of `names` (`-t x`, `--type=x`, `--type x`).
    pub(crate) fn option_value(&self, names: &[&str]) -> Option<&'a str> {
        self.option_values(names).into_iter().next()
    }

    /// The values of every option named by one of `names`: `-o x`, `-ox`, `--option=x`,
    /// `--option x`.
    pub(crate) fn option_values(&self, names: &[&str]) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut words = self.args.iter();
        while let Some(word) = words.next() {
            let text = word.text.as_str();
            if text == "--" {
                break;
            }
            if names.contains(&text) {
                out.extend(words.next().map(|w| w.text.as_str()));
            } else if let Some((_, value)) = text.split_once('=').filter(|(n, _)| names.contains(n))
            {
                out.push(value);
            } else if let Some(short) = names.iter().find(|n| {
                n.len() == 2 && !n.starts_with("--") && text.len() > 2 && text.starts_with(**n)
            }) {
                out.push(&text[short.len()..]);
            }
        }
        out
    }

    /// The words that are options (not option values, not operands), up to `--`.
    pub(crate) fn option_words(&self) -> impl Iterator<Item = &'a Word> {
        let args = self.args;
        parts(self.manager, args, 0)
            .map(move |(i, part)| (&args[i], part))
            .take_while(|(w, _)| w.text != "--")
            .filter(|(_, part)| *part == Part::Option)
            .map(|(w, _)| w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::shell::commands;

    fn action(script: &str) -> Option<(Manager, Action)> {
        let cmds = commands(script);
        classify(&cmds[0]).map(|p| (p.manager, p.action))
    }

    fn operands(script: &str) -> Vec<String> {
        let cmds = commands(script);
        classify(&cmds[0])
            .map(|p| p.operands().iter().map(|w| w.text.clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn classifies_common_commands() {
        assert_eq!(
            action("apt-get -qq update"),
            Some((Manager::Apt, Action::UpdateIndex))
        );
        assert_eq!(
            action("DEBIAN_FRONTEND=noninteractive apt-get install -y x"),
            Some((Manager::Apt, Action::Install))
        );
        assert_eq!(
            action("apk add --no-cache x"),
            Some((Manager::Apk, Action::Install))
        );
        assert_eq!(
            action("python3 -m pip install x"),
            Some((Manager::Pip, Action::Install))
        );
        assert_eq!(
            action("pip2 install x"),
            Some((Manager::Pip, Action::Install))
        );
        assert_eq!(
            action("pipx install x"),
            Some((Manager::Pipx, Action::Install))
        );
        assert_eq!(action("pipenv install x"), None);
        assert_eq!(action("yarn"), Some((Manager::Yarn, Action::Install)));
        assert_eq!(action("dnf clean all"), Some((Manager::Dnf, Action::Clean)));
        assert_eq!(action("npm ci"), Some((Manager::Npm, Action::Install)));
        assert_eq!(action("go install x"), Some((Manager::Go, Action::Install)));
        assert_eq!(action("python3 app.py"), None);
        assert_eq!(action("curl x"), None);
    }

    #[test]
    fn option_values_before_the_subcommand_are_skipped() {
        assert_eq!(
            action("apt-get -o Dpkg::Options::=--force-confold install -y x"),
            Some((Manager::Apt, Action::Install))
        );
        assert_eq!(
            action("npm --prefix /app install"),
            Some((Manager::Npm, Action::Install))
        );
        assert_eq!(
            action("zypper --root /mnt refresh"),
            Some((Manager::Zypper, Action::UpdateIndex))
        );
    }

    #[test]
    fn operands_leave_out_options_and_their_values() {
        assert_eq!(
            operands("apt-get install -y -t bookworm-backports --no-install-recommends curl git"),
            ["curl", "git"]
        );
        assert_eq!(
            operands("apk add --virtual .deps -X http://mirror gcc=13.2"),
            ["gcc=13.2"]
        );
        assert_eq!(
            operands("pip install --index-url https://x --target=/opt a==1 b"),
            ["a==1", "b"]
        );
        assert_eq!(
            operands("go run -tags netgo example.com/x@v1 --flag"),
            ["example.com/x@v1"]
        );
        assert_eq!(operands("gem install rake -- --with-x"), ["rake"]);
        assert_eq!(operands("npm install -- -weird"), ["-weird"]);
        assert!(operands("apt-get update").is_empty());
    }

    #[test]
    fn flags_and_option_values_are_found() {
        let cmds = commands("zypper -n in -t pattern devel_basis");
        let p = classify(&cmds[0]).unwrap();
        assert_eq!(p.sub(), Some("in"));
        assert!(p.flag(Some('n'), Some("non-interactive")).is_some());
        assert_eq!(p.option_value(&["-t", "--type"]), Some("pattern"));
        // The value of `-o` is not a flag.
        let cmds = commands("apt-get -o -y install x");
        let p = classify(&cmds[0]).unwrap();
        assert!(p.flag(Some('y'), Some("yes")).is_none());
    }
}
