//! Importing into a site that exists: where from (a saved page, an address, or another tool's
//! output), then what it would change as a line diff, applied as one undoable edit.

use super::buttons;
use crate::app::commands::{Command, EditCommand, SiteCommand};
use crate::app::tasks::import::Proposal;
use crate::app::widgets::fields::text_row;

/// Asks where to import `id` from; whether the dialog is done.
pub fn source(
    ui: &mut egui::Ui,
    id: &str,
    source: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    ui.heading(format!("Import into {id}"));
    ui.label(
        "A saved policy page or its address; or a WEC inspection.json, a HAR file, a Cookiebot \
         declaration script or a OneTrust consent JSON. Nothing changes until you review it.",
    );
    egui::Grid::new("import source")
        .num_columns(2)
        .show(ui, |ui| {
            text_row(ui, "Page or file", source);
        });
    let (id, chosen) = (id.to_string(), source.trim().to_string());
    buttons(ui, |ui| {
        let read = ui
            .add_enabled(!chosen.is_empty(), egui::Button::new("Read"))
            .clicked();
        if read {
            commands.push(SiteCommand::Import { id, source: chosen }.into());
        }
        read
    })
}

/// Shows what the import would change; whether the dialog is done.
pub fn review(ui: &mut egui::Ui, p: &Proposal, commands: &mut Vec<Command>) -> bool {
    ui.heading(format!("Import {} into {}", p.source, p.site.id));
    ui.label("From the site as it is now (−) to the site as imported (+):");
    super::diff_view(ui, "import diff", 300.0, &p.diff);
    if !p.report.is_empty() {
        egui::CollapsingHeader::new(format!("Report ({} lines)", p.report.len())).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("import report")
                .max_height(160.0)
                .show(ui, |ui| {
                    for line in &p.report {
                        ui.small(line);
                    }
                });
        });
    }
    buttons(ui, |ui| {
        let apply = ui
            .button("Apply")
            .on_hover_text("Change the site as shown (unsaved; Undo takes it back)")
            .clicked();
        if apply {
            commands.push(EditCommand::ApplyImport(p.site.clone()).into());
        }
        apply
    })
}
