//! Rendering: one document model built from a site, and the outputs drawn from it (plain text,
//! Markdown, HTML, PDF; the app's preview draws the same model).

pub mod document;
pub mod html;
pub mod inline;
pub mod markdown;
pub mod pdf;
pub mod text;

pub use document::{Block, Document, Inline, Row, Table, build_document};

use std::str::FromStr;

/// An output format of `render`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Txt,
    Md,
    Html,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// The file's bytes: UTF-8 text, or a PDF.
    pub fn render(self, doc: &Document) -> Result<Vec<u8>, pdf::PdfError> {
        Ok(match self {
            Format::Txt => text::render(doc).into_bytes(),
            Format::Md => markdown::render(doc).into_bytes(),
            Format::Html => html::render(doc).into_bytes(),
            Format::Pdf => pdf::render(doc)?,
        })
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        <Format as clap::ValueEnum>::from_str(s, true)
    }
}
