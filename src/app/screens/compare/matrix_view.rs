//! The cookie matrix as a table: one row per cookie name, one column per compared site, what
//! differs marked; a cell opens that cookie in the editor.

use egui_extras::{Column, TableBuilder};

use super::CompareState;
use crate::app::commands::{Command, ViewCommand};
use crate::app::state::{Docs, Settings};
use crate::app::widgets::colors;
use crate::model::text::shorten;

impl CompareState {
    pub(super) fn matrix_ui(
        &mut self,
        ui: &mut egui::Ui,
        docs: &Docs,
        settings: &Settings,
        commands: &mut Vec<Command>,
    ) {
        let matrix = self
            .matrix
            .get(docs, &settings.compared, settings.lang.as_deref());
        let differing = matrix
            .rows
            .iter()
            .filter(|r| !r.disagreements.is_empty())
            .count();
        ui.label(format!(
            "{} cookies · {differing} declared differently (≠) · click a cell to edit that cookie",
            matrix.rows.len()
        ));
        let warn = ui.visuals().warn_fg_color;
        let highlight = colors::highlight(ui.visuals());
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let row_height = line * 2.0 + 10.0;
        let mut table = TableBuilder::new(ui)
            .id_salt("cookie matrix")
            .striped(true)
            .resizable(true)
            .auto_shrink([false, false])
            .column(Column::initial(200.0).at_least(120.0).clip(true));
        for _ in &matrix.sites {
            table = table.column(Column::remainder().at_least(140.0).clip(true));
        }
        table
            .header(line + 10.0, |mut header| {
                header.col(|ui| {
                    ui.strong("Cookie");
                });
                for site in &matrix.sites {
                    header.col(|ui| {
                        ui.strong(site);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, matrix.rows.len(), |mut row| {
                    let r = &matrix.rows[row.index()];
                    row.col(|ui| {
                        ui.vertical(|ui| {
                            ui.strong(&r.cookie);
                            if !r.disagreements.is_empty() {
                                ui.colored_label(warn, format!("≠ {}", r.disagreements.join(", ")));
                            }
                        });
                    });
                    for (site, cell) in matrix.sites.iter().zip(&r.cells) {
                        row.col(|ui| {
                            let Some(cell) = cell else {
                                ui.weak("not declared");
                                return;
                            };
                            let differs = !r.disagreements.is_empty();
                            if differs {
                                ui.painter().rect_filled(ui.max_rect(), 2.0, highlight);
                            }
                            // Mark the very line that differs, not the whole cell.
                            let mark = |field: &str| {
                                if r.disagreements.contains(&field) { "≠ " } else { "" }
                            };
                            let text = format!(
                                "{}{}\n{}{}",
                                mark("category"),
                                cell.category.label(),
                                mark("duration"),
                                shorten(&cell.duration(), 44)
                            );
                            let mut name = format!(
                                "{} on {site}: {}, {}",
                                r.cookie,
                                cell.category.label(),
                                cell.duration()
                            );
                            if differs {
                                name.push_str(&format!(" (differs: {})", r.disagreements.join(", ")));
                            }
                            let response = ui
                                .add(
                                    egui::Button::new(text)
                                        .frame(false)
                                        .wrap_mode(egui::TextWrapMode::Extend),
                                )
                                .accessible_name(name)
                                .on_hover_text(format!(
                                    "category: {}\nduration: {} (value: {})\npurpose: {}\n\nClick to edit",
                                    cell.category.label(),
                                    cell.duration(),
                                    cell.value,
                                    cell.purpose
                                ));
                            if response.clicked() {
                                commands.push(Command::from(ViewCommand::OpenCookie {
                                    site: site.clone(),
                                    cookie: r.name.clone(),
                                }));
                            }
                        });
                    }
                });
            });
    }
}
