//! What the app knows, with no drawing in it: the open folder's documents and their undo
//! history, the settings remembered between runs, the messages for the user, the last audits
//! and the export under way. Nothing here imports a screen, a dialog or a widget.

pub mod audit;
pub mod bulk;
pub mod docs;
pub mod export;
pub mod history;
pub mod notes;
pub mod settings;

pub use docs::{Docs, SiteDoc};
pub use notes::Notifications;
pub use settings::{CompareTab, MAX_COMPARED, Settings, View};
