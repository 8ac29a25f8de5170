//! Open folder… and Export… where the desktop has no system file dialog (no xdg portal, no
//! zenity): the app's own dialog asks instead, and its answer does what the system's would.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{App, click, has, has_containing, idle, wait};
use policydesk::app::DialogKind;

/// Two sites folders side by side, the app open on the first with its own file dialog.
fn setup() -> (tempfile::TempDir, App) {
    let root = tempfile::tempdir().unwrap();
    for name in ["sites", "other-sites"] {
        policydesk::store::bundled::install_into(&root.path().join(name)).unwrap();
    }
    // egui_file leaves its path and file name fields without an accessible name, so kittest's
    // check that every widget has one is off here (the rest of the app keeps it on).
    let mut app = app_support::open_checked(&root.path().join("sites"), false);
    app.state_mut().set_file_dialog(DialogKind::Builtin);
    (root, app)
}

#[test]
fn open_folder_without_a_system_dialog_asks_in_the_app_and_opens_the_choice() {
    let (root, mut app) = setup();
    click(&mut app, "Toolbar: Open folder…");
    assert!(
        has_containing(&app, "Open a sites folder"),
        "the app's own dialog is shown"
    );
    // It starts beside the open folder, listing both.
    click(&mut app, "🗀 other-sites");
    click(&mut app, "Open");
    let other = root.path().join("other-sites");
    wait(&mut app, |a| {
        a.docs.as_ref().is_some_and(|d| d.dir == other)
    });
    assert!(
        !has_containing(&app, "Open a sites folder"),
        "the dialog closed"
    );
    assert_eq!(
        app.state().settings.last_dir.as_deref(),
        Some(other.as_path())
    );
}

#[test]
fn cancelling_the_app_dialog_changes_nothing() {
    let (root, mut app) = setup();
    click(&mut app, "Toolbar: Open folder…");
    click(&mut app, "Cancel");
    idle(&mut app);
    assert!(!has_containing(&app, "Open a sites folder"));
    let dir = app.state().docs.as_ref().map(|d| d.dir.clone());
    assert_eq!(dir, Some(root.path().join("sites")));
}

#[test]
fn export_without_a_system_dialog_asks_in_the_app_and_writes_the_bundle() {
    let (root, mut app) = setup();
    click(&mut app, "Toolbar: Export");
    click(&mut app, "Export all sites…");
    assert!(has_containing(&app, "Export to a new folder"));
    // The name offered is kept; Save exports beside the sites folder.
    click(&mut app, "Save");
    idle(&mut app);
    assert!(has(&app, "Export finished"));
    let bundles: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("manifest.json").is_file())
        .collect();
    assert_eq!(bundles.len(), 1, "{bundles:?}");
    let name = bundles[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("policies-"), "{name}");
    let report = policydesk::export::verify(&bundles[0]).unwrap();
    assert!(report.matches(), "{report:?}");
}
