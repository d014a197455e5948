//! PC2003 credential-file and PC4007 unnecessary-file: paths whose names say they hold
//! credentials, or that come from a development checkout (Dockle's `DKL-LI-0003`).
//!
//! Names only: contents are not read. Dependency trees (`node_modules`, `site-packages`, Go's
//! module cache, …) are not searched: packages ship such files, and they are not the image
//! author's own.

use std::collections::BTreeMap;

use super::{HygieneFinding, ImageView};
use crate::rules;

/// Components below which nothing is reported.
const DEPENDENCY_DIRS: [&str; 7] = [
    "node_modules",
    "site-packages",
    "dist-packages",
    "vendor",
    "gems",
    ".cargo",
    ".rustup",
];

/// Directories reported once with what they hold: `(name, what it is)`.
const CLUTTER_DIRS: [(&str, &str); 9] = [
    (".git", "Git repository metadata"),
    (".svn", "Subversion metadata"),
    (".hg", "Mercurial metadata"),
    (".github", "GitHub workflows and settings"),
    (".gitlab", "GitLab settings"),
    (".circleci", "CircleCI configuration"),
    (".idea", "JetBrains IDE settings"),
    (".vscode", "VS Code settings"),
    (".devcontainer", "dev container settings"),
];

/// Files reported by exact name: `(name, what it is)`.
const CLUTTER_FILES: [(&str, &str); 5] = [
    (".gitlab-ci.yml", "GitLab CI configuration"),
    (".travis.yml", "Travis CI configuration"),
    ("Jenkinsfile", "Jenkins pipeline"),
    (".DS_Store", "macOS Finder metadata"),
    ("Thumbs.db", "Windows thumbnail cache"),
];

/// Dotenv files that document variables rather than set them.
const ENV_TEMPLATES: [&str; 5] = ["example", "sample", "template", "dist", "defaults"];

/// What a credential file is, when `path` names one.
pub(super) fn credential_kind(path: &str) -> Option<&'static str> {
    let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let (&name, parents) = components.split_last()?;
    let parent = parents.last().copied().unwrap_or_default();
    let ends_with = |suffix: &[&str]| components.ends_with(suffix);
    Some(match name {
        "credentials" if parent == ".aws" => "AWS CLI credentials",
        "accessTokens.json" if parent == ".azure" => "Azure CLI tokens",
        "credentials.db" | "application_default_credentials.json"
            if ends_with(&["gcloud", name]) =>
        {
            "Google Cloud CLI credentials"
        }
        "config.json" if parent == ".docker" => "registry credentials",
        ".npmrc" => "npm registry token",
        ".pypirc" => "PyPI upload credentials",
        ".git-credentials" => "Git credentials",
        ".netrc" => "machine passwords",
        ".htpasswd" => "password hashes",
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => "an SSH private key",
        ".env" => "a dotenv file",
        _ => match name.strip_prefix(".env.") {
            Some(suffix) if !ENV_TEMPLATES.contains(&suffix) => "a dotenv file",
            _ => return None,
        },
    })
}

/// What a clutter file is, when its name says.
fn clutter_file_kind(name: &str) -> Option<&'static str> {
    if let Some((_, what)) = CLUTTER_FILES.iter().find(|(n, _)| *n == name) {
        return Some(what);
    }
    let swap = name.starts_with('.') && [".swp", ".swo", ".swn"].iter().any(|s| name.ends_with(s));
    if swap {
        return Some("editor swap file");
    }
    (name.len() > 1 && name.ends_with('~')).then_some("editor backup file")
}

