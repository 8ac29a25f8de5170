//! Editing a cookie in the app: the preview and the findings follow, undo and redo work, and
//! saving changes the file on disk exactly there.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has, has_containing, idle, open};
use common::own;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use policydesk::model::CookieEntry;
use policydesk::store::diff::{LineChange, line_diff};

#[test]
fn editing_a_duration_updates_preview_and_findings_and_saves_exactly_that() {
    let dir = common::copy_of_sites();
    let path = dir.path().join("dashboard.paris.ron");
    let original = std::fs::read_to_string(&path).unwrap();
    let mut app = open(dir.path());

    click(&mut app, "Sites: dashboard.paris");
    // The English version (the site's default is French).
    click(&mut app, "Editor language EN");
    click(&mut app, "Cookie sessionid");
    // A platform cookie: its duration is inherited until overridden.
    assert!(has(&app, "Override Duration (EN)"));
    assert!(
        app.query_all_by_label(&app_support::published_duration(
            "dashboard.paris",
            "sessionid",
            "en"
        ))
        .count()
            >= 1,
        "the preview shows the platform's duration"
    );
    assert!(!has_containing(&app, "duration-text-mismatch"));
    click(&mut app, "Override Duration (EN)");
    app.get_by_label("Duration (EN)")
        .set_text_value_accesskit("3 weeks by default");
    app.run();

    // The cookie table's duration column and the preview's table both show the new text.
    let shown = |app: &app_support::App, text: &str| app.query_all_by_label(text).count();
    assert_eq!(
        shown(&app, "3 weeks by default"),
        2,
        "the preview follows the edit"
    );
    assert!(
        has(&app, "reads as: 3 weeks"),
        "the parsed value is shown beside the text"
    );
    assert!(
        has_containing(&app, "duration-text-mismatch"),
        "the finding appears next to the field: the text no longer says what the value says"
    );
    assert!(has_containing(&app, "unsaved"));

    // Undo twice (the text, then the override) and the finding and preview are back.
    app.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    app.run();
    app.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    app.run();
    assert_eq!(shown(&app, "3 weeks by default"), 0);
    assert!(!has_containing(&app, "duration-text-mismatch"));
    assert!(
        has(&app, "Override Duration (EN)"),
        "the override is undone too"
    );
    // Redo both.
    app.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    app.run();
    app.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    app.run();
    assert_eq!(shown(&app, "3 weeks by default"), 2);

    app.key_press_modifiers(Modifiers::COMMAND, Key::S);
    idle(&mut app);
    assert!(!has_containing(&app, "• unsaved"));
    let saved = std::fs::read_to_string(&path).unwrap();
    // One change, in one place: the sessionid row gains its English duration text.
    let changed: Vec<_> = line_diff(&original, &saved, 0)
        .into_iter()
        .filter(|l| l.change != LineChange::Same)
        .collect();
    assert!(
        changed.iter().all(|l| l.change == LineChange::Added),
        "{changed:?}"
    );
    assert!(
        changed
            .iter()
            .any(|l| l.text.contains("\"en\": \"3 weeks by default\"")),
        "{changed:?}"
    );
    let ws = policydesk::store::load_sites(dir.path());
    let site = &ws.site("dashboard.paris").unwrap().site;
    let mut expected = policydesk::store::load_sites(&common::bundled_sites())
        .site("dashboard.paris")
        .unwrap()
        .site
        .clone();
    for entry in &mut expected.cookies {
        if let CookieEntry::Platform(u) = entry
            && u.name == "sessionid"
        {
            u.duration_text
                .insert("en".into(), "3 weeks by default".into());
        }
    }
    assert_eq!(*site, expected, "nothing else changed");
}

#[test]
fn saving_an_edit_and_its_reversal_gives_back_the_same_bytes() {
    let dir = common::copy_of_sites();
    let path = dir.path().join("dataviz.totalenergies.com.ron");
    let original = std::fs::read(&path).unwrap();
    let mut app = open(dir.path());
    click(&mut app, "Sites: dataviz.totalenergies.com");

    app.get_by_label("Policy version")
        .set_text_value_accesskit("1-edit");
    app.run();
    click(&mut app, "Toolbar: Save");
    idle(&mut app);
    let edited = std::fs::read(&path).unwrap();
    assert_ne!(edited, original, "the edit reached the file");

    app.get_by_label("Policy version")
        .set_text_value_accesskit("1");
    app.run();
    click(&mut app, "Toolbar: Save");
    idle(&mut app);
    assert!(!has_containing(&app, "• unsaved"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "saving the site as it was loaded gives the same bytes"
    );
}

/// The app opened on a folder holding the bundled platforms and `page` of
/// `tests/import_pages/` imported as site `id`.
fn imported(page: &str, id: &str) -> (tempfile::TempDir, app_support::App) {
    let dir = common::imported_page(page, id);
    let app = open(dir.path());
    (dir, app)
}

#[test]
fn a_row_naming_two_cookies_stays_one_row_until_one_is_taken_out_of_it() {
    let (_dir, mut app) = imported("categories.html", "cat");
    click(&mut app, "Sites: cat");
    assert!(has_containing(
        &app,
        "the page's own: Cookie name | Supplier name | Duration | Function"
    ));
    assert!(
        has(&app, "_ga, _gid"),
        "the preview shows the row as published"
    );

    click(&mut app, "Cookie _gid");
    click(&mut app, "Named in the row above, after");
    assert!(!has(&app, "_ga, _gid"), "_gid has a row of its own");
    app.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    app.run();
    assert!(has(&app, "_ga, _gid"), "undone");
}

#[test]
fn a_cell_of_the_pages_own_column_and_a_group_heading_are_edited_in_the_cookie_form() {
    let (_dir, mut app) = imported("other_columns.html", "decl");
    click(&mut app, "Sites: decl");
    click(&mut app, "Cookie collect");
    // The page's "Type" column has no field: its cell is edited under the page's header.
    let shown = |app: &app_support::App, text: &str| app.query_all_by_label(text).count();
    assert_eq!(shown(&app, "Pixel Tracker"), 1, "the preview's cell");
    app.get_by_label("Type (EN)")
        .set_text_value_accesskit("Web beacon");
    app.run();
    assert_eq!(shown(&app, "Web beacon"), 1, "the preview follows the edit");
    assert_eq!(shown(&app, "Pixel Tracker"), 0);
    let edited = app_support::doc(app.state(), "decl").site();
    assert_eq!(
        own(&edited.cookies, "collect").other_cells[&0]["en"],
        "Web beacon"
    );
    // One undo gives the page's wording back.
    app.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    app.run();
    assert_eq!(shown(&app, "Pixel Tracker"), 1, "undone");

    // A heading across the table above the cookie's row.
    assert_eq!(shown(&app, "Analytics cookies"), 0);
    app.get_by_label("Group heading above (EN)")
        .set_text_value_accesskit("Analytics cookies");
    app.run();
    assert_eq!(shown(&app, "Analytics cookies"), 1, "the preview shows it");
    let edited = app_support::doc(app.state(), "decl").site();
    assert_eq!(
        own(&edited.cookies, "collect").group["en"],
        "Analytics cookies"
    );
}
