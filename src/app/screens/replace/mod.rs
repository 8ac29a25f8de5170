//! Find and replace across sites: what to find, its replacement, which sites and which language;
//! a preview of every text it would change; "Replace all" as one edit of each site, and
//! "Undo replace" to take the whole replace back at once.

use crate::app::commands::EditCommand;
use crate::app::screens::Ctx;
use crate::app::state::Docs;
use crate::app::widgets::colors;
use crate::app::widgets::fields::text_row;
use crate::replace::{Hit, Query, SitePattern};

/// What the preview was computed for: the query, the site pattern, and every site's revision.
type Key = (Query, String, Vec<u64>);

/// Each site's hits, in site order.
type Hits = Vec<(String, Vec<Hit>)>;

#[derive(Default)]
pub struct ReplaceWindow {
    pub open: bool,
    find: String,
    replace: String,
    /// A site id pattern (`*`, `?`); empty for every site.
    only: String,
    /// `None`: every language.
    lang: Option<String>,
    preview: Option<(Key, Hits)>,
}

impl ReplaceWindow {
    pub fn ui(&mut self, ectx: &egui::Context, ctx: &mut Ctx) {
        if !self.open {
            return;
        }
        let mut open = true;
        egui::Window::new("Find and replace")
            .open(&mut open)
            .default_width(720.0)
            .default_height(520.0)
            .show(ectx, |ui| self.contents(ui, ctx));
        self.open &= open;
    }

    fn contents(&mut self, ui: &mut egui::Ui, ctx: &mut Ctx) {
        egui::Grid::new("replace form")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                text_row(ui, "Find", &mut self.find);
                text_row(ui, "Replace with", &mut self.replace);
                text_row(ui, "Sites matching", &mut self.only);
                ui.label("Language");
                ui.horizontal(|ui| self.language(ui, ctx.docs));
                ui.end_row();
            });
        ui.weak(
            "Section texts and declaration texts; “Sites matching” takes * and ?, empty for all.",
        );
        ui.separator();
        if let Some(changed) = ctx.docs.last_replace.as_ref().map(Vec::len) {
            ui.horizontal(|ui| {
                ui.label(format!("The last replace changed {changed} sites."));
                if ui.button("Undo replace").clicked() {
                    ctx.push(EditCommand::UndoReplace);
                }
            });
        }
        if self.find.is_empty() {
            ui.weak("Type the text to find.");
            return;
        }
        let query = match Query::new(&self.find, &self.replace, self.lang.as_deref()) {
            Ok(q) => q,
            Err(why) => {
                ui.colored_label(ui.visuals().warn_fg_color, why);
                return;
            }
        };
        let only = match self.only.trim() {
            "" => None,
            pattern => match SitePattern::new(pattern) {
                Ok(p) => Some(p),
                Err(why) => {
                    ui.colored_label(ui.visuals().warn_fg_color, why);
                    return;
                }
            },
        };
        let ids: Vec<String> = ctx
            .docs
            .sites
            .iter()
            .map(|d| d.id())
            .filter(|id| only.as_ref().is_none_or(|p| p.matches(id)))
            .map(str::to_string)
            .collect();
        let key: Key = (
            query.clone(),
            self.only.clone(),
            ctx.docs.sites.iter().map(|d| d.revision).collect(),
        );
        if self.preview.as_ref().is_none_or(|(k, _)| *k != key) {
            self.preview = Some((key, ctx.docs.replace_preview(&query, &ids)));
        }
        let Some((_, preview)) = &self.preview else {
            return;
        };
        let texts: usize = preview.iter().map(|(_, hits)| hits.len()).sum();
        ui.horizontal(|ui| {
            ui.strong(format!("{texts} texts in {} sites", preview.len()));
            if ui
                .add_enabled(texts > 0, egui::Button::new("Replace all"))
                .on_hover_text("Replace in every text listed; the sites are left unsaved")
                .clicked()
            {
                ctx.push(EditCommand::Replace { query, ids });
            }
        });
        egui::ScrollArea::vertical()
            .id_salt("replace preview")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (id, hits) in preview {
                    ui.strong(id);
                    for hit in hits {
                        ui.weak(&hit.place);
                        ui.indent(("hit", id, &hit.place), |ui| {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                format!("− {}", hit.before),
                            );
                            ui.colored_label(colors::ADDED, format!("+ {}", hit.after));
                        });
                    }
                    ui.add_space(4.0);
                }
            });
    }

    fn language(&mut self, ui: &mut egui::Ui, docs: &Docs) {
        let mut langs: Vec<&str> = docs
            .sites
            .iter()
            .flat_map(|d| d.site().languages.iter().map(String::as_str))
            .collect();
        langs.sort_unstable();
        langs.dedup();
        let offered = std::iter::once(None).chain(langs.into_iter().map(Some));
        for code in offered {
            let label = code.map_or_else(|| "All".to_string(), str::to_uppercase);
            if ui
                .selectable_label(self.lang.as_deref() == code, &label)
                .accessible_name(format!("Replace language {label}"))
                .clicked()
            {
                self.lang = code.map(str::to_string);
            }
        }
    }
}
