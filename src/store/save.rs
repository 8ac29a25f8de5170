//! Saving a site file without ever leaving half of one, without overwriting another program's
//! change unseen, and without dropping the comments a person wrote in it.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use super::format;
use super::load::{SiteFile, hash_bytes};
use super::{comments, limits};
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

/// The canonical text of `site` with the comments of `previous` (the file's text before the
/// save) put back at their places. Refuses, naming the comments, when they cannot all be kept.
pub fn site_text_keeping(site: &Site, previous: &str, path: &Path) -> Result<String, SaveError> {
    let path_text = path.display().to_string();
    let canonical = site_text(site).map_err(|message| SaveError::Io {
        path: path_text.clone(),
        message,
    })?;
    // A refusal is an `Io` error, so every place that shows a failed save shows it.
    let refuse = || SaveError::Io {
        path: path_text.clone(),
        message: format!(
            "saving would lose these comments: {}. Nothing was written; copy them somewhere \
             safe, remove them from the file, and save again",
            comments::comments_of(previous)
                .unwrap_or_default()
                .iter()
                .map(|c| format!("{c:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let kept = comments::keep_comments(previous, &canonical).map_err(|_| refuse())?;
    if kept != canonical {
        // The comments went in between values; make sure they changed nothing else.
        let back: Result<Site, _> = format::parse(&kept);
        if !back.is_ok_and(|mut b| {
            b.id.clone_from(&site.id);
            b == *site
        }) {
            return Err(refuse());
        }
    }
    Ok(kept)
}

/// The file's text on disk and the text saving `site` in its place would write (its comments
/// kept): what a preview of a change to a file shows.
pub fn texts_for(file: &SiteFile, site: &Site) -> Result<(String, String), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", file.path.display());
    let bytes = limits::read_capped(&file.path, limits::SITE_FILE).map_err(|e| fail(&e))?;
    let old = String::from_utf8(bytes).map_err(|e| fail(&e))?;
    let new = site_text_keeping(site, &old, &file.path).map_err(|e| e.to_string())?;
    Ok((old, new))
}

/// Writes `file.site` to `file.path`: a temporary file in the same folder, synced, renamed over
/// the original, then the folder synced. Refuses when the file on disk changed since it was
/// loaded, unless `overwrite` is set (the user chose "keep mine"). On success `file` records the
/// new contents.
pub fn save_site(file: &mut SiteFile, overwrite: bool) -> Result<(), SaveError> {
    save_if_changed(file, overwrite).map(|_| ())
}

/// [`save_site`], writing nothing when the file already holds the bytes it would be saved as;
/// returns whether it wrote. Comments in the file on disk are kept.
pub fn save_if_changed(file: &mut SiteFile, overwrite: bool) -> Result<bool, SaveError> {
    let path_text = file.path.display().to_string();
    let io = |e: std::io::Error| SaveError::Io {
        path: path_text.clone(),
        message: e.to_string(),
    };
    // Two PolicyDesk programs saving the same file take turns, so neither can slip its write in
    // between the other's check and rename.
    let _turn = lock(&file.path).map_err(io)?;
    let on_disk = match limits::read_capped(&file.path, limits::SITE_FILE) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    if !overwrite && on_disk.as_deref().map(hash_bytes) != Some(file.disk_hash) {
        return Err(SaveError::Conflict {
            path: path_text,
            on_disk: on_disk
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default(),
        });
    }
    let previous = on_disk.as_deref().and_then(|b| std::str::from_utf8(b).ok());
    let text = match previous {
        Some(previous) => site_text_keeping(&file.site, previous, &file.path)?,
        None => site_text(&file.site).map_err(|message| SaveError::Io {
            path: path_text.clone(),
            message,
        })?,
    };
    let wrote = on_disk.as_deref() != Some(text.as_bytes());
    if wrote {
        write_atomically(&file.path, text.as_bytes()).map_err(io)?;
    }
    file.disk_hash = hash_bytes(text.as_bytes());
    file.modified = std::fs::metadata(&file.path)
        .and_then(|m| m.modified())
        .ok();
    Ok(wrote)
}

/// What is on disk now, when it differs from what was loaded (a deleted file counts as changed,
/// with empty contents).
pub fn changed_on_disk(file: &SiteFile) -> Option<String> {
    match limits::read_capped(&file.path, limits::SITE_FILE) {
        Ok(bytes) if hash_bytes(&bytes) == file.disk_hash => None,
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(String::new()),
        Err(e) => Some(format!("(cannot read the file: {e})")),
    }
}

/// How long a save waits for another program's save of the same file.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// An exclusive lock on the file at `path` (none when there is no file yet). Held by the
/// returned handle; the system drops it when the program ends, even when it is killed.
fn lock(path: &Path) -> std::io::Result<Option<std::fs::File>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::other(format!(
                    "another program kept the file locked for {} s",
                    LOCK_WAIT.as_secs()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Temporary files of a save start with this; see [`super::leftovers`].
pub const TEMP_PREFIX: &str = ".policydesk-save-";

/// Replaces `path` with `bytes` all at once: temp file, fsync, rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, true, |f| f.write_all(bytes))
}

/// Like [`write_atomically`], for content written piece by piece (a report streamed to its file).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_with(path, true, |f| {
        let mut buffered = std::io::BufWriter::new(f);
        write(&mut buffered)?;
        buffered.flush()
    })
}

/// Like [`write_atomically`], for a new file: fails with `AlreadyExists` rather than replace a
/// file that appeared meanwhile.
pub fn write_new_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, false, |f| f.write_all(bytes))
}

fn write_with(
    path: &Path,
    overwrite: bool,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    super::leftovers::clean_save_temps(dir);
    // A unique name in the same folder: two writers never share a temp file, and the rename
    // stays on one filesystem.
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(".tmp");
    // The saved file keeps the permissions it had (a new one gets rw-r--r--), where a temp
    // file alone would be private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temp = builder.tempfile_in(dir)?;
    write(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    if overwrite {
        temp.persist(path).map_err(|e| e.error)?;
    } else {
        temp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    if let Ok(folder) = std::fs::File::open(dir) {
        folder.sync_all()?;
    }
    Ok(())
}
