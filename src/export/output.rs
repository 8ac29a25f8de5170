//! Writing a bundle so that the output path only ever holds a complete one: files go to a
//! staging folder beside the output (same filesystem), and one rename puts the result in place.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use time::OffsetDateTime;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::manifest::{self, FileEntry, Manifest};
use super::{ExportError, Options, paths};
use crate::store::leftovers::Claim;

/// A bundle being built; dropped before `finish`, it removes itself.
pub struct Staging {
    dir: TempDir,
    out: PathBuf,
    /// Dropped last: while it is held, no other export removes the staging files.
    claim: Claim,
}

/// Staging files start with this; [`Claim`] lets a later export remove those of a killed one.
pub const STAGING_PREFIX: &str = ".policydesk-export-";

/// Whether `out` holds something an export must not replace without `--force`: a non-empty
/// folder, a non-empty file, or a link.
pub fn occupied(out: &Path) -> bool {
    match std::fs::symlink_metadata(out) {
        Err(_) => false,
        Ok(m) if m.is_dir() => std::fs::read_dir(out).map_or(true, |mut d| d.next().is_some()),
        Ok(m) if m.is_file() => m.len() > 0,
        Ok(_) => true,
    }
}

fn parent_of(out: &Path) -> &Path {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl Staging {
    pub fn new(out: &Path) -> Result<Self, ExportError> {
        let parent = parent_of(out);
        std::fs::create_dir_all(parent).map_err(|e| ExportError::io(parent, e))?;
        let claim = Claim::new(parent, STAGING_PREFIX).map_err(|e| ExportError::io(parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(&claim.name())
            .rand_bytes(0)
            .tempdir_in(parent)
            .map_err(|e| ExportError::io(parent, e))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            claim,
        })
    }

    /// Writes one file of the bundle (its folder created as needed) and returns its manifest
    /// entry. Safe to call from several threads.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<FileEntry, ExportError> {
        let path = paths::inside(self.dir.path(), rel)?;
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| ExportError::io(folder, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| ExportError::io(&path, e))?;
        Ok(FileEntry::of(rel, bytes))
    }

    /// Puts the bundle at the output path: the folder itself, or a zip of it. An existing output
    /// is replaced only with `force`, and only now that the new bundle is complete.
    pub fn finish(self, manifest: &Manifest, options: &Options) -> Result<(), ExportError> {
        if !options.force && occupied(&self.out) {
            return Err(ExportError::OutputExists(self.out.clone()));
        }
        if options.zip {
            let zip = self.write_zip(manifest, options.generated_at)?;
            readable_by_all(&zip, 0o644)?;
            replace(&zip, &self.out, &self.claim)?;
            // Renamed into place: nothing left to remove.
            let _ = zip.keep();
        } else {
            let staged = self.dir.path().to_path_buf();
            readable_by_all(&staged, 0o755)?;
            sync_staged(&staged)?;
            replace(&staged, &self.out, &self.claim)?;
            let _ = self.dir.keep();
        }
        sync_folder(parent_of(&self.out));
        Ok(())
    }

    /// A zip of the staged files beside the output: entries in path order (manifest last, as it
    /// sorts), all dated `time`, mode 644, so the same input gives the same bytes.
    fn write_zip(
        &self,
        manifest: &Manifest,
        time: OffsetDateTime,
    ) -> Result<tempfile::TempPath, ExportError> {
        let parent = parent_of(&self.out);
        let temp = tempfile::Builder::new()
            .prefix(&self.claim.name())
            .rand_bytes(0)
            .suffix(".zip")
            .tempfile_in(parent)
            .map_err(|e| ExportError::io(parent, e))?;
        let (file, temp_path) = temp.into_parts();
        let fail = |e: &dyn std::fmt::Display| ExportError::io(&temp_path, e);
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(zip_time(time))
            .unix_permissions(0o644);
        let mut names: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
        names.push(manifest::FILE);
        names.sort_unstable();
        let mut zip = ZipWriter::new(BufWriter::new(file));
        for name in names {
            let source = paths::inside(self.dir.path(), name)?;
            let mut reader = File::open(&source).map_err(|e| ExportError::io(&source, e))?;
            zip.start_file(name, options).map_err(|e| fail(&e))?;
            std::io::copy(&mut reader, &mut zip).map_err(|e| fail(&e))?;
        }
        let mut writer = zip.finish().map_err(|e| fail(&e))?;
        writer.flush().map_err(|e| fail(&e))?;
        let file = writer.into_inner().map_err(|e| fail(&e.into_error()))?;
        file.sync_all().map_err(|e| fail(&e))?;
        Ok(temp_path)
    }
}

/// Temporary files and folders are private (0600/0700); a published bundle is not.
fn readable_by_all(path: &Path, mode: u32) -> Result<(), ExportError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| ExportError::io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// The zip (MS-DOS) form of `time`, clamped to the years a zip can hold.
fn zip_time(time: OffsetDateTime) -> zip::DateTime {
    let t = time.to_offset(time::UtcOffset::UTC);
    let year = t.year().clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(
        year,
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
    .unwrap_or_default()
}

/// Flushes the staged bundle to disk before it is renamed into place, so that after a power cut
/// the output path holds the whole bundle or nothing new. One `syncfs` flushes every staged file
/// at once, where an fsync a file would cost seconds for a thousand sites.
fn sync_staged(dir: &Path) -> Result<(), ExportError> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let folder = std::fs::File::open(dir).map_err(|e| ExportError::io(dir, e))?;
        // SAFETY: syncfs only reads the descriptor, which `folder` keeps open for the call.
        if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
            return Err(ExportError::io(dir, std::io::Error::last_os_error()));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    Ok(())
}

/// Makes a rename in `dir` durable; a failure here loses nothing already written.
fn sync_folder(dir: &Path) {
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
}

/// Moves `new` to `out`. Whatever `out` held is moved aside first and removed only once `new`
/// stands in its place; if the move fails, it is put back.
fn replace(new: &Path, out: &Path, claim: &Claim) -> Result<(), ExportError> {
    let existing = std::fs::symlink_metadata(out).ok();
    match existing {
        None => std::fs::rename(new, out).map_err(|e| ExportError::io(out, e)),
        // A file over a file: one rename replaces it atomically.
        Some(m) if m.is_file() && new.is_file() => {
            std::fs::rename(new, out).map_err(|e| ExportError::io(out, e))
        }
        Some(_) => {
            let parent = parent_of(out);
            // Under the export's claim, so what a killed export moved aside is removed later.
            let mut name = claim.name();
            name.push(".replaced");
            let aside = tempfile::Builder::new()
                .prefix(&name)
                .rand_bytes(0)
                .tempdir_in(parent)
                .map_err(|e| ExportError::io(parent, e))?;
            let old = aside.path().join("old");
            std::fs::rename(out, &old).map_err(|e| ExportError::io(out, e))?;
            if let Err(e) = std::fs::rename(new, out) {
                let _ = std::fs::rename(&old, out);
                return Err(ExportError::io(out, e));
            }
            // Dropping `aside` removes the old output.
            drop(aside);
            Ok(())
        }
    }
}
