//! Live audits: run, cancel, and declare a cookie an audit saw.

use url::Url;

use super::{AuditCommand, Command, EditCommand};
use crate::app::PolicyDeskApp;
use crate::app::state::View;
use crate::audit::declare::declaration;
use crate::audit::{AuditOptions, Target};
use crate::model::CookieEntry;

impl PolicyDeskApp {
    pub(super) fn audit_command(&mut self, command: AuditCommand) -> Vec<Command> {
        let Some(docs) = &mut self.docs else {
            return Vec::new();
        };
        match command {
            AuditCommand::Run { ids, url, engine } => {
                let url = match url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                    None => None,
                    Some(u) => match Url::parse(u) {
                        Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
                        Ok(_) => {
                            self.notifications
                                .error(format!("{u}: only http and https are audited"));
                            return Vec::new();
                        }
                        Err(e) => {
                            self.notifications
                                .error(format!("{u}: not a web address ({e})"));
                            return Vec::new();
                        }
                    },
                };
                let targets = ids
                    .iter()
                    .filter_map(|id| docs.get(id))
                    .map(|doc| Target {
                        site: doc.site().clone(),
                        decls: doc.site().resolved_cookies(docs.platform_of(doc.site())),
                        url: url.clone().unwrap_or_else(|| doc.site().base_url.clone()),
                    })
                    .collect();
                // Cookies are classified with the folder's own knowledge (team catalog,
                // platforms) over the shipped one.
                let options = AuditOptions {
                    knowledge: docs.knowledge.clone(),
                    engine,
                    ..AuditOptions::default()
                };
                self.tasks.audits.start(&docs.dir, targets, options);
                Vec::new()
            }
            AuditCommand::Cancel => {
                self.tasks.audits.cancel();
                Vec::new()
            }
            AuditCommand::DeclareCookie { site, cookie } => {
                let Some(doc) = docs.get_mut(&site) else {
                    return Vec::new();
                };
                let decl = declaration(&cookie, doc.site());
                self.notifications.info(format!(
                    "Declared {} on {site}: review it and write its purpose",
                    decl.display_name()
                ));
                doc.file.site.cookies.push(CookieEntry::Own(decl));
                let editor = &mut self.screens.editor;
                editor.selected_cookie = Some(doc.site().cookies.len() - 1);
                editor.scroll_to_cookie = true;
                self.settings.selected = Some(site);
                self.settings.view = View::Editor;
                // Recorded as any edit of the selected site: one undo step, marked unsaved.
                vec![EditCommand::Edited(None).into()]
            }
        }
    }
}
