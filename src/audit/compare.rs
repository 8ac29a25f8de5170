//! Comparing what a site does with what its policy declares: one finding per difference.

use std::sync::LazyLock;

use regex::Regex;

mod drift;

use super::observe::{Observation, ReadPage, Role, Seen, Unreadable};
use super::phased::same_storage;
use super::report::{AuditFinding, Engine, Kind, Observed, Source, Storage};
use crate::check::Severity;
use crate::check::patterns::NamePattern;
use crate::knowledge::{Layer, MatchInfo};
use crate::model::duration::{MONTH, human_seconds};
use crate::model::text::text_in;
use crate::model::{Category, CookieDecl, Site, StorageType};

/// An observed lifetime this much over the declared one is a misstatement, not rounding.
const LIFETIME_TOLERANCE: f64 = 1.5;
const THIRTEEN_MONTHS: u64 = 13 * MONTH;

/// What the comparison reads.
pub struct Inputs<'a, 'c> {
    pub site: &'a Site,
    pub decls: &'a [CookieDecl],
    pub obs: &'a Observation<'c>,
    pub pages: &'a [ReadPage],
    /// Every page was fetched; when one was not, "declared but not seen" proves nothing.
    pub complete: bool,
    /// The browser sees storage and every script's cookies; HTTP sees neither in full.
    pub engine: Engine,
    /// Cookies an inline script sets that the HTTP engine cannot read in full (a lifetime
    /// computed at run time): not "never seen".
    pub unreadable: &'a [Unreadable],
}

