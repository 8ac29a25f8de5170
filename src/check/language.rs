//! Which language a short text is written in, told by its function words.
//!
//! Table cells are a few words long ("API (CSRF) (front et back office)"), too short for
//! statistical detectors, but one "et" or "and" settles them. Words both languages use ("on",
//! "an", "son") are left out of both lists.

use std::collections::HashSet;
use std::sync::LazyLock;

const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "is",
    "are",
    "for",
    "with",
    "in",
    "your",
    "you",
    "we",
    "our",
    "this",
    "that",
    "which",
    "from",
    "by",
    "be",
    "been",
    "it",
    "its",
    "their",
    "they",
    "can",
    "may",
    "will",
    "each",
    "when",
    "not",
    "or",
    "at",
    "as",
    "has",
    "have",
    "these",
    "those",
    "between",
    "up",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "year",
    "years",
    "hour",
    "hours",
    "default",
    "how",
    "what",
    "who",
    "remember",
    "remembers",
    "user",
    "visitor",
];

const FRENCH: &[&str] = &[
    "le",
    "la",
    "les",
    "des",
    "du",
    "de",
    "et",
    "est",
    "sont",
    "pour",
    "avec",
    "dans",
    "sur",
    "une",
    "un",
    "vous",
    "votre",
    "vos",
    "nous",
    "notre",
    "nos",
    "qui",
    "que",
    "ne",
    "pas",
    "ou",
    "au",
    "aux",
    "ces",
    "cette",
    "ce",
    "il",
    "ils",
    "elle",
    "elles",
    "sa",
    "ses",
    "leur",
    "leurs",
    "par",
    "mois",
    "jour",
    "jours",
    "semaine",
    "semaines",
    "ans",
    "année",
    "années",
    "heure",
    "heures",
    "durée",
    "à",
    "être",
    "lorsque",
    "chaque",
    "entre",
    "jusqu",
    "qu",
    "d",
    "l",
    "c",
    "défaut",
    "utilisateur",
    "visiteur",
    "mémoriser",
    "mémorise",
];

/// `Some("en")` or `Some("fr")` when the text's function words say so, `None` when they do not.
pub fn detect(text: &str) -> Option<&'static str> {
    static WORDS: LazyLock<(HashSet<&str>, HashSet<&str>)> = LazyLock::new(|| {
        (
            ENGLISH.iter().copied().collect(),
            FRENCH.iter().copied().collect(),
        )
    });
    let (english, french) = &*WORDS;
    let (mut en, mut fr) = (0usize, 0usize);
    let mut lower = String::new();
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && !w.starts_with("http"))
    {
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        en += usize::from(english.contains(lower.as_str()));
        fr += usize::from(french.contains(lower.as_str()));
    }
    match en.cmp(&fr) {
        std::cmp::Ordering::Greater => Some("en"),
        std::cmp::Ordering::Less => Some("fr"),
        std::cmp::Ordering::Equal => None,
    }
}

/// Whether `text`, given as `lang`, reads as another language this detector knows.
pub fn reads_as_other(text: &str, lang: &str) -> Option<&'static str> {
    let without_links: String = text
        .split_whitespace()
        .filter(|w| !w.contains("://"))
        .collect::<Vec<_>>()
        .join(" ");
    detect(&without_links).filter(|&found| found != lang && matches!(lang, "en" | "fr"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_short_cells_apart() {
        assert_eq!(detect("API (CSRF) (front et back office)"), Some("fr"));
        assert_eq!(detect("Authentication (front and back office)"), Some("en"));
        assert_eq!(detect("2 weeks by default"), Some("en"));
        assert_eq!(detect("2 semaines par défaut"), Some("fr"));
        assert_eq!(detect("Opendatasoft"), None);
        assert_eq!(detect("Cookies policy"), None);
    }

    #[test]
    fn ignores_addresses() {
        assert_eq!(reads_as_other("https://example.com/de/la/et", "en"), None);
        assert_eq!(reads_as_other("For Edge: https://x.example/le", "en"), None);
    }
}
