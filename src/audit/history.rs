//! Audit history: every audit of a site saved beside the site files, in
//! `<sites>/.audits/<site id>/<UTC timestamp>.json`, and what changed since the last one.
//! [`index`] keeps a line per audit for the readers that go through many sites (the digest), and
//! [`retention`] bounds how many audits a site keeps.

pub mod index;
pub mod retention;

pub use retention::Retention;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use time::macros::format_description;

use super::report::{Changes, CookieRef, LifetimeChange, Report, SiteReport};
use crate::store::limits::{self, read_capped};
use crate::store::save::{write_atomically, write_new_atomically};
use crate::store::{AUDITS_DIR, is_safe_id};
use crate::timestamp::rfc3339;

/// The folder holding the audits of site `id`.
pub fn audits_dir(sites_dir: &Path, id: &str) -> PathBuf {
    sites_dir.join(AUDITS_DIR).join(id)
}

/// The audit files of a site, oldest first.
pub fn audit_files(sites_dir: &Path, id: &str) -> Vec<PathBuf> {
    if !is_safe_id(id) {
        return Vec::new();
    }
    // The names are UTC timestamps of one width, so their order is the audits' order.
    crate::store::load::files_with_extension(&audits_dir(sites_dir, id), "json")
}

/// An audit file larger than this is not an audit PolicyDesk wrote.
pub const MAX_AUDIT_BYTES: u64 = limits::AUDIT_FILE.bytes;

/// One saved audit as read from its file: the bytes unchanged (a bundle copies them) and the
/// report they hold. The app and the export both read audits this way.
#[derive(Clone, Debug)]
pub struct StoredAudit {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub report: Report,
}

impl StoredAudit {
    /// The audit of site `id` in this file.
    pub fn site(&self, id: &str) -> Option<&SiteReport> {
        self.report.sites.iter().find(|s| s.site == id)
    }
}

/// An audit file that could not be read: the file, and what is wrong (with line and column
/// for a file that is not an audit).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ReadError {
    pub path: PathBuf,
    pub message: String,
}

/// Reads one audit file, refusing one over [`MAX_AUDIT_BYTES`].
pub fn read_audit(path: &Path) -> Result<StoredAudit, ReadError> {
    let fail = |message: String| ReadError {
        path: path.to_path_buf(),
        message,
    };
    let bytes =
        read_capped(path, limits::AUDIT_FILE).map_err(|e| fail(format!("cannot read: {e}")))?;
    let report: Report = serde_json::from_slice(&bytes).map_err(|e| {
        fail(format!(
            "{}:{}: not a valid audit file: {e}",
            e.line(),
            e.column()
        ))
    })?;
    Ok(StoredAudit {
        path: path.to_path_buf(),
        bytes,
        report,
    })
}

/// The newest audit file of site `id`, read; `None` when the site has never been audited. A
/// newest file that cannot be read is an error, never skipped for an older one.
pub fn last_audit(sites_dir: &Path, id: &str) -> Result<Option<StoredAudit>, ReadError> {
    audit_files(sites_dir, id)
        .last()
        .map(|path| read_audit(path))
        .transpose()
}

/// The newest audit of site `id` that can be read, and its file (what the next audit is
/// compared with).
pub fn latest_audit(sites_dir: &Path, id: &str) -> Option<(PathBuf, Report)> {
    audit_files(sites_dir, id)
        .into_iter()
        .rev()
        .filter_map(|path| read_audit(&path).ok())
        .find(|stored| stored.site(id).is_some())
        .map(|stored| (stored.path, stored.report))
}

/// What changed in `now` since `before` (the same site's earlier audit, made at `since`).
pub fn changes(before: &SiteReport, since: &str, now: &SiteReport) -> Changes {
    let index = |r: &SiteReport| -> BTreeMap<CookieRef, Option<u64>> {
        r.observed
            .iter()
            .map(|o| {
                (
                    CookieRef {
                        name: o.name.clone(),
                        domain: o.domain.clone(),
                        storage: o.storage,
                    },
                    o.lifetime_seconds,
                )
            })
            .collect()
    };
    let (old, new) = (index(before), index(now));
    Changes {
        since: since.to_string(),
        appeared: new
            .keys()
            .filter(|k| !old.contains_key(k))
            .cloned()
            .collect(),
        disappeared: old
            .keys()
            .filter(|k| !new.contains_key(k))
            .cloned()
            .collect(),
        lifetime_changed: new
            .iter()
            .filter_map(|(k, after)| {
                let before = old.get(k)?;
                (before != after).then(|| LifetimeChange {
                    name: k.name.clone(),
                    domain: k.domain.clone(),
                    before: *before,
                    after: *after,
                })
            })
            .collect(),
    }
}

