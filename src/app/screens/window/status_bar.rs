//! The bottom bar: the latest message (errors stay until dismissed) and folder totals.

use crate::app::screens::Ctx;
use crate::app::state::notes::Level;

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if !ctx.loading {
                let docs = &ctx.docs;
                let (mut errors, mut warnings) = (0, 0);
                for d in &docs.sites {
                    errors += d.counts.0;
                    warnings += d.counts.1;
                }
                ui.label(format!(
                    "{} sites · {} broken · {errors} errors · {warnings} warnings",
                    docs.sites.len(),
                    docs.broken.len()
                ));
                ui.separator();
            }
            if let Some(note) = ctx.notes.latest().cloned() {
                let color = match note.level {
                    Level::Error => ui.visuals().error_fg_color,
                    Level::Info => ui.visuals().text_color(),
                };
                ui.label(egui::RichText::new(&note.text).color(color));
                if note.level == Level::Error && ui.small_button("Dismiss").clicked() {
                    ctx.notes.dismiss_latest();
                }
            }
        });
    });
}
