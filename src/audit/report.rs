//! What an audit reports: the JSON document (`tool`, `version`, `generated_at`, `sites`) and the
//! types the command line, the history and the app share.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::check::Severity;

/// One audit run: every site audited, in the order asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub tool: String,
    pub version: String,
    /// RFC 3339, UTC.
    pub generated_at: String,
    pub sites: Vec<SiteReport>,
}

impl Report {
    pub fn new(generated_at: String, sites: Vec<SiteReport>) -> Report {
        Report {
            tool: crate::TOOL.into(),
            version: crate::VERSION.into(),
            generated_at,
            sites,
        }
    }

    pub fn findings(&self) -> impl Iterator<Item = &AuditFinding> {
        self.sites.iter().flat_map(|s| &s.findings)
    }

    /// Whether some site could not be audited.
    pub fn any_site_failed(&self) -> bool {
        self.sites.iter().any(|s| s.error.is_some())
    }

    pub fn any_error_finding(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Error)
    }
}

/// The audit of one site.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteReport {
    pub site: String,
    /// The address audited: the site's base URL, or the one given with `--url`.
    pub url: String,
    /// What looked at the pages; reports from before the browser engine are `http`.
    #[serde(default)]
    pub engine: Engine,
    /// The browser engine's phases, in the order run; empty for the HTTP engine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<PhaseReport>,
    /// Why some page could not be fetched (null when every page was).
    pub error: Option<String>,
    /// Every response received, redirects included, in order.
    pub requests: Vec<Hop>,
    pub observed: Vec<Observed>,
    /// Hosts of another registrable domain that the pages load something from.
    pub third_party_hosts: Vec<String>,
    pub findings: Vec<AuditFinding>,
    /// Things worth knowing that are no finding: a body cut at the size cap, bytes that did not
    /// decode.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What changed since the last audit of this site; null when there was none.
    #[serde(default)]
    pub changes: Option<Changes>,
}

/// Which engine audited a site.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// Plain HTTP requests: headers and the literals of inline scripts.
    #[default]
    Http,
    /// A real Chromium, driven over the DevTools protocol, phase by phase.
    Browser,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Http => "http",
            Engine::Browser => "browser",
        })
    }
}

/// One browser phase: a fresh profile, the pages loaded, the banner answered or not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseReport {
    /// `first_visit`, `after_reject` or `after_accept`.
    pub name: String,
    pub banner: Banner,
    /// Why the phase could not be run in full (null when it was).
    pub error: Option<String>,
    /// The PNG of the viewport after the phase, relative to the folder of the saved audit
    /// (`<sites>/.audits/<site>/`); null until the audit is saved, or when none was taken.
    pub screenshot: Option<String>,
    /// The PNG itself, until it is written beside the saved audit.
    #[serde(skip)]
    pub screenshot_png: Option<Vec<u8>>,
}

/// What the phase found of the consent banner and what it clicked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banner {
    pub found: bool,
    /// `accept`, `reject`, or null when nothing was clicked.
    pub clicked: Option<String>,
    /// Which rule found it and what was clicked ("Klaro: .cm-btn-accept-all"); why not, when not.
    pub how: Option<String>,
}

/// Where an observed item is kept: the knowledge base's own notion, so observations and
/// knowledge entries are compared without translation.
pub use crate::knowledge::Storage;

/// One HTTP response: a redirect or a page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    pub url: String,
    pub status: u16,
    /// Every response header as `[name, value]`, in order.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Every `Set-Cookie` line, raw, as evidence.
    pub set_cookie: Vec<String>,
    /// `Set-Cookie` lines the parser rejected, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected_set_cookie: Vec<Rejected>,
    /// What the browser loaded it as (`Document`, `Script`, `Image`, `Ping`…); browser only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// What made the browser request it (`parser URL`, `script URL`); browser only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator: Option<String>,
    /// The browser phase that made the request; browser only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub line: String,
    pub reason: String,
}

/// Where an observed cookie came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A `Set-Cookie` response header.
    Header,
    /// `document.cookie = …` in an inline script.
    Script,
    /// A known service the page loads sets it (from the catalog).
    Inferred,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Header => "header",
            Source::Script => "script",
            Source::Inferred => "inferred",
        })
    }
}

