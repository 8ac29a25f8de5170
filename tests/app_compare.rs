//! Side by side: the cookie matrix shows the seeds' known difference (only dashboard.paris
//! publishes durations), previews highlight what differs, and a cell opens its cookie.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has, has_containing, open};
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn the_matrix_shows_that_only_dashboard_paris_publishes_durations() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    click(&mut app, "Toolbar: Side by side");
    // Compare all three portals.
    for id in [
        "dashboard.paris",
        "dataviz.totalenergies.com",
        "tneacademiegrenoble.opendatasoft.com",
    ] {
        let label = format!("Sites: compare {id}");
        if !app.state().settings.compared.iter().any(|c| c == id) {
            click(&mut app, &label);
        }
    }
    click(&mut app, "Side by side language EN");

    let cell = |app: &app_support::App, cookie: &str, site: &str| {
        app.get_by_label_contains(&format!("{cookie} on {site}:"))
            .accesskit_node()
            .label()
            .unwrap_or_default()
    };
    for cookie in [
        "sessionid",
        "csrftoken",
        "cookies_preferences",
        "django_language",
    ] {
        let paris = cell(&app, cookie, "dashboard.paris");
        assert!(!paris.contains("no duration published"), "{paris}");
        assert!(
            paris.contains("differs") && paris.contains("duration"),
            "{paris}"
        );
        for other in [
            "dataviz.totalenergies.com",
            "tneacademiegrenoble.opendatasoft.com",
        ] {
            let text = cell(&app, cookie, other);
            assert!(text.contains("no duration published"), "{text}");
        }
    }
    let published = app_support::published_duration("dashboard.paris", "sessionid", "en");
    assert!(cell(&app, "sessionid", "dashboard.paris").contains(&published));

    // A cell opens that cookie of that site in the editor.
    let target = app.get_by_label_contains("csrftoken on dataviz.totalenergies.com:");
    target.click();
    app.run();
    assert_eq!(
        app.state().settings.selected.as_deref(),
        Some("dataviz.totalenergies.com")
    );
    assert!(has(&app, "Cookie csrftoken"));
    assert!(
        has(&app, "Override Duration (EN)"),
        "the cookie's form is open"
    );
}

#[test]
fn previews_side_by_side_highlight_rows_that_differ() {
    let dir = common::copy_of_sites();
    let mut app = open(dir.path());
    click(&mut app, "Toolbar: Side by side");
    click(&mut app, "Previews");
    // Two sites by default; both previews are drawn, each with its own table.
    assert!(has_containing(&app, "https://dashboard.paris/"));
    assert!(has_containing(&app, "https://dataviz.totalenergies.com/"));
    assert!(has(&app, "differs from at least one other compared site"));
    let marks = app.state().compare_marks();
    assert_eq!(marks.len(), 2);
    // The two portals' tables differ (one has durations): every table row is marked in both.
    for m in &marks {
        let rows: Vec<bool> = m.rows.iter().flatten().copied().collect();
        assert!(!rows.is_empty() && rows.iter().all(|r| *r), "{rows:?}");
    }
    // Text they share word for word is not marked: some blocks are, some are not.
    for m in &marks {
        assert!(m.blocks.iter().any(|b| *b) && m.blocks.iter().any(|b| !*b));
    }
}
