//! What changed from one snapshot to another: sites added and removed, and per site its fields,
//! its languages, its cookies field by field and its sections word by word.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::snapshot::{CookieRecord, Kind, SiteState, Snapshot};
use super::words::{WordOp, WordRun, word_diff};
use crate::check::{Finding, version_findings};
use crate::model::text::text_in;
use crate::model::{CookieEntry, Section, Site, Texts};

/// Which part of two snapshots to compare.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this site.
    pub site: Option<String>,
    /// Only this language's texts (cookies added, removed and their other fields still count).
    pub lang: Option<String>,
}

/// One side of the comparison, as reports name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Side {
    pub path: String,
    pub kind: Kind,
    pub generated_at: Option<String>,
}

impl Side {
    pub fn of(snapshot: &Snapshot) -> Self {
        Side {
            path: snapshot.path.display().to_string(),
            kind: snapshot.kind,
            generated_at: snapshot.generated_at.clone(),
        }
    }
}

/// Everything that changed from `old` to `new`.
#[derive(Clone, Debug, Serialize)]
pub struct Changes {
    pub old: Side,
    pub new: Side,
    pub sites_added: Vec<String>,
    pub sites_removed: Vec<String>,
    /// Sites in both with a change or a finding, in id order.
    pub sites: Vec<SiteChanges>,
}

impl Changes {
    /// Nothing changed and nothing was found.
    pub fn is_empty(&self) -> bool {
        self.sites_added.is_empty() && self.sites_removed.is_empty() && self.sites.is_empty()
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.sites.iter().flat_map(|s| &s.findings)
    }
}

/// A field's value before and after; `lang` for a text of one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field's name in `cookies.json` or the site file; `cell "Header"` for a cell in one
    /// of the page's own columns that has no field.
    pub field: String,
    pub lang: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A cookie in both, with the fields that differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CookieChange {
    /// The name as published (`_ga_*` for a prefix).
    pub name: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CookieChanges {
    pub added: Vec<CookieRecord>,
    pub removed: Vec<CookieRecord>,
    pub changed: Vec<CookieChange>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionChangeKind {
    Added,
    Removed,
    Changed,
}

/// A section of one language that was added, removed or reworded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionChange {
    pub lang: String,
    pub change: SectionChangeKind,
    /// The heading (the new one when it was reworded).
    pub heading: String,
    /// The old heading, when it was reworded.
    pub old_heading: Option<String>,
    /// The body's word diff: `equal` and `delete` runs give the old text, `equal` and `insert`
    /// the new one (paragraphs apart by a blank line, list items as `- ` lines).
    pub words: Vec<WordRun>,
}

/// What changed in one site present on both sides.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SiteChanges {
    pub site: String,
    /// The site's own fields: name, addresses, controller, layout, version, last review…
    pub fields: Vec<FieldChange>,
    pub languages_added: Vec<String>,
    pub languages_removed: Vec<String>,
    pub cookies: CookieChanges,
    pub sections: Vec<SectionChange>,
    /// Whether what the site publishes (texts, cookie table and declarations, name, address,
    /// layout, languages) changed: then version and last review should move forward.
    pub content_changed: bool,
    /// [`crate::check::RuleId::VersionNotAdvanced`] findings.
    pub findings: Vec<Finding>,
}

impl SiteChanges {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && !self.content_changed && self.findings.is_empty()
    }
}

/// Compares `old` with `new` within `filter`.
pub fn compare(old: &Snapshot, new: &Snapshot, filter: &Filter) -> Changes {
    let wanted = |id: &String| filter.site.as_ref().is_none_or(|s| s == id);
    let only_in = |a: &Snapshot, b: &Snapshot| -> Vec<String> {
        a.sites
            .keys()
            .filter(|id| wanted(id) && !b.sites.contains_key(*id))
            .cloned()
            .collect()
    };
    let sites = old
        .sites
        .iter()
        .filter(|(id, _)| wanted(id))
        .filter_map(|(id, before)| Some((before, new.sites.get(id)?)))
        .map(|(before, after)| compare_site(before, after, filter.lang.as_deref()))
        .filter(|s| !s.is_empty())
        .collect();
    Changes {
        old: Side::of(old),
        new: Side::of(new),
        sites_added: only_in(new, old),
        sites_removed: only_in(old, new),
        sites,
    }
}

