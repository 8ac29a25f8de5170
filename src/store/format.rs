//! The RON dialect of site and platform files.
//!
//! Files are written with `implicit_some` and `unwrap_variant_newtypes`, so a reviewer reads
//! `provider: "Opendatasoft"` and `Platform(name: "sessionid")` rather than `Some(…)` and
//! `Platform((…))`; the header line enabling them keeps the files readable by any RON parser.

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn extensions() -> Extensions {
    Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES
}

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(extensions())
}

/// A position in a file, counted from 1 as editors do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

/// Parses a file's text; the error carries where in the text it went wrong.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, (String, Position)> {
    options()
        .from_str(text)
        .map_err(|e: ron::error::SpannedError| {
            let at = Position {
                line: e.span.start.line.max(1),
                col: e.span.start.col.max(1),
            };
            (e.code.to_string(), at)
        })
}

/// The canonical text of a value: the same value always gives the same bytes.
pub fn to_text<T: Serialize>(value: &T) -> Result<String, String> {
    let config = PrettyConfig::new()
        .indentor("    ")
        .extensions(extensions())
        .struct_names(false)
        .separate_tuple_members(false)
        // Policy text is prose: apostrophes and quotes stay as written (raw strings when needed).
        .escape_strings(false);
    // Plain options, so that the header enabling the extensions is written.
    let mut text = ron::Options::default()
        .to_string_pretty(value, config)
        .map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// Where `needle` first stands in `text`, for errors found after parsing (an unknown platform
/// cookie, a language the site does not list).
pub fn locate(text: &str, needle: &str) -> Position {
    end_of(&text[..text.find(needle).unwrap_or(0)])
}

/// The position just after the end of `text`.
pub fn end_of(text: &str) -> Position {
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line, col }
}
