//! Known vulnerabilities: OSV advisories, the local database, version ordering per ecosystem,
//! matching an image's packages against them, severity, and triage (ignore files, VEX).
//!
//! `osv` is the advisory model; `db` stores and loads it; `version` orders versions the way each
//! ecosystem does; `matcher` decides which advisories affect which package; `severity` turns
//! CVSS vectors and distro ratings into one scale; `triage` applies what users said to ignore.

pub mod assess;
pub mod db;
pub mod matcher;
pub mod osv;
pub mod severity;
pub mod triage;
pub mod version;
pub mod vulnerability;
