//! Edits of the selected site: undo, redo, and recording what a screen changed in place.

use super::{Command, EditCommand};
use crate::app::PolicyDeskApp;

impl PolicyDeskApp {
    pub(super) fn edit_command(
        &mut self,
        command: EditCommand,
        ctx: &egui::Context,
    ) -> Vec<Command> {
        let Some(docs) = &mut self.docs else {
            return Vec::new();
        };
        let selected = self.settings.selected.clone().unwrap_or_default();
        match command {
            EditCommand::Undo | EditCommand::Redo => {
                let redo = command == EditCommand::Redo;
                if !docs.step(&selected, redo) {
                    let what = if redo { "redo" } else { "undo" };
                    self.notifications.info(format!("Nothing to {what}"));
                }
            }
            EditCommand::Edited(field) => docs.edited(&selected, field, ctx.input(|i| i.time)),
        }
        Vec::new()
    }
}
