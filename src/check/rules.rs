//! The check rules. Each has a stable id (used in reports, filters and CI scripts) and a
//! severity; `check_site` runs them all on one site.

use super::finding::{Finding, Rule, RuleId, Severity};
use super::language::reads_as_other;
use super::patterns::{NamePattern, Overlap, overlap};
use crate::knowledge::Knowledge;
use crate::model::duration::{MONTH, parse_duration_text};
use crate::model::site::{Column, texts_of};
use crate::model::text::{shorten, text_in};
use crate::model::{Block, Category, CookieDecl, DurationValue, Platform, Site};

pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::DurationMissing,
        severity: Severity::Error,
        summary: "Every declared cookie states how long it lasts (CJEU C-673/17 Planet49).",
    },
    Rule {
        id: RuleId::DurationTextMismatch,
        severity: Severity::Warning,
        summary: "The duration visitors read says what the machine value says.",
    },
    Rule {
        id: RuleId::DurationUnreadable,
        severity: Severity::Info,
        summary: "A duration text PolicyDesk cannot read as a length of time.",
    },
    Rule {
        id: RuleId::Lifetime13Months,
        severity: Severity::Error,
        summary: "A statistics or consent-exempt cookie lives at most 13 months (CNIL 2020-091).",
    },
    Rule {
        id: RuleId::ConsentChoice6Months,
        severity: Severity::Warning,
        summary: "The cookie storing the consent choice keeps it about 6 months (CNIL, Garante).",
    },
    Rule {
        id: RuleId::LanguagesDisagree,
        severity: Severity::Error,
        summary: "Every language version lists the same cookies with the same durations.",
    },
    Rule {
        id: RuleId::AnalyticsClaimedUndeclared,
        severity: Severity::Warning,
        summary: "A policy that says it does web analytics declares a statistics cookie.",
    },
    Rule {
        id: RuleId::DuplicatePattern,
        severity: Severity::Error,
        summary: "A cookie name is declared once.",
    },
    Rule {
        id: RuleId::OverlappingPatterns,
        severity: Severity::Warning,
        summary: "No cookie name matches two declarations.",
    },
    Rule {
        id: RuleId::InvalidPattern,
        severity: Severity::Error,
        summary: "A regex name pattern compiles.",
    },
    Rule {
        id: RuleId::WrongLanguage,
        severity: Severity::Warning,
        summary: "Text is written in the language of the version it belongs to.",
    },
    Rule {
        id: RuleId::KnowledgeDiffers,
        severity: Severity::Info,
        summary: "A declaration's category and duration agree with the cookie knowledge base.",
    },
    Rule {
        id: RuleId::RowSplit,
        severity: Severity::Warning,
        summary: "Cookies published in one table row read the same in the row's other cells.",
    },
    Rule {
        id: RuleId::VersionNotAdvanced,
        severity: Severity::Error,
        summary: "When the published content changed since the previous version, policy_version \
                  and last_review moved forward (only with a previous version: check --previous).",
    },
];

/// The rule with `id`; every id is in `RULES` (a unit test holds them to it).
pub fn rule(id: RuleId) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

const ANALYTICS_CLAIMS: &[&str] = &[
    "web analytics",
    "audience measurement",
    "analytics cookies",
    "mesure d'audience",
    "mesures d'audience",
    "analyse d'audience",
    "statistiques de fréquentation",
];

struct Checker<'a> {
    site: &'a Site,
    out: Vec<Finding>,
}

impl Checker<'_> {
    fn report(&mut self, id: RuleId, lang: Option<&str>, cookie: Option<&str>, message: String) {
        let severity = rule(id).map_or(Severity::Error, |r| r.severity);
        self.out.push(Finding {
            rule: id,
            severity,
            site: self.site.id.clone(),
            lang: lang.map(str::to_string),
            cookie: cookie.map(str::to_string),
            message,
        });
    }
}

/// Runs every rule on `site`, whose platform rows resolve against `platform`, with the shipped
/// cookie knowledge and that platform's.
pub fn check_site(site: &Site, platform: Option<&Platform>) -> Vec<Finding> {
    check_site_with(site, platform, &Knowledge::new(Vec::new(), platform))
}

/// [`check_site`] against a sites folder's cookie knowledge (its team catalog too).
pub fn check_site_with(
    site: &Site,
    platform: Option<&Platform>,
    knowledge: &Knowledge,
) -> Vec<Finding> {
    let cookies = site.resolved_cookies(platform);
    let mut c = Checker {
        site,
        out: Vec::new(),
    };
    for decl in &cookies {
        // Each language's duration text, read once for the rules that compare them.
        let read: Vec<ReadDuration> = site
            .languages
            .iter()
            .map(|lang| {
                let text = text_in(&decl.duration.text, lang).trim();
                let value = (!text.is_empty())
                    .then(|| parse_duration_text(text))
                    .flatten();
                (lang.as_str(), text, value)
            })
            .collect();
        durations(&mut c, decl, &read);
        lifetimes(&mut c, decl, site.consent_cookie(platform));
        languages_agree(&mut c, decl, &read);
        cookie_language(&mut c, decl);
        for message in super::knowledge::differences(site, decl, knowledge) {
            c.report(RuleId::KnowledgeDiffers, None, Some(&decl.name), message);
        }
    }
    patterns(&mut c, &cookies);
    shared_rows(&mut c, &cookies);
    analytics_claim(&mut c, &cookies);
    section_languages(&mut c);
    c.out
}

