//! Placing a document's blocks on A4 pages: headings kept with what follows, paragraphs and
//! list items broken line by line across pages, tables by `table.rs`. The result is a list of
//! pages of positioned lines and rules, each line knowing which part of the document it shows
//! (for the tagged PDF's structure).

use super::fonts::Weight;
use super::lines::{Line, Shaped, Span};
use super::table;
use crate::render::document::{Block, Document, Inline};

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN_X: f32 = 56.0;
pub const TOP: f32 = 56.0;
/// Where the body ends; the footer sits below.
pub const BOTTOM: f32 = PAGE_HEIGHT - 64.0;
pub const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

pub const BODY_SIZE: f32 = 10.0;
pub const LEADING: f32 = 1.4;
const LIST_INDENT: f32 = 16.0;

/// What part of the document a line shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A heading's or paragraph's text (the block's index).
    Block(usize),
    ListLabel(usize, usize),
    ListItem(usize, usize),
    /// (block, column)
    HeaderCell(usize, usize),
    /// (block, row, column)
    Cell(usize, usize, usize),
    /// A heading of a group of rows above a row: (block, row, which heading).
    GroupCell(usize, usize, usize),
    /// A table's header drawn again at the top of a page: not read twice.
    RepeatedHeader,
}

pub enum Item {
    Text {
        shaped: usize,
        line: Line,
        x: f32,
        baseline: f32,
        role: Role,
    },
    /// A filled rectangle (x, y, width, height) in a grey level: rules and shading.
    Rect([f32; 4], u8),
}

#[derive(Default)]
pub struct Page {
    pub items: Vec<Item>,
}

/// Every shaped text and the pages that place it.
pub struct Layout {
    pub shaped: Vec<Shaped>,
    pub pages: Vec<Page>,
    pub y: f32,
}

impl Layout {
    pub fn new() -> Self {
        Layout {
            shaped: Vec::new(),
            pages: vec![Page::default()],
            y: TOP,
        }
    }

    pub fn add(&mut self, shaped: Shaped) -> usize {
        self.shaped.push(shaped);
        self.shaped.len() - 1
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    pub fn at_top(&self) -> bool {
        self.y <= TOP
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    pub fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    /// Places the lines of `shaped` at `x`, breaking to new pages as needed.
    fn flow(&mut self, shaped: Shaped, x: f32, width: f32, role: Role) -> usize {
        let size = shaped.size;
        let lines = shaped.break_lines(width);
        let index = self.add(shaped);
        for line in lines {
            self.ensure(size * LEADING);
            self.push(Item::Text {
                shaped: index,
                line,
                x,
                baseline: self.y + size * 1.05,
                role,
            });
            self.y += size * LEADING;
        }
        index
    }
}

/// The document laid out on pages (the footer is drawn later, once the page count is known).
pub fn layout(doc: &Document) -> Layout {
    let mut layout = Layout::new();
    for (b, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading { level, text } => {
                let size = heading_size(*level);
                if !layout.at_top() {
                    layout.y += size * 0.8;
                }
                // A heading never ends a page: room for it and three lines of what follows.
                let shaped = styled(text, Weight::Bold, size);
                let lines = shaped.break_lines(BODY_WIDTH);
                layout.ensure(lines.len() as f32 * size * 1.25 + 3.0 * BODY_SIZE * LEADING);
                let index = layout.add(shaped);
                for line in lines {
                    let baseline = layout.y + size;
                    layout.push(Item::Text {
                        shaped: index,
                        line,
                        x: MARGIN_X,
                        baseline,
                        role: Role::Block(b),
                    });
                    layout.y += size * 1.25;
                }
                layout.y += size * 0.3;
            }
            Block::Paragraph(text) => {
                let shaped = styled(text, Weight::Regular, BODY_SIZE);
                layout.flow(shaped, MARGIN_X, BODY_WIDTH, Role::Block(b));
                layout.y += BODY_SIZE * 0.6;
            }
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    layout.ensure(BODY_SIZE * LEADING);
                    let bullet = layout.add(Shaped::plain("•", Weight::Regular, BODY_SIZE));
                    let line = layout.shaped[bullet].break_lines(f32::INFINITY);
                    if let Some(line) = line.into_iter().next() {
                        let baseline = layout.y + BODY_SIZE * 1.05;
                        layout.push(Item::Text {
                            shaped: bullet,
                            line,
                            x: MARGIN_X + 4.0,
                            baseline,
                            role: Role::ListLabel(b, i),
                        });
                    }
                    let shaped = styled(item, Weight::Regular, BODY_SIZE);
                    layout.flow(
                        shaped,
                        MARGIN_X + LIST_INDENT,
                        BODY_WIDTH - LIST_INDENT,
                        Role::ListItem(b, i),
                    );
                    layout.y += BODY_SIZE * 0.25;
                }
                layout.y += BODY_SIZE * 0.4;
            }
            Block::Table(t) => {
                layout.y += BODY_SIZE * 0.3;
                table::place(&mut layout, b, t);
                layout.y += BODY_SIZE * 0.8;
            }
        }
    }
    layout
}

fn heading_size(level: u8) -> f32 {
    match level {
        1 => 18.0,
        2 => 14.0,
        3 => 12.0,
        _ => 10.5,
    }
}

/// The inlines as one text in `weight`, links written as the text rendering writes them.
pub fn styled(inlines: &[Inline], weight: Weight, size: f32) -> Shaped {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let start = text.len();
        let link = match inline {
            Inline::Text(t) => {
                text.push_str(t);
                None
            }
            Inline::Link { url, bracketed } => {
                if *bracketed {
                    text.push('<');
                }
                text.push_str(url);
                if *bracketed {
                    text.push('>');
                }
                Some(url.clone())
            }
        };
        if text.len() > start {
            spans.push(Span {
                range: start..text.len(),
                weight,
                link,
            });
        }
    }
    Shaped::new(text, spans, size)
}
