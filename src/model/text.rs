//! Text that exists once per language.

use std::collections::BTreeMap;

/// A language code such as `en` or `fr` (ISO 639-1, lower case).
pub type Lang = String;

/// One text per language. A `BTreeMap` keeps the languages sorted, so saved files are stable.
pub type Texts = BTreeMap<Lang, String>;

/// The text in `lang`, or an empty string when that language has none.
pub fn text_in<'a>(texts: &'a Texts, lang: &str) -> &'a str {
    texts.get(lang).map(String::as_str).unwrap_or("")
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// "1 site", "2 sites": a count and an English word that takes an `s` in the plural.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Whether `lang` is a plausible ISO 639-1 code; anything else is refused when loading.
pub fn is_language_code(lang: &str) -> bool {
    lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase())
}
