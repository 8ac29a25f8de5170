//! The top bar: folder, saving, export, undo, the view switch, help, and progress of background work.

use super::command::Command;
use super::docs::Docs;
use super::settings::{Settings, View};
use super::worker::Worker;

pub fn ui(
    ui: &mut egui::Ui,
    docs: Option<&Docs>,
    settings: &Settings,
    worker: &Worker,
    commands: &mut Vec<Command>,
) {
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.strong("PolicyDesk");
            ui.separator();
            if ui
                .button("Open folder…")
                .on_hover_text("Open another sites folder (Ctrl+O)")
                .clicked()
            {
                commands.push(Command::PickFolder);
            }
            let selected = settings
                .selected
                .as_deref()
                .and_then(|id| docs.and_then(|d| d.get(id)));
            let dirty = selected.is_some_and(|d| d.dirty);
            if ui
                .add_enabled(dirty, egui::Button::new("Save"))
                .on_hover_text("Save the selected site (Ctrl+S)")
                .clicked()
            {
                commands.push(Command::SaveSelected);
            }
            let any_dirty = docs.is_some_and(|d| d.dirty_count() > 0);
            if ui
                .add_enabled(any_dirty, egui::Button::new("Save all"))
                .on_hover_text("Save every site with unsaved changes (Ctrl+Shift+S)")
                .clicked()
            {
                commands.push(Command::SaveAll);
            }
            super::export_dialog::menu(ui, docs, settings, commands);
            ui.separator();
            let can_undo = selected.is_some_and(|d| d.history.can_undo());
            let can_redo = selected.is_some_and(|d| d.history.can_redo());
            if ui
                .add_enabled(can_undo, egui::Button::new("Undo"))
                .on_hover_text("Undo the last edit of this site (Ctrl+Z)")
                .clicked()
            {
                commands.push(Command::Undo);
            }
            if ui
                .add_enabled(can_redo, egui::Button::new("Redo"))
                .on_hover_text("Redo (Ctrl+Shift+Z)")
                .clicked()
            {
                commands.push(Command::Redo);
            }
            ui.separator();
            for (view, label, key) in [
                (View::Editor, "Editor", "Ctrl+1"),
                (View::Compare, "Side by side", "Ctrl+2"),
                (View::Audit, "Audit", "Ctrl+3"),
            ] {
                if ui
                    .selectable_label(settings.view == view, label)
                    .on_hover_text(key)
                    .clicked()
                {
                    commands.push(Command::SetView(view));
                }
            }
            ui.separator();
            if ui
                .selectable_label(settings.show_help, "Help")
                .on_hover_text("Keyboard shortcuts (F1)")
                .clicked()
            {
                commands.push(Command::ToggleHelp);
            }
            if worker.pending() > 0 {
                ui.separator();
                ui.spinner();
                ui.label(format!("Working… ({} under way)", worker.pending()));
            }
        });
    });
}
