//! Every colour the app picks itself (the rest come from the egui theme).

use egui::{Color32, Visuals};

use crate::check::Severity;

/// Good news: no finding, a clean audit.
pub const OK: Color32 = Color32::from_rgb(0x3c, 0xa0, 0x5a);

/// A line added in a diff.
pub const ADDED: Color32 = Color32::from_rgb(0x2e, 0x9d, 0x4c);

/// The background of what differs from the other compared sites.
pub fn highlight(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgba_unmultiplied(150, 110, 0, 50)
    } else {
        Color32::from_rgba_unmultiplied(255, 210, 60, 90)
    }
}

pub fn severity(visuals: &Visuals, severity: Severity) -> Color32 {
    match severity {
        Severity::Error => visuals.error_fg_color,
        Severity::Warning => visuals.warn_fg_color,
        Severity::Info => visuals.weak_text_color(),
    }
}
