//! The open sites folder as the app edits it: each site with its saved version, undo history
//! and check findings (recomputed only when the site changes).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use url::Url;

use super::audit::LastAudit;
use super::history::{FieldKey, History};
use crate::check::{Finding, check_site_with, summary_counts};
use crate::knowledge::Knowledge;
use crate::model::{CookieEntry, Platform, PlatformCookieUse, Section, Site};
use crate::store::{LoadError, SiteFile, Workspace, is_safe_id};

/// A loaded folder with every site already checked (what the file task hands over).
pub struct Loaded {
    pub ws: Workspace,
    pub findings: Vec<Vec<Finding>>,
    /// The folder's cookie knowledge, built off the frame with the checks that used it.
    pub knowledge: Knowledge,
}

/// A revision number never handed out before in this run. Views key their caches by it, so a
/// site deleted and re-created under the same id cannot be served the old site's entry.
fn fresh_revision() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

pub struct SiteDoc {
    /// `file.site` is the site as edited.
    pub file: SiteFile,
    /// The site as last read from or written to disk.
    pub saved: Site,
    pub history: History,
    pub findings: Vec<Finding>,
    /// (errors, warnings, infos) of `findings`.
    pub counts: (usize, usize, usize),
    /// Changes on every change of the site, to a number no other site or version had in this
    /// run, so views know when to rebuild what they cache.
    pub revision: u64,
    pub dirty: bool,
    pub saving: bool,
    /// The last live audit, once read from the history or run.
    pub audit: Option<LastAudit>,
}

