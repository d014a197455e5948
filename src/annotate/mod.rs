//! Pull-request annotation: what a finished run's JSON report says, posted where reviewers
//! look. Annotators read the report file (`-f json=…`), never the engines, so they run after the
//! reports were written and a failure to annotate never loses a report.

pub mod github;
pub mod gitlab;
pub mod report;
pub mod summary;
