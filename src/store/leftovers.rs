//! Files a killed program leaves behind: a save's temporary file, an export's staging folder.
//! None of them is ever in the way (the loader reads only `*.ron` files, an export only writes
//! at its own path), and each is removed by a later run once no running program can own it.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, SystemTime};

use super::save::TEMP_PREFIX;

/// A save takes milliseconds; a temporary file this old belongs to a save that was killed.
const STALE_SAVE: Duration = Duration::from_secs(3600);

/// Folders already cleaned by this program, so a `fmt` of a thousand files lists its folder once.
static CLEANED: LazyLock<Mutex<HashSet<PathBuf>>> = LazyLock::new(Default::default);

/// Removes the temporary files of saves that were killed (older than an hour) from `dir`,
/// once per folder and program.
pub fn clean_save_temps(dir: &Path) {
    if let Ok(mut cleaned) = CLEANED.lock()
        && !cleaned.insert(dir.to_path_buf())
    {
        return;
    }
    let now = SystemTime::now();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // `.atomicwrite*` folders are what saves of earlier versions left.
        let ours = (name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp"))
            || name.starts_with(".atomicwrite");
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_SAVE);
        if ours && old {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// A claim on the staging files named `<stem>*` in a folder: the file `<stem>.lock`, locked for
/// as long as its owner runs (the system unlocks it when the owner ends, even when killed).
pub struct Claim {
    file: Option<File>,
    lock_path: PathBuf,
    stem: PathBuf,
}

impl Claim {
    /// Claims a fresh name `<prefix>XXXXXX` in `dir`, after removing what killed owners of
    /// earlier claims there left.
    pub fn new(dir: &Path, prefix: &str) -> std::io::Result<Claim> {
        clean_unclaimed(dir, prefix);
        let (file, lock_path) = tempfile::Builder::new()
            .prefix(prefix)
            .suffix(".lock")
            .tempfile_in(dir)?
            .keep()
            .map_err(|e| e.error)?;
        file.lock()?;
        let stem = stem_of(&lock_path);
        Ok(Claim {
            file: Some(file),
            lock_path,
            stem,
        })
    }

    /// `<dir>/<prefix>XXXXXX`: the staging files are this path, or it with a suffix.
    pub fn stem(&self) -> &Path {
        &self.stem
    }

    /// The file name of [`Claim::stem`].
    pub fn name(&self) -> std::ffi::OsString {
        self.stem
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default()
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.lock_path);
        drop(self.file.take());
    }
}

fn stem_of(lock_path: &Path) -> PathBuf {
    lock_path.with_extension("")
}

/// Removes, for every `<prefix>*.lock` in `dir` that nobody holds, the files and folders
/// `<stem>` and `<stem>.*` it claimed, then the lock file.
pub fn clean_unclaimed(dir: &Path, prefix: &str) {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    for lock_path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "lock"))
    {
        let Ok(file) = File::open(lock_path) else {
            continue;
        };
        if file.try_lock().is_err() {
            continue; // its owner is running
        }
        let stem = stem_of(lock_path);
        let stem_name = stem.file_name().map(|n| n.to_string_lossy().into_owned());
        for path in &entries {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let claimed = match (&name, &stem_name) {
                (Some(n), Some(s)) => {
                    n == s || (n.starts_with(&format!("{s}.")) && path != lock_path)
                }
                _ => false,
            };
            if claimed {
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(path)
                } else {
                    std::fs::remove_file(path)
                };
            }
        }
        let _ = std::fs::remove_file(lock_path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_what_no_running_owner_holds() {
        let dir = tempfile::tempdir().unwrap();
        let running = Claim::new(dir.path(), ".x-").unwrap();
        std::fs::create_dir(running.stem()).unwrap();
        // A claim whose owner was killed: the lock file is there, but nobody holds it.
        let dead = dir.path().join(".x-dead");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("half.html"), "<p").unwrap();
        std::fs::write(dir.path().join(".x-dead.zip"), "PK").unwrap();
        std::fs::write(dir.path().join(".x-dead.lock"), "").unwrap();
        clean_unclaimed(dir.path(), ".x-");
        assert!(running.stem().is_dir());
        assert!(!dead.exists());
        assert!(!dir.path().join(".x-dead.zip").exists());
        assert!(!dir.path().join(".x-dead.lock").exists());
        let lock = running.stem().with_extension("lock");
        drop(running);
        assert!(!lock.exists());
    }
}
