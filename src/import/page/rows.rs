//! A table's rows read by column: cells spanning columns or rows placed where a browser
//! draws them, bounded for a hostile page; a `<caption>` read as the table's title.

use scraper::{ElementRef, Node};

use super::{SKIPPED, Walker, collapse, push_text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The row's cells by column: a cell spanning columns fills the later ones with nothing,
    /// one spanning rows gives its text to the rows below.
    pub cells: Vec<String>,
    pub all_th: bool,
    pub in_thead: bool,
    /// One cell across several columns: a group's heading inside the table, not a cookie.
    pub across: bool,
    /// Some of its cells are a cell of a row above, spanning down.
    pub from_above: bool,
}

/// The most columns or rows one cell may span: enough for any table, bounded for a hostile one.
const MAX_SPAN: usize = 64;

impl Walker<'_> {
    /// The table's caption (when it is in sight) and its rows.
    pub(super) fn table_rows(&mut self, table: ElementRef) -> (Option<String>, Vec<TableRow>) {
        let mut rows = Vec::new();
        let mut caption = None;
        // Per column, the text of a cell spanning down and the rows it still covers.
        let mut down: Vec<Option<(String, usize)>> = Vec::new();
        let mut stack = vec![(*table, false)];
        while let Some((node, in_thead)) = stack.pop() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            match el.value().name() {
                "tr" => {
                    let cells: Vec<ElementRef> = el
                        .children()
                        .filter_map(ElementRef::wrap)
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .collect();
                    if cells.is_empty() {
                        continue;
                    }
                    let all_th = cells.iter().all(|c| c.value().name() == "th");
                    let span = |c: &ElementRef, attr: &str| {
                        c.value()
                            .attr(attr)
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .clamp(1, MAX_SPAN)
                    };
                    let across = cells.len() == 1 && span(&cells[0], "colspan") > 1;
                    let mut texts = Vec::new();
                    let mut from_above = false;
                    for cell in cells {
                        // A row wider than any real table is read no further.
                        if texts.len() >= MAX_SPAN * 4 {
                            break;
                        }
                        from_above |= take_down(&mut texts, &mut down);
                        let text = self.cell_text(cell);
                        let (cols, rows_down) = (span(&cell, "colspan"), span(&cell, "rowspan"));
                        for i in 0..cols {
                            let shown = if i == 0 { text.clone() } else { String::new() };
                            if rows_down > 1 {
                                let at = texts.len();
                                down.resize(down.len().max(at + 1), None);
                                down[at] = Some((shown.clone(), rows_down - 1));
                            }
                            texts.push(shown);
                        }
                    }
                    from_above |= take_down(&mut texts, &mut down);
                    rows.push(TableRow {
                        all_th,
                        in_thead,
                        across,
                        from_above,
                        cells: texts,
                    });
                }
                // A table nested in a cell is read with its cell.
                "table" if node.id() != table.id() => {}
                "caption" if caption.is_none() && !self.left_unseen(el) => {
                    caption = Some(collapse(&self.cell_text(el))).filter(|c| !c.is_empty());
                }
                "caption" => {}
                name => {
                    let thead = in_thead || name == "thead";
                    stack.extend(node.children().rev().map(|c| (c, thead)));
                }
            }
        }
        (caption, rows)
    }

    /// A cell's text; pieces apart by `<br>` or in separate blocks are joined by a newline, so a
    /// name cell listing two cookies can be told apart.
    fn cell_text(&mut self, cell: ElementRef) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut stack = vec![*cell];
        while let Some(node) = stack.pop() {
            match node.value() {
                Node::Text(t) => push_text(&mut current, t),
                Node::Element(e) => match e.name() {
                    n if SKIPPED.contains(&n) => {}
                    _ if ElementRef::wrap(node).is_some_and(|el| self.left_unseen(el)) => {}
                    "br" | "p" | "li" | "div" => {
                        parts.push(std::mem::take(&mut current));
                        if e.name() != "br" {
                            current = self.inline_raw(ElementRef::wrap(node).unwrap_or(cell));
                            parts.push(std::mem::take(&mut current));
                        }
                    }
                    "a" => {
                        current.push_str(&self.inline_raw(ElementRef::wrap(node).unwrap_or(cell)))
                    }
                    _ => stack.extend(node.children().rev()),
                },
                _ => {}
            }
        }
        parts.push(current);
        parts
            .iter()
            .map(|p| collapse(p))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Fills the next columns of `texts` with the cells of rows above spanning down into them;
/// whether there were any.
fn take_down(texts: &mut Vec<String>, down: &mut [Option<(String, usize)>]) -> bool {
    let mut took = false;
    while let Some(slot) = down.get_mut(texts.len()) {
        let Some((text, left)) = slot else { break };
        texts.push(text.clone());
        took = true;
        *left -= 1;
        if *left == 0 {
            *slot = None;
        }
    }
    took
}

#[cfg(test)]
mod tests {
    use super::super::{PageBlock, read_page};
    use super::*;

    #[test]
    fn spanning_cells_are_placed_by_column_and_bounded() {
        let html = "<table><tr><th>Cookie</th><th>Provider</th><th>Duration</th></tr>\
            <tr><td>_ga</td><td rowspan=\"2\">Google</td><td>2 years</td></tr>\
            <tr><td>_gid</td><td>1 day</td></tr>\
            <tr><td colspan=\"3\">Marketing</td></tr></table>";
        let Some(PageBlock::Table { rows, .. }) = read_page(html).blocks.pop() else {
            panic!("a table");
        };
        assert_eq!(rows[2].cells, ["_gid", "Google", "1 day"]);
        assert!(rows[2].from_above && !rows[1].from_above);
        assert!(rows[3].across);
        // A hostile row of wide cells stays bounded.
        let wide = format!(
            "<table><tr>{}</tr></table>",
            "<td colspan=\"1000\" rowspan=\"1000\">x</td>".repeat(20_000)
        );
        let Some(PageBlock::Table { rows, .. }) = read_page(&wide).blocks.pop() else {
            panic!("a table");
        };
        assert!(
            rows[0].cells.len() <= MAX_SPAN * 5,
            "{}",
            rows[0].cells.len()
        );
    }
}
