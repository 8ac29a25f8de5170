//! `policydesk check --fix [--rule ID]`: safe fixes applied and saved with the file's comments
//! kept; findings without a safe fix listed with why; nothing invented.

mod common;

use std::path::Path;

use common::policydesk_in;
use policydesk::check::{RuleId, check_workspace};
use policydesk::model::{CookieEntry, Layout};
use policydesk::store::load_sites;

const TOTAL: &str = "dataviz.totalenergies.com";

fn rules_found(sites: &Path, site: &str) -> Vec<RuleId> {
    let ws = load_sites(sites);
    check_workspace(&ws)
        .into_iter()
        .filter(|f| f.site == site)
        .map(|f| f.rule)
        .collect()
}

#[test]
fn check_fix_shows_durations_takes_platform_wording_keeps_comments_and_lists_the_rest() {
    let dir = common::copy_of_sites();
    let path = dir.path().join(format!("{TOTAL}.ron"));
    let commented = std::fs::read_to_string(&path).expect("read").replacen(
        "    cookies: [",
        "    // Reviewed with legal, 2024.\n    cookies: [",
        1,
    );
    std::fs::write(&path, commented).expect("write");
    let before = rules_found(dir.path(), TOTAL);
    assert!(before.contains(&RuleId::DurationMissing), "{before:?}");
    assert!(before.contains(&RuleId::WrongLanguage), "{before:?}");

    let (code, out) = policydesk_in(dir.path(), &["check", "--fix"]);
    assert!(
        out.contains(&format!(
            "fixed error[duration-missing] {TOTAL}: layout switched to With durations"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "fixed warning[wrong-language] {TOTAL}: csrftoken: the English function and location \
             is now the platform Opendatasoft's \"API (CSRF) (front and back office)\""
        )),
        "{out}"
    );
    // What has no safe fix says so, with why; its findings are warnings, so the exit code is 0.
    assert!(
        out.contains(&format!(
            "no safe fix: warning[analytics-claimed-undeclared] {TOTAL} (en)"
        )),
        "{out}"
    );
    assert!(
        out.contains("either the text or the cookie table is wrong"),
        "{out}"
    );
    assert!(out.contains(&format!("saved {}", path.display())), "{out}");
    assert_eq!(code, Some(0), "{out}");

    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("// Reviewed with legal, 2024."),
        "the comment is kept:\n{text}"
    );
    let ws = load_sites(dir.path());
    let site = &ws.site(TOTAL).expect("loads").site;
    assert_eq!(site.layout, Layout::WithDurations);
    let csrf = site
        .cookies
        .iter()
        .find_map(|e| match e {
            CookieEntry::Platform(u) if u.name == "csrftoken" => Some(u),
            _ => None,
        })
        .expect("csrftoken row");
    assert!(
        !csrf.location.contains_key("en"),
        "follows the platform: {csrf:?}"
    );
    assert_eq!(
        csrf.purpose.get("en").map(String::as_str),
        Some("To retrieve data via API calls"),
        "the site's own purpose is untouched"
    );
    let after = rules_found(dir.path(), TOTAL);
    assert!(!after.contains(&RuleId::DurationMissing), "{after:?}");
    assert!(!after.contains(&RuleId::WrongLanguage), "{after:?}");

    // Nothing left to fix: a second run changes no file.
    let again = std::fs::read_to_string(&path).expect("read");
    let (code, out) = policydesk_in(dir.path(), &["check", "--fix"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("0 fixes saved in 0 sites"), "{out}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), again);
}

#[test]
fn rule_limits_the_fixes_to_one_rule() {
    let dir = common::copy_of_sites();
    let (code, out) = policydesk_in(dir.path(), &["check", "--fix", "--rule", "wrong-language"]);
    assert!(out.contains("fixed warning[wrong-language]"), "{out}");
    assert!(!out.contains("duration-missing"), "{out}");
    assert_eq!(code, Some(0), "{out}");
    let ws = load_sites(dir.path());
    assert_eq!(ws.site(TOTAL).expect("loads").site.layout, Layout::Classic);

    let (code, out) = policydesk_in(dir.path(), &["check", "--fix", "--rule", "no-such-rule"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("no rule \"no-such-rule\""), "{out}");
}

#[test]
fn a_cookie_with_no_duration_anywhere_is_not_given_one() {
    let dir = common::copy_of_sites();
    let path = dir.path().join(format!("{TOTAL}.ron"));
    // A cookie of the site's own, which no platform declares: nothing trustworthy to show.
    let own = "    cookies: [\n        Own(\n            name: \"_pk_id\",\n            \
               provider: \"Matomo\",\n            category: Statistics,\n        ),";
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replacen("    cookies: [", own, 1);
    std::fs::write(&path, &text).expect("write");
    let errors = load_sites(dir.path()).errors;
    assert!(errors.is_empty(), "{errors:?}");

    let (code, out) = policydesk_in(
        dir.path(),
        &["check", "--fix", "--rule", "duration-missing"],
    );
    assert!(
        out.contains(&format!(
            "no safe fix: error[duration-missing] {TOTAL} _pk_id"
        )),
        "{out}"
    );
    assert!(
        out.contains("a table with durations would show none for _pk_id in English: no platform declares _pk_id"),
        "{out}"
    );
    assert_eq!(code, Some(1), "errors are left: {out}");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        text,
        "the layout is not switched to show an empty duration"
    );
}

#[test]
fn cookies_sharing_a_row_split_when_their_texts_differ_and_the_fix_says_so_in_the_file() {
    let dir = common::imported_page("categories.html", "cat");
    let table = |sites: &Path| {
        let (_, text) = policydesk_in(sites, &["render", "cat"]);
        text.lines()
            .filter(|l| l.contains("_g"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        table(dir.path()),
        ["_ga, _gid\tGoogle\t13 months\tDistinguishes visitors."]
    );
    assert!(!rules_found(dir.path(), "cat").contains(&RuleId::RowSplit));

    // A person rewords _gid's purpose alone: the page can no longer show one row.
    let path = dir.path().join("cat.ron");
    let text = std::fs::read_to_string(&path).expect("read");
    let at = text
        .rfind("Distinguishes visitors.")
        .expect("_gid's purpose");
    let edited = format!("{}Keeps a session.{}", &text[..at], &text[at + 23..]);
    std::fs::write(&path, edited).expect("write");
    assert_eq!(
        table(dir.path()),
        [
            "_ga\tGoogle\t13 months\tDistinguishes visitors.",
            "_gid\tGoogle\t13 months\tKeeps a session."
        ]
    );
    let (_, out) = policydesk_in(dir.path(), &["check", "--rule", "row-split"]);
    assert!(
        out.contains("_gid is declared in _ga's row but its Function differs in English"),
        "{out}"
    );

    let (_, out) = policydesk_in(dir.path(), &["check", "--fix", "--rule", "row-split"]);
    assert!(
        out.contains("_gid is declared in a row of its own, as it is shown"),
        "{out}"
    );
    assert!(!rules_found(dir.path(), "cat").contains(&RuleId::RowSplit));
    let saved = std::fs::read_to_string(&path).expect("read");
    assert!(!saved.contains("shares_row"), "{saved}");
    assert_eq!(table(dir.path()).len(), 2);
}
