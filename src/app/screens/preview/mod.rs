//! The live preview: the policy drawn from the same document model as the HTML export (with its
//! "Save as PDF…" button), or the consent configurations and device storage disclosure an export
//! writes beside it.

mod changes;
mod consent;
mod differences;
mod document;

pub use changes::LastExportView;

pub use differences::{Marks, differences};
pub use document::document_ui;

use crate::app::commands::ExportCommand;
use crate::app::state::{Docs, SiteDoc};
use crate::app::widgets::language;
use crate::render::{Document, build_document};

/// The document of one site in one language, rebuilt only when the site changed.
#[derive(Default)]
pub struct PreviewCache {
    entry: Option<((String, u64, String), Document)>,
    /// Show the site's changes since the last export instead of the policy.
    pub show_changes: bool,
    changes: changes::ChangesCache,
    consent: consent::ConsentView,
}

impl PreviewCache {
    pub fn get(&mut self, docs: &Docs, doc: &SiteDoc, lang: &str) -> &Document {
        let key = (doc.id().to_string(), doc.revision, lang.to_string());
        let entry = match self.entry.take() {
            Some((k, d)) if k == key => (k, d),
            _ => {
                let site = doc.site();
                let cookies = site.resolved_cookies(docs.platform_of(site));
                (key, build_document(site, &cookies, lang))
            }
        };
        &self.entry.insert(entry).1
    }

    /// The document last built, if any.
    pub fn document(&self) -> Option<&Document> {
        self.entry.as_ref().map(|(_, d)| d)
    }
}

/// The preview pane for one site: a language switch and the document.
pub fn pane(
    ui: &mut egui::Ui,
    docs: &Docs,
    doc: &SiteDoc,
    cache: &mut PreviewCache,
    lang: &mut Option<String>,
    last_export: LastExportView,
) {
    let site = doc.site();
    let current = crate::app::screens::editor::current_lang(site, lang.as_ref());
    ui.horizontal(|ui| {
        ui.heading("Preview");
        ui.separator();
        let offered: Vec<Option<&str>> = site.languages.iter().map(|l| Some(l.as_str())).collect();
        let hover = |l: Option<&str>| format!("Preview and edit the {} version", l.unwrap_or(""));
        if let Some(chosen) = language::switch(ui, "Preview", &offered, Some(&current), hover) {
            *lang = chosen;
        }
        ui.separator();
        ui.toggle_value(&mut cache.show_changes, "Changes since last export")
            .on_hover_text(
                "What changed in this site since the last export (as `policydesk diff`)",
            );
        ui.separator();
        if ui
            .button("Save as PDF…")
            .on_hover_text(format!(
                "Save this preview ({current}, with unsaved edits) as an A4 PDF"
            ))
            .accessible_name("Preview: save as PDF")
            .clicked()
        {
            last_export.commands.push(
                ExportCommand::AskPdf {
                    id: doc.id().to_string(),
                    lang: current.clone(),
                }
                .into(),
            );
        }
    });
    if cache.show_changes {
        ui.separator();
        changes::changes_ui(ui, docs, doc, &mut cache.changes, last_export);
        return;
    }
    consent::choices(ui, &mut cache.consent);
    if let consent::Shown::Generated(kind) = cache.consent.shown {
        consent::code_ui(ui, docs, doc, &mut cache.consent, kind);
        return;
    }
    ui.weak(site.policy_url().to_string());
    ui.separator();
    let document = cache.get(docs, doc, &current);
    egui::ScrollArea::vertical()
        .id_salt("preview")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(900.0));
            document_ui(ui, document, None);
        });
}
