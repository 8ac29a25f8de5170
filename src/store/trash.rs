//! Deleting a site file without losing it: it moves into the sites folder's trash.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::TRASH_DIR;

/// Moves `path` into `dir/.trash/`, named `<file name>.<unix seconds>` so that deleting a site
/// twice keeps both versions. Returns where it went.
pub fn move_to_trash(dir: &Path, path: &Path) -> std::io::Result<PathBuf> {
    let trash = dir.join(TRASH_DIR);
    std::fs::create_dir_all(&trash)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site.ron".into());
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut target = trash.join(format!("{name}.{stamp}"));
    let mut n = 1;
    while target.exists() {
        target = trash.join(format!("{name}.{stamp}-{n}"));
        n += 1;
    }
    // Same folder tree, so a rename: atomic, and the file is never half-moved.
    std::fs::rename(path, &target)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_deleted_version() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ron");
        std::fs::write(&file, "one").unwrap();
        let first = move_to_trash(dir.path(), &file).unwrap();
        std::fs::write(&file, "two").unwrap();
        let second = move_to_trash(dir.path(), &file).unwrap();
        assert!(!file.exists());
        assert_ne!(first, second);
        assert_eq!(std::fs::read_to_string(first).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(second).unwrap(), "two");
    }
}
