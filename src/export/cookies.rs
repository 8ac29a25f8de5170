//! `cookies.csv` and `cookies.json`: a site's declarations as published (platform ones
//! resolved), every field, one row per cookie.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::bundle::pretty_json;
use crate::model::text::text_in;
use crate::model::{CookieDecl, DurationValue, Texts};

/// One declaration, with every field in words a reader of the CSV understands.
#[derive(Serialize)]
pub(crate) struct Record<'a> {
    name: &'a str,
    display_name: String,
    matching: &'static str,
    storage: &'static str,
    provider: &'a str,
    category: &'static str,
    party: &'static str,
    /// As it applies: the declared consent, else the category's default.
    consent: &'static str,
    consent_declared: Option<&'static str>,
    domain: Option<&'a str>,
    location: &'a Texts,
    purpose: &'a Texts,
    duration: DurationRecord<'a>,
    /// The heading of the rows it starts (a row across the page's table); empty for none.
    /// Written even when empty: `changes` reads a record without it as one from before it was
    /// kept, whose headings it cannot compare.
    group: &'a Texts,
    /// Its cells in the page's own columns that map to no field, by column number (as
    /// `group`, written even when empty).
    other_cells: &'a BTreeMap<u8, Texts>,
}

#[derive(Serialize)]
struct DurationRecord<'a> {
    text: &'a Texts,
    kind: &'static str,
    /// `null` for a session cookie or an unknown duration.
    seconds: Option<u64>,
    human: String,
}

/// The record `cookies.json` holds for `decl` (`changes` compares sites folders by it, so that
/// they compare like bundles).
pub(crate) fn record(decl: &CookieDecl) -> Record<'_> {
    let value = decl.duration.value;
    let (kind, seconds) = match value {
        DurationValue::Session => ("session", None),
        DurationValue::Seconds(s) => ("seconds", Some(s)),
        DurationValue::UpTo(s) => ("up_to", Some(s)),
        DurationValue::Unknown => ("unknown", None),
    };
    let consent = if decl.is_consent_exempt() {
        crate::model::Consent::Exempt
    } else {
        crate::model::Consent::Required
    };
    Record {
        name: &decl.name,
        display_name: decl.display_name(),
        matching: decl.matching.label(),
        storage: decl.storage.label(),
        provider: &decl.provider,
        category: decl.category.label(),
        party: decl.party.label(),
        consent: consent.label(),
        consent_declared: decl.consent.map(|c| c.label()),
        domain: decl.domain.as_deref(),
        location: &decl.location,
        purpose: &decl.purpose,
        duration: DurationRecord {
            text: &decl.duration.text,
            kind,
            seconds,
            human: value.to_string(),
        },
        group: &decl.group,
        other_cells: &decl.other_cells,
    }
}

/// The languages that get text columns: the site's, then any other a declaration has text in.
fn text_languages(site_languages: &[String], cookies: &[CookieDecl]) -> Vec<String> {
    let mut langs = site_languages.to_vec();
    let mut others: Vec<&String> = cookies
        .iter()
        .flat_map(|c| [&c.location, &c.purpose, &c.duration.text])
        .flat_map(|t| t.keys())
        .filter(|l| !site_languages.contains(l))
        .collect();
    others.sort();
    others.dedup();
    langs.extend(others.into_iter().cloned());
    langs
}

/// `cookies.json`: `{ "site", "languages", "cookies": [...] }`.
pub fn json(site_id: &str, languages: &[String], cookies: &[CookieDecl]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Doc<'a> {
        site: &'a str,
        languages: &'a [String],
        cookies: Vec<Record<'a>>,
    }
    pretty_json(&Doc {
        site: site_id,
        languages,
        cookies: cookies.iter().map(record).collect(),
    })
}

/// `cookies.csv`: one row per cookie; texts one column per language (`purpose_en`,
/// `purpose_fr`); the duration as kind, seconds and words; then, when a cookie has them, group
/// headings and the cells of the page's own columns.
pub fn csv(languages: &[String], cookies: &[CookieDecl]) -> Result<Vec<u8>, csv::Error> {
    let langs = text_languages(languages, cookies);
    let mut header: Vec<String> = [
        "name",
        "display_name",
        "matching",
        "storage",
        "provider",
        "category",
        "party",
        "consent",
        "consent_declared",
        "domain",
    ]
    .map(String::from)
    .to_vec();
    for field in ["location", "purpose", "duration_text"] {
        header.extend(langs.iter().map(|l| format!("{field}_{l}")));
    }
    header.extend(["duration_kind", "duration_seconds", "duration_human"].map(String::from));
    // The page's own words, as columns only when a cookie has them (group headings, cells of
    // columns without a field: `other1_en` is the first such column's cell).
    let groups = cookies.iter().any(|c| !c.group.is_empty());
    let others: BTreeSet<u8> = cookies
        .iter()
        .flat_map(|c| c.other_cells.keys().copied())
        .collect();
    if groups {
        header.extend(langs.iter().map(|l| format!("group_{l}")));
    }
    for n in &others {
        header.extend(
            langs
                .iter()
                .map(|l| format!("other{}_{l}", u16::from(*n) + 1)),
        );
    }

    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header)?;
    for decl in cookies {
        let r = record(decl);
        let mut row: Vec<String> = vec![
            r.name.to_string(),
            r.display_name,
            r.matching.into(),
            r.storage.into(),
            r.provider.into(),
            r.category.into(),
            r.party.into(),
            r.consent.into(),
            r.consent_declared.unwrap_or_default().into(),
            r.domain.unwrap_or_default().into(),
        ];
        for texts in [r.location, r.purpose, r.duration.text] {
            row.extend(langs.iter().map(|l| text_in(texts, l).to_string()));
        }
        row.push(r.duration.kind.into());
        row.push(
            r.duration
                .seconds
                .map(|s| s.to_string())
                .unwrap_or_default(),
        );
        row.push(r.duration.human);
        if groups {
            row.extend(langs.iter().map(|l| text_in(r.group, l).to_string()));
        }
        for n in &others {
            let cell = r.other_cells.get(n);
            row.extend(
                langs
                    .iter()
                    .map(|l| cell.map_or("", |t| text_in(t, l)).to_string()),
            );
        }
        writer.write_record(&row)?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_own_words_get_columns_only_when_a_cookie_has_them() {
        let en = |t: &str| Texts::from([("en".to_string(), t.to_string())]);
        let plain = CookieDecl {
            name: "sid".into(),
            ..Default::default()
        };
        let langs = ["en".to_string()];
        let text =
            |cookies: &[CookieDecl]| String::from_utf8(csv(&langs, cookies).unwrap()).unwrap();
        let header = |t: &str| t.lines().next().unwrap_or_default().to_string();
        assert!(!header(&text(std::slice::from_ref(&plain))).contains("group_en"));

        let worded = CookieDecl {
            name: "_ga".into(),
            group: en("Statistics"),
            other_cells: BTreeMap::from([(1, en("HTTP"))]),
            ..Default::default()
        };
        let out = text(&[plain, worded]);
        assert!(header(&out).ends_with(",group_en,other2_en"), "{out}");
        let rows: Vec<&str> = out.lines().skip(1).collect();
        assert!(rows[0].ends_with(",,"), "{out}");
        assert!(rows[1].ends_with(",Statistics,HTTP"), "{out}");
    }
}
