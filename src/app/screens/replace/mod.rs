//! Find and replace across sites: what to find, its replacement, which sites and which language;
//! a preview of every text it would change; "Replace all" as one edit of each site, and
//! "Undo replace" to take the whole replace back at once.

use crate::app::commands::EditCommand;
use crate::app::screens::Ctx;
use crate::app::state::Docs;
use crate::app::widgets::colors;
use crate::app::widgets::fields::text_row;
use crate::model::text::plural;
use crate::replace::{Hit, Query, SitePattern};

/// The query, the ids of the sites it applies to, and each site's hits in site order.
type Planned = (Query, Vec<String>, Vec<(String, Vec<Hit>)>);

/// The preview of the window's inputs, worked out again only when one of them changed.
struct Preview {
    find: String,
    replace: String,
    lang: Option<String>,
    only: String,
    /// Every open site's revision: revisions are never reused, so these also say which sites
    /// are open.
    revisions: Vec<u64>,
    /// Why the inputs make no query, when they don't.
    outcome: Result<Planned, String>,
}

impl Preview {
    fn is_for(&self, w: &ReplaceWindow, docs: &Docs) -> bool {
        self.find == w.find
            && self.replace == w.replace
            && self.lang == w.lang
            && self.only == w.only
            && self.revisions.iter().copied().eq(revisions(docs))
    }

    fn work_out(w: &ReplaceWindow, docs: &Docs) -> Preview {
        Preview {
            find: w.find.clone(),
            replace: w.replace.clone(),
            lang: w.lang.clone(),
            only: w.only.clone(),
            revisions: revisions(docs).collect(),
            outcome: plan(w, docs),
        }
    }
}

/// The query of `w`'s inputs, the ids of the sites it applies to, and their hits.
fn plan(w: &ReplaceWindow, docs: &Docs) -> Result<Planned, String> {
    let query = Query::new(&w.find, &w.replace, w.lang.as_deref())?;
    let only = match w.only.trim() {
        "" => None,
        pattern => Some(SitePattern::new(pattern)?),
    };
    let ids: Vec<String> = docs
        .sites
        .iter()
        .map(|d| d.id())
        .filter(|id| only.as_ref().is_none_or(|p| p.matches(id)))
        .map(str::to_string)
        .collect();
    let hits = docs.replace_preview(&query, &ids);
    Ok((query, ids, hits))
}

fn revisions(docs: &Docs) -> impl Iterator<Item = u64> + '_ {
    docs.sites.iter().map(|d| d.revision)
}

#[derive(Default)]
pub struct ReplaceWindow {
    pub open: bool,
    find: String,
    replace: String,
    /// A site id pattern (`*`, `?`); empty for every site.
    only: String,
    /// `None`: every language.
    lang: Option<String>,
    preview: Option<Preview>,
    /// The open sites' languages, sorted, with the revisions they were read at.
    langs: Option<(Vec<u64>, Vec<String>)>,
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
        if !self
            .preview
            .as_ref()
            .is_some_and(|p| p.is_for(self, ctx.docs))
        {
            self.preview = Some(Preview::work_out(self, ctx.docs));
        }
        let Some(Preview { outcome, .. }) = &self.preview else {
            return;
        };
        let (query, ids, preview) = match outcome {
            Ok(planned) => planned,
            Err(why) => {
                ui.colored_label(ui.visuals().warn_fg_color, why);
                return;
            }
        };
        let texts: usize = preview.iter().map(|(_, hits)| hits.len()).sum();
        ui.horizontal(|ui| {
            ui.strong(format!(
                "{} in {}",
                plural(texts, "text"),
                plural(preview.len(), "site")
            ));
            if ui
                .add_enabled(texts > 0, egui::Button::new("Replace all"))
                .on_hover_text("Replace in every text listed; the sites are left unsaved")
                .clicked()
            {
                ctx.push(EditCommand::Replace {
                    query: query.clone(),
                    ids: ids.clone(),
                });
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
        if !self
            .langs
            .as_ref()
            .is_some_and(|(at, _)| at.iter().copied().eq(revisions(docs)))
        {
            let mut langs: Vec<String> = docs
                .sites
                .iter()
                .flat_map(|d| d.site().languages.iter().cloned())
                .collect();
            langs.sort_unstable();
            langs.dedup();
            self.langs = Some((revisions(docs).collect(), langs));
        }
        let langs = self.langs.as_ref().map_or(&[][..], |(_, l)| l.as_slice());
        let offered = std::iter::once(None).chain(langs.iter().map(|l| Some(l.as_str())));
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
