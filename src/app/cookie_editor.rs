//! The cookie table of the editor (every row, drawing only the visible ones) and the form of the
//! selected cookie: a site's own declaration, or a platform cookie with its inherited fields and
//! their overrides.

use egui_extras::{Column, TableBuilder};

use super::editor::{EditorState, Edits};
use super::fields::{self, choice, lang_text, optional_row, text_row};
use crate::check::{Finding, severity_counts};
use crate::model::duration::{DAY, HOUR, MINUTE, MONTH, WEEK, YEAR, parse_duration_text};
use crate::model::text::text_in;
use crate::model::{
    Category, Consent, CookieDecl, CookieEntry, DurationValue, MatchKind, Party, Platform,
    PlatformCookieUse, Site, StorageType, Texts,
};

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

/// Rules whose findings belong next to the duration fields.
fn about_duration(f: &Finding) -> bool {
    f.rule.starts_with("duration")
        || f.rule == "lifetime-13-months"
        || f.rule == "consent-choice-6-months"
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
    let form = ui.group(|ui| match &mut site.cookies[i] {
        CookieEntry::Own(decl) => {
            ui.heading(format!("Cookie {}", decl.display_name()));
            ui.weak("declared by this site");
            fields::findings(ui, mine.iter().copied().filter(|f| !about_duration(f)));
            own_form(ui, decl, lang, &mine, edits);
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
                    fields::findings(ui, mine.iter().copied().filter(|f| !about_duration(f)));
                    platform_form(ui, using, &base, lang, &mine, edits);
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
                let mut copy = site.cookies[i].clone();
                if let CookieEntry::Own(d) = &mut copy {
                    d.name.push_str("_copy");
                }
                site.cookies.insert(i + 1, copy);
                state.selected_cookie = Some(i + 1);
                edits.action();
            }
            if ui.button("Remove cookie").clicked() {
                site.cookies.remove(i);
                state.selected_cookie = None;
                edits.action();
            }
            if ui
                .add_enabled(i > 0, egui::Button::new("Move up"))
                .clicked()
            {
                site.cookies.swap(i, i - 1);
                state.selected_cookie = Some(i - 1);
                edits.action();
            }
            if ui
                .add_enabled(i + 1 < site.cookies.len(), egui::Button::new("Move down"))
                .clicked()
            {
                site.cookies.swap(i, i + 1);
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
                            ui.colored_label(ui.visuals().error_fg_color, format!("✖{e}"));
                        }
                        if w > 0 {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("⚠{w}"));
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

const UNITS: [(u64, &str); 7] = [
    (1, "seconds"),
    (MINUTE, "minutes"),
    (HOUR, "hours"),
    (DAY, "days"),
    (WEEK, "weeks"),
    (MONTH, "months"),
    (YEAR, "years"),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Session,
    Fixed,
    UpTo,
    Unknown,
}

/// Edits a machine duration: its kind, and an amount in a unit for timed ones.
fn duration_value_ui(ui: &mut egui::Ui, name: &str, value: &mut DurationValue) -> egui::Response {
    let kind = match value {
        DurationValue::Session => Kind::Session,
        DurationValue::Seconds(_) => Kind::Fixed,
        DurationValue::UpTo(_) => Kind::UpTo,
        DurationValue::Unknown => Kind::Unknown,
    };
    let mut chosen = kind;
    ui.horizontal(|ui| {
        let mut r = choice(
            ui,
            name,
            &mut chosen,
            &[Kind::Session, Kind::Fixed, Kind::UpTo, Kind::Unknown],
            |k| {
                match k {
                    Kind::Session => "session",
                    Kind::Fixed => "fixed",
                    Kind::UpTo => "up to",
                    Kind::Unknown => "unknown",
                }
                .to_string()
            },
        );
        if chosen != kind {
            let secs = value.max_seconds().filter(|s| *s > 0).unwrap_or(DAY);
            *value = match chosen {
                Kind::Session => DurationValue::Session,
                Kind::Fixed => DurationValue::Seconds(secs),
                Kind::UpTo => DurationValue::UpTo(secs),
                Kind::Unknown => DurationValue::Unknown,
            };
        }
        if let DurationValue::Seconds(s) | DurationValue::UpTo(s) = value {
            let unit = UNITS
                .iter()
                .rev()
                .map(|u| u.0)
                .find(|u| *s % u == 0 && *s >= *u)
                .unwrap_or(1);
            let (mut amount, mut new_unit) = (*s / unit, unit);
            let a = ui
                .add(egui::DragValue::new(&mut amount).range(0..=1_000_000))
                .accessible_name(format!("{name} amount"));
            let units: Vec<u64> = UNITS.iter().map(|u| u.0).collect();
            let u = choice(ui, &format!("{name} unit"), &mut new_unit, &units, |u| {
                UNITS
                    .iter()
                    .find(|x| x.0 == u)
                    .map_or("?", |x| x.1)
                    .to_string()
            });
            if a.changed() || u.changed() {
                *s = amount.saturating_mul(new_unit);
            }
            r = r | a | u;
        }
        r
    })
    .inner
}

/// "reads as 2 weeks" beside a duration text.
fn reading(ui: &mut egui::Ui, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    let read = parse_duration_text(text);
    let shown = read.map_or_else(
        || "nothing PolicyDesk can read".to_string(),
        |v| v.to_string(),
    );
    ui.weak(format!("reads as: {shown}"));
}

fn own_form(
    ui: &mut egui::Ui,
    decl: &mut CookieDecl,
    lang: &str,
    findings: &[&Finding],
    edits: &mut Edits,
) {
    let up = lang.to_uppercase();
    egui::Grid::new("own cookie form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            edits.note(&text_row(ui, "Name", &mut decl.name));
            ui.label("Match");
            edits.note(&choice(
                ui,
                "Match",
                &mut decl.matching,
                MatchKind::ALL,
                |m| m.label().into(),
            ));
            ui.end_row();
            ui.label("Storage");
            edits.note(&choice(
                ui,
                "Storage",
                &mut decl.storage,
                StorageType::ALL,
                |m| m.label().into(),
            ));
            ui.end_row();
            edits.note(&text_row(ui, "Provider", &mut decl.provider));
            ui.label("Category");
            edits.note(&choice(
                ui,
                "Category",
                &mut decl.category,
                Category::ALL,
                |m| m.label().into(),
            ));
            ui.end_row();
            ui.label("Party");
            edits.note(&choice(ui, "Party", &mut decl.party, Party::ALL, |m| {
                m.label().into()
            }));
            ui.end_row();
            ui.label("Consent");
            let by_category = if decl.category.exempt_by_default() {
                "exempt"
            } else {
                "required"
            };
            let options = [None, Some(Consent::Required), Some(Consent::Exempt)];
            edits.note(&choice(
                ui,
                "Consent",
                &mut decl.consent,
                &options,
                |c| match c {
                    None => format!("by category ({by_category})"),
                    Some(c) => c.label().into(),
                },
            ));
            ui.end_row();
            edits.note(&optional_row(ui, "Domain", &mut decl.domain));
            let l = ui.label(format!("Function and location ({up})"));
            edits.note(&lang_text(ui, l.id, &mut decl.location, lang, false));
            ui.end_row();
            let l = ui.label(format!("Purpose ({up})"));
            edits.note(&lang_text(ui, l.id, &mut decl.purpose, lang, true));
            ui.end_row();
            let l = ui.label(format!("Duration ({up})"));
            ui.vertical(|ui| {
                edits.note(&lang_text(ui, l.id, &mut decl.duration.text, lang, false));
                reading(ui, text_in(&decl.duration.text, lang));
            });
            ui.end_row();
            ui.label("Duration value");
            ui.vertical(|ui| {
                edits.note(&duration_value_ui(
                    ui,
                    "Duration value",
                    &mut decl.duration.value,
                ));
                let read = parse_duration_text(text_in(&decl.duration.text, lang));
                if let Some(read) = read.filter(|r| !r.agrees_with(decl.duration.value))
                    && ui
                        .button(format!("Use {read}"))
                        .on_hover_text("Set the value the text reads as")
                        .clicked()
                {
                    decl.duration.value = read;
                    edits.action();
                }
                fields::findings(ui, findings.iter().copied().filter(|f| about_duration(f)));
            });
            ui.end_row();
        });
}

/// One inherited field of a platform cookie: the platform's value with "Override", or this
/// site's value with its editor and "Revert".
fn inherited<T: Clone>(
    ui: &mut egui::Ui,
    label: &str,
    over: &mut Option<T>,
    base: &T,
    show: impl Fn(&T) -> String,
    editor: impl FnOnce(&mut egui::Ui, egui::Id, &mut T) -> egui::Response,
    edits: &mut Edits,
) {
    let l = ui.label(label);
    ui.horizontal(|ui| match over {
        Some(value) => {
            if ui
                .button("Revert")
                .on_hover_text("Use the platform's value again")
                .accessible_name(format!("Revert {label}"))
                .clicked()
            {
                *over = None;
                edits.action();
            } else {
                edits.note(&editor(ui, l.id, value));
            }
        }
        None => {
            if ui
                .button("Override")
                .on_hover_text("Word this differently for this site")
                .accessible_name(format!("Override {label}"))
                .clicked()
            {
                *over = Some(base.clone());
                edits.action();
            }
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!("{}  (inherited)", show(base))).weak(),
                )
                .wrap(),
            );
        }
    });
    ui.end_row();
}

