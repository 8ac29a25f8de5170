//! Every path written into a bundle is checked here, whatever built it: relative, made of plain
//! names, never `..`, so no site id or file name can place a file outside the output.

use std::path::{Component, Path, PathBuf};

use super::ExportError;

/// `rel` (with `/` separators) as a path under the bundle root, or an error when it could leave
/// it.
pub fn inside(root: &Path, rel: &str) -> Result<PathBuf, ExportError> {
    if is_safe_relative(rel) {
        Ok(root.join(rel))
    } else {
        Err(ExportError::UnsafePath(rel.to_string()))
    }
}

/// Whether `rel` names a place inside a folder: not empty, not absolute, only plain names (no
/// `.`, `..`, backslash, drive or NUL).
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains(['\\', ':', '\0'])
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a/",
            "..",
            "c:\\x",
            "a\\..\\b",
        ] {
            assert!(!is_safe_relative(bad), "{bad:?} accepted");
            assert!(inside(Path::new("/out"), bad).is_err());
        }
        for good in [
            "index.html",
            "dashboard.paris/policy.fr.html",
            "a.b-c_d/x.y",
        ] {
            assert!(is_safe_relative(good), "{good:?} refused");
        }
    }
}
