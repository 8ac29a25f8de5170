//! The cookie table: column widths from its content (as a browser sizes an automatic table),
//! rows that move whole to the next page when they do not fit, and the header row drawn again
//! at the top of every page the table continues on. A row taller than a page is split.

use super::fonts::Weight;
use super::layout::{BODY_WIDTH, BOTTOM, Item, Layout, MARGIN_X, Role, TOP, styled};
use super::lines::{Line, Shaped};
use crate::render::document::Table;

const SIZE: f32 = 8.5;
const LINE: f32 = SIZE * 1.3;
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.5;
const HEADER_GREY: u8 = 228;
const STRIPE_GREY: u8 = 246;
const RULE_GREY: u8 = 200;

/// One row's cells: the index of each cell's text in the layout and its lines.
type Cells = Vec<(usize, Vec<Line>)>;

pub fn place(layout: &mut Layout, block: usize, table: &Table) {
    let columns = table.headers.len();
    if columns == 0 {
        return;
    }
    let header: Vec<Shaped> = table
        .headers
        .iter()
        .map(|h| Shaped::plain(h, Weight::Bold, SIZE))
        .collect();
    let rows: Vec<Vec<Shaped>> = table
        .rows
        .iter()
        .map(|row| {
            (0..columns)
                .map(|c| match row.cells.get(c) {
                    Some(cell) => styled(cell, Weight::Regular, SIZE),
                    None => Shaped::plain("", Weight::Regular, SIZE),
                })
                .collect()
        })
        .collect();
    let widths = column_widths(
        std::iter::once(&header).chain(rows.iter()),
        columns,
        BODY_WIDTH,
    );
    let header = break_row(layout, header, &widths);
    let header_height = height(&header);
    let rows: Vec<Cells> = rows
        .into_iter()
        .map(|row| break_row(layout, row, &widths))
        .collect();
    // A group's headings span the whole table.
    let groups: Vec<Vec<Cells>> = table
        .rows
        .iter()
        .map(|row| {
            row.groups
                .iter()
                .map(|g| {
                    let shaped = Shaped::plain(g, Weight::Bold, SIZE);
                    break_row(layout, vec![shaped], &[BODY_WIDTH])
                })
                .collect()
        })
        .collect();

    // The header never ends a page alone.
    let first = rows.first().map_or(0.0, height);
    let first = if first <= BOTTOM - TOP - header_height {
        first
    } else {
        3.0 * LINE + 2.0 * PAD_Y
    };
    layout.ensure(header_height + first);
    draw_header(layout, &header, &widths, Some(block));
    for (r, row) in rows.iter().enumerate() {
        let whole = height(row);
        if let Some(headings) = groups.get(r).filter(|g| !g.is_empty()) {
            // A group's headings never end a page alone.
            let both = headings.iter().map(height).sum::<f32>() + whole;
            if layout.y + both > BOTTOM && both <= BOTTOM - TOP - header_height {
                layout.new_page();
                draw_header(layout, &header, &widths, None);
            }
            for (g, heading) in headings.iter().enumerate() {
                draw_group(layout, heading, Role::GroupCell(block, r, g));
            }
        }
        if layout.y + whole > BOTTOM && whole <= BOTTOM - TOP - header_height {
            layout.new_page();
            draw_header(layout, &header, &widths, None);
        }
        // Lines of each cell already placed (more than zero only for a row split across pages).
        let mut done = vec![0usize; columns];
        // Whether the page was just started for this row (then it must take a line, even if a
        // header taller than the page leaves no room: never loop on new pages).
        let mut fresh = false;
        loop {
            let mut room = ((BOTTOM - layout.y - 2.0 * PAD_Y) / LINE).floor().max(0.0) as usize;
            let left = row
                .iter()
                .zip(&done)
                .map(|((_, lines), d)| lines.len() - d)
                .max()
                .unwrap_or(0);
            if room == 0 && left > 0 {
                if !fresh {
                    layout.new_page();
                    draw_header(layout, &header, &widths, None);
                    fresh = true;
                    continue;
                }
                room = 1;
            }
            let take = left.min(room);
            let h = take.max(1) as f32 * LINE + 2.0 * PAD_Y;
            if r % 2 == 1 {
                layout.push(Item::Rect([MARGIN_X, layout.y, BODY_WIDTH, h], STRIPE_GREY));
            }
            let mut x = MARGIN_X;
            for (c, ((shaped, lines), width)) in row.iter().zip(&widths).enumerate() {
                for (k, line) in lines.iter().skip(done[c]).take(take).enumerate() {
                    layout.push(Item::Text {
                        shaped: *shaped,
                        line: line.clone(),
                        x: x + PAD_X,
                        baseline: layout.y + PAD_Y + k as f32 * LINE + SIZE,
                        role: Role::Cell(block, r, c),
                    });
                }
                done[c] = (done[c] + take).min(lines.len());
                x += width;
            }
            layout.y += h;
            layout.push(Item::Rect(
                [MARGIN_X, layout.y - 0.5, BODY_WIDTH, 0.5],
                RULE_GREY,
            ));
            if take >= left {
                break;
            }
            layout.new_page();
            draw_header(layout, &header, &widths, None);
            fresh = true;
        }
    }
}

fn break_row(layout: &mut Layout, row: Vec<Shaped>, widths: &[f32]) -> Cells {
    row.into_iter()
        .zip(widths)
        .map(|(shaped, width)| {
            let lines = shaped.break_lines(width - 2.0 * PAD_X);
            (layout.add(shaped), lines)
        })
        .collect()
}

fn height(row: &Cells) -> f32 {
    let lines = row.iter().map(|(_, l)| l.len()).max().unwrap_or(0).max(1);
    lines as f32 * LINE + 2.0 * PAD_Y
}