/// Fills `site.changes` from the last audit of the site, then saves this audit as the newest,
/// keeping the default [`Retention`]. An audit that could not fetch every page is not saved (it
/// would show cookies as gone that were only not fetched) but still compared, and noted in the
/// index as a failed attempt. Returns the file written.
pub fn record(
    sites_dir: &Path,
    site: &mut SiteReport,
    now: OffsetDateTime,
) -> Result<Option<PathBuf>, String> {
    record_with(sites_dir, site, now, &Retention::default())
}

/// [`record`] with the given retention.
pub fn record_with(
    sites_dir: &Path,
    site: &mut SiteReport,
    now: OffsetDateTime,
    retention: &Retention,
) -> Result<Option<PathBuf>, String> {
    if !is_safe_id(&site.site) {
        return Err(format!("{:?} cannot name an audit folder", site.site));
    }
    if let Some((_, previous)) = latest_audit(sites_dir, &site.site)
        && let Some(before) = previous.sites.iter().find(|s| s.site == site.site)
    {
        site.changes = Some(changes(before, &previous.generated_at, site));
    }
    if site.phases.iter().any(|p| p.screenshot_png.is_some()) {
        // Screenshots go beside the audit, named by its time; the report keeps their names.
        let dir = audits_dir(sites_dir, &site.site);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let stamp = now
            .to_offset(time::UtcOffset::UTC)
            .format(format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .map_err(|e| e.to_string())?;
        save_screenshots(&dir.join(format!("{stamp}.json")), site)?;
    }
    let text = crate::audit::document::site_text(&*site)?;
    save(sites_dir, &site.site, &text, now, retention)
}

/// Saves one site's audit as given (`site_text` as [`crate::audit::document`] writes it; its
/// `changes` as they are) made at `at`: a new file that never replaces another (a second
/// later while that name is taken, so two processes auditing one site both keep theirs), a line
/// in the index, then the retention rule. An audit with an `error` gets an index line only.
pub fn save(
    sites_dir: &Path,
    id: &str,
    site_text: &str,
    at: OffsetDateTime,
    retention: &Retention,
) -> Result<Option<PathBuf>, String> {
    if !is_safe_id(id) {
        return Err(format!("{id:?} cannot name an audit folder"));
    }
    let site: serde_json::Value =
        serde_json::from_str(site_text).map_err(|e| format!("not a site's report: {e}"))?;
    let dir = audits_dir(sites_dir, id);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // One writer at a time per site (the app and a command line, two overlapping jobs), so the
    // index always follows the files; the lock goes with the file when this returns or dies.
    let lock_path = dir.join(".lock");
    let lock = std::fs::File::create(&lock_path)
        .and_then(|f| f.lock().map(|()| f))
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    let index_error = |e: std::io::Error| {
        format!(
            "cannot write {}: {e}",
            dir.join(index::INDEX_FILE).display()
        )
    };
    let files = audit_files(sites_dir, id);
    let mut entries = index::ensure(&dir, &files).map_err(index_error)?;
    let generated_at = rfc3339(at);
    let (path, entry) = if site["error"].is_null() {
        let newest = files.last().and_then(|p| p.file_name());
        let path = write_new(&dir, at, newest, &generated_at, site_text)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        (Some(path), index::summarize(&site, &generated_at, name))
    } else {
        (None, index::summarize(&site, &generated_at, None))
    };
    index::append(&dir, &entry).map_err(index_error)?;
    entries.push(entry);
    retention.apply(&dir, entries, at)?;
    drop(lock);
    Ok(path)
}

/// Writes each phase's screenshot beside the audit file `path` as `<stamp>-<phase>.png` and
/// names it in the phase.
fn save_screenshots(path: &Path, site: &mut SiteReport) -> Result<(), String> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    for phase in &mut site.phases {
        let Some(png) = phase.screenshot_png.take() else {
            continue;
        };
        if !is_safe_id(&phase.name) {
            continue;
        }
        let name = format!("{stem}-{}.png", phase.name);
        let file = dir.join(&name);
        write_atomically(&file, &png)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        phase.screenshot = Some(name);
    }
    Ok(())
}

/// [`record`] for every site of a report, as the command line and the app save an audit;
/// returns a warning for each site that could not be saved.
pub fn record_all(sites_dir: &Path, report: &mut Report, now: OffsetDateTime) -> Vec<String> {
    report
        .sites
        .iter_mut()
        .filter_map(|site| {
            record(sites_dir, site, now)
                .err()
                .map(|e| format!("the audit of {} was not saved: {e}", site.site))
        })
        .collect()
}

