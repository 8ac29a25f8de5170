//! The editor: a site's metadata, its text per language and its cookie table, with the check
//! findings beside what they concern and the live preview on the right.

mod cookie_form;
mod cookie_table;
mod fixes;
mod row_cells;
mod site_form;

use std::collections::HashMap;

use crate::app::commands::EditCommand;
use crate::app::screens::Ctx;
use crate::app::screens::preview::{self, PreviewCache};
use crate::app::state::history::FieldKey;
use crate::app::state::{Docs, Settings, SiteDoc};
use crate::app::widgets::{language, severity};
use crate::check::Finding;
use crate::model::Site;

#[derive(Default)]
pub struct EditorState {
    /// The index of the cookie row shown in the cookie form.
    pub selected_cookie: Option<usize>,
    /// Bring the cookie form into view on the next frame (after a click in the matrix).
    pub scroll_to_cookie: bool,
    /// What is typed into fields the model normalises (body text, addresses), kept as typed
    /// while the field has focus.
    buffers: HashMap<egui::Id, String>,
    preview: PreviewCache,
    cookies: cookie_table::CookieTableCache,
    fixes: fixes::FixCache,
}

impl EditorState {
    /// Drops typed text, so fields show the model again (after a reload or undo).
    pub fn forget_buffers(&mut self) {
        self.buffers.clear();
    }
}

/// Collects what a frame changed: the field edited (typing in it coalesces into one undo step)
/// or `None` for a one-off action such as a button; or the finding whose Fix was clicked.
pub struct Edits<'a> {
    pub field: Option<Option<FieldKey>>,
    offers: &'a fixes::Offers,
    pub fix: Option<Finding>,
}

impl Edits<'_> {
    pub fn note(&mut self, r: &egui::Response) {
        if r.changed() {
            self.field = Some(Some(r.id.value()));
        }
    }

    pub fn action(&mut self) {
        self.field = Some(None);
    }

    /// The Fix button beside `finding`.
    pub fn fix_button(&mut self, ui: &mut egui::Ui, finding: &Finding) {
        if fixes::button(ui, self.offers, finding) {
            self.fix = Some(finding.clone());
        }
    }
}

/// The language edited and previewed: the chosen one when the site has it, else its default.
pub fn current_lang(site: &Site, chosen: Option<&String>) -> String {
    chosen
        .filter(|l| site.languages.contains(l))
        .cloned()
        .unwrap_or_else(|| site.default_language.clone())
}

pub fn ui(ui: &mut egui::Ui, state: &mut EditorState, ctx: &mut Ctx) {
    let (docs, settings, commands) = (&mut *ctx.docs, &mut *ctx.settings, &mut *ctx.commands);
    let last = ctx.export.last.as_ref();
    let Some(index) = settings
        .selected
        .as_deref()
        .and_then(|id| docs.index_of(id))
    else {
        ui.centered_and_justified(|ui| {
            ui.weak(if docs.sites.is_empty() {
                "This folder has no site yet: create one with “New site…”."
            } else {
                "Select a site on the left."
            });
        });
        return;
    };
    if !settings.hide_preview {
        egui::Panel::right("preview panel")
            .resizable(true)
            .default_size((ui.available_width() * 0.45).max(320.0))
            .min_size(260.0)
            .show(ui, |ui| {
                let last_export = preview::LastExportView {
                    path: settings.last_export.as_deref(),
                    last,
                    commands,
                };
                preview::pane(
                    ui,
                    docs,
                    &docs.sites[index],
                    &mut state.preview,
                    &mut settings.lang,
                    last_export,
                );
            });
    }
    egui::CentralPanel::no_frame().show(ui, |ui| {
        let Docs {
            sites, platforms, ..
        } = docs;
        let doc = &mut sites[index];
        // Out of `state` while the frame draws, so the edits can lend it to every form.
        let mut fixes = std::mem::take(&mut state.fixes);
        fixes.refresh(
            doc,
            doc.site().platform.as_ref().and_then(|p| platforms.get(p)),
        );
        let mut edits = Edits {
            field: None,
            offers: &fixes.offers,
            fix: None,
        };
        let lang = current_lang(doc.site(), settings.lang.as_ref());
        header(ui, doc, settings, &lang, ctx.commands);
        ui.separator();
        let SiteDoc {
            file,
            findings,
            revision,
            ..
        } = doc;
        let site = &mut file.site;
        let platform = site.platform.as_ref().and_then(|p| platforms.get(p));
        egui::ScrollArea::vertical()
            .id_salt("editor")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let general: Vec<&Finding> =
                    findings.iter().filter(|f| f.cookie.is_none()).collect();
                if !general.is_empty() {
                    severity::findings(ui, general, |ui, f| edits.fix_button(ui, f));
                    ui.add_space(4.0);
                }
                egui::CollapsingHeader::new("Site")
                    .default_open(true)
                    .show(ui, |ui| {
                        site_form::metadata(ui, site, &mut state.buffers, &mut edits)
                    });
                egui::CollapsingHeader::new(format!("Cookies ({})", site.cookies.len()))
                    .default_open(true)
                    .show(ui, |ui| {
                        cookie_table::ui(
                            ui,
                            site,
                            platform,
                            findings,
                            (*revision, &lang),
                            state,
                            &mut edits,
                        )
                    });
                egui::CollapsingHeader::new(format!("Policy text ({})", lang.to_uppercase()))
                    .default_open(true)
                    .show(ui, |ui| {
                        site_form::sections(ui, site, &lang, &mut state.buffers, &mut edits)
                    });
            });
        if let Some(field) = edits.field {
            ctx.commands.push(EditCommand::Edited(field).into());
            ui.ctx().request_repaint();
        }
        if let Some(finding) = edits.fix {
            ctx.commands
                .push(EditCommand::Fix(Box::new(finding)).into());
            ui.ctx().request_repaint();
        }
        state.fixes = fixes;
    });
}

fn header(
    ui: &mut egui::Ui,
    doc: &SiteDoc,
    settings: &mut Settings,
    lang: &str,
    commands: &mut Vec<crate::app::commands::Command>,
) {
    let site = doc.site();
    ui.horizontal(|ui| {
        ui.heading(&site.name);
        if ui
            .button("Import…")
            .on_hover_text("Read this site's published page (or another tool's output) and review what it changes")
            .clicked()
        {
            commands.push(crate::app::commands::SiteCommand::AskImport(doc.id().to_string()).into());
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut show = !settings.hide_preview;
            if ui.toggle_value(&mut show, "Preview").changed() {
                settings.hide_preview = !show;
            }
            ui.separator();
            let offered: Vec<Option<&str>> = site
                .languages
                .iter()
                .rev()
                .map(|l| Some(l.as_str()))
                .collect();
            let hover =
                |l: Option<&str>| format!("Edit and preview the {} version", l.unwrap_or(""));
            if let Some(chosen) = language::switch(ui, "Editor", &offered, Some(lang), hover) {
                settings.lang = chosen;
            }
            ui.label("Language:");
        });
    });
    let (e, w, i) = doc.counts;
    ui.horizontal(|ui| {
        ui.weak(doc.file.path.display().to_string());
        // On the file's line, not the title's: there the language switch, laid out from the
        // right, would cover it in a narrow editor.
        if doc.dirty {
            ui.colored_label(ui.visuals().warn_fg_color, "• unsaved");
        }
        if doc.saving {
            ui.spinner();
        }
        ui.separator();
        ui.label(format!("{e} errors · {w} warnings · {i} info"));
    });
}