pub fn compare(input: &Inputs) -> Vec<AuditFinding> {
    let mut out = Findings {
        site: input.site.id.clone(),
        list: Vec::new(),
    };
    let patterns: Vec<Option<NamePattern>> = input
        .decls
        .iter()
        .map(|d| NamePattern::of(d).ok())
        .collect();
    // An item is declared by a declaration of its own storage type.
    let declared_as = |name: &str, storage: Storage| {
        input
            .decls
            .iter()
            .zip(&patterns)
            .find(|(d, p)| {
                same_storage(storage, d.storage) && p.as_ref().is_some_and(|p| p.matches(name))
            })
            .map(|(d, _)| d)
    };

    let mut undeclared_by_service: Vec<(usize, Vec<String>)> = Vec::new();
    for seen in &input.obs.seen {
        match declared_as(&seen.match_name, seen.observed.storage) {
            Some(decl) => cookie_against_decl(&mut out, seen, decl),
            None if seen.observed.source == Source::Inferred => {
                let Some(index) = input
                    .obs
                    .services
                    .iter()
                    .position(|d| seen.catalog.is_some_and(|(s, _)| s.id == d.service.id))
                else {
                    continue;
                };
                match undeclared_by_service.iter_mut().find(|(i, _)| *i == index) {
                    Some((_, names)) => names.push(seen.observed.name.clone()),
                    None => undeclared_by_service.push((index, vec![seen.observed.name.clone()])),
                }
            }
            None => {
                let o = &seen.observed;
                let by = match (o.storage, o.source, input.engine) {
                    (Storage::LocalStorage, ..) => "a script in localStorage",
                    (Storage::SessionStorage, ..) => "a script in sessionStorage",
                    (_, Source::Script, Engine::Browser) => "a script",
                    (_, Source::Script, Engine::Http) => "an inline script",
                    _ => "a Set-Cookie header",
                };
                let service = o
                    .service
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                out.push(
                    Kind::Undeclared,
                    Severity::Error,
                    Some(&o.name),
                    Some(&o.domain),
                    Some(&o.evidence),
                    format!(
                        "{}{service} is set by {by} on {} ({}) but the policy does not declare it",
                        o.name,
                        o.url,
                        match o.storage {
                            Storage::Cookie => lifetime_words(o.lifetime_seconds),
                            Storage::LocalStorage => "kept until cleared".into(),
                            Storage::SessionStorage => "kept for the tab's session".into(),
                        }
                    ),
                );
            }
        }
        let decl = declared_as(&seen.match_name, seen.observed.storage);
        // An undeclared inferred cookie is already in its service's finding.
        let judged = decl.is_some() || seen.observed.source != Source::Inferred;
        if judged && let Some(finding) = over_13_months(seen, decl) {
            out.list.push(AuditFinding {
                site: out.site.clone(),
                ..finding
            });
        }
    }

    for u in input.unreadable {
        if declared_as(&u.name, Storage::Cookie).is_none() {
            out.push(
                Kind::Undeclared,
                Severity::Error,
                Some(&u.name),
                None,
                Some(&u.statement),
                format!(
                    "{} is set by an inline script on {} (with a lifetime computed at run time, \
                     which only the browser engine can read) but the policy does not declare it",
                    u.name, u.url
                ),
            );
        }
    }

    for (index, names) in undeclared_by_service {
        let d = &input.obs.services[index];
        let (severity, how) = if d.by_header_only {
            (Severity::Warning, "answers on its behalf")
        } else {
            (Severity::Error, "is loaded")
        };
        out.push(
            Kind::UndeclaredService,
            severity,
            None,
            d.host.as_deref(),
            Some(&d.evidence),
            format!(
                "{} {how} but the policy does not declare its cookies: {}",
                d.service.name,
                names.join(", ")
            ),
        );
    }

    if input.complete {
        for (decl, pattern) in input.decls.iter().zip(&patterns) {
            // Over HTTP only cookies can be seen; a browser sees storage too.
            let visible = match input.engine {
                Engine::Http => matches!(
                    decl.storage,
                    StorageType::HttpCookie | StorageType::ScriptCookie
                ),
                Engine::Browser => decl.storage != StorageType::Pixel,
            };
            let seen = input.obs.seen.iter().any(|s| {
                same_storage(s.observed.storage, decl.storage)
                    && pattern.as_ref().is_some_and(|p| p.matches(&s.match_name))
            }) || input
                .unreadable
                .iter()
                .any(|u| pattern.as_ref().is_some_and(|p| p.matches(&u.name)));
            if visible && !seen {
                out.push(
                    Kind::NotObserved,
                    Severity::Info,
                    Some(&decl.display_name()),
                    None,
                    None,
                    match input.engine {
                        Engine::Http => format!(
                            "{} is declared but was not set on the pages fetched (it may need a \
                             login or consent)",
                            decl.display_name()
                        ),
                        Engine::Browser => format!(
                            "{} is declared but was not stored in any phase (it may need a login)",
                            decl.display_name()
                        ),
                    },
                );
            }
        }
    }

    third_party_hosts(&mut out, input);
    if let Some(policy) = input.pages.iter().find(|p| p.role == Role::Policy) {
        drift::policy_drift(&mut out, input, &patterns, policy);
    }
    out.list
}

struct Findings {
    site: String,
    list: Vec<AuditFinding>,
}

impl Findings {
    fn push(
        &mut self,
        kind: Kind,
        severity: Severity,
        cookie: Option<&str>,
        host: Option<&str>,
        evidence: Option<&str>,
        message: String,
    ) {
        self.list.push(AuditFinding {
            kind,
            severity,
            site: self.site.clone(),
            cookie: cookie.map(str::to_string),
            host: host.map(str::to_string),
            evidence: evidence.map(str::to_string),
            message,
            phase: None,
        });
    }
}

fn lifetime_words(lifetime: Option<u64>) -> String {
    match lifetime {
        None => "a session cookie".into(),
        Some(s) => format!("lives {}", human_seconds(s)),
    }
}

/// What the knowledge base says of an observed cookie when it contradicts the declared category:
/// only one entry answering (never one of several candidates), and never the site's own
/// platform, whose declaration the site resolves from. Necessary and security are one family.
fn mismatched_knowledge<'o>(o: &'o Observed, decl: &CookieDecl) -> Option<&'o MatchInfo> {
    match o.known.as_slice() {
        [one] if one.source != Layer::Platform && !one.accepts(decl.category) => Some(one),
        _ => None,
    }
}

static AUTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sess|auth|login|token|jwt|^sid$|_sid$|remember")
        .expect("the auth-name pattern is valid")
});
static CSRF_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)csrf|xsrf").expect("the csrf-name pattern is valid"));

fn cookie_against_decl(out: &mut Findings, seen: &Seen, decl: &CookieDecl) {
    let o = &seen.observed;
    let inferred = o.source == Source::Inferred;
    let declared = decl.duration.value;
    let observed = o.lifetime_seconds.unwrap_or(0);
    if let Some(max) = declared.max_seconds()
        && observed as f64 > max as f64 * LIFETIME_TOLERANCE
    {
        let (severity, verb) = if inferred {
            (Severity::Warning, "typically lives")
        } else {
            (Severity::Error, "lives")
        };
        out.push(
            Kind::LifetimeExceedsDeclared,
            severity,
            Some(&o.name),
            Some(&o.domain),
            Some(&o.evidence),
            format!(
                "{} {verb} {} but the policy declares {declared}",
                o.name,
                human_seconds(observed)
            ),
        );
    }
    if let Some(known) = mismatched_knowledge(o, decl) {
        out.push(
            Kind::CategoryMismatch,
            Severity::Warning,
            Some(&o.name),
            None,
            Some(&o.evidence),
            format!(
                "{} is a {} cookie of {} ({}) but the policy declares it {}",
                o.name, known.category, known.platform, known.source, decl.category
            ),
        );
    }
    // Attributes are only known for cookies actually set by a header, and only matter on https.
    if o.source != Source::Header || !o.url.starts_with("https:") {
        return;
    }
    let authenticates = decl.category != Category::Statistics
        && decl.category != Category::Marketing
        && (AUTH_NAME.is_match(&o.name)
            || text_in(&decl.purpose, "en")
                .to_lowercase()
                .contains("authentic"));
    let csrf = CSRF_NAME.is_match(&o.name);
    if !authenticates && !csrf {
        return;
    }
    let mut missing = Vec::new();
    if !o.secure {
        missing.push("Secure");
    }
    // A CSRF token is read by the page's own scripts, so HttpOnly is not expected of it.
    if !o.http_only && !csrf {
        missing.push("HttpOnly");
    }
    if o.same_site.is_none() {
        missing.push("SameSite");
    }
    if !missing.is_empty() {
        let what = if csrf { "CSRF" } else { "authentication" };
        out.push(
            Kind::InsecureAttributes,
            Severity::Warning,
            Some(&o.name),
            Some(&o.domain),
            Some(&o.evidence),
            format!(
                "{} is an {what} cookie set over https without {}",
                o.name,
                missing.join(", ")
            ),
        );
    }
}

/// Over 13 months: an error for a statistics or consent-exempt cookie (CNIL), a warning for
/// others, and a warning when the lifetime is only the service's usual one.
fn over_13_months(seen: &Seen, decl: Option<&CookieDecl>) -> Option<AuditFinding> {
    let o = &seen.observed;
    let lifetime = o.lifetime_seconds?;
    if lifetime <= THIRTEEN_MONTHS {
        return None;
    }
    // The declaration, else the service catalog, else the knowledge base when every candidate
    // it has agrees (several that disagree say nothing).
    let known = o
        .known
        .first()
        .map(|k| k.category)
        .filter(|c| o.known.iter().all(|k| k.category == *c));
    let category = decl
        .map(|d| d.category)
        .or(seen.catalog.map(|(_, c)| c.category))
        .or(known);
    let strict =
        category == Some(Category::Statistics) || decl.is_some_and(|d| d.is_consent_exempt());
    let inferred = o.source == Source::Inferred;
    let severity = if strict && !inferred {
        Severity::Error
    } else {
        Severity::Warning
    };
    let verb = if inferred { "typically lives" } else { "lives" };
    Some(AuditFinding {
        kind: Kind::LifetimeOver13Months,
        severity,
        site: String::new(),
        cookie: Some(o.name.clone()),
        host: Some(o.domain.clone()),
        evidence: Some(o.evidence.clone()),
        message: format!(
            "{} {verb} {}, over the 13 months the CNIL allows",
            o.name,
            human_seconds(lifetime)
        ),
        phase: None,
    })
}

