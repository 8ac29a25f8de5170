//! Cookies as set: `Set-Cookie` header lines (parsed with the `cookie` crate) and
//! `document.cookie = "…"` statements of inline scripts.

use std::sync::LazyLock;

use cookie::{Cookie, Expiration};
use regex::Regex;
use time::OffsetDateTime;
use url::Url;

use super::report::{Hop, Observed, Rejected, Source, Storage};

/// The longest a browser keeps a cookie: 400 days.
pub const MAX_LIFETIME: i64 = 400 * 24 * 3600;

/// What one `Set-Cookie` line sets.
pub enum SetCookie {
    Set(Observed),
    /// The line deletes the cookie (a past expiry or `Max-Age=0`).
    Deleted,
    Rejected(Rejected),
}

/// Reads the `Set-Cookie` lines of `hop`; lifetimes from `Expires` count from the response's
/// `Date` header, else from `now`.
pub fn from_hop(hop: &Hop, now: OffsetDateTime) -> Vec<SetCookie> {
    let Ok(url) = Url::parse(&hop.url) else {
        return Vec::new();
    };
    let date = hop
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("date"))
        .and_then(|(_, v)| cookie::Cookie::parse(format!("d=; Expires={v}")).ok())
        .and_then(|c| c.expires_datetime())
        .unwrap_or(now);
    hop.set_cookie
        .iter()
        .map(|line| from_line(line, &url, date, Source::Header))
        .collect()
}

/// One cookie string (a `Set-Cookie` value, or what a script assigns to `document.cookie`).
pub fn from_line(line: &str, url: &Url, now: OffsetDateTime, source: Source) -> SetCookie {
    let parsed = match Cookie::parse(line) {
        Ok(c) => c,
        Err(e) => {
            return SetCookie::Rejected(Rejected {
                line: line.to_string(),
                reason: e.to_string(),
            });
        }
    };
    if parsed.name().trim().is_empty() {
        return SetCookie::Rejected(Rejected {
            line: line.to_string(),
            reason: "the cookie has no name".into(),
        });
    }
    // Max-Age wins over Expires (RFC 6265 §5.3).
    let lifetime: Option<i64> = match (parsed.max_age(), parsed.expires()) {
        (Some(age), _) => Some(age.whole_seconds()),
        (None, Some(Expiration::DateTime(at))) => Some((at - now).whole_seconds()),
        (None, _) => None,
    };
    if lifetime.is_some_and(|s| s <= 0) {
        return SetCookie::Deleted;
    }
    // Browsers keep a cookie at most 400 days (RFC 6265bis), whatever it asks for.
    let lifetime = lifetime.map(|s| s.min(MAX_LIFETIME));
    let host = url.host_str().unwrap_or_default();
    SetCookie::Set(Observed {
        name: parsed.name().to_string(),
        domain: parsed
            .domain()
            .map(|d| d.trim_start_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| host.to_string()),
        path: parsed
            .path()
            .filter(|p| p.starts_with('/'))
            .map_or_else(|| default_path(url), str::to_string),
        lifetime_seconds: lifetime.map(|s| s as u64),
        secure: parsed.secure().unwrap_or(false),
        http_only: parsed.http_only().unwrap_or(false),
        same_site: parsed.same_site().map(|s| s.to_string()),
        source,
        service: None,
        known: Vec::new(),
        evidence: line.to_string(),
        url: url.to_string(),
        storage: Storage::Cookie,
        phases: Vec::new(),
    })
}

/// RFC 6265 §5.1.4: the request path up to its last `/`.
fn default_path(url: &Url) -> String {
    let path = url.path();
    match path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => path[..i].to_string(),
    }
}

static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"document\s*\.\s*cookie\s*=(?:[^=]|$)").expect("the assignment pattern is valid")
});

/// Stands for a value computed at run time while a statement is read.
const COMPUTED: char = '\u{1}';

/// What one `document.cookie = …` statement tells without running it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignment {
    /// The cookie string as a browser would receive it, each computed value read as `x`
    /// (`"lang=" + l + "; max-age=31536000"` gives `lang=x; max-age=31536000`).
    Readable(String),
    /// The cookie's name is computed at run time: only a browser can tell it.
    ComputedName { statement: String },
    /// The name is literal but the lifetime (`max-age`, `expires`) is computed.
    ComputedLifetime { name: String, statement: String },
}

impl Assignment {
    fn of(text: String) -> Option<Assignment> {
        let shown = || text.replace(COMPUTED, "…");
        let (first, attributes) = text.split_once(';').unwrap_or((&text, ""));
        let Some((name, _)) = first.split_once('=') else {
            return first
                .contains(COMPUTED)
                .then(|| Assignment::ComputedName { statement: shown() });
        };
        if name.contains(COMPUTED) {
            return Some(Assignment::ComputedName { statement: shown() });
        }
        let computed_lifetime = attributes.split(';').any(|a| {
            let (key, value) = a.split_once('=').unwrap_or((a, ""));
            let key = key.trim().to_ascii_lowercase();
            // A whole attribute computed may be the lifetime too.
            key == COMPUTED.to_string()
                || (matches!(key.as_str(), "max-age" | "expires") && value.contains(COMPUTED))
        });
        Some(if computed_lifetime {
            Assignment::ComputedLifetime {
                name: name.trim().to_string(),
                statement: shown(),
            }
        } else {
            Assignment::Readable(text.replace(COMPUTED, "x"))
        })
    }
}

