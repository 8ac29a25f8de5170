//! `consent/klaro.js`: a Klaro! (0.7) configuration, `var klaroConfig = {…}`.
//!
//! One Klaro service per provider and group, its `purposes` the group; the group of cookies that
//! need no consent is `required`. Klaro's modal shows a service's title and description, not its
//! cookie names, so the description lists the cookies (name, purpose, duration) as HTML
//! (`htmlTexts: true`; every text is escaped). `cookies` holds each cookie as Klaro matches it:
//! an exact name as a string, a prefix or regex as a string starting with `^` (Klaro reads those
//! as regular expressions), with `[pattern, "/", domain]` when the site declares a domain.

use super::js::Js;
use super::{Lifetime, Plan, banner_title, html, is_cookie, items_html, name_regex, words};
use crate::model::CookieDecl;

pub fn config(plan: &Plan) -> String {
    let site = plan.site;
    let langs = plan.languages();
    let policy = site.policy_url().to_string();
    let mut fields: Vec<(&str, Js)> = vec![
        ("version", Js::num(1)),
        ("elementID", Js::str("klaro")),
        ("storageMethod", Js::str("cookie")),
    ];
    if let Some(name) = &plan.consent.name {
        fields.push(("storageName", Js::str(name.as_str())));
    }
    if let Lifetime::Days(days) = plan.consent.lifetime {
        fields.push(("cookieExpiresAfterDays", Js::num(days)));
    }
    fields.extend([
        ("htmlTexts", Js::bool(true)),
        ("groupByPurpose", Js::bool(true)),
        ("showNoticeTitle", Js::bool(true)),
        ("default", Js::bool(false)),
        ("mustConsent", Js::bool(false)),
        ("acceptAll", Js::bool(true)),
        ("hideDeclineAll", Js::bool(false)),
        ("hideLearnMore", Js::bool(false)),
        (
            "purposeOrder",
            Js::Arr(
                plan.groups
                    .iter()
                    .map(|g| Js::str(g.key.as_str()))
                    .collect(),
            ),
        ),
    ]);

    // `zz` is Klaro's fallback: a visitor in a language the site does not publish reads the
    // site's default language.
    let mut translations = vec![("zz".to_string(), translation(plan, langs[0], &policy))];
    translations.extend(
        langs
            .iter()
            .map(|lang| (lang.to_string(), translation(plan, lang, &policy))),
    );
    fields.push(("translations", Js::Obj(translations)));

    let services = plan
        .groups
        .iter()
        .flat_map(|group| {
            group.services.iter().map(move |service| {
                Js::obj([
                    ("name", Js::str(service.key.as_str())),
                    ("title", Js::str(service.provider)),
                    ("purposes", Js::Arr(vec![Js::str(group.key.as_str())])),
                    ("required", Js::bool(group.exempt)),
                    ("default", Js::bool(group.exempt)),
                    (
                        "cookies",
                        Js::Arr(
                            service
                                .items
                                .iter()
                                .filter(|d| is_cookie(d))
                                .map(|d| cookie(d))
                                .collect(),
                        ),
                    ),
                ])
            })
        })
        .collect();
    fields.push(("services", Js::Arr(services)));

    format!(
        "{}var klaroConfig = {};\n",
        plan.header(
            "Klaro! configuration",
            "Load this file first, then Klaro's klaro.js (which reads klaroConfig when it starts).",
        ),
        Js::obj(fields).to_source(0)
    )
}

/// One language's texts: notice, modal, purposes and each service's description.
fn translation(plan: &Plan, lang: &str, policy: &str) -> Js {
    let w = words::words(lang);
    let site = plan.site;
    let mut fields: Vec<(String, Js)> = vec![
        ("privacyPolicyUrl".into(), Js::str(policy)),
        (
            "privacyPolicy".into(),
            Js::obj([
                ("name", Js::str(w.policy_link)),
                ("text", Js::str("{privacyPolicy}.")),
            ]),
        ),
        (
            "consentNotice".into(),
            Js::obj([
                ("title", Js::str(banner_title(site, lang))),
                (
                    "description",
                    Js::str(format!("{} {{privacyPolicy}}.", html(w.banner_text))),
                ),
                ("learnMore", Js::str(w.choose)),
            ]),
        ),
        (
            "consentModal".into(),
            Js::obj([
                ("title", Js::str(html(w.preferences_title))),
                ("description", Js::str(html(w.banner_text))),
            ]),
        ),
        ("acceptAll".into(), Js::str(w.accept_all)),
        // The notice's accept button says "ok"; with `acceptAll` it accepts everything.
        ("ok".into(), Js::str(w.accept_all)),
        (
            "service".into(),
            Js::obj([
                ("purpose", Js::str(w.purpose)),
                ("purposes", Js::str(w.purposes)),
            ]),
        ),
        ("decline".into(), Js::str(w.reject_all)),
        ("acceptSelected".into(), Js::str(w.save)),
        ("close".into(), Js::str(w.close)),
        (
            "purposes".into(),
            Js::Obj(
                plan.groups
                    .iter()
                    .map(|g| {
                        let (title, description) = g.text(lang);
                        (
                            g.key.clone(),
                            Js::obj([
                                ("title", Js::str(title)),
                                ("description", Js::str(html(description))),
                            ]),
                        )
                    })
                    .collect(),
            ),
        ),
    ];
    for service in plan.groups.iter().flat_map(|g| &g.services) {
        fields.push((
            service.key.clone(),
            Js::obj([(
                "description",
                Js::str(braces(&items_html(
                    service.items.iter().copied(),
                    lang,
                    "strong",
                ))),
            )]),
        ));
    }
    Js::Obj(fields)
}

/// A cookie as Klaro's `cookies` list takes it.
fn cookie(decl: &CookieDecl) -> Js {
    let pattern = match name_regex(decl) {
        Some(regex) => regex,
        // Klaro reads a string starting with `^` as a regular expression.
        None if decl.name.starts_with('^') => format!("^{}$", regex::escape(&decl.name)),
        None => decl.name.clone(),
    };
    match &decl.domain {
        Some(domain) => Js::Arr(vec![
            Js::str(pattern),
            Js::str("/"),
            Js::str(domain.as_str()),
        ]),
        None => Js::str(pattern),
    }
}

/// HTML with braces written as entities, so that Klaro does not read a site's `{word}` as one of
/// its placeholders. (Titles, buttons and link names are plain text in Klaro; descriptions HTML.)
fn braces(text: &str) -> String {
    text.replace('{', "&#123;").replace('}', "&#125;")
}
