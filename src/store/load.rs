//! Reading a folder of site files: every file that loads, and one clear error per file that
//! does not.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::format::{self, Position};
use super::{PLATFORMS_DIR, is_safe_id};
use crate::model::text::is_language_code;
use crate::model::{CookieDecl, CookieEntry, Platform, Site};

/// A file that could not be loaded, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    /// Where in the file, when the problem has a place.
    pub at: Option<Position>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(p) => write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                p.line,
                p.col,
                self.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// A site as loaded, with what saving needs to notice a change made by another program.
#[derive(Clone, Debug)]
pub struct SiteFile {
    pub path: PathBuf,
    pub site: Site,
    /// The SHA-256 of the bytes read.
    pub disk_hash: [u8; 32],
    pub modified: Option<SystemTime>,
}

/// A loaded sites folder.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    pub dir: PathBuf,
    pub platforms: BTreeMap<String, Platform>,
    /// Sorted by id.
    pub sites: Vec<SiteFile>,
    /// One a broken file, sorted by path.
    pub errors: Vec<LoadError>,
    /// The team's own cookie knowledge (`catalog/*.ron`); its broken files are in `errors`.
    pub team: Vec<crate::knowledge::Entry>,
}

impl Workspace {
    pub fn platform_of(&self, site: &Site) -> Option<&Platform> {
        site.platform.as_ref().and_then(|p| self.platforms.get(p))
    }

    pub fn site(&self, id: &str) -> Option<&SiteFile> {
        self.sites.iter().find(|s| s.site.id == id)
    }

    /// A site's declarations with its platform's resolved.
    pub fn cookies_of(&self, site: &Site) -> Vec<CookieDecl> {
        site.resolved_cookies(self.platform_of(site))
    }
}

pub fn hash_bytes(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Loads every `*.ron` site file of `dir` and the platform files under `dir/platforms`.
/// Files are read and parsed on every core; a broken one never stops the others.
pub fn load_sites(dir: &Path) -> Workspace {
    let mut ws = load_platforms(dir);
    let site_paths = match std::fs::read_dir(dir) {
        Ok(_) => ron_files(dir),
        Err(e) => {
            ws.errors.push(LoadError {
                path: dir.to_path_buf(),
                at: None,
                message: format!("cannot read the sites folder: {e}"),
            });
            Vec::new()
        }
    };
    let platforms = &ws.platforms;
    for result in read_all(&site_paths, |path, text| load_site(path, text, platforms)) {
        match result {
            Ok(site) => ws.sites.push(site),
            Err(e) => ws.errors.push(e),
        }
    }
    ws.sites.sort_by(|a, b| a.site.id.cmp(&b.site.id));
    ws.errors.sort_by(|a, b| a.path.cmp(&b.path));
    ws
}

/// A workspace of `dir` holding its platforms only, for a caller that loads the site files one
/// at a time with [`load_site`] (an audit of thousands of sites, which keeps none in memory).
pub fn load_platforms(dir: &Path) -> Workspace {
    let mut ws = Workspace {
        dir: dir.to_path_buf(),
        ..Default::default()
    };
    for result in read_all(&ron_files(&dir.join(PLATFORMS_DIR)), load_platform) {
        match result {
            Ok(p) => {
                ws.platforms.insert(p.id.clone(), p);
            }
            Err(e) => ws.errors.push(e),
        }
    }
    let (team, errors) = crate::knowledge::team::load(dir);
    ws.team = team
        .iter()
        .flat_map(|f| &f.entries)
        .map(|e| e.entry())
        .collect();
    ws.errors.extend(errors);
    ws
}

fn ron_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, "ron")
}

/// The files directly in `dir` whose name ends in `.{extension}`, sorted by name; none when the
/// folder does not exist.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == extension) && p.is_file())
        .collect();
    paths.sort();
    paths
}