/// The header row at the cursor: tagged as the table's header the first time (`block`), as a
/// repetition after that.
fn draw_header(layout: &mut Layout, header: &Cells, widths: &[f32], block: Option<usize>) {
    draw_shaded(layout, header, widths, |c| {
        block.map_or(Role::RepeatedHeader, |b| Role::HeaderCell(b, c))
    });
}

/// A group's heading across the table, shaded as the header is.
fn draw_group(layout: &mut Layout, group: &Cells, role: Role) {
    draw_shaded(layout, group, &[BODY_WIDTH], |_| role);
}

/// A shaded row at the cursor, each cell's lines with the role `role(column)`.
fn draw_shaded(layout: &mut Layout, row: &Cells, widths: &[f32], role: impl Fn(usize) -> Role) {
    let h = height(row);
    layout.push(Item::Rect([MARGIN_X, layout.y, BODY_WIDTH, h], HEADER_GREY));
    let mut x = MARGIN_X;
    for (c, ((shaped, lines), width)) in row.iter().zip(widths).enumerate() {
        for (k, line) in lines.iter().enumerate() {
            layout.push(Item::Text {
                shaped: *shaped,
                line: line.clone(),
                x: x + PAD_X,
                baseline: layout.y + PAD_Y + k as f32 * LINE + SIZE,
                role: role(c),
            });
        }
        x += width;
    }
    layout.y += h;
}

/// Widths that give each column at least its longest word where possible, and share what is
/// left in proportion to how much more each column's text would take unbroken.
fn column_widths<'a>(
    rows: impl Iterator<Item = &'a Vec<Shaped>>,
    columns: usize,
    available: f32,
) -> Vec<f32> {
    let (mut min, mut max) = (vec![0.0f32; columns], vec![0.0f32; columns]);
    for row in rows {
        for (c, shaped) in row.iter().enumerate().take(columns) {
            min[c] = min[c].max(shaped.min_width() + 2.0 * PAD_X);
            max[c] = max[c].max(shaped.natural_width() + 2.0 * PAD_X);
        }
    }
    let (sum_min, sum_max): (f32, f32) = (min.iter().sum(), max.iter().sum());
    if sum_max <= available {
        let extra = (available - sum_max) / columns as f32;
        return max.iter().map(|m| m + extra).collect();
    }
    if sum_min <= available {
        let spare = available - sum_min;
        let stretch = sum_max - sum_min;
        return min
            .iter()
            .zip(&max)
            .map(|(lo, hi)| lo + spare * (hi - lo) / stretch)
            .collect();
    }
    // Some word must be cut anyway: columns in proportion to their longest words.
    min.iter().map(|m| available * m / sum_min).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Shaped> {
        cells
            .iter()
            .map(|c| Shaped::plain(c, Weight::Regular, SIZE))
            .collect()
    }

    #[test]
    fn widths_fill_the_body_and_keep_words_whole_when_they_can() {
        let rows = [
            row(&[
                "_ga",
                "Distinguishes visitors for audience measurement over many visits",
                "2 years",
            ]),
            row(&["session_id", "Keeps you signed in", "session"]),
        ];
        let widths = column_widths(rows.iter(), 3, BODY_WIDTH);
        assert!(
            (widths.iter().sum::<f32>() - BODY_WIDTH).abs() < 0.01,
            "{widths:?}"
        );
        for r in &rows {
            for (shaped, w) in r.iter().zip(&widths) {
                assert!(shaped.min_width() + 2.0 * PAD_X <= w + 0.01);
            }
        }
        // The long description gets the most room.
        assert!(widths[1] > widths[0] && widths[1] > widths[2]);
    }

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        use crate::render::document::{Inline, Row};
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .map(|cells| Row {
                    cookie: String::new(),
                    groups: Vec::new(),
                    cells: cells
                        .iter()
                        .map(|c| vec![Inline::Text(c.to_string())])
                        .collect(),
                })
                .collect(),
        }
    }

    fn lines_on(layout: &Layout, page: usize, role: Role) -> usize {
        layout.pages[page]
            .items
            .iter()
            .filter(|i| matches!(i, Item::Text { role: r, .. } if *r == role))
            .count()
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_under_repeated_headers() {
        let tall = vec!["word"; 400].join("\n");
        let mut layout = Layout::new();
        place(
            &mut layout,
            0,
            &table(&["Name", "Purpose"], &[&["a", &tall], &["b", "short"]]),
        );
        assert!(layout.pages.len() >= 3, "{} pages", layout.pages.len());
        let mut total = 0;
        for page in 0..layout.pages.len() {
            total += lines_on(&layout, page, Role::Cell(0, 0, 1));
            if page > 0 {
                assert_eq!(
                    lines_on(&layout, page, Role::RepeatedHeader),
                    2,
                    "page {page}"
                );
            }
        }
        assert_eq!(total, 400, "every line of the tall cell is placed once");
        let last = layout.pages.len() - 1;
        assert_eq!(lines_on(&layout, last, Role::Cell(0, 1, 1)), 1);
    }

    #[test]
    fn a_header_taller_than_a_page_does_not_loop() {
        let tall = vec!["head"; 200].join("\n");
        let mut layout = Layout::new();
        place(
            &mut layout,
            0,
            &table(&[&tall], &[&["one"], &["two"], &["three"]]),
        );
        let rows: usize = (0..layout.pages.len())
            .map(|p| {
                (0..3)
                    .map(|r| lines_on(&layout, p, Role::Cell(0, r, 0)))
                    .sum::<usize>()
            })
            .sum();
        assert_eq!(rows, 3);
        assert!(layout.pages.len() <= 8, "{} pages", layout.pages.len());
    }
}
