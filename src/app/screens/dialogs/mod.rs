//! Modal dialogs: a file changed on disk, delete, new site, duplicate, and closing with unsaved
//! changes. One shows at a time; others wait their turn.

mod file_dialog;
mod import;
mod site_forms;

use std::collections::VecDeque;

use crate::app::commands::{Command, SiteCommand, WindowCommand};
use crate::app::screens::Ctx;
use crate::app::state::Docs;
use crate::app::tasks::files::Conflict;
use crate::app::tasks::import::Proposal;
use crate::app::tasks::pick::PickRequest;
use crate::app::widgets::colors;
use crate::store::diff::{DiffLine, LineChange};

pub use file_dialog::FileDialog;

enum Dialog {
    Conflict(Conflict),
    Delete(String),
    NewSite {
        id: String,
        url: String,
        platform: Option<String>,
    },
    Duplicate {
        from: String,
        id: String,
    },
    UnsavedClose,
    /// Where to import a site from.
    Import {
        id: String,
        source: String,
    },
    /// What an import would change.
    ImportReview(Box<Proposal>),
    /// The app's own file dialog, where the system has none.
    File(Box<FileDialog>),
}

#[derive(Default)]
pub struct Dialogs {
    queue: VecDeque<Dialog>,
}

impl Dialogs {
    pub fn is_open(&self) -> bool {
        !self.queue.is_empty()
    }

    pub fn open_conflict(&mut self, conflict: Conflict) {
        self.queue.push_back(Dialog::Conflict(conflict));
    }

    pub fn open_delete(&mut self, id: &str) {
        self.queue.push_back(Dialog::Delete(id.to_string()));
    }

    pub fn open_new_site(&mut self, docs: &Docs) {
        self.queue.push_back(Dialog::NewSite {
            id: String::new(),
            url: "https://".into(),
            platform: docs.platforms.keys().next().cloned(),
        });
    }

    pub fn open_duplicate(&mut self, from: &str) {
        self.queue.push_back(Dialog::Duplicate {
            from: from.to_string(),
            id: format!("{from}-copy"),
        });
    }

    pub fn open_file_dialog(&mut self, request: PickRequest) {
        self.queue
            .push_back(Dialog::File(Box::new(FileDialog::new(request))));
    }

    pub fn open_import(&mut self, id: &str) {
        self.queue.push_back(Dialog::Import {
            id: id.to_string(),
            source: String::new(),
        });
    }

    pub fn open_import_review(&mut self, proposal: Proposal) {
        self.queue
            .push_back(Dialog::ImportReview(Box::new(proposal)));
    }

    pub fn open_unsaved_close(&mut self) {
        if !self.queue.iter().any(|d| matches!(d, Dialog::UnsavedClose)) {
            self.queue.push_back(Dialog::UnsavedClose);
        }
    }

    pub fn ui(&mut self, ectx: &egui::Context, ctx: &mut Ctx) {
        let Some(dialog) = self.queue.front_mut() else {
            return;
        };
        let (docs, commands) = (&*ctx.docs, &mut *ctx.commands);
        if let Dialog::File(dialog) = dialog {
            // A window of its own (egui_file draws one), not a modal.
            if dialog.ui(ectx, commands) {
                self.queue.pop_front();
            }
            return;
        }
        let ctx = ectx;
        let mut done = false;
        let modal = egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
            ui.set_max_width(720.0);
            done = match dialog {
                Dialog::Conflict(c) => conflict(ui, c, commands),
                Dialog::Delete(id) => delete(ui, docs, id, commands),
                Dialog::NewSite { id, url, platform } => {
                    site_forms::new_site(ui, docs, id, url, platform, commands)
                }
                Dialog::Duplicate { from, id } => {
                    site_forms::duplicate(ui, docs, from, id, commands)
                }
                Dialog::UnsavedClose => unsaved_close(ui, docs, commands),
                Dialog::Import { id, source } => import::source(ui, id, source, commands),
                Dialog::ImportReview(p) => import::review(ui, p, commands),
                // Drawn above, as a window.
                Dialog::File(_) => false,
            };
        });
        if done || modal.should_close() {
            self.queue.pop_front();
        }
    }
}

