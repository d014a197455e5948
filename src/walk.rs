//! Walking a directory for input files the way every command does: recursively, honouring
//! `.gitignore` (inside a repository or not), following symbolic links (loops are detected),
//! never descending into `.git`.

use std::path::{Path, PathBuf};

/// Every file below `dir`, sorted. Unreadable entries are errors naming `dir`; the walk goes
/// on.
pub fn files(dir: &Path, errors: &mut Vec<String>) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        // A symlinked Dockerfile is still the project's Dockerfile.
        .follow_links(true)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    let mut found = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                found.push(entry.into_path())
            }
            Ok(_) => {}
            Err(err) => errors.push(format!("{}: {err}", dir.display())),
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_and_git_files_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join(".git/config"), "").unwrap();
        std::fs::write(root.join(".gitignore"), "build/\n").unwrap();
        std::fs::create_dir_all(root.join("build")).unwrap();
        std::fs::write(root.join("build/Dockerfile"), "").unwrap();
        std::fs::write(root.join("sub/Dockerfile"), "").unwrap();
        let mut errors = Vec::new();
        let found: Vec<PathBuf> = files(root, &mut errors)
            .into_iter()
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            found,
            [PathBuf::from(".gitignore"), PathBuf::from("sub/Dockerfile")]
        );
        assert!(errors.is_empty());
    }
}
