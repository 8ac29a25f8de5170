//! Exports: ask where, ask about unsaved edits, run, cancel, show the result; saving the
//! preview as a PDF.

use std::path::{Path, PathBuf};

use super::{Command, ExportCommand, SiteCommand};
use crate::app::PolicyDeskApp;
use crate::app::state::MAX_COMPARED;
use crate::app::state::export::{
    ExportRequest, ExportScope, LastExport, Question, Unsaved, scope_ids,
};
use crate::app::tasks::pick::{PickRequest, Purpose};
use crate::render::build_document;
use crate::store::{SiteFile, Workspace};

impl PolicyDeskApp {
    pub(super) fn export_command(&mut self, command: ExportCommand) -> Vec<Command> {
        let Some(docs) = &self.docs else {
            return Vec::new();
        };
        match command {
            ExportCommand::Ask { scope, zip } => {
                let ids = scope_ids(scope, docs, &self.settings);
                if ids.is_empty() {
                    self.notifications.error(format!(
                        "No site to export: select one, or tick 2 to {MAX_COMPARED} to compare."
                    ));
                    return Vec::new();
                }
                let stem = match (scope, ids.as_slice()) {
                    (ExportScope::Selected, [id]) => id.as_str(),
                    _ => "policies",
                };
                let date = time::OffsetDateTime::now_utc().date();
                let file_name = format!("{stem}-{date}{}", if zip { ".zip" } else { "" });
                let start = picker_start(&docs.dir);
                let title = if zip {
                    "Export to a zip file"
                } else {
                    "Export to a new folder"
                };
                self.ask_path(PickRequest {
                    purpose: Purpose::Export { ids, zip },
                    title: title.into(),
                    start,
                    file_name: Some(file_name),
                });
                Vec::new()
            }
            ExportCommand::Run(request) => self.start_export(request),
            ExportCommand::ReadLast => {
                if let Some(path) = self.settings.last_export.clone() {
                    self.export.last = Some(LastExport::Reading(path.clone()));
                    self.tasks.exports.read_last(path);
                }
                Vec::new()
            }
            ExportCommand::Cancel => {
                self.tasks.exports.cancel();
                self.export.awaiting_saves = None;
                Vec::new()
            }
            ExportCommand::AskPdf { id, lang } => {
                let start = picker_start(&docs.dir);
                let file_name = Some(format!("{id}.{lang}.pdf"));
                self.ask_path(PickRequest {
                    purpose: Purpose::SavePdf { id, lang },
                    title: "Save the preview as PDF".into(),
                    start,
                    file_name,
                });
                Vec::new()
            }
            ExportCommand::SavePdf { id, lang, path } => {
                // What the preview shows: the site as edited, saved or not.
                match docs.get(&id) {
                    Some(doc) => {
                        let site = doc.site();
                        let cookies = site.resolved_cookies(docs.platform_of(site));
                        let document = build_document(site, &cookies, &lang);
                        self.tasks.exports.save_pdf(document, path);
                    }
                    None => self
                        .notifications
                        .error(format!("No PDF saved: the site {id} is gone.")),
                }
                Vec::new()
            }
            ExportCommand::OpenResult => {
                if let Some((exported, zip)) = self.export.finished.take() {
                    let folder = if zip {
                        exported.out.parent().map(PathBuf::from)
                    } else {
                        Some(exported.out)
                    };
                    if let Some(folder) = folder {
                        self.tasks.exports.open_folder(folder);
                    }
                }
                Vec::new()
            }
        }
    }

    /// Starts an export, or first asks about unsaved edits (or saves them); returns the saves.
    fn start_export(&mut self, request: ExportRequest) -> Vec<Command> {
        let Some(docs) = &self.docs else {
            return Vec::new();
        };
        if self.tasks.exports.running.is_some() {
            self.notifications
                .error("An export is already under way; wait for it or cancel it.".into());
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
                    self.export.question = Some(Question::Unsaved { request, dirty });
                    return Vec::new();
                }
                Unsaved::SaveFirst => {
                    self.export.awaiting_saves = Some(request);
                    return dirty
                        .into_iter()
                        .map(|id| SiteCommand::Save(id).into())
                        .collect();
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
            team: docs.team.clone(),
        };
        self.tasks.exports.start(ws, request);
        Vec::new()
    }
}

/// Where a save dialog opens: the folder holding the sites folder.
fn picker_start(sites: &Path) -> PathBuf {
    let dir = std::path::absolute(sites).unwrap_or(sites.to_path_buf());
    dir.parent().map_or(dir.clone(), PathBuf::from)
}
