//! The audit as a user runs it: `policydesk audit SITE --url http://127.0.0.1:PORT/` against a
//! local copy of a portal, judged on its findings, its JSON, its exit code and its history.

mod audit_support;
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use audit_support::{Reply, Server, policy_html};
use common::{copy_of_sites, policydesk, stderr, stdout};
use policydesk::store::load_sites;
use serde_json::Value;

/// The four platform cookies, set as the platform file declares them.
fn platform_cookies(reply: Reply) -> Reply {
    reply
        .with(
            "Set-Cookie",
            "csrftoken=t0k3n; Max-Age=31449600; Path=/; SameSite=Lax",
        )
        .with(
            "Set-Cookie",
            "sessionid=s3ss; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax",
        )
        .with("Set-Cookie", "django_language=fr; Max-Age=31536000; Path=/")
        .with(
            "Set-Cookie",
            "cookies_preferences=%7B%7D; Max-Age=15778476; Path=/",
        )
}

fn audit_json(sites: &std::path::Path, url: &str) -> (Option<i32>, Value, String) {
    common::audit_paris_json(sites, url)
}

fn findings(json: &Value) -> Vec<(String, String, String)> {
    json["sites"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (
                s("kind"),
                s("severity"),
                if f["cookie"].is_null() {
                    s("host")
                } else {
                    s("cookie")
                },
            )
        })
        .collect()
}

#[test]
fn a_faithful_copy_of_a_portal_gives_no_warning_or_error() {
    let sites = copy_of_sites();
    let policy = policy_html(sites.path(), "dashboard.paris", "fr");
    let server = Server::start(move |path| {
        if path.starts_with("/terms/cookies-policy") {
            Reply::html(&policy)
        } else {
            platform_cookies(Reply::html(
                "<html lang=\"fr\"><body><h1>Paris</h1></body></html>",
            ))
        }
    });
    let (code, json, err) = audit_json(sites.path(), &server.url("/"));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(json["tool"], "PolicyDesk");
    assert!(json["generated_at"].as_str().unwrap().ends_with('Z'));
    let site = &json["sites"][0];
    assert_eq!(site["site"], "dashboard.paris");
    assert_eq!(site["url"], server.url("/"));
    assert!(site["error"].is_null());
    assert_eq!(site["requests"][0]["status"], 200);
    assert_eq!(
        site["requests"][0]["set_cookie"].as_array().unwrap().len(),
        4
    );
    let mut names: Vec<&str> = site["observed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cookies_preferences",
            "csrftoken",
            "django_language",
            "sessionid"
        ]
    );
    let session = site["observed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "sessionid")
        .unwrap();
    assert_eq!(session["lifetime_seconds"], 1_209_600);
    assert_eq!(session["source"], "header");
    assert_eq!(session["http_only"], true);
    assert_eq!(session["same_site"], "Lax");
    assert_eq!(findings(&json), vec![], "a faithful copy is clean");
    assert!(site["third_party_hosts"].as_array().unwrap().is_empty());
}

