//! What changed in the audits of every site, grouped by change: a cookie that appeared on 140
//! portals is one group naming the 140 sites. Read from each site's history index (the last lines
//! only), never from the audit files, so it stays fast with thousands of sites and long
//! histories.
//!
//! By default each site's newest audit is compared with the one before it (a site whose newest
//! attempt failed is listed as not audited, and not compared). With a moment `since`, each site's
//! newest audit is compared with its newest audit made at or before `since`; a site audited since
//! but not before is audited for the first time. Findings of error severity of a first audit
//! count as new. Items are keyed by (storage, name, domain), `storage` being `cookie` in reports
//! that predate storage items.

pub mod markdown;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::audit::history::index::{self, Entry, ErrorFinding, Item, Newest};
use crate::audit::history::{audit_files, audits_dir};
use crate::store::load::files_with_extension;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Digest {
    pub tool: String,
    pub version: String,
    pub generated_at: String,
    /// The moment compared with (RFC 3339); null when each site's newest audit is compared with
    /// the one before it.
    pub since: Option<String>,
    /// Sites with an audit compared with an earlier one, or audited for the first time.
    pub sites_compared: usize,
    pub new_errors: Vec<FindingGroup>,
    pub gone_errors: Vec<FindingGroup>,
    pub appeared: Vec<ItemGroup>,
    pub disappeared: Vec<ItemGroup>,
    pub lifetime_changed: Vec<LifetimeGroup>,
    pub not_audited: Vec<NotAudited>,
    pub first_audits: Vec<String>,
}

impl Digest {
    pub fn has_new_errors(&self) -> bool {
        !self.new_errors.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        self.new_errors.is_empty()
            && self.gone_errors.is_empty()
            && self.appeared.is_empty()
            && self.disappeared.is_empty()
            && self.lifetime_changed.is_empty()
            && self.not_audited.is_empty()
            && self.first_audits.is_empty()
    }
}

/// Cookies or storage items that appeared or disappeared on the sites named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemGroup {
    pub storage: String,
    pub name: String,
    /// Null when it is each site's own domain (a first-party item of many portals).
    pub domain: Option<String>,
    pub sites: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LifetimeGroup {
    pub storage: String,
    pub name: String,
    pub domain: Option<String>,
    /// Seconds; null for a session cookie.
    pub before: Option<u64>,
    pub after: Option<u64>,
    pub sites: Vec<String>,
}

/// Findings of error severity of one kind about one cookie or host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingGroup {
    pub kind: String,
    pub cookie: Option<String>,
    pub host: Option<String>,
    pub sites: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotAudited {
    pub site: String,
    /// When the attempt was made.
    pub at: String,
    pub error: String,
}

type ItemKey = (String, String, Option<String>);

#[derive(Default)]
struct Groups {
    appeared: BTreeMap<ItemKey, Vec<String>>,
    disappeared: BTreeMap<ItemKey, Vec<String>>,
    lifetime: BTreeMap<(ItemKey, Option<u64>, Option<u64>), Vec<String>>,
    new_errors: BTreeMap<ErrorFinding, Vec<String>>,
    gone_errors: BTreeMap<ErrorFinding, Vec<String>>,
}

/// The ids of the site files of `sites_dir`, loaded or not, in id order.
pub fn site_ids(sites_dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = files_with_extension(sites_dir, "ron")
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|id| crate::store::is_safe_id(id))
        .collect();
    ids.sort();
    ids
}

