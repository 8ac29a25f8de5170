//! The editor: a site's metadata, its text per language and its cookie table, with the check
//! findings beside what they concern and the live preview on the right.

use std::collections::HashMap;

use super::command::Command;
use super::cookie_editor;
use super::docs::{Docs, SiteDoc};
use super::fields::{self, choice, optional_row, text_row};
use super::preview::{self, PreviewCache};
use super::settings::Settings;
use crate::check::Finding;
use crate::model::{Layout, Section, Site};

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
    pub cookies: cookie_editor::CookieTableCache,
}

impl EditorState {
    /// Drops typed text, so fields show the model again (after a reload or undo).
    pub fn forget_buffers(&mut self) {
        self.buffers.clear();
    }
}

/// Collects what a frame changed: the field edited (typing in it coalesces into one undo step)
/// or `None` for a one-off action such as a button.
#[derive(Default)]
pub struct Edits(pub Option<Option<egui::Id>>);

impl Edits {
    pub fn note(&mut self, r: &egui::Response) {
        if r.changed() {
            self.0 = Some(Some(r.id));
        }
    }

    pub fn action(&mut self) {
        self.0 = Some(None);
    }
}

/// The language edited and previewed: the chosen one when the site has it, else its default.
pub fn current_lang(site: &Site, chosen: Option<&String>) -> String {
    chosen
        .filter(|l| site.languages.contains(l))
        .cloned()
        .unwrap_or_else(|| site.default_language.clone())
}

pub fn ui(
    ui: &mut egui::Ui,
    docs: &mut Docs,
    state: &mut EditorState,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
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
                preview::pane(
                    ui,
                    docs,
                    &docs.sites[index],
                    &mut state.preview,
                    &mut settings.lang,
                );
            });
    }
    egui::CentralPanel::no_frame().show(ui, |ui| {
        let mut edits = Edits::default();
        let Docs {
            sites, platforms, ..
        } = docs;
        let doc = &mut sites[index];
        let lang = current_lang(doc.site(), settings.lang.as_ref());
        header(ui, doc, settings, &lang);
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
                    fields::findings(ui, general);
                    ui.add_space(4.0);
                }
                egui::CollapsingHeader::new("Site")
                    .default_open(true)
                    .show(ui, |ui| metadata(ui, site, &mut state.buffers, &mut edits));
                egui::CollapsingHeader::new(format!("Cookies ({})", site.cookies.len()))
                    .default_open(true)
                    .show(ui, |ui| {
                        cookie_editor::ui(
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
                        sections(ui, site, &lang, &mut state.buffers, &mut edits)
                    });
            });
        if let Some(field) = edits.0 {
            commands.push(Command::Edited(field));
            ui.ctx().request_repaint();
        }
    });
}

fn header(ui: &mut egui::Ui, doc: &SiteDoc, settings: &mut Settings, lang: &str) {
    let site = doc.site();
    ui.horizontal(|ui| {
        ui.heading(&site.name);
        if doc.dirty {
            ui.colored_label(ui.visuals().warn_fg_color, "• unsaved");
        }
        if doc.saving {
            ui.spinner();
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut show = !settings.hide_preview;
            if ui.toggle_value(&mut show, "Preview").changed() {
                settings.hide_preview = !show;
            }
            ui.separator();
            for l in site.languages.iter().rev() {
                if ui
                    .selectable_label(l == lang, l.to_uppercase())
                    .on_hover_text(format!("Edit and preview the {l} version"))
                    .clicked()
                {
                    settings.lang = Some(l.clone());
                }
            }
            ui.label("Language:");
        });
    });
    let (e, w, i) = doc.counts;
    ui.horizontal(|ui| {
        ui.weak(doc.file.path.display().to_string());
        ui.separator();
        ui.label(format!("{e} errors · {w} warnings · {i} info"));
    });
}

/// A text field whose model form differs from what is typed: shows the typed text while it has
/// focus. Returns the response and the text when it changed.
fn buffered(
    ui: &mut egui::Ui,
    buffers: &mut HashMap<egui::Id, String>,
    id: egui::Id,
    model: String,
    multiline: bool,
    label: egui::Id,
) -> (egui::Response, Option<String>) {
    let focused = ui.memory(|m| m.has_focus(id));
    let buffer = buffers.entry(id).or_default();
    if !focused {
        *buffer = model;
    }
    let edit = if multiline {
        egui::TextEdit::multiline(buffer).desired_rows(3)
    } else {
        egui::TextEdit::singleline(buffer)
    };
    let r = ui
        .add(edit.id(id).desired_width(f32::INFINITY))
        .labelled_by(label);
    let changed = r.changed().then(|| buffer.clone());
    if !focused && !r.has_focus() {
        buffers.remove(&id);
    }
    (r, changed)
}

