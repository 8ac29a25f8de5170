//! Form rows shared by the editor and the dialogs: a label, and a control named by it (the name
//! screen readers announce and tests find the control by).

use crate::model::Texts;

/// A single-line text field named `label`, on one grid row. Returns whether it changed.
pub fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    let r = ui
        .add(egui::TextEdit::singleline(value).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    ui.end_row();
    r
}

/// An optional text (empty means none).
pub fn optional_row(ui: &mut egui::Ui, label: &str, value: &mut Option<String>) -> egui::Response {
    let mut text = value.clone().unwrap_or_default();
    let r = text_row(ui, label, &mut text);
    if r.changed() {
        *value = (!text.trim().is_empty()).then_some(text);
    }
    r
}

/// The text of one language of `texts`; emptying it removes the language, so files stay tidy.
pub fn lang_text(
    ui: &mut egui::Ui,
    label_id: egui::Id,
    texts: &mut Texts,
    lang: &str,
    multiline: bool,
) -> egui::Response {
    let mut text = texts.get(lang).cloned().unwrap_or_default();
    let edit = if multiline {
        egui::TextEdit::multiline(&mut text).desired_rows(2)
    } else {
        egui::TextEdit::singleline(&mut text)
    };
    let r = ui
        .add(edit.desired_width(f32::INFINITY))
        .labelled_by(label_id);
    if r.changed() {
        if text.is_empty() {
            texts.remove(lang);
        } else {
            texts.insert(lang.to_string(), text);
        }
    }
    r
}

/// A choice among `options`, shown with `label_of`. Returns whether the choice changed.
pub fn choice<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    name: &str,
    value: &mut T,
    options: &[T],
    label_of: impl Fn(T) -> String,
) -> egui::Response {
    let mut changed = false;
    let mut r = egui::ComboBox::from_id_salt(name)
        .selected_text(label_of(*value))
        .show_ui(ui, |ui| {
            for &option in options {
                if ui
                    .selectable_label(*value == option, label_of(option))
                    .clicked()
                    && *value != option
                {
                    *value = option;
                    changed = true;
                }
            }
        })
        .response
        .accessible_name(name);
    if changed {
        r.mark_changed();
    }
    r
}
