//! Consent managers' own declarations: a Cookiebot declaration script (its
//! `CookieConsentDialog.cookieTable…` arrays) and a OneTrust consent JSON (`DomainData.Groups`).
//! Both give names, categories, purposes and durations as the site's team declared them there.

use serde_json::Value;

use super::js_literal;
use crate::import::table::category_in;
use crate::model::duration::parse_duration_text;
use crate::model::{Category, DurationValue, StorageType};

/// One declaration as the tool words it.
#[derive(Clone, Debug, PartialEq)]
pub struct Declared {
    pub name: String,
    /// The domain or service the tool names as setting it.
    pub provider: String,
    /// `None` when the tool's category has no counterpart here.
    pub category: Option<Category>,
    /// The tool's own word for the category.
    pub tool_category: String,
    pub purpose: String,
    /// The duration as the tool words it (empty when it gives a number only).
    pub duration_text: String,
    pub value: DurationValue,
    pub storage: StorageType,
}

/// A tool's declarations, and the language its texts are in when it says.
pub struct Declarations {
    pub lang: Option<String>,
    pub items: Vec<Declared>,
    pub skipped: Vec<String>,
}

/// Cookiebot's tables, by the variable that holds each.
const COOKIEBOT_TABLES: &[(&str, Option<Category>)] = &[
    ("Necessary", Some(Category::Necessary)),
    ("Preference", Some(Category::Preferences)),
    ("Statistics", Some(Category::Statistics)),
    ("Advertising", Some(Category::Marketing)),
    ("Unclassified", None),
];

/// Each row: name, provider, purpose, expiry, type name (`HTTP`, `HTML`, `Pixel`), type id, …
pub fn cookiebot(script: &str) -> Declarations {
    let mut out = Declarations {
        lang: None,
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for &(table, category) in COOKIEBOT_TABLES {
        let var = format!("CookieConsentDialog.cookieTable{table}");
        let Some(at) = script.find(&var) else {
            continue;
        };
        let rest = script[at + var.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rows = match js_literal::read(rest) {
            Ok((Value::Array(rows), _)) => rows,
            Ok(_) => continue,
            Err(e) => {
                out.skipped
                    .push(format!("the {table} table cannot be read: {e}"));
                continue;
            }
        };
        for row in rows {
            let cell = |i: usize| row[i].as_str().unwrap_or_default().trim().to_string();
            let name = cell(0);
            if name.is_empty() {
                out.skipped
                    .push(format!("a {table} row without a name: {row}"));
                continue;
            }
            let duration_text = cell(3);
            out.items.push(Declared {
                name,
                provider: cell(1),
                category,
                tool_category: table.to_string(),
                purpose: cell(2),
                value: parse_duration_text(&duration_text).unwrap_or_default(),
                duration_text,
                storage: match cell(4).as_str() {
                    "HTML" => StorageType::LocalStorage,
                    "Pixel" => StorageType::Pixel,
                    _ => StorageType::HttpCookie,
                },
            });
        }
    }
    out
}

/// `DomainData.Groups[]`: `GroupName`, `FirstPartyCookies[]` and `Hosts[].Cookies[]`, each
/// cookie with `Name`, `Host`, `IsSession`, `Length` (days) and `description`; the language
/// from `DomainData.Language.Culture`.
pub fn onetrust(doc: &Value) -> Declarations {
    let data = &doc["DomainData"];
    let lang = data["Language"]["Culture"]
        .as_str()
        .map(|c| c.chars().take(2).collect::<String>().to_lowercase())
        .filter(|l| crate::model::text::is_language_code(l));
    let mut out = Declarations {
        lang,
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for group in data["Groups"].as_array().into_iter().flatten() {
        let group_name = group["GroupName"].as_str().unwrap_or_default().trim();
        let first = group["FirstPartyCookies"].as_array().into_iter().flatten();
        let hosts = group["Hosts"].as_array().into_iter().flatten();
        let third = hosts.flat_map(|h| h["Cookies"].as_array().into_iter().flatten());
        for c in first.chain(third) {
            let Some(name) = c["Name"].as_str().map(str::trim).filter(|n| !n.is_empty()) else {
                out.skipped
                    .push(format!("a {group_name:?} cookie without a name"));
                continue;
            };
            let days = match &c["Length"] {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            let value = match (c["IsSession"].as_bool(), days) {
                (Some(true), _) => DurationValue::Session,
                (_, Some(d)) if d >= 0.0 => DurationValue::Seconds((d * 86_400.0).round() as u64),
                _ => DurationValue::Unknown,
            };
            out.items.push(Declared {
                name: name.to_string(),
                provider: c["Host"].as_str().unwrap_or_default().to_string(),
                // A group's name uses the words of a policy page's category headings.
                category: category_in(group_name),
                tool_category: group_name.to_string(),
                purpose: c["description"]
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
                duration_text: String::new(),
                value,
                storage: StorageType::HttpCookie,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onetrust_groups_map_to_categories_or_to_none() {
        assert_eq!(
            category_in("Strictly Necessary Cookies"),
            Some(Category::Necessary)
        );
        assert_eq!(
            category_in("Cookies de performance"),
            Some(Category::Statistics)
        );
        assert_eq!(
            category_in("Functional Cookies"),
            Some(Category::Preferences)
        );
        assert_eq!(category_in("Targeting Cookies"), Some(Category::Marketing));
        assert_eq!(category_in("Other"), None);
    }
}
