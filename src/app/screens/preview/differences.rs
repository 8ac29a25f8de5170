//! What the side-by-side view highlights: the blocks and table rows of each document that not
//! every other compared document has word for word.

use crate::render::inline::plain;
use crate::render::{Block, Document, Table};

/// Which blocks (and which rows of table blocks) to highlight as differing from other sites.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    pub blocks: Vec<bool>,
    /// Per block: for a table, one flag per row; empty otherwise.
    pub rows: Vec<Vec<bool>>,
}

/// The text a block is compared by.
pub fn block_key(block: &Block) -> Option<String> {
    match block {
        Block::Heading { level, text } => Some(format!("h{level} {}", plain(text))),
        Block::Paragraph(text) => Some(plain(text)),
        Block::List(items) => Some(
            items
                .iter()
                .map(|i| plain(i))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Block::Table(_) => None,
    }
}

pub fn row_key(table: &Table, row: usize) -> String {
    let row = &table.rows[row];
    let cells = row.cells.iter().map(|c| plain(c));
    // A row under another group's heading differs too.
    let group = row.groups.iter().map(|g| format!("group={g}"));
    group
        .chain(
            table
                .headers
                .iter()
                .zip(cells)
                .map(|(h, c)| format!("{h}={c}")),
        )
        .collect::<Vec<_>>()
        .join("\t")
}

/// For each document, the blocks and table rows that not every other document has word for
/// word: what the side-by-side view highlights.
pub fn differences(docs: &[&Document]) -> Vec<Marks> {
    use std::collections::HashSet;
    let blocks: Vec<HashSet<String>> = docs
        .iter()
        .map(|d| d.blocks.iter().filter_map(block_key).collect())
        .collect();
    let rows: Vec<HashSet<String>> = docs
        .iter()
        .map(|d| {
            d.blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Table(t) => Some(t),
                    _ => None,
                })
                .flat_map(|t| (0..t.rows.len()).map(move |r| row_key(t, r)))
                .collect()
        })
        .collect();
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            let missing_elsewhere = |sets: &[HashSet<String>], key: &str| {
                sets.iter()
                    .enumerate()
                    .any(|(j, set)| j != i && !set.contains(key))
            };
            Marks {
                blocks: d
                    .blocks
                    .iter()
                    .map(|b| block_key(b).is_some_and(|k| missing_elsewhere(&blocks, &k)))
                    .collect(),
                rows: d
                    .blocks
                    .iter()
                    .map(|b| match b {
                        Block::Table(t) => (0..t.rows.len())
                            .map(|r| missing_elsewhere(&rows, &row_key(t, r)))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .collect(),
            }
        })
        .collect()
}
