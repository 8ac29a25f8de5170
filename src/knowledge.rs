//! The cookie knowledge base: what a cookie or storage name usually is (platform, category,
//! usual retention), from four layers, most specific first:
//!
//! 1. the team's entries (`catalog/*.ron` in the sites folder),
//! 2. the platform declarations (`platforms/*.ron`),
//! 3. the project's service catalog (`assets/services.ron`),
//! 4. the Open Cookie Database (`assets/open-cookie-database/`).
//!
//! The first layer with an entry that applies answers, and the answer says which layer it is.
//! An entry bound to a domain applies only to names living on that domain, so Instagram's
//! `sessionid` never classifies a portal's own; several entries of the answering layer are all
//! returned, never silently one of them.

pub mod index;
mod layers;
pub mod ocd;
pub mod team;

use std::fmt;
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

use crate::audit::catalog::Catalog;
use crate::audit::page::registrable_domain;
use crate::model::duration::duration_words;
use crate::model::{Category, CookieDecl, DurationValue, MatchKind, Platform, StorageType};
use crate::store::Workspace;
use index::{Index, Specificity};

pub use ocd::ATTRIBUTION;
pub use team::TeamEntry;

/// Where an answer comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Team,
    Platform,
    ServiceCatalog,
    OpenCookieDatabase,
}

impl Layer {
    pub const ALL: [Layer; 4] = [
        Layer::Team,
        Layer::Platform,
        Layer::ServiceCatalog,
        Layer::OpenCookieDatabase,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Layer::Team => "team catalog",
            Layer::Platform => "platform declaration",
            Layer::ServiceCatalog => "service catalog",
            Layer::OpenCookieDatabase => "Open Cookie Database",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a named item is kept.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    #[default]
    Cookie,
    LocalStorage,
    SessionStorage,
}

impl Storage {
    pub fn label(self) -> &'static str {
        match self {
            Storage::Cookie => "cookie",
            Storage::LocalStorage => "localStorage",
            Storage::SessionStorage => "sessionStorage",
        }
    }
}

impl From<StorageType> for Storage {
    fn from(s: StorageType) -> Storage {
        match s {
            StorageType::LocalStorage => Storage::LocalStorage,
            StorageType::SessionStorage => Storage::SessionStorage,
            StorageType::HttpCookie | StorageType::ScriptCookie | StorageType::Pixel => {
                Storage::Cookie
            }
        }
    }
}

/// One known name or prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// `name` is a prefix.
    pub wildcard: bool,
    pub platform: String,
    pub category: Category,
    /// The source's own word when it has other categories ("Functional").
    pub source_category: Option<String>,
    /// As the source writes it ("facebook.com (3rd party)"); empty when unbound.
    pub domain: String,
    /// The registrable domains the entry is bound to; empty when it applies anywhere.
    pub domains: Vec<String>,
    pub description: String,
    /// As the source writes it ("13 months", "session", "forever").
    pub retention: String,
    /// What the parser reads in `retention`; unknown when it reads nothing.
    pub retention_value: DurationValue,
    /// Only this kind of storage; any when none.
    pub storage: Option<Storage>,
    /// The platform file's id, for platform declarations.
    pub platform_id: Option<String>,
    pub layer: Layer,
}

impl Entry {
    /// Whether a declaration of `category` agrees with this entry. Necessary and security are
    /// one family; the Open Cookie Database's "Functional" also takes preferences.
    pub fn accepts(&self, category: Category) -> bool {
        accepts(self.category, self.source_category.as_deref(), category)
    }

    /// The name as a person reads it: `_ga_*` for a prefix.
    pub fn display_name(&self) -> String {
        if self.wildcard {
            format!("{}*", self.name)
        } else {
            self.name.clone()
        }
    }

    /// Whether the entry may classify an item living on `domain` (none: unknown).
    fn applies_on(&self, domain: Option<&str>) -> bool {
        match domain {
            None => true,
            Some(_) if self.domains.is_empty() => true,
            Some(d) => self
                .domains
                .contains(&registrable_domain(d.trim_start_matches('.'))),
        }
    }

    /// The retention as a person reads it: the source's text, or the value in words.
    pub fn retention_text(&self) -> String {
        if self.retention.trim().is_empty() {
            duration_words(self.retention_value, "en")
        } else {
            self.retention.clone()
        }
    }

