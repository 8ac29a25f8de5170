//! `verify`: re-hashes every file of a bundle (a folder or a zip) against its manifest and
//! reports what changed, went missing or was added.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::{self, Manifest, hex};
use super::paths::is_safe_relative;
use super::reader::{self, Bundle};
use crate::store::limits::{BUNDLE_ENTRIES, MANIFEST};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files the manifest lists.
    pub listed: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub added: Vec<String>,
    /// What makes the bundle unverifiable: no manifest, an unreadable one, a path that leaves
    /// the bundle, a name listed twice.
    pub problems: Vec<String>,
    /// The manifest's `generated_at`.
    pub generated_at: Option<String>,
}

impl Report {
    pub fn matches(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.added.is_empty()
            && self.problems.is_empty()
    }

    /// The files that differ from the manifest, by how: changed, missing, added.
    pub fn differences(&self) -> [(&'static str, &[String]); 3] {
        [
            ("changed", &self.changed),
            ("missing", &self.missing),
            ("added", &self.added),
        ]
    }
}

/// The bundle at `path` cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct Unreadable {
    pub path: PathBuf,
    pub message: String,
}

pub fn verify(path: &Path) -> Result<Report, Unreadable> {
    Ok(check(reader::open(path)?.as_mut()))
}

/// Verifies an opened bundle against its manifest.
pub(crate) fn check(bundle: &mut dyn Bundle) -> Report {
    check_with_manifest(bundle).0
}

/// [`check`], with the manifest it read (none when it could not be read) for callers that go
/// on to read the bundle's files.
pub(crate) fn check_with_manifest(bundle: &mut dyn Bundle) -> (Report, Option<Manifest>) {
    let mut report = Report::default();
    let mut present: BTreeMap<String, bool> = BTreeMap::new();
    let entries = bundle.entries();
    if entries.len() > BUNDLE_ENTRIES {
        report.problems.push(format!(
            "more than {BUNDLE_ENTRIES} files, the most a bundle may hold"
        ));
        return (report, None);
    }
    for (name, regular) in entries {
        if present.insert(name.clone(), regular).is_some() {
            report
                .problems
                .push(format!("{name} is in the bundle twice"));
        }
    }
    let manifest = match present.get(manifest::FILE) {
        Some(true) => read_manifest(bundle),
        _ => Err(format!("no {}", manifest::FILE)),
    };
    let manifest = match manifest {
        Ok(m) => m,
        Err(e) => {
            report.problems.push(e);
            return (report, None);
        }
    };
    report.generated_at = Some(manifest.generated_at.clone());
    report.listed = manifest.files.len();
    let mut listed = BTreeSet::new();
    for entry in &manifest.files {
        if !listed.insert(entry.path.as_str()) {
            report
                .problems
                .push(format!("{} is listed twice in the manifest", entry.path));
            continue;
        }
        if !is_safe_relative(&entry.path) || entry.path == manifest::FILE {
            report.problems.push(format!(
                "the manifest lists {:?}, which is not a file of the bundle",
                entry.path
            ));
            continue;
        }
        match present.get(&entry.path) {
            None => report.missing.push(entry.path.clone()),
            Some(false) => report.changed.push(entry.path.clone()),
            Some(true) => {
                let mut hasher = Hasher::default();
                // One byte past the listed size is enough to know the file differs.
                let same = bundle
                    .read(&entry.path, entry.bytes.saturating_add(1), &mut hasher)
                    .is_ok_and(|n| n == entry.bytes)
                    && hex(&hasher.0.finalize()) == entry.sha256.to_ascii_lowercase();
                if !same {
                    report.changed.push(entry.path.clone());
                }
            }
        }
    }
    report.added = present
        .keys()
        .filter(|p| p.as_str() != manifest::FILE && !listed.contains(p.as_str()))
        .cloned()
        .collect();
    (report, Some(manifest))
}

fn read_manifest(bundle: &mut dyn Bundle) -> Result<Manifest, String> {
    let mut bytes = Vec::new();
    bundle
        .read(manifest::FILE, MANIFEST.bytes + 1, &mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", manifest::FILE))?;
    if bytes.len() as u64 > MANIFEST.bytes {
        return Err(format!("{}: {}", manifest::FILE, MANIFEST.exceeded()));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}:{}:{}: not a bundle manifest: {e}",
            manifest::FILE,
            e.line(),
            e.column()
        )
    })
}

#[derive(Default)]
struct Hasher(Sha256);

impl io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
