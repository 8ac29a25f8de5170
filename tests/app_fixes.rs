//! Quick fixes in the app: a Fix button beside a finding with a safe fix applies it as one
//! undoable edit; a finding without one shows the button disabled, saying why.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has_containing, idle, open};
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use policydesk::model::CookieEntry;

const PARIS: &str = "dashboard.paris";

/// A copy of the sites where Paris words csrftoken's English location in French and its English
/// text claims web analytics (which no cookie backs), under a comment of its own.
fn sites_with_findings() -> tempfile::TempDir {
    let dir = common::copy_of_sites();
    let path = dir.path().join(format!("{PARIS}.ron"));
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replacen(
            "            name: \"csrftoken\",\n",
            "            name: \"csrftoken\",\n            location: {\n                \
             \"en\": \"API (CSRF) (front et back office)\",\n            },\n",
            1,
        )
        .replacen(
            "    cookies: [",
            "    // Checked by the DPO.\n    cookies: [",
            1,
        );
    std::fs::write(&path, text).expect("write");
    dir
}

fn fix_buttons(app: &app_support::App) -> (usize, usize) {
    let all: Vec<bool> = app
        .query_all_by_label("Fix")
        .map(|n| n.accesskit_node().is_disabled())
        .collect();
    let disabled = all.iter().filter(|d| **d).count();
    (all.len() - disabled, disabled)
}

#[test]
fn fix_button_rewords_as_the_platform_in_one_undoable_step_and_saves() {
    let dir = sites_with_findings();
    let path = dir.path().join(format!("{PARIS}.ron"));
    let mut app = open(dir.path());
    click(&mut app, &format!("Sites: {PARIS}"));
    click(&mut app, "Editor language EN");
    click(&mut app, "Cookie csrftoken");
    assert!(has_containing(&app, "wrong-language (en)"));
    assert_eq!(fix_buttons(&app), (1, 0), "one finding, with a safe fix");

    app.get_by_label("Fix").click();
    app.run();
    assert!(
        !has_containing(&app, "wrong-language"),
        "the finding is gone"
    );
    assert!(has_containing(
        &app,
        "Fixed: csrftoken: the English function and location"
    ));
    assert!(has_containing(&app, "unsaved"));

    // One undo brings the French wording back; redo fixes it again.
    app.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    app.run();
    assert!(has_containing(&app, "wrong-language (en)"));
    app.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    app.run();
    assert!(!has_containing(&app, "wrong-language"));

    app.key_press_modifiers(Modifiers::COMMAND, Key::S);
    idle(&mut app);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("// Checked by the DPO."),
        "the comment is kept:\n{text}"
    );
    assert!(!text.contains("front et back office"), "{text}");
    let ws = policydesk::store::load_sites(dir.path());
    let site = &ws.site(PARIS).expect("loads").site;
    assert!(site.cookies.iter().all(|c| match c {
        CookieEntry::Platform(u) => u.location.is_empty(),
        CookieEntry::Own(_) => true,
    }));
}

#[test]
fn a_finding_without_a_safe_fix_says_why() {
    let dir = sites_with_findings();
    let path = dir.path().join(format!("{PARIS}.ron"));
    let text = std::fs::read_to_string(&path).expect("read");
    // The English text claims web analytics; no statistics cookie is declared.
    let claimed = text.replacen(
        "Opendatasoft uses cookies on its website.",
        "Opendatasoft uses cookies on its website, and web analytics.",
        1,
    );
    assert_ne!(claimed, text, "the fixture changed");
    std::fs::write(&path, claimed).expect("write");
    let mut app = open(dir.path());
    click(&mut app, &format!("Sites: {PARIS}"));
    assert!(has_containing(&app, "analytics-claimed-undeclared"));
    assert_eq!(
        fix_buttons(&app),
        (0, 1),
        "no cookie selected: only the site's finding shows"
    );
    app.get_by_label("Fix").hover();
    app.run();
    assert!(has_containing(
        &app,
        "No safe fix: either the text or the cookie table is wrong"
    ));
}
