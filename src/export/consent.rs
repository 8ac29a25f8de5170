//! Consent-manager configurations generated from a site file, so the banner's list of cookies
//! never drifts from the published policy: Klaro! (`klaro.js`), orestbida CookieConsent v3
//! (`cookieconsent.js`) and tarteaucitron.js (`tarteaucitron.js`), plus the IAB TCF device
//! storage disclosure (`device-storage.json`, in [`super::device_storage`]).
//!
//! All three share one [`Plan`]: the declarations that need no consent form one read-only group,
//! the others one group per category; inside a group, one service per provider (the unit a site
//! loads scripts by). Texts come from the site file in each of its languages; the libraries'
//! own words (buttons, headers) from [`words`].

pub mod cookieconsent;
pub mod js;
pub mod klaro;
pub mod tarteaucitron;
pub mod words;

use crate::model::duration::DAY;
use crate::model::text::text_in;
use crate::model::{Category, CookieDecl, MatchKind, Platform, Site, StorageType, duration};

/// What a site's export publishes besides its policy, in the order the app offers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Klaro,
    CookieConsent,
    Tarteaucitron,
    DeviceStorage,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Klaro,
        Kind::CookieConsent,
        Kind::Tarteaucitron,
        Kind::DeviceStorage,
    ];

    /// The file's path inside the site's folder of a bundle.
    pub fn path(self) -> &'static str {
        match self {
            Kind::Klaro => "consent/klaro.js",
            Kind::CookieConsent => "consent/cookieconsent.js",
            Kind::Tarteaucitron => "consent/tarteaucitron.js",
            Kind::DeviceStorage => "device-storage.json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Klaro => "Klaro!",
            Kind::CookieConsent => "CookieConsent",
            Kind::Tarteaucitron => "tarteaucitron",
            Kind::DeviceStorage => "Device storage",
        }
    }

    /// The file's text for `site` with its resolved declarations `cookies`.
    pub fn generate(
        self,
        site: &Site,
        platform: Option<&Platform>,
        cookies: &[CookieDecl],
    ) -> String {
        self.write(&Plan::new(site, platform, cookies))
    }

    /// The file's text from a plan already made (one plan serves every kind).
    pub fn write(self, plan: &Plan) -> String {
        match self {
            Kind::Klaro => klaro::config(plan),
            Kind::CookieConsent => cookieconsent::config(plan),
            Kind::Tarteaucitron => tarteaucitron::config(plan),
            Kind::DeviceStorage => super::device_storage::json(plan),
        }
    }
}

/// A site's declarations arranged for a consent manager.
pub struct Plan<'a> {
    pub site: &'a Site,
    pub groups: Vec<Group<'a>>,
    pub consent: ConsentCookie,
}

/// Declarations asked about together: every consent-exempt one, or the others of one category.
pub struct Group<'a> {
    /// `necessary` for the exempt group, else the category's label (`statistics`).
    pub key: String,
    pub category: Category,
    pub exempt: bool,
    pub services: Vec<Service<'a>>,
}

/// The declarations of one provider within a group.
pub struct Service<'a> {
    /// Unique in the plan: `statistics-matomo`.
    pub key: String,
    pub provider: &'a str,
    pub items: Vec<&'a CookieDecl>,
}

/// The cookie that stores the visitor's choice, as the site declares it.
pub struct ConsentCookie {
    pub name: Option<String>,
    pub lifetime: Lifetime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// Whole days, rounded down so the choice is never kept longer than declared.
    Days(u64),
    /// Declared as a session cookie, which none of the libraries can write.
    Session,
    /// No declaration of the consent cookie, or one without a duration.
    NotDeclared,
}

