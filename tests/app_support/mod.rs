//! Driving the app headlessly with egui_kittest (no GPU): open it on a folder and wait for the
//! worker thread as a user waits for the spinner to stop.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policydesk::app::PolicyDeskApp;
use policydesk::app::state::SiteDoc;

pub type App = Harness<'static, PolicyDeskApp>;

/// The app opened on `dir`, with the folder loaded.
pub fn open(dir: &Path) -> App {
    open_checked(dir, true)
}

/// [`open`], with or without kittest's check that every widget has an accessible name.
pub fn open_checked(dir: &Path, accessibility_check: bool) -> App {
    let dir = dir.to_path_buf();
    let mut harness = Harness::builder()
        .with_accessibility_check(accessibility_check)
        .with_size([1400.0, 900.0])
        // `run()` steps until the UI settles: scrolling animates for a few frames, and the spinner
        // keeps repainting while the worker thread is busy, which on a loaded CI machine can take
        // many frames. The cap only stops a UI that never settles.
        .with_max_steps(5_000)
        .build_eframe(move |cc| PolicyDeskApp::new(cc, Some(dir)));
    wait(&mut harness, |app| app.docs.is_some());
    harness
}

/// Steps frames until the worker is idle and `done` holds (at most a few seconds), then lets the
/// UI settle.
pub fn wait(harness: &mut App, done: impl Fn(&PolicyDeskApp) -> bool) {
    for _ in 0..1000 {
        harness.step();
        if !harness.state().is_busy() && done(harness.state()) {
            harness.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the app did not finish its background work in time");
}

/// Waits for the worker to finish what it was asked.
pub fn idle(harness: &mut App) {
    wait(harness, |_| true);
}

/// The open site `id`, as edited.
pub fn doc<'a>(app: &'a PolicyDeskApp, id: &str) -> &'a SiteDoc {
    app.docs
        .as_ref()
        .and_then(|d| d.get(id))
        .unwrap_or_else(|| panic!("{id} is not open"))
}

/// Scrolls the control named `label` into view and clicks it, as a user would.
pub fn click(harness: &mut App, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

pub fn has(harness: &App, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

pub fn has_containing(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// The duration `site` publishes for `cookie` in `lang`, read from the bundled sample sites, so
/// a test follows their wording instead of repeating it.
pub fn published_duration(site: &str, cookie: &str, lang: &str) -> String {
    let ws = policydesk::store::load_sites(&crate::common::bundled_sites());
    let file = ws.site(site).expect("a bundled site");
    let decls = file.site.resolved_cookies(ws.platform_of(&file.site));
    let decl = decls
        .iter()
        .find(|d| d.name == cookie)
        .expect("a declared cookie");
    file.site
        .published_duration(decl, lang)
        .expect("a published duration")
        .to_string()
}
