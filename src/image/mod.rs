//! The image engine: open an image from any source, read each layer once as a stream, and
//! build the exact inventory of what is installed, with the layer that introduced it.
//!
//! Flow: [`source`] (docker-archive, OCI layout/archive, registry, engine) yields the manifest,
//! the config and one byte stream per layer → [`layers`] walks each stream once (in parallel,
//! decompressing as it goes), keeping only the files catalogers asked for → [`filesystem`]
//! merges the layers (whiteouts, opaque directories, links) into the final view →
//! [`catalog`] turns files into [`catalog::Package`]s → the inventory and SBOM reporters.

pub mod attribution;
pub mod catalog;
pub mod error;
pub mod filesystem;
pub mod hygiene;
pub mod layers;
pub mod metadata;
pub mod reference;
pub mod scan;
pub mod scanned;
pub mod secrets;
pub mod source;

pub use error::ImageError;
