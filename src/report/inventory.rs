//! The human view of scanned images: one header per image, then its packages as a table with
//! the layer (and Dockerfile line) that introduced each.

use std::io::{self, Write};

use super::text::plural;
use crate::image::catalog::Package;
use crate::image::scanned::ScannedImage;
use crate::vuln::severity::Level;
use crate::vuln::triage::Suppression;
use crate::vuln::vulnerability::Vulnerability;

/// Writes every image's inventory. `bold` styles headers (colour is decided by the caller).
pub(crate) fn write_images(
    out: &mut dyn Write,
    images: &[ScannedImage],
    bold: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    for image in images {
        write_image(out, image, bold)?;
        writeln!(out)?;
    }
    Ok(())
}

fn write_image(
    out: &mut dyn Write,
    image: &ScannedImage,
    bold: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    writeln!(out, "{}", bold(&image.reference))?;
    if let Some(digest) = &image.manifest_digest {
        writeln!(out, "  manifest  {digest}")?;
    }
    let distro = image
        .distro
        .as_ref()
        .map(|d| {
            d.pretty_name
                .clone()
                .unwrap_or_else(|| format!("{} {}", d.id, d.version_id.clone().unwrap_or_default()))
        })
        .unwrap_or_else(|| "unknown distribution".to_owned());
    writeln!(
        out,
        "  platform  {}/{} · {distro} · {} · {}",
        image.os,
        image.architecture,
        plural(image.layers.len(), "layer", "layers"),
        plural(image.packages.len(), "package", "packages")
    )?;
    for (layer, origin) in image.layers.iter().zip(&image.layer_origins) {
        let from = match origin {
            Some(o) => format!(
                "  {}:{}{}",
                o.path.display(),
                o.line,
                if o.base { " (base image)" } else { "" }
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "  layer {:<3} {}{from}",
            layer.index,
            short(&layer.digest)
        )?;
    }
    if let Some(vulnerabilities) = &image.vulnerabilities {
        write_vulnerabilities(out, image, vulnerabilities, bold)?;
        return write_problems(out, image);
    }
    if image.packages.is_empty() {
        return Ok(());
    }
    let header = ["NAME", "VERSION", "SOURCE", "TYPE", "LAYER"];
    let rows: Vec<[String; 5]> = image
        .packages
        .iter()
        .map(|p| {
            let source = match (&p.source_name, &p.source_version) {
                (Some(n), Some(v)) if n != &p.name || v != &p.version => format!("{n} {v}"),
                (Some(n), _) if n != &p.name => n.clone(),
                _ => String::new(),
            };
            let layer = introduced_by(image, p);
            [
                p.name.clone(),
                p.version.clone(),
                source,
                p.ecosystem.to_string(),
                layer,
            ]
        })
        .collect();
    writeln!(out)?;
    write_table(out, &header, &rows)?;
    write_problems(out, image)
}

fn write_problems(out: &mut dyn Write, image: &ScannedImage) -> io::Result<()> {
    for problem in &image.problems {
        writeln!(out, "  problem: {problem}")?;
    }
    Ok(())
}

/// The layer that added a package, with its Dockerfile line when known.
fn introduced_by(image: &ScannedImage, package: &Package) -> String {
    match (package.layer, image.origin(package)) {
        (Some(i), Some(o)) => format!("{i} ({}:{})", o.path.display(), o.line),
        (Some(i), None) => i.to_string(),
        (None, _) => "-".to_owned(),
    }
}

/// Known vulnerabilities, most severe first, instead of the whole inventory (which `-f json`
/// and `-f sbom-cyclonedx` list).
fn write_vulnerabilities(
    out: &mut dyn Write,
    image: &ScannedImage,
    vulnerabilities: &[Vulnerability],
    bold: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    let mut sorted: Vec<&Vulnerability> = vulnerabilities.iter().collect();
    sorted.sort_by(|a, b| {
        b.severity
            .level
            .cmp(&a.severity.level)
            .then_with(|| {
                image.packages[a.package]
                    .name
                    .cmp(&image.packages[b.package].name)
            })
            .then_with(|| a.id.cmp(&b.id))
    });
    let reported = sorted.iter().filter(|v| v.suppression.is_none()).count();
    let mut counts: Vec<String> = Vec::new();
    for level in Level::ALL.iter().rev() {
        let n = sorted
            .iter()
            .filter(|v| v.suppression.is_none() && v.severity.level == *level)
            .count();
        if n > 0 {
            counts.push(format!("{n} {level}"));
        }
    }
    let suppressed = image.suppressed_hidden + (sorted.len() - reported);
    let mut line = match reported {
        0 => "no known vulnerabilities".to_owned(),
        n => plural(n, "known vulnerability", "known vulnerabilities"),
    };
    if !counts.is_empty() {
        line.push_str(&format!(" ({})", counts.join(", ")));
    }
    if suppressed > 0 {
        line.push_str(&format!(", {suppressed} suppressed"));
    }
    writeln!(
        out,
        "  packages  {} (listed by -f json and -f sbom-cyclonedx)",
        image.packages.len()
    )?;
    writeln!(out, "  {}", bold(&line))?;
    if sorted.is_empty() {
        return Ok(());
    }
    let header = [
        "PACKAGE",
        "INSTALLED",
        "VULNERABILITY",
        "SEVERITY",
        "FIXED IN",
        "LAYER",
    ];
    let rows: Vec<[String; 6]> = sorted
        .iter()
        .map(|v| {
            let package = &image.packages[v.package];
            let mut id = v.id.clone();
            if let Some(suppression) = &v.suppression {
                id.push_str(&format!(" (suppressed: {})", suppression_kind(suppression)));
            }
            [
                package.name.clone(),
                package.version.clone(),
                id,
                v.severity.level.to_string(),
                v.fix.describe().to_owned(),
                introduced_by(image, package),
            ]
        })
        .collect();
    writeln!(out)?;
    write_table(out, &header, &rows)
}

fn suppression_kind(suppression: &Suppression) -> &str {
    match suppression {
        Suppression::Unfixed => "unfixed",
        Suppression::Ignored { source, .. } | Suppression::Vex { source, .. } => source,
    }
}

/// A left-aligned table, two spaces between columns, indented by two.
fn write_table<const N: usize>(
    out: &mut dyn Write,
    header: &[&str; N],
    rows: &[[String; N]],
) -> io::Result<()> {
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    write_row(out, &header.map(str::to_owned), &widths)?;
    for row in rows {
        write_row(out, row, &widths)?;
    }
    Ok(())
}

fn write_row<const N: usize>(
    out: &mut dyn Write,
    cells: &[String; N],
    widths: &[usize; N],
) -> io::Result<()> {
    let mut line = String::from("  ");
    for (n, (cell, width)) in cells.iter().zip(widths).enumerate() {
        line.push_str(cell);
        if n + 1 < cells.len() {
            line.push_str(&" ".repeat(width - cell.chars().count() + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// `sha256:0123456789ab` — enough of a digest to tell layers apart.
fn short(digest: &str) -> &str {
    let end = digest.find(':').map_or(12, |i| i + 13).min(digest.len());
    &digest[..end]
}
