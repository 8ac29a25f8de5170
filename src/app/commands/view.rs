//! What is shown: the view, the sites compared, one cookie opened from the matrix.

use super::{Command, ViewCommand};
use crate::app::PolicyDeskApp;
use crate::app::state::{MAX_COMPARED, View};

impl PolicyDeskApp {
    pub(super) fn view_command(&mut self, command: ViewCommand) -> Vec<Command> {
        match command {
            ViewCommand::Show(view) => self.settings.view = view,
            ViewCommand::ToggleCompared(id) => {
                let compared = &mut self.settings.compared;
                match compared.iter().position(|c| *c == id) {
                    Some(i) => {
                        compared.remove(i);
                    }
                    None if compared.len() < MAX_COMPARED => compared.push(id),
                    None => {}
                }
            }
            ViewCommand::OpenCookie { site, cookie } => {
                let editor = &mut self.screens.editor;
                editor.selected_cookie = self
                    .docs
                    .as_ref()
                    .and_then(|d| d.get(&site))
                    .and_then(|doc| doc.site().cookies.iter().position(|c| c.name() == cookie));
                editor.scroll_to_cookie = true;
                self.settings.selected = Some(site);
                self.settings.view = View::Editor;
            }
        }
        Vec::new()
    }
}
