//! Exporting from the app. The system file dialog cannot run here, so each test sends the
//! command the dialog sends once a path is chosen, and goes on from there as a user would.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use std::io::Read;
use std::path::Path;

use tempfile::TempDir;

use app_support::{App, click, has, has_containing, idle, open};
use egui_kittest::kittest::{NodeT, Queryable};
use policydesk::app::{ExportCommand, ExportRequest, ExportScope, ViewCommand};
use policydesk::export::verify;

/// What the file dialog sends once the user has chosen `out`.
fn choose(app: &mut App, scope: ExportScope, out: &Path, zip: bool) {
    let ids = app.state().export_ids(scope);
    app.state_mut().push(ExportCommand::Run(ExportRequest::new(
        ids,
        out.to_path_buf(),
        zip,
    )));
    app.run();
}

/// The bundle folders (site ids) of a verified bundle, from its manifest.
fn bundled_sites(out: &Path) -> Vec<String> {
    let report = verify(out).expect("the bundle can be read");
    assert!(
        report.matches(),
        "the bundle matches its manifest: {report:?}"
    );
    let manifest: serde_json::Value = if out.is_dir() {
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
    } else {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(out).unwrap()).unwrap();
        let mut text = String::new();
        zip.by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let mut sites: Vec<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str()?.strip_suffix("/site.ron"))
        .map(str::to_string)
        .collect();
    sites.sort();
    sites
}

/// The app on a copy of the bundled sites, and an empty folder to export into.
fn setup() -> (TempDir, TempDir, App) {
    let dir = common::copy_of_sites();
    let app = open(dir.path());
    (dir, tempfile::tempdir().unwrap(), app)
}

fn edit_controller(app: &mut App, site: &str, to: &str) {
    click(app, &format!("Sites: {site}"));
    app.get_by_label("Controller").set_text_value_accesskit(to);
    app.run();
}

#[test]
fn the_selected_site_exports_to_a_folder_that_verifies() {
    let (_dir, out_dir, mut app) = setup();
    let out = out_dir.path().join("bundle");
    click(&mut app, "Sites: dataviz.totalenergies.com");

    choose(&mut app, ExportScope::Selected, &out, false);
    idle(&mut app);
    assert_eq!(bundled_sites(&out), ["dataviz.totalenergies.com"]);
    assert!(has(&app, "Export finished"));
    assert!(has_containing(&app, "Exported 1 site ("));
    assert!(has_containing(&app, &format!("to {}", out.display())));
    assert!(has(&app, "Export finished: open folder"));
    click(&mut app, "Export finished: close");
    assert!(!has(&app, "Export finished"));
}

#[test]
fn all_sites_export_to_a_zip() {
    let (_dir, out_dir, mut app) = setup();
    let out = out_dir.path().join("all.zip");

    choose(&mut app, ExportScope::All, &out, true);
    idle(&mut app);
    assert!(out.is_file());
    assert_eq!(
        bundled_sites(&out),
        [
            "dashboard.paris",
            "dataviz.totalenergies.com",
            "tneacademiegrenoble.opendatasoft.com"
        ]
    );
    assert!(has_containing(&app, "Exported 3 sites ("));
}

#[test]
fn the_menu_offers_the_side_by_side_selection_only_with_two_to_four_sites() {
    let (_dir, out_dir, mut app) = setup();
    click(&mut app, "Toolbar: Export");
    assert!(has(&app, "Export selected site…") && has(&app, "Export all sites…"));
    assert!(has(&app, "A folder") && has(&app, "A zip file"));
    // Nothing ticked for the side-by-side view yet.
    assert!(app.state().settings.compared.is_empty());
    assert!(
        app.get_by_label("Export side-by-side selection…")
            .accesskit_node()
            .is_disabled()
    );
    assert!(app.state().export_ids(ExportScope::Compared).is_empty());

    for id in ["dashboard.paris", "tneacademiegrenoble.opendatasoft.com"] {
        app.state_mut().push(ViewCommand::ToggleCompared(id.into()));
    }
    idle(&mut app);
    assert!(
        !app.get_by_label("Export side-by-side selection…")
            .accesskit_node()
            .is_disabled()
    );
    let out = out_dir.path().join("pair");
    choose(&mut app, ExportScope::Compared, &out, false);
    idle(&mut app);
    assert_eq!(
        bundled_sites(&out),
        ["dashboard.paris", "tneacademiegrenoble.opendatasoft.com"]
    );
}