/// What changed in one site, with the version findings it calls for.
pub fn compare_site(old: &SiteState, new: &SiteState, lang: Option<&str>) -> SiteChanges {
    let (a, b) = (&old.site, &new.site);
    let in_filter = |l: &String| lang.is_none_or(|x| x == l);
    let mut out = SiteChanges {
        site: b.id.clone(),
        fields: site_fields(a, b),
        languages_added: b
            .languages
            .iter()
            .filter(|l| !a.languages.contains(l) && in_filter(l))
            .cloned()
            .collect(),
        languages_removed: a
            .languages
            .iter()
            .filter(|l| !b.languages.contains(l) && in_filter(l))
            .cloned()
            .collect(),
        ..Default::default()
    };
    let languages: Vec<String> = a
        .languages
        .iter()
        .filter(|l| b.languages.contains(l) && in_filter(l))
        .cloned()
        .collect();
    out.cookies = compare_cookies(&old.cookies, &new.cookies, &languages, b);
    for l in &languages {
        out.sections
            .extend(compare_sections(l, section_list(a, l), section_list(b, l)));
    }
    let published_field = out
        .fields
        .iter()
        .any(|f| PUBLISHED.contains(&f.field.as_str()));
    out.content_changed = published_field
        || !out.languages_added.is_empty()
        || !out.languages_removed.is_empty()
        || !out.cookies.added.is_empty()
        || !out.cookies.removed.is_empty()
        || !out.cookies.changed.is_empty()
        || !out.sections.is_empty();
    // The version rule looks at the whole site, whatever the language filter shows. What the
    // filtered view reports the whole site reports too, so the site is compared whole only
    // when the filtered view shows no change.
    let whole_content_changed =
        out.content_changed || (lang.is_some() && compare_site(old, new, None).content_changed);
    out.findings = version_findings(a, b, whole_content_changed);
    out
}

/// The site fields whose change changes what visitors read.
const PUBLISHED: &[&str] = &["name", "policy_url", "layout", "columns"];

/// A site field as reports name it, and how to read it.
type SiteField = (&'static str, fn(&Site) -> Option<String>);

fn site_fields(a: &Site, b: &Site) -> Vec<FieldChange> {
    let fields: [SiteField; 13] = [
        ("name", |s| Some(s.name.clone())),
        ("policy_url", |s| Some(s.policy_url().to_string())),
        ("layout", |s| Some(format!("{:?}", s.layout))),
        ("columns", |s| {
            let each = s.columns.iter().map(|c| match c.table {
                Some(n) => format!("table {n}: {:?} {:?}", c.column, c.header),
                None => format!("{:?} {:?}", c.column, c.header),
            });
            (!s.columns.is_empty()).then(|| each.collect::<Vec<_>>().join(", "))
        }),
        ("policy_version", |s| Some(s.policy_version.clone())),
        ("last_review", |s| Some(s.last_review.clone())),
        ("controller", |s| Some(s.controller.clone())),
        ("contact", |s| s.contact.clone()),
        ("base_url", |s| Some(s.base_url.to_string())),
        ("platform", |s| s.platform.clone()),
        ("default_language", |s| Some(s.default_language.clone())),
        ("consent_cookie", |s| s.consent_cookie.clone()),
        ("extra_paths", |s| {
            (!s.extra_paths.is_empty()).then(|| s.extra_paths.join(", "))
        }),
    ];
    fields
        .into_iter()
        .filter_map(|(field, get)| {
            let (old, new) = (get(a), get(b));
            (old != new).then_some(FieldChange {
                field: field.to_string(),
                lang: None,
                old,
                new,
            })
        })
        .collect()
}

fn section_list<'a>(site: &'a Site, lang: &str) -> &'a [Section] {
    site.sections.get(lang).map(Vec::as_slice).unwrap_or(&[])
}

/// Cookies are paired by name and storage, then those left by name alone when that is
/// unambiguous (a cookie whose storage changed is one cookie changed, not one removed and one
/// added).
fn compare_cookies(
    old: &[CookieRecord],
    new: &[CookieRecord],
    langs: &[String],
    site: &Site,
) -> CookieChanges {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut used_new = vec![false; new.len()];
    let mut used_old = vec![false; old.len()];
    for (i, a) in old.iter().enumerate() {
        if let Some(j) = (0..new.len())
            .find(|&j| !used_new[j] && new[j].name == a.name && new[j].storage == a.storage)
        {
            pairs.push((i, j));
            used_new[j] = true;
            used_old[i] = true;
        }
    }
    let count = |list: &[CookieRecord], used: &[bool], name: &str| {
        (0..list.len())
            .filter(|&k| !used[k] && list[k].name == name)
            .count()
    };
    for i in 0..old.len() {
        let name = &old[i].name;
        if used_old[i] || count(old, &used_old, name) != 1 || count(new, &used_new, name) != 1 {
            continue;
        }
        if let Some(j) = (0..new.len()).find(|&j| !used_new[j] && new[j].name == *name) {
            pairs.push((i, j));
            used_new[j] = true;
            used_old[i] = true;
        }
    }
    pairs.sort_unstable();
    CookieChanges {
        added: keep_unused(new, &used_new),
        removed: keep_unused(old, &used_old),
        changed: pairs
            .into_iter()
            .filter_map(|(i, j)| {
                let changes = cookie_fields(&old[i], &new[j], langs, site);
                (!changes.is_empty()).then(|| CookieChange {
                    name: new[j].display_name.clone(),
                    changes,
                })
            })
            .collect(),
    }
}

