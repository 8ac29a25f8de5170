//! The live preview: the policy drawn from the same document model as the HTML export.

use crate::render::inline::plain;
use crate::render::{Block, Document, Inline, Table, build_document};

use super::docs::{Docs, SiteDoc};

/// The document of one site in one language, rebuilt only when the site changed.
#[derive(Default)]
pub struct PreviewCache {
    entry: Option<((String, u64, String), Document)>,
}

impl PreviewCache {
    pub fn get(&mut self, docs: &Docs, doc: &SiteDoc, lang: &str) -> &Document {
        let key = (doc.id().to_string(), doc.revision, lang.to_string());
        let entry = match self.entry.take() {
            Some((k, d)) if k == key => (k, d),
            _ => {
                let site = doc.site();
                let cookies = site.resolved_cookies(docs.platform_of(site));
                (key, build_document(site, &cookies, lang))
            }
        };
        &self.entry.insert(entry).1
    }
}

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
    let cells = table.rows[row].cells.iter().map(|c| plain(c));
    table
        .headers
        .iter()
        .cloned()
        .zip(cells)
        .map(|(h, c)| format!("{h}={c}"))
        .collect::<Vec<_>>()
        .join("\t")
}

/// Relative widths of the published table's columns.
fn weight(header_index: usize, columns: usize) -> f32 {
    // The last column (purposes, function) holds the longest text.
    if header_index + 1 == columns {
        1.6
    } else {
        1.0
    }
}

/// Draws `doc`; `marks`, when given, highlights what differs from the other compared sites.
pub fn document_ui(ui: &mut egui::Ui, doc: &Document, marks: Option<&Marks>) {
    let highlight = highlight_color(ui.visuals());
    for (b, block) in doc.blocks.iter().enumerate() {
        let marked = marks.is_some_and(|m| m.blocks.get(b).copied().unwrap_or(false));
        let row_marks = marks.and_then(|m| m.rows.get(b)).map(Vec::as_slice);
        let background = ui.painter().add(egui::Shape::Noop);
        let rect = ui
            .scope(|ui| match block {
                Block::Heading { level, text } => {
                    ui.add_space(if *level == 1 { 4.0 } else { 8.0 });
                    let size = match level {
                        1 => 22.0,
                        2 => 18.0,
                        _ => 15.0,
                    };
                    inline_ui(ui, text, |t| egui::RichText::new(t).size(size).strong());
                }
                Block::Paragraph(text) => {
                    inline_ui(ui, text, |t| egui::RichText::new(t));
                }
                Block::List(items) => {
                    for item in items {
                        ui.horizontal_top(|ui| {
                            ui.label("•");
                            ui.vertical(|ui| inline_ui(ui, item, |t| egui::RichText::new(t)));
                        });
                    }
                }
                Block::Table(table) => table_ui(ui, table, row_marks, highlight),
            })
            .response
            .rect;
        if marked {
            ui.painter().set(
                background,
                egui::Shape::rect_filled(rect.expand(2.0), 3.0, highlight),
            );
        }
        ui.add_space(4.0);
    }
}

pub fn highlight_color(visuals: &egui::Visuals) -> egui::Color32 {
    if visuals.dark_mode {
        egui::Color32::from_rgba_unmultiplied(150, 110, 0, 50)
    } else {
        egui::Color32::from_rgba_unmultiplied(255, 210, 60, 90)
    }
}

/// Text and links, wrapped as one paragraph.
fn inline_ui(ui: &mut egui::Ui, inlines: &[Inline], style: impl Fn(&str) -> egui::RichText) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for inline in inlines {
            match inline {
                Inline::Text(t) => {
                    ui.label(style(t));
                }
                Inline::Link { url, bracketed } => {
                    let shown = if *bracketed {
                        format!("<{url}>")
                    } else {
                        url.clone()
                    };
                    ui.hyperlink_to(style(&shown), url);
                }
            }
        }
    });
}

fn table_ui(ui: &mut egui::Ui, table: &Table, marks: Option<&[bool]>, highlight: egui::Color32) {
    let columns = table.headers.len().max(1);
    let total: f32 = (0..columns).map(|i| weight(i, columns)).sum();
    let spacing = 8.0;
    let available = ui.available_width() - spacing * (columns as f32 - 1.0);
    let widths: Vec<f32> = (0..columns)
        .map(|i| (available * weight(i, columns) / total).max(40.0))
        .collect();
    let stroke = ui.visuals().widgets.noninteractive.bg_stroke;
    let header_fill = ui.visuals().faint_bg_color;
    let row = |ui: &mut egui::Ui,
               cells: &mut dyn FnMut(usize, &mut egui::Ui),
               fill: Option<egui::Color32>| {
        let background = ui.painter().add(egui::Shape::Noop);
        let rect = ui
            .horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = spacing;
                for (i, &w) in widths.iter().enumerate() {
                    ui.allocate_ui_with_layout(
                        egui::vec2(w, 0.0),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_width(w);
                            cells(i, ui);
                        },
                    );
                }
            })
            .response
            .rect;
        if let Some(fill) = fill {
            ui.painter().set(
                background,
                egui::Shape::rect_filled(rect.expand(2.0), 2.0, fill),
            );
        }
        ui.painter()
            .hline(rect.x_range(), rect.bottom() + 3.0, stroke);
        ui.add_space(6.0);
    };
    row(
        ui,
        &mut |i, ui| {
            ui.add(egui::Label::new(egui::RichText::new(&table.headers[i]).strong()).wrap());
        },
        Some(header_fill),
    );
    for (r, data) in table.rows.iter().enumerate() {
        let marked = marks.is_some_and(|m| m.get(r).copied().unwrap_or(false));
        row(
            ui,
            &mut |i, ui| {
                if let Some(cell) = data.cells.get(i) {
                    inline_ui(ui, cell, |t| egui::RichText::new(t));
                }
            },
            marked.then_some(highlight),
        );
    }
}

/// The preview pane for one site: a language switch and the document.
pub fn pane(
    ui: &mut egui::Ui,
    docs: &Docs,
    doc: &SiteDoc,
    cache: &mut PreviewCache,
    lang: &mut Option<String>,
) {
    let site = doc.site();
    let current = lang
        .clone()
        .filter(|l| site.languages.contains(l))
        .unwrap_or_else(|| site.default_language.clone());
    ui.horizontal(|ui| {
        ui.heading("Preview");
        ui.separator();
        for l in &site.languages {
            if ui
                .selectable_label(*l == current, l.to_uppercase())
                .on_hover_text(format!("Preview and edit the {l} version"))
                .clicked()
            {
                *lang = Some(l.clone());
            }
        }
    });
    ui.weak(site.policy_url().to_string());
    ui.separator();
    let document = cache.get(docs, doc, &current);
    egui::ScrollArea::vertical()
        .id_salt("preview")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(900.0));
            document_ui(ui, document, None);
        });
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
