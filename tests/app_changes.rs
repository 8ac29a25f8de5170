//! The preview's "Changes since last export": nothing before a first export, then the edits
//! made since, as `policydesk diff` names them; the last export is remembered between runs.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use std::path::Path;

use app_support::{App, click, has, has_containing, idle, open, wait};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policydesk::app::{ExportCommand, ExportRequest, ExportScope, PolicyDeskApp, Settings};

const TOGGLE: &str = "Changes since last export";

fn export_all(app: &mut App, out: &Path) {
    let ids = app.state().export_ids(ExportScope::All);
    app.state_mut().push(ExportCommand::Run(ExportRequest::new(
        ids,
        out.to_path_buf(),
        true,
    )));
    app.run();
    idle(app);
    assert!(out.is_file(), "the export was written");
    click(app, "Export finished: close");
}

fn type_into(app: &mut App, field: &str, text: &str) {
    app.get_by_label(field).set_text_value_accesskit(text);
    app.run();
}

#[test]
fn the_preview_shows_the_edits_made_since_the_last_export() {
    let dir = common::copy_of_sites();
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("published.zip");
    let mut app = open(dir.path());
    click(&mut app, "Sites: dashboard.paris");
    click(&mut app, TOGGLE);
    assert!(has_containing(&app, "No previous export"));

    export_all(&mut app, &out);
    assert_eq!(
        app.state().settings.last_export.as_deref(),
        Some(out.as_path())
    );
    idle(&mut app);
    assert!(
        has(&app, "No changes since the last export."),
        "right after exporting"
    );

    // A published field changed without a new version: the change and the two findings.
    type_into(&mut app, "Name", "Paris dashboard");
    assert!(has_containing(
        &app,
        "name: \"Paris dashboard portal\" → \"Paris dashboard\""
    ));
    assert!(has_containing(
        &app,
        "version-not-advanced: the published content changed but policy_version is still \"1\""
    ));
    assert!(has_containing(&app, "last_review is still \"2026-11-23\""));
    assert!(!has_containing(&app, "No changes since"));

    // Version and review date moved forward: the findings go, the changes stay.
    type_into(&mut app, "Policy version", "2");
    type_into(&mut app, "Last review", "2026-12-01");
    assert!(has_containing(&app, "policy_version: \"1\" → \"2\""));
    assert!(has_containing(
        &app,
        "last_review: \"2026-11-23\" → \"2026-12-01\""
    ));
    assert!(!has_containing(&app, "version-not-advanced"));

    // Another site, untouched, has none.
    click(&mut app, "Sites: dataviz.totalenergies.com");
    assert!(has(&app, "No changes since the last export."));

    // The policy comes back when the toggle is off.
    click(&mut app, TOGGLE);
    assert!(!has_containing(&app, "No changes since"));
}

#[test]
fn the_last_export_is_remembered_between_runs() {
    let dir = common::copy_of_sites();
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("published.zip");
    {
        let mut app = open(dir.path());
        export_all(&mut app, &out);
    }
    // Edited outside the app after the export: a cookie's platform row removed.
    let file = dir.path().join("dashboard.paris.ron");
    let text = std::fs::read_to_string(&file).expect("site file");
    let row = "        Platform(\n            name: \"django_language\",\n        ),\n";
    assert!(text.contains(row));
    std::fs::write(&file, text.replacen(row, "", 1)).expect("write");

    // The next run starts with the remembered settings, as eframe's storage hands them back.
    let settings = Settings {
        last_export: Some(out.clone()),
        selected: Some("dashboard.paris".into()),
        ..Default::default()
    };
    let sites = dir.path().to_path_buf();
    let mut app: App = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(5_000)
        .build_eframe(move |cc| PolicyDeskApp::with_settings(&cc.egui_ctx, Some(sites), settings));
    wait(&mut app, |app| app.docs.is_some());
    click(&mut app, TOGGLE);
    idle(&mut app);
    assert!(
        has_containing(&app, "- cookie django_language (Opendatasoft, preferences"),
        "the removed cookie is listed"
    );
    assert!(has_containing(&app, &out.display().to_string()));

    // A last export that is gone says so, naming it.
    std::fs::remove_file(&out).expect("remove");
    let mut app = open(dir.path());
    app.state_mut().settings.last_export = Some(out.clone());
    click(&mut app, "Sites: dashboard.paris");
    click(&mut app, TOGGLE);
    idle(&mut app);
    assert!(has_containing(
        &app,
        &format!("The last export cannot be read: {}", out.display())
    ));
}