/// The digest of the history of every site of `sites_dir`, since `since` (RFC 3339, UTC, as
/// [`crate::timestamp::rfc3339`] writes) or, without, of each site's newest audit.
pub fn digest(sites_dir: &Path, since: Option<&str>, generated_at: String) -> Digest {
    let mut digest = Digest {
        tool: crate::TOOL.into(),
        version: crate::VERSION.into(),
        generated_at,
        since: since.map(str::to_string),
        ..Default::default()
    };
    let mut groups = Groups::default();
    for id in site_ids(sites_dir) {
        let dir = audits_dir(sites_dir, &id);
        // A history saved before the index existed gets one, once.
        let entries = Newest::open(&dir).or_else(|| {
            let files = audit_files(sites_dir, &id);
            (!files.is_empty() && index::ensure(&dir, &files).is_ok())
                .then(|| Newest::open(&dir))
                .flatten()
        });
        let Some(entries) = entries else {
            continue;
        };
        let Some(outcome) = outcome(entries, since) else {
            continue;
        };
        if let Some(failed) = outcome.failed {
            digest.not_audited.push(NotAudited {
                site: id.clone(),
                at: failed.at,
                error: failed.error.unwrap_or_default(),
            });
        }
        let Some(current) = outcome.current else {
            continue;
        };
        digest.sites_compared += 1;
        if outcome.baseline.is_none() {
            digest.first_audits.push(id.clone());
        }
        compare(&id, outcome.baseline.as_ref(), &current, &mut groups);
    }
    let item = |((storage, name, domain), sites): (ItemKey, Vec<String>)| ItemGroup {
        storage,
        name,
        domain,
        sites,
    };
    let finding = |(f, sites): (ErrorFinding, Vec<String>)| FindingGroup {
        kind: f.kind,
        cookie: f.cookie,
        host: f.host,
        sites,
    };
    digest.appeared = groups.appeared.into_iter().map(item).collect();
    digest.disappeared = groups.disappeared.into_iter().map(item).collect();
    digest.lifetime_changed = groups
        .lifetime
        .into_iter()
        .map(
            |(((storage, name, domain), before, after), sites)| LifetimeGroup {
                storage,
                name,
                domain,
                before,
                after,
                sites,
            },
        )
        .collect();
    digest.new_errors = groups.new_errors.into_iter().map(finding).collect();
    digest.gone_errors = groups.gone_errors.into_iter().map(finding).collect();
    digest
}

/// What the digest compares for one site.
struct Outcome {
    /// The newest attempt, when it failed.
    failed: Option<Entry>,
    current: Option<Entry>,
    /// What `current` is compared with; none for a first audit.
    baseline: Option<Entry>,
}

/// Reads a site's entries, newest first, only as far back as needed.
fn outcome(mut entries: impl Iterator<Item = Entry>, since: Option<&str>) -> Option<Outcome> {
    let newest = entries.next()?;
    let failed = newest.failed().then(|| newest.clone());
    let Some(since) = since else {
        if failed.is_some() {
            return Some(Outcome {
                failed,
                current: None,
                baseline: None,
            });
        }
        return Some(Outcome {
            failed: None,
            baseline: entries.find(|e| !e.failed()),
            current: Some(newest),
        });
    };
    if newest.at.as_str() <= since {
        return None;
    }
    let (mut current, mut baseline) = (None, None);
    for e in std::iter::once(newest).chain(entries) {
        if e.failed() {
            continue;
        }
        if e.at.as_str() > since {
            current = current.or(Some(e));
        } else {
            baseline = Some(e);
            break;
        }
    }
    // Audits since, only failed: nothing to compare.
    if current.is_none() {
        baseline = None;
    }
    Some(Outcome {
        failed,
        current,
        baseline,
    })
}

fn key(i: &Item) -> ItemKey {
    let domain = (!i.own).then(|| i.domain.clone());
    (i.storage.clone(), i.name.clone(), domain)
}

fn compare(id: &str, before: Option<&Entry>, now: &Entry, groups: &mut Groups) {
    let (old, new) = (items(before), items(Some(now)));
    // A first audit has nothing to compare items with: only its errors are news.
    if before.is_some() {
        for (k, item) in &new {
            match old.get(k) {
                None => add(id, &mut groups.appeared, key(item)),
                Some(was) if was.lifetime != item.lifetime => add(
                    id,
                    &mut groups.lifetime,
                    (key(item), was.lifetime, item.lifetime),
                ),
                Some(_) => {}
            }
        }
        for (k, item) in &old {
            if !new.contains_key(k) {
                add(id, &mut groups.disappeared, key(item));
            }
        }
    }
    let errors = |e: Option<&Entry>| -> BTreeSet<ErrorFinding> {
        e.into_iter()
            .flat_map(|e| e.errors.iter().cloned())
            .collect()
    };
    let (old, new) = (errors(before), errors(Some(now)));
    for f in new.difference(&old) {
        add(id, &mut groups.new_errors, f.clone());
    }
    for f in old.difference(&new) {
        add(id, &mut groups.gone_errors, f.clone());
    }
}

