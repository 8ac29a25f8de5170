//! The platform declarations and the service catalog as knowledge-base entries.

use super::index::Index;
use super::{Entry, Layer, Storage, domains_in};
use crate::audit::catalog::Catalog;
use crate::model::duration::duration_words;
use crate::model::text::text_in;
use crate::model::{DurationValue, MatchKind, Platform};

/// A platform's declarations as entries (regex names are left out: they are no name or prefix).
pub(super) fn platform_entries(platform: &Platform) -> Vec<Entry> {
    platform
        .cookies
        .iter()
        .filter(|d| d.matching != MatchKind::Regex)
        .map(|d| Entry {
            name: d.name.clone(),
            wildcard: d.matching == MatchKind::Prefix,
            platform: platform.name.clone(),
            category: d.category,
            source_category: None,
            domains: d.domain.as_deref().map(domains_in).unwrap_or_default(),
            domain: d.domain.clone().unwrap_or_default(),
            description: text_in(&d.purpose, "en").to_string(),
            retention: text_in(&d.duration.text, "en").to_string(),
            retention_value: d.duration.value,
            storage: Some(d.storage.into()),
            platform_id: Some(platform.id.clone()),
            layer: Layer::Platform,
        })
        .collect()
}

/// The service catalog's cookies as entries, described as the Open Cookie Database describes the
/// same pattern (the catalog says only who sets them).
pub(super) fn service_entries(catalog: &Catalog, ocd: &Index) -> Vec<Entry> {
    catalog
        .services
        .iter()
        .flat_map(|s| {
            s.cookies.iter().map(|c| {
                let value = c
                    .lifetime
                    .map_or(DurationValue::Session, DurationValue::Seconds);
                Entry {
                    name: c.name.clone(),
                    wildcard: c.matching == MatchKind::Prefix,
                    platform: s.name.clone(),
                    category: c.category,
                    source_category: None,
                    domains: c.domain.as_deref().map(domains_in).unwrap_or_default(),
                    domain: c.domain.clone().unwrap_or_default(),
                    description: ocd
                        .with_pattern(&c.name, c.matching == MatchKind::Prefix)
                        .map(|e| e.description.clone())
                        .find(|d| !d.is_empty())
                        .unwrap_or_else(|| format!("Set by {} ({}).", s.name, s.provider)),
                    retention: duration_words(value, "en"),
                    retention_value: value,
                    storage: Some(Storage::Cookie),
                    platform_id: s.platform.clone(),
                    layer: Layer::ServiceCatalog,
                }
            })
        })
        .collect()
}