#[test]
fn unsaved_changes_are_asked_about_first() {
    let (dir, out_dir, mut app) = setup();
    let file = dir.path().join("dashboard.paris.ron");
    edit_controller(&mut app, "dashboard.paris", "Edited Controller SA");
    let on_disk = std::fs::read_to_string(&file).unwrap();

    // Cancel: nothing written.
    let cancelled = out_dir.path().join("cancelled");
    choose(&mut app, ExportScope::Selected, &cancelled, false);
    assert!(has(&app, "Export unsaved changes?"));
    assert!(has_containing(&app, "dashboard.paris"));
    click(&mut app, "Export question: Cancel");
    idle(&mut app);
    assert!(!has(&app, "Export unsaved changes?"));
    assert!(!cancelled.exists());

    // The saved versions: the bundle holds the file on disk, the edit stays unsaved.
    let saved = out_dir.path().join("saved");
    choose(&mut app, ExportScope::Selected, &saved, false);
    click(&mut app, "Export question: Export saved versions");
    idle(&mut app);
    assert_eq!(bundled_sites(&saved), ["dashboard.paris"]);
    let bundled = std::fs::read_to_string(saved.join("dashboard.paris/site.ron")).unwrap();
    assert_eq!(bundled, on_disk);
    assert!(!bundled.contains("Edited Controller SA"));
    assert!(app.state().docs.as_ref().unwrap().dirty_count() == 1);
    click(&mut app, "Export finished: close");

    // Save and export: saved through the usual path, then exported.
    let fresh = out_dir.path().join("fresh");
    choose(&mut app, ExportScope::Selected, &fresh, false);
    click(&mut app, "Export question: Save and export");
    idle(&mut app);
    let now_on_disk = std::fs::read_to_string(&file).unwrap();
    assert!(now_on_disk.contains("Edited Controller SA"));
    assert_eq!(app.state().docs.as_ref().unwrap().dirty_count(), 0);
    assert_eq!(bundled_sites(&fresh), ["dashboard.paris"]);
    assert_eq!(
        std::fs::read_to_string(fresh.join("dashboard.paris/site.ron")).unwrap(),
        now_on_disk
    );
}

#[test]
fn save_and_export_stops_at_a_conflict_the_user_cancels() {
    let (dir, out_dir, mut app) = setup();
    let file = dir.path().join("dashboard.paris.ron");
    let out = out_dir.path().join("bundle");
    edit_controller(&mut app, "dashboard.paris", "Mine SA");
    // Another program changes the file meanwhile.
    let theirs = std::fs::read_to_string(&file)
        .unwrap()
        .replace("policy_version: \"", "policy_version: \"theirs-");
    std::fs::write(&file, &theirs).unwrap();

    choose(&mut app, ExportScope::Selected, &out, false);
    click(&mut app, "Export question: Save and export");
    idle(&mut app);
    assert!(has(&app, "The file changed on disk"));
    click(&mut app, "Dialog: cancel");
    idle(&mut app);
    assert!(!out.exists(), "nothing exported");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    assert!(has_containing(
        &app,
        "Nothing exported: dashboard.paris could not be saved"
    ));
}

#[test]
fn an_existing_export_is_replaced_only_when_the_user_agrees() {
    let (_dir, out_dir, mut app) = setup();
    let out = out_dir.path().join("bundle");
    click(&mut app, "Sites: dashboard.paris");
    choose(&mut app, ExportScope::Selected, &out, false);
    idle(&mut app);
    click(&mut app, "Export finished: close");
    let marker = out.join("notes.txt");
    std::fs::write(&marker, "kept until replaced").unwrap();

    choose(&mut app, ExportScope::All, &out, false);
    idle(&mut app);
    assert!(has(&app, "Replace the existing export?"));
    click(&mut app, "Export question: Cancel");
    idle(&mut app);
    assert!(marker.is_file(), "nothing replaced");
    assert!(!has(&app, "Export finished"));

    choose(&mut app, ExportScope::All, &out, false);
    idle(&mut app);
    click(&mut app, "Export question: Replace");
    idle(&mut app);
    assert!(!marker.exists());
    assert_eq!(bundled_sites(&out).len(), 3);
    assert!(has(&app, "Export finished"));
}

#[test]
fn a_folder_of_other_files_is_never_replaced() {
    let (_dir, out_dir, mut app) = setup();
    let keep = out_dir.path().join("keep.txt");
    std::fs::write(&keep, "mine").unwrap();

    choose(&mut app, ExportScope::All, out_dir.path(), false);
    idle(&mut app);
    assert!(!has(&app, "Replace the existing export?"));
    assert!(has_containing(&app, "is a folder holding other files"));
    assert!(has_containing(&app, &out_dir.path().display().to_string()));
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "mine");
}

#[test]
fn an_export_under_way_shows_its_progress_and_cancels() {
    let dir = common::copy_of_sites();
    // Enough sites that the export is still running when Cancel is clicked.
    let source = std::fs::read(dir.path().join("dashboard.paris.ron")).unwrap();
    for i in 0..400 {
        std::fs::write(dir.path().join(format!("copy-{i:03}.ron")), &source).unwrap();
    }
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("big.zip");
    let mut app = open(dir.path());

    choose(&mut app, ExportScope::All, &out, true);
    assert!(has(&app, "Exporting"));
    assert!(has_containing(&app, "of 403 sites"));
    click(&mut app, "Exporting: cancel");
    idle(&mut app);
    assert!(has_containing(&app, "Export cancelled"));
    assert!(!has(&app, "Exporting"));
    assert!(!out.exists(), "nothing at the chosen path");
    let left: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .flatten()
        .collect();
    assert!(left.is_empty(), "no staging folder left: {left:?}");
}