    /// Fills a declaration from this entry: name and match, provider, category, the domain
    /// and party when the entry is bound to one, the machine duration, and for each of
    /// `languages` the duration in words (the source's text when it reads as no length, in
    /// English) and, in English, the description as purpose.
    pub fn fill(&self, decl: &mut CookieDecl, languages: &[&str]) {
        decl.name = self.name.clone();
        decl.matching = if self.wildcard {
            MatchKind::Prefix
        } else {
            MatchKind::Exact
        };
        decl.provider = self.platform.clone();
        decl.category = self.category;
        if let Some(domain) = self.domains.first() {
            decl.domain = Some(domain.clone());
            decl.party = crate::model::Party::Third;
        }
        decl.duration.value = self.retention_value;
        for &lang in languages {
            let words = match self.retention_value {
                DurationValue::Unknown if lang == "en" => self.retention.clone(),
                value => duration_words(value, lang),
            };
            decl.duration.text.insert(lang.to_string(), words);
            if lang == "en" && !self.description.is_empty() {
                decl.purpose
                    .insert(lang.to_string(), self.description.clone());
            }
        }
    }

    /// The answer's JSON shape (`lookup`, audit reports).
    pub fn info(&self) -> MatchInfo {
        MatchInfo {
            name: self.display_name(),
            platform: self.platform.clone(),
            category: self.category,
            retention: self.retention_text(),
            retention_seconds: self.retention_value.max_seconds(),
            domain: (!self.domain.is_empty()).then(|| self.domain.clone()),
            description: self.description.clone(),
            source: self.layer,
            wildcard: self.wildcard,
            source_category: self.source_category.clone(),
        }
    }
}

/// Whether `declared` agrees with a known category (and the source's own word for it).
fn accepts(known: Category, source_category: Option<&str>, declared: Category) -> bool {
    let family = |c| match c {
        Category::Security => Category::Necessary,
        c => c,
    };
    let functional = source_category.is_some_and(|c| c.eq_ignore_ascii_case("functional"));
    family(known) == family(declared) || (functional && declared == Category::Preferences)
}

/// The registrable domains named in a domain cell ("facebook.com (3rd party)", ".bing.com
/// (3rd party) or .microsoft.com (3rd party)").
pub fn domains_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '/' | ';'))
        .map(|w| w.trim_matches('.').to_ascii_lowercase())
        .filter(|w| {
            w.contains('.')
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        .map(|w| registrable_domain(&w))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// One match, as `lookup --format json` and the audit report show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchInfo {
    /// The entry's name (`_ga_*` for a prefix).
    pub name: String,
    pub platform: String,
    pub category: Category,
    pub retention: String,
    /// The longest the retention text allows, in seconds (0: session); null when it reads as
    /// no length ("forever", "varies").
    pub retention_seconds: Option<u64>,
    pub domain: Option<String>,
    pub description: String,
    pub source: Layer,
    pub wildcard: bool,
    /// The source's own category word when it has other categories ("Functional").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_category: Option<String>,
}

impl MatchInfo {
    /// Whether a declaration of `category` agrees with this match (see [`Entry::accepts`]).
    pub fn accepts(&self, category: Category) -> bool {
        accepts(self.category, self.source_category.as_deref(), category)
    }

    /// The entry's pattern as a declaration names it: (`_ga_`, prefix) for `_ga_*`.
    pub fn pattern(&self) -> (&str, MatchKind) {
        match self.name.strip_suffix('*').filter(|_| self.wildcard) {
            Some(prefix) => (prefix, MatchKind::Prefix),
            None => (&self.name, MatchKind::Exact),
        }
    }
}

/// What is asked: a name, where it is kept, and where.
#[derive(Clone, Copy, Debug, Default)]
pub struct Query<'a> {
    pub name: &'a str,
    pub storage: Storage,
    /// The domain the item lives on (a cookie's Domain, the host that set it); none when unknown.
    pub domain: Option<&'a str>,
    /// The audited site's own host; stands for `domain` when that is unknown (storage items).
    pub first_party: Option<&'a str>,
    /// The audited site's platform id: in a site's context only that platform's declarations
    /// apply. None outside a site's context.
    pub site_platform: Option<Option<&'a str>>,
}

impl<'a> Query<'a> {
    pub fn name(name: &'a str) -> Query<'a> {
        Query {
            name,
            ..Default::default()
        }
    }
}

/// The knowledge base's answer for one name.
#[derive(Clone, Debug, Default)]
pub struct Answer<'k> {
    /// The answering layer's entries for the name, equally specific (several: ambiguous).
    pub matches: Vec<&'k Entry>,
    /// What lower layers hold for the name, overridden by the answer.
    pub overridden: Vec<&'k Entry>,
    /// Entries for the name bound to another domain than the item's.
    pub elsewhere: Vec<&'k Entry>,
}

