//! Version discipline: when a site's published content changes, its `policy_version` and
//! `last_review` move forward. This rule needs the previous version of the site, so it runs only
//! where one is given (`check --previous`, `diff`, `export --previous`), never in plain `check`.

use std::cmp::Ordering;

use super::finding::{Finding, RuleId};
use super::rules::rule;
use crate::model::Site;

/// The findings of [`RuleId::VersionNotAdvanced`] for `new` against `old`. `content_changed`
/// says whether what the site publishes differs. A version or date that moves backwards is a
/// finding even without other changes; one that stays the same only when the content changed.
pub fn version_findings(old: &Site, new: &Site, content_changed: bool) -> Vec<Finding> {
    let mut messages = Vec::new();
    match compare_versions(&new.policy_version, &old.policy_version) {
        Some(Ordering::Less) => messages.push(format!(
            "policy_version went back from {:?} to {:?}",
            old.policy_version, new.policy_version
        )),
        Some(Ordering::Equal) if content_changed => messages.push(format!(
            "the published content changed but policy_version is still {:?}",
            new.policy_version
        )),
        _ => {}
    }
    let same_date = old.last_review.trim() == new.last_review.trim();
    match (date(&old.last_review), date(&new.last_review)) {
        (Some(before), Some(after)) if after < before => messages.push(format!(
            "last_review went back from {} to {}",
            old.last_review, new.last_review
        )),
        _ if same_date && content_changed => messages.push(format!(
            "the published content changed but last_review is still {:?}",
            new.last_review
        )),
        // Not a date: whether it moved forward cannot be told, and that is what is said.
        (_, None) if content_changed => messages.push(format!(
            "last_review {:?} is not a YYYY-MM-DD date, so whether it moved forward cannot be told",
            new.last_review
        )),
        _ => {}
    }
    let severity = rule(RuleId::VersionNotAdvanced).map_or(super::Severity::Error, |r| r.severity);
    messages
        .into_iter()
        .map(|message| Finding {
            rule: RuleId::VersionNotAdvanced,
            severity,
            site: new.id.clone(),
            lang: None,
            cookie: None,
            message,
        })
        .collect()
}

/// A `YYYY-MM-DD` date as a comparable value.
fn date(text: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format).ok()
}

/// How `a` stands to `b`: numbers apart by dots or dashes ("1.10", "v2.0", "2024-11") compare
/// number by number, so "1.10" comes after "1.9" and "2.1.1" after "2.1". Two different texts
/// that are not both such numbers cannot be ordered: `None`, and no finding is made of them.
pub fn compare_versions(a: &str, b: &str) -> Option<Ordering> {
    if a.trim() == b.trim() {
        return Some(Ordering::Equal);
    }
    let (a, b) = (numbers(a)?, numbers(b)?);
    for (x, y) in a.iter().zip(&b) {
        let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
        let order = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
        if order != Ordering::Equal {
            return Some(order);
        }
    }
    Some(a.len().cmp(&b.len()))
}

/// The numbers of a version such as "v1.2.0" or "2024-11", or `None` for any other text.
fn numbers(version: &str) -> Option<Vec<&str>> {
    let version = version.trim();
    let version = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let parts: Vec<&str> = version.split(['.', '-']).collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_people_number_them() {
        use Ordering::*;
        for (a, b, want) in [
            ("1.10", "1.9", Some(Greater)),
            ("2", "1.9", Some(Greater)),
            ("1.0", "1.0", Some(Equal)),
            ("v1.3", "1.2", Some(Greater)),
            ("2.1.1", "2.1", Some(Greater)),
            ("2024-11", "2024-03", Some(Greater)),
            ("3.0", "10", Some(Less)),
            ("007", "7.0", Some(Less)),
            ("draft", "1.0", None),
            ("2.0-beta", "2.0", None),
            ("rev B", "rev B", Some(Equal)),
        ] {
            assert_eq!(compare_versions(a, b), want, "{a} vs {b}");
        }
    }
}
