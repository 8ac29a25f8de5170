//! From fetched pages to observations: the cookies set (by header, by inline script, or inferred
//! from a known service), the services recognised and the third-party hosts.

use std::collections::BTreeMap;
use std::time::Instant;

use time::OffsetDateTime;
use url::Url;

use super::catalog::{Catalog, Service, ServiceCookie};
use super::cookies::{self, Assignment, SetCookie};
use super::fetch::Page;
use super::page::{self, PageContent};
use super::report::{Hop, Observed, Source, Storage};
use crate::knowledge::{Knowledge, Query};

/// Which page of a site a fetch was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Base,
    Policy,
    Extra,
}

/// A page fetched and read.
pub struct ReadPage {
    pub role: Role,
    pub page: Page,
    pub content: PageContent,
}

impl ReadPage {
    pub fn new(role: Role, page: Page) -> ReadPage {
        ReadPage::within(role, page, None).0
    }

    /// Reads the page, stopping at `deadline`; false when the reading stopped before the end.
    pub fn within(role: Role, page: Page, deadline: Option<Instant>) -> (ReadPage, bool) {
        let (content, complete) = if page.is_html() {
            page::read_within(&page.body, &page.url, deadline)
        } else {
            (PageContent::default(), true)
        };
        (
            ReadPage {
                role,
                page,
                content,
            },
            complete,
        )
    }

    /// [`ReadPage::within`] off the async threads, so a long parse holds up no other site.
    pub async fn read_off_thread(
        role: Role,
        page: Page,
        deadline: Instant,
    ) -> Result<(ReadPage, bool), String> {
        tokio::task::spawn_blocking(move || ReadPage::within(role, page, Some(deadline)))
            .await
            .map_err(|e| format!("reading the page failed: {e}"))
    }
}

/// An observed cookie with what the comparison needs besides.
#[derive(Clone, Debug)]
pub struct Seen<'c> {
    pub observed: Observed,
    /// A name to test declarations against (the catalog's example for an inferred `_ga_*`).
    pub match_name: String,
    pub catalog: Option<(&'c Service, &'c ServiceCookie)>,
}

/// A known service the pages use, and what shows it.
#[derive(Clone, Debug)]
pub struct Detected<'c> {
    pub service: &'c Service,
    pub evidence: String,
    /// The host it is loaded from, when it is loaded from one.
    pub host: Option<String>,
    /// Only a response header shows it: it may set its cookies or not.
    pub by_header_only: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Observation<'c> {
    pub seen: Vec<Seen<'c>>,
    pub services: Vec<Detected<'c>>,
    /// Host, and the first address loaded from it.
    pub third_party: BTreeMap<String, String>,
    /// Cookies inline scripts set with a lifetime computed at run time (HTTP engine).
    pub unreadable: Vec<Unreadable>,
    /// What could not be read, for the report's notes.
    pub notes: Vec<String>,
}

impl Observation<'_> {
    /// Says what the knowledge base knows of every observed cookie and storage item, in the
    /// audited site's context: its host (entries bound to another domain do not apply to the
    /// site's own items) and its platform (only that platform's declarations apply).
    pub fn classify(
        &mut self,
        knowledge: &Knowledge,
        site_host: Option<&str>,
        platform: Option<&str>,
    ) {
        for seen in &mut self.seen {
            let query = Query {
                name: &seen.match_name,
                storage: seen.observed.storage,
                domain: Some(&seen.observed.domain),
                first_party: site_host,
                site_platform: Some(platform),
            };
            seen.observed.known = knowledge.classify(&query).infos();
        }
    }
}

/// A cookie an inline script sets whose lifetime only running the script would tell.
#[derive(Clone, Debug)]
pub struct Unreadable {
    pub name: String,
    pub url: String,
    pub statement: String,
}

