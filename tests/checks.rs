//! Every check rule fires on a policy that breaks it and stays quiet on one that keeps it.

mod common;

use policydesk::check::{Finding, RULES, Severity, check_site};
use policydesk::model::duration::MONTH;
use policydesk::model::{
    Category, CookieDecl, CookieEntry, Duration, DurationValue, MatchKind, Platform, Site,
};
use policydesk::store::load_sites;

fn bundled(id: &str) -> (Site, Platform) {
    let ws = load_sites(&common::bundled_sites());
    let file = ws.site(id).expect("bundled site");
    let platform = ws.platform_of(&file.site).expect("platform").clone();
    (file.site.clone(), platform)
}

fn fired(site: &Site, platform: &Platform, rule: &str) -> Vec<Finding> {
    check_site(site, Some(platform))
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

fn own(name: &str, category: Category, months: u64) -> CookieEntry {
    let texts = |en: &str, fr: &str| [("en".into(), en.into()), ("fr".into(), fr.into())].into();
    CookieEntry::Own(CookieDecl {
        name: name.into(),
        provider: "Example Analytics".into(),
        category,
        purpose: texts("Counts the visits", "Compte les visites"),
        duration: Duration {
            text: texts(&format!("{months} months"), &format!("{months} mois")),
            value: DurationValue::Seconds(months * MONTH),
        },
        ..Default::default()
    })
}

fn own_decl<'a>(site: &'a mut Site, name: &str) -> &'a mut CookieDecl {
    site.cookies
        .iter_mut()
        .find_map(|e| match e {
            CookieEntry::Own(d) if d.name == name => Some(d),
            _ => None,
        })
        .expect("own cookie")
}

fn platform_use<'a>(
    site: &'a mut Site,
    name: &str,
) -> &'a mut policydesk::model::PlatformCookieUse {
    site.cookies
        .iter_mut()
        .find_map(|e| match e {
            CookieEntry::Platform(u) if u.name == name => Some(u),
            _ => None,
        })
        .expect("platform cookie")
}

#[test]
fn rule_ids_are_stable() {
    // Reports, filters and CI scripts name rules by these ids: changing one breaks them.
    let ids: Vec<&str> = RULES.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "duration-missing",
            "duration-text-mismatch",
            "duration-unreadable",
            "lifetime-13-months",
            "consent-choice-6-months",
            "languages-disagree",
            "analytics-claimed-undeclared",
            "duplicate-pattern",
            "overlapping-patterns",
            "invalid-pattern",
            "wrong-language",
            "knowledge-differs",
            "row-split",
            "version-not-advanced",
        ]
    );
    // Each rule has a test below named after it that makes it fire and keeps it quiet.
    let source = include_str!("checks.rs");
    for rule in RULES {
        assert!(
            source.contains(&format!("fn {}_fires", rule.id.as_str().replace('-', "_"))),
            "no test for rule {}",
            rule.id
        );
    }
}

#[test]
fn duration_missing_fires_without_a_duration_column_or_text() {
    let (site, platform) = bundled("dataviz.totalenergies.com");
    let found = fired(&site, &platform, "duration-missing");
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found.iter().all(|f| f.severity == Severity::Error));
    assert_eq!(found[0].cookie.as_deref(), Some("sessionid"));

    let (mut site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "duration-missing").is_empty());
    platform_use(&mut site, "csrftoken")
        .duration_text
        .insert("fr".into(), " ".into());
    let found = fired(&site, &platform, "duration-missing");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].lang.as_deref(), Some("fr"));
    assert_eq!(found[0].cookie.as_deref(), Some("csrftoken"));
}

#[test]
fn duration_text_mismatch_fires_when_text_and_value_differ() {
    let (mut site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "duration-text-mismatch").is_empty());
    platform_use(&mut site, "cookies_preferences").duration_value =
        Some(DurationValue::Seconds(3 * MONTH));
    let found = fired(&site, &platform, "duration-text-mismatch");
    assert_eq!(found.len(), 2, "both languages say 6 months: {found:#?}");
    assert!(
        found[0].message.contains("6 months"),
        "{}",
        found[0].message
    );
}

