//! `--since DATE|DURATION`: a moment given as a date, a date and time, or a time ago.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// `text` as a moment: `2026-11-01` (midnight UTC), `2026-11-01T06:00:00Z` (RFC 3339), or a
/// duration before `now` (`7d`, `36h`, `2weeks`, `1d 12h`).
pub fn parse(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let text = text.trim();
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at);
    }
    if let Ok(day) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        return Ok(day.midnight().assume_utc());
    }
    humantime::parse_duration(text)
        .ok()
        .and_then(|d| time::Duration::try_from(d).ok())
        .and_then(|d| now.checked_sub(d))
        .ok_or_else(|| {
            format!(
                "{text:?} is neither a date (2026-11-01, 2026-11-01T06:00:00Z) nor a duration \
                 (7d, 36h, 2weeks)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_durations() {
        let now = OffsetDateTime::parse("2026-11-24T12:00:00Z", &Rfc3339).unwrap();
        let at = |s: &str| crate::timestamp::rfc3339(parse(s, now).unwrap());
        assert_eq!(at("2026-11-01"), "2026-11-01T00:00:00Z");
        assert_eq!(at("2026-11-01T06:30:00+01:00"), "2026-11-01T05:30:00Z");
        assert_eq!(at("7d"), "2026-11-17T12:00:00Z");
        assert_eq!(at("36h"), "2026-11-23T00:00:00Z");
        assert_eq!(at("1d 12h"), "2026-11-23T00:00:00Z");
        for bad in ["yesterday", "2026-13-01", "", "-3d"] {
            let e = parse(bad, now).unwrap_err();
            assert!(e.contains("neither a date"), "{e}");
        }
    }
}