fn keep_unused(list: &[CookieRecord], used: &[bool]) -> Vec<CookieRecord> {
    list.iter()
        .zip(used)
        .filter(|(_, used)| !**used)
        .map(|(c, _)| c.clone())
        .collect()
}

/// The fields of one cookie that differ; texts in `langs` only. `site` (the newer) names the
/// page's own columns.
fn cookie_fields(
    a: &CookieRecord,
    b: &CookieRecord,
    langs: &[String],
    site: &Site,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut field = |field: &str, lang: Option<&str>, old: Option<&str>, new: Option<&str>| {
        if old != new {
            out.push(FieldChange {
                field: field.to_string(),
                lang: lang.map(str::to_string),
                old: old.map(str::to_string),
                new: new.map(str::to_string),
            });
        }
    };
    field("name", None, Some(&a.display_name), Some(&b.display_name));
    field("storage", None, Some(&a.storage), Some(&b.storage));
    field("provider", None, Some(&a.provider), Some(&b.provider));
    field("category", None, Some(&a.category), Some(&b.category));
    field("party", None, Some(&a.party), Some(&b.party));
    field("consent", None, Some(&a.consent), Some(&b.consent));
    field("domain", None, a.domain.as_deref(), b.domain.as_deref());
    // The machine value: what it says (kind and seconds), in words.
    let value = |c: &CookieRecord| (c.duration.kind.clone(), c.duration.seconds);
    if value(a) != value(b) {
        field(
            "duration",
            None,
            Some(&a.duration.human),
            Some(&b.duration.human),
        );
    }
    // Group headings and the cells of the page's own columns, where both sides record them
    // (a `cookies.json` from before they were kept cannot tell).
    let both = |f: fn(&CookieRecord) -> bool| f(a) && f(b);
    let groups = both(|c| c.group.is_some());
    let (cells_a, cells_b) = (numbered_cells(a), numbered_cells(b));
    let columns: BTreeSet<u8> = match both(|c| c.other_cells.is_some()) {
        true => cells_a.keys().chain(cells_b.keys()).copied().collect(),
        false => BTreeSet::new(),
    };
    let empty = Texts::new();
    // The table the cookie is published in names its columns.
    let table = match columns.is_empty() {
        true => None,
        false => site
            .cookies
            .iter()
            .find(|e| e.name() == b.name)
            .and_then(CookieEntry::table),
    };
    for lang in langs {
        let text = |t: &Texts| {
            let t = text_in(t, lang);
            (!t.is_empty()).then(|| t.to_string())
        };
        for name in ["location", "purpose", "duration_text"] {
            let (old, new) = (text(texts(a, name)), text(texts(b, name)));
            field(name, Some(lang), old.as_deref(), new.as_deref());
        }
        if groups {
            let group = |c: &CookieRecord| text(c.group.as_ref().unwrap_or(&empty));
            field(
                "group",
                Some(lang),
                group(a).as_deref(),
                group(b).as_deref(),
            );
        }
        for &n in &columns {
            let cell = |c: &BTreeMap<u8, &Texts>| text(c.get(&n).copied().unwrap_or(&empty));
            let (old, new) = (cell(&cells_a), cell(&cells_b));
            if old != new {
                let label = cell_label(site, table, n, lang);
                field(&label, Some(lang), old.as_deref(), new.as_deref());
            }
        }
    }
    out
}

/// A record's cells in the page's own columns, by number.
fn numbered_cells(c: &CookieRecord) -> BTreeMap<u8, &Texts> {
    c.other_cells
        .iter()
        .flatten()
        .filter_map(|(n, t)| n.parse::<u8>().ok().map(|n| (n, t)))
        .collect()
}

/// How a change names a cookie's cell in a column of the page's own that has no field: by the
/// column's header in its table (`cell "Type"`), else by its number among those columns.
fn cell_label(site: &Site, table: Option<u8>, n: u8, lang: &str) -> String {
    match site.other_header(table, n, lang) {
        Some(h) => format!("cell \"{h}\""),
        None => format!("other column {}", u16::from(n) + 1),
    }
}

/// A cookie's texts of one kind, by their field name in `cookies.json`.
fn texts<'a>(c: &'a CookieRecord, field: &str) -> &'a Texts {
    match field {
        "location" => &c.location,
        "purpose" => &c.purpose,
        _ => &c.duration.text,
    }
}

