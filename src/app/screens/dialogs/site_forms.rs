//! The new-site and duplicate forms.

use super::buttons;
use crate::app::commands::{Command, SiteCommand};
use crate::app::state::Docs;
use crate::app::widgets::fields::text_row;

pub(super) fn new_site(
    ui: &mut egui::Ui,
    docs: &Docs,
    id: &mut String,
    url: &mut String,
    platform: &mut Option<String>,
    commands: &mut Vec<Command>,
) -> bool {
    ui.heading("New site");
    ui.label("The new site publishes every cookie of its platform, as the platform declares them.");
    egui::Grid::new("new site form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .min_col_width(90.0)
        .show(ui, |ui| {
            // The address follows the id until the user types one.
            let following = url == "https://" || *url == format!("https://{id}/");
            if text_row(ui, "Site id", id).changed() && following {
                *url = format!("https://{}/", id.trim());
            }
            text_row(ui, "Address", url);
            ui.label("Platform");
            let mut options: Vec<Option<String>> = vec![None];
            options.extend(docs.platforms.keys().cloned().map(Some));
            egui::ComboBox::from_id_salt("new site platform")
                .selected_text(platform.clone().unwrap_or_else(|| "none".into()))
                .show_ui(ui, |ui| {
                    for option in options {
                        let text = option.clone().unwrap_or_else(|| "none".into());
                        ui.selectable_value(platform, option, text);
                    }
                })
                .response
                .accessible_name("Platform");
            ui.end_row();
        });
    let refusal = docs.refuse_id(id.trim()).or_else(|| {
        url::Url::parse(url.trim())
            .err()
            .map(|e| format!("the address is not valid: {e}"))
    });
    if let Some(why) = &refusal
        && !id.is_empty()
    {
        ui.colored_label(ui.visuals().error_fg_color, why);
    }
    buttons(ui, |ui| {
        let go = ui
            .add_enabled(refusal.is_none(), egui::Button::new("Create"))
            .clicked();
        if go {
            commands.push(Command::from(SiteCommand::New {
                id: id.trim().to_string(),
                url: url.trim().to_string(),
                platform: platform.clone(),
            }));
        }
        go
    })
}

pub(super) fn duplicate(
    ui: &mut egui::Ui,
    docs: &Docs,
    from: &str,
    id: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    ui.heading(format!("Duplicate {from}"));
    egui::Grid::new("duplicate form")
        .num_columns(2)
        .show(ui, |ui| {
            text_row(ui, "New site id", id);
        });
    let refusal = docs.refuse_id(id.trim());
    if let Some(why) = &refusal {
        ui.colored_label(ui.visuals().error_fg_color, why);
    }
    let from = from.to_string();
    buttons(ui, |ui| {
        let go = ui
            .add_enabled(refusal.is_none(), egui::Button::new("Duplicate"))
            .clicked();
        if go {
            commands.push(Command::from(SiteCommand::Duplicate {
                from,
                id: id.trim().to_string(),
            }));
        }
        go
    })
}