#[test]
fn an_unfaithful_portal_gets_the_findings_a_compliance_officer_expects() {
    let sites = copy_of_sites();
    // The live policy adds Hotjar, forgets django_language and words a duration differently.
    let policy = policy_html(sites.path(), "dashboard.paris", "fr")
        .replace(
            "<tr id=\"cookie-django_language\">",
            "<tr><td>Hotjar</td><td>_hjSession_*</td><td>30 minutes</td><td>Stats</td></tr><tr hidden id=\"x\">",
        )
        .replace("<td>django_language</td>", "<td></td>")
        .replace("<td>2 semaines par défaut</td>", "<td>1 mois</td>");
    let home = r#"<html lang="fr"><head>
        <script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
        <script src="https://cdn.example-widgets.net/w.js"></script>
        <script>document.cookie = "ab_test=b; max-age=" + 60*60*24*800 + "; path=/";</script>
        </head><body><iframe src="https://www.youtube.com/embed/abc"></iframe></body></html>"#;
    let server = Server::start(move |path| {
        if path.starts_with("/terms/cookies-policy") {
            Reply::html(&policy)
        } else {
            Reply::html(home)
                // A year instead of the two weeks declared.
                .with(
                    "Set-Cookie",
                    "sessionid=s; Max-Age=31536000; Path=/; HttpOnly",
                )
                .with("Set-Cookie", "tracker=1; Max-Age=63072000; Path=/")
        }
    });
    let (code, json, err) = audit_json(sites.path(), &server.url("/"));
    assert_eq!(code, Some(1), "errors give exit 1: {err}");
    let found = findings(&json);
    let has = |kind: &str, severity: &str, what: &str| {
        assert!(
            found
                .iter()
                .any(|f| f.0 == kind && f.1 == severity && f.2 == what),
            "missing {kind} {severity} {what} in {found:#?}"
        )
    };
    has("undeclared", "error", "tracker");
    has("lifetime_over_13_months", "warning", "tracker");
    has("lifetime_exceeds_declared", "error", "sessionid");
    has("undeclared_service", "error", "www.googletagmanager.com");
    has("undeclared_service", "error", "www.youtube.com");
    has(
        "undeclared_third_party_host",
        "warning",
        "cdn.example-widgets.net",
    );
    has("published_policy_drift", "warning", "_hjSession_*");
    has("published_policy_drift", "warning", "django_language");
    has("published_policy_drift", "warning", "sessionid");
    has("not_observed", "info", "csrftoken");
    // The script's cookie: its lifetime is computed at run time, so plain HTTP reports no
    // lifetime for it (not a made-up one), says so in a note, and still finds it undeclared.
    let site = &json["sites"][0];
    assert!(
        !site["observed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "ab_test"),
        "no invented lifetime: {:#}",
        site["observed"]
    );
    let notes = site["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| {
            let n = n.as_str().unwrap();
            n.contains("ab_test") && n.contains("computed at run time") && n.contains("browser")
        }),
        "{notes:#?}"
    );
    has("undeclared", "error", "ab_test");
    let ga = json["sites"][0]["observed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "_ga")
        .unwrap();
    assert_eq!(ga["source"], "inferred");
    assert_eq!(ga["service"], "Google Analytics");
    let evidence = json["sites"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "undeclared" && f["cookie"] == "tracker")
        .unwrap()["evidence"]
        .clone();
    assert_eq!(evidence, "tracker=1; Max-Age=63072000; Path=/");
}

#[test]
fn a_statistics_cookie_declared_as_necessary_is_a_category_mismatch() {
    let sites = copy_of_sites();
    let path = sites.path().join("dashboard.paris.ron");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "    cookies: [\n",
        "    cookies: [\n        Own(name: \"_ga\", provider: \"Google\", category: Necessary, \
         duration: (text: {\"en\": \"2 years\", \"fr\": \"2 ans\"}, value: Seconds(63072000))),\n",
    );
    std::fs::write(&path, text).unwrap();
    let server = Server::start(|_| {
        Reply::html(
            "<script>gtag('config', 'G-1');</script><script>document.cookie='_ga=GA1.1; max-age=63072000'</script>",
        )
    });
    let (_, json, err) = audit_json(sites.path(), &server.url("/"));
    assert!(json["sites"][0]["error"].is_null(), "{err}");
    let found = findings(&json);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "category_mismatch" && f.2 == "_ga"),
        "{found:#?}"
    );
    // Declared as necessary (so exempt from consent) and over 13 months: an error.
    assert!(
        found
            .iter()
            .any(|f| f.0 == "lifetime_over_13_months" && f.1 == "error" && f.2 == "_ga"),
        "{found:#?}"
    );
}

