//! `policydesk import` on other tools' output: a WEC inspection.json, a HAR file, a Cookiebot
//! declaration script and a OneTrust consent JSON, told apart by content; each read into
//! declarations for a person to finish, with a report of what the source could and could not give.

mod common;

use std::path::{Path, PathBuf};

use common::{own, policydesk, stderr, stdout};
use policydesk::model::duration::DAY;
use policydesk::model::{Category, CookieEntry, DurationValue, StorageType};
use policydesk::store::load_sites;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import_tools")
        .join(name)
}

fn import(sites: &Path, source: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec![
        "--sites",
        sites.to_str().expect("utf-8"),
        "import",
        source.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    let out = policydesk(&args);
    (out.status.code(), stdout(&out), stderr(&out))
}

fn is_platform_row(cookies: &[CookieEntry], name: &str) -> bool {
    cookies
        .iter()
        .any(|e| matches!(e, CookieEntry::Platform(u) if u.name == name))
}

#[test]
fn a_wec_inspection_gives_observed_lifetimes_and_known_categories() {
    let dir = common::platforms_only();
    let (code, out, report) = import(dir.path(), &fixture("inspection.json"), &[]);
    assert_eq!(code, Some(0), "{out}{report}");
    assert!(report.contains("read as a WEC inspection.json"), "{report}");
    assert!(
        report.contains("not in a WEC inspection.json: purposes"),
        "{report}"
    );
    let ws = load_sites(dir.path());
    assert!(ws.errors.is_empty(), "{:?}", ws.errors);
    let site = &ws
        .site("portal.example.org")
        .expect("named by the inspected host")
        .site;
    // The platform's cookie is a platform row; the session lifetime seen is reported against
    // the platform's declaration, not written over it.
    assert!(is_platform_row(&site.cookies, "sessionid"));
    assert!(
        report.contains("sessionid: the source says session, the platform declares 2 weeks"),
        "{report}"
    );
    let ga = own(&site.cookies, "_ga");
    assert_eq!(
        ga.duration.value,
        DurationValue::Seconds(400 * DAY),
        "observed, to the day"
    );
    assert_eq!(
        ga.category,
        Category::Statistics,
        "the knowledge base knows _ga"
    );
    let mystery = own(&site.cookies, "mystery_pref");
    assert_eq!(mystery.category, Category::Unclassified, "nothing invented");
    assert_eq!(mystery.duration.value, DurationValue::Seconds(30 * DAY));
    assert!(
        report.contains("mystery_pref: category unknown"),
        "{report}"
    );
    assert!(
        report.contains("mystery_pref: purpose to write"),
        "{report}"
    );
    let theme = own(&site.cookies, "ods-theme");
    assert_eq!(theme.storage, StorageType::LocalStorage);
}

#[test]
fn a_har_file_gives_the_cookies_responses_set() {
    let dir = common::platforms_only();
    let (code, out, report) = import(dir.path(), &fixture("visit.har"), &["--id", "har.example"]);
    assert_eq!(code, Some(0), "{out}{report}");
    assert!(report.contains("read as a HAR file"), "{report}");
    assert!(
        report.contains("cookies set by scripts"),
        "what a HAR cannot give is said: {report}"
    );
    let ws = load_sites(dir.path());
    let site = &ws.site("har.example").expect("the id asked for").site;
    assert_eq!(site.base_url.as_str(), "https://portal.example.org/");
    assert!(is_platform_row(&site.cookies, "csrftoken"));
    // Expires counted from the entry's start: one year to the day.
    let pk = site
        .resolved_cookies(ws.platform_of(site))
        .into_iter()
        .find(|d| d.name.starts_with("_pk_id"))
        .expect("the Matomo cookie");
    assert_eq!(pk.duration.value, DurationValue::Seconds(365 * DAY));
    assert_eq!(
        site.cookies.len(),
        2,
        "one declaration per cookie: {:?}",
        site.cookies
    );
}

#[test]
fn a_cookiebot_script_gives_its_categories_purposes_and_durations() {
    let dir = common::platforms_only();
    let (code, out, report) = import(dir.path(), &fixture("cd.js"), &["--id", "cb.example"]);
    assert_eq!(code, Some(0), "{out}{report}");
    assert!(
        report.contains("read as a Cookiebot declaration script"),
        "{report}"
    );
    let ws = load_sites(dir.path());
    let site = &ws.site("cb.example").expect("imported").site;
    assert_eq!(site.languages, ["en"], "detected from the purposes");
    let ga = own(&site.cookies, "_ga");
    assert_eq!(ga.category, Category::Statistics);
    assert_eq!(ga.duration.text["en"], "2 years");
    assert!(ga.purpose["en"].starts_with("Registers a unique ID"));
    assert_eq!(
        own(&site.cookies, "CookieConsent").category,
        Category::Necessary
    );
    assert!(
        is_platform_row(&site.cookies, "csrftoken"),
        "the platform's own cookie"
    );
    let banner = own(&site.cookies, "ods_banner");
    assert_eq!(
        banner.storage,
        StorageType::LocalStorage,
        "Cookiebot's HTML type"
    );
    assert_eq!(banner.category, Category::Unclassified);
    assert_eq!(
        banner.duration.value,
        DurationValue::Unknown,
        "'Persistent' is no length"
    );
    assert!(
        report.contains("ods_banner: duration not known"),
        "{report}"
    );
}

#[test]
fn a_onetrust_json_gives_its_language_groups_and_days() {
    let dir = common::platforms_only();
    let (code, out, report) = import(
        dir.path(),
        &fixture("onetrust-fr.json"),
        &["--id", "ot.example"],
    );
    assert_eq!(code, Some(0), "{out}{report}");
    let ws = load_sites(dir.path());
    let site = &ws.site("ot.example").expect("imported").site;
    assert_eq!(site.languages, ["fr"], "from DomainData.Language.Culture");
    let consent = own(&site.cookies, "OptanonConsent");
    assert_eq!(consent.category, Category::Necessary);
    assert_eq!(consent.duration.value, DurationValue::Seconds(365 * DAY));
    assert_eq!(
        consent.purpose["fr"],
        "Enregistre vos choix en matière de cookies."
    );
    let yt = own(&site.cookies, "VISITOR_INFO1_LIVE");
    assert_eq!(
        (yt.category, yt.provider.as_str()),
        (Category::Marketing, "youtube.com")
    );
    assert_eq!(
        own(&site.cookies, "YSC").duration.value,
        DurationValue::Session
    );
    assert_eq!(
        own(&site.cookies, "ab_test_variant").category,
        Category::Unclassified
    );
    assert!(
        report.contains("ab_test_variant: category unknown"),
        "{report}"
    );
}

#[test]
fn a_tool_source_for_an_existing_site_only_adds_what_it_lacks() {
    let dir = common::platforms_only();
    let cb = fixture("cd.js");
    let (code, _, report) = import(dir.path(), &cb, &["--id", "cb.example"]);
    assert_eq!(code, Some(0), "{report}");
    // A person writes the purpose of _ga; the same script imported again changes nothing of it.
    let path = dir.path().join("cb.example.ron");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text.replace("Registers a unique ID", "Counts visits with a unique ID");
    std::fs::write(&path, &edited).expect("write");
    let (code, out, _) = import(dir.path(), &cb, &["--id", "cb.example"]);
    assert_eq!(code, Some(0), "nothing to add: {out}");
    assert!(out.contains("already says"), "{out}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), edited);

    // The OneTrust file names other cookies: they are added (with --update), the rest kept.
    let ot = fixture("onetrust-fr.json");
    let (code, out, _) = import(dir.path(), &ot, &["--id", "cb.example"]);
    assert_eq!(code, Some(1), "nothing written without --update: {out}");
    assert!(
        out.contains("+            name: \"OptanonConsent\","),
        "{out}"
    );
    let (code, out, _) = import(dir.path(), &ot, &["--id", "cb.example", "--update"]);
    assert_eq!(code, Some(0), "{out}");
    let ws = load_sites(dir.path());
    let site = &ws.site("cb.example").expect("loads").site;
    assert!(own(&site.cookies, "_ga").purpose["en"].starts_with("Counts visits"));
    own(&site.cookies, "OptanonConsent");
}

#[test]
fn json_of_another_kind_is_refused_and_nothing_is_written() {
    let dir = common::platforms_only();
    let other = dir.path().join("other.json");
    std::fs::write(&other, r#"{"cookies": "not a list", "version": 3}"#).expect("write");
    let (code, _, err) = import(dir.path(), &other, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("JSON, but not a WEC inspection.json"), "{err}");
    assert!(load_sites(dir.path()).sites.is_empty());
}