/// `inherited` for one language of a per-language text.
fn inherited_text(
    ui: &mut egui::Ui,
    label: &str,
    over: &mut Texts,
    base: &Texts,
    lang: &str,
    multiline: bool,
    edits: &mut Edits,
) {
    let mut value = over.get(lang).cloned();
    let before = value.clone();
    inherited(
        ui,
        label,
        &mut value,
        &text_in(base, lang).to_string(),
        |t| {
            if t.is_empty() {
                "(empty)".into()
            } else {
                t.clone()
            }
        },
        |ui, l, t| {
            let edit = if multiline {
                egui::TextEdit::multiline(t).desired_rows(2)
            } else {
                egui::TextEdit::singleline(t)
            };
            ui.add(edit.desired_width(f32::INFINITY)).labelled_by(l)
        },
        edits,
    );
    if value != before {
        match value {
            Some(t) => over.insert(lang.to_string(), t),
            None => over.remove(lang),
        };
    }
}

fn platform_form(
    ui: &mut egui::Ui,
    using: &mut PlatformCookieUse,
    base: &CookieDecl,
    lang: &str,
    findings: &[&Finding],
    edits: &mut Edits,
) {
    let up = lang.to_uppercase();
    egui::Grid::new("platform cookie form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label("Name");
            ui.label(base.display_name());
            ui.end_row();
            ui.label("Match and storage");
            ui.label(format!(
                "{} · {}",
                base.matching.label(),
                base.storage.label()
            ));
            ui.end_row();
            inherited(
                ui,
                "Provider",
                &mut using.provider,
                &base.provider,
                Clone::clone,
                |ui, l, v| {
                    ui.add(egui::TextEdit::singleline(v).desired_width(f32::INFINITY))
                        .labelled_by(l)
                },
                edits,
            );
            inherited(
                ui,
                "Category",
                &mut using.category,
                &base.category,
                |c| c.label().into(),
                |ui, _, v| choice(ui, "Category", v, Category::ALL, |c| c.label().into()),
                edits,
            );
            inherited(
                ui,
                "Party",
                &mut using.party,
                &base.party,
                |c| c.label().into(),
                |ui, _, v| choice(ui, "Party", v, Party::ALL, |c| c.label().into()),
                edits,
            );
            let base_consent = if base.is_consent_exempt() {
                Consent::Exempt
            } else {
                Consent::Required
            };
            inherited(
                ui,
                "Consent",
                &mut using.consent,
                &base_consent,
                |c| c.label().into(),
                |ui, _, v| choice(ui, "Consent", v, Consent::ALL, |c| c.label().into()),
                edits,
            );
            inherited_text(
                ui,
                &format!("Function and location ({up})"),
                &mut using.location,
                &base.location,
                lang,
                false,
                edits,
            );
            inherited_text(
                ui,
                &format!("Purpose ({up})"),
                &mut using.purpose,
                &base.purpose,
                lang,
                true,
                edits,
            );
            inherited_text(
                ui,
                &format!("Duration ({up})"),
                &mut using.duration_text,
                &base.duration.text,
                lang,
                false,
                edits,
            );
            let resolved = using.resolve(base);
            ui.label("");
            reading(ui, text_in(&resolved.duration.text, lang));
            ui.end_row();
            inherited(
                ui,
                "Duration value",
                &mut using.duration_value,
                &base.duration.value,
                |v| v.to_string(),
                |ui, _, v| duration_value_ui(ui, "Duration value", v),
                edits,
            );
            ui.label("");
            ui.vertical(|ui| {
                let read = parse_duration_text(text_in(&resolved.duration.text, lang));
                if let Some(read) = read.filter(|r| !r.agrees_with(resolved.duration.value))
                    && ui
                        .button(format!("Use {read}"))
                        .on_hover_text("Set the value the text reads as")
                        .clicked()
                {
                    using.duration_value = Some(read);
                    edits.action();
                }
                fields::findings(ui, findings.iter().copied().filter(|f| about_duration(f)));
            });
            ui.end_row();
        });
}
