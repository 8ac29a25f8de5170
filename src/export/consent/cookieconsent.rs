//! `consent/cookieconsent.js`: an orestbida CookieConsent v3 configuration,
//! `CookieConsent.run({…})`.
//!
//! One category per group (the exempt group `enabled` and `readOnly`), one service per provider;
//! `autoClear.cookies` lists every cookie of the category (an exact name as a string, a prefix or
//! regex as a `RegExp`, with its declared domain). The preferences modal has one section per
//! category with a cookie table (name, provider, duration, purpose) in each of the site's
//! languages; `language.autoDetect` follows the page's `<html lang>`. CookieConsent inserts its
//! texts as HTML, so every text is escaped.

use super::js::Js;
use super::{
    Group, Lifetime, Plan, banner_html, banner_title, duration_text, html, is_cookie, name_regex,
    purpose, shown_name, words,
};
use crate::model::CookieDecl;

pub fn config(plan: &Plan) -> String {
    let site = plan.site;
    let langs = plan.languages();
    let mut fields: Vec<(&str, Js)> = vec![("mode", Js::str("opt-in"))];
    // Raising the revision asks every visitor again; a policy version that is a whole number is
    // used as it, others leave it at 0.
    if let Ok(revision) = site.policy_version.trim().parse::<u32>() {
        fields.push(("revision", Js::num(u64::from(revision))));
    }
    let mut cookie: Vec<(&str, Js)> = Vec::new();
    if let Some(name) = &plan.consent.name {
        cookie.push(("name", Js::str(name.as_str())));
    }
    if let Lifetime::Days(days) = plan.consent.lifetime {
        cookie.push(("expiresAfterDays", Js::num(days)));
    }
    if !cookie.is_empty() {
        fields.push(("cookie", Js::obj(cookie)));
    }
    fields.push((
        "guiOptions",
        Js::obj([
            (
                "consentModal",
                Js::obj([
                    ("layout", Js::str("box")),
                    ("position", Js::str("bottom right")),
                    ("equalWeightButtons", Js::bool(true)),
                ]),
            ),
            (
                "preferencesModal",
                Js::obj([
                    ("layout", Js::str("box")),
                    ("equalWeightButtons", Js::bool(true)),
                ]),
            ),
        ]),
    ));
    fields.push((
        "categories",
        Js::Obj(
            plan.groups
                .iter()
                .map(|g| (g.key.clone(), category(g)))
                .collect(),
        ),
    ));
    fields.push((
        "language",
        Js::obj([
            ("default", Js::str(langs[0])),
            ("autoDetect", Js::str("document")),
            (
                "translations",
                Js::Obj(
                    langs
                        .iter()
                        .map(|lang| (lang.to_string(), translation(plan, lang)))
                        .collect(),
                ),
            ),
        ]),
    ));
    // CookieConsent draws into the page's body: the call waits until the document is parsed, so
    // the file may be loaded from <head>.
    format!(
        "{}(function (run) {{\n    if (document.readyState === \"loading\") {{\n        \
         document.addEventListener(\"DOMContentLoaded\", run);\n    }} else {{\n        run();\n    }}\n\
         }})(function () {{\n    CookieConsent.run({});\n}});\n",
        plan.header(
            "CookieConsent v3 configuration",
            "Load CookieConsent's cookieconsent.umd.js (and cookieconsent.css) first, then this file.",
        ),
        Js::obj(fields).to_source(1)
    )
}

/// The cookies of `items` as `autoClear.cookies` lists them.
fn clear<'d>(items: impl Iterator<Item = &'d CookieDecl>) -> Js {
    Js::Arr(items.filter(|d| is_cookie(d)).map(cookie_item).collect())
}

fn category(group: &Group) -> Js {
    let mut fields: Vec<(&str, Js)> = Vec::new();
    if group.exempt {
        fields.push(("enabled", Js::bool(true)));
        fields.push(("readOnly", Js::bool(true)));
    }
    fields.push(("autoClear", Js::obj([("cookies", clear(group.items()))])));
    fields.push((
        "services",
        Js::Obj(
            group
                .services
                .iter()
                .map(|s| {
                    (
                        s.key.clone(),
                        Js::obj([
                            ("label", Js::str(html(s.provider))),
                            ("cookies", clear(s.items.iter().copied())),
                        ]),
                    )
                })
                .collect(),
        ),
    ));
    Js::obj(fields)
}

/// A cookie as `autoClear.cookies` takes it: `{ name, domain }`.
fn cookie_item(decl: &CookieDecl) -> Js {
    let name = match name_regex(decl) {
        Some(regex) => Js::regex(&regex),
        None => Js::str(decl.name.as_str()),
    };
    let mut fields = vec![("name", name)];
    if let Some(domain) = &decl.domain {
        fields.push(("domain", Js::str(domain.as_str())));
    }
    Js::obj(fields)
}

fn translation(plan: &Plan, lang: &str) -> Js {
    let w = words::words(lang);
    let site = plan.site;
    let mut sections = vec![Js::obj([
        ("title", Js::str(html(w.your_choices))),
        ("description", Js::str(banner_html(site, lang))),
    ])];
    for group in &plan.groups {
        let (title, description) = group.text(lang);
        let body = group
            .items()
            .map(|decl| {
                Js::obj([
                    ("name", Js::str(html(&shown_name(decl, lang)))),
                    ("provider", Js::str(html(&decl.provider))),
                    ("duration", Js::str(html(&duration_text(decl, lang)))),
                    ("description", Js::str(html(&purpose(decl, lang)))),
                ])
            })
            .collect();
        sections.push(Js::obj([
            ("title", Js::str(html(title))),
            ("description", Js::str(html(description))),
            ("linkedCategory", Js::str(group.key.as_str())),
            (
                "cookieTable",
                Js::obj([
                    (
                        "headers",
                        Js::obj([
                            ("name", Js::str(html(w.name))),
                            ("provider", Js::str(html(w.provider))),
                            ("duration", Js::str(html(w.duration))),
                            ("description", Js::str(html(w.purpose))),
                        ]),
                    ),
                    ("body", Js::Arr(body)),
                ]),
            ),
        ]));
    }
    let mut more = w.controller_text.replace("{controller}", &site.controller);
    if let Some(contact) = &site.contact {
        more.push_str(&format!(" {}: {contact}", w.contact));
    }
    sections.push(Js::obj([
        ("title", Js::str(html(w.more_info))),
        ("description", Js::str(html(&more))),
    ]));
    Js::obj([
        (
            "consentModal",
            Js::obj([
                ("title", Js::str(html(&banner_title(site, lang)))),
                ("description", Js::str(banner_html(site, lang))),
                ("acceptAllBtn", Js::str(html(w.accept_all))),
                ("acceptNecessaryBtn", Js::str(html(w.reject_all))),
                ("showPreferencesBtn", Js::str(html(w.choose))),
                ("closeIconLabel", Js::str(html(w.close))),
            ]),
        ),
        (
            "preferencesModal",
            Js::obj([
                ("title", Js::str(html(w.preferences_title))),
                ("acceptAllBtn", Js::str(html(w.accept_all))),
                ("acceptNecessaryBtn", Js::str(html(w.reject_all))),
                ("savePreferencesBtn", Js::str(html(w.save))),
                ("closeIconLabel", Js::str(html(w.close))),
                ("serviceCounterLabel", Js::str(html(w.services))),
                ("sections", Js::Arr(sections)),
            ]),
        ),
    ])
}
