//! The cookie table of the editor (every row, drawing only the visible ones), its buttons, and
//! which form shows the selected cookie (`cookie_form`).

use egui_extras::{Column, TableBuilder};

use super::cookie_form::{about_duration, own_form, platform_form};
use super::{EditorState, Edits, row_cells};
use crate::app::widgets::severity;
use crate::check::{Finding, severity_counts};
use crate::model::text::text_in;
use crate::model::{CookieDecl, CookieEntry, Platform, PlatformCookieUse, Site};

/// The resolved declaration of every row, rebuilt when the site changes.
#[derive(Default)]
pub struct CookieTableCache {
    key: Option<(String, u64)>,
    rows: Vec<Option<CookieDecl>>,
}

fn resolve(entry: &CookieEntry, platform: Option<&Platform>) -> Option<CookieDecl> {
    match entry {
        CookieEntry::Own(d) => Some(d.clone()),
        CookieEntry::Platform(u) => platform
            .and_then(|p| p.cookie(&u.name))
            .map(|b| u.resolve(b)),
    }
}

pub fn ui(
    ui: &mut egui::Ui,
    site: &mut Site,
    platform: Option<&Platform>,
    findings: &[Finding],
    (revision, lang): (u64, &str),
    state: &mut EditorState,
    edits: &mut Edits,
) {
    let key = (site.id.clone(), revision);
    if state.cookies.key.as_ref() != Some(&key) || state.cookies.rows.len() != site.cookies.len() {
        state.cookies.rows = site.cookies.iter().map(|e| resolve(e, platform)).collect();
        state.cookies.key = Some(key);
    }
    if state
        .selected_cookie
        .is_some_and(|i| i >= site.cookies.len())
    {
        state.selected_cookie = None;
    }
    toolbar(ui, site, platform, state, edits);
    table(ui, site, findings, lang, state);
    ui.add_space(6.0);
    let Some(i) = state.selected_cookie else {
        ui.weak("Select a cookie to edit it.");
        return;
    };
    let name = site.cookies[i].name().to_string();
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.cookie.as_deref() == Some(name.as_str()))
        .collect();
    let columns = row_cells::other_columns(site, site.cookies[i].table(), lang);
    let form = ui.group(|ui| match &mut site.cookies[i] {
        CookieEntry::Own(decl) => {
            ui.heading(format!("Cookie {}", decl.display_name()));
            ui.weak("declared by this site");
            severity::findings(
                ui,
                mine.iter().copied().filter(|f| !about_duration(f)),
                |ui, f| edits.fix_button(ui, f),
            );
            own_form(ui, decl, (lang, &columns), &mine, edits);
        }
        CookieEntry::Platform(using) => {
            let base = platform.and_then(|p| p.cookie(&using.name)).cloned();
            ui.heading(format!("Cookie {}", using.name));
            match base {
                Some(base) => {
                    ui.weak(format!(
                        "declared by the platform {}; fields left inherited follow it",
                        platform.map_or("", |p| p.name.as_str())
                    ));
                    severity::findings(
                        ui,
                        mine.iter().copied().filter(|f| !about_duration(f)),
                        |ui, f| edits.fix_button(ui, f),
                    );
                    platform_form(ui, using, &base, (lang, &columns), &mine, edits);
                }
                None => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        "the platform does not declare this cookie",
                    );
                }
            }
        }
    });
    if std::mem::take(&mut state.scroll_to_cookie) {
        form.response.scroll_to_me(Some(egui::Align::TOP));
    }
}