/// Writes the one-site report to `<timestamp>.json`, a second later while that name is taken
/// or does not sort after `newest` (the newest file's name), so the order of the names stays
/// the audits' order. The file is created, never replaced.
fn write_new(
    dir: &Path,
    mut at: OffsetDateTime,
    newest: Option<&std::ffi::OsStr>,
    generated_at: &str,
    site_text: &str,
) -> Result<PathBuf, String> {
    let mut spool = crate::audit::document::Spool::new().map_err(|e| e.to_string())?;
    spool.push(site_text).map_err(|e| e.to_string())?;
    let mut document = Vec::new();
    spool
        .write_document(generated_at, &mut document)
        .map_err(|e| e.to_string())?;
    let stamp = format_description!("[year][month][day]T[hour][minute][second]Z");
    loop {
        let name = at
            .to_offset(time::UtcOffset::UTC)
            .format(stamp)
            .unwrap_or_else(|_| at.unix_timestamp().to_string());
        let file = format!("{name}.json");
        if newest.is_some_and(|n| n >= std::ffi::OsStr::new(&file)) {
            at += time::Duration::SECOND;
            continue;
        }
        let path = dir.join(file);
        match write_new_atomically(&path, &document) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                at += time::Duration::SECOND;
            }
            Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::report::{Observed, Source, Storage};

    fn saved(dir: &Path, id: &str, name: &str, text: &str) -> PathBuf {
        let folder = audits_dir(dir, id);
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn report_of(id: &str, at: &str) -> String {
        let site = SiteReport {
            site: id.into(),
            ..Default::default()
        };
        serde_json::to_string(&Report::new(at.into(), vec![site])).unwrap()
    }

    #[test]
    fn a_storage_item_named_like_a_cookie_is_a_change_of_its_own() {
        let item = |name: &str, storage| Observed {
            name: name.into(),
            domain: "portal.example".into(),
            path: "/".into(),
            lifetime_seconds: None,
            secure: false,
            http_only: false,
            same_site: None,
            source: Source::Script,
            service: None,
            evidence: String::new(),
            url: "https://portal.example/".into(),
            storage,
            phases: Vec::new(),
            known: Vec::new(),
        };
        let site = |observed| SiteReport {
            site: "portal.example".into(),
            observed,
            ..Default::default()
        };
        let before = site(vec![item("theme", Storage::Cookie)]);
        let now = site(vec![
            item("theme", Storage::Cookie),
            item("theme", Storage::LocalStorage),
        ]);
        let c = changes(&before, "20260101T000000Z", &now);
        assert_eq!(c.appeared.len(), 1, "{c:?}");
        assert_eq!(c.appeared[0].what(), "localStorage item theme");
        assert!(c.disappeared.is_empty());
        // Histories written before storage items were kept still read: their items are cookies.
        let old: CookieRef = serde_json::from_str(r#"{"name":"x","domain":"d"}"#).unwrap();
        assert_eq!(old.storage, Storage::Cookie);
    }

    #[test]
    fn the_last_audit_is_the_newest_file_read_typed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(last_audit(dir.path(), "a.example"), Ok(None)));
        for stamp in ["20260101T000000Z", "20260201T000000Z"] {
            let text = report_of("a.example", stamp);
            saved(dir.path(), "a.example", &format!("{stamp}.json"), &text);
        }
        let last = last_audit(dir.path(), "a.example").unwrap().unwrap();
        assert_eq!(last.report.generated_at, "20260201T000000Z");
        assert!(last.site("a.example").is_some());
        assert_eq!(last.bytes, std::fs::read(&last.path).unwrap());
    }

    #[test]
    fn a_broken_newest_audit_is_an_error_naming_the_file_and_place() {
        let dir = tempfile::tempdir().unwrap();
        let good = report_of("a.example", "20260101T000000Z");
        saved(dir.path(), "a.example", "20260101T000000Z.json", &good);
        let broken = saved(
            dir.path(),
            "a.example",
            "20260201T000000Z.json",
            "{\n \"sites\": [",
        );
        let e = last_audit(dir.path(), "a.example").unwrap_err();
        assert_eq!(e.path, broken);
        assert!(e.message.starts_with("2:"), "{e}");
        // The next audit still compares with the newest one that reads.
        let (_, older) = latest_audit(dir.path(), "a.example").unwrap();
        assert_eq!(older.generated_at, "20260101T000000Z");
    }
}
