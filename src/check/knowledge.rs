//! The `knowledge-differs` rule: a declaration whose category or duration differs from what the
//! cookie knowledge base holds for its name. It speaks only when one entry answers for the
//! declaration's own pattern and applies where the cookie lives, and never when the site's
//! platform declares the name (the platform wins).

use crate::knowledge::{Knowledge, Layer, Query};
use crate::model::{CookieDecl, DurationValue, Site};

/// Why `decl` differs from the knowledge base, one message per difference.
pub fn differences(site: &Site, decl: &CookieDecl, knowledge: &Knowledge) -> Vec<String> {
    let query = Query {
        name: &decl.name,
        storage: decl.storage.into(),
        domain: decl.domain.as_deref(),
        first_party: site.base_url.host_str(),
        site_platform: Some(site.platform.as_deref()),
    };
    let answer = knowledge.for_declaration(decl, &query);
    let Some(entry) = answer.single().filter(|e| e.layer != Layer::Platform) else {
        return Vec::new();
    };
    let whose = format!("{}'s {}", entry.platform, entry.display_name());
    let mut out = Vec::new();
    if !entry.accepts(decl.category) {
        out.push(format!(
            "{} is declared {}, but the {} knows {whose} as {}",
            decl.display_name(),
            decl.category,
            entry.layer,
            entry
                .source_category
                .clone()
                .unwrap_or_else(|| entry.category.to_string())
                .to_lowercase()
        ));
    }
    if durations_differ(decl.duration.value, entry.retention_value) {
        out.push(format!(
            "{} is declared to last {}, but the {} gives {whose} a usual retention of {}",
            decl.display_name(),
            decl.duration.value,
            entry.layer,
            entry.retention_text()
        ));
    }
    out
}

/// Whether a declared lifetime contradicts a known one (5% allowed for month and year
/// rounding; "up to" a length takes anything shorter).
pub fn durations_differ(declared: DurationValue, known: DurationValue) -> bool {
    use DurationValue::*;
    let over = |a: u64, b: u64| a as f64 > b as f64 * 1.05;
    match (declared, known) {
        (Unknown, _) | (_, Unknown) => false,
        (Session, Seconds(_)) | (Seconds(_), Session) => true,
        (Session, _) | (_, Session) => false,
        (UpTo(a), Seconds(b)) => over(b, a),
        (Seconds(a), UpTo(b)) => over(a, b),
        (a, b) => !a.agrees_with(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duration::{DAY, MONTH, YEAR};
    use DurationValue::*;

    #[test]
    fn only_contradicting_lifetimes_differ() {
        assert!(durations_differ(Seconds(13 * MONTH), Seconds(2 * YEAR)));
        assert!(!durations_differ(Seconds(YEAR), Seconds(365 * DAY)));
        assert!(!durations_differ(UpTo(YEAR), Seconds(30 * DAY)));
        assert!(durations_differ(UpTo(30 * DAY), Seconds(YEAR)));
        assert!(!durations_differ(Seconds(30 * DAY), UpTo(YEAR)));
        assert!(durations_differ(Session, Seconds(YEAR)));
        assert!(!durations_differ(Session, UpTo(YEAR)));
        assert!(!durations_differ(Unknown, Seconds(YEAR)));
        assert!(!durations_differ(Seconds(YEAR), Unknown));
    }
}
