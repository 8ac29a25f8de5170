//! What the app remembers between runs (eframe persistence remembers the window and panels).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The most sites the side-by-side view compares at once.
pub const MAX_COMPARED: usize = 4;

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
    /// The folder open when the app last closed: it opens again at start (see
    /// [`Settings::start_folder`]).
    pub last_dir: Option<PathBuf>,
    /// The id of the site in the editor.
    pub selected: Option<String>,
    pub view: View,
    pub compare_tab: CompareTab,
    /// The sites compared side by side (two to [`MAX_COMPARED`] ids).
    pub compared: Vec<String>,
    /// The language of the text editor and the preview; the site's default when it lacks it.
    pub lang: Option<String>,
    pub show_help: bool,
    pub hide_preview: bool,
    /// The bundle (folder or zip) the last export wrote: the preview shows a site's changes
    /// since then.
    pub last_export: Option<PathBuf>,
}

impl Settings {
    /// The folder to open at start: the one named on the command line, else the folder open
    /// last time (a user returns to the work they left), else `None` for the default folder
    /// (`./sites` when it exists, else the bundled portals in the data folder).
    pub fn start_folder(&self, asked: Option<PathBuf>) -> Option<PathBuf> {
        asked.or_else(|| self.last_dir.clone().filter(|d| d.is_dir()))
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;

    #[test]
    fn the_command_line_wins_then_the_remembered_folder() {
        let remembered = tempfile::tempdir().unwrap();
        let settings = Settings {
            last_dir: Some(remembered.path().to_path_buf()),
            ..Default::default()
        };
        let asked = std::path::PathBuf::from("/elsewhere");
        assert_eq!(settings.start_folder(Some(asked.clone())), Some(asked));
        assert_eq!(
            settings.start_folder(None).as_deref(),
            Some(remembered.path())
        );
        // A remembered folder that is gone falls back to the default folder.
        let gone = Settings {
            last_dir: Some(remembered.path().join("gone")),
            ..Default::default()
        };
        assert_eq!(gone.start_folder(None), None);
    }
}
