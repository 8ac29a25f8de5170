//! Find and replace across sites in the app: a preview of every text it changes, "Replace all"
//! as one edit per site, and "Undo replace" taking the whole replace back at once.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, doc, has, has_containing, idle, open};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use policydesk::app::PolicyDeskApp;

const TOTAL: &str = "dataviz.totalenergies.com";
const TNE: &str = "tneacademiegrenoble.opendatasoft.com";
const WRONG: &str = "(front et back office)";
const RIGHT: &str = "(front and back office)";

fn location_en(app: &PolicyDeskApp, id: &str) -> String {
    let docs = app.docs.as_ref().expect("loaded");
    let doc = docs.get(id).expect("a site");
    let cookies = doc.site().resolved_cookies(docs.platform_of(doc.site()));
    let csrf = cookies
        .iter()
        .find(|d| d.name == "csrftoken")
        .expect("csrftoken");
    csrf.location.get("en").cloned().unwrap_or_default()
}

fn dirty(app: &PolicyDeskApp, id: &str) -> bool {
    doc(app, id).dirty
}

#[test]
fn replace_previews_every_hit_applies_to_the_sites_and_undoes_at_once() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    click(&mut app, "Toolbar: Replace…");
    app.get_by_label("Find").set_text_value_accesskit(WRONG);
    app.get_by_label("Replace with")
        .set_text_value_accesskit(RIGHT);
    app.run();
    click(&mut app, "Replace language EN");

    assert!(
        has(&app, "2 texts in 2 sites"),
        "one English text in each of two sites"
    );
    assert_eq!(
        app.query_all_by_label("− API (CSRF) (front et back office)")
            .count(),
        2
    );
    assert_eq!(
        app.query_all_by_label("+ API (CSRF) (front and back office)")
            .count(),
        2
    );
    assert!(has(&app, "en: cookie csrftoken: function and location"));
    // The French version is not in the preview.
    click(&mut app, "Replace language FR");
    assert!(has(&app, "0 texts in 0 sites"));
    click(&mut app, "Replace language EN");

    click(&mut app, "Replace all");
    for site in [TOTAL, TNE] {
        assert_eq!(
            location_en(app.state(), site),
            "API (CSRF) (front and back office)"
        );
        assert!(dirty(app.state(), site), "{site} is edited, not saved");
    }
    assert!(has_containing(&app, "Replaced 2 texts in 2 sites"));

    click(&mut app, "Undo replace");
    for site in [TOTAL, TNE] {
        assert_eq!(
            location_en(app.state(), site),
            "API (CSRF) (front et back office)"
        );
        assert!(!dirty(app.state(), site), "{site} is as saved again");
    }

    // Replace again and save everything: the files on disk change, comments and all else kept.
    click(&mut app, "Replace all");
    app.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    idle(&mut app);
    for site in [TOTAL, TNE] {
        let text = std::fs::read_to_string(dir.path().join(format!("{site}.ron"))).expect("read");
        assert!(
            text.contains("\"API (CSRF) (front and back office)\""),
            "{site}"
        );
    }
}

#[test]
fn the_site_pattern_limits_the_preview() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    app.key_press_modifiers(Modifiers::COMMAND, Key::H);
    app.run();
    app.get_by_label("Find").set_text_value_accesskit(WRONG);
    app.get_by_label("Replace with")
        .set_text_value_accesskit(RIGHT);
    app.get_by_label("Sites matching")
        .set_text_value_accesskit("*.opendatasoft.com");
    app.run();
    assert!(has(&app, "1 text in 1 site"));
    assert_eq!(
        app.query_all_by_label("− API (CSRF) (front et back office)")
            .count(),
        1
    );
    click(&mut app, "Replace all");
    assert!(!dirty(app.state(), TOTAL), "the pattern leaves it out");
    assert!(dirty(app.state(), TNE));
}
