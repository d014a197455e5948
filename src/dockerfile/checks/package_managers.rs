//! What package-manager commands do, shared by the rules about indexes and caches.

use crate::dockerfile::shell::{basename, Command, Word};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Manager {
    Apt,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Pip,
    Yarn,
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
        "pip" | "pip3" => Manager::Pip,
        _ if name.starts_with("pip3.") => Manager::Pip,
        "yarn" => Manager::Yarn,
        _ => return None,
    };
    let sub = args
        .iter()
        .find(|w| !w.text.starts_with('-'))
        .map(|w| w.text.as_str());
    let action = match (manager, sub) {
        (Manager::Apt, Some("update")) => Action::UpdateIndex,
        (
            Manager::Apt,
            Some(
                "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep" | "reinstall",
            ),
        ) => Action::Install,
        (Manager::Apt, Some("clean" | "autoclean")) => Action::Clean,
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
        (Manager::Pip, Some("install")) => Action::Install,
        (Manager::Pip, Some("cache")) => Action::Clean,
        (Manager::Yarn, None | Some("install")) => Action::Install,
        (Manager::Yarn, Some("cache")) if args.iter().any(|w| w.text == "clean") => Action::Clean,
        _ => Action::Other,
    };
    Some(PackageCommand {
        manager,
        action,
        command,
        program,
    })
}

impl Manager {
    pub(crate) fn same_family(self, other: Manager) -> bool {
        let family = |m: Manager| match m {
            Manager::Dnf | Manager::Microdnf | Manager::Yum => Manager::Dnf,
            m => m,
        };
        family(self) == family(other)
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
        assert_eq!(action("yarn"), Some((Manager::Yarn, Action::Install)));
        assert_eq!(action("dnf clean all"), Some((Manager::Dnf, Action::Clean)));
        assert_eq!(action("python3 app.py"), None);
        assert_eq!(action("curl x"), None);
    }
}