/// What inline script `code` assigns to `document.cookie`, statement by statement.
pub fn script_assignments(code: &str) -> Vec<Assignment> {
    let starts: Vec<(usize, usize)> = ASSIGNMENT
        .find_iter(code)
        .filter_map(|m| {
            // The match ends one character into the expression; start at the `=`.
            let eq = code[m.start()..m.end()].rfind('=')?;
            Some((m.start(), m.start() + eq + 1))
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .filter_map(|(i, &(_, from))| {
            // One statement never runs into the next assignment, so all of them together are
            // read in one pass over the script.
            let to = starts
                .get(i + 1)
                .map_or(code.len(), |&(next, _)| next.max(from));
            Assignment::of(literal_concatenation(&code[from..to]))
        })
        .collect()
}

/// Joins the string literals of one JavaScript expression, up to the end of the statement.
fn literal_concatenation(expr: &str) -> String {
    // A statement longer than this is no cookie string; the bound keeps a hostile page with
    // thousands of unterminated assignments linear.
    let expr = expr
        .char_indices()
        .nth(8192)
        .map_or(expr, |(i, _)| &expr[..i]);
    let mut out = String::new();
    let mut chars = expr.chars();
    // Inside a call's parentheses everything is one value: `encodeURIComponent("{}")` is `x`.
    let mut depth = 0usize;
    let mut in_value = false;
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' | '`' => {
                let mut literal = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => literal.extend(chars.next()),
                        d if d == c => break,
                        '\n' if c != '`' => break,
                        d => literal.push(d),
                    }
                }
                if depth == 0 {
                    out.push_str(&literal);
                    in_value = false;
                }
            }
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => depth -= 1,
            ';' | '\n' | ')' | ']' | '}' | ',' if depth == 0 => break,
            '+' if depth == 0 => in_value = false,
            c if c.is_whitespace() || depth > 0 => {}
            _ => {
                // An expression between literals stands for some value.
                if !in_value {
                    out.push(COMPUTED);
                    in_value = true;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_script_assignments() {
        let code = r#"
            var l = "fr";
            document.cookie = "lang=" + l + "; max-age=31536000; path=/";
            if (document.cookie == "x") {}
            document.cookie='consent=yes;expires=Fri, 31 Dec 2100 23:59:59 GMT'
            document.cookie = "prefs=" + encodeURIComponent(JSON.stringify({a: "b;c"})) + "; max-age=60";
        "#;
        assert_eq!(
            script_assignments(code),
            vec![
                Assignment::Readable("lang=x; max-age=31536000; path=/".into()),
                Assignment::Readable("consent=yes;expires=Fri, 31 Dec 2100 23:59:59 GMT".into()),
                Assignment::Readable("prefs=x; max-age=60".into()),
            ]
        );
    }

    #[test]
    fn never_invents_a_computed_name_or_lifetime() {
        let code = r#"
            document.cookie = name + "=1; path=/";
            document.cookie = "ab=b; max-age=" + 60*60*24*800 + "; path=/";
            document.cookie = "t=1; expires=" + d.toUTCString();
            document.cookie = "u=1; " + rest;
            document.cookie = c;
        "#;
        assert_eq!(
            script_assignments(code),
            vec![
                Assignment::ComputedName {
                    statement: "…=1; path=/".into()
                },
                Assignment::ComputedLifetime {
                    name: "ab".into(),
                    statement: "ab=b; max-age=…; path=/".into()
                },
                Assignment::ComputedLifetime {
                    name: "t".into(),
                    statement: "t=1; expires=…".into()
                },
                Assignment::ComputedLifetime {
                    name: "u".into(),
                    statement: "u=1; …".into()
                },
                Assignment::ComputedName {
                    statement: "…".into()
                },
            ]
        );
    }

    #[test]
    fn a_lifetime_past_400_days_is_what_a_browser_keeps() {
        let url = Url::parse("https://a.example/").unwrap();
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let SetCookie::Set(c) = from_line("a=1; Max-Age=99999999999", &url, now, Source::Header)
        else {
            panic!("sets a")
        };
        assert_eq!(c.lifetime_seconds, Some(400 * 24 * 3600));
    }

    #[test]
    fn reads_a_flood_of_assignments_each_on_its_own() {
        let code = "document.cookie='n=1' + ".repeat(50_000);
        let found = script_assignments(&code);
        assert_eq!(found.len(), 50_000);
        assert!(
            found
                .iter()
                .all(|c| *c == Assignment::Readable("n=1".into()))
        );
    }

    #[test]
    fn reads_lifetimes_and_deletions() {
        let url = Url::parse("https://a.example/x/page").unwrap();
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let SetCookie::Set(c) = from_line(
            "a=1; Max-Age=60; Secure; HttpOnly; SameSite=Lax",
            &url,
            now,
            Source::Header,
        ) else {
            panic!("not set")
        };
        assert_eq!(
            (c.lifetime_seconds, c.secure, c.http_only),
            (Some(60), true, true)
        );
        assert_eq!((c.domain.as_str(), c.path.as_str()), ("a.example", "/x"));
        assert!(matches!(
            from_line("a=; Max-Age=0", &url, now, Source::Header),
            SetCookie::Deleted
        ));
        assert!(matches!(
            from_line("novalue", &url, now, Source::Header),
            SetCookie::Rejected(_)
        ));
    }
}
