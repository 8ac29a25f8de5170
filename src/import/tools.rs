//! Other tools' output read into declarations for a person to finish: a WEC `inspection.json`
//! and a HAR file (what a visit set, with the lifetimes observed; categories and providers from
//! the knowledge base), a Cookiebot declaration script and a OneTrust consent JSON (what the
//! site's team declared there). The kind is told by content, never by file name.

pub mod declared;
pub mod js_literal;
pub mod observed;

use std::collections::BTreeMap;

use url::Url;

use super::{ImportOptions, Imported, Report, Source};
use crate::audit::declare::{declaration, purpose_placeholder};
use crate::check::language::detect;
use crate::model::duration::duration_words;
use crate::model::{
    Block, Category, CookieDecl, CookieEntry, Duration, Platform, PlatformCookieUse, Section, Site,
};
use crate::store::is_safe_id;

/// What a source is, by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Wec,
    Har,
    Cookiebot,
    OneTrust,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Wec => "WEC inspection.json",
            Kind::Har => "HAR file",
            Kind::Cookiebot => "Cookiebot declaration script",
            Kind::OneTrust => "OneTrust consent JSON",
        }
    }

    /// What such a source gives, and what it cannot.
    fn gives(self) -> (&'static str, &'static str) {
        match self {
            Kind::Wec => (
                "cookie and localStorage names, domains, lifetimes as observed",
                "purposes, providers and categories (taken from the knowledge base where it \
                 knows the name), the policy text",
            ),
            Kind::Har => (
                "cookies set by HTTP responses, with the lifetimes they asked for",
                "cookies set by scripts, storage items, purposes, providers and categories \
                 (taken from the knowledge base where it knows the name), the policy text",
            ),
            Kind::Cookiebot => (
                "names, categories, purposes and durations as declared in Cookiebot",
                "function and location, the party, the policy text",
            ),
            Kind::OneTrust => (
                "names, hosts, categories, purposes and lifetimes in days as declared in OneTrust",
                "duration texts (worded from the days), function and location, the policy text",
            ),
        }
    }
}

/// What a source's text is: a tool's output (its JSON parsed once: a tool's output can be tens
/// of megabytes), JSON of no kind read here, or a page.
pub enum Detected {
    Tool(Kind, Option<serde_json::Value>),
    OtherJson,
    Page,
}

impl Detected {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Detected::Tool(kind, _) => Some(*kind),
            _ => None,
        }
    }
}

/// Tells what a source's `text` is.
pub fn detect_source(text: &str) -> Detected {
    let start = text.trim_start();
    let cookiebot = || text.contains("CookieConsentDialog.cookieTable");
    if start.starts_with(['{', '[']) {
        match serde_json::from_str::<serde_json::Value>(start) {
            Ok(doc) if start.starts_with('{') => {
                let kind = if doc["DomainData"].is_object() {
                    Some(Kind::OneTrust)
                } else if doc["log"]["entries"].is_array() {
                    Some(Kind::Har)
                } else if doc["cookies"].is_array()
                    && (doc["uri_ins"].is_string() || doc["start_time"].is_string())
                {
                    Some(Kind::Wec)
                } else {
                    None
                };
                return kind.map_or(Detected::OtherJson, |k| Detected::Tool(k, Some(doc)));
            }
            Ok(_) if !cookiebot() => return Detected::OtherJson,
            Err(_) if start.starts_with('{') => return Detected::Page,
            _ => {}
        }
    }
    if cookiebot() {
        Detected::Tool(Kind::Cookiebot, None)
    } else {
        Detected::Page
    }
}

/// Why JSON of no kind read here cannot be imported at all.
pub fn refuse(label: &str) -> String {
    format!(
        "{label}: JSON, but not a WEC inspection.json, a HAR file or a OneTrust consent JSON \
         (nothing was imported)"
    )
}

