//! How long a cookie lives: the text shown to visitors in each language, and a machine value.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::text::Texts;

pub const MINUTE: u64 = 60;
pub const HOUR: u64 = 60 * MINUTE;
pub const DAY: u64 = 24 * HOUR;
pub const WEEK: u64 = 7 * DAY;
/// An average Gregorian month (365.2425 / 12 days), so that "13 months" means what regulators mean.
pub const MONTH: u64 = 2_629_746;
pub const YEAR: u64 = 12 * MONTH;

/// The machine value of a duration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DurationValue {
    /// Deleted when the browser closes.
    Session,
    /// Lives this many seconds.
    Seconds(u64),
    /// Lives at most this many seconds (it may be reset sooner).
    UpTo(u64),
    /// Nobody has said.
    #[default]
    Unknown,
}

impl DurationValue {
    /// The longest the cookie may live, in seconds; `Some(0)` for a session cookie.
    pub fn max_seconds(self) -> Option<u64> {
        match self {
            DurationValue::Session => Some(0),
            DurationValue::Seconds(s) | DurationValue::UpTo(s) => Some(s),
            DurationValue::Unknown => None,
        }
    }

    /// Whether two values say the same thing, allowing 5% for month and year rounding.
    pub fn agrees_with(self, other: DurationValue) -> bool {
        use DurationValue::*;
        match (self, other) {
            (Seconds(a), Seconds(b)) | (UpTo(a), UpTo(b)) => {
                u128::from(a.abs_diff(b)) * 20 <= u128::from(a.max(b))
            }
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for DurationValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DurationValue::Session => f.write_str("session"),
            DurationValue::Seconds(s) => f.write_str(&human_seconds(s)),
            DurationValue::UpTo(s) => write!(f, "up to {}", human_seconds(s)),
            DurationValue::Unknown => f.write_str("unknown"),
        }
    }
}

/// Seconds in the largest unit that divides them, or rounded to whole days when none does.
pub fn human_seconds(s: u64) -> String {
    const UNITS: [(u64, &str); 6] = [
        (YEAR, "year"),
        (MONTH, "month"),
        (WEEK, "week"),
        (DAY, "day"),
        (HOUR, "hour"),
        (MINUTE, "minute"),
    ];
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if s == 0 {
        return "0 seconds".into();
    }
    for (size, unit) in UNITS {
        if s.is_multiple_of(size) {
            return plural(s / size, unit);
        }
    }
    if s >= DAY {
        return format!("about {}", plural(s.saturating_add(DAY / 2) / DAY, "day"));
    }
    plural(s, "second")
}

/// A lifetime as a policy words it for visitors in `lang` (French, else English): the largest
/// unit that says it within 5% (the tolerance of [`DurationValue::agrees_with`]), so that
/// `parse_duration_text` reads the text back as the same value ("13 months", "13 mois").
pub fn duration_words(value: DurationValue, lang: &str) -> String {
    let french = lang == "fr";
    let seconds = match value {
        DurationValue::Session => {
            return if french {
                "fin de session"
            } else {
                "end of session"
            }
            .into();
        }
        DurationValue::Unknown => return String::new(),
        DurationValue::Seconds(s) | DurationValue::UpTo(s) => s,
    };
    // (seconds, English singular, plural, French singular, plural)
    const UNITS: [(u64, &str, &str, &str, &str); 7] = [
        (YEAR, "year", "years", "an", "ans"),
        (MONTH, "month", "months", "mois", "mois"),
        (WEEK, "week", "weeks", "semaine", "semaines"),
        (DAY, "day", "days", "jour", "jours"),
        (HOUR, "hour", "hours", "heure", "heures"),
        (MINUTE, "minute", "minutes", "minute", "minutes"),
        (1, "second", "seconds", "seconde", "secondes"),
    ];
    let (n, unit) = UNITS
        .iter()
        .find_map(|u| {
            // Saturating and in u128: a file or a server may give any u64 (found by fuzzing).
            let n = seconds.saturating_add(u.0 / 2) / u.0;
            (n >= 1 && u128::from((n * u.0).abs_diff(seconds)) * 20 <= u128::from(seconds))
                .then_some((n, u))
        })
        .unwrap_or((seconds, &UNITS[6]));
    let word = match (french, n == 1) {
        (false, true) => unit.1,
        (false, false) => unit.2,
        (true, true) => unit.3,
        (true, false) => unit.4,
    };
    let text = format!("{n} {word}");
    match (value, french) {
        (DurationValue::UpTo(_), false) => format!("up to {text}"),
        (DurationValue::UpTo(_), true) => format!("jusqu'à {text}"),
        _ => text,
    }
}

