//! The preview shows a site's consent configurations and device storage disclosure as the
//! export writes them, and they follow the site's edits.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has, has_containing, open};
use egui_kittest::kittest::Queryable;

#[test]
fn the_preview_shows_each_consent_configuration_and_follows_edits() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    click(&mut app, "Sites: dashboard.paris");
    assert!(has(&app, "Preview shows Policy"));
    assert!(!has_containing(&app, "var klaroConfig"));

    click(&mut app, "Preview shows Klaro!");
    assert!(
        has_containing(&app, "var klaroConfig = {"),
        "the Klaro! file"
    );
    assert!(has(&app, "dashboard.paris/consent/klaro.js"));
    // The declared consent cookie and its lifetime, and the platform's cookies in both languages.
    assert!(has_containing(
        &app,
        "\"storageName\": \"cookies_preferences\""
    ));
    assert!(has_containing(&app, "\"cookieExpiresAfterDays\": 182"));
    assert!(has_containing(
        &app,
        "Authentification : valide l&#x27;identité"
    ));

    // Editing a cookie's purpose changes the configuration shown, without leaving the view.
    click(&mut app, "Editor language EN");
    click(&mut app, "Cookie sessionid");
    click(&mut app, "Override Purpose (EN)");
    app.get_by_label("Purpose (EN)")
        .set_text_value_accesskit("Keeps you signed in to the portal.");
    app.run();
    assert!(
        has_containing(&app, "Keeps you signed in to the portal."),
        "the preview follows the edit"
    );
    assert!(has_containing(&app, "var klaroConfig = {"));

    for (choice, path, marker) in [
        (
            "CookieConsent",
            "dashboard.paris/consent/cookieconsent.js",
            "CookieConsent.run({",
        ),
        (
            "tarteaucitron",
            "dashboard.paris/consent/tarteaucitron.js",
            "tarteaucitron.init({",
        ),
        (
            "Device storage",
            "dashboard.paris/device-storage.json",
            "\"disclosures\": [",
        ),
    ] {
        click(&mut app, &format!("Preview shows {choice}"));
        assert!(has(&app, path), "{choice}: its path in a bundle");
        assert!(has_containing(&app, marker), "{choice}: the file");
        assert!(
            has_containing(&app, "Keeps you signed in to the portal."),
            "{choice}: the edited purpose"
        );
    }

    click(&mut app, "Preview shows Policy");
    assert!(!has_containing(&app, "\"disclosures\": ["));
    assert!(has_containing(&app, "Keeps you signed in to the portal."));
}
