//! The left panel: every site with its status, the files that failed to load, a filter, and
//! new / duplicate / delete.

mod badges;

pub use badges::{Badge, badges};

use crate::app::commands::{SiteCommand, ViewCommand};
use crate::app::screens::Ctx;
use crate::app::state::{MAX_COMPARED, View};

#[derive(Default)]
pub struct SitesPanel {
    pub filter: String,
    pub focus_filter: bool,
}

impl SitesPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut Ctx) {
        egui::Panel::left("sites")
            .resizable(true)
            .default_size(320.0)
            .min_size(260.0)
            .show(ui, |ui| {
                if ctx.loading {
                    ui.spinner();
                    return;
                }
                self.contents(ui, ctx);
            });
    }

    fn contents(&mut self, ui: &mut egui::Ui, ctx: &mut Ctx) {
        let (docs, settings) = (&*ctx.docs, &*ctx.settings);
        let commands = &mut *ctx.commands;
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
            .accessible_name("Sites: filter");
        if std::mem::take(&mut self.focus_filter) {
            filter.request_focus();
        }
        let selected = settings.selected.as_deref();
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("New site…")
                .on_hover_text("Create a site from its platform's cookies")
                .accessible_name("Sites: new site")
                .clicked()
            {
                commands.push(SiteCommand::AskNew.into());
            }
            ui.add_enabled_ui(selected.is_some(), |ui| {
                if ui
                    .button("Duplicate…")
                    .accessible_name("Sites: duplicate the selected site")
                    .clicked()
                    && let Some(id) = selected
                {
                    commands.push(SiteCommand::AskDuplicate(id.to_string()).into());
                }
                if ui
                    .button("Delete…")
                    .on_hover_text("Move the site file to the trash folder")
                    .accessible_name("Sites: delete the selected site")
                    .clicked()
                    && let Some(id) = selected
                {
                    commands.push(SiteCommand::AskDelete(id.to_string()).into());
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
                            let full = compared.len() >= MAX_COMPARED && !on;
                            let check = ui
                                .add_enabled(!full, egui::Checkbox::without_text(&mut on))
                                .on_hover_text("Compare this site")
                                .accessible_name(format!("Sites: compare {id}"));
                            if check.changed() {
                                commands.push(ViewCommand::ToggleCompared(id.to_string()).into());
                            }
                        }
                        // Long ids are cut short rather than run under the marks.
                        egui::Sides::new().shrink_left().truncate().show(
                            ui,
                            |ui| {
                                let response = ui
                                    .selectable_label(selected == Some(id), id)
                                    .on_hover_text(&doc.site().name)
                                    .accessible_name(format!("Sites: {id}"));
                                if response.clicked() {
                                    commands.push(SiteCommand::Select(id.to_string()).into());
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
