//! "Save as PDF…" in the preview, where the desktop has no system file dialog: the app's own
//! dialog asks where, and the PDF written is the preview's document, unsaved edits included.
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has_containing, idle, wait};
use egui_kittest::kittest::Queryable;
use policydesk::app::DialogKind;
use policydesk::render::{build_document, pdf};

#[test]
fn the_preview_saves_as_pdf_through_the_app_dialog_with_unsaved_edits() {
    let root = tempfile::tempdir().unwrap();
    let sites = root.path().join("sites");
    policydesk::store::bundled::install_into(&sites).unwrap();
    // egui_file's path and name fields have no accessible name (as in app_file_dialog.rs).
    let mut app = app_support::open_checked(&sites, false);
    app.state_mut().set_file_dialog(DialogKind::Builtin);

    let id = "dashboard.paris";
    click(&mut app, &format!("Sites: {id}"));
    // The policy version is in every page's footer.
    app.get_by_label("Policy version")
        .set_text_value_accesskit("7-draft");
    app.run();

    click(&mut app, "Preview: save as PDF");
    assert!(has_containing(&app, "Save the preview as PDF"));
    // The name offered is kept; Save writes it beside the sites folder.
    click(&mut app, "Save");
    let lang = app_support::doc(app.state(), id)
        .site()
        .default_language
        .clone();
    let out = root.path().join(format!("{id}.{lang}.pdf"));
    wait(&mut app, |_| out.is_file());
    idle(&mut app);
    assert!(has_containing(&app, "Saved the preview as PDF"));

    // Byte for byte the PDF of the site as edited (the file on disk is still unedited).
    let bytes = std::fs::read(&out).unwrap();
    let docs = app.state().docs.as_ref().unwrap();
    let doc = docs.get(id).unwrap();
    assert!(doc.dirty, "the edit is still unsaved");
    let site = doc.site();
    assert_eq!(site.policy_version, "7-draft");
    let cookies = site.resolved_cookies(docs.platform_of(site));
    let expected = pdf::render(&build_document(site, &cookies, &lang)).unwrap();
    assert!(bytes == expected, "the saved PDF is the preview's document");
    let saved = policydesk::store::load_sites(&sites);
    let on_disk = &saved.site(id).unwrap().site;
    let unedited = pdf::render(&build_document(on_disk, &saved.cookies_of(on_disk), &lang));
    assert!(bytes != unedited.unwrap(), "not the file as saved");
}
