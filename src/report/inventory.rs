//! The human view of scanned images: one header per image, then its packages as a table with
//! the layer (and Dockerfile line) that introduced each.

use std::io::{self, Write};

use crate::image::scanned::ScannedImage;

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
        "  platform  {}/{} · {distro} · {} layers · {} packages",
        image.os,
        image.architecture,
        image.layers.len(),
        image.packages.len()
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
            let layer = match (p.layer, image.origin(p)) {
                (Some(i), Some(o)) => format!("{i} ({}:{})", o.path.display(), o.line),
                (Some(i), None) => i.to_string(),
                (None, _) => "-".to_owned(),
            };
            [
                p.name.clone(),
                p.version.clone(),
                source,
                p.ecosystem.to_string(),
                layer,
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    writeln!(out)?;
    write_row(out, &header.map(str::to_owned), &widths)?;
    for row in &rows {
        write_row(out, row, &widths)?;
    }
    for problem in &image.problems {
        writeln!(out, "  problem: {problem}")?;
    }
    Ok(())
}

fn write_row(out: &mut dyn Write, cells: &[String; 5], widths: &[usize; 5]) -> io::Result<()> {
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
