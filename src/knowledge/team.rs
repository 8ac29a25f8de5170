//! The team's own entries: `catalog/*.ron` in the sites folder, reviewed in pull requests like
//! the site files. Each file is a list of entries of the shape `lookup` prints.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Entry, Layer, Storage};
use crate::model::Category;
use crate::model::duration::parse_duration_text;
use crate::store::LoadError;
use crate::store::format::{self, Position};

/// Where the team's entries live inside a sites folder.
pub const CATALOG_DIR: &str = "catalog";

/// One entry as a team writes it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamEntry {
    pub name: String,
    /// The name is a prefix (`_ga_` matches `_ga_Q8RZ2X1`).
    #[serde(default)]
    pub wildcard: bool,
    pub platform: String,
    pub category: Category,
    /// The domain the cookie lives on when a third party sets it; the entry then classifies
    /// only cookies of that domain.
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub description: String,
    /// As a policy words it ("13 months"); read with the site files' duration parser.
    #[serde(default)]
    pub retention: String,
    /// Only for this kind of storage; any when left out.
    #[serde(default)]
    pub storage: Option<Storage>,
}

/// A team file loaded: its entries, and where each starts in the file (for messages).
#[derive(Clone, Debug, Default)]
pub struct TeamFile {
    pub path: PathBuf,
    pub entries: Vec<TeamEntry>,
}

/// Reads every `*.ron` of `dir/catalog`; a broken file gives one error naming file:line:col and
/// never stops the others. No folder means no team entries.
pub fn load(dir: &Path) -> (Vec<TeamFile>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in crate::store::load::files_with_extension(&dir.join(CATALOG_DIR), "ron") {
        match std::fs::read(&path) {
            Err(e) => errors.push(LoadError {
                path,
                at: None,
                message: format!("cannot read: {e}"),
            }),
            Ok(bytes) => match parse(&bytes) {
                Ok(entries) => files.push(TeamFile { path, entries }),
                Err((message, at)) => errors.push(LoadError {
                    path,
                    at: Some(at),
                    message,
                }),
            },
        }
    }
    (files, errors)
}

/// Parses one team file; an empty name or prefix is refused where it stands.
pub fn parse(bytes: &[u8]) -> Result<Vec<TeamEntry>, (String, Position)> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
        (
            "the file is not valid UTF-8".to_string(),
            format::end_of(&valid),
        )
    })?;
    let entries: Vec<TeamEntry> = format::parse(text)?;
    if entries.iter().any(|e| e.name.trim().is_empty()) {
        return Err((
            "an entry has an empty name".into(),
            format::locate(text, "name: \"\""),
        ));
    }
    Ok(entries)
}

impl TeamEntry {
    pub fn entry(&self) -> Entry {
        Entry {
            name: self.name.clone(),
            wildcard: self.wildcard,
            platform: self.platform.clone(),
            category: self.category,
            source_category: None,
            domains: self
                .domain
                .as_deref()
                .map(super::domains_in)
                .unwrap_or_default(),
            domain: self.domain.clone().unwrap_or_default(),
            description: self.description.clone(),
            retention_value: parse_duration_text(&self.retention).unwrap_or_default(),
            retention: self.retention.clone(),
            storage: self.storage,
            platform_id: None,
            layer: Layer::Team,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_entry_is_named_by_line_and_column() {
        let text = "[\n    (name: \"a\", platform: \"P\", category: Statistics),\n    (name: \"b\", \
                    platform: \"P\", category: Tasty),\n]\n";
        let (message, at) = parse(text.as_bytes()).unwrap_err();
        assert_eq!(at.line, 3, "{message}");
        assert!(message.contains("Tasty"), "{message}");
        let (message, at) =
            parse(b"[(name: \"\", platform: \"P\", category: Marketing)]").unwrap_err();
        assert_eq!((at.line, at.col), (1, 3), "{message}");
    }
}