#[test]
fn each_audit_is_saved_and_the_next_lists_what_changed() {
    let sites = copy_of_sites();
    let second_run = Arc::new(AtomicBool::new(false));
    let flag = second_run.clone();
    let server = Server::start(move |_| {
        if flag.load(Ordering::SeqCst) {
            Reply::html("<p>v2</p>")
                .with("Set-Cookie", "sessionid=s; Max-Age=600; HttpOnly")
                .with("Set-Cookie", "newcomer=1")
        } else {
            Reply::html("<p>v1</p>")
                .with("Set-Cookie", "sessionid=s; Max-Age=1209600; HttpOnly")
                .with("Set-Cookie", "csrftoken=t; Max-Age=31449600")
        }
    });
    let (_, first, _) = audit_json(sites.path(), &server.url("/"));
    assert!(first["sites"][0]["changes"].is_null(), "no earlier audit");
    second_run.store(true, Ordering::SeqCst);
    // Audits in the same second still get files of their own, in order.
    let (_, second, _) = audit_json(sites.path(), &server.url("/"));
    let changes = &second["sites"][0]["changes"];
    assert_eq!(changes["since"], first["generated_at"]);
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&changes["appeared"]), ["newcomer"]);
    assert_eq!(names(&changes["disappeared"]), ["csrftoken"]);
    assert_eq!(names(&changes["lifetime_changed"]), ["sessionid"]);
    assert_eq!(changes["lifetime_changed"][0]["before"], 1_209_600);
    assert_eq!(changes["lifetime_changed"][0]["after"], 600);

    let history = sites.path().join(".audits").join("dashboard.paris");
    let files = policydesk::audit::history::audit_files(sites.path(), "dashboard.paris");
    assert_eq!(
        files.len(),
        2,
        "{:?}",
        std::fs::read_dir(&history).unwrap().collect::<Vec<_>>()
    );
    let (latest, report) =
        policydesk::audit::latest_audit(sites.path(), "dashboard.paris").unwrap();
    assert_eq!(latest, files[1]);
    assert_eq!(report.sites.len(), 1);
    assert_eq!(
        serde_json::to_value(&report).unwrap()["generated_at"],
        second["generated_at"]
    );
    // The site files are untouched and still load.
    let ws = load_sites(sites.path());
    assert!(ws.errors.is_empty(), "{:?}", ws.errors);

    // The text output says the same.
    let out = policydesk(&[
        "--sites",
        sites.path().to_str().unwrap(),
        "audit",
        "dashboard.paris",
        "--url",
        &server.url("/"),
        "--engine",
        "http",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "no change since the audit of {}",
            second["generated_at"].as_str().unwrap()
        )),
        "{text}"
    );
}

#[test]
fn usage_errors_and_unreachable_sites_exit_2() {
    let sites = copy_of_sites();
    let dir = sites.path().to_str().unwrap();
    let none = policydesk(&["--sites", dir, "audit"]);
    assert_eq!(none.status.code(), Some(2));
    let unknown = policydesk(&["--sites", dir, "audit", "nowhere.example"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("nowhere.example"));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let out = policydesk(&[
        "--sites",
        dir,
        "audit",
        "--all",
        "--url",
        &dead,
        "--timeout",
        "5",
        "--engine",
        "http",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert_eq!(text.matches("error: could not fetch").count(), 3, "{text}");
    assert!(text.contains(&dead));
}

#[test]
fn the_live_policy_is_compared_in_its_own_language() {
    let sites = copy_of_sites();
    // The English page, without `<html lang>`: the site's default language is French.
    let english =
        policy_html(sites.path(), "dashboard.paris", "en").replace("<html lang=\"en\">", "<html>");
    assert!(!english.contains("lang=\"en\""));
    let server = Server::start(move |path| {
        if path.starts_with("/terms/cookies-policy") {
            Reply::html(&english)
        } else {
            platform_cookies(Reply::html("<html><body><h1>Paris</h1></body></html>"))
        }
    });
    let (_, json, err) = audit_json(sites.path(), &server.url("/"));
    let drift: Vec<_> = findings(&json)
        .into_iter()
        .filter(|f| f.0 == "published_policy_drift")
        .collect();
    assert!(
        drift.is_empty(),
        "English read as French: {drift:#?}\n{err}"
    );
}
