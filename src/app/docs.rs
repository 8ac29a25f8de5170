//! The open sites folder as the app edits it: each site with its saved version, undo history
//! and check findings (recomputed only when the site changes).

use std::collections::BTreeMap;
use std::path::PathBuf;

use url::Url;

use super::command::Command;
use super::dialogs::Dialogs;
use super::editor::EditorState;
use super::history::History;
use super::notify::Notifications;
use super::settings::Settings;
use super::worker::{Done, Job, Loaded, Worker};
use crate::check::{Finding, check_site, summary_counts};
use crate::model::{CookieEntry, Layout, Platform, PlatformCookieUse, Section, Site};
use crate::store::{LoadError, SiteFile, is_safe_id};

pub struct SiteDoc {
    /// `file.site` is the site as edited.
    pub file: SiteFile,
    /// The site as last read from or written to disk.
    pub saved: Site,
    pub history: History,
    pub findings: Vec<Finding>,
    /// (errors, warnings, infos) of `findings`.
    pub counts: (usize, usize, usize),
    /// Bumped on every change, so views know when to rebuild what they cache.
    pub revision: u64,
    pub dirty: bool,
    pub saving: bool,
    /// The last live audit, once read from the history or run.
    pub audit: Option<super::audit_worker::LastAudit>,
}

impl SiteDoc {
    fn new(file: SiteFile, findings: Vec<Finding>) -> Self {
        Self {
            saved: file.site.clone(),
            history: History::new(&file.site),
            counts: summary_counts(&findings),
            findings,
            revision: 0,
            dirty: false,
            saving: false,
            audit: None,
            file,
        }
    }

    pub fn id(&self) -> &str {
        &self.file.site.id
    }

    pub fn site(&self) -> &Site {
        &self.file.site
    }

    /// After any change of the site: check it again and note whether it differs from disk.
    fn changed(&mut self, platforms: &BTreeMap<String, Platform>) {
        let site = &self.file.site;
        let platform = site.platform.as_ref().and_then(|p| platforms.get(p));
        self.findings = check_site(site, platform);
        self.counts = summary_counts(&self.findings);
        self.dirty = *site != self.saved;
        self.revision += 1;
    }
}

pub struct Docs {
    pub dir: PathBuf,
    pub platforms: BTreeMap<String, Platform>,
    /// Sorted by id.
    pub sites: Vec<SiteDoc>,
    pub broken: Vec<LoadError>,
}

impl Docs {
    pub fn from_loaded(loaded: Loaded) -> Self {
        let Loaded { ws, findings } = loaded;
        Self {
            dir: ws.dir,
            platforms: ws.platforms,
            sites: ws
                .sites
                .into_iter()
                .zip(findings)
                .map(|(file, findings)| SiteDoc::new(file, findings))
                .collect(),
            broken: ws.errors,
        }
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.sites.binary_search_by(|d| d.id().cmp(id)).ok()
    }

