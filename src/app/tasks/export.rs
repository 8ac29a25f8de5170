//! The export as a task (progress, cancel, result), opening its result in the file manager,
//! and saving a preview as PDF. Each blocks, so none runs on the frame.

use std::path::{Path, PathBuf};

use super::{Polled, Task};
use crate::app::state::export::ExportRequest;
use crate::changes::Snapshot;
use crate::export::{self, ExportError, Exported, Options, manifest};
use crate::render::Document;
use crate::store::Workspace;

/// Sites written so far, of how many.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExportProgress {
    pub done: usize,
    pub total: usize,
}

pub struct Finished {
    pub request: ExportRequest,
    pub result: Result<Exported, ExportError>,
    /// When the output exists: whether replacing it is fair to offer (a bundle or a file).
    pub replaceable: bool,
}

/// An export under way.
pub struct Running {
    pub request: ExportRequest,
    pub task: Task<ExportProgress, Finished>,
}

/// What the export tasks hand back.
pub enum ExportDone {
    Finished(Finished),
    OpenFailed(String),
    /// The last export read back: its path, and its sites or why they could not be read.
    LastRead(PathBuf, Result<Snapshot, String>),
    /// A preview saved as PDF: where, or why not.
    PdfSaved(Result<PathBuf, String>),
    Lost,
}

/// Reading the last export back.
type Reading = Task<(), (PathBuf, Result<Snapshot, String>)>;

pub struct Exports {
    ctx: egui::Context,
    pub running: Option<Running>,
    opening: Vec<Task<(), Option<String>>>,
    reading: Option<Reading>,
    saving_pdfs: Vec<Task<(), Result<PathBuf, String>>>,
}

impl Exports {
    pub fn new(ctx: &egui::Context) -> Self {
        Self {
            ctx: ctx.clone(),
            running: None,
            opening: Vec::new(),
            reading: None,
            saving_pdfs: Vec::new(),
        }
    }

    /// Reads the bundle at `path` (checked against its manifest) off the frame.
    pub fn read_last(&mut self, path: PathBuf) {
        self.reading = Some(Task::spawn(
            "policydesk-last-export",
            &self.ctx,
            (),
            move |_| {
                let read = Snapshot::read(&path).map_err(|e| e.to_string());
                (path, read)
            },
        ));
    }

    /// Drops a reading under way (its bundle was just replaced by a new export).
    pub fn forget_reading(&mut self) {
        self.reading = None;
    }

    /// Whether the last export is being read back.
    pub fn reading(&self) -> bool {
        self.reading.is_some()
    }

    /// Exports `ws` as `request` says, until done or cancelled.
    pub fn start(&mut self, ws: Workspace, request: ExportRequest) {
        let progress = ExportProgress {
            done: 0,
            total: request.ids.len(),
        };
        let job = request.clone();
        let task = Task::spawn("policydesk-export", &self.ctx, progress, move |reporter| {
            let on_progress =
                |done, total| reporter.update(|p| *p = ExportProgress { done, total });
            let result = Options::new(job.zip, job.replace).and_then(|mut options| {
                options.cancel = Some(reporter.cancel().clone());
                export::export(&ws, &job.ids, &job.out, &options, &on_progress)
            });
            let replaceable =
                matches!(result, Err(ExportError::OutputExists(_))) && replaceable(&job.out);
            Finished {
                request: job,
                result,
                replaceable,
            }
        });
        self.running = Some(Running { request, task });
    }

    pub fn cancel(&self) {
        if let Some(running) = &self.running {
            running.task.cancel();
        }
    }

    /// Shows `folder` in the system's file manager.
    pub fn open_folder(&mut self, folder: PathBuf) {
        self.opening
            .push(Task::spawn("policydesk-open", &self.ctx, (), move |_| {
                open::that_detached(&folder)
                    .err()
                    .map(|e| format!("Cannot open {}: {e}", folder.display()))
            }));
    }

    /// Whether a preview is being saved as PDF.
    pub fn saving_pdf(&self) -> bool {
        !self.saving_pdfs.is_empty()
    }

    /// Writes `document` as a PDF at `path` (atomically: a failure leaves what was there).
    pub fn save_pdf(&mut self, document: Document, path: PathBuf) {
        self.saving_pdfs
            .push(Task::spawn("policydesk-pdf", &self.ctx, (), move |_| {
                let bytes = crate::render::pdf::render(&document)
                    .map_err(|e| format!("No PDF saved to {}: {e}", path.display()))?;
                crate::store::save::write_atomically(&path, &bytes)
                    .map_err(|e| format!("No PDF saved to {}: {e}", path.display()))?;
                Ok(path)
            }));
    }

    /// What the export tasks finished since the last frame.
    pub fn finished(&mut self) -> Vec<ExportDone> {
        let mut out: Vec<ExportDone> = super::finished(&mut self.opening)
            .into_iter()
            .filter_map(|failed| failed.flatten().map(ExportDone::OpenFailed))
            .collect();
        if let Some(reading) = &self.reading {
            let polled = reading.poll();
            if !matches!(polled, Polled::Running) {
                self.reading = None;
            }
            match polled {
                Polled::Running => {}
                Polled::Done((path, read)) => out.push(ExportDone::LastRead(path, read)),
                Polled::Lost => out.push(ExportDone::Lost),
            }
        }
        out.extend(
            super::finished(&mut self.saving_pdfs)
                .into_iter()
                .map(|saved| saved.map_or(ExportDone::Lost, ExportDone::PdfSaved)),
        );
        if let Some(running) = &self.running {
            match running.task.poll() {
                Polled::Running => return out,
                Polled::Done(f) => out.push(ExportDone::Finished(f)),
                Polled::Lost => out.push(ExportDone::Lost),
            }
            self.running = None;
        }
        out
    }
}

/// Replacing removes what is there: fine for a file the user picked or an earlier bundle, not
/// for a folder of other things (a save dialog makes picking `~/Documents` one slip away).
fn replaceable(out: &Path) -> bool {
    !out.is_dir() || out.join(manifest::FILE).is_file()
}