impl<'a> Plan<'a> {
    pub fn new(site: &'a Site, platform: Option<&Platform>, cookies: &'a [CookieDecl]) -> Self {
        let mut groups: Vec<Group<'a>> = Vec::new();
        // Exempt declarations form one group whatever their category.
        let mut order: Vec<(bool, Category)> = cookies
            .iter()
            .map(|c| match c.is_consent_exempt() {
                true => (false, Category::Necessary),
                false => (true, c.category),
            })
            .collect();
        order.sort();
        order.dedup();
        let mut taken: Vec<String> = Vec::new();
        for (needs_consent, category) in order {
            let exempt = !needs_consent;
            let key = match (exempt, category) {
                (true, _) => "necessary".to_string(),
                (false, Category::Necessary) => "necessary-consent".to_string(),
                (false, c) => c.label().to_string(),
            };
            let mut services: Vec<Service<'a>> = Vec::new();
            for decl in cookies
                .iter()
                .filter(|c| c.is_consent_exempt() == exempt && (exempt || c.category == category))
            {
                match services.iter_mut().find(|s| s.provider == decl.provider) {
                    Some(service) => service.items.push(decl),
                    None => {
                        let mut service_key = format!("{key}-{}", slug(&decl.provider));
                        let base = service_key.clone();
                        let mut n = 2;
                        while taken.contains(&service_key) {
                            service_key = format!("{base}-{n}");
                            n += 1;
                        }
                        taken.push(service_key.clone());
                        services.push(Service {
                            key: service_key,
                            provider: &decl.provider,
                            items: vec![decl],
                        });
                    }
                }
            }
            groups.push(Group {
                key,
                category,
                exempt,
                services,
            });
        }
        let name = site.consent_cookie(platform).map(str::to_string);
        let lifetime = name
            .as_deref()
            .and_then(|n| {
                cookies
                    .iter()
                    .find(|c| c.name == n && c.matching == MatchKind::Exact)
            })
            .and_then(|c| c.duration.value.max_seconds())
            .map_or(Lifetime::NotDeclared, |s| match s {
                0 => Lifetime::Session,
                s => Lifetime::Days((s / DAY).max(1)),
            });
        Plan {
            site,
            groups,
            consent: ConsentCookie { name, lifetime },
        }
    }

    /// The site's languages, its default first.
    pub fn languages(&self) -> Vec<&'a str> {
        let site = self.site;
        let mut langs = vec![site.default_language.as_str()];
        langs.extend(
            site.languages
                .iter()
                .map(String::as_str)
                .filter(|l| *l != site.default_language),
        );
        langs
    }

    /// The first lines of a generated file: what it is, for which site, from what.
    pub fn header(&self, what: &str, usage: &str) -> String {
        let site = self.site;
        let mut text = format!(
            "{what} for {} ({}), generated by {} {} from its site file\n\
             (policy version {}, last reviewed {}). Edit the site file, not this one.\n\n{usage}\n",
            site.name,
            site.id,
            crate::TOOL,
            crate::VERSION,
            site.policy_version,
            site.last_review
        );
        text.push_str(&match (&self.consent.name, self.consent.lifetime) {
            (Some(name), Lifetime::Days(days)) => format!(
                "\nThe visitor's choice is kept in the cookie {name:?} for {days} days, as the site declares it.\n"
            ),
            (Some(name), Lifetime::Session) => format!(
                "\nThe site declares its consent cookie {name:?} as a session cookie, which this library cannot write: its default lifetime applies.\n"
            ),
            (Some(name), Lifetime::NotDeclared) => format!(
                "\nThe site declares no lifetime for its consent cookie {name:?}: the library's default applies. Declare it in the site file.\n"
            ),
            (None, _) => "\nThe site names no consent cookie: the library's own cookie name and lifetime apply. Name and declare it in the site file.\n".to_string(),
        });
        js::comment(&text)
    }
}

impl<'a> Group<'a> {
    pub fn items(&self) -> impl Iterator<Item = &'a CookieDecl> + '_ {
        self.services.iter().flat_map(|s| s.items.iter().copied())
    }

