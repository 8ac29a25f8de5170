//! What the user sees, one folder per screen. Screens read the state and push commands; each
//! gets what it needs through one [`Ctx`] value, and keeps its own state (what is typed,
//! selected, scrolled or cached) in its own struct, gathered in [`Screens`].

pub mod audit;
pub mod compare;
pub mod dialogs;
pub mod editor;
pub mod export;
pub mod preview;
pub mod replace;
pub mod sites;
pub mod window;

use super::commands::Command;
use super::state::export::ExportState;
use super::state::{Docs, Notifications, Settings, View};
use super::tasks::Tasks;

/// Everything a screen may read or change while it draws. Changes that concern more than the
/// screen itself go through `commands`, run at the end of the frame.
pub struct Ctx<'a> {
    /// The open folder (an empty one while `loading`).
    pub docs: &'a mut Docs,
    /// The first folder is still being read.
    pub loading: bool,
    pub settings: &'a mut Settings,
    pub commands: &'a mut Vec<Command>,
    /// The background work, for its progress.
    pub tasks: &'a Tasks,
    pub export: &'a mut ExportState,
    pub notes: &'a mut Notifications,
}

impl Ctx<'_> {
    pub fn push(&mut self, command: impl Into<Command>) {
        self.commands.push(command.into());
    }
}

/// The state of every screen.
#[derive(Default)]
pub struct Screens {
    pub sites: sites::SitesPanel,
    pub editor: editor::EditorState,
    pub compare: compare::CompareState,
    pub audit: audit::AuditScreen,
    pub dialogs: dialogs::Dialogs,
    pub replace: replace::ReplaceWindow,
}

impl Screens {
    /// After another folder was opened: nothing cached or selected is about it.
    pub fn opened(&mut self) {
        self.editor = Default::default();
        self.compare = Default::default();
        self.audit.forget_selection();
    }

    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut Ctx) {
        window::toolbar::ui(ui, ctx);
        window::status_bar::ui(ui, ctx);
        self.sites.ui(ui, ctx);
        if ctx.settings.show_help {
            window::help::panel(ui, &mut ctx.settings.show_help);
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if ctx.loading {
                ui.centered_and_justified(|ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Loading the sites folder…");
                    });
                });
                return;
            }
            match ctx.settings.view {
                View::Editor => editor::ui(ui, &mut self.editor, ctx),
                View::Compare => self.compare.ui(ui, ctx),
                View::Audit => self.audit.ui(ui, ctx),
            }
        });
        let ectx = ui.ctx().clone();
        if !ctx.loading {
            self.replace.ui(&ectx, ctx);
            self.dialogs.ui(&ectx, ctx);
        }
        export::windows(&ectx, self.dialogs.is_open(), ctx);
    }
}
