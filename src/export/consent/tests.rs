use super::*;
use crate::model::duration::MONTH;
use crate::model::{Consent, Duration, DurationValue, Party, Texts};
use crate::store::bundled::FILES;
use crate::store::format::parse;

fn texts(en: &str, fr: &str) -> Texts {
    Texts::from([("en".into(), en.into()), ("fr".into(), fr.into())])
}

fn decl(name: &str, matching: MatchKind, provider: &str, category: Category) -> CookieDecl {
    CookieDecl {
        name: name.into(),
        matching,
        provider: provider.into(),
        category,
        party: Party::Third,
        consent: Some(Consent::Required),
        purpose: texts(
            &format!("Purpose of {name}"),
            &format!("Finalité de {name}"),
        ),
        duration: Duration {
            text: Texts::new(),
            value: DurationValue::Seconds(13 * MONTH),
        },
        ..Default::default()
    }
}

/// The bundled Paris portal, its platform, and its declarations plus `extra`.
fn paris(extra: Vec<CookieDecl>) -> (Site, Platform, Vec<CookieDecl>) {
    let mut site: Site = parse(FILES[2].1).expect("bundled site");
    site.id = "dashboard.paris".into();
    let mut platform: Platform = parse(FILES[0].1).expect("bundled platform");
    platform.id = "opendatasoft".into();
    let mut cookies = site.resolved_cookies(Some(&platform));
    cookies.extend(extra);
    (site, platform, cookies)
}

/// A group's key, whether it is exempt, and its services' keys with their cookies' names.
type GroupSummary = (String, bool, Vec<(String, Vec<String>)>);