pub(super) fn buttons(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> bool) -> bool {
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        add(ui)
            | ui.button("Cancel")
                .accessible_name("Dialog: cancel")
                .clicked()
    })
    .inner
}

fn conflict(ui: &mut egui::Ui, c: &Conflict, commands: &mut Vec<Command>) -> bool {
    ui.heading("The file changed on disk");
    ui.label(if c.deleted {
        format!(
            "{} was deleted by another program since it was loaded. Nothing was saved.",
            c.path
        )
    } else {
        format!(
            "{} was changed by another program since it was loaded. Nothing was saved: \
             choose which version to keep.",
            c.path
        )
    });
    ui.add_space(4.0);
    ui.label("From the file on disk (−) to your version (+):");
    diff_view(ui, "conflict diff", 320.0, &c.diff);
    let id = c.id.clone();
    buttons(ui, |ui| {
        let mut done = false;
        if ui
            .button("Keep mine")
            .on_hover_text("Save your version over the file on disk")
            .clicked()
        {
            commands.push(SiteCommand::Overwrite(id.clone()).into());
            done = true;
        }
        if ui
            .add_enabled(!c.deleted, egui::Button::new("Reload from disk"))
            .on_hover_text("Take the file on disk; Undo brings your version back")
            .clicked()
        {
            commands.push(SiteCommand::Reload(id.clone()).into());
            done = true;
        }
        done
    })
}

fn delete(ui: &mut egui::Ui, docs: &Docs, id: &str, commands: &mut Vec<Command>) -> bool {
    ui.heading(format!("Delete {id}?"));
    ui.label(format!(
        "The file moves to {}/ in the sites folder; move it back to restore the site.",
        crate::store::TRASH_DIR
    ));
    if docs.get(id).is_some_and(|d| d.dirty) {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Its unsaved changes are not kept: the file as last saved goes to the trash.",
        );
    }
    let id = id.to_string();
    buttons(ui, |ui| {
        let go = ui.button("Move to trash").clicked();
        if go {
            commands.push(SiteCommand::Delete(id).into());
        }
        go
    })
}

fn unsaved_close(ui: &mut egui::Ui, docs: &Docs, commands: &mut Vec<Command>) -> bool {
    let dirty: Vec<&str> = docs
        .sites
        .iter()
        .filter(|d| d.dirty)
        .map(|d| d.id())
        .collect();
    ui.heading("Unsaved changes");
    ui.label(format!(
        "{} site(s) have changes that are not saved: {}",
        dirty.len(),
        dirty.join(", ")
    ));
    buttons(ui, |ui| {
        if ui.button("Save all and close").clicked() {
            commands.push(WindowCommand::SaveAllAndClose.into());
            return true;
        }
        if ui.button("Close without saving").clicked() {
            commands.push(WindowCommand::CloseDiscarding.into());
            return true;
        }
        false
    })
}

/// A line diff in a scrolled frame: removed lines in the error colour, added ones in green.
pub(super) fn diff_view(ui: &mut egui::Ui, id_salt: &str, max_height: f32, lines: &[DiffLine]) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(id_salt)
            .max_height(max_height)
            .show(ui, |ui| {
                let removed = ui.visuals().error_fg_color;
                for line in lines {
                    let (mark, color) = match line.change {
                        LineChange::Same => (" ", ui.visuals().weak_text_color()),
                        LineChange::Removed => ("−", removed),
                        LineChange::Added => ("+", colors::ADDED),
                    };
                    ui.label(
                        egui::RichText::new(format!("{mark} {}", line.text))
                            .monospace()
                            .color(color),
                    );
                }
            });
    });
}
