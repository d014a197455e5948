//! Content digests (`sha256:<hex>`) and a reader that checks a blob against its digest while it
//! streams, so no source ever has to buffer a blob to verify it.
//!
//! ```
//! use std::io::Read;
//! use portcullis::image::source::digest::{sha256_digest, VerifyingReader};
//!
//! let blob = b"layer bytes".to_vec();
//! let digest = sha256_digest(&blob);
//! let mut reader = VerifyingReader::new(&blob[..], &digest, Some(blob.len() as u64)).unwrap();
//! let mut out = Vec::new();
//! reader.read_to_end(&mut out).unwrap(); // an `InvalidData` error here if they differ
//! ```

use std::fmt;
use std::io::{self, Read};

use sha2::{Digest as _, Sha256, Sha512};

/// A digest algorithm this crate can verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }
}

/// A parsed, validated `algorithm:hex` digest (lower-case hex, the right length).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Digest {
    pub algorithm: Algorithm,
    /// Lower-case hex.
    pub hex: String,
}

impl Digest {
    /// Parses `sha256:<64 hex>` or `sha512:<128 hex>`. The error says what is wrong, for
    /// messages like "manifest names layer digest `…`: …".
    pub fn parse(text: &str) -> Result<Digest, String> {
        let (algorithm, hex) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}` is not a digest (expected `sha256:<hex>`)"))?;
        let algorithm = match algorithm {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            other => {
                return Err(format!(
                    "unsupported digest algorithm `{other}` in `{text}`"
                ))
            }
        };
        let valid_hex = hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if hex.len() != algorithm.hex_len() || !valid_hex {
            return Err(format!(
                "`{text}` is not a valid {} digest (expected {} lower-case hex digits)",
                algorithm.as_str(),
                algorithm.hex_len()
            ));
        }
        Ok(Digest {
            algorithm,
            hex: hex.to_owned(),
        })
    }

    /// The digest of `bytes` with `algorithm`.
    pub fn of(algorithm: Algorithm, bytes: &[u8]) -> Digest {
        let mut hasher = Hasher::new(algorithm);
        hasher.update(bytes);
        hasher.finish()
    }

    /// Whether `bytes` hash to this digest.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        Digest::of(self.algorithm, bytes) == *self
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.as_str(), self.hex)
    }
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    Digest::of(Algorithm::Sha256, bytes).to_string()
}

/// An incremental hasher for either algorithm.
#[derive(Clone)]
pub struct Hasher {
    algorithm: Algorithm,
    state: HasherState,
}

#[derive(Clone)]
enum HasherState {
    Sha256(Sha256),
    Sha512(Sha512),
}

impl Hasher {
    pub fn new(algorithm: Algorithm) -> Hasher {
        let state = match algorithm {
            Algorithm::Sha256 => HasherState::Sha256(Sha256::new()),
            Algorithm::Sha512 => HasherState::Sha512(Sha512::new()),
        };
        Hasher { algorithm, state }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.state {
            HasherState::Sha256(h) => h.update(bytes),
            HasherState::Sha512(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> Digest {
        let bytes: Vec<u8> = match self.state {
            HasherState::Sha256(h) => h.finalize().to_vec(),
            HasherState::Sha512(h) => h.finalize().to_vec(),
        };
        Digest {
            algorithm: self.algorithm,
            hex: crate::hex::encode(&bytes),
        }
    }
}

/// The error inside the `InvalidData` [`io::Error`] a [`VerifyingReader`] returns when the
/// content does not match. Recover it with [`Mismatch::from_io`] to report
/// `ImageError::DigestMismatch` instead of a bare I/O error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The digest the manifest (or index) promised.
    pub expected: String,
    /// What the bytes hash to; for a size mismatch, a description of the sizes instead.
    pub actual: String,
}

impl Mismatch {
    /// The mismatch carried by an I/O error from a [`VerifyingReader`], if it is one (also
    /// when the error was wrapped in another `io::Error` by a decompressor).
    pub fn from_io(error: &io::Error) -> Option<&Mismatch> {
        let mut inner: &(dyn std::error::Error + 'static) = error.get_ref()?;
        loop {
            if let Some(mismatch) = inner.downcast_ref::<Mismatch>() {
                return Some(mismatch);
            }
            if let Some(io) = inner.downcast_ref::<io::Error>() {
                inner = io.get_ref()?;
                continue;
            }
            inner = inner.source()?;
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "blob {} has digest {}: the content is corrupt or was tampered with; fetch it again from a source you trust",
            self.expected, self.actual
        )
    }
}

impl std::error::Error for Mismatch {}

/// Wraps a blob stream and hashes every byte that passes through. At end of stream it compares
/// the hash (and the size, when one is given) with what was promised and, if they differ,
/// fails that final `read` with an [`io::ErrorKind::InvalidData`] error carrying a
/// [`Mismatch`]. Reading more bytes than `expected_size` fails as soon as it happens, so a
/// hostile server cannot stream forever.
///
/// Consumers that may stop before the end (a tar reader stops at the end-of-archive blocks)
/// must call [`VerifyingReader::finish`] (or read to EOF) for the check to happen.
pub struct VerifyingReader<R> {
    inner: R,
    hasher: Option<Hasher>,
    expected: Digest,
    expected_size: Option<u64>,
    read: u64,
}

impl<R: Read> VerifyingReader<R> {
    /// `expected` is the `algorithm:hex` digest the bytes must hash to; an unsupported or
    /// malformed digest is refused here (the message explains why), before any byte is read.
    pub fn new(
        inner: R,
        expected: &str,
        expected_size: Option<u64>,
    ) -> Result<VerifyingReader<R>, String> {
        let expected = Digest::parse(expected)?;
        Ok(VerifyingReader {
            inner,
            hasher: Some(Hasher::new(expected.algorithm)),
            expected,
            expected_size,
            read: 0,
        })
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// Reads (and discards) whatever is left, then verifies. Returns the inner reader.
    pub fn finish(mut self) -> io::Result<R> {
        io::copy(&mut self, &mut io::sink())?;
        Ok(self.inner)
    }

    fn mismatch(&self, actual: String) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            Mismatch {
                expected: self.expected.to_string(),
                actual,
            },
        )
    }
}

impl<R: Read> Read for VerifyingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let Some(hasher) = self.hasher.as_mut() else {
            // Verified already: stay at EOF.
            return Ok(0);
        };
        let n = self.inner.read(buf)?;
        if n > 0 {
            hasher.update(&buf[..n]);
            self.read += n as u64;
            if let Some(size) = self.expected_size.filter(|&size| self.read > size) {
                self.hasher = None;
                return Err(self.mismatch(format!(
                    "more than the {size} bytes its descriptor declares"
                )));
            }
            return Ok(n);
        }
        let actual = self.hasher.take().expect("checked above").finish();
        if let Some(size) = self.expected_size.filter(|&size| self.read != size) {
            return Err(self.mismatch(format!(
                "{} bytes instead of the {size} its descriptor declares",
                self.read
            )));
        }
        if actual != self.expected {
            return Err(self.mismatch(actual.to_string()));
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO_SHA256: &str =
        "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    #[test]
    fn digests_of_known_content() {
        assert_eq!(sha256_digest(b"hello"), HELLO_SHA256);
        assert!(Digest::parse(HELLO_SHA256).unwrap().matches(b"hello"));
        assert!(!Digest::parse(HELLO_SHA256).unwrap().matches(b"hellO"));
        let sha512 = Digest::of(Algorithm::Sha512, b"");
        assert!(sha512.hex.starts_with("cf83e1357eefb8bd"));
        assert_eq!(Digest::parse(&sha512.to_string()), Ok(sha512));
    }

    #[test]
    fn malformed_digests_are_refused_with_a_reason() {
        assert!(Digest::parse("abc").unwrap_err().contains("not a digest"));
        assert!(Digest::parse("md5:abc")
            .unwrap_err()
            .contains("unsupported"));
        assert!(Digest::parse("sha256:abc").unwrap_err().contains("64"));
        let upper = HELLO_SHA256
            .to_ascii_uppercase()
            .replace("SHA256", "sha256");
        assert!(Digest::parse(&upper).is_err());
        assert!(VerifyingReader::new(&b""[..], "sha1:00", None).is_err());
    }

    #[test]
    fn matching_content_reads_through() {
        let mut reader = VerifyingReader::new(&b"hello"[..], HELLO_SHA256, Some(5)).unwrap();
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"hello");
        assert_eq!(reader.bytes_read(), 5);
        // Reads after the check stay at EOF.
        assert_eq!(reader.read(&mut [0; 4]).unwrap(), 0);
    }

    #[test]
    fn a_mismatch_fails_at_the_end_with_invalid_data() {
        let mut reader = VerifyingReader::new(&b"hellO"[..], HELLO_SHA256, None).unwrap();
        let mut out = Vec::new();
        let error = reader.read_to_end(&mut out).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        let mismatch = Mismatch::from_io(&error).expect("carries a Mismatch");
        assert_eq!(mismatch.expected, HELLO_SHA256);
        assert_eq!(mismatch.actual, sha256_digest(b"hellO"));
        assert!(error.to_string().contains("tampered"));
        // The mismatch survives being wrapped by another reader's error.
        let wrapped = io::Error::other(error);
        assert!(Mismatch::from_io(&wrapped).is_some());
    }

    #[test]
    fn sizes_are_enforced() {
        let mut reader = VerifyingReader::new(&b"hello"[..], HELLO_SHA256, Some(4)).unwrap();
        let error = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(Mismatch::from_io(&error)
            .unwrap()
            .actual
            .contains("more than"));
        let mut reader = VerifyingReader::new(&b"hello"[..], HELLO_SHA256, Some(6)).unwrap();
        let error = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(Mismatch::from_io(&error)
            .unwrap()
            .actual
            .contains("5 bytes instead"));
    }

    #[test]
    fn finish_drains_and_verifies() {
        let mut reader = VerifyingReader::new(&b"hello"[..], HELLO_SHA256, None).unwrap();
        let mut first = [0u8; 2];
        reader.read_exact(&mut first).unwrap();
        assert!(reader.finish().is_ok());
        let reader = VerifyingReader::new(&b"hello!"[..], HELLO_SHA256, None).unwrap();
        assert!(reader.finish().is_err());
    }
}
