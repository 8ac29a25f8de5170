//! One side of a comparison: the sites of a bundle (folder or zip, checked against its manifest
//! first) or of a sites folder, each with its declarations as published.
//!
//! Both read the same way: a bundle's `<site>/site.ron` and `<site>/cookies.json`, a sites
//! folder's site files with their platform rows resolved and recorded as `cookies.json` records
//! them, so a site compares alike whichever way it was kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::export::manifest;
use crate::export::reader::{self, Bundle};
use crate::export::verify::check_with_manifest;
use crate::model::{CookieDecl, Site, Texts};
use crate::store::limits::SITE_FILE;
use crate::store::{self, Workspace, format, is_safe_id};

/// A declaration as `cookies.json` publishes it; fields a newer PolicyDesk adds are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CookieRecord {
    pub name: String,
    pub display_name: String,
    pub matching: String,
    pub storage: String,
    pub provider: String,
    pub category: String,
    pub party: String,
    pub consent: String,
    pub domain: Option<String>,
    pub location: Texts,
    pub purpose: Texts,
    pub duration: DurationRecord,
    /// None in a `cookies.json` written before group headings were kept.
    pub group: Option<Texts>,
    /// By column number (a JSON object's keys are strings); None as `group`.
    pub other_cells: Option<BTreeMap<String, Texts>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DurationRecord {
    pub text: Texts,
    pub kind: String,
    pub seconds: Option<u64>,
    pub human: String,
}

#[derive(Deserialize)]
struct CookiesFile {
    cookies: Vec<CookieRecord>,
}

/// One site as published.
#[derive(Clone, Debug)]
pub struct SiteState {
    pub site: Site,
    pub cookies: Vec<CookieRecord>,
}

impl SiteState {
    /// `site` with `cookies`, its declarations resolved.
    pub fn of(site: &Site, cookies: &[CookieDecl]) -> Self {
        SiteState {
            site: site.clone(),
            cookies: cookies.iter().map(record_of).collect(),
        }
    }
}

/// The record `cookies.json` holds for `decl`, read back as [`CookieRecord`].
fn record_of(decl: &CookieDecl) -> CookieRecord {
    // Both are plain data with the same field names; the conversion cannot fail, and a record
    // with only the name would still compare (and show) as a change rather than be lost.
    serde_json::to_value(crate::export::cookies::record(decl))
        .and_then(serde_json::from_value)
        .unwrap_or_else(|_| CookieRecord {
            name: decl.name.clone(),
            display_name: decl.display_name(),
            ..Default::default()
        })
}

/// What a snapshot was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Bundle,
    SitesFolder,
}

/// The sites of one side, by id.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// As the user named it.
    pub path: PathBuf,
    pub kind: Kind,
    /// A bundle's `generated_at`.
    pub generated_at: Option<String>,
    pub sites: BTreeMap<String, SiteState>,
}

/// Why a side could not be read; the message names the path, and the file inside it.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ReadError {
    pub path: PathBuf,
    pub message: String,
}