fn third_party_hosts(out: &mut Findings, input: &Inputs) {
    let catalog = super::catalog::Catalog::bundled();
    for (host, first_url) in &input.obs.third_party {
        let service = url::Url::parse(first_url)
            .ok()
            .and_then(|u| catalog.service_loaded_from(&u));
        // A service that sets cookies is judged by its cookies (undeclared_service).
        if service.is_some_and(|s| !s.cookies.is_empty()) {
            continue;
        }
        let by_domain = input.decls.iter().any(|d| {
            d.domain.as_deref().is_some_and(|dom| {
                let dom = dom.trim_start_matches('.').to_ascii_lowercase();
                *host == dom || host.ends_with(&format!(".{dom}"))
            })
        });
        let by_provider = service.is_some_and(|s| {
            input.decls.iter().any(|d| {
                d.provider
                    .to_lowercase()
                    .contains(&s.provider.to_lowercase())
            })
        });
        if by_domain || by_provider {
            continue;
        }
        let what = service
            .map(|s| format!(" ({})", s.name))
            .unwrap_or_default();
        out.push(
            Kind::UndeclaredThirdPartyHost,
            Severity::Warning,
            None,
            Some(host),
            Some(first_url),
            format!("the pages load from {host}{what}, a third party the policy does not name"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::observe::Observation;
    use crate::store::load_sites;

    fn header_cookie(line: &str, url: &str) -> Seen<'static> {
        let url = url::Url::parse(url).unwrap();
        let now = time::OffsetDateTime::now_utc();
        let crate::audit::cookies::SetCookie::Set(observed) =
            crate::audit::cookies::from_line(line, &url, now, Source::Header)
        else {
            panic!("{line} sets nothing")
        };
        Seen {
            match_name: observed.name.clone(),
            observed,
            catalog: None,
        }
    }

    fn findings_for(seen: Vec<Seen<'static>>) -> Vec<AuditFinding> {
        let ws = load_sites(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sites"));
        let site = &ws.site("dashboard.paris").unwrap().site;
        let obs = Observation {
            seen,
            ..Default::default()
        };
        compare(&Inputs {
            site,
            decls: &ws.cookies_of(site),
            obs: &obs,
            pages: &[],
            complete: false,
            engine: Engine::Http,
            unreadable: &[],
        })
    }

    #[test]
    fn session_and_csrf_cookies_over_https_need_their_attributes() {
        let found = findings_for(vec![
            header_cookie("sessionid=a; Max-Age=1209600", "https://portal.example/"),
            header_cookie(
                "csrftoken=b; Max-Age=600; Secure",
                "https://portal.example/",
            ),
        ]);
        let insecure: Vec<(&str, &str)> = found
            .iter()
            .filter(|f| f.kind == Kind::InsecureAttributes)
            .map(|f| (f.cookie.as_deref().unwrap(), f.message.as_str()))
            .collect();
        assert_eq!(insecure.len(), 2, "{found:#?}");
        assert!(
            insecure[0]
                .1
                .ends_with("without Secure, HttpOnly, SameSite")
        );
        // A CSRF token is read by scripts: only SameSite is missing here.
        assert!(
            insecure[1].1.ends_with("without SameSite"),
            "{}",
            insecure[1].1
        );
    }

    #[test]
    fn well_set_cookies_and_plain_http_give_no_attribute_finding() {
        let found = findings_for(vec![
            header_cookie(
                "sessionid=a; Max-Age=1209600; Secure; HttpOnly; SameSite=Lax",
                "https://portal.example/",
            ),
            header_cookie("csrftoken=b; Max-Age=600", "http://portal.example/"),
        ]);
        assert!(found.is_empty(), "{found:#?}");
    }
}
