//! Side by side: two to four sites' previews in columns with what differs highlighted, and the
//! cookie matrix.

use egui_extras::{Column, TableBuilder};

use super::command::Command;
use super::docs::Docs;
use super::matrix::MatrixCache;
use super::preview::{self, Marks, PreviewCache};
use super::settings::{CompareTab, Settings};
use crate::model::text::shorten;

pub const MAX_COMPARED: usize = 4;

type PreviewKey = (String, u64, String);

#[derive(Default)]
pub struct CompareState {
    previews: Vec<PreviewCache>,
    /// The marks of the compared documents, with the (site, revision, language) they are for.
    marks: Option<(Vec<PreviewKey>, Vec<Marks>)>,
    matrix: MatrixCache,
}

/// Keeps the compared ids to sites that exist, two at least when the folder has two.
pub fn tidy(compared: &mut Vec<String>, docs: &Docs) {
    compared.retain(|id| docs.index_of(id).is_some());
    compared.dedup();
    compared.truncate(MAX_COMPARED);
    for doc in &docs.sites {
        if compared.len() >= 2.min(docs.sites.len()) {
            break;
        }
        if !compared.iter().any(|c| c == doc.id()) {
            compared.push(doc.id().to_string());
        }
    }
}

impl CompareState {
    pub fn marks(&self) -> Vec<Marks> {
        self.marks
            .as_ref()
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    pub fn reset_for(&mut self, _docs: &Docs) {
        *self = Self::default();
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        docs: &mut Docs,
        settings: &mut Settings,
        commands: &mut Vec<Command>,
    ) {
        tidy(&mut settings.compared, docs);
        ui.horizontal_wrapped(|ui| {
            ui.heading("Side by side");
            ui.separator();
            for (tab, label) in [
                (CompareTab::Matrix, "Cookie matrix"),
                (CompareTab::Previews, "Previews"),
            ] {
                if ui
                    .selectable_label(settings.compare_tab == tab, label)
                    .clicked()
                {
                    settings.compare_tab = tab;
                }
            }
            ui.separator();
            ui.label("Language:");
            for (code, label) in [(None, "common"), (Some("en"), "EN"), (Some("fr"), "FR")] {
                let on = settings.lang.as_deref() == code;
                if ui.selectable_label(on, label).clicked() {
                    settings.lang = code.map(str::to_string);
                }
            }
        });
        self.pickers(ui, docs, settings);
        ui.separator();
        if settings.compared.is_empty() {
            ui.weak("Tick the sites to compare in the list on the left.");
            return;
        }
        match settings.compare_tab {
            CompareTab::Matrix => self.matrix_ui(ui, docs, settings, commands),
            CompareTab::Previews => self.previews_ui(ui, docs, settings),
        }
    }

    fn pickers(&mut self, ui: &mut egui::Ui, docs: &Docs, settings: &mut Settings) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Sites:");
            let mut remove = None;
            for slot in 0..settings.compared.len() {
                let name = format!("Compared site {}", slot + 1);
                let current = settings.compared[slot].clone();
                egui::ComboBox::from_id_salt(&name)
                    .selected_text(&current)
                    .height(400.0)
                    .show_ui(ui, |ui| {
                        for doc in &docs.sites {
                            let id = doc.id();
                            let taken = settings.compared.iter().any(|c| c == id) && id != current;
                            if ui
                                .add_enabled(!taken, egui::Button::selectable(id == current, id))
                                .clicked()
                            {
                                settings.compared[slot] = id.to_string();
                            }
                        }
                    })
                    .response
                    .accessible_name(&name);
                if settings.compared.len() > 1
                    && ui
                        .small_button("✖")
                        .on_hover_text("Stop comparing this site")
                        .accessible_name(format!("Stop comparing {current}"))
                        .clicked()
                {
                    remove = Some(slot);
                }
            }
            if let Some(slot) = remove {
                settings.compared.remove(slot);
            }
            if settings.compared.len() < MAX_COMPARED.min(docs.sites.len())
                && ui.button("Add a site").clicked()
                && let Some(doc) = docs
                    .sites
                    .iter()
                    .find(|d| !settings.compared.iter().any(|c| c == d.id()))
            {
                settings.compared.push(doc.id().to_string());
            }
        });
    }

    fn previews_ui(&mut self, ui: &mut egui::Ui, docs: &Docs, settings: &Settings) {
        let ids = &settings.compared;
        self.previews.resize_with(ids.len(), Default::default);
        let mut key = Vec::new();
        let mut documents = Vec::new();
        for (slot, id) in ids.iter().enumerate() {
            let Some(doc) = docs.get(id) else { continue };
            let chosen = settings
                .lang
                .clone()
                .or_else(|| super::matrix::common_language(docs, ids));
            let lang = super::editor::current_lang(doc.site(), chosen.as_ref());
            key.push((id.clone(), doc.revision, lang.clone()));
            documents.push(self.previews[slot].get(docs, doc, &lang).clone());
        }
        if self.marks.as_ref().is_none_or(|(k, _)| *k != key) {
            let refs: Vec<&crate::render::Document> = documents.iter().collect();
            self.marks = Some((key.clone(), preview::differences(&refs)));
        }
        let marks = self
            .marks
            .as_ref()
            .map(|(_, m)| m.as_slice())
            .unwrap_or(&[]);
        ui.horizontal(|ui| {
            let swatch = preview::highlight_color(ui.visuals());
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, swatch);
            ui.label("differs from at least one other compared site");
        });
        ui.columns(documents.len(), |columns| {
            for (i, (column, document)) in columns.iter_mut().zip(&documents).enumerate() {
                column.strong(&key[i].0);
                column.weak(&document.policy_url);
                column.separator();
                egui::ScrollArea::vertical()
                    .id_salt(("compare preview", i))
                    .auto_shrink([false, false])
                    .show(column, |ui| {
                        preview::document_ui(ui, document, marks.get(i));
                    });
            }
        });
    }

    fn matrix_ui(
        &mut self,
        ui: &mut egui::Ui,
        docs: &Docs,
        settings: &Settings,
        commands: &mut Vec<Command>,
    ) {
        let matrix = self
            .matrix
            .get(docs, &settings.compared, settings.lang.as_deref());
        let differing = matrix
            .rows
            .iter()
            .filter(|r| !r.disagreements.is_empty())
            .count();
        ui.label(format!(
            "{} cookies · {differing} declared differently (≠) · click a cell to edit that cookie",
            matrix.rows.len()
        ));
        let warn = ui.visuals().warn_fg_color;
        let highlight = preview::highlight_color(ui.visuals());
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let row_height = line * 2.0 + 10.0;
        let mut table = TableBuilder::new(ui)
            .id_salt("cookie matrix")
            .striped(true)
            .resizable(true)
            .auto_shrink([false, false])
            .column(Column::initial(200.0).at_least(120.0).clip(true));
        for _ in &matrix.sites {
            table = table.column(Column::remainder().at_least(140.0).clip(true));
        }
        table
            .header(line + 10.0, |mut header| {
                header.col(|ui| {
                    ui.strong("Cookie");
                });
                for site in &matrix.sites {
                    header.col(|ui| {
                        ui.strong(site);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, matrix.rows.len(), |mut row| {
                    let r = &matrix.rows[row.index()];
                    row.col(|ui| {
                        ui.vertical(|ui| {
                            ui.strong(&r.cookie);
                            if !r.disagreements.is_empty() {
                                ui.colored_label(warn, format!("≠ {}", r.disagreements.join(", ")));
                            }
                        });
                    });
                    for (site, cell) in matrix.sites.iter().zip(&r.cells) {
                        row.col(|ui| {
                            let Some(cell) = cell else {
                                ui.weak("not declared");
                                return;
                            };
                            let differs = !r.disagreements.is_empty();
                            if differs {
                                ui.painter().rect_filled(ui.max_rect(), 2.0, highlight);
                            }
                            // Mark the very line that differs, not the whole cell.
                            let mark = |field: &str| {
                                if r.disagreements.contains(&field) { "≠ " } else { "" }
                            };
                            let text = format!(
                                "{}{}\n{}{}",
                                mark("category"),
                                cell.category.label(),
                                mark("duration"),
                                shorten(&cell.duration(), 44)
                            );
                            let mut name = format!(
                                "{} on {site}: {}, {}",
                                r.cookie,
                                cell.category.label(),
                                cell.duration()
                            );
                            if differs {
                                name.push_str(&format!(" (differs: {})", r.disagreements.join(", ")));
                            }
                            let response = ui
                                .add(
                                    egui::Button::new(text)
                                        .frame(false)
                                        .wrap_mode(egui::TextWrapMode::Extend),
                                )
                                .accessible_name(name)
                                .on_hover_text(format!(
                                    "category: {}\nduration: {} (value: {})\npurpose: {}\n\nClick to edit",
                                    cell.category.label(),
                                    cell.duration(),
                                    cell.value,
                                    cell.purpose
                                ));
                            if response.clicked() {
                                commands.push(Command::OpenCookie {
                                    site: site.clone(),
                                    cookie: r.name.clone(),
                                });
                            }
                        });
                    }
                });
            });
    }
}
