//! Edits of the selected site: undo, redo, and recording what a screen changed in place.

use super::{Command, EditCommand};
use crate::app::PolicyDeskApp;
use crate::model::text::plural;

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
            EditCommand::Fix(finding) => match docs.fix(&selected, &finding) {
                Ok(what) => self.notifications.info(format!("Fixed: {what}")),
                Err(why) => self.notifications.error(format!("No safe fix: {why}")),
            },
            EditCommand::Replace { query, ids } => {
                let (texts, sites) = docs.replace_all(&query, &ids);
                self.notifications.info(format!(
                    "Replaced {} in {} (unsaved; “Undo replace” takes it back)",
                    plural(texts, "text"),
                    plural(sites, "site")
                ));
            }
            EditCommand::ApplyImport(site) => {
                let id = site.id.clone();
                if docs.replace_site(*site) {
                    self.screens.editor.forget_buffers();
                    self.notifications
                        .info(format!("Imported into {id} (unsaved; Undo takes it back)"));
                }
            }
            EditCommand::UndoReplace => {
                let (restored, kept) = docs.undo_replace();
                let mut note = format!("Undid the replace in {restored} sites");
                if kept > 0 {
                    note.push_str(&format!("; {kept} edited since were left as they are"));
                }
                self.notifications.info(note);
            }
        }
        Vec::new()
    }
}
