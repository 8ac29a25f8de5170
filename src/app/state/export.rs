//! Exporting from the app: which sites go, what to do about unsaved edits, the question asked
//! before exporting and the result shown after.
//!
//! The file dialog only produces an export command carrying the chosen path; everything after
//! it starts from that command, so tests drive the flow without a dialog.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::docs::Docs;
use super::settings::{MAX_COMPARED, Settings};
use crate::changes::Snapshot;
use crate::export::Exported;

/// Which sites an export takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportScope {
    Selected,
    /// The sites ticked for the side-by-side view (two to [`MAX_COMPARED`]).
    Compared,
    All,
}

/// What to do about sites with unsaved edits (the bundle's `site.ron` is the file on disk).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unsaved {
    /// Ask the user when there are any.
    #[default]
    Ask,
    /// Save them (conflicts asked as usual), then export.
    SaveFirst,
    /// Export the versions on disk and keep the edits unsaved.
    UseSaved,
}

/// One export as the user asked for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRequest {
    pub ids: Vec<String>,
    /// The bundle folder, or with `zip` the zip file.
    pub out: PathBuf,
    pub zip: bool,
    pub unsaved: Unsaved,
    /// The user agreed to replace what is at `out`.
    pub replace: bool,
}

impl ExportRequest {
    pub fn new(ids: Vec<String>, out: PathBuf, zip: bool) -> Self {
        Self {
            ids,
            out,
            zip,
            unsaved: Unsaved::Ask,
            replace: false,
        }
    }
}

pub enum Question {
    Unsaved {
        request: ExportRequest,
        dirty: Vec<String>,
    },
    Replace(ExportRequest),
}

/// The export flow between frames: the question asked, the saves it waits for, the result
/// shown. The export itself runs as a task (`tasks::export`).
#[derive(Default)]
pub struct ExportState {
    pub question: Option<Question>,
    /// Waiting for these sites' saves before exporting them.
    pub awaiting_saves: Option<ExportRequest>,
    /// The last export that finished (and whether it was a zip), until its window is closed.
    pub finished: Option<(Exported, bool)>,
    /// The sites of the last export ([`Settings::last_export`]), read back for the preview's
    /// changes since then; `None` until the preview asks.
    pub last: Option<LastExport>,
}

/// The last export's bundle, as far as it has been read.
pub enum LastExport {
    Reading(PathBuf),
    Read {
        path: PathBuf,
        snapshot: Arc<Snapshot>,
    },
    Failed {
        path: PathBuf,
        message: String,
    },
}

impl LastExport {
    pub fn path(&self) -> &Path {
        match self {
            LastExport::Reading(path)
            | LastExport::Read { path, .. }
            | LastExport::Failed { path, .. } => path,
        }
    }
}

/// The sites `scope` names now, in the order the app lists them.
pub fn scope_ids(scope: ExportScope, docs: &Docs, settings: &Settings) -> Vec<String> {
    let exists = |id: &&String| docs.index_of(id).is_some();
    match scope {
        ExportScope::Selected => settings.selected.iter().filter(exists).cloned().collect(),
        ExportScope::Compared => {
            let ids: Vec<String> = settings.compared.iter().filter(exists).cloned().collect();
            if (2..=MAX_COMPARED).contains(&ids.len()) {
                ids
            } else {
                Vec::new()
            }
        }
        ExportScope::All => docs.sites.iter().map(|d| d.id().to_string()).collect(),
    }
}

/// "Exported N sites (F files, size) to PATH"; the file count includes the manifest.
pub fn summary(exported: &Exported) -> String {
    format!(
        "Exported {} site{} ({} files, {}) to {}",
        exported.sites,
        if exported.sites == 1 { "" } else { "s" },
        exported.files + 1,
        humansize::format_size(exported.bytes, humansize::BINARY),
        exported.out.display()
    )
}
