//! Quick fixes: for a finding with a mechanical, safe remedy, the site with that remedy applied
//! and a sentence saying what changed; for any other, why there is no safe fix.
//!
//! "Safe" means the new wording or value comes from somewhere the site already trusts: its
//! platform's declaration of the same cookie, or the site's own duration text. Nothing is
//! translated, guessed or taken from the knowledge base (which gives typical values, not this
//! site's).

use super::finding::{Finding, RuleId};
use super::language::reads_as_other;
use super::rules::language_name;
use crate::knowledge::Knowledge;
use crate::model::duration::parse_duration_text;
use crate::model::text::text_in;
use crate::model::{
    Column, CookieDecl, CookieEntry, DurationValue, Layout, Platform, Site, TableColumn, Texts,
};

/// A remedy for one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// The whole site, fixed.
    pub site: Site,
    /// What changed, for a person ("filled the French duration of sessionid from …").
    pub description: String,
}

/// Why a rule's findings never have a mechanical fix, for the rules that have none at all.
pub fn no_fix_reason(rule: RuleId) -> Option<&'static str> {
    match rule {
        RuleId::DurationMissing
        | RuleId::DurationTextMismatch
        | RuleId::WrongLanguage
        | RuleId::LanguagesDisagree
        | RuleId::DuplicatePattern
        | RuleId::RowSplit => None,
        RuleId::DurationUnreadable => {
            Some("only a person can say what a duration text PolicyDesk cannot read means")
        }
        RuleId::Lifetime13Months | RuleId::ConsentChoice6Months => Some(
            "the cookie's lifetime is set by the portal, not by the policy: shorten it there, \
             then declare the new duration",
        ),
        RuleId::AnalyticsClaimedUndeclared => {
            Some("either the text or the cookie table is wrong; a person must say which")
        }
        RuleId::OverlappingPatterns | RuleId::InvalidPattern => {
            Some("a name pattern must be rewritten by a person")
        }
        RuleId::VersionNotAdvanced => Some(
            "the policy version and review date are a person's to set when the policy is published",
        ),
        RuleId::KnowledgeDiffers => Some(
            "the knowledge base gives typical values, not this site's: review the declaration \
             by hand",
        ),
    }
}

/// The fix for `finding` on `site` (whose platform rows resolve against `platform`), or why
/// there is none.
pub fn fix_for(site: &Site, platform: Option<&Platform>, finding: &Finding) -> Result<Fix, String> {
    if let Some(why) = no_fix_reason(finding.rule) {
        return Err(why.to_string());
    }
    let lang = finding.lang.as_deref();
    let cookie = finding.cookie.as_deref();
    let mut fixer = Fixer {
        site: site.clone(),
        platform,
        done: Vec::new(),
    };
    match (finding.rule, cookie, lang) {
        (RuleId::DurationMissing, Some(_), None) => fixer.show_durations()?,
        (RuleId::DurationMissing, Some(name), Some(lang)) => {
            fixer.fill_from_platform(name, Field::Duration, lang)?;
        }
        (RuleId::DurationTextMismatch, Some(name), Some(lang)) => {
            fixer.value_from_text(name, lang)?;
        }
        (RuleId::WrongLanguage, Some(name), Some(lang)) => fixer.reword(name, lang)?,
        (RuleId::WrongLanguage, None, _) => {
            return Err(
                "policy text has no reference wording to take: translate it by hand".into(),
            );
        }
        (RuleId::LanguagesDisagree, Some(name), Some(lang)) => {
            let field = Field::ALL
                .into_iter()
                .find(|f| finding.message.contains(&format!(" a {},", f.label())))
                .ok_or("the versions give different durations; a person must say which is right")?;
            fixer.fill_from_platform(name, field, lang)?;
        }
        (RuleId::LanguagesDisagree, None, _) => {
            return Err("a missing version of the policy text must be written by a person".into());
        }
        (RuleId::DuplicatePattern, Some(name), _) => fixer.drop_repeats(name)?,
        (RuleId::RowSplit, Some(name), _) => fixer.own_row(name)?,
        _ => return Err("this finding names no cookie or language to fix".into()),
    }
    Ok(Fix {
        site: fixer.site,
        description: fixer.done.join("; "),
    })
}

/// What [`fix_site`] did to one site.
#[derive(Clone, Debug, Default)]
pub struct SiteFixes {
    /// The site with every fix applied.
    pub site: Option<Site>,
    /// Each fix: the finding it answered and what changed.
    pub fixed: Vec<(Finding, String)>,
    /// The findings left (of the rule asked for), each with why it has no safe fix.
    pub left: Vec<(Finding, String)>,
}

