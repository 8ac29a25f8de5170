//! The marks after a site's name in the list: unsaved, check results, last audit.

use time::OffsetDateTime;

use crate::app::state::SiteDoc;
use crate::app::widgets::colors;

/// One mark in a site's row: short text, its colour, and what it means.
pub struct Badge {
    pub text: String,
    pub color: egui::Color32,
    pub hover: String,
}

/// The marks shown after a site's name; other capabilities add theirs here.
pub fn badges(doc: &SiteDoc, visuals: &egui::Visuals) -> Vec<Badge> {
    let (errors, warnings, _) = doc.counts;
    let mut out = Vec::new();
    if doc.dirty {
        out.push(Badge {
            text: "•".into(),
            color: visuals.text_color(),
            hover: "unsaved changes".into(),
        });
    }
    if errors > 0 {
        out.push(Badge {
            text: format!("✖ {errors}"),
            color: visuals.error_fg_color,
            hover: format!("{errors} check errors"),
        });
    }
    if warnings > 0 {
        out.push(Badge {
            text: format!("⚠ {warnings}"),
            color: visuals.warn_fg_color,
            hover: format!("{warnings} check warnings"),
        });
    }
    if errors == 0 && warnings == 0 {
        out.push(Badge {
            text: "✔".into(),
            color: colors::OK,
            hover: "no check errors or warnings".into(),
        });
    }
    out.push(audit_badge(doc, visuals));
    out
}

/// The sites panel's mark for a site's last audit.
pub fn audit_badge(doc: &SiteDoc, visuals: &egui::Visuals) -> Badge {
    let Some(last) = &doc.audit else {
        return Badge {
            text: "not audited".into(),
            color: visuals.weak_text_color(),
            hover: "never audited against the live site".into(),
        };
    };
    let now = OffsetDateTime::now_utc();
    let (state, color) = if last.report.error.is_some() {
        ("failed".to_string(), visuals.error_fg_color)
    } else if last.errors > 0 {
        (format!("✖{}", last.errors), visuals.error_fg_color)
    } else if last.warnings > 0 {
        (format!("⚠{}", last.warnings), visuals.warn_fg_color)
    } else {
        ("✔".to_string(), colors::OK)
    };
    Badge {
        text: format!("audit {state} {}", last.age(now, true)),
        color,
        hover: format!(
            "last audit {} of {}: {} errors, {} warnings{}",
            last.age(now, false),
            last.report.url,
            last.errors,
            last.warnings,
            if last.report.error.is_some() {
                " (some page could not be fetched)"
            } else {
                ""
            }
        ),
    }
}
