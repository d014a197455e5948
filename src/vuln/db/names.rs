//! Names: how package names are compared per ecosystem, and how ecosystem names become file
//! names and URLs.

use std::borrow::Cow;

use crate::image::catalog::python;

/// The form a package name is stored and looked up in, so that spellings the ecosystem treats
/// as the same package find the same advisories.
///
/// - **PyPI**: PEP 503 (lower case, every run of `-`, `_` and `.` becomes one `-`). OSV says
///   PyPI names are stored normalised, but records and installed `METADATA` do not always
///   follow it (`Jinja2`, `zope.interface`), so both sides are normalised.
/// - **NuGet** and **Packagist**: lower case. NuGet ids are case-insensitive; Composer names
///   are lower case by rule but matched case-insensitively by Composer.
/// - Everything else as written: npm and crates.io names are case-sensitive (old npm packages
///   have capitals, and a crate's exact name is what `Cargo.lock` records), Go module paths
///   are case-sensitive, distribution package names are exact.
///
/// The index stores names in this form, so changing a rule here needs a new
/// [`super::index::FORMAT_VERSION`].
pub fn normalize_name<'a>(base: &str, name: &'a str) -> Cow<'a, str> {
    match base {
        "PyPI" => pep503(name),
        "NuGet" | "Packagist" => {
            if name.bytes().any(|b| b.is_ascii_uppercase()) || !name.is_ascii() {
                Cow::Owned(name.to_lowercase())
            } else {
                Cow::Borrowed(name)
            }
        }
        _ => Cow::Borrowed(name),
    }
}

/// PEP 503, borrowing names already in normal form (most of them) instead of copying.
fn pep503(name: &str) -> Cow<'_, str> {
    let normal = !name
        .chars()
        .any(|c| c.is_uppercase() || c == '_' || c == '.')
        && !name.contains("--");
    if normal {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(python::normalize_name(name))
    }
}

/// A file-name-safe form of an ecosystem name, reversible and readable: ASCII letters, digits,
/// `.`, `_` and `-` stay, everything else becomes `%XX` (`Red Hat` → `Red%20Hat`,
/// `Ubuntu:22.04:LTS` → `Ubuntu%3A22.04%3ALTS`).
pub(crate) fn file_stem(ecosystem: &str) -> String {
    let mut out = String::with_capacity(ecosystem.len());
    for byte in ecosystem.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // `.` and `..` alone would name directories.
    if out.bytes().all(|b| b == b'.') {
        out = out.replace('.', "%2E");
    }
    out
}

/// The ecosystem a [`file_stem`] was made from; `None` for a stem it cannot have made.
pub(crate) fn ecosystem_of_stem(stem: &str) -> Option<String> {
    let bytes = stem.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    let ecosystem = String::from_utf8(out).ok()?;
    (file_stem(&ecosystem) == stem).then_some(ecosystem)
}

/// `<base>/<ecosystem, percent-encoded as a path segment>/all.zip`, the layout of the OSV
/// bucket (`https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip`) and of any
/// mirror of it.
pub(crate) fn export_url(base: &str, ecosystem: &str) -> Result<reqwest::Url, String> {
    let mut url = reqwest::Url::parse(base.trim_end_matches('/'))
        .map_err(|e| format!("`{base}` is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{base}` is not an http:// or https:// URL (for files on disk, point --db at the \
             directory holding them instead)"
        ));
    }
    url.path_segments_mut()
        .map_err(|()| format!("`{base}` cannot have a path"))?
        .pop_if_empty()
        .push(ecosystem)
        .push("all.zip");
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_follow_pep_503() {
        for (raw, normal) in [
            ("Django", "django"),
            ("zope.interface", "zope-interface"),
            ("Flask__Caching", "flask-caching"),
            ("flask.-_caching", "flask-caching"),
            ("a--b", "a-b"),
            ("requests", "requests"),
        ] {
            assert_eq!(normalize_name("PyPI", raw), normal, "{raw}");
        }
        assert!(matches!(
            normalize_name("PyPI", "requests"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn case_insensitive_ecosystems_lower_case_others_keep_the_name() {
        assert_eq!(
            normalize_name("NuGet", "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            normalize_name("Packagist", "Symfony/HTTP-Kernel"),
            "symfony/http-kernel"
        );
        for (base, name) in [
            ("npm", "JSONStream"),
            ("crates.io", "serde_json"),
            ("Go", "github.com/BurntSushi/toml"),
            ("Debian", "libxml2"),
            ("Maven", "org.apache.logging.log4j:log4j-core"),
        ] {
            assert_eq!(normalize_name(base, name), name, "{base}");
        }
    }

    #[test]
    fn file_stems_are_safe_and_distinct() {
        assert_eq!(file_stem("crates.io"), "crates.io");
        assert_eq!(file_stem("Red Hat"), "Red%20Hat");
        assert_eq!(file_stem("Ubuntu:22.04:LTS"), "Ubuntu%3A22.04%3ALTS");
        assert_eq!(file_stem("a/b"), "a%2Fb");
        assert_eq!(file_stem(".."), "%2E%2E");
        for ecosystem in [
            "crates.io",
            "Red Hat",
            "Ubuntu:Pro:18.04:LTS",
            "Maven:https://x/y",
            "..",
        ] {
            assert_eq!(
                ecosystem_of_stem(&file_stem(ecosystem)).as_deref(),
                Some(ecosystem)
            );
        }
        assert_eq!(ecosystem_of_stem("Red Hat"), None);
        assert_eq!(ecosystem_of_stem("bad%zz"), None);
    }

    #[test]
    fn export_urls_encode_the_ecosystem() {
        let url = export_url(
            "https://osv-vulnerabilities.storage.googleapis.com",
            "Red Hat",
        );
        assert_eq!(
            url.unwrap().as_str(),
            "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip"
        );
        let url = export_url("http://127.0.0.1:8080/mirror/", "crates.io").unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8080/mirror/crates.io/all.zip"
        );
        assert!(export_url("ftp://example.com", "Go").is_err());
        assert!(export_url("not a url", "Go").is_err());
    }
}