#[test]
fn duration_unreadable_fires_on_text_without_a_length() {
    let (mut site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "duration-unreadable").is_empty());
    platform_use(&mut site, "sessionid")
        .duration_text
        .insert("en".into(), "persistent".into());
    let found = fired(&site, &platform, "duration-unreadable");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Info);
}

#[test]
fn lifetime_13_months_fires_on_long_statistics_and_exempt_cookies() {
    let (mut site, platform) = bundled("dashboard.paris");
    site.cookies.push(own("_pk_id", Category::Statistics, 13));
    assert!(fired(&site, &platform, "lifetime-13-months").is_empty());
    own_decl(&mut site, "_pk_id").duration.value = DurationValue::Seconds(25 * MONTH);
    let found = fired(&site, &platform, "lifetime-13-months");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].cookie.as_deref(), Some("_pk_id"));

    // A marketing cookie needs consent anyway: the 13-month ceiling is not this rule's business.
    site.cookies.push(own("_fbp", Category::Marketing, 25));
    assert_eq!(fired(&site, &platform, "lifetime-13-months").len(), 1);
    // A strictly necessary cookie is exempt, so the ceiling applies.
    platform_use(&mut site, "sessionid").duration_value = Some(DurationValue::Seconds(24 * MONTH));
    assert_eq!(fired(&site, &platform, "lifetime-13-months").len(), 2);
}

#[test]
fn knowledge_differs_fires_only_on_an_unambiguous_applicable_entry() {
    let (mut site, platform) = bundled("dashboard.paris");
    // The platform's own cookies are what the platform declares: nothing to say.
    assert!(fired(&site, &platform, "knowledge-differs").is_empty());

    // Google Analytics' _ga is a statistics cookie of two years (service catalog).
    site.cookies.push(own("_ga", Category::Marketing, 24));
    // _gid lives 24 hours (Open Cookie Database), not 13 months.
    site.cookies.push(own("_gid", Category::Statistics, 13));
    // __utma: "2 years after last activity" in the database, declared as 24 months: agrees.
    site.cookies.push(own("__utma", Category::Statistics, 24));
    // euconsent-v2 is listed by two platforms: no single answer, no finding.
    site.cookies
        .push(own("euconsent-v2", Category::Marketing, 13));
    // Instagram's ds_user_id lives on instagram.com: it says nothing of this portal's cookies.
    site.cookies.push(own("ds_user_id", Category::Necessary, 1));
    let found = fired(&site, &platform, "knowledge-differs");
    let said: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.cookie.as_deref().unwrap_or(""), f.message.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{said:#?}");
    assert!(found.iter().all(|f| f.severity == Severity::Info));
    assert_eq!(said[0].0, "_ga");
    assert!(
        said[0].1.contains("declared marketing")
            && said[0]
                .1
                .contains("service catalog knows Google Analytics's _ga as statistics"),
        "{}",
        said[0].1
    );
    assert_eq!(said[1].0, "_gid");
    assert!(
        said[1].1.contains(
            "Open Cookie Database gives Google Analytics's _gid a usual retention of 24 hours"
        ),
        "{}",
        said[1].1
    );

    // Declared as the base knows them, they are quiet.
    own_decl(&mut site, "_ga").category = Category::Statistics;
    own_decl(&mut site, "_gid").duration.value = DurationValue::Seconds(86_400);
    assert!(fired(&site, &platform, "knowledge-differs").is_empty());
}

#[test]
fn consent_choice_6_months_fires_when_the_choice_is_kept_longer() {
    let (mut site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "consent-choice-6-months").is_empty());
    platform_use(&mut site, "cookies_preferences").duration_value =
        Some(DurationValue::Seconds(12 * MONTH));
    let found = fired(&site, &platform, "consent-choice-6-months");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].cookie.as_deref(), Some("cookies_preferences"));
}