/// A cookie declared to share the row above it whose other cells read otherwise: it is shown
/// in a row of its own, not as the site file says.
fn shared_rows(c: &mut Checker, cookies: &[CookieDecl]) {
    let site = c.site;
    let by_category = site
        .sections
        .values()
        .flatten()
        .flat_map(|s| &s.body)
        .any(|b| matches!(b, Block::CategoryTable(_)));
    for pair in cookies.windows(2) {
        let [above, decl] = pair else { continue };
        if decl.shares_row.is_none() {
            continue;
        }
        // Why a row of its own is shown instead; the message says it the same way each time.
        let mut split = |lang: Option<&str>, why: String| {
            c.report(
                RuleId::RowSplit,
                lang,
                Some(&decl.name),
                format!(
                    "{} is declared in {}'s row but {why}, so it is shown in a row of its own",
                    decl.name, above.name
                ),
            );
        };
        if by_category && above.category != decl.category || above.table != decl.table {
            split(None, "is in another table".into());
            continue;
        }
        for lang in &site.languages {
            let group = text_in(&decl.group, lang).trim();
            if !group.is_empty() {
                split(
                    Some(lang),
                    format!("a group heading ({group:?}) stands above it"),
                );
                continue;
            }
            let differ: Vec<&str> = site
                .cells_differing(above, decl, lang)
                .into_iter()
                .map(|col| site.header_of(decl.table, col, lang))
                .collect();
            if !differ.is_empty() {
                let verb = if differ.len() == 1 {
                    "differs"
                } else {
                    "differ"
                };
                split(
                    Some(lang),
                    format!(
                        "its {} {verb} in {}",
                        differ.join(", "),
                        language_name(lang)
                    ),
                );
            }
        }
    }
}

/// (language, duration text, what it reads as).
type ReadDuration<'a> = (&'a str, &'a str, Option<DurationValue>);

fn durations(c: &mut Checker, decl: &CookieDecl, read: &[ReadDuration]) {
    let site = c.site;
    let name = Some(decl.name.as_str());
    if !site.shows_durations_of(decl.table) {
        c.report(
            RuleId::DurationMissing,
            None,
            name,
            format!(
                "the published table has no duration column, so visitors are not told how long \
                 {} lasts",
                decl.name
            ),
        );
    }
    for &(lang, text, value) in read {
        if text.is_empty() {
            if site.shows_durations_of(decl.table) {
                c.report(
                    RuleId::DurationMissing,
                    Some(lang),
                    name,
                    format!("no duration is given for {} in {lang}", decl.name),
                );
            }
            continue;
        }
        match value {
            None => c.report(
                RuleId::DurationUnreadable,
                Some(lang),
                name,
                format!("the duration {text:?} does not read as a length of time"),
            ),
            Some(read) if decl.duration.value == DurationValue::Unknown => c.report(
                RuleId::DurationTextMismatch,
                Some(lang),
                name,
                format!("the text {text:?} says {read}, but the machine value is unknown"),
            ),
            Some(read) if !read.agrees_with(decl.duration.value) => c.report(
                RuleId::DurationTextMismatch,
                Some(lang),
                name,
                format!(
                    "the text {text:?} says {read}, but the machine value is {}",
                    decl.duration.value
                ),
            ),
            Some(_) => {}
        }
    }
}

fn lifetimes(c: &mut Checker, decl: &CookieDecl, consent_cookie: Option<&str>) {
    let Some(secs) = decl.duration.value.max_seconds() else {
        return;
    };
    let name = Some(decl.name.as_str());
    let statistics = decl.category == Category::Statistics;
    if (statistics || decl.is_consent_exempt()) && secs > 13 * MONTH {
        let why = if statistics {
            "a statistics"
        } else {
            "a consent-exempt"
        };
        c.report(
            RuleId::Lifetime13Months,
            None,
            name,
            format!(
                "{} is {why} cookie kept {}, over the 13 months allowed",
                decl.name, decl.duration.value
            ),
        );
    }
    // A day's leeway: "6 months" written as 183 days is still 6 months.
    if consent_cookie == Some(decl.name.as_str()) && secs > 6 * MONTH + 86_400 {
        c.report(
            RuleId::ConsentChoice6Months,
            None,
            name,
            format!(
                "{} stores the consent choice for {}; ask again after about 6 months",
                decl.name, decl.duration.value
            ),
        );
    }
}

pub(super) fn language_name(lang: &str) -> &str {
    match lang {
        "en" => "English",
        "fr" => "French",
        other => other,
    }
}

