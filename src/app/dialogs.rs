//! Modal dialogs: a file changed on disk, delete, new site, duplicate, and closing with unsaved
//! changes. One shows at a time; others wait their turn.

use std::collections::VecDeque;

use super::command::Command;
use super::docs::Docs;
use super::worker::Conflict;
use crate::store::diff::LineChange;

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

    pub fn open_unsaved_close(&mut self) {
        if !self.queue.iter().any(|d| matches!(d, Dialog::UnsavedClose)) {
            self.queue.push_back(Dialog::UnsavedClose);
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, docs: &Docs, commands: &mut Vec<Command>) {
        let Some(dialog) = self.queue.front_mut() else {
            return;
        };
        let mut done = false;
        let modal = egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
            ui.set_max_width(720.0);
            done = match dialog {
                Dialog::Conflict(c) => conflict(ui, c, commands),
                Dialog::Delete(id) => delete(ui, docs, id, commands),
                Dialog::NewSite { id, url, platform } => {
                    new_site(ui, docs, id, url, platform, commands)
                }
                Dialog::Duplicate { from, id } => duplicate(ui, docs, from, id, commands),
                Dialog::UnsavedClose => unsaved_close(ui, docs, commands),
            };
        });
        if done || modal.should_close() {
            self.queue.pop_front();
        }
    }
}

fn buttons(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> bool) -> bool {
    ui.add_space(8.0);
    ui.horizontal(|ui| add(ui) | ui.button("Cancel").clicked())
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
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("conflict diff")
            .max_height(320.0)
            .show(ui, |ui| {
                let (added, removed) = (
                    egui::Color32::from_rgb(0x2e, 0x9d, 0x4c),
                    ui.visuals().error_fg_color,
                );
                for line in &c.diff {
                    let (mark, color) = match line.change {
                        LineChange::Same => (" ", ui.visuals().weak_text_color()),
                        LineChange::Removed => ("−", removed),
                        LineChange::Added => ("+", added),
                    };
                    ui.label(
                        egui::RichText::new(format!("{mark} {}", line.text))
                            .monospace()
                            .color(color),
                    );
                }
            });
    });
    let id = c.id.clone();
    buttons(ui, |ui| {
        let mut done = false;
        if ui
            .button("Keep mine")
            .on_hover_text("Save your version over the file on disk")
            .clicked()
        {
            commands.push(Command::Overwrite(id.clone()));
            done = true;
        }
        if ui
            .add_enabled(!c.deleted, egui::Button::new("Reload from disk"))
            .on_hover_text("Take the file on disk; Undo brings your version back")
            .clicked()
        {
            commands.push(Command::Reload(id.clone()));
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
            commands.push(Command::Delete(id));
        }
        go
    })
}

fn labelled_text(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    let r = ui
        .add(egui::TextEdit::singleline(value).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    ui.end_row();
    r
}

fn new_site(
    ui: &mut egui::Ui,
    docs: &Docs,
    id: &mut String,
    url: &mut String,
    platform: &mut Option<String>,
    commands: &mut Vec<Command>,
) -> bool {
    ui.heading("New site");
    ui.label("The new site publishes every cookie of its platform, as the platform declares them.");
    egui::Grid::new("new site form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .min_col_width(90.0)
        .show(ui, |ui| {
            // The address follows the id until the user types one.
            let following = url == "https://" || *url == format!("https://{id}/");
            if labelled_text(ui, "Site id", id).changed() && following {
                *url = format!("https://{}/", id.trim());
            }
            labelled_text(ui, "Address", url);
            ui.label("Platform");
            let mut options: Vec<Option<String>> = vec![None];
            options.extend(docs.platforms.keys().cloned().map(Some));
            egui::ComboBox::from_id_salt("new site platform")
                .selected_text(platform.clone().unwrap_or_else(|| "none".into()))
                .show_ui(ui, |ui| {
                    for option in options {
                        let text = option.clone().unwrap_or_else(|| "none".into());
                        ui.selectable_value(platform, option, text);
                    }
                })
                .response
                .accessible_name("Platform");
            ui.end_row();
        });
    let refusal = docs.refuse_id(id.trim()).or_else(|| {
        url::Url::parse(url.trim())
            .err()
            .map(|e| format!("the address is not valid: {e}"))
    });
    if let Some(why) = &refusal
        && !id.is_empty()
    {
        ui.colored_label(ui.visuals().error_fg_color, why);
    }
    buttons(ui, |ui| {
        let go = ui
            .add_enabled(refusal.is_none(), egui::Button::new("Create"))
            .clicked();
        if go {
            commands.push(Command::NewSite {
                id: id.trim().to_string(),
                url: url.trim().to_string(),
                platform: platform.clone(),
            });
        }
        go
    })
}

fn duplicate(
    ui: &mut egui::Ui,
    docs: &Docs,
    from: &str,
    id: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    ui.heading(format!("Duplicate {from}"));
    egui::Grid::new("duplicate form")
        .num_columns(2)
        .show(ui, |ui| {
            labelled_text(ui, "New site id", id);
        });
    let refusal = docs.refuse_id(id.trim());
    if let Some(why) = &refusal {
        ui.colored_label(ui.visuals().error_fg_color, why);
    }
    let from = from.to_string();
    buttons(ui, |ui| {
        let go = ui
            .add_enabled(refusal.is_none(), egui::Button::new("Duplicate"))
            .clicked();
        if go {
            commands.push(Command::Duplicate {
                from,
                id: id.trim().to_string(),
            });
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
            commands.push(Command::SaveAllAndClose);
            return true;
        }
        if ui.button("Close without saving").clicked() {
            commands.push(Command::CloseDiscarding);
            return true;
        }
        false
    })
}
