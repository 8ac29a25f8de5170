//! The export's threads: the system save dialog, the export itself with its progress, and
//! opening the result in the file manager. Each blocks, so none runs on the frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;

use super::export_flow::ExportRequest;
use crate::export::{self, ExportError, Exported, Options, manifest};
use crate::store::Workspace;

pub enum Event {
    /// The user chose where to export.
    Picked(ExportRequest),
    Progress {
        done: usize,
        total: usize,
    },
    Finished {
        request: ExportRequest,
        result: Result<Exported, ExportError>,
        /// When the output exists: whether replacing it is fair to offer (a bundle or a file).
        replaceable: bool,
    },
    OpenFailed(String),
}

/// Asks where to write the bundle of `ids` (a new folder's name, or a zip file).
pub fn pick(
    ids: Vec<String>,
    zip: bool,
    stem: &str,
    near: PathBuf,
    events: Sender<Event>,
    ctx: egui::Context,
) {
    let date = time::OffsetDateTime::now_utc().date();
    let name = format!("{stem}-{date}{}", if zip { ".zip" } else { "" });
    std::thread::spawn(move || {
        let mut dialog = rfd::FileDialog::new()
            .set_file_name(name)
            .set_directory(near.parent().unwrap_or(&near));
        dialog = if zip {
            dialog
                .set_title("Export to a zip file")
                .add_filter("Zip archive", &["zip"])
        } else {
            dialog.set_title("Export to a new folder")
        };
        if let Some(mut out) = dialog.save_file() {
            if zip && out.extension().is_none() {
                out.set_extension("zip");
            }
            let _ = events.send(Event::Picked(ExportRequest::new(ids, out, zip)));
            ctx.request_repaint();
        }
    });
}

/// Exports `ws` as `request` says, reporting progress, until done or `cancel` is set.
pub fn run(
    ws: Workspace,
    request: ExportRequest,
    cancel: Arc<AtomicBool>,
    events: Sender<Event>,
    ctx: egui::Context,
) {
    std::thread::Builder::new()
        .name("policydesk-export".into())
        .spawn(move || {
            let progress = |done, total| {
                let _ = events.send(Event::Progress { done, total });
                ctx.request_repaint();
            };
            let result = Options::new(request.zip, request.replace).and_then(|mut options| {
                options.cancel = Some(cancel);
                export::export(&ws, &request.ids, &request.out, &options, &progress)
            });
            let replaceable =
                matches!(result, Err(ExportError::OutputExists(_))) && replaceable(&request.out);
            let _ = events.send(Event::Finished {
                request,
                result,
                replaceable,
            });
            ctx.request_repaint();
        })
        .ok();
}

/// Replacing removes what is there: fine for a file the user picked or an earlier bundle, not
/// for a folder of other things (a save dialog makes picking `~/Documents` one slip away).
fn replaceable(out: &Path) -> bool {
    !out.is_dir() || out.join(manifest::FILE).is_file()
}

/// Shows `folder` in the system's file manager.
pub fn open_folder(folder: PathBuf, events: Sender<Event>, ctx: egui::Context) {
    std::thread::spawn(move || {
        if let Err(e) = open::that_detached(&folder) {
            let _ = events.send(Event::OpenFailed(format!(
                "Cannot open {}: {e}",
                folder.display()
            )));
            ctx.request_repaint();
        }
    });
}
