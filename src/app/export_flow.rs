//! Exporting from the app: which sites go, the questions asked first (unsaved edits, replacing
//! an existing bundle), the export running on its own thread, and what it wrote.
//!
//! The file dialog only produces a [`Command::Export`] carrying the chosen path; everything after
//! it starts from that command, so tests drive the flow without a dialog.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use super::command::Command;
use super::compare::MAX_COMPARED;
use super::docs::Docs;
use super::export_job::{self, Event};
use super::notify::Notifications;
use super::settings::Settings;
use crate::export::{ExportError, Exported};
use crate::store::{SiteFile, Workspace};

/// Which sites an export takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportScope {
    Selected,
    /// The sites ticked for the side-by-side view (two to four).
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

pub struct Running {
    pub request: ExportRequest,
    pub cancel: Arc<AtomicBool>,
    pub done: usize,
    pub total: usize,
}

impl Running {
    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

pub struct ExportFlow {
    events: Sender<Event>,
    received: Receiver<Event>,
    ctx: egui::Context,
    pub question: Option<Question>,
    /// Waiting for these sites' saves before exporting them.
    awaiting_saves: Option<ExportRequest>,
    pub running: Option<Running>,
    /// The last export that finished, until its dialog is closed.
    pub finished: Option<(Exported, bool)>,
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

impl ExportFlow {
    pub fn new(ctx: egui::Context) -> Self {
        let (events, received) = channel();
        Self {
            events,
            received,
            ctx,
            question: None,
            awaiting_saves: None,
            running: None,
            finished: None,
        }
    }

    /// Whether an export is under way (waiting for saves is the worker's business, and then
    /// perhaps the user's, answering a conflict).
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// Runs an export command; returns commands the app must run at once (saves).
    pub fn run_command(
        &mut self,
        command: Command,
        docs: Option<&Docs>,
        settings: &Settings,
        notes: &mut Notifications,
    ) -> Vec<Command> {
        let Some(docs) = docs else { return Vec::new() };
        // A question or the progress window shows from the next frame on.
        self.ctx.request_repaint();
        match command {
            Command::AskExport { scope, zip } => {
                let ids = scope_ids(scope, docs, settings);
                if ids.is_empty() {
                    notes.error("No site to export: select one, or tick 2 to 4 to compare.".into());
                } else {
                    let stem = match (scope, ids.as_slice()) {
                        (ExportScope::Selected, [id]) => id.as_str(),
                        _ => "policies",
                    };
                    export_job::pick(
                        ids.clone(),
                        zip,
                        stem,
                        docs.dir.clone(),
                        self.events.clone(),
                        self.ctx.clone(),
                    );
                }
                Vec::new()
            }
            Command::Export(request) => self.start(request, docs, notes),
            Command::CancelExport => {
                if let Some(running) = &self.running {
                    running.cancel.store(true, Ordering::Relaxed);
                }
                self.awaiting_saves = None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn start(
        &mut self,
        request: ExportRequest,
        docs: &Docs,
        notes: &mut Notifications,
    ) -> Vec<Command> {
        if self.running.is_some() {
            notes.error("An export is already under way; wait for it or cancel it.".into());
            return Vec::new();
        }
        let dirty: Vec<String> = request
            .ids
            .iter()
            .filter(|id| docs.get(id).is_some_and(|d| d.dirty))
            .cloned()
            .collect();
        if !dirty.is_empty() {
            match request.unsaved {
                Unsaved::Ask => {
                    self.question = Some(Question::Unsaved { request, dirty });
                    return Vec::new();
                }
                Unsaved::SaveFirst => {
                    self.awaiting_saves = Some(request);
                    return dirty.into_iter().map(Command::Save).collect();
                }
                Unsaved::UseSaved => {}
            }
        }
        // The sites as on disk: the core exports the saved file and refuses one changed since.
        let sites = request
            .ids
            .iter()
            .filter_map(|id| docs.get(id))
            .map(|d| SiteFile {
                path: d.file.path.clone(),
                site: d.saved.clone(),
                disk_hash: d.file.disk_hash,
                modified: d.file.modified,
            })
            .collect();
        let ws = Workspace {
            dir: docs.dir.clone(),
            platforms: docs.platforms.clone(),
            sites,
            errors: Vec::new(),
        };
        let cancel = Arc::new(AtomicBool::new(false));
        export_job::run(
            ws,
            request.clone(),
            cancel.clone(),
            self.events.clone(),
            self.ctx.clone(),
        );
        self.running = Some(Running {
            total: request.ids.len(),
            request,
            cancel,
            done: 0,
        });
        Vec::new()
    }

    /// Takes in what the export threads reported; returns commands for the app to queue.
    pub fn poll(
        &mut self,
        docs: Option<&Docs>,
        notes: &mut Notifications,
        dialog_open: bool,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        while let Ok(event) = self.received.try_recv() {
            match event {
                Event::Picked(request) => commands.push(Command::Export(request)),
                Event::Progress { done, total } => {
                    if let Some(running) = &mut self.running {
                        (running.done, running.total) = (done, total);
                    }
                }
                Event::Finished {
                    request,
                    result,
                    replaceable,
                } => {
                    self.running = None;
                    self.finished(request, result, replaceable, notes);
                }
                Event::OpenFailed(e) => notes.error(e),
            }
        }
        // Saving first: go on once every save has ended and no conflict is being answered.
        if let Some(docs) = docs
            && !dialog_open
            && let Some(request) = self.awaiting_saves.take_if(|r| {
                !r.ids
                    .iter()
                    .any(|id| docs.get(id).is_some_and(|d| d.saving))
            })
        {
            let unsaved: Vec<&str> = request
                .ids
                .iter()
                .filter_map(|id| docs.get(id))
                .filter(|d| d.dirty)
                .map(|d| d.id())
                .collect();
            if unsaved.is_empty() {
                commands.push(Command::Export(request));
            } else {
                notes.error(format!(
                    "Nothing exported: {} could not be saved.",
                    unsaved.join(", ")
                ));
            }
        }
        commands
    }

    fn finished(
        &mut self,
        request: ExportRequest,
        result: Result<Exported, ExportError>,
        replaceable: bool,
        notes: &mut Notifications,
    ) {
        let out = request.out.display().to_string();
        match result {
            Ok(exported) => {
                notes.info(summary(&exported));
                self.finished = Some((exported, request.zip));
            }
            Err(ExportError::Cancelled) => {
                notes.info(format!("Export cancelled: nothing was written to {out}."))
            }
            Err(ExportError::OutputExists(_)) if replaceable => {
                self.question = Some(Question::Replace(request));
            }
            Err(ExportError::OutputExists(_)) => notes.error(format!(
                "Not exported: {out} is a folder holding other files (no PolicyDesk bundle); \
                 choose a new or empty folder."
            )),
            Err(e) => notes.error(format!("Export to {out} failed: {e}")),
        }
    }

    /// Opens the folder holding the last export (the zip's folder for a zip).
    pub fn open_result(&self) {
        if let Some((exported, zip)) = &self.finished {
            let folder = if *zip {
                exported.out.parent().map(PathBuf::from)
            } else {
                Some(exported.out.clone())
            };
            if let Some(folder) = folder {
                export_job::open_folder(folder, self.events.clone(), self.ctx.clone());
            }
        }
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
