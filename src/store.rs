//! Site files on disk: reading a folder of them, saving one safely, and the bundled portals.

pub mod bundled;
pub mod comments;
pub mod diff;
pub mod format;
pub mod leftovers;
pub mod limits;
pub mod load;
pub mod ron_lex;
pub mod save;
pub mod trash;

pub use load::{LoadError, SiteFile, Workspace, load_sites};
pub use save::{SaveError, save_site};

use std::path::{Path, PathBuf};

/// Where platform files live inside a sites folder.
pub const PLATFORMS_DIR: &str = "platforms";
/// Where audit history lives, beside the site files and never inside them.
pub const AUDITS_DIR: &str = ".audits";
/// Where deleted site files go, so one click never loses one.
pub const TRASH_DIR: &str = ".trash";

/// Names an export gives its own files at the top of a bundle, so no site may take them.
pub const RESERVED_IDS: &[&str] = &["index.html", "manifest.json", "CHANGES.md", "changes.json"];

/// Whether `id` can name a file in the sites folder and a folder in an export: letters, digits,
/// `.`, `-` and `_`, starting with a letter or digit, no `..`, at most 200 bytes, and none of
/// [`RESERVED_IDS`].
pub fn is_safe_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    !RESERVED_IDS.contains(&id)
        && id.len() <= 200
        && bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && !id.contains("..")
}

/// The site file of `id` in `dir`.
pub fn site_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.ron"))
}
