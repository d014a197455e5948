//! Throughput of the secret scanner: scans every regular file under a directory with the
//! built-in rules and prints MB/s and the matches (masked).
//!
//! `cargo run --release --example secret_throughput -- DIR`
//!
//! Files are read first, so the figure is the scanner's alone, not the disk's.

use std::path::{Path, PathBuf};
use std::time::Instant;

use portcullis::image::secrets::{builtin_rules, SecretScanner};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => files(&entry.path(), out),
            Ok(kind) if kind.is_file() => out.push(entry.path()),
            _ => {}
        }
    }
}

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: secret_throughput DIR");
        std::process::exit(2);
    };
    let mut paths = Vec::new();
    files(&root, &mut paths);
    let contents: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|path| {
            let content = std::fs::read(path).ok()?;
            let relative = path.strip_prefix(&root).unwrap_or(path);
            Some((relative.to_string_lossy().into_owned(), content))
        })
        .collect();
    let bytes: usize = contents.iter().map(|(_, c)| c.len()).sum();

    let build = Instant::now();
    let scanner = SecretScanner::new(builtin_rules());
    let build = build.elapsed();

    let start = Instant::now();
    let mut matches = Vec::new();
    for (path, content) in &contents {
        matches.extend(scanner.scan(path, content));
    }
    let elapsed = start.elapsed();

    for found in &matches {
        println!("{found}");
    }
    let megabytes = bytes as f64 / 1e6;
    println!(
        "{} files, {:.1} MB in {:.3} s: {:.1} MB/s, {} matches ({} rules built in {:.1} ms)",
        contents.len(),
        megabytes,
        elapsed.as_secs_f64(),
        megabytes / elapsed.as_secs_f64().max(1e-9),
        matches.len(),
        scanner.rules().len(),
        build.as_secs_f64() * 1e3,
    );
}
