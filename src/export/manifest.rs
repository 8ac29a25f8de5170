//! `manifest.json`: every file of a bundle but itself, with its size and SHA-256.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::timestamp::rfc3339;

pub const FILE: &str = "manifest.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the bundle root, `/`-separated.
    pub path: String,
    pub bytes: u64,
    /// Lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
}

impl FileEntry {
    pub fn of(path: &str, bytes: &[u8]) -> Self {
        FileEntry {
            path: path.to_string(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// RFC 3339, UTC.
    pub generated_at: String,
    /// Sorted by path.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    pub fn new(generated_at: OffsetDateTime, files: Vec<FileEntry>) -> Self {
        Manifest {
            tool: crate::TOOL.to_string(),
            version: crate::VERSION.to_string(),
            generated_at: rfc3339(generated_at),
            files,
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        super::bundle::pretty_json(self)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
