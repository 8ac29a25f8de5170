//! `device-storage.json`: the IAB TCF Device Storage Disclosure of a site (the JSON a vendor or
//! publisher serves so consent managers can show what it stores), from its declarations.
//!
//! Every declared cookie (`type: "cookie"`) and localStorage or sessionStorage item
//! (`type: "web"`) is one disclosure; a pixel stores nothing and is left out. A prefix is written
//! with the TCF's wildcard (`_ga_*`); a regex has no TCF form and is written as declared, with a
//! `description` saying so. How the categories map to TCF purposes is a judgement, written down
//! in [`purposes`] and in the README.

use serde::Serialize;

use super::bundle::pretty_json;
use super::consent::{Plan, purpose};
use crate::model::{Category, CookieDecl, MatchKind, StorageType};

#[derive(Serialize)]
struct Disclosures<'a> {
    disclosures: Vec<Disclosure<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Disclosure<'a> {
    identifier: String,
    #[serde(rename = "type")]
    kind: &'static str,
    /// Seconds for a cookie (0: a session cookie, as in the TCF); null for web storage, and for a
    /// cookie whose site file states no duration.
    max_age_seconds: Option<u64>,
    /// Required for cookies by the TCF; site files do not say whether a cookie is refreshed, so
    /// it is null rather than a guess. Absent for web storage.
    #[serde(skip_serializing_if = "Option::is_none")]
    cookie_refresh: Option<Option<bool>>,
    domain: &'a str,
    purposes: Vec<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    special_purposes: Vec<u8>,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
}

/// The TCF purposes (ids of the Global Vendor List, TCF v2.2) and special purposes of a
/// declaration.
///
/// Purpose 1 ("store and/or access information on a device") says that storing needs consent
/// under the ePrivacy Directive: it is there exactly when the declaration needs consent. The
/// rest follows the category: statistics → 8 (measure content performance) and 9 (understand
/// audiences); marketing → 2, 3, 4 (select basic ads, create and use ad profiles) and 7 (measure
/// ad performance); security → special purpose 1 (security, fraud, fixing errors); the site's
/// consent cookie → special purpose 3 (save and communicate privacy choices). Necessary,
/// preferences and unclassified storage has no TCF purpose of its own.
pub fn purposes(decl: &CookieDecl, is_consent_cookie: bool) -> (Vec<u8>, Vec<u8>) {
    let mut purposes = Vec::new();
    if !decl.is_consent_exempt() {
        purposes.push(1);
    }
    purposes.extend_from_slice(match decl.category {
        Category::Statistics => &[8, 9],
        Category::Marketing => &[2, 3, 4, 7],
        _ => &[],
    });
    let mut special = Vec::new();
    if decl.category == Category::Security {
        special.push(1);
    }
    if is_consent_cookie {
        special.push(3);
    }
    (purposes, special)
}

pub fn json(plan: &Plan) -> String {
    let site = plan.site;
    let host = site.base_url.host_str().unwrap_or_default();
    // The TCF has no translations and suggests English for its texts.
    let description_lang = if site.languages.iter().any(|l| l == "en") {
        "en"
    } else {
        site.default_language.as_str()
    };
    let disclosures = plan
        .groups
        .iter()
        .flat_map(|g| g.items())
        .filter_map(|decl| {
            let (kind, max_age, refresh) = match decl.storage {
                StorageType::HttpCookie | StorageType::ScriptCookie => (
                    "cookie",
                    decl.duration.value.max_seconds(),
                    Some(None),
                ),
                StorageType::LocalStorage | StorageType::SessionStorage => {
                    ("web", None, None)
                }
                StorageType::Pixel => return None,
            };
            let is_consent_cookie = decl.matching == MatchKind::Exact
                && plan.consent.name.as_deref() == Some(decl.name.as_str());
            let (purposes, special_purposes) = purposes(decl, is_consent_cookie);
            let mut description = purpose(decl, description_lang);
            let identifier = decl.display_name();
            if decl.matching == MatchKind::Regex {
                description = format!(
                    "Names matching the regular expression {} (the TCF has no form for it). {description}",
                    decl.name
                )
                .trim_end()
                .to_string();
            }
            Some(Disclosure {
                identifier,
                kind,
                max_age_seconds: max_age,
                cookie_refresh: refresh,
                domain: decl.domain.as_deref().unwrap_or(host),
                purposes,
                special_purposes,
                description,
            })
        })
        .collect();
    String::from_utf8(pretty_json(&Disclosures { disclosures })).unwrap_or_default()
}

#[cfg(test)]
mod tests;
