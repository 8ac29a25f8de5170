//! `verify`: re-hashes every file of a bundle (a folder or a zip) against its manifest and
//! reports what changed, went missing or was added.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::{self, Manifest, hex};
use super::paths::is_safe_relative;
use crate::store::limits::{BUNDLE_ENTRIES, MANIFEST, ZIP_BUNDLE};

/// Bundles are two levels deep; this leaves room and stops a hostile tree.
const MAX_DEPTH: usize = 16;

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
}

/// The bundle at `path` cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct Unreadable {
    pub path: PathBuf,
    pub message: String,
}

/// What a bundle holds, folder or zip alike.
trait Bundle {
    /// Every file's path, `/`-separated, with whether it is a regular file.
    fn entries(&mut self) -> Vec<(String, bool)>;
    /// Reads up to `limit` bytes of `path` into `sink`.
    fn read(&mut self, path: &str, limit: u64, sink: &mut dyn io::Write) -> io::Result<u64>;
}

pub fn verify(path: &Path) -> Result<Report, Unreadable> {
    let unreadable = |message: String| Unreadable {
        path: path.to_path_buf(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if meta.is_dir() {
        Ok(check(&mut Folder(path.to_path_buf())))
    } else {
        if meta.len() > ZIP_BUNDLE.bytes {
            return Err(unreadable(ZIP_BUNDLE.exceeded().to_string()));
        }
        let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
        let archive = zip::ZipArchive::new(io::BufReader::new(file))
            .map_err(|e| unreadable(format!("neither a folder nor a zip archive: {e}")))?;
        Ok(check(&mut Zip(archive)))
    }
}

fn check(bundle: &mut dyn Bundle) -> Report {
    let mut report = Report::default();
    let mut present: BTreeMap<String, bool> = BTreeMap::new();
    let entries = bundle.entries();
    if entries.len() > BUNDLE_ENTRIES {
        report.problems.push(format!(
            "more than {BUNDLE_ENTRIES} files, the most a bundle may hold"
        ));
        return report;
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
            return report;
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
    report
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

struct Folder(PathBuf);

impl Folder {
    fn walk(&self, dir: &Path, prefix: &str, depth: usize, out: &mut Vec<(String, bool)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            // One past the limit is enough for `check` to refuse the bundle.
            if out.len() > BUNDLE_ENTRIES {
                return;
            }
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            match entry.file_type() {
                Ok(t) if t.is_dir() && depth < MAX_DEPTH => {
                    self.walk(&entry.path(), &format!("{name}/"), depth + 1, out)
                }
                Ok(t) => out.push((name, t.is_file())),
                Err(_) => out.push((name, false)),
            }
        }
    }
}

impl Bundle for Folder {
    fn entries(&mut self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        self.walk(&self.0, "", 0, &mut out);
        out
    }

    fn read(&mut self, path: &str, limit: u64, sink: &mut dyn io::Write) -> io::Result<u64> {
        // Only called for paths the walk found as regular files, so no link is followed.
        io::copy(&mut File::open(self.0.join(path))?.take(limit), sink)
    }
}

struct Zip(zip::ZipArchive<io::BufReader<File>>);

impl Bundle for Zip {
    fn entries(&mut self) -> Vec<(String, bool)> {
        (0..self.0.len().min(BUNDLE_ENTRIES + 1))
            .filter_map(|i| {
                let file = self.0.by_index_raw(i).ok()?;
                let name = file.name().to_string();
                (!file.is_dir()).then(|| (name, !file.is_symlink()))
            })
            .collect()
    }

    fn read(&mut self, path: &str, limit: u64, sink: &mut dyn io::Write) -> io::Result<u64> {
        let file = self.0.by_name(path).map_err(io::Error::other)?;
        io::copy(&mut file.take(limit), sink)
    }
}
