//! What a cookie's published row holds that the site's page words itself: the heading of the
//! group of rows it starts, and its cells in the page's columns PolicyDesk has no field for
//! (a "Type", say), each named by the column's header.

use std::collections::BTreeMap;

use super::Edits;
use crate::app::widgets::fields::lang_text;
use crate::model::text::text_in;
use crate::model::{Column, Site, Texts};

/// A column of the site's table without a field: its number and its header in the language
/// edited (else the default language's, else its place).
pub struct OtherColumn {
    pub number: u8,
    pub header: String,
}

/// The columns without a field of the table `table` (a cookie's), in the table's order: the
/// numbers restart in each table that has columns of its own.
pub fn other_columns(site: &Site, table: Option<u8>, lang: &str) -> Vec<OtherColumn> {
    site.own_columns(table)
        .enumerate()
        .filter_map(|(at, c)| match c.column {
            Column::Other(number) => {
                let header = [lang, site.default_language.as_str()]
                    .iter()
                    .map(|l| text_in(&c.header, l).trim())
                    .find(|h| !h.is_empty())
                    .map_or_else(|| format!("Column {}", at + 1), str::to_string);
                Some(OtherColumn { number, header })
            }
            _ => None,
        })
        .collect()
}

/// Form rows (in the cookie form's grid): the group heading above the row, then one field per
/// column without a field. `inherited` is the platform's cells, shown as hints.
pub fn rows(
    ui: &mut egui::Ui,
    group: &mut Texts,
    cells: &mut BTreeMap<u8, Texts>,
    (columns, inherited): (&[OtherColumn], Option<&BTreeMap<u8, Texts>>),
    lang: &str,
    edits: &mut Edits,
) {
    let up = lang.to_uppercase();
    let l = ui
        .label(format!("Group heading above ({up})"))
        .on_hover_text(
            "A row across the whole table just above this cookie's row, heading the rows below \
             it (one line a row); empty for none",
        );
    edits.note(&lang_text(ui, l.id, group, lang, true));
    ui.end_row();
    for column in columns {
        let l = ui.label(format!("{} ({up})", column.header));
        let mut texts = cells.get(&column.number).cloned().unwrap_or_default();
        let r = lang_text(ui, l.id, &mut texts, lang, false);
        if r.changed() {
            if texts.is_empty() {
                cells.remove(&column.number);
            } else {
                cells.insert(column.number, texts);
            }
        }
        edits.note(&r);
        ui.end_row();
        let from_platform = inherited
            .and_then(|i| i.get(&column.number))
            .map(|t| text_in(t, lang))
            .filter(|t| {
                !t.is_empty()
                    && text_in(cells.get(&column.number).unwrap_or(&Texts::new()), lang).is_empty()
            });
        if let Some(text) = from_platform {
            ui.label("");
            ui.weak(format!("{text}  (inherited)"));
            ui.end_row();
        }
    }
}
