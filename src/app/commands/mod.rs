//! What screens ask the app to do. A screen pushes [`Command`]s while it draws; the app runs
//! them at the end of the frame, so no screen changes state another is still drawing from.
//!
//! Commands are grouped by concern, one enum per group, each handled in its own file by a
//! `match` that lists every variant: a new command does not compile until it is handled.
//! [`table`] holds the label, tooltip and shortcuts of the commands a user can give from the
//! toolbar or the keyboard; the toolbar, the help panel and the key handling all read it.

mod audit;
mod edit;
mod export;
pub mod folder;
mod site;
pub mod table;
mod view;
mod window;

use std::path::PathBuf;

use crate::app::state::View;
use crate::app::state::export::{ExportRequest, ExportScope};
use crate::app::state::history::FieldKey;

pub use table::Action;

#[must_use]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Folder(FolderCommand),
    Site(SiteCommand),
    Edit(EditCommand),
    Audit(AuditCommand),
    Export(ExportCommand),
    Window(WindowCommand),
    View(ViewCommand),
}

/// The sites folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderCommand {
    /// Ask for a folder with a file dialog.
    Pick,
    Open(PathBuf),
}

/// Sites as files: select, create, duplicate, delete, save, reload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SiteCommand {
    Select(String),
    AskNew,
    New {
        id: String,
        url: String,
        platform: Option<String>,
    },
    AskDuplicate(String),
    Duplicate {
        from: String,
        id: String,
    },
    AskDelete(String),
    Delete(String),
    Save(String),
    SaveSelected,
    SaveAll,
    /// Save over a file another program changed ("keep mine").
    Overwrite(String),
    /// Replace the edited site with the file on disk ("reload"); undo brings the edits back.
    Reload(String),
    /// Ask for a page (or another tool's output) to import into this site.
    AskImport(String),
    /// Read `source` for the site `id`, then show what it would change.
    Import {
        id: String,
        source: String,
    },
}

/// Edits of the selected site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditCommand {
    Undo,
    Redo,
    /// Record an edit of the selected site; edits with the same key in a short time are one
    /// undo step (`None`: always a step of its own).
    Edited(Option<FieldKey>),
    /// Apply the safe fix of this finding of the selected site: one undo step.
    Fix(Box<crate::check::Finding>),
    /// Replace across these sites (find and replace): one undo step in each site changed.
    Replace {
        query: crate::replace::Query,
        ids: Vec<String>,
    },
    /// Take the last replace back in every site it changed.
    UndoReplace,
    /// Replace the site `id` with what an import proposed (reviewed): one undo step.
    ApplyImport(Box<crate::model::Site>),
}

/// Live audits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditCommand {
    /// Audit these sites live, at `url` instead of their own address when one is given.
    Run {
        ids: Vec<String>,
        url: Option<String>,
        engine: crate::audit::EngineChoice,
    },
    Cancel,
    /// Add a declaration of an audited cookie to the site, for review in the editor.
    DeclareCookie {
        site: String,
        cookie: Box<crate::audit::Observed>,
    },
}

/// Policy bundles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportCommand {
    /// Ask where to export `scope` (the file dialog then sends [`ExportCommand::Run`]).
    Ask {
        scope: ExportScope,
        zip: bool,
    },
    /// Export to a chosen path, asking first about unsaved edits and an existing output.
    Run(ExportRequest),
    Cancel,
    /// Show the folder of the last export in the file manager.
    OpenResult,
    /// Read the last export's bundle ([`crate::app::state::Settings::last_export`]) for the
    /// preview's changes since then.
    ReadLast,
    /// Ask where to save site `id`'s preview in `lang` as a PDF.
    AskPdf {
        id: String,
        lang: String,
    },
    /// Save the preview (the site as edited) as a PDF at `path`.
    SavePdf {
        id: String,
        lang: String,
        path: PathBuf,
    },
}

/// The window: help, closing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WindowCommand {
    ToggleHelp,
    AskClose,
    CloseDiscarding,
    SaveAllAndClose,
    /// Put the keyboard focus in the sites filter.
    FocusFilter,
    /// Show or hide the find-and-replace window.
    ToggleReplace,
}

/// What is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewCommand {
    Show(View),
    /// Add a site to the side-by-side view, or take it out.
    ToggleCompared(String),
    /// Show one cookie of one site in the editor (from the cookie matrix).
    OpenCookie {
        site: String,
        cookie: String,
    },
}

macro_rules! group {
    ($($group:ident => $variant:ident),* $(,)?) => {
        $(impl From<$group> for Command {
            fn from(c: $group) -> Self {
                Command::$variant(c)
            }
        })*
    };
}

group!(
    FolderCommand => Folder,
    SiteCommand => Site,
    EditCommand => Edit,
    AuditCommand => Audit,
    ExportCommand => Export,
    WindowCommand => Window,
    ViewCommand => View,
);

impl crate::app::PolicyDeskApp {
    /// Runs one command and whatever follows from it.
    pub(crate) fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        let follow = match command {
            Command::Folder(c) => self.folder_command(c),
            Command::Site(c) => self.site_command(c),
            Command::Edit(c) => self.edit_command(c, ctx),
            Command::Audit(c) => self.audit_command(c),
            Command::Export(c) => self.export_command(c),
            Command::Window(c) => self.window_command(c, ctx),
            Command::View(c) => self.view_command(c),
        };
        for command in follow {
            self.run_command(ctx, command);
        }
    }
}