/// A declared duration: what visitors read, per language, and what a machine compares.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Duration {
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub text: Texts,
    #[serde(default)]
    pub value: DurationValue,
}

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?P<n>\d+(?:[.,]\d+)?|an?|one|two|three|four|six|twelve|thirteen|un|une|deux|trois|quatre|six|douze|treize)
        \s*
        (?P<unit>secondes?|seconds?|secs?|minutes?|mins?|heures?|hours?|hrs?|h|jours?|days?|j|d
                |semaines?|weeks?|mois|months?|ann[ée]es?|ans?|years?|yrs?
                # Italian, Spanish, German, Dutch
                |secondi|segundos?|sekunden?|seconden|minuti|minutos?|minuten
                |or[ae]|horas?|stunden?|uur|giorn[io]|d[ií]as?|tage?n?|dag(en)?
                |settiman[ae]|semanas?|wochen?|mes[ei]|mes(es)?|monate?n?|maand(en)?
                |ann[io]|a[ñn]os?|jahre?n?|jaar|jaren)\b",
    )
    .expect("the duration pattern is a valid regex")
});

static UP_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(up to|at most|no more than|maximum|max\.?|jusqu'à|jusqu'a|au plus|au maximum)\b",
    )
    .expect("the up-to pattern is a valid regex")
});

static SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(sessions?|sessione|sesión|sitzung|sessie|fin de session|end of session|fermeture du navigateur)\b")
        .expect("the session pattern is a valid regex")
});

/// A lower bound ("1 hour or longer"): no machine value can say it, so the text stays text.
static AT_LEAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(or longer|or more|at least|ou plus|au moins|au minimum)\b")
        .expect("the at-least pattern is a valid regex")
});

/// Unit letters glued to a number ("3w or 1y"), as cookie databases abbreviate them.
static LETTER_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<n>\d+)(?P<u>[wy])\b").expect("the letter-unit pattern is a valid regex")
});

/// Reads a duration written for visitors, in English or French ("2 weeks by default",
/// "Up to 12 months", "6 mois", "jusqu'à 13 mois", "session"). `None` when the text says nothing a
/// machine can use.
///
/// Texts naming several lengths ("Session to 30 days", "1 week to 1 year", "14 days if you tick
/// Remember me, otherwise session") read as at most the longest; a lower bound ("1 hour or
/// longer") and words with no length ("forever", "varies") read as nothing.
pub fn parse_duration_text(text: &str) -> Option<DurationValue> {
    let lower = text.to_lowercase().replace(['\u{2019}', '`'], "'");
    if AT_LEAST.is_match(&lower) {
        return None;
    }
    let lower = LETTER_UNIT.replace_all(&lower, |c: &regex::Captures| {
        let unit = if &c["u"] == "w" { "weeks" } else { "years" };
        format!("{} {unit}", &c["n"])
    });
    let mut amounts: Vec<u64> = Vec::new();
    for caps in AMOUNT.captures_iter(&lower) {
        let n = number(&caps["n"])?;
        let unit = unit_seconds(&caps["unit"])?;
        amounts.push((n * unit as f64).round() as u64);
    }
    let Some(&longest) = amounts.iter().max() else {
        return SESSION.is_match(&lower).then_some(DurationValue::Session);
    };
    let shortest = amounts.iter().copied().min().unwrap_or(longest);
    let several = !DurationValue::Seconds(shortest).agrees_with(DurationValue::Seconds(longest))
        || SESSION.is_match(&lower);
    if several || UP_TO.is_match(&lower) {
        Some(DurationValue::UpTo(longest))
    } else {
        Some(DurationValue::Seconds(longest))
    }
}