#[test]
fn languages_disagree_fires_on_missing_text_or_different_durations() {
    let (mut site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "languages-disagree").is_empty());
    site.cookies.push(own("_pk_id", Category::Statistics, 13));
    own_decl(&mut site, "_pk_id").purpose.remove("fr");
    let found = fired(&site, &platform, "languages-disagree");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].lang.as_deref(), Some("fr"));

    let (mut site, platform) = bundled("dashboard.paris");
    platform_use(&mut site, "django_language")
        .duration_text
        .insert("fr".into(), "6 mois".into());
    let found = fired(&site, &platform, "languages-disagree");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("django_language"));

    let (mut site, platform) = bundled("dashboard.paris");
    site.sections.remove("fr");
    assert_eq!(fired(&site, &platform, "languages-disagree").len(), 1);
}

#[test]
fn analytics_claimed_undeclared_fires_on_the_seeds_that_claim_analytics() {
    let (mut site, platform) = bundled("dataviz.totalenergies.com");
    let found = fired(&site, &platform, "analytics-claimed-undeclared");
    assert_eq!(
        found.len(),
        2,
        "English and French both claim it: {found:#?}"
    );
    site.cookies.push(own("_pk_id", Category::Statistics, 13));
    assert!(fired(&site, &platform, "analytics-claimed-undeclared").is_empty());

    let (site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "analytics-claimed-undeclared").is_empty());
}

#[test]
fn duplicate_pattern_fires_on_a_name_declared_twice() {
    let (mut site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "duplicate-pattern").is_empty());
    site.cookies.push(own("_pk_id", Category::Statistics, 13));
    site.cookies.push(own("_pk_id", Category::Statistics, 13));
    assert_eq!(fired(&site, &platform, "duplicate-pattern").len(), 1);
}

#[test]
fn row_split_fires_when_cookies_sharing_a_row_read_otherwise() {
    let (mut site, platform) = bundled("dashboard.paris");
    site.cookies.push(own("_pk_id", Category::Statistics, 13));
    site.cookies.push(own("_pk_ses", Category::Statistics, 13));
    own_decl(&mut site, "_pk_ses").shares_row = Some(", ".into());
    assert!(
        fired(&site, &platform, "row-split").is_empty(),
        "same texts"
    );
    own_decl(&mut site, "_pk_ses").duration.text = [
        ("en".into(), "30 minutes".into()),
        ("fr".into(), "30 minutes".into()),
    ]
    .into();
    let found = fired(&site, &platform, "row-split");
    assert_eq!(found.len(), 2, "once per language: {found:?}");
    assert!(
        found[0]
            .message
            .contains("_pk_ses is declared in _pk_id's row")
    );
}

#[test]
fn overlapping_patterns_fires_when_a_prefix_covers_a_name() {
    let (mut site, platform) = bundled("dashboard.paris");
    site.cookies.push(own("_ga_", Category::Statistics, 13));
    site.cookies
        .push(own("_ga_ABC123", Category::Statistics, 13));
    assert!(
        fired(&site, &platform, "overlapping-patterns").is_empty(),
        "both exact so far"
    );
    own_decl(&mut site, "_ga_").matching = MatchKind::Prefix;
    let found = fired(&site, &platform, "overlapping-patterns");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("_ga_*"), "{}", found[0].message);
}

#[test]
fn invalid_pattern_fires_on_a_broken_regex() {
    let (mut site, platform) = bundled("dashboard.paris");
    site.cookies.push(own("_hj.*", Category::Statistics, 12));
    own_decl(&mut site, "_hj.*").matching = MatchKind::Regex;
    assert!(fired(&site, &platform, "invalid-pattern").is_empty());
    own_decl(&mut site, "_hj.*").name = "_hj(".into();
    assert_eq!(fired(&site, &platform, "invalid-pattern").len(), 1);
}

