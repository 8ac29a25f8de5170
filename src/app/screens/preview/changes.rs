//! The preview's "Changes since last export": the site as edited against its `site.ron` and
//! `cookies.json` in the last export's bundle, compared as `policydesk diff` compares them.

use std::path::Path;
use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{Color32, FontId, RichText, Stroke, TextFormat};

use crate::app::commands::{Command, ExportCommand};
use crate::app::state::export::LastExport;
use crate::app::state::{Docs, SiteDoc};
use crate::app::widgets::{colors, severity};
use crate::changes::diff::{SectionChangeKind, SiteChanges};
use crate::changes::report::{cookie_words, field_line, section_title};
use crate::changes::snapshot::Snapshot;
use crate::changes::words::WordOp;
use crate::changes::{SiteState, compare_site};

/// What the changes view reads from the app: the last export's path, what is known of it, and
/// where to ask for it to be read.
pub struct LastExportView<'a> {
    pub path: Option<&'a Path>,
    pub last: Option<&'a LastExport>,
    pub commands: &'a mut Vec<Command>,
}

/// The changes of one site, computed again only when the site or the last export changed.
#[derive(Default)]
pub struct ChangesCache {
    /// (site id, revision, the export read): the export is held so that a snapshot read later
    /// cannot take its place at the same address.
    entry: Option<(String, u64, Arc<Snapshot>, SiteChanges)>,
}

impl ChangesCache {
    fn get(
        &mut self,
        docs: &Docs,
        doc: &SiteDoc,
        snapshot: &Arc<Snapshot>,
    ) -> Option<&SiteChanges> {
        let old = snapshot.sites.get(doc.id())?;
        let entry = match self.entry.take() {
            Some(e) if e.0 == doc.id() && e.1 == doc.revision && Arc::ptr_eq(&e.2, snapshot) => e,
            _ => {
                let site = doc.site();
                let new = SiteState::of(site, &site.resolved_cookies(docs.platform_of(site)));
                let changes = compare_site(old, &new, None);
                (
                    doc.id().to_string(),
                    doc.revision,
                    snapshot.clone(),
                    changes,
                )
            }
        };
        Some(&self.entry.insert(entry).3)
    }
}

pub fn changes_ui(
    ui: &mut egui::Ui,
    docs: &Docs,
    doc: &SiteDoc,
    cache: &mut ChangesCache,
    view: LastExportView,
) {
    let Some(path) = view.path else {
        ui.label("No previous export: export this site, and its later edits show here.");
        return;
    };
    let snapshot = match view.last {
        Some(last) if last.path() == path => match last {
            LastExport::Reading(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the last export…");
                });
                return;
            }
            LastExport::Failed { message, .. } => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("The last export cannot be read: {message}"),
                );
                return;
            }
            LastExport::Read { snapshot, .. } => snapshot,
        },
        _ => {
            view.commands.push(ExportCommand::ReadLast.into());
            ui.spinner();
            return;
        }
    };
    let since = snapshot.generated_at.as_deref().unwrap_or("?");
    ui.weak(format!("Since the export of {since}: {}", path.display()));
    let Some(changes) = cache.get(docs, doc, snapshot) else {
        ui.label(format!("{} is not in the last export.", doc.id()));
        return;
    };
    if changes.is_empty() {
        ui.label("No changes since the last export.");
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("preview changes")
        .auto_shrink([false, false])
        .show(ui, |ui| site_changes(ui, changes));
}

fn site_changes(ui: &mut egui::Ui, changes: &SiteChanges) {
    let removed = ui.visuals().error_fg_color;
    let line = |ui: &mut egui::Ui, text: String, color: Option<Color32>| {
        let text = RichText::new(text).monospace();
        ui.add(egui::Label::new(match color {
            Some(c) => text.color(c),
            None => text,
        }));
    };
    severity::findings(ui, &changes.findings, |_, _| {});
    for f in &changes.fields {
        line(ui, field_line(f), None);
    }
    for lang in &changes.languages_added {
        line(ui, format!("+ language {lang}"), Some(colors::ADDED));
    }
    for lang in &changes.languages_removed {
        line(ui, format!("- language {lang}"), Some(removed));
    }
    for c in &changes.cookies.added {
        let text = format!("+ cookie {} ({})", c.display_name, cookie_words(c));
        line(ui, text, Some(colors::ADDED));
    }
    for c in &changes.cookies.removed {
        let text = format!("- cookie {} ({})", c.display_name, cookie_words(c));
        line(ui, text, Some(removed));
    }
    for c in &changes.cookies.changed {
        line(ui, format!("~ cookie {}", c.name), None);
        for f in &c.changes {
            line(ui, format!("    {}", field_line(f)), None);
        }
    }
    for s in &changes.sections {
        let sign = match s.change {
            SectionChangeKind::Added => "+",
            SectionChangeKind::Removed => "-",
            SectionChangeKind::Changed => "~",
        };
        ui.add_space(4.0);
        line(ui, format!("{sign} section {}", section_title(s)), None);
        let mut job = LayoutJob::default();
        let body = ui.visuals().text_color();
        for run in &s.words {
            let format = match run.op {
                WordOp::Equal => TextFormat::simple(FontId::proportional(13.0), body),
                WordOp::Delete => TextFormat {
                    strikethrough: Stroke::new(1.0, removed),
                    ..TextFormat::simple(FontId::proportional(13.0), removed)
                },
                WordOp::Insert => TextFormat {
                    underline: Stroke::new(1.0, colors::ADDED),
                    ..TextFormat::simple(FontId::proportional(13.0), colors::ADDED)
                },
            };
            job.append(&run.text, 0.0, format);
        }
        job.wrap.max_width = ui.available_width();
        ui.add(egui::Label::new(job).wrap());
    }
}
