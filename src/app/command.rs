//! What panels ask the app to do; collected during a frame and run at its end, so no panel
//! changes state another panel is still drawing from.

use std::path::PathBuf;

use super::export_flow::{ExportRequest, ExportScope};
use super::settings::View;

#[must_use]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Ask for a folder with the system dialog.
    PickFolder,
    OpenFolder(PathBuf),
    SetView(View),
    ToggleHelp,
    Select(String),
    /// Add a site to the side-by-side view, or take it out.
    ToggleCompared(String),
    /// Show one cookie of one site in the editor (from the cookie matrix).
    OpenCookie {
        site: String,
        cookie: String,
    },
    Save(String),
    SaveSelected,
    SaveAll,
    /// Save over a file another program changed ("keep mine").
    Overwrite(String),
    /// Replace the edited site with the file on disk ("reload"); undo brings the edits back.
    Reload(String),
    Undo,
    Redo,
    /// Record an edit of the selected site; edits with the same key in a short time are one undo
    /// step (`None`: always a step of its own).
    Edited(Option<egui::Id>),
    AskNewSite,
    NewSite {
        id: String,
        url: String,
        platform: Option<String>,
    },
    Duplicate {
        from: String,
        id: String,
    },
    AskDuplicate(String),
    AskDelete(String),
    Delete(String),
    /// Audit these sites live, at `url` instead of their own address when one is given.
    Audit {
        ids: Vec<String>,
        url: Option<String>,
    },
    CancelAudit,
    /// Add a declaration of an audited cookie to the site, for review in the editor.
    DeclareCookie {
        site: String,
        cookie: Box<crate::audit::Observed>,
    },
    AskClose,
    CloseDiscarding,
    SaveAllAndClose,
    /// Ask where to export `scope` (the system dialog then sends [`Command::Export`]).
    AskExport {
        scope: ExportScope,
        zip: bool,
    },
    /// Export to a chosen path, asking first about unsaved edits and an existing output.
    Export(ExportRequest),
    CancelExport,
}
