//! What `portcullis check` finds in a repository: Dockerfiles, Compose projects and Kubernetes
//! manifests, from one walk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::lint::is_dockerfile_name;
use crate::runtime::evaluate::{is_yaml, ComposeRequest};

/// The inputs of one repository.
#[derive(Debug, Default)]
pub struct Discovered {
    pub dockerfiles: Vec<PathBuf>,
    pub compose: Vec<ComposeRequest>,
    pub manifests: Vec<PathBuf>,
    pub errors: Vec<String>,
}

/// Compose's own file names, in the order `docker compose` looks for them.
const COMPOSE_BASES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Walks `dir` (honouring `.gitignore`) and sorts its files out.
///
/// Compose files are grouped per directory the way `docker compose` reads them: the base file
/// with its `.override` file, and each other variant (`compose.prod.yaml`) on top of the base
/// as a project of its own. A YAML file is a Kubernetes manifest when a document of it has
/// top-level `apiVersion` and `kind`; templates (`{{ … }}`, Helm) are not manifests until
/// rendered, and are left out.
pub fn discover(dir: &Path) -> Discovered {
    let mut found = Discovered::default();
    let mut compose_dirs: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in crate::walk::files(dir, &mut found.errors) {
        // `check .` names `Dockerfile`, not `./Dockerfile`, in every report.
        let path = match path.strip_prefix(".") {
            Ok(relative) if dir == Path::new(".") => relative.to_path_buf(),
            _ => path,
        };
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if is_dockerfile_name(&name) {
            found.dockerfiles.push(path);
        } else if is_compose_name(&name) {
            let parent = path.parent().unwrap_or(Path::new("")).to_path_buf();
            compose_dirs.entry(parent).or_default().push(path);
        } else if is_yaml(&path) && is_manifest(&path) {
            found.manifests.push(path);
        }
    }
    for files in compose_dirs.into_values() {
        found.compose.extend(projects(files));
    }
    found
}

/// `compose.yaml`, `docker-compose.yml`, `compose.override.yaml`, `compose.prod.yml`…
fn is_compose_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    ["compose", "docker-compose"]
        .iter()
        .any(|base| stem == *base || stem.starts_with(&format!("{base}.")))
}

/// The projects of one directory's Compose files.
fn projects(files: Vec<PathBuf>) -> Vec<ComposeRequest> {
    let name = |p: &PathBuf| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let base = COMPOSE_BASES
        .iter()
        .find_map(|b| files.iter().find(|f| name(f).as_deref() == Some(b)))
        .cloned();
    let is_override = |p: &PathBuf| name(p).is_some_and(|n| n.contains(".override."));
    let project = |extra: Vec<PathBuf>| ComposeRequest {
        files: base.iter().cloned().chain(extra).collect(),
        ..ComposeRequest::default()
    };
    let overrides: Vec<PathBuf> = files.iter().filter(|f| is_override(f)).cloned().collect();
    let variants: Vec<&PathBuf> = files
        .iter()
        .filter(|f| !is_override(f) && Some(*f) != base.as_ref())
        .filter(|f| {
            // The other base names next to the chosen one are projects of their own.
            !COMPOSE_BASES.contains(&name(f).as_deref().unwrap_or(""))
        })
        .collect();
    let mut projects = Vec::new();
    if base.is_some() {
        projects.push(project(overrides.clone()));
    }
    for variant in variants {
        projects.push(project(vec![variant.clone()]));
    }
    for other in files
        .iter()
        .filter(|f| COMPOSE_BASES.contains(&name(f).as_deref().unwrap_or("")))
        .filter(|f| Some(*f) != base.as_ref())
    {
        projects.push(ComposeRequest {
            files: vec![other.clone()],
            ..ComposeRequest::default()
        });
    }
    projects
}

/// Whether the text of `path` holds a Kubernetes object: `apiVersion:` and `kind:` at the top
/// level, and no template syntax.
fn is_manifest(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    if text.contains("{{") {
        return false;
    }
    let top_level = |key: &str| text.lines().any(|line| line.starts_with(key));
    top_level("apiVersion:") && top_level("kind:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repository_is_sorted_into_its_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("Dockerfile", "FROM scratch\n");
        write("api/Containerfile", "FROM scratch\n");
        write("compose.yaml", "services: {}\n");
        write("compose.override.yaml", "services: {}\n");
        write("compose.prod.yaml", "services: {}\n");
        write("tools/docker-compose.yml", "services: {}\n");
        write("deploy/app.yaml", "apiVersion: v1\nkind: Pod\n");
        write(
            "deploy/chart/templates/x.yaml",
            "apiVersion: v1\nkind: {{ .Kind }}\n",
        );
        write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
        let found = discover(root);
        let rel = |p: &PathBuf| p.strip_prefix(root).unwrap().display().to_string();
        let dockerfiles: Vec<String> = found.dockerfiles.iter().map(rel).collect();
        assert_eq!(dockerfiles, ["Dockerfile", "api/Containerfile"]);
        let projects: Vec<Vec<String>> = found
            .compose
            .iter()
            .map(|p| p.files.iter().map(rel).collect())
            .collect();
        assert_eq!(
            projects,
            [
                vec!["compose.yaml", "compose.override.yaml"],
                vec!["compose.yaml", "compose.prod.yaml"],
                vec!["tools/docker-compose.yml"],
            ]
        );
        let manifests: Vec<String> = found.manifests.iter().map(rel).collect();
        assert_eq!(manifests, ["deploy/app.yaml"]);
    }

    #[test]
    fn compose_names() {
        for name in ["compose.yaml", "docker-compose.yml", "compose.dev.yml"] {
            assert!(is_compose_name(name), "{name}");
        }
        for name in ["composer.yaml", "my-compose.yaml", "compose.json"] {
            assert!(!is_compose_name(name), "{name}");
        }
    }
}
