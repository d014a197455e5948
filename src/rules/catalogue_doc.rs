//! Everything said about the catalogue, generated from it: the `rules` listing (text and JSON),
//! `explain`, and the reference page `docs/rules.md`.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::{Rule, CATALOGUE, FAMILIES};

/// One rule as `portcullis rules --format json` prints it.
pub fn rule_json(rule: &Rule) -> Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": rule.severity.as_str(),
        "tags": rule.tags,
        "aliases": rule.aliases,
        "enabled_by_default": rule.enabled_by_default,
        "help_uri": rule.help_uri(),
    })
}

/// The catalogue as an aligned table.
pub fn table() -> String {
    let name_width = CATALOGUE.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in CATALOGUE {
        let off = if rule.enabled_by_default {
            ""
        } else {
            " (off until configured)"
        };
        let _ = writeln!(
            out,
            "{}  {:name_width$}  {:7}  {}{off}",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary,
        );
        if !rule.aliases.is_empty() {
            let _ = writeln!(
                out,
                "        {:name_width$}           aliases: {}",
                "",
                rule.aliases.join(", ")
            );
        }
    }
    out
}

/// The metadata lines shared by `explain` and the reference page.
fn facts(rule: &Rule) -> String {
    let mut out = format!("- **Severity:** {}", rule.severity);
    if !rule.enabled_by_default {
        out.push_str(" (off until configured)");
    }
    out.push('\n');
    if !rule.tags.is_empty() {
        let _ = writeln!(out, "- **Tags:** {}", code_list(rule.tags));
    }
    if !rule.aliases.is_empty() {
        let _ = writeln!(out, "- **Aliases:** {}", code_list(rule.aliases));
    }
    out
}

fn code_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `portcullis explain RULE`.
pub fn explain(rule: &Rule) -> String {
    format!(
        "# {} {}\n\n{}.\n\n{}\n{}\n",
        rule.code,
        rule.name,
        rule.summary,
        facts(rule),
        rule.help.trim_end()
    )
}

/// `docs/rules.md`. A test keeps the committed file equal to this.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from the rule catalogue by `portcullis rules --format markdown`. Do not edit. -->\n\
         # Rule reference\n\n\
         Every rule has a stable code of our own and a kebab-case name; the ids of hadolint, BuildKit\n\
         checks, Trivy, Checkov, Dockle and the CIS Docker Benchmark are aliases. Any of them works in\n\
         `--enable`, `--disable`, `.portcullis.toml`, `# portcullis ignore=…` and\n\
         `# hadolint ignore=…`.\n\n",
    );
    for (prefix, family) in FAMILIES {
        let _ = writeln!(out, "## {prefix}xxx: {family}\n");
        let _ = writeln!(
            out,
            "| Code | Name | Severity | Summary |\n|---|---|---|---|"
        );
        for rule in CATALOGUE.iter().filter(|r| r.code.starts_with(prefix)) {
            let _ = writeln!(
                out,
                "| [{}](#{}) | `{}` | {} | {} |",
                rule.code,
                rule.code.to_ascii_lowercase(),
                rule.name,
                rule.severity,
                rule.summary
            );
        }
        out.push('\n');
    }
    for rule in CATALOGUE {
        // Rule help uses `##` headings; nest them one level deeper under the rule's own.
        let help = rule.help.trim_end().replace("\n## ", "\n#### ");
        let help = help
            .strip_prefix("## ")
            .map_or(help.clone(), |h| format!("#### {h}"));
        let _ = write!(
            out,
            "### {}\n\n`{}`: {}.\n\n{}\n{}\n\n",
            rule.code,
            rule.name,
            rule.summary,
            facts(rule),
            help
        );
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The known id closest to a mistyped one.
pub fn closest_id(id: &str) -> Option<String> {
    crate::config::suggest(CATALOGUE, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_rules_md_is_generated_from_the_catalogue() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == reference_markdown(),
            "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
        );
    }

    #[test]
    fn json_listing_has_what_tools_need() {
        let value = rule_json(&crate::rules::ROOT_USER);
        assert_eq!(value["id"], "PC1001");
        assert_eq!(value["severity"], "warning");
        assert!(value["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "DL3002")));
        assert!(value["tags"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "security")));
    }

    #[test]
    fn explain_shows_metadata_and_help() {
        let text = explain(&crate::rules::BASE_IMAGE_UNPINNED);
        assert!(text.starts_with("# PC3001 base-image-unpinned"));
        assert!(text.contains("`DL3007`") && text.contains("## Example"));
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(
            closest_id("DL300")
                .as_deref()
                .map(|s| s.starts_with("DL300")),
            Some(true)
        );
        assert_eq!(closest_id("root-usr").as_deref(), Some("root-user"));
    }
}
