//! The form of the selected cookie: a site's own declaration, or a platform cookie with its
//! inherited fields and their overrides.

use super::Edits;
use super::row_cells::{self, OtherColumn};
use crate::app::widgets::fields::{choice, lang_text, optional_row, text_row};
use crate::app::widgets::severity;
use crate::check::Finding;
use crate::knowledge::{Entry, Knowledge};
use crate::model::duration::{DAY, HOUR, MINUTE, MONTH, WEEK, YEAR, parse_duration_text};
use crate::model::text::text_in;
use crate::model::{
    Category, Consent, CookieDecl, DurationValue, MatchKind, Party, PlatformCookieUse, StorageType,
    Texts,
};

/// Findings that belong next to the duration fields.
pub fn about_duration(f: &Finding) -> bool {
    f.rule.is_about_duration()
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

/// Known cookies whose name starts with what was typed, each a button filling the declaration
/// from the knowledge base; hidden once the declaration is filled from one of them.
fn known_names(ui: &mut egui::Ui, decl: &mut CookieDecl, lang: &str, edits: &mut Edits) {
    if decl.name.trim().chars().count() < 2 {
        return;
    }
    // Looked up again only when the name changes, not on every frame.
    let typed = decl.name.trim();
    let id = egui::Id::unique("known cookie suggestions");
    let found = match ui.data(|d| d.get_temp::<(String, Vec<&'static Entry>)>(id)) {
        Some((was, found)) if was == typed => found,
        _ => {
            let found = Knowledge::bundled().suggest(typed, 5);
            ui.data_mut(|d| d.insert_temp(id, (typed.to_string(), found.clone())));
            found
        }
    };
    let filled = found
        .iter()
        .any(|e| e.name == decl.name && e.platform == decl.provider);
    if found.is_empty() || filled {
        return;
    }
    ui.label("Known cookies");
    ui.vertical(|ui| {
        for entry in found {
            let text = format!(
                "{} — {}, {}, {} ({})",
                entry.display_name(),
                entry.platform,
                entry.category,
                entry.retention_text(),
                entry.layer
            );
            let button = ui
                .button(&text)
                .on_hover_text(&entry.description)
                .accessible_name(format!("Known cookie: {}", entry.display_name()));
            if button.clicked() {
                let mut languages: Vec<String> = decl.duration.text.keys().cloned().collect();
                languages.push(lang.to_string());
                languages.dedup();
                let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
                entry.fill(decl, &languages);
                edits.action();
            }
        }
    });
    ui.end_row();
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

pub fn own_form(
    ui: &mut egui::Ui,
    decl: &mut CookieDecl,
    (lang, columns): (&str, &[OtherColumn]),
    findings: &[&Finding],
    edits: &mut Edits,
) {
    let up = lang.to_uppercase();
    egui::Grid::new("own cookie form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            edits.note(&text_row(ui, "Name", &mut decl.name));
            known_names(ui, decl, lang, edits);
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
            shares_row(ui, &mut decl.shares_row, edits);
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
                let text = text_in(&decl.duration.text, lang);
                if let Some(read) = duration_hints(ui, text, decl.duration.value, findings, edits) {
                    decl.duration.value = read;
                }
            });
            ui.end_row();
            let cells = &mut decl.other_cells;
            row_cells::rows(ui, &mut decl.group, cells, (columns, None), lang, edits);
        });
}

/// Below a duration value: "Use …" when its text reads as another value, and the duration
/// findings with their fixes. The value read, when the user takes it.
fn duration_hints(
    ui: &mut egui::Ui,
    text: &str,
    value: DurationValue,
    findings: &[&Finding],
    edits: &mut Edits,
) -> Option<DurationValue> {
    let mut taken = None;
    if let Some(read) = parse_duration_text(text).filter(|r| !r.agrees_with(value))
        && ui
            .button(format!("Use {read}"))
            .on_hover_text("Set the value the text reads as")
            .clicked()
    {
        taken = Some(read);
        edits.action();
    }
    severity::findings(
        ui,
        findings.iter().copied().filter(|f| about_duration(f)),
        |ui, f| edits.fix_button(ui, f),
    );
    taken
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

/// Whether the cookie is published in the table row above, and what stands before its name.
fn shares_row(ui: &mut egui::Ui, shares: &mut Option<String>, edits: &mut Edits) {
    let l = ui.label("Table row");
    ui.horizontal(|ui| {
        let mut on = shares.is_some();
        let r = ui
            .checkbox(&mut on, "Named in the row above, after")
            .on_hover_text(
                "A published row naming several cookies: their other cells read the same",
            );
        if r.changed() {
            *shares = on.then(|| ", ".to_string());
            edits.action();
        }
        if let Some(before) = shares {
            edits.note(
                &ui.add(egui::TextEdit::singleline(before).desired_width(48.0))
                    .labelled_by(l.id),
            );
        }
    });
    ui.end_row();
}

pub fn platform_form(
    ui: &mut egui::Ui,
    using: &mut PlatformCookieUse,
    base: &CookieDecl,
    (lang, columns): (&str, &[OtherColumn]),
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
            shares_row(ui, &mut using.shares_row, edits);
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
                let text = text_in(&resolved.duration.text, lang);
                let value = resolved.duration.value;
                if let Some(read) = duration_hints(ui, text, value, findings, edits) {
                    using.duration_value = Some(read);
                }
            });
            ui.end_row();
            let inherited_cells = Some(&base.other_cells);
            let cells = &mut using.other_cells;
            let page_columns = (columns, inherited_cells);
            row_cells::rows(ui, &mut using.group, cells, page_columns, lang, edits);
        });
}
