//! Comments a person writes in a site file survive `fmt` and a save (the app saves through the
//! same store), and every file read is capped with an error naming the file and the limit.

mod common;

use policydesk::store::{self, limits, save_site};

const SITE: &str = "dashboard.paris";

/// The bundled Paris portal with comments where people write them: at the top, before a cookie,
/// at the end of a line, inside a text map, and at the very end.
fn commented(text: &str) -> String {
    let text =
        format!("// Reviewed by legal on 2026-11-02 (ticket LEG-42).\n{text}// end of file\n");
    let text = text.replacen(
        "        Platform(\n            name: \"csrftoken\",",
        "        /* Kept although the platform changed it: see LEG-40. */\n        Platform(\n            name: \"csrftoken\",",
        1,
    );
    let text = text.replacen(
        "    controller: \"Ville de Paris\",",
        "    controller: \"Ville de Paris\", // the DPO asked for this wording",
        1,
    );
    assert_eq!(text.matches("LEG-40").count(), 1);
    assert_eq!(text.matches("the DPO").count(), 1);
    text
}

#[test]
fn fmt_keeps_every_comment_in_place() {
    let sites = common::copy_of_sites();
    let path = store::site_path(sites.path(), SITE);
    let canonical = std::fs::read_to_string(&path).unwrap();
    let with_comments = commented(&canonical);
    // Not canonical: two-space indentation and the languages on one line.
    let messy = with_comments
        .replace("    ", "  ")
        .replace("[\n    \"fr\",\n    \"en\",\n  ]", "[\"fr\", \"en\"]");
    std::fs::write(&path, &messy).unwrap();
    let out = common::policydesk(&["--sites", sites.path().to_str().unwrap(), "fmt"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    // Formatted exactly as before, with each comment where it was written.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), with_comments);
    let check = common::policydesk(&["--sites", sites.path().to_str().unwrap(), "fmt", "--check"]);
    assert!(check.status.success(), "{}", common::stdout(&check));
}

#[test]
fn a_save_after_an_edit_keeps_the_comments() {
    let sites = common::copy_of_sites();
    let path = store::site_path(sites.path(), SITE);
    std::fs::write(&path, commented(&std::fs::read_to_string(&path).unwrap())).unwrap();
    let ws = store::load_sites(sites.path());
    let mut file = ws.site(SITE).unwrap().clone();
    // An edit as the app makes one: a new controller, and the first cookie removed.
    file.site.controller = "Ville de Paris (DSIN)".into();
    file.site.cookies.remove(0);
    save_site(&mut file, false).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.starts_with("// Reviewed by legal on 2026-11-02 (ticket LEG-42).\n"));
    assert!(saved.contains(
        "    controller: \"Ville de Paris (DSIN)\", // the DPO asked for this wording\n"
    ));
    // The csrftoken row is now the first: its comment followed it.
    assert!(saved.contains(
        "    cookies: [\n        /* Kept although the platform changed it: see LEG-40. */\n        Platform(\n            name: \"csrftoken\","
    ));
    assert!(saved.ends_with(")\n// end of file\n"));
    let again = store::load_sites(sites.path());
    assert_eq!(again.site(SITE).unwrap().site, file.site);
}

#[test]
fn a_comment_whose_cookie_was_deleted_is_kept_at_the_end_of_the_list() {
    let sites = common::copy_of_sites();
    let path = store::site_path(sites.path(), SITE);
    std::fs::write(&path, commented(&std::fs::read_to_string(&path).unwrap())).unwrap();
    let ws = store::load_sites(sites.path());
    let mut file = ws.site(SITE).unwrap().clone();
    file.site.cookies.retain(|c| c.name() != "csrftoken");
    save_site(&mut file, false).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains(
            "            name: \"django_language\",\n        ),\n        /* Kept although the platform changed it: see LEG-40. */\n    ],\n"
        ),
        "{saved}"
    );
}

#[test]
fn a_site_file_over_the_cap_is_an_error_naming_it_and_the_limit() {
    let sites = common::copy_of_sites();
    let path = sites.path().join("huge.example.ron");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(limits::SITE_FILE.bytes + 1).unwrap();
    let ws = store::load_sites(sites.path());
    let error = ws.errors.iter().find(|e| e.path == path).unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: cannot read: larger than 16 MiB, the most a site file may hold",
            path.display()
        )
    );
    // The others still load.
    assert_eq!(ws.sites.len(), 3);
}

#[test]
fn a_manifest_over_the_cap_is_named_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::File::create(dir.path().join("manifest.json")).unwrap();
    manifest.set_len(limits::MANIFEST.bytes + 1).unwrap();
    let report = policydesk::export::verify(dir.path()).unwrap();
    assert_eq!(
        report.problems,
        ["manifest.json: larger than 64 MiB, the most a bundle manifest may hold"]
    );
}
