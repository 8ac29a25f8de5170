//! Importing a page for a site that exists, in the app: the change is shown as a line diff
//! first, applied as one undoable edit, and nothing is written until the site is saved.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, doc, has_containing, open};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use policydesk::app::PolicyDeskApp;
use policydesk::render::{build_document, html};
use policydesk::store::load_sites;

const PARIS: &str = "dashboard.paris";
const BEFORE: &str = "Opendatasoft uses cookies on its website.";
const AFTER: &str = "Opendatasoft uses a few cookies on this portal.";

/// Paris's English policy as PolicyDesk renders it, with one sentence reworded, saved as a page.
fn reworded_page(dir: &std::path::Path) -> std::path::PathBuf {
    let ws = load_sites(dir);
    let file = ws.site(PARIS).expect("bundled");
    let cookies = ws.cookies_of(&file.site);
    let page = html::render(&build_document(&file.site, &cookies, "en"));
    assert!(page.contains(BEFORE), "the fixture sentence is in the page");
    let path = dir.join("paris-policy.html");
    std::fs::write(&path, page.replace(BEFORE, AFTER)).expect("write page");
    path
}

fn first_paragraph(app: &PolicyDeskApp) -> String {
    let body = &doc(app, PARIS).site().sections["en"][0].body;
    match body.first() {
        Some(policydesk::model::Block::Paragraph(p)) => p.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn reimporting_shows_the_diff_and_applies_it_as_one_undoable_edit() {
    let dir = common::copy_of_sites();
    let page = reworded_page(dir.path());
    let file = dir.path().join(format!("{PARIS}.ron"));
    let on_disk = std::fs::read_to_string(&file).expect("read");
    let mut app = open(dir.path());
    click(&mut app, &format!("Sites: {PARIS}"));
    click(&mut app, "Import…");
    app.get_by_label("Page or file")
        .set_text_value_accesskit(page.to_str().expect("utf-8"));
    app.run();
    click(&mut app, "Read");
    app_support::idle(&mut app);

    // The review shows the reworded sentence, removed and added, before anything changes.
    assert!(has_containing(&app, &format!("Import {}", page.display())));
    // (Only the diff shows the site file's own syntax.)
    assert!(
        has_containing(&app, &format!("Paragraph(\"{BEFORE}\")")),
        "the old line"
    );
    assert!(
        has_containing(&app, &format!("Paragraph(\"{AFTER}\")")),
        "the new line"
    );
    assert_eq!(first_paragraph(app.state()), BEFORE, "nothing applied yet");

    click(&mut app, "Apply");
    assert_eq!(first_paragraph(app.state()), AFTER);
    assert!(has_containing(&app, "unsaved"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        on_disk,
        "not saved"
    );

    // One undo takes the whole import back.
    app.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    app.run();
    assert_eq!(first_paragraph(app.state()), BEFORE);
    assert!(!doc(app.state(), PARIS).dirty);
}

#[test]
fn a_source_that_cannot_be_read_says_why_and_changes_nothing() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    click(&mut app, &format!("Sites: {PARIS}"));
    click(&mut app, "Import…");
    let missing = dir.path().join("no-such-page.html");
    app.get_by_label("Page or file")
        .set_text_value_accesskit(missing.to_str().expect("utf-8"));
    app.run();
    click(&mut app, "Read");
    app_support::idle(&mut app);
    assert!(has_containing(&app, "Nothing imported:"));
    assert!(has_containing(&app, "no-such-page.html"));
    assert!(!doc(app.state(), PARIS).dirty);
}
