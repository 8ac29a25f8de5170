//! The app with files that fail to load, files changed by another program, and sites created,
//! duplicated and deleted.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has, has_containing, idle, open, wait};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

#[test]
fn a_broken_file_is_listed_with_its_place_and_the_rest_works() {
    let dir = common::copy_of_sites();
    std::fs::write(
        dir.path().join("broken.example.ron"),
        "(\n    name: \"x\",\n    oops\n",
    )
    .unwrap();
    let mut app = open(dir.path());
    assert!(has_containing(&app, "Broken files (1)"));
    // file:line:column and the parser's message.
    assert!(
        has_containing(&app, "broken.example.ron:3:"),
        "the message names the place"
    );
    // The other sites still load and open in the editor.
    click(&mut app, "Sites: tneacademiegrenoble.opendatasoft.com");
    assert!(has(&app, "Cookie sessionid"));
}

#[test]
fn a_file_changed_on_disk_is_never_overwritten_silently() {
    let dir = common::copy_of_sites();
    let path = dir.path().join("dataviz.totalenergies.com.ron");
    let mut app = open(dir.path());
    click(&mut app, "Sites: dataviz.totalenergies.com");
    app.get_by_label("Controller")
        .set_text_value_accesskit("Mine SA");
    app.run();
    // Another program edits the file meanwhile.
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("policy_version: \"", "policy_version: \"theirs-");
    std::fs::write(&path, &theirs).unwrap();

    app.key_press_modifiers(Modifiers::COMMAND, Key::S);
    idle(&mut app);
    assert!(has(&app, "The file changed on disk"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "nothing written"
    );
    // The difference is shown: their line and mine.
    assert!(has_containing(&app, "− ") && has_containing(&app, "theirs-"));
    assert!(has_containing(&app, "+     controller: \"Mine SA\""));

    // Reload takes theirs; undo brings mine back; keep mine then saves over theirs.
    click(&mut app, "Reload from disk");
    idle(&mut app);
    let doc = |app: &app_support::App| {
        app.state()
            .docs
            .as_ref()
            .unwrap()
            .get("dataviz.totalenergies.com")
            .unwrap()
            .site()
            .clone()
    };
    assert!(doc(&app).policy_version.starts_with("theirs-"));
    assert_ne!(doc(&app).controller, "Mine SA");
    app.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    app.run();
    assert_eq!(doc(&app).controller, "Mine SA");

    let again = theirs.replace("theirs-", "theirs-again-");
    std::fs::write(&path, &again).unwrap();
    app.key_press_modifiers(Modifiers::COMMAND, Key::S);
    idle(&mut app);
    click(&mut app, "Keep mine");
    idle(&mut app);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("controller: \"Mine SA\""));
    assert!(!saved.contains("theirs-again-"));
}

#[test]
fn sites_are_created_duplicated_filtered_and_deleted_to_the_trash() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());

    click(&mut app, "Sites: new site");
    app.get_by_label("Site id")
        .set_text_value_accesskit("data.example.org");
    app.run();
    click(&mut app, "Create");
    wait(&mut app, |a| {
        a.docs
            .as_ref()
            .is_some_and(|d| d.get("data.example.org").is_some())
    });
    let created = dir.path().join("data.example.org.ron");
    let ws = policydesk::store::load_sites(dir.path());
    let site = &ws
        .site("data.example.org")
        .expect("the new file loads")
        .site;
    assert_eq!(site.base_url.as_str(), "https://data.example.org/");
    assert_eq!(
        site.cookies.iter().map(|c| c.name()).collect::<Vec<_>>(),
        [
            "sessionid",
            "csrftoken",
            "cookies_preferences",
            "django_language"
        ],
        "the platform's cookies, as declared"
    );
    assert!(created.is_file());

    click(&mut app, "Sites: duplicate the selected site");
    app.get_by_label("New site id")
        .set_text_value_accesskit("copy.example.org");
    app.run();
    click(&mut app, "Duplicate");
    wait(&mut app, |a| {
        a.docs
            .as_ref()
            .is_some_and(|d| d.get("copy.example.org").is_some())
    });
    assert!(dir.path().join("copy.example.org.ron").is_file());

    app.get_by_label("Sites: filter")
        .set_text_value_accesskit("example");
    app.run();
    assert!(has(&app, "Sites: copy.example.org") && has(&app, "Sites: data.example.org"));
    assert!(!has(&app, "Sites: dashboard.paris"));

    // Delete asks first; the file goes to the trash, not away.
    click(&mut app, "Sites: copy.example.org");
    click(&mut app, "Sites: delete the selected site");
    assert!(has(&app, "Delete copy.example.org?"));
    click(&mut app, "Move to trash");
    wait(&mut app, |a| {
        a.docs
            .as_ref()
            .is_some_and(|d| d.get("copy.example.org").is_none())
    });
    assert!(!dir.path().join("copy.example.org.ron").exists());
    let trashed: Vec<_> = std::fs::read_dir(dir.path().join(".trash"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(trashed.len(), 1);
    assert!(
        trashed[0]
            .file_name()
            .to_string_lossy()
            .starts_with("copy.example.org.ron")
    );
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    click(&mut app, "Sites: dashboard.paris");
    app.get_by_label("Controller")
        .set_text_value_accesskit("Someone else");
    app.run();
    app.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    app.run();
    assert!(has(&app, "Unsaved changes"));
    assert!(has(&app, "Save all and close") && has(&app, "Close without saving"));
    click(&mut app, "Dialog: cancel");
    assert!(!has(&app, "Unsaved changes"));
    assert!(has_containing(&app, "unsaved"), "the edit is still there");
}
