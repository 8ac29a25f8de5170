//! The cookie knowledge base as a user meets it: `policydesk lookup`, the team's catalog, and
//! the audit classifying what a portal sets.

mod audit_support;
mod common;

use audit_support::{Reply, Server};
use common::{copy_of_sites, policydesk, stdout};
use policydesk::knowledge::{Knowledge, Layer, Query};
use policydesk::model::Category;
use serde_json::Value;

fn answer_of(name: &str) -> Vec<(Layer, String, Category, bool)> {
    Knowledge::bundled()
        .classify(&Query::name(name))
        .matches
        .iter()
        .map(|e| (e.layer, e.platform.clone(), e.category, e.wildcard))
        .collect()
}

#[test]
fn exact_names_come_back_with_platform_category_and_retention() {
    let answer = Knowledge::bundled().classify(&Query::name("_gid"));
    let gid = answer.single().expect("one entry for _gid");
    assert_eq!(gid.layer, Layer::OpenCookieDatabase);
    assert_eq!(gid.platform, "Google Analytics");
    assert_eq!(gid.category, Category::Statistics);
    assert_eq!(gid.retention, "24 hours");
    assert_eq!(gid.info().retention_seconds, Some(86_400));

    // A name the service catalog knows answers from it; the database's row is overridden.
    let ga = Knowledge::bundled().classify(&Query::name("_ga"));
    assert_eq!(ga.layer(), Some(Layer::ServiceCatalog));
    assert!(
        ga.overridden
            .iter()
            .any(|e| e.layer == Layer::OpenCookieDatabase)
    );
    assert!(
        Knowledge::bundled()
            .classify(&Query::name("no_such_cookie_here"))
            .matches
            .is_empty()
    );
}

#[test]
fn prefix_wildcards_match_names_with_ids() {
    use Layer::*;
    assert_eq!(
        answer_of("_ga_Q8RZ2X1"),
        [(
            ServiceCatalog,
            "Google Analytics".into(),
            Category::Statistics,
            true
        )]
    );
    assert_eq!(
        answer_of("_hjSessionUser_3089771"),
        [(ServiceCatalog, "Hotjar".into(), Category::Statistics, true)]
    );
    // Matomo: `_pk_id.` + site id + visitor id; the database knows it as Piwik's.
    let pk = Knowledge::bundled().classify(&Query::name("_pk_id.1.1fff"));
    assert_eq!(pk.single().map(|e| e.platform.as_str()), Some("Matomo"));
    assert!(
        pk.overridden
            .iter()
            .any(|e| e.platform == "Piwik" && e.wildcard)
    );
    // A prefix only the database has.
    assert_eq!(
        answer_of(".AspNetCore.Antiforgery.Xq9u2"),
        [(
            OpenCookieDatabase,
            "Microsoft".into(),
            Category::Security,
            true
        )]
    );
    // A prefix never matches the bare name it extends, nor a name that merely contains it.
    assert!(answer_of("x_hjSessionUser_1").is_empty());
    assert!(!answer_of("_ga")[0].3, "_ga is an exact name");
}

#[test]
fn a_name_two_platforms_use_is_returned_as_two_candidates() {
    let answer = Knowledge::bundled().classify(&Query::name("euconsent-v2"));
    let mut platforms: Vec<&str> = answer.matches.iter().map(|e| e.platform.as_str()).collect();
    platforms.sort();
    assert_eq!(platforms, ["Didomi", "PrivacyPillar"]);
    assert!(answer.single().is_none());
    // Never silently one of them: no category alarm either.
    assert!(answer.category_differs(Category::Marketing).is_none());
}

#[test]
fn instagram_s_sessionid_does_not_classify_a_portal_s_own() {
    let on_portal = Query {
        domain: Some("data.example-portal.org"),
        first_party: Some("data.example-portal.org"),
        site_platform: Some(None),
        ..Query::name("ds_user_id")
    };
    let answer = Knowledge::bundled().classify(&on_portal);
    assert!(answer.matches.is_empty(), "{:?}", answer.matches);
    assert_eq!(answer.elsewhere[0].platform, "Instagram");
    // On Instagram's own domain the entry applies.
    let on_instagram = Query {
        domain: Some("www.instagram.com"),
        ..on_portal
    };
    let answer = Knowledge::bundled().classify(&on_instagram);
    assert_eq!(
        answer.single().map(|e| e.category),
        Some(Category::Marketing)
    );

    let sessionid = Query {
        name: "sessionid",
        ..on_portal
    };
    let answer = Knowledge::bundled().classify(&sessionid);
    assert!(answer.matches.iter().all(|e| e.platform != "Instagram"));
    assert!(answer.elsewhere.iter().any(|e| e.platform == "Instagram"));
}