/// Sections are paired in order by heading; where headings differ, sections standing in the
/// same place whose bodies are alike are paired (a reworded heading), the rest are added or
/// removed.
fn compare_sections(lang: &str, old: &[Section], new: &[Section]) -> Vec<SectionChange> {
    let key = |s: &Section| (s.level, s.heading.trim().to_string());
    let (a, b): (Vec<_>, Vec<_>) = (old.iter().map(key).collect(), new.iter().map(key).collect());
    let mut out = Vec::new();
    let mut pair = |i: Option<usize>, j: Option<usize>| {
        if let Some(change) = section_change(lang, i.map(|i| &old[i]), j.map(|j| &new[j])) {
            out.push(change);
        }
    };
    // A deadline keeps a hostile file (thousands of sections) from stalling; past it the pairing
    // is coarser but every section is still accounted for.
    let deadline = Instant::now() + Duration::from_secs(1);
    for op in capture_diff_slices_deadline(Algorithm::Patience, &a, &b, Some(deadline)) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (0..len).for_each(|k| pair(Some(old_index + k), Some(new_index + k))),
            DiffOp::Delete {
                old_index, old_len, ..
            } => (0..old_len).for_each(|k| pair(Some(old_index + k), None)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0..new_len).for_each(|k| pair(None, Some(new_index + k))),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for k in 0..old_len.max(new_len) {
                    let (i, j) = (
                        (k < old_len).then_some(old_index + k),
                        (k < new_len).then_some(new_index + k),
                    );
                    match (i, j) {
                        (Some(i), Some(j)) if !alike(&old[i], &new[j]) => {
                            pair(Some(i), None);
                            pair(None, Some(j));
                        }
                        _ => pair(i, j),
                    }
                }
            }
        }
    }
    out
}

/// Whether two sections in the same place are one section reworded rather than one removed and
/// another added: at least half their body words are the same.
fn alike(a: &Section, b: &Section) -> bool {
    let (a, b) = (a.body_text(), b.body_text());
    if a == b {
        return true;
    }
    let diff = similar::TextDiff::configure()
        .timeout(Duration::from_secs(1))
        .diff_words(&a, &b);
    diff.ratio() >= 0.5
}

fn section_change(
    lang: &str,
    old: Option<&Section>,
    new: Option<&Section>,
) -> Option<SectionChange> {
    let body = |s: Option<&Section>| s.map(Section::body_text).unwrap_or_default();
    let (before, after) = (body(old), body(new));
    let heading = |s: Option<&Section>| s.map(|s| s.heading.trim().to_string());
    let (old_heading, new_heading) = (heading(old), heading(new));
    let change = match (old, new) {
        (None, None) => return None,
        (None, Some(_)) => SectionChangeKind::Added,
        (Some(_), None) => SectionChangeKind::Removed,
        (Some(a), Some(b)) => {
            if before == after && old_heading == new_heading && a.level == b.level {
                return None;
            }
            SectionChangeKind::Changed
        }
    };
    let words = if before == after {
        Vec::new()
    } else {
        word_diff(&before, &after)
    };
    let renamed = change == SectionChangeKind::Changed && old_heading != new_heading;
    Some(SectionChange {
        lang: lang.to_string(),
        change,
        heading: new_heading
            .clone()
            .or(old_heading.clone())
            .unwrap_or_default(),
        old_heading: if renamed { old_heading } else { None },
        words: words
            .into_iter()
            .filter(|r| !(r.op == WordOp::Equal && r.text.is_empty()))
            .collect(),
    })
}

/// Every language either side of `changes` publishes, for checking a `--lang` filter.
pub fn languages(snapshots: &[&Snapshot]) -> BTreeSet<String> {
    snapshots
        .iter()
        .flat_map(|s| s.sites.values())
        .flat_map(|s| s.site.languages.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(group: Option<&str>, cell: Option<&str>) -> CookieRecord {
        let en = |t: &str| Texts::from([("en".to_string(), t.to_string())]);
        CookieRecord {
            name: "sid".into(),
            group: group.map(en),
            other_cells: cell.map(|t| BTreeMap::from([("0".to_string(), en(t))])),
            ..Default::default()
        }
    }

    #[test]
    fn headings_and_own_cells_compare_only_where_both_sides_record_them() {
        let site = Site::blank("x", url::Url::parse("https://x.example/").unwrap(), "en");
        let langs = ["en".to_string()];
        let names = |a, b| -> Vec<String> {
            cookie_fields(&a, &b, &langs, &site)
                .into_iter()
                .map(|f| f.field)
                .collect()
        };
        // A cookies.json from before headings were kept says nothing about them.
        assert!(names(record(None, None), record(Some("Necessary"), Some("HTTP"))).is_empty());
        assert_eq!(
            names(
                record(Some(""), Some("")),
                record(Some("Necessary"), Some("HTTP"))
            ),
            ["group", "other column 1"]
        );
        assert!(names(record(Some("A"), Some("B")), record(Some("A"), Some("B"))).is_empty());
    }
}
