//! What the app remembers between runs (eframe persistence remembers the window and panels).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum View {
    #[default]
    Editor,
    Compare,
    Audit,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompareTab {
    #[default]
    Matrix,
    Previews,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub last_dir: Option<PathBuf>,
    /// The id of the site in the editor.
    pub selected: Option<String>,
    pub view: View,
    pub compare_tab: CompareTab,
    /// The sites compared side by side (two to four ids).
    pub compared: Vec<String>,
    /// The language of the text editor and the preview; the site's default when it lacks it.
    pub lang: Option<String>,
    pub show_help: bool,
    pub hide_preview: bool,
}