impl SiteDoc {
    fn new(file: SiteFile, findings: Vec<Finding>) -> Self {
        Self {
            saved: file.site.clone(),
            history: History::new(&file.site),
            counts: summary_counts(&findings),
            findings,
            revision: fresh_revision(),
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

    /// `site` in place of this one, as one undo step.
    pub(super) fn set_site(
        &mut self,
        site: Site,
        platforms: &BTreeMap<String, Platform>,
        knowledge: &Knowledge,
    ) {
        self.file.site = site;
        self.history.record(&self.file.site, None, 0.0);
        self.changed(platforms, knowledge);
    }

    /// After any change of the site: check it again and note whether it differs from disk.
    pub(super) fn changed(
        &mut self,
        platforms: &BTreeMap<String, Platform>,
        knowledge: &Knowledge,
    ) {
        let site = &self.file.site;
        let platform = site.platform.as_ref().and_then(|p| platforms.get(p));
        self.findings = check_site_with(site, platform, knowledge);
        self.counts = summary_counts(&self.findings);
        self.dirty = *site != self.saved;
        self.revision = fresh_revision();
    }
}

#[derive(Default)]
pub struct Docs {
    pub dir: PathBuf,
    pub platforms: BTreeMap<String, Platform>,
    /// The folder's team catalog, and its cookie knowledge (team catalog, platforms, shipped
    /// layers).
    pub team: Vec<crate::knowledge::Entry>,
    pub knowledge: Knowledge,
    /// Sorted by id.
    pub sites: Vec<SiteDoc>,
    pub broken: Vec<LoadError>,
    /// The last find-and-replace across sites: each site it changed, as it left it.
    pub last_replace: Option<Vec<(String, Site)>>,
}

impl Docs {
    pub fn from_loaded(loaded: Loaded) -> Self {
        let Loaded {
            ws,
            findings,
            knowledge,
        } = loaded;
        Self {
            knowledge,
            team: ws.team,
            dir: ws.dir,
            platforms: ws.platforms,
            sites: ws
                .sites
                .into_iter()
                .zip(findings)
                .map(|(file, findings)| SiteDoc::new(file, findings))
                .collect(),
            broken: ws.errors,
            last_replace: None,
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

    /// The ids of the sites with unsaved changes.
    pub fn dirty_ids(&self) -> Vec<String> {
        self.sites
            .iter()
            .filter(|d| d.dirty)
            .map(|d| d.id().to_string())
            .collect()
    }

    /// A save of `id` finished: `file` is what is on disk now.
    pub fn saved(&mut self, id: &str, file: SiteFile) {
        if let Some(doc) = self.get_mut(id) {
            doc.saving = false;
            doc.file.disk_hash = file.disk_hash;
            doc.file.modified = file.modified;
            doc.saved = file.site;
            doc.dirty = doc.file.site != doc.saved;
        }
    }

    /// A save of `id` ended without writing (an error or a conflict).
    pub fn save_ended(&mut self, id: &str) {
        if let Some(doc) = self.get_mut(id) {
            doc.saving = false;
        }
    }

    /// `id` was read again from disk; the edits stay one undo step away. Whether it is open.
    pub fn reloaded(&mut self, id: &str, file: SiteFile, findings: Vec<Finding>) -> bool {
        let Some(doc) = self.get_mut(id) else {
            return false;
        };
        doc.history.record(&file.site, None, 0.0);
        doc.file = file;
        doc.saved = doc.file.site.clone();
        doc.findings = findings;
        doc.counts = summary_counts(&doc.findings);
        doc.dirty = false;
        doc.revision = fresh_revision();
        true
    }

    /// A new site file was written; returns its id.
    pub fn created(&mut self, file: SiteFile, findings: Vec<Finding>) -> String {
        let id = file.site.id.clone();
        self.insert(SiteDoc::new(file, findings));
        id
    }

    /// `id` went to the trash.
    pub fn removed(&mut self, id: &str) {
        if let Some(i) = self.index_of(id) {
            self.sites.remove(i);
        }
    }

    /// Undoes (or redoes) the last edit of `id`; whether there was one.
    pub fn step(&mut self, id: &str, redo: bool) -> bool {
        let (platforms, knowledge) = (&self.platforms, &self.knowledge);
        let Some(i) = self.index_of(id) else {
            return false;
        };
        let doc = &mut self.sites[i];
        let step = if redo {
            doc.history.redo(&doc.file.site)
        } else {
            doc.history.undo(&doc.file.site)
        };
        let Some(site) = step else { return false };
        doc.file.site = site;
        doc.changed(platforms, knowledge);
        true
    }

    /// Records an edit a screen made to `id` in place: checks it again, one undo step.
    pub fn edited(&mut self, id: &str, field: Option<FieldKey>, time: f64) {
        let (platforms, knowledge) = (&self.platforms, &self.knowledge);
        if let Some(i) = self.index_of(id) {
            let doc = &mut self.sites[i];
            doc.history.record(&doc.file.site, field, time);
            doc.changed(platforms, knowledge);
        }
    }

    /// `site` in place of the site of its id, as one undo step (an import reviewed); whether
    /// that site is open.
    pub fn replace_site(&mut self, site: Site) -> bool {
        let (platforms, knowledge) = (&self.platforms, &self.knowledge);
        let Some(i) = self.index_of(&site.id) else {
            return false;
        };
        self.sites[i].set_site(site, platforms, knowledge);
        true
    }

    /// Applies the safe fix of `finding` to `id` as one undo step; what it changed, or why
    /// there is no safe fix.
    pub fn fix(&mut self, id: &str, finding: &Finding) -> Result<String, String> {
        let doc = self.get(id).ok_or("the site is no longer open")?;
        let fix = crate::check::fix::fix_for(doc.site(), self.platform_of(doc.site()), finding)?;
        self.replace_site(fix.site);
        Ok(fix.description)
    }

    /// Why `id` cannot name a new site here, if it cannot.
    pub fn refuse_id(&self, id: &str) -> Option<String> {
        if !is_safe_id(id) {
            Some("use letters, digits, '.', '-' and '_', starting with a letter or digit".into())
        } else if self.index_of(id).is_some() {
            // The file task checks the disk again when it creates the file; a frame never does.
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
        policy_path: "/terms/cookies-policy/".into(),
        platform: platform.map(|p| p.id.clone()),
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
        ..Site::blank(id, url, "en")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs_with(ids: &[&str]) -> Docs {
        let text = crate::store::bundled::FILES[2].1;
        let template: Site = crate::store::format::parse(text).expect("bundled site parses");
        let mut docs = Docs::default();
        for id in ids {
            let mut site = template.clone();
            site.id = id.to_string();
            docs.insert(SiteDoc::new(
                SiteFile {
                    path: PathBuf::from(format!("{id}.ron")),
                    site,
                    disk_hash: Default::default(),
                    modified: None,
                },
                Vec::new(),
            ));
        }
        docs
    }

    #[test]
    fn a_site_re_created_under_the_same_id_gets_a_new_revision() {
        let mut docs = docs_with(&["a.example", "b.example"]);
        let before = docs.get("a.example").map(|d| d.revision);
        docs.removed("a.example");
        let again = docs_with(&["a.example"]).sites.remove(0);
        docs.insert(again);
        let after = docs.get("a.example").map(|d| d.revision);
        assert!(before.is_some() && after.is_some());
        assert_ne!(
            before, after,
            "a cache keyed by (id, revision) cannot serve the old site"
        );
    }
}
