//! Severity marks and check findings, as every screen shows them.

use super::colors;
use crate::check::{Finding, Severity};

pub fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}

/// Findings as small coloured lines, each with its rule id, after what `beside` draws for it
/// (a Fix button).
pub fn findings<'a>(
    ui: &mut egui::Ui,
    findings: impl IntoIterator<Item = &'a Finding>,
    mut beside: impl FnMut(&mut egui::Ui, &Finding),
) {
    for f in findings {
        let color = colors::severity(ui.visuals(), f.severity);
        let lang = f
            .lang
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            beside(ui, f);
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "{} {}{lang}: {}",
                        icon(f.severity),
                        f.rule,
                        f.message
                    ))
                    .color(color)
                    .small(),
                )
                .wrap(),
            );
        });
    }
}
