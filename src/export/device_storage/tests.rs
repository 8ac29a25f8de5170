use serde_json::{Value, json};

use crate::export::consent::Kind;
use crate::model::duration::MONTH;
use crate::model::{
    Category, Consent, CookieDecl, Duration, DurationValue, MatchKind, Platform, Site, StorageType,
};
use crate::store::bundled::FILES;
use crate::store::format::parse;

fn disclosures(extra: Vec<CookieDecl>) -> Vec<Value> {
    let mut site: Site = parse(FILES[2].1).expect("bundled site");
    site.id = "dashboard.paris".into();
    let platform: Platform = parse(FILES[0].1).expect("bundled platform");
    let mut cookies = site.resolved_cookies(Some(&platform));
    cookies.extend(extra);
    let text = Kind::DeviceStorage.generate(&site, Some(&platform), &cookies);
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    doc["disclosures"].as_array().expect("disclosures").clone()
}

#[test]
fn every_cookie_and_storage_item_is_disclosed_with_its_purposes() {
    let stats = CookieDecl {
        name: "_pk_id.".into(),
        matching: MatchKind::Prefix,
        storage: StorageType::ScriptCookie,
        provider: "Matomo".into(),
        category: Category::Statistics,
        consent: Some(Consent::Required),
        duration: Duration {
            value: DurationValue::Seconds(13 * MONTH),
            ..Default::default()
        },
        ..Default::default()
    };
    let ads = CookieDecl {
        name: "ad_.*_id".into(),
        matching: MatchKind::Regex,
        provider: "Ads".into(),
        category: Category::Marketing,
        domain: Some(".ads.example".into()),
        ..Default::default()
    };
    let volume = CookieDecl {
        name: "player_volume".into(),
        storage: StorageType::LocalStorage,
        provider: "Player".into(),
        category: Category::Preferences,
        consent: Some(Consent::Required),
        ..Default::default()
    };
    let pixel = CookieDecl {
        name: "tracker.gif".into(),
        storage: StorageType::Pixel,
        provider: "Ads".into(),
        category: Category::Marketing,
        ..Default::default()
    };
    let got = disclosures(vec![stats, ads, volume, pixel]);
    let by_id = |id: &str| {
        got.iter()
            .find(|d| d["identifier"] == id)
            .unwrap_or_else(|| panic!("{id} not disclosed: {got:#?}"))
            .clone()
    };
    // The platform's necessary session cookie: no purpose needing consent, its 2 weeks.
    assert_eq!(
        by_id("sessionid"),
        json!({
            "identifier": "sessionid", "type": "cookie", "maxAgeSeconds": 1_209_600,
            "cookieRefresh": null, "domain": "dashboard.paris", "purposes": [],
            "description": "Authentication: validates the user's identity for each request."
        })
    );
    // The consent cookie: special purpose 3; the CSRF token: security, special purpose 1.
    assert_eq!(by_id("cookies_preferences")["specialPurposes"], json!([3]));
    assert_eq!(by_id("csrftoken")["specialPurposes"], json!([1]));
    assert_eq!(by_id("csrftoken")["maxAgeSeconds"], json!(31_556_952));
    // A prefix with the TCF's wildcard; statistics need consent (1) and measure (8, 9).
    let stats = by_id("_pk_id.*");
    assert_eq!(stats["purposes"], json!([1, 8, 9]));
    assert_eq!(stats["maxAgeSeconds"], json!(13 * MONTH));
    // A regex is kept as written and said to be one; unknown duration is null, not a guess.
    let ads = by_id("ad_.*_id");
    assert_eq!(ads["purposes"], json!([1, 2, 3, 4, 7]));
    assert_eq!(ads["domain"], json!(".ads.example"));
    assert_eq!(ads["maxAgeSeconds"], Value::Null);
    assert!(
        ads["description"]
            .as_str()
            .unwrap()
            .contains("regular expression ad_.*_id"),
        "{ads}"
    );
    // localStorage is "web" storage: no lifetime, no cookieRefresh.
    let volume = by_id("player_volume");
    assert_eq!(volume["type"], json!("web"));
    assert_eq!(volume["maxAgeSeconds"], Value::Null);
    assert!(volume.get("cookieRefresh").is_none(), "{volume}");
    assert_eq!(volume["purposes"], json!([1]));
    // A pixel stores nothing on the device.
    assert!(got.iter().all(|d| d["identifier"] != "tracker.gif"));
    assert_eq!(got.len(), 7);
}

#[test]
fn a_session_cookie_has_a_max_age_of_zero() {
    let session = CookieDecl {
        name: "cart".into(),
        provider: "Shop".into(),
        category: Category::Necessary,
        duration: Duration {
            value: DurationValue::Session,
            ..Default::default()
        },
        ..Default::default()
    };
    let got = disclosures(vec![session]);
    let cart = got.iter().find(|d| d["identifier"] == "cart").unwrap();
    assert_eq!(cart["maxAgeSeconds"], json!(0));
}