/// Reads a tool's output into a new site: one declaration per item (a platform row for a cookie
/// of the platform), a title and the cookie table as the policy text, and a report of what the
/// source gave and what is left to fill in.
pub fn import_tool(
    kind: Kind,
    doc: Option<serde_json::Value>,
    source: &Source,
    platforms: &BTreeMap<String, Platform>,
    options: &ImportOptions,
) -> Result<Imported, String> {
    let mut report = Report::default();
    let (gave, lacks) = kind.gives();
    report.note(format!("read as a {}: it gives {gave}", kind.label()));
    report.unplaced(format!("not in a {}: {lacks}", kind.label()));
    let parse = || doc.ok_or_else(|| format!("{}: not JSON", source.label));
    let (host, observed, declared) = match kind {
        Kind::Wec | Kind::Har => {
            let doc = parse()?;
            let rec = if kind == Kind::Wec {
                observed::wec(&doc)
            } else {
                observed::har(&doc)
            };
            for s in rec.skipped {
                report.unplaced(format!("not read: {s}"));
            }
            (rec.host, rec.items, None)
        }
        Kind::Cookiebot => (None, Vec::new(), Some(declared::cookiebot(&source.html))),
        Kind::OneTrust => (None, Vec::new(), Some(declared::onetrust(&parse()?))),
    };
    if let Some(d) = &declared {
        for s in &d.skipped {
            report.unplaced(format!("not read: {s}"));
        }
    }
    let host = host.or_else(|| {
        source
            .url
            .as_ref()
            .and_then(|u| u.host_str().map(str::to_string))
    });
    let id = options
        .id
        .clone()
        .or_else(|| host.clone())
        .or_else(|| source.stem.clone())
        .unwrap_or_default();
    if !is_safe_id(&id) {
        return Err(format!(
            "{}: {id:?} cannot be a site id (letters, digits, '.', '-', '_'); name one with --id",
            source.label
        ));
    }
    let lang = options
        .lang
        .clone()
        .or_else(|| declared.as_ref().and_then(|d| d.lang.clone()))
        .or_else(|| {
            let purposes: Vec<&str> = declared
                .iter()
                .flat_map(|d| d.items.iter().map(|i| i.purpose.as_str()))
                .collect();
            detect(&purposes.join(" ")).map(str::to_string)
        })
        .unwrap_or_else(|| "en".to_string());
    let names: Vec<&str> = observed
        .iter()
        .map(|o| o.name.as_str())
        .chain(
            declared
                .iter()
                .flat_map(|d| d.items.iter().map(|i| i.name.as_str())),
        )
        .collect();
    let platform = pick_platform(platforms, options, &names)?;
    let base_url = Url::parse(&format!("https://{}/", host.as_deref().unwrap_or(&id)))
        .map_err(|e| format!("{id:?} is not a host name: {e}"))?;
    let mut site = Site {
        platform: platform.map(|p| p.id.clone()),
        last_review: super::today(),
        sections: BTreeMap::from([(lang.clone(), skeleton())]),
        ..Site::blank(&id, base_url, &lang)
    };
    let mut decls: Vec<CookieDecl> = observed.iter().map(|o| declaration(o, &site)).collect();
    decls.extend(
        declared
            .iter()
            .flat_map(|d| d.items.iter())
            .map(|d| from_declared(d, &lang)),
    );
    // The first of each name and storage is kept (a HAR repeats a cookie in every response).
    let mut seen = std::collections::HashSet::new();
    for decl in decls {
        if !seen.insert((decl.name.clone(), decl.storage)) {
            continue;
        }
        site.cookies
            .push(entry_for(decl, platform, &lang, &mut report));
    }
    report.note(format!(
        "{} declarations for {id}; controller and policy text to fill in",
        site.cookies.len()
    ));
    Ok(Imported { site, report })
}

/// The policy text a tool gives none of: a title and where the table stands.
fn skeleton() -> Vec<Section> {
    vec![
        Section {
            level: 1,
            heading: "Cookies policy".into(),
            body: Vec::new(),
        },
        Section {
            level: 2,
            heading: "Cookies used on this site".into(),
            body: vec![Block::CookieTable],
        },
    ]
}

/// The platform asked for, else the one most names belong to.
pub(super) fn pick_platform<'p>(
    platforms: &'p BTreeMap<String, Platform>,
    options: &ImportOptions,
    names: &[&str],
) -> Result<Option<&'p Platform>, String> {
    if let Some(name) = &options.platform {
        return platforms.get(name).map(Some).ok_or_else(|| {
            let known: Vec<&str> = platforms.keys().map(String::as_str).collect();
            format!("no platform {name:?} (platforms: {})", known.join(", "))
        });
    }
    let count = |p: &Platform| names.iter().filter(|n| p.cookie(n).is_some()).count();
    Ok(platforms
        .values()
        .map(|p| (count(p), p))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, p)| p))
}

fn from_declared(d: &declared::Declared, lang: &str) -> CookieDecl {
    let words = if d.duration_text.is_empty() {
        duration_words(d.value, lang)
    } else {
        d.duration_text.clone()
    };
    let text = |t: String| -> crate::model::Texts {
        if t.is_empty() {
            BTreeMap::new()
        } else {
            BTreeMap::from([(lang.to_string(), t)])
        }
    };
    let purpose = if d.purpose.is_empty() {
        purpose_placeholder(lang).to_string()
    } else {
        d.purpose.clone()
    };
    CookieDecl {
        name: d.name.clone(),
        storage: d.storage,
        provider: d.provider.clone(),
        category: d.category.unwrap_or(Category::Unclassified),
        purpose: text(purpose),
        duration: Duration {
            text: text(words),
            value: d.value,
        },
        ..Default::default()
    }
}

/// A platform row for a cookie the platform declares (what the source says differently is
/// reported, not written: the platform's declaration stays the reference); else the source's
/// own declaration, with what a person must finish reported.
fn entry_for(
    decl: CookieDecl,
    platform: Option<&Platform>,
    lang: &str,
    report: &mut Report,
) -> CookieEntry {
    if let Some(base) = platform.and_then(|p| p.cookie(&decl.name)) {
        if !decl.duration.value.agrees_with(base.duration.value)
            && decl.duration.value != crate::model::DurationValue::Unknown
        {
            report.unplaced(format!(
                "{}: the source says {}, the platform declares {}",
                decl.name, decl.duration.value, base.duration.value
            ));
        }
        return CookieEntry::Platform(PlatformCookieUse {
            name: decl.name,
            ..Default::default()
        });
    }
    let name = decl.display_name();
    if decl.category == Category::Unclassified {
        report.unplaced(format!("{name}: category unknown"));
    }
    if decl.purpose.get(lang).map(String::as_str) == Some(purpose_placeholder(lang)) {
        report.unplaced(format!("{name}: purpose to write"));
    }
    if decl.duration.value == crate::model::DurationValue::Unknown {
        report.unplaced(format!("{name}: duration not known"));
    }
    CookieEntry::Own(decl)
}

/// `existing` with the declarations of `imported` it lacks added at the end (by name): what a
/// tool observed or declared never replaces what a person wrote. The names added.
pub fn add_missing(existing: &Site, imported: &Site) -> (Site, Vec<String>) {
    let mut site = existing.clone();
    let mut added = Vec::new();
    for entry in &imported.cookies {
        if !site.cookies.iter().any(|e| e.name() == entry.name()) {
            added.push(entry.name().to_string());
            site.cookies.push(entry.clone());
        }
    }
    (site, added)
}