fn languages_agree(c: &mut Checker, decl: &CookieDecl, read: &[ReadDuration]) {
    let site = c.site;
    let shown = |field: &str| match field {
        "function and location" => site
            .table_columns_of(decl.table)
            .contains(&Column::Location),
        "duration" => site.shows_durations_of(decl.table),
        _ => true,
    };
    for (field, texts) in texts_of(decl) {
        if !shown(field) {
            continue;
        }
        let has: Vec<&String> = site
            .languages
            .iter()
            .filter(|l| !text_in(texts, l).trim().is_empty())
            .collect();
        if has.is_empty() || has.len() == site.languages.len() {
            continue;
        }
        for lang in site.languages.iter().filter(|l| !has.contains(l)) {
            c.report(
                RuleId::LanguagesDisagree,
                Some(lang),
                Some(&decl.name),
                format!(
                    "the {} version gives {} a {field}, the {} version does not",
                    language_name(has[0]),
                    decl.name,
                    language_name(lang)
                ),
            );
        }
    }
    if !site.shows_durations_of(decl.table) {
        return;
    }
    let read: Vec<(&str, DurationValue)> = read
        .iter()
        .filter_map(|&(l, _, v)| v.map(|v| (l, v)))
        .collect();
    if let Some(((first_lang, first), rest)) = read.split_first() {
        for (lang, value) in rest {
            if !value.agrees_with(*first) {
                c.report(
                    RuleId::LanguagesDisagree,
                    Some(lang),
                    Some(&decl.name),
                    format!(
                        "the {} version says {} lasts {first}, the {} version says {value}",
                        language_name(first_lang),
                        decl.name,
                        language_name(lang)
                    ),
                );
            }
        }
    }
}

fn cookie_language(c: &mut Checker, decl: &CookieDecl) {
    let site = c.site;
    for (field, texts) in texts_of(decl) {
        for lang in &site.languages {
            let text = text_in(texts, lang);
            if let Some(other) = reads_as_other(text, lang) {
                c.report(
                    RuleId::WrongLanguage,
                    Some(lang),
                    Some(&decl.name),
                    format!(
                        "the {} {field} of {} reads as {}: {text:?}",
                        language_name(lang),
                        decl.name,
                        language_name(other)
                    ),
                );
            }
        }
    }
}

fn section_languages(c: &mut Checker) {
    let site = c.site;
    for lang in &site.languages {
        if !site.sections.contains_key(lang) {
            c.report(
                RuleId::LanguagesDisagree,
                Some(lang),
                None,
                format!("the policy has no {} text", language_name(lang)),
            );
            continue;
        }
        let found: Vec<(String, &'static str)> = site
            .section_texts(lang)
            .filter_map(|text| reads_as_other(text, lang).map(|o| (text.to_string(), o)))
            .collect();
        for (text, other) in found {
            c.report(
                RuleId::WrongLanguage,
                Some(lang),
                None,
                format!(
                    "this {} text reads as {}: {:?}",
                    language_name(lang),
                    language_name(other),
                    shorten(&text, 80)
                ),
            );
        }
    }
}

fn patterns(c: &mut Checker, cookies: &[CookieDecl]) {
    let mut compiled = Vec::with_capacity(cookies.len());
    for decl in cookies {
        match NamePattern::of(decl) {
            Ok(p) => compiled.push((decl, p)),
            Err(e) => c.report(
                RuleId::InvalidPattern,
                None,
                Some(&decl.name),
                format!("the name pattern {:?} is not a valid regex: {e}", decl.name),
            ),
        }
    }
    for (i, (a, pa)) in compiled.iter().enumerate() {
        for (b, pb) in &compiled[i + 1..] {
            match overlap((a, pa), (b, pb)) {
                Some(Overlap::Duplicate) => c.report(
                    RuleId::DuplicatePattern,
                    None,
                    Some(&a.name),
                    format!("{} is declared more than once", a.display_name()),
                ),
                Some(Overlap::Overlapping) => c.report(
                    RuleId::OverlappingPatterns,
                    None,
                    Some(&a.name),
                    format!(
                        "{} ({}) and {} ({}) both match some cookie names",
                        a.display_name(),
                        a.matching,
                        b.display_name(),
                        b.matching
                    ),
                ),
                None => {}
            }
        }
    }
}

fn analytics_claim(c: &mut Checker, cookies: &[CookieDecl]) {
    if cookies.iter().any(|d| d.category == Category::Statistics) {
        return;
    }
    let site = c.site;
    for lang in &site.languages {
        let claim = site.section_texts(lang).find_map(|text| {
            let lower = text.to_lowercase().replace('\u{2019}', "'");
            ANALYTICS_CLAIMS
                .iter()
                .find(|claim| lower.contains(*claim))
                .copied()
        });
        if let Some(claim) = claim {
            c.report(
                RuleId::AnalyticsClaimedUndeclared,
                Some(lang),
                None,
                format!(
                    "the {} text speaks of {claim:?}, but no statistics cookie is declared",
                    language_name(lang)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RULES, RuleId};

    #[test]
    fn every_rule_id_has_one_rule() {
        let ids: Vec<RuleId> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
    }
}
