//! Side by side: two to four sites' previews in columns with what differs highlighted, and the
//! cookie matrix.

pub mod matrix;
mod matrix_view;

use matrix::MatrixCache;

use crate::app::screens::Ctx;
use crate::app::screens::editor::current_lang;
use crate::app::screens::preview::{self, Marks, PreviewCache};
use crate::app::state::{CompareTab, Docs, MAX_COMPARED, Settings};
use crate::app::widgets::{colors, language};

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

    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut Ctx) {
        let (docs, settings) = (&*ctx.docs, &mut *ctx.settings);
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
            // "common" (a language every compared site has), then each compared site's own.
            let mut offered: Vec<Option<&str>> = vec![None];
            for doc in settings.compared.iter().filter_map(|id| docs.get(id)) {
                for l in &doc.site().languages {
                    if !offered.contains(&Some(l.as_str())) {
                        offered.push(Some(l.as_str()));
                    }
                }
            }
            let hover = |l: Option<&str>| match l {
                None => "Each site in a language all compared sites publish".to_string(),
                Some(l) => format!("Each site in {l} where it has it, else its default"),
            };
            let current = settings.lang.as_deref();
            if let Some(chosen) = language::switch(ui, "Side by side", &offered, current, hover) {
                settings.lang = chosen;
            }
        });
        self.pickers(ui, docs, settings);
        ui.separator();
        if settings.compared.is_empty() {
            ui.weak("Tick the sites to compare in the list on the left.");
            return;
        }
        match settings.compare_tab {
            CompareTab::Matrix => self.matrix_ui(ui, docs, settings, ctx.commands),
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
        let mut slots = Vec::new();
        let chosen = settings
            .lang
            .clone()
            .or_else(|| matrix::common_language(docs, ids));
        for (slot, id) in ids.iter().enumerate() {
            let Some(doc) = docs.get(id) else { continue };
            let lang = current_lang(doc.site(), chosen.as_ref());
            key.push((id.clone(), doc.revision, lang.clone()));
            self.previews[slot].get(docs, doc, &lang);
            slots.push(slot);
        }
        // The documents are read from the caches just refreshed: nothing is copied per frame.
        let documents: Vec<&crate::render::Document> = slots
            .iter()
            .filter_map(|&s| self.previews[s].document())
            .collect();
        if self.marks.as_ref().is_none_or(|(k, _)| *k != key) {
            self.marks = Some((key.clone(), preview::differences(&documents)));
        }
        let marks = self
            .marks
            .as_ref()
            .map(|(_, m)| m.as_slice())
            .unwrap_or(&[]);
        ui.horizontal(|ui| {
            let swatch = colors::highlight(ui.visuals());
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, swatch);
            ui.label("differs from at least one other compared site");
        });
        ui.columns(documents.len(), |columns| {
            for (i, (column, document)) in columns.iter_mut().zip(documents).enumerate() {
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
}
