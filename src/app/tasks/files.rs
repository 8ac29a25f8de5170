//! The app's file work (open a folder, save, reload, create, move to the trash) as tasks on one
//! lane, so frames never wait on the disk and jobs never overtake each other.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Lane, Task};
use crate::app::state::docs::Loaded;

use crate::check::{Finding, check_site_with};
use crate::knowledge::Knowledge;
use crate::model::{Platform, Site};
use crate::store::diff::{DiffLine, line_diff};
use crate::store::load::{LoadError, load_site};
use crate::store::save::{SaveError, site_text, write_new_atomically};
use crate::store::{self, SiteFile, save_site, site_path};

pub enum Job {
    /// Load a folder; `None` for the default one (created from the bundled portals if need be).
    Open(Option<PathBuf>),
    Save {
        file: Box<SiteFile>,
        overwrite: bool,
    },
    Reload {
        id: String,
        path: PathBuf,
        platforms: BTreeMap<String, Platform>,
        knowledge: Knowledge,
    },
    /// Write a new site file (new or duplicated site); refuses to replace one.
    Create {
        dir: PathBuf,
        site: Box<Site>,
        platforms: BTreeMap<String, Platform>,
        knowledge: Knowledge,
    },
    Trash {
        id: String,
        dir: PathBuf,
        path: PathBuf,
    },
}

/// Another program changed a file since it was loaded.
pub struct Conflict {
    pub id: String,
    pub path: String,
    /// From the file on disk (old) to the version being saved (new).
    pub diff: Vec<DiffLine>,
    pub deleted: bool,
}

pub enum Done {
    Opened(Result<Loaded, String>),
    Saved {
        id: String,
        result: Result<SiteFile, String>,
    },
    Conflict(Conflict),
    Reloaded {
        id: String,
        result: Result<(SiteFile, Vec<Finding>), LoadError>,
    },
    Created(Result<(SiteFile, Vec<Finding>), String>),
    Trashed {
        id: String,
        result: Result<PathBuf, String>,
    },
}

/// The file work under way, run in the order asked on one lane.
pub struct Files {
    lane: Lane,
    tasks: Vec<Task<(), Done>>,
    ctx: egui::Context,
}

impl Files {
    pub fn new(ctx: &egui::Context) -> Self {
        Self {
            lane: Lane::start("policydesk-io"),
            tasks: Vec::new(),
            ctx: ctx.clone(),
        }
    }

    pub fn send(&mut self, job: Job) {
        let task = Task::queue(&self.lane, &self.ctx, (), move |_| run(job));
        self.tasks.push(task);
    }

    /// Jobs sent and not yet taken back (shown as progress).
    pub fn pending(&self) -> usize {
        self.tasks.len()
    }

    /// What the finished jobs did; `None` for one that ended without a result.
    pub fn finished(&mut self) -> Vec<Option<Done>> {
        super::finished(&mut self.tasks)
    }
}

fn run(job: Job) -> Done {
    match job {
        Job::Open(dir) => Done::Opened(open(dir)),
        Job::Save { file, overwrite } => save(*file, overwrite),
        Job::Reload {
            id,
            path,
            platforms,
            knowledge,
        } => Done::Reloaded {
            id,
            result: store::limits::read_capped(&path, store::limits::SITE_FILE)
                .map_err(|e| LoadError {
                    path: path.clone(),
                    at: None,
                    message: format!("cannot read: {e}"),
                })
                .and_then(|bytes| load_site(&path, bytes, &platforms))
                .map(|file| checked(file, &platforms, &knowledge)),
        },
        Job::Create {
            dir,
            site,
            platforms,
            knowledge,
        } => Done::Created(create(&dir, &site, &platforms, &knowledge)),
        Job::Trash { id, dir, path } => Done::Trashed {
            id,
            result: store::trash::move_to_trash(&dir, &path)
                .map_err(|e| format!("cannot move {} to the trash: {e}", path.display())),
        },
    }
}

fn open(dir: Option<PathBuf>) -> Result<Loaded, String> {
    let dir = match dir {
        Some(dir) if dir.is_dir() => dir,
        Some(dir) => return Err(format!("{}: no such folder", dir.display())),
        None => store::bundled::default_sites_dir()
            .map_err(|e| format!("cannot prepare the default sites folder: {e}"))?,
    };
    let ws = store::load_sites(&dir);
    let knowledge = Knowledge::for_workspace(&ws);
    let findings = ws
        .sites
        .iter()
        .map(|f| check_site_with(&f.site, ws.platform_of(&f.site), &knowledge))
        .collect();
    Ok(Loaded {
        ws,
        findings,
        knowledge,
    })
}

fn checked(
    file: SiteFile,
    platforms: &BTreeMap<String, Platform>,
    knowledge: &Knowledge,
) -> (SiteFile, Vec<Finding>) {
    let platform = file.site.platform.as_ref().and_then(|p| platforms.get(p));
    let findings = check_site_with(&file.site, platform, knowledge);
    (file, findings)
}

fn save(mut file: SiteFile, overwrite: bool) -> Done {
    let id = file.site.id.clone();
    match save_site(&mut file, overwrite) {
        Ok(()) => Done::Saved {
            id,
            result: Ok(file),
        },
        Err(SaveError::Conflict { path, on_disk }) => {
            let mine = site_text(&file.site).unwrap_or_default();
            Done::Conflict(Conflict {
                id,
                path,
                deleted: on_disk.is_empty(),
                diff: line_diff(&on_disk, &mine, 3),
            })
        }
        Err(e @ SaveError::Io { .. }) => Done::Saved {
            id,
            result: Err(e.to_string()),
        },
    }
}

fn create(
    dir: &std::path::Path,
    site: &Site,
    platforms: &BTreeMap<String, Platform>,
    knowledge: &Knowledge,
) -> Result<(SiteFile, Vec<Finding>), String> {
    let path = site_path(dir, &site.id);
    let text = site_text(site)?;
    write_new_atomically(&path, text.as_bytes()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!("{} already exists", path.display()),
        _ => format!("cannot write {}: {e}", path.display()),
    })?;
    let file = load_site(&path, text.into_bytes(), platforms).map_err(|e| e.to_string())?;
    Ok(checked(file, platforms, knowledge))
}
