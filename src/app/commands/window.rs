//! The window: help, the sites filter's focus, and closing with unsaved changes.

use super::{Command, SiteCommand, WindowCommand};
use crate::app::PolicyDeskApp;

impl PolicyDeskApp {
    pub(super) fn window_command(
        &mut self,
        command: WindowCommand,
        ctx: &egui::Context,
    ) -> Vec<Command> {
        match command {
            WindowCommand::ToggleHelp => self.settings.show_help = !self.settings.show_help,
            WindowCommand::FocusFilter => self.screens.sites.focus_filter = true,
            WindowCommand::ToggleReplace => {
                self.screens.replace.open = !self.screens.replace.open;
            }
            WindowCommand::AskClose => {
                self.close_confirmed = false;
                self.screens.dialogs.open_unsaved_close();
            }
            WindowCommand::CloseDiscarding => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            WindowCommand::SaveAllAndClose => {
                self.close_after_save = true;
                return vec![SiteCommand::SaveAll.into()];
            }
        }
        Vec::new()
    }
}