impl<'k> Answer<'k> {
    pub fn layer(&self) -> Option<Layer> {
        self.matches.first().map(|e| e.layer)
    }

    /// The one entry, when exactly one applies.
    pub fn single(&self) -> Option<&'k Entry> {
        match self.matches.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Whether a declaration of `category` disagrees with the answer: only when one entry
    /// answers, so that a name two platforms use never raises an alarm.
    pub fn category_differs(&self, category: Category) -> Option<&'k Entry> {
        self.single().filter(|e| !e.accepts(category))
    }

    pub fn infos(&self) -> Vec<MatchInfo> {
        self.matches.iter().map(|e| e.info()).collect()
    }
}

/// The layers, ready to answer.
#[derive(Clone)]
pub struct Knowledge {
    team: Arc<Index>,
    platforms: Arc<Index>,
    services: &'static Index,
    ocd: &'static Index,
}

static SERVICES: LazyLock<Index> =
    LazyLock::new(|| Index::new(layers::service_entries(Catalog::bundled(), &OCD)));
static OCD: LazyLock<Index> = LazyLock::new(|| {
    // The embedded file is tested to parse; should it not, the layer is empty rather than a crash.
    Index::new(ocd::entries().unwrap_or_default())
});
static BUNDLED: LazyLock<Knowledge> = LazyLock::new(|| Knowledge::new(Vec::new(), &[]));

impl fmt::Debug for Knowledge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Knowledge")
            .field("sizes", &self.sizes())
            .finish()
    }
}

/// The shipped layers only: no team entries, no platforms.
impl Default for Knowledge {
    fn default() -> Knowledge {
        Knowledge::bundled().clone()
    }
}

