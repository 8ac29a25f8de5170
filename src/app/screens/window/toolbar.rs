//! The top bar: folder, saving, export, undo, the view switch, help, and progress of background
//! work. Its buttons come from the command table.

use crate::app::commands::Action;
use crate::app::screens::Ctx;

/// A toolbar button for `action`, labelled and explained from the command table.
fn button(ui: &mut egui::Ui, ctx: &mut Ctx, action: Action, enabled: bool) {
    let spec = action.spec();
    if ui
        .add_enabled(enabled, egui::Button::new(spec.label))
        // Worded only when shown, not every frame.
        .on_hover_ui(|ui| {
            ui.label(spec.tooltip());
        })
        .on_disabled_hover_ui(|ui| {
            ui.label(spec.tooltip());
        })
        .accessible_name(format!("Toolbar: {}", spec.label))
        .clicked()
    {
        ctx.push(action.command());
    }
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.strong("PolicyDesk");
            ui.separator();
            button(ui, ctx, Action::OpenFolder, true);
            let selected = ctx
                .settings
                .selected
                .as_deref()
                .and_then(|id| ctx.docs.get(id));
            let dirty = selected.is_some_and(|d| d.dirty);
            let (can_undo, can_redo) = selected.map_or((false, false), |d| {
                (d.history.can_undo(), d.history.can_redo())
            });
            button(ui, ctx, Action::Save, dirty);
            let any_dirty = ctx.docs.dirty_count() > 0;
            button(ui, ctx, Action::SaveAll, any_dirty);
            crate::app::screens::export::menu(ui, ctx);
            ui.separator();
            button(ui, ctx, Action::Undo, can_undo);
            button(ui, ctx, Action::Redo, can_redo);
            button(ui, ctx, Action::FindReplace, true);
            ui.separator();
            for &action in Action::ALL {
                let Some(view) = action.view() else { continue };
                let spec = action.spec();
                if ui
                    .selectable_label(ctx.settings.view == view, spec.label)
                    .on_hover_ui(|ui| {
                        ui.label(spec.tooltip());
                    })
                    .accessible_name(format!("Toolbar: {}", spec.label))
                    .clicked()
                {
                    ctx.push(action.command());
                }
            }
            ui.separator();
            let help = Action::Help.spec();
            if ui
                .selectable_label(ctx.settings.show_help, help.label)
                .on_hover_ui(|ui| {
                    ui.label(help.tooltip());
                })
                .accessible_name(format!("Toolbar: {}", help.label))
                .clicked()
            {
                ctx.push(Action::Help.command());
            }
            let pending = ctx.tasks.files.pending();
            if pending > 0 {
                ui.separator();
                ui.spinner();
                ui.label(format!("Working… ({pending} under way)"));
            }
        });
    });
}