fn number(word: &str) -> Option<f64> {
    Some(match word {
        "a" | "an" | "one" | "un" | "une" => 1.0,
        "two" | "deux" => 2.0,
        "three" | "trois" => 3.0,
        "four" | "quatre" => 4.0,
        "six" => 6.0,
        "twelve" | "douze" => 12.0,
        "thirteen" | "treize" => 13.0,
        digits => digits.replace(',', ".").parse().ok()?,
    })
}

fn unit_seconds(unit: &str) -> Option<u64> {
    let unit = unit.trim_end_matches('s');
    Some(match unit {
        "" => return None,
        u if u.starts_with("sec") || u.starts_with("seg") || u.starts_with("sek") => 1,
        u if u.starts_with("min") => MINUTE,
        "h" | "heure" | "hour" | "hr" | "ora" | "ore" | "hora" | "uur" => HOUR,
        u if u.starts_with("stunde") => HOUR,
        "j" | "d" | "jour" | "day" | "giorno" | "giorni" | "día" | "dia" | "dag" | "dagen" => DAY,
        u if u.starts_with("tag") => DAY,
        "semaine" | "week" | "settimana" | "settimane" | "semana" => WEEK,
        u if u.starts_with("woche") => WEEK,
        // "meses" and "mes" lose their final "s" above.
        "moi" | "month" | "mese" | "mesi" | "me" | "maand" | "maanden" => MONTH,
        u if u.starts_with("monat") => MONTH,
        "an" | "année" | "annee" | "year" | "yr" | "anno" | "anni" | "año" | "ano" => YEAR,
        u if u.starts_with("jahr") || u.starts_with("jaar") || u == "jaren" => YEAR,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DurationValue::*;

    #[test]
    fn reads_english_and_french_durations() {
        let cases = [
            ("2 weeks by default", Some(Seconds(2 * WEEK))),
            ("Up to 12 months", Some(UpTo(12 * MONTH))),
            (
                "Token randomly reset between two requests or two sessions. Up to 12 months",
                Some(UpTo(12 * MONTH)),
            ),
            ("6 mois", Some(Seconds(6 * MONTH))),
            ("13 months", Some(Seconds(13 * MONTH))),
            ("session", Some(Session)),
            ("Session", Some(Session)),
            ("jusqu’à 12 mois", Some(UpTo(12 * MONTH))),
            ("2 semaines par défaut", Some(Seconds(2 * WEEK))),
            ("1 an", Some(Seconds(YEAR))),
            ("a year", Some(Seconds(YEAR))),
            ("30 jours", Some(Seconds(30 * DAY))),
            ("24 hours", Some(Seconds(24 * HOUR))),
            ("30 minutes", Some(Seconds(30 * MINUTE))),
            ("", None),
            ("persistent", None),
            // Italian, Spanish, German, Dutch.
            ("6 mesi", Some(Seconds(6 * MONTH))),
            ("30 minuti", Some(Seconds(30 * MINUTE))),
            ("Fine sessione", Some(Session)),
            ("1 anno", Some(Seconds(YEAR))),
            ("2 años", Some(Seconds(2 * YEAR))),
            ("13 meses", Some(Seconds(13 * MONTH))),
            ("24 horas", Some(Seconds(24 * HOUR))),
            ("Sesión", Some(Session)),
            ("1 Jahr", Some(Seconds(YEAR))),
            ("30 Tage", Some(Seconds(30 * DAY))),
            ("Sitzung", Some(Session)),
            ("2 jaar", Some(Seconds(2 * YEAR))),
            ("7 dagen", Some(Seconds(7 * DAY))),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration_text(text), want, "{text:?}");
        }
    }

    /// The spellings of the Open Cookie Database's retention column, as it writes them.
    #[test]
    fn reads_the_spellings_of_cookie_databases() {
        let cases = [
            ("1 Year", Some(Seconds(YEAR))),
            ("30 Days", Some(Seconds(30 * DAY))),
            ("2 Weeks", Some(Seconds(2 * WEEK))),
            ("1440 Minutes", Some(Seconds(1440 * MINUTE))),
            ("30 mins", Some(Seconds(30 * MINUTE))),
            ("30 secs", Some(Seconds(30))),
            ("90 sec", Some(Seconds(90))),
            ("2 year", Some(Seconds(YEAR * 2))),
            ("1 months", Some(Seconds(MONTH))),
            ("0 days", Some(Seconds(0))),
            ("Sessions", Some(Session)),
            ("session cookie", Some(Session)),
            ("End of session (browser)", Some(Session)),
            ("2 years after last activity", Some(Seconds(2 * YEAR))),
            (
                "13 months by default, modifiable",
                Some(Seconds(13 * MONTH)),
            ),
            (
                "1 year (in some countries, the period may be longer)",
                Some(Seconds(YEAR)),
            ),
            // Several lengths: at most the longest.
            ("Session to 30 days", Some(UpTo(30 * DAY))),
            ("1 week to 1 year", Some(UpTo(YEAR))),
            ("60 days till 3650 days", Some(UpTo(3650 * DAY))),
            ("30 seconds till 1 year", Some(UpTo(YEAR))),
            (
                "180 days after last activity or 10 years when opting out",
                Some(UpTo(10 * YEAR)),
            ),
            (
                "14 days if you select \u{201c}Remember Me\u{201d} when logging in. Otherwise, Session.",
                Some(UpTo(14 * DAY)),
            ),
            ("30 minutes, 3w or 1y depending on value", Some(UpTo(YEAR))),
            // Two spellings of one length are still one length.
            ("13 months (395 days)", Some(Seconds(13 * MONTH))),
            // What no machine value can say stays text.
            ("1 hour or longer", None),
            ("forever", None),
            ("Unlimited", None),
            ("permanent", None),
            ("Persistent", None),
            ("no expiration", None),
            ("Varies", None),
            ("Unknown", None),
            ("undefined", None),
            ("Local Storage", None),
            ("10 Nov 2030", None),
            ("Seesion", None),
            ("Immediately removed", None),
            // A number word inside another word is no amount ("la" is not "a").
            ("voila heures", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration_text(text), want, "{text:?}");
        }
    }

    #[test]
    fn values_agree_within_rounding_only() {
        assert!(Seconds(12 * MONTH).agrees_with(Seconds(365 * DAY)));
        assert!(!Seconds(12 * MONTH).agrees_with(UpTo(12 * MONTH)));
        assert!(!Seconds(6 * MONTH).agrees_with(Seconds(12 * MONTH)));
        assert!(Session.agrees_with(Session));
    }

    #[test]
    fn words_a_lifetime_as_policies_do_and_reads_it_back() {
        let cases = [
            (Seconds(400 * DAY), "13 months", "13 mois"),
            (Seconds(365 * DAY), "1 year", "1 an"),
            (Seconds(2 * WEEK), "2 weeks", "2 semaines"),
            (Seconds(30 * MINUTE), "30 minutes", "30 minutes"),
            (Seconds(90), "90 seconds", "90 secondes"),
            (Seconds(45), "45 seconds", "45 secondes"),
            (UpTo(6 * MONTH), "up to 6 months", "jusqu'à 6 mois"),
            (Session, "end of session", "fin de session"),
        ];
        for (value, en, fr) in cases {
            assert_eq!(duration_words(value, "en"), en);
            assert_eq!(duration_words(value, "fr"), fr);
            for text in [en, fr] {
                let read = parse_duration_text(text).unwrap_or(Unknown);
                assert!(read.agrees_with(value), "{text:?} reads as {read:?}");
            }
        }
        assert_eq!(duration_words(Seconds(400 * DAY), "de"), "13 months");
    }

    #[test]
    fn shows_values_in_their_largest_unit() {
        assert_eq!(Seconds(2 * WEEK).to_string(), "2 weeks");
        assert_eq!(UpTo(12 * MONTH).to_string(), "up to 1 year");
        assert_eq!(Seconds(13 * MONTH).to_string(), "13 months");
        assert_eq!(Seconds(90).to_string(), "90 seconds");
        assert_eq!(Session.to_string(), "session");
    }
}
