//! The language switch: one button per language offered, named by the panel it is in (so a
//! screen reader, and a test, can tell the editor's EN from the preview's).

/// Buttons for `offered` (codes; `None` for "common"), marking `current`; returns the one
/// clicked. `panel` names the switch: "Preview language EN".
pub fn switch(
    ui: &mut egui::Ui,
    panel: &str,
    offered: &[Option<&str>],
    current: Option<&str>,
    hover: impl Fn(Option<&str>) -> String,
) -> Option<Option<String>> {
    let mut clicked = None;
    for &code in offered {
        let label = code.map_or_else(|| "common".to_string(), str::to_uppercase);
        if ui
            .selectable_label(current == code, &label)
            .on_hover_text(hover(code))
            .accessible_name(format!("{panel} language {label}"))
            .clicked()
        {
            clicked = Some(code.map(str::to_string));
        }
    }
    clicked
}