#[test]
fn exempt_cookies_form_one_group_and_the_others_one_per_category_and_provider() {
    let (site, platform, cookies) = paris(vec![
        decl("_pk_id.", MatchKind::Prefix, "Matomo", Category::Statistics),
        decl("ad_id", MatchKind::Exact, "Ads & Co", Category::Marketing),
        decl(
            "_pk_ses.",
            MatchKind::Prefix,
            "Matomo",
            Category::Statistics,
        ),
        decl(
            "ads_seen",
            MatchKind::Exact,
            "Ads & Co",
            Category::Statistics,
        ),
    ]);
    let plan = Plan::new(&site, Some(&platform), &cookies);
    let summary: Vec<GroupSummary> = plan
        .groups
        .iter()
        .map(|g| {
            (
                g.key.clone(),
                g.exempt,
                g.services
                    .iter()
                    .map(|s| {
                        (
                            s.key.clone(),
                            s.items.iter().map(|d| d.name.clone()).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary,
        vec![
            (
                "necessary".into(),
                true,
                // django_language is a preference, declared exempt: it is always on too.
                vec![(
                    "necessary-opendatasoft".into(),
                    names(&[
                        "sessionid",
                        "csrftoken",
                        "cookies_preferences",
                        "django_language"
                    ])
                )]
            ),
            (
                "statistics".into(),
                false,
                vec![
                    ("statistics-matomo".into(), names(&["_pk_id.", "_pk_ses."])),
                    ("statistics-ads-co".into(), names(&["ads_seen"])),
                ]
            ),
            (
                "marketing".into(),
                false,
                vec![("marketing-ads-co".into(), names(&["ad_id"]))]
            ),
        ]
    );
}

#[test]
fn the_consent_cookie_lives_as_long_as_the_site_declares_it() {
    let (site, platform, cookies) = paris(vec![]);
    // cookies_preferences: 6 months = 182.6 days, kept 182 so never longer than declared.
    let plan = Plan::new(&site, Some(&platform), &cookies);
    assert_eq!(plan.consent.name.as_deref(), Some("cookies_preferences"));
    assert_eq!(plan.consent.lifetime, Lifetime::Days(182));
    let klaro = Kind::Klaro.generate(&site, Some(&platform), &cookies);
    assert!(
        klaro.contains("\"storageName\": \"cookies_preferences\""),
        "{klaro}"
    );
    assert!(klaro.contains("\"cookieExpiresAfterDays\": 182"), "{klaro}");
    let cc = compact(&Kind::CookieConsent.generate(&site, Some(&platform), &cookies));
    assert!(
        cc.contains(r#""cookie": {"name": "cookies_preferences","expiresAfterDays": 182}"#),
        "{cc}"
    );
    let tac = Kind::Tarteaucitron.generate(&site, Some(&platform), &cookies);
    assert!(tac.contains("tarteaucitronForceExpire = 182;"), "{tac}");
    assert!(
        tac.contains("\"cookieName\": \"cookies_preferences\""),
        "{tac}"
    );

    // Changing the declaration changes all three.
    let mut longer = cookies.clone();
    let consent = longer
        .iter_mut()
        .find(|c| c.name == "cookies_preferences")
        .unwrap();
    consent.duration.value = DurationValue::Seconds(30 * crate::model::duration::DAY);
    let klaro = Kind::Klaro.generate(&site, Some(&platform), &longer);
    assert!(klaro.contains("\"cookieExpiresAfterDays\": 30"), "{klaro}");
    let tac = Kind::Tarteaucitron.generate(&site, Some(&platform), &longer);
    assert!(tac.contains("tarteaucitronForceExpire = 30;"), "{tac}");

    // Without a declared lifetime the file says the library's default applies, and sets none.
    consent_mut(&mut longer).duration.value = DurationValue::Unknown;
    let cc = Kind::CookieConsent.generate(&site, Some(&platform), &longer);
    assert!(!cc.contains("expiresAfterDays"), "{cc}");
    assert!(
        cc.contains("declares no lifetime for its consent cookie"),
        "{cc}"
    );
}

fn consent_mut(cookies: &mut [CookieDecl]) -> &mut CookieDecl {
    cookies
        .iter_mut()
        .find(|c| c.name == "cookies_preferences")
        .unwrap()
}

/// The file without its indentation and line breaks, so assertions do not depend on layout.
fn compact(js: &str) -> String {
    js.lines().map(str::trim).collect()
}

#[test]
fn prefixes_and_regexes_take_each_librarys_form() {
    let mut hotjar = decl(
        "_hjSession_[0-9]+",
        MatchKind::Regex,
        "Hotjar",
        Category::Statistics,
    );
    hotjar.domain = Some(".hotjar.example".into());
    let (site, platform, cookies) = paris(vec![
        decl("_pk_id.", MatchKind::Prefix, "Matomo", Category::Statistics),
        hotjar,
    ]);
    let klaro = compact(&Kind::Klaro.generate(&site, Some(&platform), &cookies));
    assert!(klaro.contains(r#""cookies": ["^_pk_id\\."]"#), "{klaro}");
    assert!(
        klaro.contains(r#""cookies": [["^(?:_hjSession_[0-9]+)$","/",".hotjar.example"]]"#),
        "{klaro}"
    );
    assert!(
        klaro.contains(
            r#""cookies": ["sessionid","csrftoken","cookies_preferences","django_language"]"#
        ),
        "{klaro}"
    );
    let cc = compact(&Kind::CookieConsent.generate(&site, Some(&platform), &cookies));
    assert!(
        cc.contains(r#""autoClear": {"cookies": [{"name": new RegExp("^_pk_id\\.")},{"name": new RegExp("^(?:_hjSession_[0-9]+)$"),"domain": ".hotjar.example"}]}"#),
        "{cc}"
    );
    let tac_file = Kind::Tarteaucitron.generate(&site, Some(&platform), &cookies);
    let tac = compact(&tac_file);
    // Exact names only: the file says which it cannot delete, and lists them in the text.
    assert!(
        tac_file.contains("cannot delete _pk_id.*, _hjSession_[0-9]+ when consent is withdrawn"),
        "{tac_file}"
    );
    assert!(tac.contains("<b>_pk_id.*<\\/b>"), "{tac}");
    assert!(
        tac.contains(r#""name": "Matomo","uri": "https://dashboard.paris/terms/cookies-policy/","needConsent": true,"cookies": [],"#),
        "{tac}"
    );
}

#[test]
fn every_text_is_escaped_as_html_inside_json_literals() {
    let mut evil = decl(
        "x",
        MatchKind::Exact,
        "Evil \"</script><img src=x onerror=alert(1)>",
        Category::Marketing,
    );
    evil.purpose = texts("Tracks {purposes} & <b>you</b>", "Vous <i>suit</i>");
    let (site, platform, cookies) = paris(vec![evil]);
    for kind in [Kind::Klaro, Kind::CookieConsent, Kind::Tarteaucitron] {
        let js = kind.generate(&site, Some(&platform), &cookies);
        // Not even Klaro's plain-text title (React escapes it) can end a <script> element.
        assert!(!js.contains("</script>"), "{kind:?}: {js}");
        assert!(!js.contains("<b>you"), "{kind:?}: {js}");
        assert!(js.contains("&lt;b&gt;you&lt;/b&gt;"), "{kind:?}: {js}");
        assert!(
            js.contains("Vous &lt;i&gt;suit&lt;/i&gt;"),
            "{kind:?}: {js}"
        );
        if kind != Kind::Klaro {
            assert!(!js.contains("<img"), "{kind:?}: {js}");
        }
    }
    let klaro = Kind::Klaro.generate(&site, Some(&platform), &cookies);
    assert!(
        klaro.contains(r#""title": "Evil \"<\/script><img src=x onerror=alert(1)>""#),
        "{klaro}"
    );
    // Klaro's placeholders are braces: a site's braces are entities.
    assert!(
        klaro.contains("Tracks &#123;purposes&#125; &amp;"),
        "{klaro}"
    );
}

#[test]
fn every_language_of_the_site_has_its_texts() {
    let (site, platform, cookies) = paris(vec![decl(
        "_pk_id.",
        MatchKind::Prefix,
        "Matomo",
        Category::Statistics,
    )]);
    for kind in [Kind::Klaro, Kind::CookieConsent, Kind::Tarteaucitron] {
        let js = kind.generate(&site, Some(&platform), &cookies);
        for text in [
            "Finalité de _pk_id.",
            "Purpose of _pk_id.",
            "Authentification : valide l&#x27;identité",
            "Authentication: validates the user&#x27;s identity",
            "13 mois",
            "13 months",
        ] {
            assert!(js.contains(text), "{kind:?} lacks {text:?}:\n{js}");
        }
    }
}
