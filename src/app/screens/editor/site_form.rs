//! The site's own fields and its policy text, section by section.

use std::collections::HashMap;

use super::Edits;
use crate::app::widgets::fields::{choice, optional_row, text_row};
use crate::model::{Layout, Section, Site};

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

pub fn metadata(
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
            if !site.columns.is_empty() {
                ui.label("Table columns");
                // The button on a line of its own: a long list of headers wraps above it.
                ui.vertical(|ui| {
                    let headers: Vec<&str> = site
                        .table_columns()
                        .into_iter()
                        .map(|c| site.header(c, &site.default_language))
                        .collect();
                    ui.add(
                        egui::Label::new(format!("the page's own: {}", headers.join(" | "))).wrap(),
                    );
                    // Numbered tables with columns of their own.
                    let mut numbered: Vec<u8> =
                        site.columns.iter().filter_map(|c| c.table).collect();
                    numbered.dedup();
                    for n in numbered {
                        let headers: Vec<&str> = site
                            .table_columns_of(Some(n))
                            .into_iter()
                            .map(|c| site.header_of(Some(n), c, &site.default_language))
                            .collect();
                        ui.add(
                            egui::Label::new(format!("table {n}: {}", headers.join(" | "))).wrap(),
                        );
                    }
                    if ui
                        .button("Use the layout's")
                        .on_hover_text("Publish the table with the layout's columns and headers")
                        .clicked()
                    {
                        site.columns.clear();
                        edits.action();
                    }
                });
                ui.end_row();
            }
            edits.note(&text_row(ui, "Policy version", &mut site.policy_version));
            edits.note(&text_row(ui, "Last review", &mut site.last_review));
            edits.note(&optional_row(
                ui,
                "Consent cookie",
                &mut site.consent_cookie,
            ));
        });
}

pub fn sections(
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
