//! What works without a token (pull requests from forks get a read-only one): workflow commands
//! on standard output, which the runner turns into annotations, and the job summary.

use std::io::Write;
use std::path::Path;

use super::repo_path;
use crate::annotate::report::Annotation;
use crate::finding::Severity;

/// `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`.
pub fn command(a: &Annotation) -> String {
    let name = match a.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "notice",
    };
    let mut properties = vec![
        ("file", repo_path(&a.path)),
        ("line", a.start_line.to_string()),
        ("endLine", a.end_line.to_string()),
    ];
    if let Some((start, end)) = a
        .columns
        .filter(|&(start, _)| start >= 1 && a.start_line == a.end_line)
    {
        properties.push(("col", start.to_string()));
        properties.push(("endColumn", end.max(start).to_string()));
    }
    properties.push(("title", a.title.clone()));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let mut message = a.message.clone();
    if let Some(uri) = &a.help_uri {
        message.push_str(&format!("\n{uri}"));
    }
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// A message: `%`, CR and LF are percent-encoded (as the runner's toolkit does).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as a message, plus the `:` and `,` that delimit properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Appends `markdown` to the job summary file (`$GITHUB_STEP_SUMMARY`).
pub fn append_summary(path: &Path, markdown: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(markdown.as_bytes())?;
    if !markdown.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn commands_escape_as_github_documents() {
        let a = Annotation {
            path: PathBuf::from("./svc,a/Dockerfile"),
            start_line: 3,
            end_line: 3,
            columns: Some((5, 12)),
            severity: Severity::Warning,
            title: "PC4003 update-without-install: 100%".into(),
            message: "line one\r\nline two: 50%, done".into(),
            help_uri: Some("https://example.org/r#pc4003".into()),
            fingerprint: "f".into(),
        };
        assert_eq!(
            command(&a),
            "::warning file=svc%2Ca/Dockerfile,line=3,endLine=3,col=5,endColumn=12,\
             title=PC4003 update-without-install%3A 100%25::line one%0D%0Aline two: 50%25, \
             done%0Ahttps://example.org/r#pc4003"
        );
        let multi = Annotation {
            end_line: 4,
            severity: Severity::Style,
            help_uri: None,
            ..a
        };
        let text = command(&multi);
        assert!(text.starts_with("::notice file="), "{text}");
        assert!(!text.contains("col="), "{text}");
    }

    #[test]
    fn the_summary_is_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        std::fs::write(&path, "earlier step\n").unwrap();
        append_summary(&path, "# ours").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "earlier step\n# ours\n"
        );
    }
}