impl Knowledge {
    /// The shipped layers only (service catalog and Open Cookie Database).
    pub fn bundled() -> &'static Knowledge {
        &BUNDLED
    }

    /// The team's entries and platform declarations over the shipped layers.
    pub fn new<'p>(
        team: Vec<Entry>,
        platforms: impl IntoIterator<Item = &'p Platform>,
    ) -> Knowledge {
        Knowledge {
            team: Arc::new(Index::new(team)),
            platforms: Arc::new(Index::new(
                platforms
                    .into_iter()
                    .flat_map(layers::platform_entries)
                    .collect(),
            )),
            services: &SERVICES,
            ocd: &OCD,
        }
    }

    /// The knowledge of a loaded sites folder: its team catalog (`catalog/*.ron`, whose broken
    /// files are among the workspace's load errors) and its platforms.
    pub fn for_workspace(ws: &Workspace) -> Knowledge {
        Knowledge::new(ws.team.clone(), ws.platforms.values())
    }

    fn layers(&self) -> [&Index; 4] {
        [&self.team, &self.platforms, self.services, self.ocd]
    }

    /// How many entries each layer holds, most specific first.
    pub fn sizes(&self) -> [(Layer, usize); 4] {
        let l = self.layers();
        [
            (Layer::Team, l[0].len()),
            (Layer::Platform, l[1].len()),
            (Layer::ServiceCatalog, l[2].len()),
            (Layer::OpenCookieDatabase, l[3].len()),
        ]
    }

    fn usable(entry: &Entry, query: &Query) -> bool {
        let storage_ok = entry.storage.is_none_or(|s| s == query.storage);
        let platform_ok = match (query.site_platform, &entry.platform_id) {
            (Some(site), Some(id)) => site == Some(id.as_str()),
            _ => true,
        };
        storage_ok && platform_ok
    }

    /// Classifies one name in its context.
    pub fn classify(&self, query: &Query) -> Answer<'_> {
        let domain = query.domain.or(query.first_party);
        let mut answer = Answer::default();
        for index in self.layers() {
            let mut best: Option<Specificity> = None;
            for (entry, how) in index.matching(query.name) {
                if !Self::usable(entry, query) {
                    continue;
                }
                if !entry.applies_on(domain) {
                    answer.elsewhere.push(entry);
                    continue;
                }
                if !answer.matches.is_empty() && best.is_none() {
                    answer.overridden.push(entry);
                    continue;
                }
                match best {
                    // Matches come most specific first: a less specific one is overridden.
                    Some(b) if how < b => answer.overridden.push(entry),
                    _ => {
                        best = Some(how);
                        answer.matches.push(entry);
                    }
                }
            }
        }
        answer
    }

    /// What the layers other than `skip` know about a declaration's own pattern (exact name or
    /// prefix): the answer a check compares the declaration with.
    pub fn for_declaration(&self, decl: &CookieDecl, query: &Query) -> Answer<'_> {
        let wildcard = match decl.matching {
            MatchKind::Exact => false,
            MatchKind::Prefix => true,
            MatchKind::Regex => return Answer::default(),
        };
        let domain = query.domain.or(query.first_party);
        let mut answer = Answer::default();
        for index in self.layers() {
            let found: Vec<&Entry> = index
                .with_pattern(&decl.name, wildcard)
                .filter(|e| Self::usable(e, query))
                .collect();
            let (here, elsewhere): (Vec<&Entry>, Vec<&Entry>) =
                found.into_iter().partition(|e| e.applies_on(domain));
            answer.elsewhere.extend(elsewhere);
            if answer.matches.is_empty() {
                answer.matches = here;
            } else {
                answer.overridden.extend(here);
            }
        }
        answer
    }

    /// Known names starting with `typed` (case-insensitive), for suggestions: at most `limit`,
    /// the most specific layer's first.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<&Entry> {
        let typed = typed.to_lowercase();
        let mut out: Vec<&Entry> = Vec::new();
        if typed.is_empty() {
            return out;
        }
        for index in self.layers() {
            for entry in &index.entries {
                if out.len() >= limit {
                    return out;
                }
                let fresh = !out.iter().any(|e| e.name == entry.name);
                if fresh && entry.name.to_lowercase().starts_with(&typed) {
                    out.push(entry);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(name: &str, wildcard: bool, storage: Option<Storage>) -> Entry {
        TeamEntry {
            name: name.into(),
            wildcard,
            platform: "Ours".into(),
            category: Category::Preferences,
            domain: None,
            description: String::new(),
            retention: "6 mois".into(),
            storage,
        }
        .entry()
    }

    #[test]
    fn domain_cells_give_registrable_domains() {
        assert_eq!(domains_in("facebook.com (3rd party)"), ["facebook.com"]);
        assert_eq!(
            domains_in(".bing.com (3rd party) or .microsoft.com (3rd party)"),
            ["bing.com", "microsoft.com"]
        );
        assert_eq!(domains_in("accounts.google.com"), ["google.com"]);
        assert!(domains_in("").is_empty());
    }

    #[test]
    fn exact_names_beat_prefixes_and_longer_prefixes_shorter_ones() {
        let kb = Knowledge::new(
            vec![
                team("_x", true, None),
                team("_x_long", true, None),
                team("_x_long_exact", false, None),
            ],
            [],
        );
        let names = |q: &str| {
            let a = kb.classify(&Query::name(q));
            (
                a.matches.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
                a.overridden.len(),
            )
        };
        assert_eq!(names("_x_long_exact"), (vec!["_x_long_exact".into()], 2));
        assert_eq!(names("_x_long_1"), (vec!["_x_long".into()], 1));
        assert_eq!(names("_x1"), (vec!["_x".into()], 0));
    }

    #[test]
    fn an_entry_for_one_storage_kind_answers_only_for_it() {
        let kb = Knowledge::new(vec![team("theme", false, Some(Storage::LocalStorage))], []);
        let local = Query {
            storage: Storage::LocalStorage,
            ..Query::name("theme")
        };
        assert_eq!(kb.classify(&local).layer(), Some(Layer::Team));
        assert_ne!(
            kb.classify(&Query::name("theme")).layer(),
            Some(Layer::Team)
        );
        // The team's retention is read with the site files' parser, French included.
        assert_eq!(
            kb.classify(&local).matches[0].retention_value,
            DurationValue::Seconds(6 * crate::model::duration::MONTH)
        );
    }

    #[test]
    fn suggestions_start_with_what_was_typed_most_specific_layer_first() {
        let kb = Knowledge::new(vec![team("_hjCustom", false, None)], []);
        let found: Vec<(String, Layer)> = kb
            .suggest("_hj", 5)
            .iter()
            .map(|e| (e.name.clone(), e.layer))
            .collect();
        assert_eq!(found.len(), 5);
        assert_eq!(found[0], ("_hjCustom".into(), Layer::Team));
        assert!(found.iter().all(|(n, _)| n.starts_with("_hj")));
        assert!(kb.suggest("", 5).is_empty());
    }
}
