//! The three portals shipped inside the binary, so the app has something to open on first run.

use std::path::{Path, PathBuf};

use super::PLATFORMS_DIR;

/// (path inside a sites folder, contents).
pub const FILES: &[(&str, &str)] = &[
    (
        "platforms/opendatasoft.ron",
        include_str!("../../sites/platforms/opendatasoft.ron"),
    ),
    (
        "dataviz.totalenergies.com.ron",
        include_str!("../../sites/dataviz.totalenergies.com.ron"),
    ),
    (
        "dashboard.paris.ron",
        include_str!("../../sites/dashboard.paris.ron"),
    ),
    (
        "tneacademiegrenoble.opendatasoft.com.ron",
        include_str!("../../sites/tneacademiegrenoble.opendatasoft.com.ron"),
    ),
];

/// Writes the bundled sites into `dir`, leaving any file already there untouched.
pub fn install_into(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join(PLATFORMS_DIR))?;
    for (name, text) in FILES {
        match super::save::write_new_atomically(&dir.join(name), text.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            other => other?,
        }
    }
    Ok(())
}

/// The folder to open when none is named: `./sites` when it exists, else `sites` in the user's
/// data folder, filled with the bundled portals on first use.
pub fn default_sites_dir() -> std::io::Result<PathBuf> {
    let local = PathBuf::from("sites");
    if local.is_dir() {
        return Ok(local);
    }
    let dirs = directories::ProjectDirs::from("", "", "PolicyDesk").ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no home folder to keep sites in",
        )
    })?;
    let dir = dirs.data_dir().join("sites");
    if !dir.is_dir() {
        install_into(&dir)?;
    }
    Ok(dir)
}
