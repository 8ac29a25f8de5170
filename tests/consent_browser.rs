//! The generated consent configurations loaded by the real libraries (klaro, vanilla-cookieconsent
//! v3, tarteaucitronjs from the npm registry, installed by `.ci/setup`) in headless Chromium, on
//! pages served from 127.0.0.1: each banner lists every declared cookie with its purpose in
//! French and in English, shows hostile text as text, keeps the necessary cookies on, and keeps
//! the visitor's choice in the consent cookie for as long as the site declares it.
//!
//! `CONSENT_SHOTS=/tmp/consent-shots cargo test --test consent_browser` also saves screenshots of
//! every banner and cookie list.

mod audit_support;
mod browser_support;
mod common;
mod consent_support;
#[path = "common/export_cli.rs"]
mod export_cli;

use consent_support::{Fixture, Library, Tab, assert_lists_every_cookie, libraries_or_skip, serve};

/// The Paris portal's consent cookie (`cookies_preferences`) is declared for 6 months: 182 days
/// once rounded down.
const DECLARED_DAYS: f64 = 182.0;

/// Runs `check` for each language with a fresh tab on the library's page; then `accept` in a
/// last tab, and checks the consent cookie's lifetime.
fn each_language(test: &str, library: Library, check: impl Fn(&Tab, &str), accept: &str) {
    let Some(libs) = libraries_or_skip(test) else {
        return;
    };
    let Some(shared) = browser_support::shared(test) else {
        return;
    };
    let fixture = Fixture::new();
    let server = serve(libs, fixture.site_dir(), library);
    for lang in ["fr", "en"] {
        let tab = Tab::open(shared, &server.url(&format!("/page/{lang}.html")));
        check(&tab, lang);
    }
    let tab = Tab::open(shared, &server.url("/page/fr.html"));
    check_lifetime(test, &tab, accept);
}

