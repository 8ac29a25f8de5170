//! Plain text, as a browser shows the published page: blocks apart by a blank line, list items
//! and table rows as lines (cells apart by tabs).

use super::document::{Block, Document};
use super::inline::plain;

pub fn render(doc: &Document) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(doc.blocks.len());
    for block in &doc.blocks {
        parts.push(match block {
            Block::Heading { text, .. } | Block::Paragraph(text) => plain(text),
            // A browser shows a bullet, which is not text: each item is a line of its own.
            Block::List(items) => items
                .iter()
                .map(|i| plain(i))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table(table) => std::iter::once(table.headers.join("\t"))
                .chain(table.rows.iter().flat_map(|row| {
                    let cells = row
                        .cells
                        .iter()
                        .map(|c| plain(c))
                        .collect::<Vec<_>>()
                        .join("\t");
                    // A group's heading is a line of its own, across the table.
                    row.groups.iter().cloned().chain(std::iter::once(cells))
                }))
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}
