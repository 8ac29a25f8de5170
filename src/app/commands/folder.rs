//! Opening a sites folder, and where a file dialog's answer goes.

use std::path::PathBuf;

use super::{Command, ExportCommand, FolderCommand};
use crate::app::PolicyDeskApp;
use crate::app::state::export::ExportRequest;
use crate::app::tasks::files::Job;
use crate::app::tasks::pick::{PickRequest, Purpose};

impl PolicyDeskApp {
    pub(super) fn folder_command(&mut self, command: FolderCommand) -> Vec<Command> {
        match command {
            FolderCommand::Pick => {
                // Beside the open folder, where other sites folders are likely to be.
                let start = self
                    .docs
                    .as_ref()
                    .and_then(|d| std::path::absolute(&d.dir).ok())
                    .and_then(|d| d.parent().map(PathBuf::from))
                    .or_else(|| std::env::current_dir().ok())
                    .unwrap_or_default();
                self.ask_path(PickRequest {
                    purpose: Purpose::OpenFolder,
                    title: "Open a sites folder".into(),
                    start,
                    file_name: None,
                });
            }
            FolderCommand::Open(dir) => {
                if self.docs.as_ref().is_some_and(|d| d.dirty_count() > 0) {
                    self.notifications.error(
                        "Save or undo the unsaved changes before opening another folder.".into(),
                    );
                } else {
                    self.tasks.files.send(Job::Open(Some(dir)));
                }
            }
        }
        Vec::new()
    }

    /// Asks for a path with the system dialog, or the app's own where there is none.
    pub(crate) fn ask_path(&mut self, request: PickRequest) {
        if let Err(request) = self.tasks.picker.ask(request) {
            self.screens.dialogs.open_file_dialog(request);
        }
    }
}

/// The command a chosen path leads to, whichever dialog it was chosen in.
pub fn chosen(request: PickRequest, mut path: PathBuf) -> Command {
    match request.purpose {
        Purpose::OpenFolder => FolderCommand::Open(path).into(),
        Purpose::Export { ids, zip } => {
            if zip && path.extension().is_none() {
                path.set_extension("zip");
            }
            ExportCommand::Run(ExportRequest::new(ids, path, zip)).into()
        }
        Purpose::SavePdf { id, lang } => {
            if path.extension().is_none() {
                path.set_extension("pdf");
            }
            ExportCommand::SavePdf { id, lang, path }.into()
        }
    }
}