#[test]
fn wrong_language_fires_on_the_french_words_in_an_english_row() {
    let (site, platform) = bundled("dataviz.totalenergies.com");
    let found = fired(&site, &platform, "wrong-language");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].lang.as_deref(), Some("en"));
    assert_eq!(found[0].cookie.as_deref(), Some("csrftoken"));
    assert!(found[0].message.contains("front et back office"));

    let (mut site, platform) = bundled("dashboard.paris");
    assert!(fired(&site, &platform, "wrong-language").is_empty());
    site.sections.get_mut("fr").expect("fr")[0].heading = "What is the policy of the site".into();
    let found = fired(&site, &platform, "wrong-language");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].lang.as_deref(), Some("fr"));
}

#[test]
fn check_command_reports_and_exits_by_severity() {
    let out = common::policydesk(&[
        "--sites",
        common::bundled_sites().to_str().unwrap(),
        "check",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the seeds have errors (no durations)"
    );
    let text = common::stdout(&out);
    assert!(
        text.contains("error[duration-missing] dataviz.totalenergies.com sessionid:"),
        "{text}"
    );
    assert!(text.contains("warning[wrong-language] dataviz.totalenergies.com (en) csrftoken:"));
    assert!(
        !text.contains(" dashboard.paris"),
        "dashboard.paris is clean: {text}"
    );

    let json = common::policydesk(&[
        "--sites",
        common::bundled_sites().to_str().unwrap(),
        "check",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(report["sites"].as_array().map(Vec::len), Some(3));
    assert!(
        report["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["rule"] == "duration-missing"))
    );

    let dir = common::copy_of_sites();
    for id in [
        "dataviz.totalenergies.com",
        "tneacademiegrenoble.opendatasoft.com",
    ] {
        std::fs::remove_file(dir.path().join(format!("{id}.ron"))).expect("remove");
    }
    let clean = common::policydesk(&["--sites", dir.path().to_str().unwrap(), "check"]);
    assert_eq!(clean.status.code(), Some(0), "{}", common::stdout(&clean));

    let usage = common::policydesk(&["check", "--format", "yaml"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn version_not_advanced_fires_only_against_a_previous_version() {
    use policydesk::check::version_findings;
    let (old, platform) = bundled("dashboard.paris");
    // Plain check never runs it: it has no previous version to compare with.
    assert!(fired(&old, &platform, "version-not-advanced").is_empty());

    let messages = |new: &Site, changed: bool| -> Vec<String> {
        version_findings(&old, new, changed)
            .into_iter()
            .inspect(|f| assert_eq!(f.rule, "version-not-advanced"))
            .map(|f| f.message)
            .collect()
    };
    // Content changed, version and date as they were: both said.
    assert_eq!(
        messages(&old, true),
        [
            "the published content changed but policy_version is still \"1\"",
            "the published content changed but last_review is still \"2026-11-23\"",
        ]
    );
    // Nothing changed: nothing to say.
    assert!(messages(&old, false).is_empty());
    // Both moved forward ("1.10" after "1.9" as people number versions): quiet.
    let mut forward = old.clone();
    forward.policy_version = "2".into();
    forward.last_review = "2026-12-01".into();
    assert!(messages(&forward, true).is_empty());
    // Moved back: said, with or without other changes.
    let mut back = old.clone();
    back.policy_version = "0.9".into();
    back.last_review = "2025-01-01".into();
    assert_eq!(
        messages(&back, false),
        [
            "policy_version went back from \"1\" to \"0.9\"",
            "last_review went back from 2026-11-23 to 2025-01-01",
        ]
    );
    // A version that is not a number cannot be ordered: no false alarm when it changed.
    let mut named = forward.clone();
    named.policy_version = "autumn edition".into();
    assert!(messages(&named, true).is_empty());
}