fn toolbar(
    ui: &mut egui::Ui,
    site: &mut Site,
    platform: Option<&Platform>,
    state: &mut EditorState,
    edits: &mut Edits,
) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Add cookie")
            .on_hover_text("Declare a cookie of this site")
            .clicked()
        {
            site.cookies.push(CookieEntry::Own(CookieDecl {
                name: "new_cookie".into(),
                provider: site.controller.clone(),
                ..Default::default()
            }));
            state.selected_cookie = Some(site.cookies.len() - 1);
            edits.action();
        }
        if let Some(platform) = platform {
            let unused: Vec<&CookieDecl> = platform
                .cookies
                .iter()
                .filter(|c| !site.cookies.iter().any(|e| e.name() == c.name))
                .collect();
            ui.add_enabled_ui(!unused.is_empty(), |ui| {
                ui.menu_button("Add platform cookie", |ui| {
                    for c in unused {
                        if ui.button(&c.name).clicked() {
                            site.cookies.push(CookieEntry::Platform(PlatformCookieUse {
                                name: c.name.clone(),
                                ..Default::default()
                            }));
                            state.selected_cookie = Some(site.cookies.len() - 1);
                            edits.action();
                        }
                    }
                });
            });
        }
        let selected = state.selected_cookie;
        ui.add_enabled_ui(selected.is_some(), |ui| {
            let Some(i) = selected else { return };
            let own = matches!(site.cookies[i], CookieEntry::Own(_));
            if ui
                .add_enabled(own, egui::Button::new("Duplicate cookie"))
                .on_disabled_hover_text("A platform cookie is published once")
                .clicked()
            {
                site.duplicate_cookie(i);
                state.selected_cookie = Some(i + 1);
                edits.action();
            }
            if ui.button("Remove cookie").clicked() {
                site.remove_cookie(i);
                state.selected_cookie = None;
                edits.action();
            }
            if ui
                .add_enabled(i > 0, egui::Button::new("Move up"))
                .clicked()
            {
                site.swap_cookies(i, i - 1);
                state.selected_cookie = Some(i - 1);
                edits.action();
            }
            if ui
                .add_enabled(i + 1 < site.cookies.len(), egui::Button::new("Move down"))
                .clicked()
            {
                site.swap_cookies(i, i + 1);
                state.selected_cookie = Some(i + 1);
                edits.action();
            }
        });
    });
}

fn table(
    ui: &mut egui::Ui,
    site: &Site,
    findings: &[Finding],
    lang: &str,
    state: &mut EditorState,
) {
    let row_height = ui.spacing().interact_size.y + 2.0;
    let rows = &state.cookies.rows;
    let mut clicked = None;
    let mut builder = TableBuilder::new(ui)
        .id_salt("cookie table")
        .striped(true)
        .resizable(true)
        .max_scroll_height(row_height * 8.5)
        .column(Column::initial(170.0).at_least(90.0).clip(true))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::auto().at_least(64.0));
    if state.scroll_to_cookie
        && let Some(i) = state.selected_cookie
    {
        builder = builder.scroll_to_row(i, Some(egui::Align::Center));
    }
    builder
        .header(row_height, |mut header| {
            for title in ["Cookie", "Source", "Category", "Duration", "Checks"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, site.cookies.len(), |mut row| {
                let i = row.index();
                let entry = &site.cookies[i];
                let decl = rows.get(i).and_then(Option::as_ref);
                let selected = state.selected_cookie == Some(i);
                row.set_selected(selected);
                row.col(|ui| {
                    let shown =
                        decl.map_or_else(|| entry.name().to_string(), CookieDecl::display_name);
                    if ui
                        .selectable_label(selected, shown)
                        .accessible_name(format!("Cookie {}", entry.name()))
                        .clicked()
                    {
                        clicked = Some(i);
                    }
                });
                row.col(|ui| {
                    ui.label(match entry {
                        CookieEntry::Own(_) => "own",
                        CookieEntry::Platform(u) if u.is_plain() => "platform",
                        CookieEntry::Platform(_) => "platform*",
                    });
                });
                row.col(|ui| {
                    ui.label(decl.map_or("?", |d| d.category.label()));
                });
                row.col(|ui| {
                    let text = decl.map(|d| text_in(&d.duration.text, lang)).unwrap_or("");
                    let value = decl.map(|d| d.duration.value).unwrap_or_default();
                    if text.is_empty() {
                        ui.label(value.to_string());
                    } else {
                        ui.label(text).on_hover_text(format!("value: {value}"));
                    }
                });
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        let name = entry.name();
                        let (e, w, _) = severity_counts(
                            findings
                                .iter()
                                .filter(|f| f.cookie.as_deref() == Some(name))
                                .map(|f| f.severity),
                        );
                        if e > 0 {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                format!("{}{e}", severity::icon(crate::check::Severity::Error)),
                            );
                        }
                        if w > 0 {
                            ui.colored_label(
                                ui.visuals().warn_fg_color,
                                format!("{}{w}", severity::icon(crate::check::Severity::Warning)),
                            );
                        }
                        if e + w == 0 {
                            ui.weak("ok");
                        }
                    });
                });
                if row.response().clicked() {
                    clicked = Some(i);
                }
            });
        });
    if let Some(i) = clicked {
        state.selected_cookie = Some(i);
    }
}