impl Snapshot {
    /// Reads `path`: a folder with a `manifest.json` or a zip file is a bundle, any other folder
    /// a sites folder.
    pub fn read(path: &Path) -> Result<Snapshot, ReadError> {
        let fail = |message: String| ReadError {
            path: path.to_path_buf(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
        if meta.is_dir() && !path.join(manifest::FILE).exists() {
            Self::sites_folder(path)
        } else {
            Self::bundle(path)
        }
    }

    /// The sites of a sites folder; a site or platform file that does not load is an error, not
    /// a removed site. The team's cookie catalog publishes nothing, so its broken files do not
    /// stop a comparison.
    pub fn sites_folder(path: &Path) -> Result<Snapshot, ReadError> {
        let ws = store::load_sites(path);
        let catalog = path.join(crate::knowledge::team::CATALOG_DIR);
        let errors: Vec<String> = ws
            .errors
            .iter()
            .filter(|e| !e.path.starts_with(&catalog))
            .map(|e| e.to_string())
            .collect();
        if !errors.is_empty() {
            return Err(ReadError {
                path: path.to_path_buf(),
                message: format!(
                    "a site or platform file does not load, so this folder cannot be compared: {}",
                    errors.join("; ")
                ),
            });
        }
        if ws.sites.is_empty() {
            return Err(ReadError {
                path: path.to_path_buf(),
                message: format!(
                    "neither a bundle (no {}) nor a sites folder (no *.ron site file)",
                    manifest::FILE
                ),
            });
        }
        Ok(Self::of_workspace(&ws, None, path))
    }

    /// The sites `ids` of a loaded workspace (all of them with `None`), as an export of them
    /// would publish them.
    pub fn of_workspace(ws: &Workspace, ids: Option<&[String]>, path: &Path) -> Snapshot {
        let sites = ws
            .sites
            .iter()
            .filter(|f| ids.is_none_or(|ids| ids.contains(&f.site.id)))
            .map(|f| {
                let state = SiteState::of(&f.site, &ws.cookies_of(&f.site));
                (f.site.id.clone(), state)
            })
            .collect();
        Snapshot {
            path: path.to_path_buf(),
            kind: Kind::SitesFolder,
            generated_at: None,
            sites,
        }
    }

    /// The sites of a bundle that matches its manifest.
    pub fn bundle(path: &Path) -> Result<Snapshot, ReadError> {
        let fail = |message: String| ReadError {
            path: path.to_path_buf(),
            message,
        };
        let mut bundle = reader::open(path).map_err(|e| fail(e.message))?;
        let (report, manifest) = check_with_manifest(bundle.as_mut());
        if !report.problems.is_empty() {
            return Err(fail(format!(
                "not a policy bundle: {}",
                report.problems.join("; ")
            )));
        }
        if !report.matches() {
            let mut what = Vec::new();
            for (word, paths) in report.differences() {
                if !paths.is_empty() {
                    what.push(format!("{word}: {}", paths.join(", ")));
                }
            }
            return Err(fail(format!(
                "the bundle does not match its manifest ({}); `policydesk verify` tells more",
                what.join("; ")
            )));
        }
        // A bundle that matches its manifest has one; the check read it.
        let Some(manifest) = manifest else {
            return Err(fail(format!("no {}", manifest::FILE)));
        };
        let mut sites = BTreeMap::new();
        for entry in &manifest.files {
            let Some((id, "site.ron")) = entry.path.split_once('/') else {
                continue;
            };
            if !is_safe_id(id) {
                return Err(fail(format!(
                    "{}: {id:?} is not a safe site id",
                    entry.path
                )));
            }
            let state = read_site(bundle.as_mut(), id).map_err(fail)?;
            sites.insert(id.to_string(), state);
        }
        if sites.is_empty() {
            return Err(fail(format!(
                "the bundle holds no site (no <site>/site.ron in its {})",
                manifest::FILE
            )));
        }
        Ok(Snapshot {
            path: path.to_path_buf(),
            kind: Kind::Bundle,
            generated_at: Some(manifest.generated_at),
            sites,
        })
    }
}

/// `<id>/site.ron` and `<id>/cookies.json` of a bundle; errors name the file, line and column.
fn read_site(bundle: &mut dyn Bundle, id: &str) -> Result<SiteState, String> {
    let read = |bundle: &mut dyn Bundle, name: &str| {
        let file = format!("{id}/{name}");
        let bytes = bundle
            .read_capped(&file, SITE_FILE)
            .map_err(|e| format!("{file}: {e}"))?;
        String::from_utf8(bytes)
            .map(|text| (file.clone(), text))
            .map_err(|_| format!("{file}: the file is not valid UTF-8"))
    };
    let (file, text) = read(bundle, "site.ron")?;
    let mut site: Site = format::parse(&text)
        .map_err(|(message, at)| format!("{file}:{}:{}: {message}", at.line, at.col))?;
    site.id = id.to_string();
    let (file, text) = read(bundle, "cookies.json")?;
    let cookies: CookiesFile = serde_json::from_str(&text)
        .map_err(|e| format!("{file}:{}:{}: {e}", e.line(), e.column()))?;
    Ok(SiteState {
        site,
        cookies: cookies.cookies,
    })
}