/// Every safe fix for `site`'s findings (of `rule` only, when given), applied one after another,
/// each on the site as the previous left it. `site` is `None` in the result when nothing changed.
pub fn fix_site(
    site: &Site,
    platform: Option<&Platform>,
    knowledge: &Knowledge,
    rule: Option<RuleId>,
) -> SiteFixes {
    let wanted = |f: &Finding| rule.is_none_or(|r| f.rule == r);
    let check = |s: &Site| -> Vec<Finding> {
        super::check_site_with(s, platform, knowledge)
            .into_iter()
            .filter(|f| wanted(f))
            .collect()
    };
    let mut current = site.clone();
    let mut out = SiteFixes::default();
    let mut tried: Vec<Finding> = Vec::new();
    // Every pass tries a finding not tried before; a fix can raise new findings, so the passes
    // are bounded besides.
    let mut passes = 0;
    loop {
        passes += 1;
        let findings = check(&current);
        let Some(next) = findings.into_iter().find(|f| !tried.contains(f)) else {
            break;
        };
        tried.push(next.clone());
        if passes > 10_000 {
            break;
        }
        if let Ok(fix) = fix_for(&current, platform, &next)
            && fix.site != current
        {
            current = fix.site;
            out.fixed.push((next, fix.description));
        }
    }
    out.left = check(&current)
        .into_iter()
        .map(|f| {
            let why = match fix_for(&current, platform, &f) {
                Err(why) => why,
                Ok(_) => "a fix was tried, but the finding stays".to_string(),
            };
            (f, why)
        })
        .collect();
    if current != *site {
        out.site = Some(current);
    }
    out
}

/// A text field of a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Location,
    Purpose,
    Duration,
}

impl Field {
    const ALL: [Field; 3] = [Field::Location, Field::Purpose, Field::Duration];

    /// As [`crate::model::site::texts_of`] names it in findings.
    fn label(self) -> &'static str {
        match self {
            Field::Location => "function and location",
            Field::Purpose => "purpose",
            Field::Duration => "duration",
        }
    }

    fn of(self, decl: &CookieDecl) -> &Texts {
        match self {
            Field::Location => &decl.location,
            Field::Purpose => &decl.purpose,
            Field::Duration => &decl.duration.text,
        }
    }
}

struct Fixer<'a> {
    site: Site,
    platform: Option<&'a Platform>,
    done: Vec<String>,
}

