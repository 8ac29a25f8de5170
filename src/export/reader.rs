//! Reading a bundle, folder or zip alike: its file list and capped reads of its files. `verify`
//! and `changes` (which reads two bundles' sites) share it.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::verify::Unreadable;
use crate::store::limits::{BUNDLE_ENTRIES, Limit, ZIP_BUNDLE};

/// Bundles are two levels deep; this leaves room and stops a hostile tree.
const MAX_DEPTH: usize = 16;

/// What a bundle holds, folder or zip alike.
pub trait Bundle {
    /// Every file's path, `/`-separated, with whether it is a regular file.
    fn entries(&mut self) -> Vec<(String, bool)>;
    /// Reads up to `limit` bytes of `path` into `sink`.
    fn read(&mut self, path: &str, limit: u64, sink: &mut dyn io::Write) -> io::Result<u64>;
}

impl dyn Bundle + '_ {
    /// The bytes of `path`, or an error naming the file and the limit when it holds more.
    pub fn read_capped(&mut self, path: &str, limit: Limit) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.read(path, limit.bytes.saturating_add(1), &mut bytes)?;
        if bytes.len() as u64 > limit.bytes {
            return Err(limit.exceeded());
        }
        Ok(bytes)
    }
}

/// The bundle at `path`: a folder, or else a zip file (at most [`ZIP_BUNDLE`]).
pub fn open(path: &Path) -> Result<Box<dyn Bundle>, Unreadable> {
    let unreadable = |message: String| Unreadable {
        path: path.to_path_buf(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if meta.is_dir() {
        Ok(Box::new(Folder(path.to_path_buf())))
    } else {
        if meta.len() > ZIP_BUNDLE.bytes {
            return Err(unreadable(ZIP_BUNDLE.exceeded().to_string()));
        }
        let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
        let archive = zip::ZipArchive::new(io::BufReader::new(file))
            .map_err(|e| unreadable(format!("neither a folder nor a zip archive: {e}")))?;
        Ok(Box::new(Zip(archive)))
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
