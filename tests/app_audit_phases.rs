//! The app's audit view on a browser audit: the engine used, each phase's banner and what was
//! clicked, the items of every phase side by side, the screenshots, consent findings first.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has, has_containing, open};
use common::copy_of_sites;
use egui_kittest::kittest::Queryable;
use serde_json::json;

/// A small PNG, as the browser engine saves one per phase.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&vec![200; (width * height * 4) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

fn finding(
    kind: &str,
    severity: &str,
    cookie: &str,
    phase: Option<&str>,
    message: &str,
) -> serde_json::Value {
    json!({
        "kind": kind, "severity": severity, "site": "dashboard.paris", "cookie": cookie,
        "host": "127.0.0.1", "evidence": null, "message": message, "phase": phase
    })
}

fn item(name: &str, storage: &str, phases: &[&str]) -> serde_json::Value {
    json!({
        "name": name, "domain": "127.0.0.1", "path": "/", "lifetime_seconds": null,
        "secure": false, "http_only": false, "same_site": null, "source": "script",
        "service": null, "evidence": "", "url": "http://127.0.0.1/", "storage": storage,
        "phases": phases
    })
}

#[test]
fn a_browser_audit_shows_its_phases_side_by_side_with_consent_findings_first() {
    let sites = copy_of_sites();
    let audits = sites.path().join(".audits/dashboard.paris");
    std::fs::create_dir_all(&audits).unwrap();
    let phase = |name: &str, clicked: Option<&str>, how: &str| {
        let shot = format!("20261124T120000Z-{name}.png");
        std::fs::write(audits.join(&shot), png(64, 40)).unwrap();
        json!({
            "name": name,
            "banner": { "found": true, "clicked": clicked, "how": how },
            "error": null,
            "screenshot": shot
        })
    };
    let report = json!({
        "tool": "PolicyDesk", "version": "0.1.0", "generated_at": "2026-11-24T12:00:00Z",
        "sites": [{
            "site": "dashboard.paris", "url": "http://127.0.0.1:8000/", "engine": "browser",
            "phases": [
                phase("first_visit", None, "Didomi: accept #didomi-notice-agree-button, reject #didomi-notice-disagree-button"),
                phase("after_reject", Some("reject"), "Didomi: accept #didomi-notice-agree-button, reject #didomi-notice-disagree-button; clicked reject"),
                phase("after_accept", Some("accept"), "Didomi: accept #didomi-notice-agree-button, reject #didomi-notice-disagree-button; clicked accept"),
            ],
            "error": null, "requests": [], "third_party_hosts": [],
            "observed": [
                item("_ga", "cookie", &["first_visit", "after_reject", "after_accept"]),
                item("stat_ls", "local_storage", &["after_accept"]),
            ],
            "findings": [
                finding("undeclared_third_party_host", "warning", "", None, "the pages load from cdn.example"),
                finding("set_before_consent", "error", "_ga", Some("first_visit"), "_ga is stored on a first visit, before any choice"),
            ],
            "changes": null
        }]
    });
    std::fs::write(
        audits.join("20261124T120000Z.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();

    let mut app = open(sites.path());
    click(&mut app, "Sites: dashboard.paris");
    click(&mut app, "Toolbar: Audit");
    assert!(has_containing(&app, "Engine: browser (Chromium), 3 phases"));
    // Each phase: the banner, what was clicked, how.
    assert!(has_containing(
        &app,
        "Didomi: accept #didomi-notice-agree-button"
    ));
    assert!(has_containing(&app, "; clicked reject"));
    assert!(has_containing(&app, "; clicked accept"));
    // The items side by side: _ga in all three phases, the storage item only after accept.
    assert!(has(&app, "_ga (127.0.0.1)"));
    assert!(has(&app, "stat_ls (127.0.0.1)"));
    assert!(has(&app, "localStorage"));
    // Three marks for _ga, one for stat_ls (the app may show the mark elsewhere too).
    assert!(app.query_all_by_label("✔").count() >= 4);
    assert_eq!(
        app.query_all_by_label("–").count(),
        2,
        "stat_ls before accept"
    );
    // The screenshots, one per phase.
    for name in ["first_visit", "after_reject", "after_accept"] {
        assert!(has(&app, &format!("Screenshot after {name}")), "{name}");
    }
    // The consent finding is listed before the warning that came first in the report.
    let consent = app.get_by_label("set_before_consent (first_visit)").rect();
    let other = app.get_by_label("undeclared_third_party_host").rect();
    assert!(consent.min.y < other.min.y, "{consent:?} vs {other:?}");
    // The engine for the next audit can be chosen.
    assert!(has(&app, "Audit engine"));
}