type ItemsByKey<'a> = BTreeMap<(&'a str, &'a str, &'a str), &'a Item>;

fn items(e: Option<&Entry>) -> ItemsByKey<'_> {
    e.into_iter()
        .flat_map(|e| &e.items)
        .map(|i| ((i.storage.as_str(), i.name.as_str(), i.domain.as_str()), i))
        .collect()
}

/// Names site `id` in the group `k` of `map`, once (two own-domain cookies of one name on one
/// site make one mention).
fn add<K: Ord>(id: &str, map: &mut BTreeMap<K, Vec<String>>, k: K) {
    let sites = map.entry(k).or_default();
    if sites.last().is_none_or(|s| s != id) {
        sites.push(id.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: &str, items: &[(&str, Option<u64>)], errors: &[&str]) -> Entry {
        Entry {
            at: at.into(),
            file: Some(format!("{at}.json")),
            error: None,
            items: items
                .iter()
                .map(|(name, lifetime)| Item {
                    storage: "cookie".into(),
                    name: name.to_string(),
                    domain: "a.org".into(),
                    lifetime: *lifetime,
                    own: true,
                })
                .collect(),
            errors: errors
                .iter()
                .map(|c| ErrorFinding {
                    kind: "undeclared".into(),
                    cookie: Some(c.to_string()),
                    host: None,
                })
                .collect(),
        }
    }

    fn failure(at: &str) -> Entry {
        Entry {
            at: at.into(),
            error: Some("timed out".into()),
            ..Default::default()
        }
    }

    fn at(outcome: &Option<Entry>) -> Option<&str> {
        outcome.as_ref().map(|e| e.at.as_str())
    }

    #[test]
    fn the_default_compares_the_newest_audit_with_the_one_before() {
        let newest_first = vec![entry("3", &[], &[]), failure("2"), entry("1", &[], &[])];
        let o = outcome(newest_first.clone().into_iter(), None).unwrap();
        assert_eq!((at(&o.current), at(&o.baseline)), (Some("3"), Some("1")));
        // The newest attempt failed: listed, not compared.
        let o = outcome(newest_first[1..].iter().cloned(), None).unwrap();
        assert_eq!(at(&o.failed), Some("2"));
        assert!(o.current.is_none());
    }

    #[test]
    fn since_compares_with_the_newest_audit_before_the_moment() {
        let newest_first = vec![
            failure("5"),
            entry("4", &[], &[]),
            entry("3", &[], &[]),
            entry("2", &[], &[]),
            entry("1", &[], &[]),
        ];
        let o = outcome(newest_first.clone().into_iter(), Some("2")).unwrap();
        assert_eq!(at(&o.failed), Some("5"));
        assert_eq!((at(&o.current), at(&o.baseline)), (Some("4"), Some("2")));
        // Nothing since: no outcome. Everything since: a first audit.
        assert!(outcome(newest_first.clone().into_iter(), Some("6")).is_none());
        let o = outcome(newest_first.into_iter(), Some("0")).unwrap();
        assert_eq!((at(&o.current), at(&o.baseline)), (Some("4"), None));
    }

    #[test]
    fn changes_are_grouped_with_their_sites() {
        let mut groups = Groups::default();
        let before = entry("1", &[("a", Some(60)), ("gone", None)], &["x"]);
        let now = entry("2", &[("a", Some(600)), ("new", None)], &["y"]);
        compare("s1", Some(&before), &now, &mut groups);
        compare("s2", Some(&before), &now, &mut groups);
        let own = |n: &str| ("cookie".to_string(), n.to_string(), None);
        assert_eq!(groups.appeared[&own("new")], ["s1", "s2"]);
        assert_eq!(groups.disappeared[&own("gone")], ["s1", "s2"]);
        assert_eq!(
            groups.lifetime[&(own("a"), Some(60), Some(600))],
            ["s1", "s2"]
        );
        assert_eq!(groups.new_errors.len(), 1);
        assert_eq!(groups.gone_errors.len(), 1);
        // A first audit: no item news, its errors are new.
        let mut first = Groups::default();
        compare("s3", None, &now, &mut first);
        assert!(first.appeared.is_empty() && first.new_errors.len() == 1);
    }
}