/// A cookie the audit saw being set, or infers from a service the page loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observed {
    pub name: String,
    pub domain: String,
    pub path: String,
    /// Null for a session cookie.
    pub lifetime_seconds: Option<u64>,
    pub secure: bool,
    pub http_only: bool,
    /// `Strict`, `Lax` or `None`, as set; null when absent.
    pub same_site: Option<String>,
    pub source: Source,
    /// The known service that sets it.
    pub service: Option<String>,
    /// What the cookie knowledge base says it is (platform, category, usual retention, which
    /// layer); several when it cannot tell which; empty when unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known: Vec<crate::knowledge::MatchInfo>,
    /// The raw `Set-Cookie` line, the script statement, or the URL of what loads the service.
    #[serde(default)]
    pub evidence: String,
    /// The page (or redirect) it came from.
    #[serde(default)]
    pub url: String,
    /// A cookie, or a localStorage or sessionStorage item (its key is `name`, its origin's host
    /// `domain`).
    #[serde(default)]
    pub storage: Storage,
    /// The browser phases it was present in; empty for the HTTP engine.
    #[serde(default)]
    pub phases: Vec<String>,
}

/// The stable kinds of audit findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Undeclared,
    NotObserved,
    LifetimeExceedsDeclared,
    #[serde(rename = "lifetime_over_13_months")]
    LifetimeOver13Months,
    InsecureAttributes,
    UndeclaredService,
    UndeclaredThirdPartyHost,
    CategoryMismatch,
    PublishedPolicyDrift,
    SetBeforeConsent,
    SetAfterReject,
    BannerNotFound,
    NoRejectOption,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Undeclared,
        Kind::NotObserved,
        Kind::LifetimeExceedsDeclared,
        Kind::LifetimeOver13Months,
        Kind::InsecureAttributes,
        Kind::UndeclaredService,
        Kind::UndeclaredThirdPartyHost,
        Kind::CategoryMismatch,
        Kind::PublishedPolicyDrift,
        Kind::SetBeforeConsent,
        Kind::SetAfterReject,
        Kind::BannerNotFound,
        Kind::NoRejectOption,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Undeclared => "undeclared",
            Kind::NotObserved => "not_observed",
            Kind::LifetimeExceedsDeclared => "lifetime_exceeds_declared",
            Kind::LifetimeOver13Months => "lifetime_over_13_months",
            Kind::InsecureAttributes => "insecure_attributes",
            Kind::UndeclaredService => "undeclared_service",
            Kind::UndeclaredThirdPartyHost => "undeclared_third_party_host",
            Kind::CategoryMismatch => "category_mismatch",
            Kind::PublishedPolicyDrift => "published_policy_drift",
            Kind::SetBeforeConsent => "set_before_consent",
            Kind::SetAfterReject => "set_after_reject",
            Kind::BannerNotFound => "banner_not_found",
            Kind::NoRejectOption => "no_reject_option",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One difference between what a site does and what its policy says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFinding {
    pub kind: Kind,
    pub severity: Severity,
    /// Absent from findings written inside their site's report by hand or by older tools.
    #[serde(default)]
    pub site: String,
    pub cookie: Option<String>,
    pub host: Option<String>,
    /// What shows it: a raw `Set-Cookie` line, a script URL, a table row of the live policy.
    pub evidence: Option<String>,
    pub message: String,
    /// The browser phase it concerns; null when it concerns no one phase.
    #[serde(default)]
    pub phase: Option<String>,
}

impl fmt::Display for AuditFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] {}", self.severity, self.kind, self.site)?;
        if let Some(phase) = &self.phase {
            write!(f, " [{phase}]")?;
        }
        if let Some(cookie) = &self.cookie {
            write!(f, " {cookie}")?;
        }
        if let Some(host) = &self.host {
            write!(f, " ({host})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(evidence) = &self.evidence {
            write!(f, "\n    evidence: {evidence}")?;
        }
        Ok(())
    }
}

/// What changed since the previous audit of a site.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// `generated_at` of the audit compared with.
    pub since: String,
    pub appeared: Vec<CookieRef>,
    pub disappeared: Vec<CookieRef>,
    pub lifetime_changed: Vec<LifetimeChange>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.appeared.is_empty() && self.disappeared.is_empty() && self.lifetime_changed.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CookieRef {
    pub name: String,
    pub domain: String,
    /// A localStorage item and a cookie of one name are two things (histories from before
    /// storage items were observed hold cookies only).
    #[serde(default, skip_serializing_if = "is_cookie")]
    pub storage: Storage,
}

fn is_cookie(storage: &Storage) -> bool {
    *storage == Storage::Cookie
}

impl CookieRef {
    /// "cookie `x`" or "localStorage item `x`", as a change is told.
    pub fn what(&self) -> String {
        match self.storage {
            Storage::Cookie => self.name.clone(),
            other => format!("{} item {}", other.label(), self.name),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifetimeChange {
    pub name: String,
    pub domain: String,
    /// Seconds; null for a session cookie.
    pub before: Option<u64>,
    pub after: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialize_as_their_ids() {
        for kind in Kind::ALL {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.id()));
            assert_eq!(serde_json::from_str::<Kind>(&json).unwrap(), *kind);
        }
    }
}
