//! Importing a published policy page into a site file: the policy found inside the whole page,
//! its sections and cookie table read into the model, a second language merged in, and a report
//! of whatever could not be placed (kept, never dropped).

pub mod build;
pub mod page;
pub mod report;
pub mod source;
pub mod table;
pub mod tools;

use std::collections::BTreeMap;

use url::Url;

use crate::model::{Platform, Site};
use crate::store::is_safe_id;

pub use report::Report;
pub use source::{Source, read_source};

/// What the user asked for beyond the page itself.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    pub id: Option<String>,
    /// The platform whose cookies become platform rows; by default the one most rows match.
    pub platform: Option<String>,
    /// The first page's language, when its `<html lang>` is missing or wrong.
    pub lang: Option<String>,
}

/// A site read from a page, with its report.
#[derive(Clone, Debug)]
pub struct Imported {
    pub site: Site,
    pub report: Report,
}

/// Reads `first` (and `also`, the same policy in another language) into a site.
pub fn import_pages(
    first: &Source,
    also: Option<&Source>,
    platforms: &BTreeMap<String, Platform>,
    options: &ImportOptions,
) -> Result<Imported, String> {
    let mut report = Report::default();
    let page = page::read_page(&first.html);
    report.left_out.extend(page.left_out.iter().cloned());
    for text in &page.hidden_kept {
        report.unplaced(format!(
            "kept, though the page hides it by its style (a collapsed panel or tab?): {text}"
        ));
    }
    for (words, href) in &page.links {
        report.unplaced(format!(
            "the link {words:?} keeps its words; its address was {href}"
        ));
    }
    let address = first
        .url
        .clone()
        .or_else(|| page.canonical.as_deref().and_then(|c| Url::parse(c).ok()))
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    let id = match (&options.id, &address, &first.stem) {
        (Some(id), _, _) => id.clone(),
        (None, Some(url), _) => url.host_str().unwrap_or_default().to_string(),
        (None, None, Some(stem)) => stem.clone(),
        (None, None, None) => String::new(),
    };
    if !is_safe_id(&id) {
        return Err(format!(
            "{}: {id:?} cannot be a site id (letters, digits, '.', '-', '_'); name one with --id",
            first.label
        ));
    }
    let (base_url, policy_path) = match &address {
        Some(url) => {
            let mut base = url.clone();
            base.set_path("/");
            base.set_query(None);
            base.set_fragment(None);
            (base, url.path().to_string())
        }
        None => {
            report.unplaced(format!(
                "the page says not where it is published: base URL set to https://{id}/ and the \
                 policy path to /"
            ));
            let base = Url::parse(&format!("https://{id}/"))
                .map_err(|e| format!("{id:?} is not a host name: {e}"))?;
            (base, "/".to_string())
        }
    };
    let policy = build::read_policy(&page, options.lang.as_deref(), &mut report);
    let names: Vec<&str> = policy.rows.iter().map(|r| r.name.as_str()).collect();
    let platform = tools::pick_platform(platforms, options, &names)?;
    if options.platform.is_none()
        && let Some(p) = platform
    {
        report.note(format!("rows match the cookies of the platform {:?}", p.id));
    }
    let cookies = build::entries(&policy, platform);
    let name = page
        .site_name
        .clone()
        .or_else(|| {
            address
                .as_ref()
                .and_then(|u| u.host_str().map(str::to_string))
        })
        .unwrap_or_else(|| id.clone());
    report.note("controller: not read from the page; fill it in");
    let mut site = Site {
        name,
        policy_path,
        platform: platform.map(|p| p.id.clone()),
        layout: policy.layout,
        columns: policy.columns.clone(),
        last_review: today(),
        sections: BTreeMap::from([(policy.lang.clone(), policy.sections.clone())]),
        cookies,
        ..Site::blank(&id, base_url, &policy.lang)
    };
    if let Some(also) = also {
        let other_page = page::read_page(&also.html);
        let other = build::read_policy(&other_page, None, &mut report);
        if other.lang == policy.lang {
            return Err(format!(
                "{} and {} are both in {:?}: --also takes the policy in another language",
                first.label, also.label, other.lang
            ));
        }
        build::merge_language(&mut site, &other, platform, &mut report);
    }
    Ok(Imported { site, report })
}

/// Reads `first` (a policy page, or another tool's output told by content; `also` only with a
/// page) into a site: what [`import_pages`] or [`tools::import_tool`] gives, and which kind of
/// tool it was (none for a page).
pub fn import_any(
    first: &Source,
    also: Option<&Source>,
    platforms: &BTreeMap<String, Platform>,
    options: &ImportOptions,
) -> Result<(Imported, Option<tools::Kind>), String> {
    let (kind, doc) = match tools::detect_source(&first.html) {
        tools::Detected::Tool(kind, doc) => (Some(kind), doc),
        tools::Detected::OtherJson => return Err(tools::refuse(&first.label)),
        tools::Detected::Page => (None, None),
    };
    match (kind, also) {
        (Some(kind), Some(also)) => Err(format!(
            "--also takes the policy page in another language; {} is a {} (and {} a second source)",
            first.label,
            kind.label(),
            also.label
        )),
        (Some(kind), None) => {
            tools::import_tool(kind, doc, first, platforms, options).map(|i| (i, Some(kind)))
        }
        (None, also) => import_pages(first, also, platforms, options).map(|i| (i, None)),
    }
}

/// What an import makes of a site that exists: a page's text and table replace the site's
/// ([`update_of`]); a tool's declarations are only added where the site lacks them
/// ([`tools::add_missing`]), never replacing what a person wrote. The site, and a line for the
/// user when there is one.
pub fn proposed(
    existing: &Site,
    imported: &Site,
    kind: Option<tools::Kind>,
) -> (Site, Option<String>) {
    match kind {
        Some(kind) => {
            let (site, added) = tools::add_missing(existing, imported);
            let said = format!(
                "{} declarations the site lacks from the {}: {}",
                added.len(),
                kind.label(),
                added.join(", ")
            );
            (site, Some(said))
        }
        None => (update_of(existing, imported), None),
    }
}

/// `existing` with what a page gives replaced by `imported`'s: sections of the page's languages,
/// the cookie table, its layout. Names, addresses, controller, version and review date stay.
pub fn update_of(existing: &Site, imported: &Site) -> Site {
    let mut site = existing.clone();
    for (lang, sections) in &imported.sections {
        site.sections.insert(lang.clone(), sections.clone());
        if !site.languages.contains(lang) {
            site.languages.push(lang.clone());
        }
    }
    site.layout = imported.layout;
    site.columns = imported.columns.clone();
    site.cookies = imported.cookies.clone();
    if imported.platform.is_some() {
        site.platform = imported.platform.clone();
    }
    site
}

pub(crate) fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
