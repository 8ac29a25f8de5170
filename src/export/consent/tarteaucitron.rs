//! `consent/tarteaucitron.js`: `tarteaucitron.init({…})` and one service per provider of each
//! group that needs consent, with its cookies.
//!
//! tarteaucitron shows a service's name and its `desc-<key>` text, and of its cookies only how
//! many there are; so the description lists the cookies (name, purpose, duration). The cookies
//! that need no consent are listed in its "mandatory" line, which cannot be turned off. It deletes
//! cookies by exact name only: a prefix or a regex is listed in the description but left out of
//! `cookies`, and the file says so. Texts are chosen for the page's language
//! (`tarteaucitron.getLanguage()`, the site's default language when it publishes no other) and
//! passed as `tarteaucitronCustomText`; tarteaucitron inserts them as HTML, so all are escaped.

use super::js::{self, Js};
use super::{Group, Lifetime, Plan, html, is_cookie, items_html, name_regex, words};
use crate::model::Category;

/// tarteaucitron's style sheet sets `strong` in its panel at 22 px; names are in `b`.
const NAME_TAG: &str = "b";

/// tarteaucitron ignores a forced lifetime of 365 days or more and keeps its own 365 days.
const MAX_FORCED_DAYS: u64 = 364;

pub fn config(plan: &Plan) -> String {
    let site = plan.site;
    let langs = plan.languages();
    let mut out = plan.header(
        "tarteaucitron.js configuration",
        "Load tarteaucitron's tarteaucitron.js first (from its folder, which holds its languages), then this file.",
    );
    match plan.consent.lifetime {
        Lifetime::Days(days) if days <= MAX_FORCED_DAYS => {
            out.push_str(&format!("tarteaucitronForceExpire = {days};\n"));
        }
        Lifetime::Days(days) => out.push_str(&js::comment(&format!(
            "tarteaucitron keeps a choice at most 365 days; the site declares {days}."
        ))),
        _ => {}
    }
    let unmatched: Vec<String> = plan
        .groups
        .iter()
        .filter(|g| !g.exempt)
        .flat_map(|g| g.items())
        .filter(|d| is_cookie(d) && name_regex(d).is_some())
        .map(|d| d.display_name())
        .collect();
    if !unmatched.is_empty() {
        out.push_str(&js::comment(&format!(
            "tarteaucitron deletes cookies by exact name only; it cannot delete {} when consent is withdrawn.",
            unmatched.join(", ")
        )));
    }

    let texts = Js::Obj(
        langs
            .iter()
            .map(|lang| (lang.to_string(), custom_text(plan, lang)))
            .collect(),
    );
    out.push_str(&format!(
        "(function () {{\n    var texts = {};\n    var lang = tarteaucitron.getLanguage();\n    \
         if (!Object.prototype.hasOwnProperty.call(texts, lang)) {{\n        \
         lang = {};\n        tarteaucitronForceLanguage = lang;\n    }}\n    \
         tarteaucitronCustomText = texts[lang];\n}})();\n",
        texts.to_source(1),
        Js::str(langs[0]).to_source(0),
    ));

    let mut params: Vec<(&str, Js)> = vec![("privacyUrl", Js::str(site.policy_url().as_str()))];
    if let Some(name) = &plan.consent.name {
        params.push(("cookieName", Js::str(name.as_str())));
    }
    params.extend([
        ("hashtag", Js::str("#tarteaucitron")),
        ("orientation", Js::str("middle")),
        ("highPrivacy", Js::bool(true)),
        ("AcceptAllCta", Js::bool(true)),
        ("DenyAllCta", Js::bool(true)),
        ("showAlertSmall", Js::bool(false)),
        ("showIcon", Js::bool(true)),
        ("iconPosition", Js::str("BottomRight")),
        ("mandatory", Js::bool(plan.groups.iter().any(|g| g.exempt))),
        ("mandatoryCta", Js::bool(false)),
        ("moreInfoLink", Js::bool(false)),
        ("removeCredit", Js::bool(false)),
        ("useExternalCss", Js::bool(false)),
    ]);
    out.push_str(&format!(
        "tarteaucitron.init({});\n",
        Js::obj(params).to_source(0)
    ));

    for group in plan.groups.iter().filter(|g| !g.exempt) {
        for service in &group.services {
            let cookies = service
                .items
                .iter()
                .filter(|d| is_cookie(d) && name_regex(d).is_none())
                .map(|d| Js::str(d.name.as_str()))
                .collect();
            let key = Js::str(service.key.as_str()).to_source(0);
            let definition = Js::obj([
                ("key", Js::str(service.key.as_str())),
                ("type", Js::str(service_type(group))),
                ("name", Js::str(html(service.provider))),
                ("uri", Js::str(site.policy_url().as_str())),
                ("needConsent", Js::bool(true)),
                ("cookies", Js::Arr(cookies)),
                (
                    "js",
                    Js::Code(
                        "function () {\n        // Load the service's scripts here.\n    }".into(),
                    ),
                ),
                (
                    "fallback",
                    Js::Code(
                        "function () {\n        // Shown while the service is refused.\n    }"
                            .into(),
                    ),
                ),
            ]);
            out.push_str(&format!(
                "tarteaucitron.services[{key}] = {};\n(tarteaucitron.job = tarteaucitron.job || []).push({key});\n",
                definition.to_source(0)
            ));
        }
    }
    out
}

/// The texts of one language that tarteaucitron's own translation does not hold.
fn custom_text(plan: &Plan, lang: &str) -> Js {
    let w = words::words(lang);
    let banner = format!(
        "<strong>{}</strong><br>{}",
        html(&super::banner_title(plan.site, lang)),
        html(w.banner_text)
    );
    let mut fields: Vec<(String, Js)> = vec![
        ("alertBigPrivacy".into(), Js::str(banner)),
        ("disclaimer".into(), Js::str(html(w.banner_text))),
        // Its link to `privacyUrl`, which is the cookie policy.
        ("privacyUrl".into(), Js::str(html(w.policy_link))),
    ];
    if let Some(exempt) = plan.groups.iter().find(|g| g.exempt) {
        let (title, _) = exempt.text(lang);
        fields.push(("mandatoryTitle".into(), Js::str(html(title))));
        fields.push((
            "mandatoryText".into(),
            Js::str(format!(
                "{}{}",
                html(w.always_on),
                items_html(exempt.items(), lang, NAME_TAG)
            )),
        ));
    }
    // The two types that are one category each take that category's words.
    for group in plan.groups.iter().filter(|g| !g.exempt) {
        let kind = service_type(group);
        if kind != "other" {
            let (title, details) = group.text(lang);
            fields.push((
                kind.into(),
                Js::obj([
                    ("title", Js::str(html(title))),
                    ("details", Js::str(html(details))),
                ]),
            ));
        }
    }
    for service in plan
        .groups
        .iter()
        .filter(|g| !g.exempt)
        .flat_map(|g| &g.services)
    {
        fields.push((
            format!("desc-{}", service.key),
            Js::str(items_html(service.items.iter().copied(), lang, NAME_TAG)),
        ));
    }
    Js::Obj(fields)
}

/// tarteaucitron's panel groups services by these fixed types.
fn service_type(group: &Group) -> &'static str {
    match group.category {
        Category::Statistics => "analytic",
        Category::Marketing => "ads",
        _ => "other",
    }
}
