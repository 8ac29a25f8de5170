//! Sites as files: select, create, duplicate, delete, save, reload.

use url::Url;

use super::{Command, SiteCommand};
use crate::app::PolicyDeskApp;
use crate::app::state::Docs;
use crate::app::state::docs::new_site;
use crate::app::tasks::files::{Files, Job};

impl PolicyDeskApp {
    pub(super) fn site_command(&mut self, command: SiteCommand) -> Vec<Command> {
        let Some(docs) = &mut self.docs else {
            return Vec::new();
        };
        let selected = self.settings.selected.clone().unwrap_or_default();
        let files = &mut self.tasks.files;
        match command {
            SiteCommand::Select(id) => {
                if self.settings.selected.as_ref() != Some(&id) {
                    self.screens.editor.selected_cookie = None;
                }
                self.settings.selected = Some(id);
            }
            SiteCommand::Save(id) => save(files, docs, &id, false),
            SiteCommand::SaveSelected => save(files, docs, &selected, false),
            SiteCommand::SaveAll => {
                for id in docs.dirty_ids() {
                    save(files, docs, &id, false);
                }
            }
            SiteCommand::Overwrite(id) => save(files, docs, &id, true),
            SiteCommand::Reload(id) => {
                if let Some(doc) = docs.get(&id) {
                    let job = Job::Reload {
                        id,
                        path: doc.file.path.clone(),
                        platforms: docs.platforms.clone(),
                        knowledge: docs.knowledge.clone(),
                    };
                    files.send(job);
                }
            }
            SiteCommand::AskImport(id) => self.screens.dialogs.open_import(&id),
            SiteCommand::Import { id, source } => {
                if let Some(doc) = docs.get(&id) {
                    let platforms = docs.platforms.clone();
                    self.tasks
                        .imports
                        .start(doc.site().clone(), source, platforms);
                }
            }
            SiteCommand::AskNew => self.screens.dialogs.open_new_site(docs),
            SiteCommand::New { id, url, platform } => match Url::parse(&url) {
                Ok(url) => {
                    let platform = platform.as_ref().and_then(|p| docs.platforms.get(p));
                    files.send(Job::Create {
                        dir: docs.dir.clone(),
                        site: Box::new(new_site(&id, url, platform)),
                        platforms: docs.platforms.clone(),
                        knowledge: docs.knowledge.clone(),
                    });
                }
                Err(e) => self
                    .notifications
                    .error(format!("{url}: not a web address ({e})")),
            },
            SiteCommand::AskDuplicate(from) => self.screens.dialogs.open_duplicate(&from),
            SiteCommand::Duplicate { from, id } => {
                if let Some(doc) = docs.get(&from) {
                    let mut site = doc.file.site.clone();
                    site.id = id;
                    files.send(Job::Create {
                        dir: docs.dir.clone(),
                        site: Box::new(site),
                        platforms: docs.platforms.clone(),
                        knowledge: docs.knowledge.clone(),
                    });
                }
            }
            SiteCommand::AskDelete(id) => self.screens.dialogs.open_delete(&id),
            SiteCommand::Delete(id) => {
                if let Some(doc) = docs.get(&id) {
                    files.send(Job::Trash {
                        dir: docs.dir.clone(),
                        path: doc.file.path.clone(),
                        id,
                    });
                }
            }
        }
        Vec::new()
    }
}

/// Saves `id` unless a save of it is under way.
fn save(files: &mut Files, docs: &mut Docs, id: &str, overwrite: bool) {
    if let Some(doc) = docs.get_mut(id)
        && !doc.saving
    {
        doc.saving = true;
        files.send(Job::Save {
            file: Box::new(doc.file.clone()),
            overwrite,
        });
    }
}