pub(super) fn in_dependency_tree(path: &str) -> bool {
    path.contains("/pkg/mod/")
        || path
            .split('/')
            .rev()
            .skip(1)
            .any(|c| DEPENDENCY_DIRS.contains(&c))
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    // Clutter directory (its path) → (what, layer of its first entry, entries under it).
    let mut dirs: BTreeMap<String, (&str, usize, usize)> = BTreeMap::new();
    let mut credentials = Vec::new();
    let mut files = Vec::new();
    for (path, node) in image.files.entries() {
        if in_dependency_tree(path) {
            continue;
        }
        let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        let dir = components.iter().enumerate().find_map(|(i, c)| {
            let (_, what) = CLUTTER_DIRS.iter().find(|(n, _)| n == c)?;
            Some((format!("/{}", components[..=i].join("/")), *what))
        });
        if let Some((root, what)) = dir {
            let entry = dirs.entry(root).or_insert((what, node.layer, 0));
            entry.2 += 1;
            continue;
        }
        if !node.is_file() {
            continue;
        }
        if let Some(what) = credential_kind(path) {
            credentials.push(HygieneFinding::file(
                &rules::CREDENTIAL_FILE,
                format!(
                    "{path} usually holds {what}, and anyone who pulls the image can read it (layer {})",
                    node.layer
                ),
                path,
                node.layer,
            ));
        } else if let Some(what) = components.last().and_then(|n| clutter_file_kind(n)) {
            files.push(HygieneFinding::file(
                &rules::UNNECESSARY_FILE,
                format!(
                    "{path} is a {what}, not needed at run time (layer {})",
                    node.layer
                ),
                path,
                node.layer,
            ));
        }
    }
    out.append(&mut credentials);
    let mut clutter: Vec<HygieneFinding> = dirs
        .into_iter()
        .map(|(root, (what, layer, count))| {
            let entries = if count == 1 { "entry" } else { "entries" };
            HygieneFinding::file(
                &rules::UNNECESSARY_FILE,
                format!(
                    "{root}/ holds {what} ({count} {entries}), not needed at run time (layer {layer})"
                ),
                &root,
                layer,
            )
        })
        .collect();
    clutter.append(&mut files);
    clutter.sort_by(|a, b| a.path.cmp(&b.path));
    out.append(&mut clutter);
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn found(items: Vec<I>) -> Vec<(&'static str, String, usize)> {
        run(
            check,
            &clean_metadata(),
            &tree(&[vec![I::Dir("app")], items]),
        )
        .into_iter()
        .map(|f| (f.rule.code, f.path.unwrap(), f.layer.unwrap()))
        .collect()
    }

    #[test]
    fn credential_files_are_reported_one_by_one() {
        let got = found(vec![
            I::Owned("root/.aws/credentials", 0, 0, 0o600),
            I::Owned("root/.docker/config.json", 0, 0, 0o600),
            I::Owned("home/app/.ssh/id_ed25519", 1000, 1000, 0o600),
            I::Owned("app/.env", 0, 0, 0o644),
            I::Owned("app/.env.production", 0, 0, 0o644),
            I::Owned("app/.npmrc", 0, 0, 0o644),
            I::Owned("root/.config/gcloud/credentials.db", 0, 0, 0o600),
        ]);
        let paths: Vec<&str> = got.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/app/.env",
                "/app/.env.production",
                "/app/.npmrc",
                "/home/app/.ssh/id_ed25519",
                "/root/.aws/credentials",
                "/root/.config/gcloud/credentials.db",
                "/root/.docker/config.json",
            ]
        );
        assert!(got
            .iter()
            .all(|(code, _, layer)| *code == "PC2003" && *layer == 1));
    }

    #[test]
    fn clutter_directories_are_reported_once_and_files_by_name() {
        let got = found(vec![
            I::Dir("app/.git"),
            I::Owned("app/.git/config", 0, 0, 0o644),
            I::Owned("app/.git/objects/ab/cdef", 0, 0, 0o444),
            I::Owned("app/.github/workflows/ci.yml", 0, 0, 0o644),
            I::Owned("app/.gitlab-ci.yml", 0, 0, 0o644),
            I::Owned("app/src/.main.py.swp", 0, 0, 0o644),
            I::Owned("app/src/main.py~", 0, 0, 0o644),
            I::Owned("app/.DS_Store", 0, 0, 0o644),
        ]);
        let summary: Vec<(&str, &str)> = got.iter().map(|(c, p, _)| (*c, p.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("PC4007", "/app/.DS_Store"),
                ("PC4007", "/app/.git"),
                ("PC4007", "/app/.github"),
                ("PC4007", "/app/.gitlab-ci.yml"),
                ("PC4007", "/app/src/.main.py.swp"),
                ("PC4007", "/app/src/main.py~"),
            ]
        );
        let files = tree(&[vec![
            I::Dir("app/.git"),
            I::Owned("app/.git/config", 0, 0, 0o644),
            I::Owned("app/.git/HEAD", 0, 0, 0o644),
        ]]);
        let git = run(check, &clean_metadata(), &files);
        assert_eq!(
            git[0].message,
            "/app/.git/ holds Git repository metadata (3 entries), not needed at run time (layer 0)"
        );
    }

    #[test]
    fn templates_dependency_trees_and_ordinary_files_are_fine() {
        let got = found(vec![
            I::Owned("app/.env.example", 0, 0, 0o644),
            I::Owned("app/environment", 0, 0, 0o644),
            I::Owned("app/node_modules/left-pad/.npmrc", 0, 0, 0o644),
            I::Owned("app/node_modules/left-pad/.github/FUNDING.yml", 0, 0, 0o644),
            I::Owned("usr/lib/python3/dist-packages/x/.git/HEAD", 0, 0, 0o644),
            I::Owned("go/pkg/mod/example.com/m@v1/.travis.yml", 0, 0, 0o644),
            I::Owned("etc/ssh/ssh_host_ed25519_key", 0, 0, 0o600),
            I::Owned("usr/share/doc/credentials", 0, 0, 0o644),
            I::Owned("app/~", 0, 0, 0o644),
        ]);
        assert_eq!(got, []);
    }
}
