//! How each background result changes the app: taken in at the start of a frame, every kind of
//! result matched by name, so a new one does not compile until it is handled here.

use std::path::PathBuf;
use std::sync::Arc;

use super::PolicyDeskApp;
use super::commands::{Command, ExportCommand, folder};
use super::state::Docs;
use super::state::audit::LastAudit;
use super::state::export::{LastExport, Question, summary};
use super::state::notes::Notifications;
use super::tasks::audit::{AuditDone, Finished as AuditFinished};
use super::tasks::export::{ExportDone, Finished as ExportFinished};
use super::tasks::files::Done;
use super::tasks::pick::Picked;
use crate::changes::Snapshot;
use crate::export::ExportError;

const LOST: &str = "A background task ended without a result; try again.";

impl PolicyDeskApp {
    /// Takes in what the tasks finished; queues the commands that follow from it.
    pub(super) fn receive(&mut self) {
        for done in self.tasks.files.finished() {
            match done {
                Some(done) => self.file_done(done),
                None => self.notifications.error(LOST.into()),
            }
        }
        for done in self.tasks.audits.finished() {
            self.audit_done(done);
        }
        for done in self.tasks.exports.finished() {
            match done {
                ExportDone::Finished(finished) => self.export_finished(finished),
                ExportDone::OpenFailed(e) => self.notifications.error(e),
                ExportDone::LastRead(path, read) => self.last_export_read(path, read),
                ExportDone::PdfSaved(Ok(path)) => self
                    .notifications
                    .info(format!("Saved the preview as PDF: {}", path.display())),
                ExportDone::PdfSaved(Err(e)) => self.notifications.error(e),
                ExportDone::Lost => self.notifications.error(LOST.into()),
            }
        }
        for done in self.tasks.imports.finished() {
            match done {
                Some(Ok(proposal)) if proposal.diff.is_empty() => self.notifications.info(format!(
                    "{} already says what {} says",
                    proposal.site.id, proposal.source
                )),
                Some(Ok(proposal)) => self.screens.dialogs.open_import_review(proposal),
                Some(Err(e)) => self.notifications.error(format!("Nothing imported: {e}")),
                None => self.notifications.error(LOST.into()),
            }
        }
        if let Some((request, picked)) = self.tasks.picker.finished() {
            match picked {
                Picked::Chosen(path) => self.commands.push(folder::chosen(request, path)),
                Picked::Cancelled => {}
                // No system dialog here: the app's own asks instead.
                Picked::Unavailable => self.screens.dialogs.open_file_dialog(request),
            }
        }
        self.export_after_saves();
    }

    fn file_done(&mut self, done: Done) {
        if let Done::Opened(opened) = done {
            match opened {
                Ok(loaded) => {
                    let docs = Docs::from_loaded(loaded);
                    self.settings.last_dir =
                        Some(std::path::absolute(&docs.dir).unwrap_or(docs.dir.clone()));
                    if self
                        .settings
                        .selected
                        .as_ref()
                        .is_none_or(|id| docs.index_of(id).is_none())
                    {
                        self.settings.selected = docs.sites.first().map(|d| d.id().to_string());
                    }
                    self.screens.opened();
                    let ids = docs.sites.iter().map(|d| d.id().to_string()).collect();
                    self.tasks.audits.load_history(docs.dir.clone(), ids);
                    self.docs = Some(docs);
                }
                Err(e) => self.notifications.error(e),
            }
            return;
        }
        let Some(docs) = &mut self.docs else { return };
        let notes = &mut self.notifications;
        match done {
            Done::Opened(_) => {}
            Done::Saved { id, result } => match result {
                Ok(file) => {
                    notes.info(format!("Saved {}", file.path.display()));
                    docs.saved(&id, file);
                }
                Err(e) => {
                    docs.save_ended(&id);
                    notes.error(e);
                }
            },
            Done::Conflict(conflict) => {
                docs.save_ended(&conflict.id);
                self.screens.dialogs.open_conflict(conflict);
            }
            Done::Reloaded { id, result } => match result {
                Ok((file, findings)) => {
                    if docs.reloaded(&id, file, findings) {
                        self.screens.editor.forget_buffers();
                        notes.info(format!(
                            "Reloaded {id} from disk (Undo brings your edits back)"
                        ));
                    }
                }
                Err(e) => notes.error(format!("cannot reload: {e}")),
            },
            Done::Created(Ok((file, findings))) => {
                notes.info(format!("Created {}", file.path.display()));
                self.settings.selected = Some(docs.created(file, findings));
                self.screens.editor.selected_cookie = None;
            }
            Done::Created(Err(e)) => notes.error(e),
            Done::Trashed { id, result } => match result {
                Ok(to) => {
                    docs.removed(&id);
                    self.settings.compared.retain(|c| *c != id);
                    if self.settings.selected.as_deref() == Some(id.as_str()) {
                        self.settings.selected = docs.sites.first().map(|d| d.id().to_string());
                    }
                    notes.info(format!("Moved {id} to {}", to.display()));
                }
                Err(e) => notes.error(e),
            },
        }
    }

