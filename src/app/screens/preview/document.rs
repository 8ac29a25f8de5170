//! Drawing a policy document: headings, paragraphs, lists, links and the cookie table, with
//! what differs from other compared sites highlighted.

use super::differences::Marks;
use crate::app::widgets::colors;
use crate::render::{Block, Document, Inline, Table};

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
    let highlight = colors::highlight(ui.visuals());
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
    // A row's shading (painted behind what was drawn at `background`) and its rule below.
    let underline = |ui: &mut egui::Ui,
                     background: egui::layers::ShapeIdx,
                     rect: egui::Rect,
                     fill: Option<egui::Color32>| {
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
        underline(ui, background, rect, fill);
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
        for group in &data.groups {
            // A group's heading across the table, shaded as the header row.
            let background = ui.painter().add(egui::Shape::Noop);
            let rect = ui
                .add(egui::Label::new(egui::RichText::new(group).strong()).wrap())
                .rect;
            let rect = egui::Rect::from_x_y_ranges(
                rect.left()..=rect.left() + available + spacing * (columns as f32 - 1.0),
                rect.y_range(),
            );
            underline(ui, background, rect, Some(header_fill));
        }
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