impl Fixer<'_> {
    fn platform_decl(&self, name: &str) -> Option<&CookieDecl> {
        self.platform.and_then(|p| p.cookie(name))
    }

    fn platform_name(&self) -> &str {
        self.platform.map_or("", |p| p.name.as_str())
    }

    fn entry_mut(&mut self, name: &str) -> Result<&mut CookieEntry, String> {
        self.site
            .cookies
            .iter_mut()
            .find(|e| e.name() == name)
            .ok_or_else(|| format!("the site declares no cookie {name:?}"))
    }

    /// The cookie as published.
    fn resolved(&self, name: &str) -> Result<CookieDecl, String> {
        self.site
            .resolved_cookies(self.platform)
            .into_iter()
            .find(|d| d.name == name)
            .ok_or_else(|| format!("the site declares no cookie {name:?}"))
    }

    /// Sets `field` of `name` in `lang` to its platform's wording: a platform row drops its own
    /// wording (so it follows the platform again), a declaration of its own takes a copy.
    fn fill_from_platform(&mut self, name: &str, field: Field, lang: &str) -> Result<(), String> {
        let base = self.platform_decl(name).cloned().ok_or_else(|| {
            format!("no platform declares {name}, so there is no wording to take")
        })?;
        let wording = text_in(field.of(&base), lang).trim().to_string();
        if wording.is_empty() || reads_as_other(&wording, lang).is_some() {
            return Err(format!(
                "the platform {} gives no {} {} of {name}",
                self.platform_name(),
                language_name(lang),
                field.label()
            ));
        }
        let platform_name = self.platform_name().to_string();
        let mut value_from = None;
        match self.entry_mut(name)? {
            CookieEntry::Platform(using) => {
                let texts = match field {
                    Field::Location => &mut using.location,
                    Field::Purpose => &mut using.purpose,
                    Field::Duration => &mut using.duration_text,
                };
                texts.remove(lang);
            }
            CookieEntry::Own(decl) => {
                let texts = match field {
                    Field::Location => &mut decl.location,
                    Field::Purpose => &mut decl.purpose,
                    Field::Duration => &mut decl.duration.text,
                };
                texts.insert(lang.to_string(), wording.clone());
                if field == Field::Duration && decl.duration.value == DurationValue::Unknown {
                    decl.duration.value = base.duration.value;
                    value_from = Some(base.duration.value);
                }
            }
        }
        let mut said = format!(
            "{name}: the {} {} is now the platform {platform_name}'s {wording:?}",
            language_name(lang),
            field.label()
        );
        if let Some(value) = value_from {
            said.push_str(&format!(" (value {value})"));
        }
        self.done.push(said);
        Ok(())
    }

    /// The table shows durations: every cookie lacking one in a language gets its platform's,
    /// then the layout becomes [`Layout::WithDurations`] (a table of the site's own columns gains
    /// a duration column after the names). Refused when a cookie would still show none.
    fn show_durations(&mut self) -> Result<(), String> {
        // Read once: a fill changes only its own cookie and language.
        let missing: Vec<(String, String)> = self
            .site
            .resolved_cookies(self.platform)
            .iter()
            .flat_map(|d| {
                self.site
                    .languages
                    .iter()
                    .filter(|lang| text_in(&d.duration.text, lang).trim().is_empty())
                    .map(|lang| (d.name.clone(), lang.clone()))
            })
            .collect();
        for (name, lang) in &missing {
            self.fill_from_platform(name, Field::Duration, lang)
                .map_err(|why| {
                    format!(
                        "a table with durations would show none for {name} in {}: {why}",
                        language_name(lang)
                    )
                })?;
        }
        // The site's table, then each numbered table of columns of its own.
        let mut tables: Vec<Option<u8>> = self.site.columns.iter().map(|c| c.table).collect();
        tables.push(None);
        tables.sort();
        tables.dedup();
        for table in tables {
            if self.site.shows_durations_of(table) {
                continue;
            }
            if self.site.own_columns(table).next().is_none() {
                self.site.layout = Layout::WithDurations;
                self.done.insert(
                    0,
                    format!(
                        "layout switched to {} (the function and location column is no longer \
                         shown)",
                        Layout::WithDurations.label()
                    ),
                );
                continue;
            }
            let mine = |c: &TableColumn| c.table == table;
            let columns = &mut self.site.columns;
            let at = columns
                .iter()
                .position(|c| mine(c) && c.column == Column::Name)
                .or_else(|| columns.iter().rposition(mine))
                .map_or(columns.len(), |i| i + 1);
            columns.insert(
                at,
                TableColumn {
                    column: Column::Duration,
                    header: Default::default(),
                    table,
                },
            );
            self.done.insert(
                0,
                match table {
                    None => "the cookie table gains a duration column".to_string(),
                    Some(n) => format!("cookie table {n} gains a duration column"),
                },
            );
        }
        Ok(())
    }

    /// `name` is declared in a row of its own, as it is already shown.
    fn own_row(&mut self, name: &str) -> Result<(), String> {
        match self.entry_mut(name)? {
            CookieEntry::Own(d) => d.shares_row = None,
            CookieEntry::Platform(u) => u.shares_row = None,
        }
        self.done.push(format!(
            "{name} is declared in a row of its own, as it is shown"
        ));
        Ok(())
    }

    /// The machine value becomes what the duration text reads as, when the value was unknown and
    /// every language's text reads the same.
    fn value_from_text(&mut self, name: &str, lang: &str) -> Result<(), String> {
        let decl = self.resolved(name)?;
        if decl.duration.value != DurationValue::Unknown {
            return Err(format!(
                "the text and the value ({}) disagree; a person must say which is right",
                decl.duration.value
            ));
        }
        let read = parse_duration_text(text_in(&decl.duration.text, lang))
            .ok_or("the duration text does not read as a length of time")?;
        let others_agree = self.site.languages.iter().all(|l| {
            let text = text_in(&decl.duration.text, l).trim();
            text.is_empty() || parse_duration_text(text).is_some_and(|v| v.agrees_with(read))
        });
        if !others_agree {
            return Err("the language versions give different durations".into());
        }
        match self.entry_mut(name)? {
            CookieEntry::Platform(using) => using.duration_value = Some(read),
            CookieEntry::Own(decl) => decl.duration.value = read,
        }
        self.done.push(format!(
            "{name}: the duration value is now {read}, as the text says"
        ));
        Ok(())
    }

    /// Each text of `name` in `lang` that reads as another language takes the platform's wording.
    fn reword(&mut self, name: &str, lang: &str) -> Result<(), String> {
        let decl = self.resolved(name)?;
        let wrong: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|f| reads_as_other(text_in(f.of(&decl), lang), lang).is_some())
            .collect();
        if wrong.is_empty() {
            return Err("no text of this cookie reads as another language".into());
        }
        for field in wrong {
            self.fill_from_platform(name, field, lang)?;
        }
        Ok(())
    }

    /// Later rows that repeat an earlier row exactly are removed; rows that differ are left.
    fn drop_repeats(&mut self, name: &str) -> Result<(), String> {
        let rows: Vec<usize> = (0..self.site.cookies.len())
            .filter(|&i| self.site.cookies[i].name() == name)
            .collect();
        let Some((&first, rest)) = rows.split_first() else {
            return Err(format!("the site declares no cookie {name:?}"));
        };
        let repeats: Vec<usize> = rest
            .iter()
            .copied()
            .filter(|&i| self.site.cookies[i] == self.site.cookies[first])
            .collect();
        if repeats.is_empty() {
            return Err(format!(
                "the declarations of {name} differ; a person must choose which to keep"
            ));
        }
        for &i in repeats.iter().rev() {
            self.site.remove_cookie(i);
        }
        self.done.push(format!(
            "{name}: removed {} row(s) repeating the first word for word",
            repeats.len()
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_site;
    use crate::store::bundled::FILES;

    fn bundled(i: usize) -> (Site, Platform) {
        let site: Site = crate::store::format::parse(FILES[i].1).expect("bundled site parses");
        let platform_text = FILES
            .iter()
            .find(|(path, _)| path.contains("platforms/opendatasoft"))
            .map(|(_, text)| *text)
            .expect("bundled platform");
        let mut platform: Platform = crate::store::format::parse(platform_text).expect("parses");
        platform.id = "opendatasoft".into();
        (site, platform)
    }

    #[test]
    fn every_rule_either_has_fixes_or_says_why_not() {
        for rule in RuleId::ALL {
            if let Some(why) = no_fix_reason(*rule) {
                assert!(why.len() > 20, "{rule}: {why}");
            }
        }
    }

    #[test]
    fn a_duplicated_row_is_removed_only_when_word_for_word() {
        let (mut site, platform) = bundled(2);
        let first = site.cookies[0].clone();
        site.cookies.push(first.clone());
        let findings = check_site(&site, Some(&platform));
        let dup = findings
            .iter()
            .find(|f| f.rule == RuleId::DuplicatePattern)
            .expect("duplicate found");
        let fix = fix_for(&site, Some(&platform), dup).expect("fixable");
        assert_eq!(fix.site.cookies.len(), site.cookies.len() - 1);
        // A second row that words the cookie differently is a choice for a person.
        if let Some(CookieEntry::Platform(u)) = site.cookies.last_mut() {
            u.provider = Some("Someone else".into());
        }
        let findings = check_site(&site, Some(&platform));
        let dup = findings
            .iter()
            .find(|f| f.rule == RuleId::DuplicatePattern)
            .expect("duplicate found");
        let why = fix_for(&site, Some(&platform), dup).expect_err("no safe fix");
        assert!(why.contains("differ"), "{why}");
    }

    #[test]
    fn a_table_of_the_sites_own_columns_gains_durations_after_the_names() {
        let (mut site, platform) = bundled(1);
        assert!(!site.shows_durations());
        let header = |t: &str| [("en".to_string(), t.to_string())].into();
        site.columns = vec![
            TableColumn {
                column: Column::Name,
                header: header("Cookie"),
                table: None,
            },
            TableColumn {
                column: Column::Purpose,
                header: header("What for"),
                table: None,
            },
        ];
        let findings = check_site(&site, Some(&platform));
        let missing = findings
            .iter()
            .find(|f| f.rule == RuleId::DurationMissing && f.lang.is_none())
            .expect("no duration column");
        let fix = fix_for(&site, Some(&platform), missing).expect("fixable");
        assert_eq!(fix.site.layout, site.layout, "the site's own columns stay");
        assert_eq!(
            fix.site.table_columns(),
            [Column::Name, Column::Duration, Column::Purpose]
        );
        assert_eq!(fix.site.header(Column::Purpose, "en"), "What for");
        assert!(
            fix.description.contains("gains a duration column"),
            "{}",
            fix.description
        );
    }
}