    fn audit_done(&mut self, done: AuditDone) {
        let notes = &mut self.notifications;
        match done {
            AuditDone::History(history) => {
                for e in history.unreadable {
                    notes.error(e);
                }
                let Some(docs) = self.docs.as_mut().filter(|d| d.dir == history.dir) else {
                    return;
                };
                for (id, last) in history.last {
                    if let Some(doc) = docs.get_mut(&id) {
                        doc.audit = Some(last);
                    }
                }
            }
            AuditDone::Finished(AuditFinished {
                dir,
                result,
                cancelled,
                warnings,
            }) => {
                for w in warnings {
                    notes.error(w);
                }
                match (result, self.docs.as_mut()) {
                    (Ok(sites), Some(docs)) if docs.dir == dir => {
                        audited(docs, sites, cancelled, notes)
                    }
                    (Ok(_), _) => {}
                    (Err(e), _) => notes.error(format!("the audit could not run: {e}")),
                }
                self.screens.audit.forget_selection();
            }
            AuditDone::Lost => notes.error(LOST.into()),
        }
    }

    /// The last export read back, unless another export has been made since it was asked for.
    fn last_export_read(&mut self, path: PathBuf, read: Result<Snapshot, String>) {
        if self.settings.last_export.as_ref() != Some(&path) {
            return;
        }
        self.export.last = Some(match read {
            Ok(snapshot) => LastExport::Read {
                path,
                snapshot: Arc::new(snapshot),
            },
            Err(message) => LastExport::Failed { path, message },
        });
    }

    fn export_finished(&mut self, finished: ExportFinished) {
        let ExportFinished {
            request,
            result,
            replaceable,
        } = finished;
        let out = request.out.display().to_string();
        let notes = &mut self.notifications;
        match result {
            Ok(exported) => {
                notes.info(summary(&exported));
                // The preview's changes are now since this export; read it again when asked.
                self.settings.last_export = Some(exported.out.clone());
                self.export.last = None;
                self.tasks.exports.forget_reading();
                self.export.finished = Some((exported, request.zip));
            }
            Err(ExportError::Cancelled) => {
                notes.info(format!("Export cancelled: nothing was written to {out}."))
            }
            Err(ExportError::OutputExists(_)) if replaceable => {
                self.export.question = Some(Question::Replace(request));
            }
            Err(ExportError::OutputExists(_)) => notes.error(format!(
                "Not exported: {out} is a folder holding other files (no PolicyDesk bundle); \
                 choose a new or empty folder."
            )),
            Err(e) => notes.error(format!("Export to {out} failed: {e}")),
        }
    }

    /// Saving first: the export goes on once every save has ended and no conflict is being
    /// answered.
    fn export_after_saves(&mut self) {
        let Some(docs) = &self.docs else { return };
        if self.screens.dialogs.is_open() {
            return;
        }
        let Some(request) = self.export.awaiting_saves.take_if(|r| {
            !r.ids
                .iter()
                .any(|id| docs.get(id).is_some_and(|d| d.saving))
        }) else {
            return;
        };
        let unsaved: Vec<&str> = request
            .ids
            .iter()
            .filter_map(|id| docs.get(id))
            .filter(|d| d.dirty)
            .map(|d| d.id())
            .collect();
        if unsaved.is_empty() {
            self.commands
                .push(Command::from(ExportCommand::Run(request)));
        } else {
            self.notifications.error(format!(
                "Nothing exported: {} could not be saved.",
                unsaved.join(", ")
            ));
        }
    }
}

/// Records a finished audit in each site's document and says how it went.
fn audited(docs: &mut Docs, sites: Vec<LastAudit>, cancelled: bool, notes: &mut Notifications) {
    let (mut audited, mut errors, mut warnings, mut failed) = (0, 0, 0, 0);
    for last in sites {
        // A site the cancel cut short keeps its previous result.
        if cancelled && last.report.error.is_some() {
            continue;
        }
        audited += 1;
        errors += last.errors;
        warnings += last.warnings;
        failed += usize::from(last.report.error.is_some());
        if let Some(doc) = docs.get_mut(&last.report.site.clone()) {
            doc.audit = Some(last);
        }
    }
    let sites = if audited == 1 { "site" } else { "sites" };
    let what = format!("{audited} {sites} audited: {errors} errors, {warnings} warnings");
    match (cancelled, failed) {
        (true, _) => notes.info(format!("Audit cancelled; {what}")),
        (false, 0) => notes.info(what),
        (false, n) => notes.error(format!("{what}; {n} could not be fetched in full")),
    }
}
