//! Messages for the user: what was saved or moved, and every error, in the status bar.

use super::docs::Docs;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Clone, Debug)]
pub struct Note {
    pub level: Level,
    pub text: String,
}

#[derive(Default)]
pub struct Notifications {
    /// Newest last; only the latest few are kept.
    pub notes: Vec<Note>,
}

impl Notifications {
    pub fn info(&mut self, text: String) {
        self.push(Level::Info, text);
    }

    pub fn error(&mut self, text: String) {
        self.push(Level::Error, text);
    }

    fn push(&mut self, level: Level, text: String) {
        self.notes.push(Note { level, text });
        if self.notes.len() > 20 {
            self.notes.remove(0);
        }
    }

    pub fn latest(&self) -> Option<&Note> {
        self.notes.last()
    }
}

/// The bottom bar: the latest message (errors stay until dismissed) and folder totals.
pub fn status_bar(ui: &mut egui::Ui, notes: &mut Notifications, docs: Option<&Docs>) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(docs) = docs {
                let (mut errors, mut warnings) = (0, 0);
                for d in &docs.sites {
                    errors += d.counts.0;
                    warnings += d.counts.1;
                }
                ui.label(format!(
                    "{} sites · {} broken · {errors} errors · {warnings} warnings",
                    docs.sites.len(),
                    docs.broken.len()
                ));
                ui.separator();
            }
            if let Some(note) = notes.latest().cloned() {
                let color = match note.level {
                    Level::Error => ui.visuals().error_fg_color,
                    Level::Info => ui.visuals().text_color(),
                };
                ui.label(egui::RichText::new(&note.text).color(color));
                if note.level == Level::Error && ui.small_button("Dismiss").clicked() {
                    notes.notes.pop();
                }
            }
        });
    });
}
