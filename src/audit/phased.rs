//! Phases put together: the items of every phase merged into one list (each with the phases it
//! was present in), and the findings only phases can show: what is stored before consent or
//! after a refusal, a banner that cannot be found, a banner without a reject option.

use super::catalog::Catalog;
use super::report::{AuditFinding, Kind, Observed, Storage};
use crate::check::Severity;
use crate::check::patterns::NamePattern;
use crate::model::{CookieDecl, StorageType};

pub const FIRST_VISIT: &str = "first_visit";
pub const AFTER_REJECT: &str = "after_reject";
pub const AFTER_ACCEPT: &str = "after_accept";

/// Whether a declaration of `storage` can describe an item kept in `kept`.
pub fn same_storage(kept: Storage, storage: StorageType) -> bool {
    match kept {
        Storage::Cookie => matches!(storage, StorageType::HttpCookie | StorageType::ScriptCookie),
        Storage::LocalStorage => storage == StorageType::LocalStorage,
        Storage::SessionStorage => storage == StorageType::SessionStorage,
    }
}

/// The declaration that covers an item, matched by name among declarations of its storage.
pub fn declaration_of<'a>(decls: &'a [CookieDecl], o: &Observed) -> Option<&'a CookieDecl> {
    decls.iter().find(|d| {
        same_storage(o.storage, d.storage) && NamePattern::of(d).is_ok_and(|p| p.matches(&o.name))
    })
}

/// Merges the items of several phases: one entry per storage, name and domain, listing every
/// phase it was present in, with the longest lifetime seen.
pub fn merge(phases: Vec<Vec<Observed>>) -> Vec<Observed> {
    let mut merged: Vec<Observed> = Vec::new();
    for item in phases.into_iter().flatten() {
        let same = |m: &&mut Observed| {
            m.storage == item.storage && m.name == item.name && m.domain == item.domain
        };
        match merged.iter_mut().find(same) {
            Some(m) => {
                for p in &item.phases {
                    if !m.phases.contains(p) {
                        m.phases.push(p.clone());
                    }
                }
                if item.lifetime_seconds > m.lifetime_seconds {
                    m.lifetime_seconds = item.lifetime_seconds;
                }
            }
            None => merged.push(item),
        }
    }
    merged
}

/// What a phase found of the banner, for the findings.
pub struct BannerSeen<'a> {
    pub phase: &'a str,
    pub found: bool,
    pub clicked: Option<&'a str>,
    pub accept_offered: bool,
    pub reject_offered: bool,
}

/// Whether an item needs consent: by its declaration, else by the service catalog. `None`
/// when neither tells (an unknown undeclared item is already an `undeclared` finding).
fn needs_consent(decls: &[CookieDecl], o: &Observed) -> Option<(bool, String)> {
    if let Some(d) = declaration_of(decls, o) {
        return Some((!d.is_consent_exempt(), format!("declared {}", d.category)));
    }
    if o.storage != Storage::Cookie {
        return None;
    }
    Catalog::bundled().cookie_named(&o.name).map(|(s, c)| {
        (
            !c.category.exempt_by_default(),
            format!("a {} cookie of {}, undeclared", c.category, s.name),
        )
    })
}

/// The consent findings of a site audited in phases.
pub fn consent_findings(
    site: &str,
    decls: &[CookieDecl],
    items: &[Observed],
    banners: &[BannerSeen],
) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    let finding =
        |kind, severity, phase: &str, o: Option<&Observed>, message: String| AuditFinding {
            kind,
            severity,
            site: site.to_string(),
            cookie: o.map(|o| o.name.clone()),
            host: o.map(|o| o.domain.clone()),
            evidence: o.map(|o| o.evidence.clone()),
            message,
            phase: Some(phase.to_string()),
        };
    let rejected = banners
        .iter()
        .any(|b| b.phase == AFTER_REJECT && b.clicked == Some("reject"));
    for o in items {
        let Some((true, why)) = needs_consent(decls, o) else {
            continue;
        };
        let what = match o.storage {
            Storage::Cookie => "",
            Storage::LocalStorage => " (localStorage)",
            Storage::SessionStorage => " (sessionStorage)",
        };
        if o.phases.iter().any(|p| p == FIRST_VISIT) {
            out.push(finding(
                Kind::SetBeforeConsent,
                Severity::Error,
                FIRST_VISIT,
                Some(o),
                format!(
                    "{}{what} on {} ({why}, so it needs consent) is stored on a first visit, \
                     before any choice",
                    o.name, o.domain
                ),
            ));
        }
        if rejected && o.phases.iter().any(|p| p == AFTER_REJECT) {
            out.push(finding(
                Kind::SetAfterReject,
                Severity::Error,
                AFTER_REJECT,
                Some(o),
                format!(
                    "{}{what} on {} ({why}, so it needs consent) is stored after the visitor \
                     rejected all",
                    o.name, o.domain
                ),
            ));
        }
    }
    let asks_consent = decls.iter().any(|d| !d.is_consent_exempt());
    let answering: Vec<&BannerSeen> = banners.iter().filter(|b| b.phase != FIRST_VISIT).collect();
    if asks_consent && let Some(missing) = answering.iter().find(|b| !b.found) {
        out.push(finding(
            Kind::BannerNotFound,
            Severity::Warning,
            missing.phase,
            None,
            "the policy declares cookies that need consent, but no consent banner was found \
             (built-in rules, generic accept/reject texts and the site's own selectors)"
                .into(),
        ));
    }
    if let Some(b) = answering
        .iter()
        .find(|b| b.found && b.accept_offered && !b.reject_offered)
    {
        out.push(finding(
            Kind::NoRejectOption,
            Severity::Warning,
            b.phase,
            None,
            "the banner offers to accept all at its first layer but not to reject all".into(),
        ));
    }
    out
}