/// Reads every hop's `Set-Cookie` lines (recording the rejected ones in the hop) and every
/// page. `first_party` holds the registrable domains that are the site's own.
pub fn observe<'c>(
    hops: &mut [Hop],
    pages: &[ReadPage],
    first_party: &[String],
    catalog: &'c Catalog,
    now: OffsetDateTime,
) -> Observation<'c> {
    let mut obs = Observation::default();
    let mut cookies: Vec<Observed> = Vec::new();
    for hop in hops.iter_mut() {
        for result in cookies::from_hop(hop, now) {
            match result {
                SetCookie::Set(c) => cookies.push(c),
                SetCookie::Rejected(r) => hop.rejected_set_cookie.push(r),
                SetCookie::Deleted => {}
            }
        }
    }
    for read in pages {
        for script in &read.content.inline_scripts {
            for assignment in cookies::script_assignments(script) {
                let url = &read.page.url;
                match assignment {
                    Assignment::Readable(line) => {
                        if let SetCookie::Set(c) =
                            cookies::from_line(&line, url, now, Source::Script)
                        {
                            cookies.push(c);
                        }
                    }
                    // Never a made-up name or lifetime: say what cannot be read.
                    Assignment::ComputedName { statement } => obs.notes.push(format!(
                        "{url}: an inline script sets a cookie whose name is computed at run \
                         time ({statement:?}); plain HTTP cannot read it, the browser engine \
                         would show it"
                    )),
                    Assignment::ComputedLifetime { name, statement } => {
                        obs.notes.push(format!(
                            "{url}: an inline script sets {name} with a lifetime computed at run \
                             time ({statement:?}); plain HTTP cannot read it, the browser engine \
                             would show it"
                        ));
                        obs.unreadable.push(Unreadable {
                            name,
                            url: url.to_string(),
                            statement,
                        });
                    }
                }
            }
        }
    }
    for c in cookies {
        add_seen(&mut obs.seen, c, catalog);
    }

    let mut found: Vec<Detected<'c>> = Vec::new();
    let mut detect = |d: Detected<'c>| match found.iter_mut().find(|f| f.service.id == d.service.id)
    {
        Some(f) if f.by_header_only && !d.by_header_only => *f = d,
        Some(_) => {}
        None => found.push(d),
    };
    for read in pages {
        for resource in &read.content.resources {
            let host = resource
                .url
                .host_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if !first_party.contains(&page::registrable_domain(&host)) {
                obs.third_party
                    .entry(host.clone())
                    .or_insert_with(|| resource.url.to_string());
            }
            if let Some(service) = catalog.service_loaded_from(&resource.url) {
                detect(Detected {
                    service,
                    evidence: resource.url.to_string(),
                    host: Some(host),
                    by_header_only: false,
                });
            }
        }
        if read.page.is_html() {
            for service in catalog.services_marked_in(&read.page.body) {
                let marker = service
                    .markers
                    .iter()
                    .find(|m| read.page.body.contains(m.as_str()))
                    .map_or("", String::as_str);
                detect(Detected {
                    service,
                    evidence: format!("{} contains {marker:?}", read.page.url),
                    host: None,
                    by_header_only: false,
                });
            }
        }
    }
    for hop in hops.iter() {
        let names: Vec<String> = hop.headers.iter().map(|(k, _)| k.clone()).collect();
        for service in catalog.services_in_headers(&names) {
            let header = service.headers.first().map_or("", String::as_str);
            detect(Detected {
                service,
                evidence: format!("{} answers with a {header} header", hop.url),
                host: None,
                by_header_only: true,
            });
        }
    }
    obs.services = found;

    let site_host = pages
        .first()
        .and_then(|p| p.page.url.host_str())
        .unwrap_or_default()
        .to_string();
    let page_url = pages
        .first()
        .map(|p| p.page.url.to_string())
        .unwrap_or_default();
    for detected in &obs.services {
        for cookie in &detected.service.cookies {
            let already = obs
                .seen
                .iter()
                .any(|s| s.catalog.is_some_and(|(_, c)| std::ptr::eq(c, cookie)));
            if already {
                continue;
            }
            obs.seen.push(Seen {
                observed: Observed {
                    name: cookie.display_name(),
                    domain: cookie.domain.clone().unwrap_or_else(|| site_host.clone()),
                    path: "/".into(),
                    lifetime_seconds: cookie.lifetime,
                    secure: false,
                    http_only: false,
                    same_site: None,
                    source: Source::Inferred,
                    service: Some(detected.service.name.clone()),
                    known: Vec::new(),
                    evidence: detected.evidence.clone(),
                    url: page_url.clone(),
                    storage: Storage::Cookie,
                    phases: Vec::new(),
                },
                match_name: cookie.example.clone(),
                catalog: Some((detected.service, cookie)),
            });
        }
    }
    obs
}

/// What a browser held, phases merged: its cookies and storage items as they are (nothing is
/// inferred), the services its pages load and the third-party hosts it requested.
pub fn observe_browser<'c>(
    items: Vec<Observed>,
    requests: &[Hop],
    pages: &[ReadPage],
    first_party: &[String],
    catalog: &'c Catalog,
) -> Observation<'c> {
    let mut obs = Observation::default();
    for item in items {
        add_seen(&mut obs.seen, item, catalog);
    }
    for hop in requests {
        let Ok(url) = Url::parse(&hop.url) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !first_party.contains(&page::registrable_domain(&host)) {
            obs.third_party
                .entry(host)
                .or_insert_with(|| url.to_string());
        }
    }
    for read in pages {
        for resource in &read.content.resources {
            if let Some(service) = catalog.service_loaded_from(&resource.url)
                && !obs.services.iter().any(|d| d.service.id == service.id)
            {
                obs.services.push(Detected {
                    service,
                    evidence: resource.url.to_string(),
                    host: resource.url.host_str().map(str::to_string),
                    by_header_only: false,
                });
            }
        }
    }
    obs
}

/// Adds a cookie set by a header or a script; the same cookie set twice (on two pages, even
/// with two default paths) is kept once, with the longer lifetime.
fn add_seen<'c>(seen: &mut Vec<Seen<'c>>, c: Observed, catalog: &'c Catalog) {
    let same = |s: &&mut Seen| {
        s.observed.name == c.name
            && s.observed.domain == c.domain
            && s.observed.storage == c.storage
    };
    if let Some(existing) = seen.iter_mut().find(same) {
        let longer = match (existing.observed.lifetime_seconds, c.lifetime_seconds) {
            (Some(a), Some(b)) => b > a,
            (None, Some(_)) => true,
            _ => false,
        };
        if longer {
            existing.observed = Observed {
                service: existing.observed.service.take(),
                ..c
            };
        }
        return;
    }
    // The catalog knows cookies; a storage item's key is not a cookie's name.
    let entry = (c.storage == Storage::Cookie)
        .then(|| catalog.cookie_named(&c.name))
        .flatten();
    seen.push(Seen {
        observed: Observed {
            service: entry.map(|(s, _)| s.name.clone()),
            ..c.clone()
        },
        match_name: c.name,
        catalog: entry,
    });
}

/// The registrable domains of a site's own addresses.
pub fn first_party_domains(urls: &[&Url]) -> Vec<String> {
    let mut domains: Vec<String> = urls
        .iter()
        .filter_map(|u| u.host_str())
        .map(page::registrable_domain)
        .collect();
    domains.sort();
    domains.dedup();
    domains
}
