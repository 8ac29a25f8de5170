//! The left panel: every site with its status, the files that failed to load, a filter, and
//! new / duplicate / delete.

use super::command::Command;
use super::docs::{Docs, SiteDoc};
use super::settings::{Settings, View};

#[derive(Default)]
pub struct SitesPanel {
    pub filter: String,
    pub focus_filter: bool,
}

/// One mark in a site's row: short text, its colour, and what it means.
pub struct Badge {
    pub text: String,
    pub color: egui::Color32,
    pub hover: String,
}

/// The marks shown after a site's name; other capabilities add theirs here.
pub fn badges(doc: &SiteDoc, visuals: &egui::Visuals) -> Vec<Badge> {
    let (errors, warnings, _) = doc.counts;
    let mut out = Vec::new();
    if doc.dirty {
        out.push(Badge {
            text: "•".into(),
            color: visuals.text_color(),
            hover: "unsaved changes".into(),
        });
    }
    if errors > 0 {
        out.push(Badge {
            text: format!("✖ {errors}"),
            color: visuals.error_fg_color,
            hover: format!("{errors} check errors"),
        });
    }
    if warnings > 0 {
        out.push(Badge {
            text: format!("⚠ {warnings}"),
            color: visuals.warn_fg_color,
            hover: format!("{warnings} check warnings"),
        });
    }
    if errors == 0 && warnings == 0 {
        out.push(Badge {
            text: "✔".into(),
            color: egui::Color32::from_rgb(0x3c, 0xa0, 0x5a),
            hover: "no check errors or warnings".into(),
        });
    }
    out.push(super::audit_panel::badge(doc, visuals));
    out
}

impl SitesPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        docs: Option<&Docs>,
        settings: &Settings,
        commands: &mut Vec<Command>,
    ) {
        egui::Panel::left("sites")
            .resizable(true)
            .default_size(320.0)
            .min_size(260.0)
            .show(ui, |ui| {
                let Some(docs) = docs else {
                    ui.spinner();
                    return;
                };
                self.contents(ui, docs, settings, commands);
            });
    }

    fn contents(
        &mut self,
        ui: &mut egui::Ui,
        docs: &Docs,
        settings: &Settings,
        commands: &mut Vec<Command>,
    ) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading("Sites");
            ui.label(format!("{}", docs.sites.len()));
        });
        let filter = ui
            .add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("Filter sites")
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Filter sites");
        if std::mem::take(&mut self.focus_filter) {
            filter.request_focus();
        }
        let selected = settings.selected.as_deref();
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("New site…")
                .on_hover_text("Create a site from its platform's cookies")
                .clicked()
            {
                commands.push(Command::AskNewSite);
            }
            ui.add_enabled_ui(selected.is_some(), |ui| {
                if ui.button("Duplicate…").clicked()
                    && let Some(id) = selected
                {
                    commands.push(Command::AskDuplicate(id.to_string()));
                }
                if ui
                    .button("Delete…")
                    .on_hover_text("Move the site file to the trash folder")
                    .clicked()
                    && let Some(id) = selected
                {
                    commands.push(Command::AskDelete(id.to_string()));
                }
            });
        });
        ui.separator();

        if !docs.broken.is_empty() {
            egui::CollapsingHeader::new(
                egui::RichText::new(format!("Broken files ({})", docs.broken.len()))
                    .color(ui.visuals().error_fg_color),
            )
            .default_open(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("broken")
                    .max_height(160.0)
                    .show(ui, |ui| {
                        for e in &docs.broken {
                            let name = e
                                .path
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default();
                            ui.horizontal(|ui| {
                                ui.colored_label(ui.visuals().error_fg_color, "broken");
                                ui.strong(name);
                            });
                            ui.add(
                                egui::Label::new(egui::RichText::new(e.to_string()).small()).wrap(),
                            );
                            ui.add_space(4.0);
                        }
                    });
            });
            ui.separator();
        }

        let needle = self.filter.trim().to_lowercase();
        let shown: Vec<usize> = (0..docs.sites.len())
            .filter(|&i| {
                needle.is_empty() || {
                    let s = docs.sites[i].site();
                    s.id.to_lowercase().contains(&needle) || s.name.to_lowercase().contains(&needle)
                }
            })
            .collect();
        if shown.is_empty() {
            ui.weak("No site matches the filter.");
        }
        let row_height = ui.spacing().interact_size.y + 4.0;
        let compared = &settings.compared;
        egui::ScrollArea::vertical()
            .id_salt("site list")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, shown.len(), |ui, range| {
                for &i in &shown[range] {
                    let doc = &docs.sites[i];
                    let id = doc.id();
                    ui.horizontal(|ui| {
                        ui.set_min_height(row_height - 4.0);
                        if settings.view == View::Compare {
                            let mut on = compared.iter().any(|c| c == id);
                            let full = compared.len() >= 4 && !on;
                            let check = ui
                                .add_enabled(!full, egui::Checkbox::without_text(&mut on))
                                .on_hover_text("Compare this site")
                                .accessible_name(format!("Compare {id}"));
                            if check.changed() {
                                commands.push(Command::ToggleCompared(id.to_string()));
                            }
                        }
                        // Long ids are cut short rather than run under the marks.
                        egui::Sides::new().shrink_left().truncate().show(
                            ui,
                            |ui| {
                                let response = ui
                                    .selectable_label(selected == Some(id), id)
                                    .on_hover_text(&doc.site().name);
                                if response.clicked() {
                                    commands.push(Command::Select(id.to_string()));
                                }
                            },
                            |ui| {
                                for badge in badges(doc, ui.visuals()).iter().rev() {
                                    ui.colored_label(badge.color, &badge.text)
                                        .on_hover_text(&badge.hover);
                                }
                            },
                        );
                    });
                }
            });
    }
}