/// Reads and loads files on every core, keeping their order.
fn read_all<T: Send>(
    paths: &[PathBuf],
    load: impl Fn(&Path, Vec<u8>) -> Result<T, LoadError> + Sync,
) -> Vec<Result<T, LoadError>> {
    crate::parallel::map(paths, |path| {
        super::limits::read_capped(path, super::limits::SITE_FILE)
            .map_err(|e| LoadError {
                path: path.clone(),
                at: None,
                message: format!("cannot read: {e}"),
            })
            .and_then(|bytes| load(path, bytes))
    })
}

fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn text_of(path: &Path, bytes: &[u8]) -> Result<String, LoadError> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        LoadError {
            path: path.to_path_buf(),
            at: Some(format::end_of(&text)),
            message: "the file is not valid UTF-8".into(),
        }
    })
}

fn parse_error(path: &Path, (message, at): (String, Position)) -> LoadError {
    LoadError {
        path: path.to_path_buf(),
        at: Some(at),
        message,
    }
}

fn load_platform(path: &Path, bytes: Vec<u8>) -> Result<Platform, LoadError> {
    let text = text_of(path, &bytes)?;
    let mut platform: Platform = format::parse(&text).map_err(|e| parse_error(path, e))?;
    platform.id = file_id(path);
    Ok(platform)
}

/// Parses one site file and checks what the parser cannot: a safe id, known languages, known
/// platform cookies.
pub fn load_site(
    path: &Path,
    bytes: Vec<u8>,
    platforms: &BTreeMap<String, Platform>,
) -> Result<SiteFile, LoadError> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let disk_hash = hash_bytes(&bytes);
    let text = text_of(path, &bytes)?;
    let id = file_id(path);
    if !is_safe_id(&id) {
        return Err(LoadError {
            path: path.to_path_buf(),
            at: None,
            message: format!(
                "the file name {id:?} is not a safe site id: use letters, digits, '.', '-' and '_', \
                 starting with a letter or digit"
            ),
        });
    }
    let mut site: Site = format::parse(&text).map_err(|e| parse_error(path, e))?;
    site.id = id;
    let fail = |needle: &str, message: String| LoadError {
        path: path.to_path_buf(),
        at: Some(format::locate(&text, needle)),
        message,
    };
    for lang in &site.languages {
        if !is_language_code(lang) {
            return Err(fail(
                &format!("\"{lang}\""),
                format!("{lang:?} is not a two-letter language code"),
            ));
        }
    }
    if !site.languages.contains(&site.default_language) {
        return Err(fail(
            "default_language",
            format!(
                "the default language {:?} is not one of the site's languages {:?}",
                site.default_language, site.languages
            ),
        ));
    }
    for lang in site.sections.keys() {
        if !site.languages.contains(lang) {
            return Err(fail(
                &format!("\"{lang}\""),
                format!("sections are given in {lang:?}, which is not one of the site's languages"),
            ));
        }
    }
    let platform = match &site.platform {
        Some(name) => Some(platforms.get(name).ok_or_else(|| {
            fail(
                &format!("\"{name}\""),
                format!(
                    "unknown platform {name:?}: no file {PLATFORMS_DIR}/{name}.ron (known: {})",
                    platforms.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            )
        })?),
        None => None,
    };
    for entry in &site.cookies {
        if let CookieEntry::Platform(using) = entry {
            let known = platform.is_some_and(|p| p.cookie(&using.name).is_some());
            if !known {
                let names = platform
                    .map(|p| {
                        p.cookies
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                return Err(fail(
                    &format!("name: \"{}\"", using.name),
                    match platform {
                        Some(p) => format!(
                            "unknown platform cookie {:?}: platform {:?} declares {}",
                            using.name,
                            p.id,
                            names.join(", ")
                        ),
                        None => format!(
                            "platform cookie {:?} used, but the site names no platform",
                            using.name
                        ),
                    },
                ));
            }
        }
    }
    Ok(SiteFile {
        path: path.to_path_buf(),
        site,
        disk_hash,
        modified,
    })
}
