//! A save from the app keeps the comments a person wrote in the site file.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, idle, open};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

#[test]
fn an_app_save_keeps_the_comments_of_the_file() {
    let dir = common::copy_of_sites();
    let path = dir.path().join("dataviz.totalenergies.com.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let commented = format!("// Reviewed by legal on 2026-11-02.\n{text}").replacen(
        "    controller: \"TotalEnergies\",",
        "    // Wording agreed with the DPO.\n    controller: \"TotalEnergies\", // not TotalEnergies SE",
        1,
    );
    assert!(commented.contains("the DPO"));
    std::fs::write(&path, &commented).unwrap();

    let mut app = open(dir.path());
    click(&mut app, "Sites: dataviz.totalenergies.com");
    app.get_by_label("Controller")
        .set_text_value_accesskit("TotalEnergies OneTech");
    app.run();
    app.key_press_modifiers(Modifiers::COMMAND, Key::S);
    idle(&mut app);

    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.starts_with("// Reviewed by legal on 2026-11-02.\n#![enable"));
    assert!(saved.contains(
        "    // Wording agreed with the DPO.\n    controller: \"TotalEnergies OneTech\", // not TotalEnergies SE\n"
    ));
    assert_eq!(saved.matches("//").count(), commented.matches("//").count());
}