fn check_lifetime(test: &str, tab: &Tab, accept: &str) {
    tab.wait_visible(accept);
    // Clicked again until the choice is stored: a library may draw a button before it listens.
    let mut lifetime = None;
    for _ in 0..20 {
        assert_eq!(tab.click_all(accept), 1, "{test}: one accept control");
        for _ in 0..10 {
            lifetime = tab.cookie_lifetime("cookies_preferences");
            if lifetime.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if lifetime.is_some() {
            break;
        }
    }
    let days =
        lifetime.unwrap_or_else(|| panic!("{test}: no consent cookie after accepting")) / 86_400.0;
    assert!(
        (days - DECLARED_DAYS).abs() < 1.0,
        "{test}: the choice is kept {days:.2} days, the site declares {DECLARED_DAYS}"
    );
}

#[test]
fn klaro_lists_every_declared_cookie_in_french_and_english() {
    let library = Library {
        config: "consent/klaro.js",
        before: "",
        after: "<script src=\"/lib/klaro/dist/klaro.js\"></script>",
    };
    each_language(
        "klaro_lists_every_declared_cookie_in_french_and_english",
        library,
        |tab, lang| {
            tab.wait_visible(".klaro .cookie-notice");
            let notice = tab.text(".klaro .cookie-notice");
            let title = if lang == "fr" {
                "Les cookies de Paris dashboard portal"
            } else {
                "Cookies on Paris dashboard portal"
            };
            assert!(notice.contains(title), "klaro ({lang}) notice: {notice}");
            tab.shot(&format!("klaro-{lang}-banner"));
            tab.open_with(".klaro .cn-learn-more", ".klaro .cookie-modal .cm-modal");
            assert!(
                tab.click_all(".klaro .cm-caret a") >= 3,
                "a purpose per group"
            );
            let text = tab.text(".klaro .cookie-modal");
            assert_lists_every_cookie("klaro", lang, &text, tab);
            assert_eq!(
                tab.eval("document.querySelector('#purpose-item-necessary').disabled"),
                serde_json::json!(true),
                "klaro ({lang}): the necessary cookies can be turned off"
            );
            tab.shot(&format!("klaro-{lang}-list"));
            tab.scroll_to_end(".klaro .cookie-modal");
            tab.shot(&format!("klaro-{lang}-list-end"));
        },
        ".klaro .cookie-notice .cm-btn-success",
    );
}

#[test]
fn cookieconsent_lists_every_declared_cookie_in_french_and_english() {
    let library = Library {
        config: "consent/cookieconsent.js",
        // CookieConsent hides from robots (`navigator.webdriver`, which DevTools sets); this page
        // is a visitor's.
        before: "<script>Object.defineProperty(navigator, 'webdriver', { get: () => false });</script>\
                 <link rel=\"stylesheet\" href=\"/lib/vanilla-cookieconsent/dist/cookieconsent.css\">\
                 <script src=\"/lib/vanilla-cookieconsent/dist/cookieconsent.umd.js\"></script>",
        after: "",
    };
    each_language(
        "cookieconsent_lists_every_declared_cookie_in_french_and_english",
        library,
        |tab, lang| {
            tab.wait_visible("#cc-main .cm");
            tab.shot(&format!("cookieconsent-{lang}-banner"));
            tab.open_with("#cc-main .cm [data-role=\"show\"]", "#cc-main .pm");
            tab.click_all("#cc-main .pm .pm__section--expandable .pm__section-title");
            let text = tab.text("#cc-main .pm");
            assert_lists_every_cookie("cookieconsent", lang, &text, tab);
            assert_eq!(
                tab.eval(
                    "document.querySelector('#cc-main .pm input[value=\"necessary\"]').disabled"
                ),
                serde_json::json!(true),
                "cookieconsent ({lang}): the necessary cookies can be turned off"
            );
            tab.shot(&format!("cookieconsent-{lang}-list"));
            tab.scroll_to_end("#cc-main .pm");
            tab.shot(&format!("cookieconsent-{lang}-list-end"));
        },
        "#cc-main .cm [data-role=\"all\"]",
    );
}

#[test]
fn tarteaucitron_lists_every_declared_cookie_in_french_and_english() {
    let library = Library {
        config: "consent/tarteaucitron.js",
        before: "<script src=\"/lib/tarteaucitronjs/tarteaucitron.js\"></script>",
        after: "",
    };
    each_language(
        "tarteaucitron_lists_every_declared_cookie_in_french_and_english",
        library,
        |tab, lang| {
            tab.wait_visible("#tarteaucitronAlertBig");
            tab.shot(&format!("tarteaucitron-{lang}-banner"));
            tab.open_with("#tarteaucitronCloseAlert", "#tarteaucitron");
            tab.click_all(
                "#tarteaucitron .catToggleBtn, #tarteaucitronServicesTitle_mandatory button",
            );
            let text = tab.text("#tarteaucitronServices");
            assert_lists_every_cookie("tarteaucitron", lang, &text, tab);
            // The necessary cookies sit in the mandatory line, with no control to refuse them.
            let mandatory = tab.text("#tarteaucitronServices_mandatory");
            for name in [
                "sessionid",
                "csrftoken",
                "cookies_preferences",
                "django_language",
            ] {
                assert!(
                    mandatory.contains(name),
                    "tarteaucitron ({lang}): {mandatory}"
                );
            }
            assert_eq!(
                tab.eval(
                    "document.querySelectorAll('#tarteaucitronServices_mandatory button').length"
                ),
                serde_json::json!(0),
                "tarteaucitron ({lang}): the necessary cookies can be refused"
            );
            tab.shot(&format!("tarteaucitron-{lang}-list"));
            tab.scroll_to_end("#tarteaucitron");
            tab.shot(&format!("tarteaucitron-{lang}-list-end"));
        },
        "#tarteaucitronPersonalize2",
    );
}
