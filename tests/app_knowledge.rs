//! The cookie knowledge base in the app: the editor suggests known cookies as a name is typed
//! and fills the declaration from the one chosen; the About section names the Open Cookie
//! Database.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has, has_containing, idle, open};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

#[test]
fn typing_a_cookie_name_suggests_known_cookies_and_one_click_fills_the_declaration() {
    let dir = common::copy_of_sites();
    let path = dir.path().join("dashboard.paris.ron");
    let mut app = open(dir.path());
    click(&mut app, "Sites: dashboard.paris");
    click(&mut app, "Editor language EN");
    click(&mut app, "Add cookie");
    assert!(
        !has_containing(&app, "Known cookie:"),
        "no suggestion for new_cookie"
    );

    // The cookie's name field (the site form above has a "Name" too).
    app.query_all_by_label("Name")
        .find(|n| n.value().as_deref() == Some("new_cookie"))
        .expect("the new cookie's name field")
        .set_text_value_accesskit("_hjSessionU");
    app.run();
    assert!(has(&app, "Known cookie: _hjSessionUser_*"));
    click(&mut app, "Known cookie: _hjSessionUser_*");
    // Filled: the suggestions go away and the form shows the knowledge base's answer.
    assert!(!has_containing(&app, "Known cookie:"));
    assert!(
        has(&app, "reads as: 1 year"),
        "the duration is filled and read"
    );

    app.key_press_modifiers(Modifiers::COMMAND, Key::S);
    idle(&mut app);
    let saved = std::fs::read_to_string(&path).unwrap();
    for expected in [
        "name: \"_hjSessionUser_\"",
        "matching: Prefix",
        "provider: \"Hotjar\"",
        "category: Statistics",
        "value: Seconds(31536000)",
    ] {
        assert!(saved.contains(expected), "{expected} not in\n{saved}");
    }
}

#[test]
fn the_help_panel_s_about_section_names_the_open_cookie_database() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    assert!(!has_containing(&app, "Open Cookie Database"));
    click(&mut app, "Toolbar: Help");
    assert!(has_containing(
        &app,
        "Open Cookie Database (https://github.com/jkwakman/Open-Cookie-Database"
    ));
    assert!(has_containing(&app, "Apache License 2.0"));
}
