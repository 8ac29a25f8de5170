//! The live audit in the app, against a portal copy served from 127.0.0.1: audit from the UI,
//! read the findings and the evidence, declare a cookie, cancel a stalled audit, and see each
//! site's last audit in the sites panel.
#![cfg(feature = "gui")]

mod app_support;
mod audit_support;
mod common;

use std::time::Duration;

use app_support::{App, click, has, has_containing, open};
use audit_support::{Reply, Server};
use egui_kittest::kittest::Queryable;
use policydesk::model::duration::DAY;
use policydesk::model::text::text_in;
use policydesk::model::{Category, CookieEntry, DurationValue, MatchKind};

const PAGE: &str = "<!doctype html><html><head><title>Portal</title></head>\
                    <body><p>Welcome</p></body></html>";

/// A portal copy whose pages set `cookie` (a raw `Set-Cookie` value), after a short delay so the
/// progress can be seen.
fn portal(cookie: &'static str) -> Server {
    Server::start(move |_| {
        Reply::Delayed(
            Duration::from_millis(150),
            Box::new(Reply::html(PAGE).with("Set-Cookie", cookie)),
        )
    })
}

/// Steps frames (bounded) while the audit runs, as a user watches the spinner.
fn wait_for_audit(app: &mut App) {
    for _ in 0..1500 {
        app.step();
        if !app.state().audit_running() {
            app.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the audit did not end in time");
}

/// Opens the audit view on dashboard.paris, pointed at `url`, and starts the audit.
fn start_audit(app: &mut App, url: &str) {
    click(app, "Sites: dashboard.paris");
    click(app, "Toolbar: Audit");
    app.get_by_label("Audit URL").set_text_value_accesskit(url);
    app.run();
    app.get_by_label("Audit: audit dashboard.paris").click();
    app.step();
    app.step();
}

/// The audits saved (the history folder also holds its index and lock file).
fn audit_files(dir: &std::path::Path) -> usize {
    policydesk::audit::history::audit_files(dir, "dashboard.paris").len()
}

#[test]
fn audit_from_the_ui_lists_an_undeclared_cookie_with_its_evidence_and_declares_it() {
    let server = portal("tracker=1; Max-Age=34560000; Path=/");
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    assert!(
        has_containing(&app, "not audited"),
        "before any audit the sites panel says so"
    );
    start_audit(&mut app, &server.url("/"));
    assert!(app.state().audit_running());
    assert!(has_containing(&app, "of 1 sites"), "progress is shown");
    assert!(has(&app, "Audit: cancel"));
    wait_for_audit(&mut app);
    assert!(!has(&app, "Audit: cancel"), "the progress is gone");

    // The findings table lists the cookie the policy does not declare.
    assert!(has(&app, "undeclared"));
    assert!(has(&app, "tracker"));
    assert_eq!(
        audit_files(dir.path()),
        1,
        "the audit is saved to the history"
    );
    assert!(
        has_containing(&app, "audit ✖"),
        "the sites panel shows the errors of the last audit"
    );

    // Hiding errors hides it; showing them again brings it back.
    app.get_by_label_contains("Errors (").click();
    app.run();
    assert!(!has(&app, "undeclared"));
    assert!(has(&app, "published_policy_drift"), "warnings stay");
    app.get_by_label_contains("Errors (").click();
    app.run();
    assert!(has(&app, "undeclared"));

    // The evidence: the request, its raw Set-Cookie line and its headers.
    app.get_by_label_contains("Requests (").click();
    app.run();
    assert!(has(&app, "Set-Cookie: tracker=1; Max-Age=34560000; Path=/"));
    app.get_all_by_label_contains("Response headers (")
        .next()
        .expect("a hop's headers")
        .click();
    app.run();
    assert!(has_containing(&app, "text/html; charset=utf-8"));

    // Declaring it adds an own declaration, unsaved, selected in the editor for review.
    app.get_all_by_label("Audit: declare tracker")
        .next()
        .expect("a declare button on the finding")
        .click();
    app.run();
    let doc = app_support::doc(app.state(), "dashboard.paris");
    assert!(doc.dirty, "the site is marked unsaved");
    let Some(CookieEntry::Own(decl)) = doc.site().cookies.last() else {
        panic!("no own declaration added");
    };
    assert_eq!(
        (decl.name.as_str(), decl.matching),
        ("tracker", MatchKind::Exact)
    );
    assert_eq!(decl.duration.value, DurationValue::Seconds(400 * DAY));
    assert_eq!(text_in(&decl.duration.text, "en"), "13 months");
    assert_eq!(text_in(&decl.duration.text, "fr"), "13 mois");
    assert!(
        has(&app, "Cookie tracker"),
        "the editor shows the new cookie"
    );
    assert!(has_containing(&app, "unsaved"));
    assert!(doc.history.can_undo(), "it is one undo step");

    // Undo takes it away again.
    app.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    app.run();
    let doc = app_support::doc(app.state(), "dashboard.paris");
    assert!(!doc.site().cookies.iter().any(|c| c.name() == "tracker"));
}

#[test]
fn cancelling_an_audit_of_a_stalled_server_stops_it_and_saves_nothing() {
    let server = Server::start(|_| Reply::Drip(Duration::from_millis(200)));
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    start_audit(&mut app, &server.url("/"));
    for _ in 0..20 {
        app.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(app.state().audit_running(), "the server is still dripping");
    app.get_by_label("Audit: cancel").click();
    let started = std::time::Instant::now();
    wait_for_audit(&mut app);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it stopped well before the 30 s page timeout"
    );
    assert!(has_containing(&app, "Audit cancelled"));
    assert_eq!(audit_files(dir.path()), 0, "a cut-short audit is not saved");
    assert!(has_containing(&app, "not audited"));
}

#[test]
fn the_sites_panel_shows_the_last_audit_and_the_next_audit_shows_what_changed() {
    let dir = common::copy_of_sites();
    {
        let server = portal("tracker=1; Max-Age=600; Path=/");
        let mut app = open(dir.path());
        start_audit(&mut app, &server.url("/"));
        wait_for_audit(&mut app);
        assert!(has(&app, "No earlier audit to compare with."));
    }
    // Reopened: the last audit is read from the history, off the frame.
    let server = portal("newcomer=1; Max-Age=600; Path=/");
    let mut app = open(dir.path());
    assert_eq!(
        app.query_all_by_label_contains("audit ✖").count(),
        1,
        "only dashboard.paris was audited"
    );
    assert_eq!(
        app.query_all_by_label("not audited").count(),
        2,
        "the two other sites"
    );
    start_audit(&mut app, &server.url("/"));
    wait_for_audit(&mut app);
    assert_eq!(audit_files(dir.path()), 2);
    assert!(has_containing(&app, "Changes since the audit of"));
    assert!(has(&app, "+ newcomer on 127.0.0.1 appeared"));
    assert!(has(&app, "− tracker on 127.0.0.1 disappeared"));
}

#[test]
fn declaring_known_cookies_fills_them_from_the_team_catalog_and_the_cookie_database() {
    // The team classifies its own `tracker`; Google Analytics' `_ga_<id>` is in the database.
    let server = Server::start(|_| {
        Reply::html(PAGE)
            .with("Set-Cookie", "tracker=1; Max-Age=86400; Path=/")
            .with("Set-Cookie", "_ga_Q8RZ2X1=GS1.1; Max-Age=31536000; Path=/")
    });
    let dir = common::copy_of_sites();
    std::fs::write(
        dir.path().join("catalog/team.ron"),
        r#"[(name: "tracker", platform: "Our A/B tests", category: Marketing,
            description: "Remembers which variant of a page a visitor saw.", retention: "1 day")]"#,
    )
    .unwrap();
    let mut app = open(dir.path());
    start_audit(&mut app, &server.url("/"));
    wait_for_audit(&mut app);

    for name in ["tracker", "_ga_Q8RZ2X1"] {
        app.get_all_by_label(&format!("Audit: declare {name}"))
            .next()
            .unwrap_or_else(|| panic!("a declare button for {name}"))
            .click();
        app.run();
        // Declaring opens the editor on the new cookie; Ctrl+3 goes back to the audit.
        app.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
        app.run();
    }
    let site = app_support::doc(app.state(), "dashboard.paris").site();
    let own = |name: &str| {
        site.cookies
            .iter()
            .find_map(|c| match c {
                CookieEntry::Own(d) if d.name == name => Some(d.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no declaration {name}"))
    };
    let team = own("tracker");
    assert_eq!(team.category, Category::Marketing, "from the team catalog");
    assert_eq!(team.provider, "Our A/B tests");
    assert_eq!(
        text_in(&team.purpose, "en"),
        "Remembers which variant of a page a visitor saw."
    );
    let ga = own("_ga_");
    assert_eq!(ga.matching, MatchKind::Prefix, "the database's wildcard");
    assert_eq!(ga.category, Category::Statistics);
    assert_eq!(ga.provider, "Google Analytics");
    assert_eq!(
        ga.duration.value,
        DurationValue::Seconds(365 * DAY),
        "as observed"
    );
}