    /// The group's title and description in `lang`.
    pub fn text(&self, lang: &str) -> (&'static str, &'static str) {
        words::group_text(self.category, self.exempt, lang)
    }
}

/// Whether the declaration is a cookie (which a consent manager can delete), not another kind of
/// storage or a pixel.
pub fn is_cookie(decl: &CookieDecl) -> bool {
    matches!(
        decl.storage,
        StorageType::HttpCookie | StorageType::ScriptCookie
    )
}

/// The declaration's name as a JavaScript regular expression over the whole cookie name, for a
/// prefix or a regex (the site file's regexes are matched whole, as here).
pub fn name_regex(decl: &CookieDecl) -> Option<String> {
    match decl.matching {
        MatchKind::Exact => None,
        MatchKind::Prefix => Some(format!("^{}", regex::escape(&decl.name))),
        MatchKind::Regex => Some(format!("^(?:{})$", decl.name)),
    }
}

/// What the declaration is for, in `lang`: its purpose, else its function and location.
pub fn purpose(decl: &CookieDecl, lang: &str) -> String {
    let purpose = text_in(&decl.purpose, lang).trim();
    if purpose.is_empty() {
        text_in(&decl.location, lang).trim().to_string()
    } else {
        purpose.to_string()
    }
}

/// How long the declaration lives, in `lang`: its text, else words for its value.
pub fn duration_text(decl: &CookieDecl, lang: &str) -> String {
    let text = text_in(&decl.duration.text, lang).trim();
    let text = if text.is_empty() {
        duration::duration_words(decl.duration.value, lang)
    } else {
        text.to_string()
    };
    if text.is_empty() {
        words::words(lang).not_stated.to_string()
    } else {
        text
    }
}

/// The name a visitor reads, with its kind of storage when it is not a cookie.
pub fn shown_name(decl: &CookieDecl, lang: &str) -> String {
    let w = words::words(lang);
    let kind = match decl.storage {
        StorageType::HttpCookie | StorageType::ScriptCookie => None,
        StorageType::LocalStorage => Some(w.local_storage),
        StorageType::SessionStorage => Some(w.session_storage),
        StorageType::Pixel => Some(w.pixel),
    };
    match kind {
        Some(kind) => format!("{} ({kind})", decl.display_name()),
        None => decl.display_name(),
    }
}

/// HTML-escaped text (the three libraries insert their texts as HTML).
pub fn html(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// The declarations as an HTML list: name (in `name_tag`), purpose and duration of each, escaped.
pub fn items_html<'d>(
    items: impl Iterator<Item = &'d CookieDecl>,
    lang: &str,
    name_tag: &str,
) -> String {
    let w = words::words(lang);
    let mut out = String::from("<ul class=\"policydesk-cookies\">");
    for decl in items {
        let purpose = purpose(decl, lang);
        out.push_str(&format!(
            "<li><{name_tag}>{}</{name_tag}>{}{} <em>({} {})</em></li>",
            html(&shown_name(decl, lang)),
            if purpose.is_empty() { "" } else { " — " },
            html(&purpose),
            html(w.duration_is),
            html(&duration_text(decl, lang)),
        ));
    }
    out.push_str("</ul>");
    out
}

/// The banner's sentence with a link to the policy, as HTML.
pub fn banner_html(site: &Site, lang: &str) -> String {
    let w = words::words(lang);
    format!(
        "{} <a href=\"{}\">{}</a>.",
        html(w.banner_text),
        html(site.policy_url().as_str()),
        html(w.policy_link)
    )
}

pub fn banner_title(site: &Site, lang: &str) -> String {
    words::words(lang)
        .banner_title
        .replace("{site}", &site.name)
}

/// `matomo-analytics` from "Matomo Analytics": ASCII letters and digits, the rest as single
/// dashes; `other` when nothing is left.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "other".into()
    } else {
        out.chars()
            .take(40)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string()
    }
}

#[cfg(test)]
mod tests;
