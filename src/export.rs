//! Policy bundles: what a compliance team publishes and files as evidence.
//!
//! `export` writes, for chosen sites, every language of every policy (HTML, Markdown, text), the
//! resolved cookie declarations (CSV, JSON), consent-manager configurations and the TCF device
//! storage disclosure, the site file as saved, its check findings and its last audit, with an `index.html` and a `manifest.json` of SHA-256 hashes that `verify` checks.
//! The bundle is built in a staging folder beside the output and moved into place at the end, so
//! a failure or an interruption never leaves half a bundle at the output path.

pub mod audit_page;
pub mod bundle;
pub mod consent;
pub mod cookies;
pub mod device_storage;
pub mod index;
pub mod manifest;
pub mod output;
pub mod page;
pub mod paths;
pub mod reader;
pub mod verify;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use time::OffsetDateTime;

use crate::store::{Workspace, is_safe_id};
use bundle::SiteSummary;
use manifest::{FileEntry, Manifest};

pub use verify::{Report, verify};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0:?} is not a safe site id: use letters, digits, '.', '-' and '_'")]
    UnsafeId(String),
    #[error("the bundle path {0:?} would leave the output folder")]
    UnsafePath(String),
    #[error("no site {0:?} is loaded")]
    UnknownSite(String),
    #[error("no site to export")]
    NothingToExport,
    #[error("{} already exists and is not empty (use --force to replace it)", .0.display())]
    OutputExists(PathBuf),
    #[error("{}: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("{}: {message}", path.display())]
    Audit { path: PathBuf, message: String },
    #[error("{} changed on disk since it was loaded; reload before exporting", .0.display())]
    SiteChanged(PathBuf),
    #[error("SOURCE_DATE_EPOCH={0:?} is not a number of seconds since 1970")]
    BadSourceDateEpoch(String),
    #[error("the export was cancelled")]
    Cancelled,
}

impl ExportError {
    pub(crate) fn io(path: &Path, e: impl std::fmt::Display) -> Self {
        ExportError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}

/// How to export.
#[derive(Clone, Debug)]
pub struct Options {
    /// Write one zip file at the output path instead of a folder.
    pub zip: bool,
    /// Replace an existing non-empty output (only once the new bundle is complete).
    pub force: bool,
    /// The time written into the manifest, the index and the zip entries.
    pub generated_at: OffsetDateTime,
    /// Set it from another thread to stop the export; nothing is left at the output path.
    pub cancel: Option<crate::cancel::Cancel>,
    /// Files at the top of the bundle besides the sites' (`CHANGES.md` and `changes.json` of
    /// `export --previous`), listed in the manifest like the rest.
    pub extra_files: Vec<bundle::BundleFile>,
}

impl Options {
    /// Options dated now, or at `SOURCE_DATE_EPOCH` when it is set (reproducible bundles).
    pub fn new(zip: bool, force: bool) -> Result<Self, ExportError> {
        Ok(Options {
            zip,
            force,
            generated_at: generation_time(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?,
            cancel: None,
            extra_files: Vec::new(),
        })
    }

    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.is_cancelled())
    }
}

/// `SOURCE_DATE_EPOCH` when given, else now; whole seconds, UTC.
pub fn generation_time(source_date_epoch: Option<&str>) -> Result<OffsetDateTime, ExportError> {
    let time = match source_date_epoch.map(str::trim) {
        Some(text) => text
            .parse::<i64>()
            .ok()
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .ok_or_else(|| ExportError::BadSourceDateEpoch(text.to_string()))?,
        None => OffsetDateTime::now_utc(),
    };
    Ok(time.replace_nanosecond(0).unwrap_or(time))
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub out: PathBuf,
    pub sites: usize,
    /// Files listed in the manifest (every file but the manifest itself).
    pub files: usize,
    pub bytes: u64,
}

/// Exports the sites `ids` of `ws` to `out` (a folder, or a zip file with `options.zip`).
/// `progress(done, total)` is called on the calling thread after each site, so an app can call
/// this from a worker thread and forward progress to its UI.
pub fn export(
    ws: &Workspace,
    ids: &[String],
    out: &Path,
    options: &Options,
    progress: &dyn Fn(usize, usize),
) -> Result<Exported, ExportError> {
    let mut sites = Vec::with_capacity(ids.len());
    for id in ids {
        if !is_safe_id(id) {
            return Err(ExportError::UnsafeId(id.clone()));
        }
        let file = ws
            .site(id)
            .ok_or_else(|| ExportError::UnknownSite(id.clone()))?;
        if !sites
            .iter()
            .any(|s: &&crate::store::SiteFile| s.site.id == *id)
        {
            sites.push(file);
        }
    }
    if sites.is_empty() {
        return Err(ExportError::NothingToExport);
    }
    sites.sort_by(|a, b| a.site.id.cmp(&b.site.id));
    // Refuse early, before any work; `output::Staging::finish` checks again at the end.
    if !options.force && output::occupied(out) {
        return Err(ExportError::OutputExists(out.to_path_buf()));
    }
    let staging = output::Staging::new(out)?;
    let total = sites.len();
    progress(0, total);

    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<Result<(usize, SiteSummary, Vec<FileEntry>), ExportError>>();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut results: Vec<Option<(SiteSummary, Vec<FileEntry>)>> = vec![None; total];
    let mut failure = None;
    // Checked against the folder's own knowledge (team catalog, platforms), as `check` does.
    let knowledge = &crate::knowledge::Knowledge::for_workspace(ws);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(total) {
            let tx = tx.clone();
            let (next, stop, sites, staging) = (&next, &stop, &sites, &staging);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= sites.len() || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let result =
                        bundle::site_files(ws, knowledge, sites[i]).and_then(|(summary, files)| {
                            let entries = files
                                .into_iter()
                                .map(|(path, bytes)| staging.put(&path, &bytes))
                                .collect::<Result<Vec<_>, _>>()?;
                            Ok((i, summary, entries))
                        });
                    if tx.send(result).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (done, result) in rx.iter().enumerate() {
            match result {
                Ok((i, summary, entries)) => results[i] = Some((summary, entries)),
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    failure.get_or_insert(e);
                }
            }
            if options.cancelled() {
                stop.store(true, Ordering::Relaxed);
                failure.get_or_insert(ExportError::Cancelled);
            }
            progress(done + 1, total);
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let (summaries, mut files): (Vec<SiteSummary>, Vec<Vec<FileEntry>>) =
        results.into_iter().flatten().unzip();
    let mut files: Vec<FileEntry> = files.drain(..).flatten().collect();
    files.push(staging.put(
        index::FILE,
        index::render(&summaries, options.generated_at).as_bytes(),
    )?);
    for (path, bytes) in &options.extra_files {
        files.push(staging.put(path, bytes)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest::new(options.generated_at, files);
    staging.put(manifest::FILE, &manifest.to_json())?;
    if options.cancelled() {
        return Err(ExportError::Cancelled);
    }
    let exported = Exported {
        out: out.to_path_buf(),
        sites: summaries.len(),
        files: manifest.files.len(),
        bytes: manifest.files.iter().map(|f| f.bytes).sum(),
    };
    staging.finish(&manifest, options)?;
    Ok(exported)
}
