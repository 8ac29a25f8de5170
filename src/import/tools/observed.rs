//! Browser recordings: a WEC `inspection.json` (EDPS Website Evidence Collector) and a HAR file.
//! Both record what a visit set, with the lifetime asked for; neither says what a cookie is for.

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use url::Url;

use crate::audit::cookies::{SetCookie, from_line};
use crate::audit::report::{Observed, Source, Storage};

/// What a recording holds: the items set, and the host the visit was to.
pub struct Recording {
    pub host: Option<String>,
    pub items: Vec<Observed>,
    /// Entries that could not be read, with why.
    pub skipped: Vec<String>,
}

fn observed(
    name: &str,
    domain: &str,
    lifetime: Option<u64>,
    storage: Storage,
    url: &str,
) -> Observed {
    Observed {
        name: name.to_string(),
        domain: domain.trim_start_matches('.').to_ascii_lowercase(),
        path: "/".into(),
        lifetime_seconds: lifetime,
        secure: false,
        http_only: false,
        same_site: None,
        source: Source::Header,
        service: None,
        known: Vec::new(),
        evidence: String::new(),
        url: url.to_string(),
        storage,
        phases: Vec::new(),
    }
}

/// A lifetime as observed, to the day when it is a day or more: the seconds a recording shows
/// drift with the time the visit took.
fn rounded(seconds: f64) -> u64 {
    const DAY: f64 = 86_400.0;
    let s = seconds.max(0.0);
    if s >= DAY {
        ((s / DAY).round() * DAY) as u64
    } else {
        s.round() as u64
    }
}

fn when(value: &Value) -> Option<OffsetDateTime> {
    value
        .as_str()
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
}

/// WEC's `inspection.json`: `cookies` as Chromium reports them (`expires` in seconds since the
/// epoch, -1 or `session: true` for a session cookie), counted from `start_time`; `localStorage`
/// by origin.
pub fn wec(doc: &Value) -> Recording {
    let start = when(&doc["start_time"]);
    let host = doc["host"].as_str().map(str::to_string);
    let page = doc["uri_ins"].as_str().unwrap_or_default();
    let mut out = Recording {
        host,
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for c in doc["cookies"].as_array().into_iter().flatten() {
        let Some(name) = c["name"].as_str().filter(|n| !n.is_empty()) else {
            out.skipped.push(format!("a cookie without a name: {c}"));
            continue;
        };
        let session =
            c["session"].as_bool() == Some(true) || c["expires"].as_f64().is_none_or(|e| e < 0.0);
        let lifetime = match (session, c["expires"].as_f64(), start) {
            (true, _, _) => None,
            (false, Some(expires), Some(start)) => {
                Some(rounded(expires - start.unix_timestamp() as f64))
            }
            (false, _, _) => {
                out.skipped.push(format!(
                    "{name}: its expiry is not counted from a start time the file gives"
                ));
                continue;
            }
        };
        let domain = c["domain"].as_str().unwrap_or_default();
        out.items
            .push(observed(name, domain, lifetime, Storage::Cookie, page));
    }
    if let Some(origins) = doc["localStorage"].as_object() {
        for (origin, entries) in origins {
            let host = Url::parse(origin)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            for key in entries.as_object().into_iter().flat_map(|e| e.keys()) {
                out.items
                    .push(observed(key, &host, None, Storage::LocalStorage, origin));
            }
        }
    }
    out
}

/// A HAR 1.2 file: the `Set-Cookie` headers of every response (read as the audit reads them,
/// `Expires` counted from the entry's `startedDateTime`); the first page's host.
pub fn har(doc: &Value) -> Recording {
    let entries = doc["log"]["entries"].as_array();
    let host = doc["log"]["pages"][0]["title"]
        .as_str()
        .and_then(|t| Url::parse(t).ok())
        .or_else(|| {
            entries
                .and_then(|e| e.first())
                .and_then(|e| e["request"]["url"].as_str())
                .and_then(|u| Url::parse(u).ok())
        })
        .and_then(|u| u.host_str().map(str::to_string));
    let mut out = Recording {
        host,
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for entry in entries.into_iter().flatten() {
        let Some(url) = entry["request"]["url"]
            .as_str()
            .and_then(|u| Url::parse(u).ok())
        else {
            continue;
        };
        let now = when(&entry["startedDateTime"]).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let headers = entry["response"]["headers"]
            .as_array()
            .into_iter()
            .flatten();
        for header in headers {
            if !header["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("set-cookie"))
            {
                continue;
            }
            // Some tools join several cookies of one response with newlines.
            for line in header["value"].as_str().unwrap_or_default().lines() {
                match from_line(line, &url, now, Source::Header) {
                    SetCookie::Set(mut o) => {
                        o.lifetime_seconds = o.lifetime_seconds.map(|s| rounded(s as f64));
                        out.items.push(o);
                    }
                    SetCookie::Deleted => {}
                    SetCookie::Rejected(r) => {
                        out.skipped.push(format!("{}: {}", r.line, r.reason));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rounded;

    #[test]
    fn lifetimes_are_rounded_to_the_day_from_a_day() {
        assert_eq!(rounded(31_535_999.6), 365 * 86_400);
        assert_eq!(rounded(1_799.7), 1_800);
        assert_eq!(rounded(-5.0), 0);
    }
}
