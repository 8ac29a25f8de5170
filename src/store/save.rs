//! Saving a site file without ever leaving half of one, and without overwriting another
//! program's change unseen.

use std::io::Write;
use std::path::Path;

use atomicwrites::{AtomicFile, OverwriteBehavior};

use super::format;
use super::load::{SiteFile, hash_bytes};
use crate::model::Site;

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file on disk is no longer the one that was loaded.
    #[error("{path} was changed by another program since it was loaded")]
    Conflict { path: String, on_disk: String },
    #[error("cannot save {path}: {message}")]
    Io { path: String, message: String },
}

/// The bytes a site is saved as; loading and saving an unchanged site gives the same bytes.
pub fn site_text(site: &Site) -> Result<String, String> {
    format::to_text(site)
}

/// Writes `file.site` to `file.path`: a temporary file in the same folder, synced, renamed over
/// the original, then the folder synced. Refuses when the file on disk changed since it was
/// loaded, unless `overwrite` is set (the user chose "keep mine"). On success `file` records the
/// new contents.
pub fn save_site(file: &mut SiteFile, overwrite: bool) -> Result<(), SaveError> {
    let path_text = file.path.display().to_string();
    if !overwrite && let Some(on_disk) = changed_on_disk(file) {
        return Err(SaveError::Conflict {
            path: path_text,
            on_disk,
        });
    }
    let text = site_text(&file.site).map_err(|message| SaveError::Io {
        path: path_text.clone(),
        message,
    })?;
    write_atomically(&file.path, text.as_bytes()).map_err(|e| SaveError::Io {
        path: path_text,
        message: e.to_string(),
    })?;
    file.disk_hash = hash_bytes(text.as_bytes());
    file.modified = std::fs::metadata(&file.path)
        .and_then(|m| m.modified())
        .ok();
    Ok(())
}

/// What is on disk now, when it differs from what was loaded (a deleted file counts as changed,
/// with empty contents).
pub fn changed_on_disk(file: &SiteFile) -> Option<String> {
    match std::fs::read(&file.path) {
        Ok(bytes) if hash_bytes(&bytes) == file.disk_hash => None,
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(String::new()),
        Err(e) => Some(format!("(cannot read the file: {e})")),
    }
}

/// Replaces `path` with `bytes` all at once: temp file, fsync, rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, bytes, OverwriteBehavior::AllowOverwrite)
}

/// Like [`write_atomically`], for a new file: fails with `AlreadyExists` rather than replace a
/// file that appeared meanwhile.
pub fn write_new_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, bytes, OverwriteBehavior::DisallowOverwrite)
}

fn write_with(path: &Path, bytes: &[u8], overwrite: OverwriteBehavior) -> std::io::Result<()> {
    AtomicFile::new(path, overwrite)
        .write(|f| f.write_all(bytes))
        .map_err(|e| match e {
            atomicwrites::Error::Internal(e) | atomicwrites::Error::User(e) => e,
        })
}