    pub fn get(&self, id: &str) -> Option<&SiteDoc> {
        self.index_of(id).map(|i| &self.sites[i])
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut SiteDoc> {
        self.index_of(id).map(|i| &mut self.sites[i])
    }

    pub fn platform_of(&self, site: &Site) -> Option<&Platform> {
        site.platform.as_ref().and_then(|p| self.platforms.get(p))
    }

    pub fn dirty_count(&self) -> usize {
        self.sites.iter().filter(|d| d.dirty).count()
    }

    fn insert(&mut self, doc: SiteDoc) {
        let at = self
            .sites
            .binary_search_by(|d| d.id().cmp(doc.id()))
            .unwrap_or_else(|i| i);
        self.sites.insert(at, doc);
    }

    fn save(&mut self, id: &str, overwrite: bool, worker: &Worker) {
        if let Some(doc) = self.get_mut(id)
            && !doc.saving
        {
            doc.saving = true;
            worker.send(Job::Save {
                file: Box::new(doc.file.clone()),
                overwrite,
            });
        }
    }

    /// Why `id` cannot name a new site here, if it cannot.
    pub fn refuse_id(&self, id: &str) -> Option<String> {
        if !is_safe_id(id) {
            Some("use letters, digits, '.', '-' and '_', starting with a letter or digit".into())
        } else if self.index_of(id).is_some() {
            // The worker checks the disk again when it creates the file; a frame never does.
            Some(format!("a site named {id} already exists"))
        } else {
            None
        }
    }
}

/// A new site from its platform's declarations: every platform cookie published as declared.
pub fn new_site(id: &str, url: Url, platform: Option<&Platform>) -> Site {
    let section = |level, heading: &str, body| Section {
        level,
        heading: heading.into(),
        body,
    };
    let sections = vec![
        section(1, "Cookies policy", vec![]),
        section(
            2,
            "What cookies are used on this site",
            vec![crate::model::Block::CookieTable],
        ),
    ];
    Site {
        id: id.into(),
        name: id.into(),
        base_url: url,
        policy_path: "/terms/cookies-policy/".into(),
        extra_paths: vec![],
        controller: String::new(),
        contact: None,
        platform: platform.map(|p| p.id.clone()),
        languages: vec!["en".into()],
        default_language: "en".into(),
        layout: Layout::WithDurations,
        policy_version: "1".into(),
        last_review: String::new(),
        consent_cookie: None,
        sections: BTreeMap::from([("en".to_string(), sections)]),
        cookies: platform
            .map(|p| {
                p.cookies
                    .iter()
                    .map(|c| {
                        CookieEntry::Platform(PlatformCookieUse {
                            name: c.name.clone(),
                            ..Default::default()
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

pub fn apply_done(
    docs: &mut Docs,
    done: Done,
    dialogs: &mut Dialogs,
    notes: &mut Notifications,
    settings: &mut Settings,
    editor: &mut EditorState,
) {
    match done {
        Done::Saved { id, result } => {
            let Some(doc) = docs.get_mut(&id) else { return };
            doc.saving = false;
            match result {
                Ok(file) => {
                    doc.file.disk_hash = file.disk_hash;
                    doc.file.modified = file.modified;
                    doc.saved = file.site;
                    doc.dirty = doc.file.site != doc.saved;
                    notes.info(format!("Saved {}", file.path.display()));
                }
                Err(e) => notes.error(e),
            }
        }
        Done::Conflict(conflict) => {
            if let Some(doc) = docs.get_mut(&conflict.id) {
                doc.saving = false;
            }
            dialogs.open_conflict(conflict);
        }
        Done::Reloaded { id, result } => match result {
            Ok((file, findings)) => {
                if let Some(doc) = docs.get_mut(&id) {
                    doc.history.record(&file.site, None, 0.0);
                    doc.file = file;
                    doc.saved = doc.file.site.clone();
                    doc.findings = findings;
                    doc.counts = summary_counts(&doc.findings);
                    doc.dirty = false;
                    doc.revision += 1;
                    editor.forget_buffers();
                    notes.info(format!(
                        "Reloaded {} from disk (Undo brings your edits back)",
                        id
                    ));
                }
            }
            Err(e) => notes.error(format!("cannot reload: {e}")),
        },
        Done::Created(Ok((file, findings))) => {
            let id = file.site.id.clone();
            notes.info(format!("Created {}", file.path.display()));
            docs.insert(SiteDoc::new(file, findings));
            settings.selected = Some(id);
            editor.selected_cookie = None;
        }
        Done::Created(Err(e)) => notes.error(e),
        Done::Trashed { id, result } => match result {
            Ok(to) => {
                if let Some(i) = docs.index_of(&id) {
                    docs.sites.remove(i);
                }
                settings.compared.retain(|c| *c != id);
                if settings.selected.as_deref() == Some(id.as_str()) {
                    settings.selected = docs.sites.first().map(|d| d.id().to_string());
                }
                notes.info(format!("Moved {id} to {}", to.display()));
            }
            Err(e) => notes.error(e),
        },
        Done::Opened(_) | Done::FolderPicked(_) => {}
    }
}

pub fn run_command(
    docs: &mut Docs,
    command: Command,
    worker: &Worker,
    dialogs: &mut Dialogs,
    notes: &mut Notifications,
    settings: &mut Settings,
    time: f64,
) {
    let selected = settings.selected.clone().unwrap_or_default();
    match command {
        Command::Save(id) => docs.save(&id, false, worker),
        Command::SaveSelected => docs.save(&selected, false, worker),
        Command::SaveAll => {
            let dirty: Vec<String> = docs
                .sites
                .iter()
                .filter(|d| d.dirty)
                .map(|d| d.id().to_string())
                .collect();
            for id in dirty {
                docs.save(&id, false, worker);
            }
        }
        Command::Overwrite(id) => docs.save(&id, true, worker),
        Command::Reload(id) => {
            if let Some(doc) = docs.get(&id) {
                worker.send(Job::Reload {
                    id,
                    path: doc.file.path.clone(),
                    platforms: docs.platforms.clone(),
                });
            }
        }
        Command::Undo | Command::Redo => {
            let platforms = &docs.platforms;
            let Some(i) = docs.index_of(&selected) else {
                return;
            };
            let doc = &mut docs.sites[i];
            let step = if command == Command::Undo {
                doc.history.undo(&doc.file.site)
            } else {
                doc.history.redo(&doc.file.site)
            };
            match step {
                Some(site) => {
                    doc.file.site = site;
                    doc.changed(platforms);
                }
                None => notes.info(format!(
                    "Nothing to {}",
                    if command == Command::Undo {
                        "undo"
                    } else {
                        "redo"
                    }
                )),
            }
        }
        Command::Edited(field) => {
            let platforms = &docs.platforms;
            if let Some(i) = docs.index_of(&selected) {
                let doc = &mut docs.sites[i];
                doc.history.record(&doc.file.site, field, time);
                doc.changed(platforms);
            }
        }
        Command::AskNewSite => dialogs.open_new_site(docs),
        Command::NewSite { id, url, platform } => {
            let url = match Url::parse(&url) {
                Ok(url) => url,
                Err(e) => return notes.error(format!("{url}: not a web address ({e})")),
            };
            let platform = platform.as_ref().and_then(|p| docs.platforms.get(p));
            worker.send(Job::Create {
                dir: docs.dir.clone(),
                site: Box::new(new_site(&id, url, platform)),
                platforms: docs.platforms.clone(),
            });
        }
        Command::AskDuplicate(from) => dialogs.open_duplicate(&from),
        Command::Duplicate { from, id } => {
            if let Some(doc) = docs.get(&from) {
                let mut site = doc.file.site.clone();
                site.id = id;
                worker.send(Job::Create {
                    dir: docs.dir.clone(),
                    site: Box::new(site),
                    platforms: docs.platforms.clone(),
                });
            }
        }
        Command::AskDelete(id) => dialogs.open_delete(&id),
        Command::Delete(id) => {
            if let Some(doc) = docs.get(&id) {
                worker.send(Job::Trash {
                    id,
                    dir: docs.dir.clone(),
                    path: doc.file.path.clone(),
                });
            }
        }
        _ => {}
    }
}
