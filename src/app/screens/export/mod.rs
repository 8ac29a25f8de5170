//! The export's controls: the toolbar menu, the questions before exporting, the progress window
//! with its Cancel button, and the result with "Open folder".

use crate::app::commands::{Command, ExportCommand};
use crate::app::screens::Ctx;
use crate::app::state::MAX_COMPARED;
use crate::app::state::export::{
    ExportRequest, ExportScope, Question, Unsaved, scope_ids, summary,
};
use crate::app::tasks::export::Running;

/// The toolbar's Export menu. The folder/zip choice is remembered with the window's state.
pub fn menu(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let (docs, settings) = (Some(&*ctx.docs).filter(|_| !ctx.loading), &*ctx.settings);
    let commands = &mut *ctx.commands;
    let zip_id = egui::Id::unique("export as zip");
    ui.menu_button("Export", |ui| {
        let mut zip = ui.data_mut(|d| *d.get_persisted_mut_or_default::<bool>(zip_id));
        ui.label("Write the bundle as");
        let changed = ui.radio_value(&mut zip, false, "A folder").changed()
            | ui.radio_value(&mut zip, true, "A zip file").changed();
        if changed {
            ui.data_mut(|d| d.insert_persisted(zip_id, zip));
        }
        ui.separator();
        // A scope is offered when it names some site, by the rule the export itself uses.
        let enabled = |scope| docs.is_some_and(|d| !scope_ids(scope, d, settings).is_empty());
        let compared_hint =
            format!("The 2 to {MAX_COMPARED} sites ticked for the side-by-side view");
        for (scope, label, enabled, hint) in [
            (
                ExportScope::Selected,
                "Export selected site…",
                enabled(ExportScope::Selected),
                "The site open in the editor",
            ),
            (
                ExportScope::Compared,
                "Export side-by-side selection…",
                enabled(ExportScope::Compared),
                compared_hint.as_str(),
            ),
            (
                ExportScope::All,
                "Export all sites…",
                enabled(ExportScope::All),
                "Every site of the folder",
            ),
        ] {
            if ui
                .add_enabled(enabled, egui::Button::new(label))
                .on_hover_text(hint)
                .on_disabled_hover_text(hint)
                .clicked()
            {
                commands.push(ExportCommand::Ask { scope, zip }.into());
            }
        }
    })
    .response
    .on_hover_text(
        "Write policy bundles: every language as HTML, PDF, Markdown and text, with a manifest",
    )
    .accessible_name("Toolbar: Export");
}

/// The export's windows; the questions and the result wait while another dialog is open.
pub fn windows(ectx: &egui::Context, dialog_open: bool, ctx: &mut Ctx) {
    let commands = &mut *ctx.commands;
    if let Some(running) = &ctx.tasks.exports.running {
        progress(ectx, running, commands);
    }
    if dialog_open {
        return;
    }
    let flow = &mut *ctx.export;
    let ctx = ectx;
    if let Some(question) = &flow.question {
        let mut done = false;
        let modal = egui::Modal::new(egui::Id::unique("export question")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            done = match question {
                Question::Unsaved { request, dirty } => unsaved(ui, request, dirty, commands),
                Question::Replace(request) => replace(ui, request, commands),
            };
        });
        if done || modal.should_close() {
            flow.question = None;
        }
    } else if let Some((exported, _)) = &flow.finished {
        let text = summary(exported);
        let (mut open, mut close) = (false, false);
        let modal = egui::Modal::new(egui::Id::unique("export finished")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading("Export finished");
            ui.label(text);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                open = ui
                    .button("Open folder")
                    .on_hover_text("Show the bundle in the file manager")
                    .accessible_name("Export finished: open folder")
                    .clicked();
                close = ui
                    .button("Close")
                    .accessible_name("Export finished: close")
                    .clicked();
            });
        });
        if open {
            commands.push(ExportCommand::OpenResult.into());
        } else if close || modal.should_close() {
            flow.finished = None;
        }
    }
}

/// A small window in the corner: the app stays usable while the export runs.
fn progress(ctx: &egui::Context, running: &Running, commands: &mut Vec<Command>) {
    let p = running.task.progress();
    egui::Window::new("Exporting")
        .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -40.0])
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label(format!("To {}", running.request.out.display()));
            let fraction = p.done as f32 / p.total.max(1) as f32;
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(320.0)
                    .text(format!("{} of {} sites", p.done, p.total)),
            );
            let cancelling = running.task.cancelling();
            let label = if cancelling {
                "Cancelling…"
            } else {
                "Cancel"
            };
            if ui
                .add_enabled(!cancelling, egui::Button::new(label))
                .on_hover_text("Stop; nothing is written to the chosen path")
                .accessible_name("Exporting: cancel")
                .clicked()
            {
                commands.push(ExportCommand::Cancel.into());
            }
        });
}

fn answer(
    ui: &mut egui::Ui,
    choices: &[(&str, &str, Option<ExportRequest>)],
    commands: &mut Vec<Command>,
) -> bool {
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let mut done = false;
        for (label, hint, request) in choices {
            if ui
                .button(*label)
                .on_hover_text(*hint)
                .accessible_name(format!("Export question: {label}"))
                .clicked()
            {
                if let Some(request) = request {
                    commands.push(ExportCommand::Run(request.clone()).into());
                }
                done = true;
            }
        }
        done
    })
    .inner
}

fn unsaved(
    ui: &mut egui::Ui,
    request: &ExportRequest,
    dirty: &[String],
    commands: &mut Vec<Command>,
) -> bool {
    ui.heading("Export unsaved changes?");
    ui.label(format!(
        "{} of the sites to export {} changes that are not saved: {}. A bundle holds each \
         site as its file on disk.",
        dirty.len(),
        if dirty.len() == 1 { "has" } else { "have" },
        dirty.join(", ")
    ));
    let with = |unsaved| {
        Some(ExportRequest {
            unsaved,
            ..request.clone()
        })
    };
    answer(
        ui,
        &[
            (
                "Save and export",
                "Save these sites, then export them",
                with(Unsaved::SaveFirst),
            ),
            (
                "Export saved versions",
                "Export the files as last saved; your changes stay unsaved",
                with(Unsaved::UseSaved),
            ),
            ("Cancel", "Export nothing", None),
        ],
        commands,
    )
}

fn replace(ui: &mut egui::Ui, request: &ExportRequest, commands: &mut Vec<Command>) -> bool {
    ui.heading("Replace the existing export?");
    ui.label(format!(
        "{} already exists. Replacing it removes what it holds now, once the new bundle is \
         complete.",
        request.out.display()
    ));
    answer(
        ui,
        &[
            (
                "Replace",
                "Write the new bundle in its place",
                Some(ExportRequest {
                    replace: true,
                    ..request.clone()
                }),
            ),
            ("Cancel", "Export nothing", None),
        ],
        commands,
    )
}
