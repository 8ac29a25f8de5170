//! How much audit history a site keeps. Applied each time an audit of the site is saved.
//!
//! The rule, per site: the newest `keep` audits are kept (default 90: three months of daily
//! audits); with `max_age`, audits older than that are removed too, except the site's newest,
//! which the next audit is compared with. Failed attempts are kept only while they are newer than
//! the newest audit kept (they tell that the site cannot be audited now), and at most `keep`.

use std::path::Path;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::index::{self, Entry};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    pub keep: usize,
    pub max_age: Option<time::Duration>,
}

pub const DEFAULT_KEEP: usize = 90;

impl Default for Retention {
    fn default() -> Self {
        Retention {
            keep: DEFAULT_KEEP,
            max_age: None,
        }
    }
}

impl Retention {
    /// Splits `entries` (oldest first) into those kept and those removed, at time `now`.
    pub fn split(&self, entries: Vec<Entry>, now: OffsetDateTime) -> (Vec<Entry>, Vec<Entry>) {
        let keep = self.keep.max(1);
        let cutoff = self.max_age.map(|age| now - age);
        let old = |e: &Entry| {
            cutoff.is_some_and(|cutoff| {
                OffsetDateTime::parse(&e.at, &Rfc3339).is_ok_and(|at| at < cutoff)
            })
        };
        let mut seen_audits = 0;
        let mut kept_newest_at: Option<String> = None;
        let mut failures_after = 0;
        let (mut kept, mut removed) = (Vec::new(), Vec::new());
        // Newest first, so the counts are "the newest N".
        for e in entries.into_iter().rev() {
            let keep_it = if e.failed() {
                let newer = kept_newest_at.is_none();
                failures_after += usize::from(newer);
                newer && failures_after <= keep
            } else {
                seen_audits += 1;
                let newest = seen_audits == 1;
                seen_audits <= keep && (newest || !old(&e))
            };
            if !e.failed() && kept_newest_at.is_none() && keep_it {
                kept_newest_at = Some(e.at.clone());
            }
            if keep_it {
                kept.push(e);
            } else {
                removed.push(e);
            }
        }
        kept.reverse();
        removed.reverse();
        (kept, removed)
    }

    /// Applies the rule to the history folder `dir` whose index holds `entries`: the index is
    /// rewritten first, then the files of the audits removed are deleted (a crash in between
    /// leaves files the index no longer names, never an index naming missing files).
    pub fn apply(
        &self,
        dir: &Path,
        entries: Vec<Entry>,
        now: OffsetDateTime,
    ) -> Result<usize, String> {
        let (kept, removed) = self.split(entries, now);
        if removed.is_empty() {
            return Ok(0);
        }
        index::rewrite(dir, &kept).map_err(|e| {
            format!(
                "cannot rewrite {}: {e}",
                dir.join(index::INDEX_FILE).display()
            )
        })?;
        for file in removed.iter().filter_map(|e| e.file.as_deref()) {
            let path = dir.join(file);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("cannot remove {}: {e}", path.display())),
            }
        }
        // A browser audit's screenshots (`<stem>-<phase>.png`) go with it.
        let stems: Vec<String> = removed
            .iter()
            .filter_map(|e| e.file.as_deref()?.strip_suffix(".json"))
            .map(|stem| format!("{stem}-"))
            .collect();
        if !stems.is_empty() {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".png") && stems.iter().any(|s| name.starts_with(s.as_str())) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(removed.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> String {
        format!("2026-10-{day:02}T06:00:00Z")
    }

    fn audit(day: u32) -> Entry {
        Entry {
            at: at(day),
            file: Some(format!("d{day}.json")),
            ..Default::default()
        }
    }

    fn failure(day: u32) -> Entry {
        Entry {
            at: at(day),
            error: Some("timeout".into()),
            ..Default::default()
        }
    }

    fn days(entries: &[Entry]) -> Vec<(String, bool)> {
        entries
            .iter()
            .map(|e| (e.at[8..10].to_string(), e.failed()))
            .collect()
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-10-31T00:00:00Z", &Rfc3339).unwrap()
    }

    #[test]
    fn keep_n_keeps_the_newest_n_audits() {
        let all: Vec<Entry> = (1..=10).map(audit).collect();
        let r = Retention {
            keep: 3,
            max_age: None,
        };
        let (kept, removed) = r.split(all, now());
        assert_eq!(
            days(&kept),
            [
                ("08".into(), false),
                ("09".into(), false),
                ("10".into(), false)
            ]
        );
        assert_eq!(removed.len(), 7);
    }

    #[test]
    fn by_age_keeps_the_newest_even_when_old() {
        let all: Vec<Entry> = [1, 2, 20, 25].into_iter().map(audit).collect();
        let r = Retention {
            keep: 90,
            max_age: Some(time::Duration::days(10)),
        };
        let (kept, _) = r.split(all.clone(), now());
        assert_eq!(days(&kept), [("25".into(), false)]);
        let r = Retention {
            keep: 90,
            max_age: Some(time::Duration::days(20)),
        };
        assert_eq!(
            days(&r.split(all, now()).0),
            [("20".into(), false), ("25".into(), false)]
        );
        let only_old = vec![audit(1)];
        let r = Retention {
            keep: 90,
            max_age: Some(time::Duration::days(1)),
        };
        assert_eq!(days(&r.split(only_old, now()).0), [("01".into(), false)]);
    }

    #[test]
    fn failures_are_kept_only_after_the_newest_audit() {
        let all = vec![
            failure(1),
            audit(2),
            failure(3),
            audit(4),
            failure(5),
            failure(6),
        ];
        let r = Retention {
            keep: 5,
            max_age: None,
        };
        let (kept, removed) = r.split(all.clone(), now());
        assert_eq!(
            days(&kept),
            [
                ("02".into(), false),
                ("04".into(), false),
                ("05".into(), true),
                ("06".into(), true)
            ]
        );
        assert_eq!(days(&removed), [("01".into(), true), ("03".into(), true)]);
        let r = Retention {
            keep: 1,
            max_age: None,
        };
        assert_eq!(
            days(&r.split(all, now()).0),
            [("04".into(), false), ("06".into(), true)]
        );
    }
}
