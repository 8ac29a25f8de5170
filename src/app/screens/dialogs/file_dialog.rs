//! The app's own file dialog (egui_file), for desktops where the system has none: the folder to
//! open, or where to export or save a PDF. Its answer becomes the same command the system dialog's would.

use egui_file::{FileDialog as Inner, State};

use crate::app::commands::{Command, folder};
use crate::app::tasks::pick::{PickRequest, Purpose};

pub struct FileDialog {
    request: PickRequest,
    inner: Inner,
}

impl FileDialog {
    pub fn new(request: PickRequest) -> Self {
        let inner = match &request.purpose {
            Purpose::OpenFolder => Inner::select_folder(),
            Purpose::Export { .. } | Purpose::SavePdf { .. } => Inner::save_file(),
        };
        let mut inner = inner
            .id(egui::Id::unique("policydesk file dialog"))
            .title(&request.title)
            .initial_path(request.start.clone())
            .default_size([640.0, 480.0]);
        if let Some(name) = &request.file_name {
            inner = inner.default_filename(name.clone());
        }
        inner.open();
        Self { request, inner }
    }

    /// Draws the dialog; true once it is answered or cancelled.
    pub fn ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) -> bool {
        self.inner.show(ctx);
        match self.inner.state() {
            State::Open => false,
            State::Selected => {
                if let Some(path) = self.inner.path() {
                    commands.push(folder::chosen(self.request.clone(), path.to_path_buf()));
                }
                true
            }
            State::Cancelled | State::Closed => true,
        }
    }
}