fn metadata(
    ui: &mut egui::Ui,
    site: &mut Site,
    buffers: &mut HashMap<egui::Id, String>,
    edits: &mut Edits,
) {
    egui::Grid::new("site form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .striped(false)
        .show(ui, |ui| {
            edits.note(&text_row(ui, "Name", &mut site.name));
            let l = ui.label("Base address");
            let id = egui::Id::unique(("base address", &site.id));
            ui.vertical(|ui| {
                let (r, typed) = buffered(ui, buffers, id, site.base_url.to_string(), false, l.id);
                if let Some(typed) = typed {
                    match url::Url::parse(typed.trim()) {
                        Ok(url) => {
                            site.base_url = url;
                            edits.note(&r);
                        }
                        Err(e) => {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                format!("not saved: {e}"),
                            );
                        }
                    }
                } else if ui.memory(|m| m.has_focus(id))
                    && let Some(Err(e)) = buffers.get(&id).map(|t| url::Url::parse(t.trim()))
                {
                    ui.colored_label(ui.visuals().error_fg_color, format!("not saved: {e}"));
                }
            });
            ui.end_row();
            edits.note(&text_row(ui, "Policy path", &mut site.policy_path));
            edits.note(&text_row(ui, "Controller", &mut site.controller));
            edits.note(&optional_row(ui, "Contact", &mut site.contact));
            ui.label("Platform");
            ui.label(site.platform.as_deref().unwrap_or("none"));
            ui.end_row();
            ui.label("Languages");
            ui.label(site.languages.join(", "));
            ui.end_row();
            ui.label("Default language");
            let mut at = site
                .languages
                .iter()
                .position(|l| *l == site.default_language)
                .unwrap_or(0);
            let options: Vec<usize> = (0..site.languages.len()).collect();
            let languages = site.languages.clone();
            let r = choice(ui, "Default language", &mut at, &options, |i| {
                languages.get(i).cloned().unwrap_or_default()
            });
            if r.changed()
                && let Some(l) = languages.get(at)
            {
                site.default_language = l.clone();
                edits.note(&r);
            }
            ui.end_row();
            ui.label("Layout");
            edits.note(&choice(ui, "Layout", &mut site.layout, Layout::ALL, |l| {
                l.label().to_string()
            }));
            ui.end_row();
            edits.note(&text_row(ui, "Policy version", &mut site.policy_version));
            edits.note(&text_row(ui, "Last review", &mut site.last_review));
            edits.note(&optional_row(
                ui,
                "Consent cookie",
                &mut site.consent_cookie,
            ));
        });
}

fn sections(
    ui: &mut egui::Ui,
    site: &mut Site,
    lang: &str,
    buffers: &mut HashMap<egui::Id, String>,
    edits: &mut Edits,
) {
    let site_id = site.id.clone();
    let count = site.sections.get(lang).map_or(0, Vec::len);
    let mut action: Option<(usize, i8)> = None;
    if let Some(list) = site.sections.get_mut(lang) {
        for (i, section) in list.iter_mut().enumerate() {
            let n = i + 1;
            ui.group(|ui| {
                ui.horizontal(|ui| {
                    let mut level = section.level;
                    let r = choice(
                        ui,
                        &format!("Section {n} level"),
                        &mut level,
                        &[1, 2, 3],
                        |l| format!("H{l}"),
                    );
                    if r.changed() {
                        section.level = level;
                        edits.note(&r);
                    }
                    for (text, name, step) in
                        [("⏶", "up", -1), ("⏷", "down", 1), ("🗑", "remove", 0)]
                    {
                        let enabled = match step {
                            -1 => i > 0,
                            1 => i + 1 < count,
                            _ => true,
                        };
                        if ui
                            .add_enabled(enabled, egui::Button::new(text).small())
                            .on_hover_text(format!("Move section {n} {name}"))
                            .accessible_name(format!("Section {n} {name}"))
                            .clicked()
                        {
                            action = Some((i, step));
                        }
                    }
                    let l = ui.label(format!("Heading {n}"));
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut section.heading)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(l.id);
                    edits.note(&r);
                });
                let l = ui.label(format!("Body {n}")).on_hover_text(
                    "Paragraphs apart by a blank line, list items as “- ” lines, and \
                     [cookie table] where the table stands.",
                );
                let id = egui::Id::unique(("section body", &site_id, lang, i));
                let (r, typed) = buffered(ui, buffers, id, section.body_text(), true, l.id);
                if let Some(typed) = typed {
                    section.set_body_text(&typed);
                    edits.note(&r);
                }
            });
        }
    }
    if let Some((i, step)) = action
        && let Some(list) = site.sections.get_mut(lang)
    {
        match step {
            0 => {
                list.remove(i);
            }
            -1 if i > 0 => list.swap(i, i - 1),
            1 if i + 1 < list.len() => list.swap(i, i + 1),
            _ => {}
        }
        buffers.clear();
        edits.action();
    }
    if ui.button("Add section").clicked() {
        site.sections
            .entry(lang.to_string())
            .or_default()
            .push(Section {
                level: 2,
                heading: "New section".into(),
                body: vec![],
            });
        edits.action();
    }
}
