//! Choosing a folder or a file with the system's dialog, on a task (it blocks until the user
//! answers). On Linux the system dialog needs an xdg desktop portal or `zenity`; where neither
//! is there, the task answers [`Picked::Unavailable`] and the app shows its own dialog instead,
//! so Open folder… and Export… always do something visible.

use std::path::PathBuf;

use super::{Polled, Task};

/// What a chosen path is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Open it as the sites folder.
    OpenFolder,
    /// Export these sites to it (a new folder's name, or with `zip` a zip file).
    Export { ids: Vec<String>, zip: bool },
    /// Save site `id`'s preview in `lang` to it as a PDF.
    SavePdf { id: String, lang: String },
}

/// One question for a file dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickRequest {
    pub purpose: Purpose,
    pub title: String,
    /// The folder the dialog starts in.
    pub start: PathBuf,
    /// The file name offered when saving (`None` when picking a folder).
    pub file_name: Option<String>,
}

pub enum Picked {
    Chosen(PathBuf),
    Cancelled,
    /// No system dialog can be shown here.
    Unavailable,
}

/// Which dialog asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    /// The system's dialog, while it seems to be there.
    System,
    /// The app's own dialog (`POLICYDESK_FILE_DIALOG=builtin`, or once the system's was missing).
    Builtin,
}

pub struct Picker {
    ctx: egui::Context,
    pub kind: DialogKind,
    pending: Option<(PickRequest, Task<(), Picked>)>,
}

impl Picker {
    pub fn new(ctx: &egui::Context) -> Self {
        let builtin = std::env::var("POLICYDESK_FILE_DIALOG").is_ok_and(|v| v == "builtin");
        Self {
            ctx: ctx.clone(),
            kind: if builtin {
                DialogKind::Builtin
            } else {
                DialogKind::System
            },
            pending: None,
        }
    }

    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Asks with the system dialog; `Err(request)` when the app's own dialog must ask.
    pub fn ask(&mut self, request: PickRequest) -> Result<(), PickRequest> {
        if self.kind == DialogKind::Builtin {
            return Err(request);
        }
        if self.pending.is_some() {
            // One system dialog at a time; it is on screen already.
            return Ok(());
        }
        let asked = request.clone();
        let task = Task::spawn("policydesk-dialog", &self.ctx, (), move |_| {
            if !system_dialog_available() {
                return Picked::Unavailable;
            }
            let start = asked.start.clone();
            let dialog = rfd::FileDialog::new()
                .set_title(&asked.title)
                .set_directory(&start);
            let chosen = match (&asked.purpose, &asked.file_name) {
                (Purpose::OpenFolder, _) => dialog.pick_folder(),
                (Purpose::Export { zip, .. }, name) => {
                    let dialog = match name {
                        Some(name) => dialog.set_file_name(name),
                        None => dialog,
                    };
                    if *zip {
                        dialog.add_filter("Zip archive", &["zip"]).save_file()
                    } else {
                        dialog.save_file()
                    }
                }
                (Purpose::SavePdf { .. }, name) => {
                    let dialog = match name {
                        Some(name) => dialog.set_file_name(name),
                        None => dialog,
                    };
                    dialog.add_filter("PDF document", &["pdf"]).save_file()
                }
            };
            chosen.map_or(Picked::Cancelled, Picked::Chosen)
        });
        self.pending = Some((request, task));
        Ok(())
    }

    /// The system dialog's answer, with the question it answers, once given.
    pub fn finished(&mut self) -> Option<(PickRequest, Picked)> {
        let (_, task) = self.pending.as_ref()?;
        let picked = match task.poll() {
            Polled::Running => return None,
            Polled::Done(picked) => picked,
            Polled::Lost => Picked::Unavailable,
        };
        let (request, _) = self.pending.take()?;
        if matches!(picked, Picked::Unavailable) {
            self.kind = DialogKind::Builtin;
        }
        Some((request, picked))
    }
}

/// Whether a system file dialog can show: always outside Linux; on Linux, `zenity` on the
/// `PATH` or a desktop portal on the session bus (what rfd uses).
fn system_dialog_available() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    on_path("zenity", &path) || portal_on_session_bus()
}

/// Whether an executable `name` is in one of the folders of `path`.
fn on_path(name: &str, path: &std::ffi::OsStr) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(path).any(|dir| {
        std::fs::metadata(dir.join(name))
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

#[cfg(target_os = "linux")]
fn portal_on_session_bus() -> bool {
    const PORTAL: &str = "org.freedesktop.portal.Desktop";
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && std::env::var_os("XDG_RUNTIME_DIR")
            .is_none_or(|d| !PathBuf::from(d).join("bus").exists())
    {
        return false;
    }
    zbus::block_on(async {
        let Ok(connection) = zbus::Connection::session().await else {
            return false;
        };
        let Ok(bus) = zbus::fdo::DBusProxy::new(&connection).await else {
            return false;
        };
        let Ok(name) = zbus::names::BusName::try_from(PORTAL) else {
            return false;
        };
        if bus.name_has_owner(name).await.unwrap_or(false) {
            return true;
        }
        bus.list_activatable_names()
            .await
            .is_ok_and(|names| names.iter().any(|n| n.as_str() == PORTAL))
    })
}

#[cfg(not(target_os = "linux"))]
fn portal_on_session_bus() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::on_path;

    #[test]
    fn zenity_is_found_only_as_an_executable_on_the_path() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = std::env::join_paths([dir.path()]).unwrap();
        assert!(!on_path("zenity", &path));
        let zenity = dir.path().join("zenity");
        std::fs::write(&zenity, "#!/bin/sh\n").unwrap();
        assert!(!on_path("zenity", &path), "not executable");
        std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(on_path("zenity", &path));
    }
}
