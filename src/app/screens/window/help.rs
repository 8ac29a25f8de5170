//! The help panel: every keyboard shortcut, and what the marks in the lists mean.

use crate::app::commands::Action;

pub fn panel(ui: &mut egui::Ui, open: &mut bool) {
    egui::Panel::right("help")
        .resizable(true)
        .default_size(280.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Help");
                if ui.button("Close help").clicked() {
                    *open = false;
                }
            });
            ui.separator();
            ui.strong("Keyboard shortcuts");
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for action in Action::ALL {
                        let spec = action.spec();
                        ui.monospace(spec.keys());
                        ui.label(spec.does);
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
            ui.strong("Marks");
            ui.label(
                "• unsaved changes   ✖ errors   ⚠ warnings   broken: a file that did not load",
            );
            ui.label(
                "In the cookie matrix, ≠ marks a cookie the chosen sites declare differently \
                 (category, purpose or published duration); click a cell to edit that cookie.",
            );
            ui.label(
                "Deleted sites go to the .trash folder inside the sites folder; move a file back \
                 to restore it.",
            );
        });
}
