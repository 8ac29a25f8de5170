//! Markdown, with tables as Markdown tables. Policy text is escaped so that it reads as written.

use super::document::{Block, Document, Inline};

pub fn render(doc: &Document) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(doc.blocks.len());
    for block in &doc.blocks {
        parts.push(match block {
            Block::Heading { level, text } => {
                format!("{} {}", "#".repeat(usize::from(*level)), inlines(text))
            }
            Block::Paragraph(text) => inlines(text),
            Block::List(items) => items
                .iter()
                .map(|i| format!("- {}", inlines(i)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table(table) => {
                let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
                let mut lines = vec![
                    line(table.headers.iter().map(|h| cell(&escape(h))).collect()),
                    line(table.headers.iter().map(|_| "---".to_string()).collect()),
                ];
                for row in &table.rows {
                    // Markdown tables have no cell across columns: a group's heading is a row
                    // of its own, in bold in the first cell.
                    for group in &row.groups {
                        let mut cells = vec![String::new(); table.headers.len().max(1)];
                        cells[0] = format!("**{}**", cell(&escape(group)));
                        lines.push(line(cells));
                    }
                    lines.push(line(row.cells.iter().map(|c| cell(&inlines(c))).collect()));
                }
                lines.join("\n")
            }
        });
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

fn inlines(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => escape(t),
            // A `|` would end a table cell even inside an autolink; %7C is the same address.
            Inline::Link { url, .. } => format!("<{}>", url.replace('|', "%7C")),
        })
        .collect()
}

/// A table cell holds one line (its `|` are escaped already, by [`escape`] and in links).
fn cell(text: &str) -> String {
    text.replace('\n', " ")
}

/// Backslash-escapes the characters Markdown would read as markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_text() {
        assert_eq!(escape("_ga_* <b>"), "\\_ga\\_\\* \\<b\\>");
        // Once, not twice: `\\|` would be an escaped backslash, then the cell's end.
        assert_eq!(cell(&escape("a|b")), "a\\|b");
    }
}
