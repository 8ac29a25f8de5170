//! The policy as an A4 PDF, drawn from the same document model as the HTML: real text in
//! embedded fonts, tagged (headings, paragraphs, lists, table), the table's header repeated on
//! every page it continues on, and a footer with the portal, the policy version and date and
//! "Page n of N". Pure Rust: krilla writes the PDF, rustybuzz shapes, `unicode-linebreak`
//! finds where lines may break; `layout` and `table` place the blocks on pages.
//!
//! Nothing in it depends on the clock or chance: the same document gives the same bytes.

mod draw;
mod fonts;
mod layout;
mod lines;
mod table;

use super::document::Document;

/// krilla refused to write the document (it never should for what this module draws).
#[derive(Debug, thiserror::Error)]
#[error("the PDF could not be written")]
pub struct PdfError;

/// The PDF file of `doc`.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let layout = layout::layout(doc);
    draw::write(doc, &layout)
}