/// A sites folder with a team catalog.
fn with_team_catalog(files: &[(&str, &str)]) -> tempfile::TempDir {
    let sites = copy_of_sites();
    let dir = sites.path().join("catalog");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    sites
}

const TEAM: &str = r#"[
    (
        name: "_gid",
        platform: "Our analytics proxy",
        category: Necessary,
        description: "Counts visits through our own proxy, without any identifier.",
        retention: "1 jour",
    ),
]
"#;

fn lookup_json(sites: &std::path::Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec![
        "--sites",
        sites.to_str().unwrap(),
        "lookup",
        "--format",
        "json",
    ];
    all.extend(args);
    common::policydesk_json(&all)
}

#[test]
fn lookup_answers_in_json_with_the_source_of_each_match() {
    let sites = copy_of_sites();
    let (code, json, _) = lookup_json(sites.path(), &["_hjSessionUser_42"]);
    assert_eq!(code, Some(0));
    assert_eq!(json["name"], "_hjSessionUser_42");
    let m = &json["matches"][0];
    assert_eq!(m["platform"], "Hotjar");
    assert_eq!(m["category"], "Statistics");
    assert_eq!(m["source"], "service_catalog");
    assert_eq!(m["wildcard"], true);
    assert_eq!(m["retention_seconds"], 31_536_000);
    for key in ["retention", "domain", "description"] {
        assert!(m.get(key).is_some(), "{key} missing: {m}");
    }

    // Several names: a list, one answer each; an unknown name exits 1.
    let (code, json, _) = lookup_json(sites.path(), &["IDE", "not_a_known_cookie"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        json[0]["matches"][0]["platform"],
        "DoubleClick/Google Marketing"
    );
    assert_eq!(
        json[0]["matches"][0]["domain"],
        "doubleclick.net (3rd party)"
    );
    assert_eq!(json[1]["matches"].as_array().map(Vec::len), Some(0));

    // With --domain, an entry bound to another domain does not answer.
    let (_, json, _) = lookup_json(sites.path(), &["IDE", "--domain", "portal.example.org"]);
    assert_eq!(json["matches"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        json["other_domains"][0]["platform"],
        "DoubleClick/Google Marketing"
    );
    let (_, json, _) = lookup_json(sites.path(), &["IDE", "--domain", "ad.doubleclick.net"]);
    assert_eq!(json["matches"][0]["category"], "Marketing");
}

#[test]
fn the_platform_declaration_answers_for_the_platform_s_cookies() {
    let sites = copy_of_sites();
    let (_, json, _) = lookup_json(sites.path(), &["csrftoken"]);
    assert_eq!(json["matches"][0]["source"], "platform");
    assert_eq!(json["matches"][0]["platform"], "Opendatasoft");
    assert_eq!(json["matches"][0]["category"], "Security");
}

#[test]
fn a_team_entry_overrides_the_database() {
    let sites = with_team_catalog(&[("ours.ron", TEAM)]);
    let (code, json, err) = lookup_json(sites.path(), &["_gid"]);
    assert_eq!(code, Some(0), "{err}");
    let m = &json["matches"][0];
    assert_eq!(
        (
            m["source"].as_str(),
            m["platform"].as_str(),
            m["category"].as_str()
        ),
        (Some("team"), Some("Our analytics proxy"), Some("Necessary"))
    );
    // Read with the site files' duration parser, French included.
    assert_eq!(m["retention_seconds"], 86_400);
    assert_eq!(json["overridden"][0]["source"], "open_cookie_database");

    // The text output says where each answer comes from.
    let out = policydesk(&["--sites", sites.path().to_str().unwrap(), "lookup", "_gid"]);
    let text = stdout(&out);
    assert!(
        text.contains("Our analytics proxy — necessary, retention 1 jour [team catalog]"),
        "{text}"
    );
    assert!(
        text.contains("Open Cookie Database (https://github.com/jkwakman/Open-Cookie-Database"),
        "{text}"
    );
}

#[test]
fn a_broken_team_file_is_named_by_line_and_column_and_the_others_still_count() {
    let broken = "[\n    (name: \"x\", platform: \"P\", category: Tasty),\n]\n";
    let sites = with_team_catalog(&[("a_broken.ron", broken), ("ours.ron", TEAM)]);
    let (code, json, err) = lookup_json(sites.path(), &["_gid"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("catalog/a_broken.ron:2:"), "{err}");
    assert!(err.contains("Tasty"), "{err}");
    assert_eq!(json["matches"][0]["source"], "team");
}

#[test]
fn check_reports_a_broken_team_file_as_a_load_error() {
    let broken = "[\n    (name: \"x\", platform: \"P\", category: Tasty),\n]\n";
    let sites = with_team_catalog(&[("a_broken.ron", broken), ("ours.ron", TEAM)]);
    let dir = sites.path().to_str().unwrap();
    let (code, json, err) = common::policydesk_json(&["--sites", dir, "check", "--format", "json"]);
    assert_eq!(code, Some(1), "a file that does not load fails the check");
    assert!(err.contains("catalog/a_broken.ron:2:"), "{err}");
    let errors = json["load_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("catalog/a_broken.ron")
    );
    assert_eq!(errors[0]["line"], 2);
    assert_eq!(
        json["sites"].as_array().unwrap().len(),
        3,
        "every site is still checked"
    );
}

/// The four platform cookies as the platform declares them, plus what the page adds.
fn portal_setting(extra: &'static [&'static str]) -> Server {
    Server::start(move |_| {
        let mut reply = Reply::html("<p>portal</p>")
            .with(
                "Set-Cookie",
                "sessionid=s3ss; Max-Age=1209600; Path=/; HttpOnly",
            )
            .with("Set-Cookie", "csrftoken=t0k3n; Max-Age=31449600; Path=/")
            .with("Set-Cookie", "django_language=fr; Max-Age=31536000; Path=/")
            .with(
                "Set-Cookie",
                "cookies_preferences=%7B%7D; Max-Age=15778476; Path=/",
            );
        for line in extra {
            reply = reply.with("Set-Cookie", line);
        }
        reply
    })
}

fn audit(sites: &std::path::Path, url: &str) -> Value {
    common::audit_paris_json(sites, url).1
}

fn observed<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["sites"][0]["observed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("{name} not observed: {report:#}"))
}

#[test]
fn the_audit_classifies_every_cookie_in_the_portal_s_context() {
    let sites = copy_of_sites();
    let server = portal_setting(&[
        "ds_user_id=1; Max-Age=7776000; Path=/",
        "_gid=GA1.2.3; Max-Age=86400; Path=/",
        "euconsent-v2=CP; Max-Age=31536000; Path=/",
    ]);
    let report = audit(sites.path(), &server.url("/"));
    // The portal's own sessionid is its platform's, not Instagram's.
    let session = &observed(&report, "sessionid")["known"];
    assert_eq!(session.as_array().map(Vec::len), Some(1), "{session}");
    assert_eq!(session[0]["source"], "platform");
    assert_eq!(session[0]["platform"], "Opendatasoft");
    // Instagram's ds_user_id lives on instagram.com: unknown here, not misnamed.
    assert!(observed(&report, "ds_user_id").get("known").is_none());
    let gid = &observed(&report, "_gid")["known"][0];
    assert_eq!(gid["platform"], "Google Analytics");
    assert_eq!(gid["category"], "Statistics");
    assert_eq!(gid["source"], "open_cookie_database");
    assert_eq!(gid["retention_seconds"], 86_400);
    // Two candidates stay two.
    assert_eq!(
        observed(&report, "euconsent-v2")["known"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn category_mismatch_speaks_from_the_knowledge_base_only_when_it_can_tell() {
    let sites = copy_of_sites();
    let path = sites.path().join("dashboard.paris.ron");
    let own = |name: &str, category: &str| {
        format!(
            "        Own(name: \"{name}\", provider: \"Someone\", category: {category}, duration: \
             (text: {{\"en\": \"1 day\", \"fr\": \"1 jour\"}}, value: Seconds(86400))),\n"
        )
    };
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "    cookies: [\n",
        &format!(
            "    cookies: [\n{}{}{}",
            own("_gid", "Marketing"),
            own("euconsent-v2", "Marketing"),
            own("ds_user_id", "Necessary")
        ),
    );
    std::fs::write(&path, text).unwrap();
    let server = portal_setting(&[
        "ds_user_id=1; Max-Age=86400; Path=/",
        "_gid=GA1.2.3; Max-Age=86400; Path=/",
        "euconsent-v2=CP; Max-Age=86400; Path=/",
    ]);
    let report = audit(sites.path(), &server.url("/"));
    let mismatches: Vec<&Value> = report["sites"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "category_mismatch")
        .collect();
    assert_eq!(mismatches.len(), 1, "{mismatches:#?}");
    assert_eq!(mismatches[0]["cookie"], "_gid");
    let message = mismatches[0]["message"].as_str().unwrap();
    assert!(
        message.contains("statistics cookie of Google Analytics (Open Cookie Database)"),
        "{message}"
    );
}
