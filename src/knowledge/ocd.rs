//! The Open Cookie Database (`assets/open-cookie-database/`, Apache-2.0), embedded in the binary
//! as published and normalised at first use: categories mapped to the project's, retention texts
//! read by the site files' duration parser, wildcard rows as prefixes.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Entry, Layer};
use crate::model::Category;
use crate::model::duration::parse_duration_text;

/// The database as shipped (unmodified CSV).
pub const CSV: &str = include_str!("../../assets/open-cookie-database/open-cookie-database.csv");

/// What the README, `lookup` and the app's About window say about where the data comes from.
pub const ATTRIBUTION: &str = "Cookie knowledge includes the Open Cookie Database \
     (https://github.com/jkwakman/Open-Cookie-Database, commit 0ee5a17fe1cb) by its \
     contributors, under the Apache License 2.0 (assets/open-cookie-database/LICENSE).";

#[derive(Debug, Deserialize)]
struct Row {
    #[serde(rename = "Platform")]
    platform: String,
    #[serde(rename = "Category")]
    category: String,
    #[serde(rename = "Cookie / Data Key name")]
    name: String,
    #[serde(rename = "Domain")]
    domain: String,
    #[serde(rename = "Description")]
    description: String,
    #[serde(rename = "Retention period")]
    retention: String,
    #[serde(rename = "Wildcard match")]
    wildcard: String,
}

/// The project's category for an Open Cookie Database category (README, "Cookie knowledge").
/// "Functional" covers both strictly necessary cookies (sessions, load balancers, consent
/// state) and preference cookies, so it maps to necessary and [`Entry::accepts`] takes any of
/// necessary, preferences or security as agreeing with it.
pub fn map_category(ocd: &str) -> Category {
    match ocd.trim().to_ascii_lowercase().as_str() {
        "functional" | "necessary" => Category::Necessary,
        "analytics" => Category::Statistics,
        "marketing" => Category::Marketing,
        "personalization" => Category::Preferences,
        "security" => Category::Security,
        _ => Category::Unclassified,
    }
}

/// Parses the embedded database; rows without a name are skipped.
pub fn entries() -> Result<Vec<Entry>, String> {
    parse(CSV)
}

pub fn parse(csv_text: &str) -> Result<Vec<Entry>, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    // About 170 distinct retention texts among 2,264 rows: each is read once.
    let mut read: HashMap<String, crate::model::DurationValue> = HashMap::new();
    let mut out = Vec::new();
    for row in reader.deserialize::<Row>() {
        let row = row.map_err(|e| format!("open-cookie-database.csv: {e}"))?;
        let name = row.name.trim();
        if name.is_empty() {
            continue;
        }
        let retention = row.retention.trim().to_string();
        let value = *read
            .entry(retention.clone())
            .or_insert_with(|| parse_duration_text(&retention).unwrap_or_default());
        let category = row.category.trim();
        out.push(Entry {
            name: name.to_string(),
            wildcard: row.wildcard.trim() == "1",
            platform: row.platform.trim().to_string(),
            category: map_category(category),
            source_category: (!category.is_empty()).then(|| category.to_string()),
            domains: super::domains_in(&row.domain),
            domain: row.domain.trim().to_string(),
            description: row.description.trim().to_string(),
            retention,
            retention_value: value,
            storage: None,
            platform_id: None,
            layer: Layer::OpenCookieDatabase,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_shipped_database_is_read() {
        let entries = entries().unwrap();
        // 2,264 rows, one without a name.
        assert!(entries.len() >= 2_260, "{}", entries.len());
        assert_eq!(entries.iter().filter(|e| e.wildcard).count(), 260);
        let readable = entries
            .iter()
            .filter(|e| e.retention_value != crate::model::DurationValue::Unknown)
            .count();
        // What stays text: "forever", "Varies", dates, typos.
        assert!(readable * 100 / entries.len() >= 97, "{readable}");
    }

    #[test]
    fn categories_map_to_the_project_s() {
        assert_eq!(map_category("Analytics"), Category::Statistics);
        assert_eq!(map_category("Marketing"), Category::Marketing);
        assert_eq!(map_category("Functional"), Category::Necessary);
        assert_eq!(map_category("Personalization"), Category::Preferences);
        assert_eq!(map_category("Security"), Category::Security);
        assert_eq!(map_category("Necessary"), Category::Necessary);
        assert_eq!(map_category(""), Category::Unclassified);
    }
}
