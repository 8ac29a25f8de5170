//! `policydesk replace`: every change shown as a diff first, written with comments kept, limited
//! by site pattern and language; `--dry-run` writes nothing.

mod common;

use std::path::Path;

use common::policydesk_in;
use policydesk::store::load_sites;

const TOTAL: &str = "dataviz.totalenergies.com";
const TNE: &str = "tneacademiegrenoble.opendatasoft.com";

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("read");
            (e.file_name().to_string_lossy().into_owned(), text)
        })
        .collect();
    all.sort();
    all
}

const WRONG: &str = "(front et back office)";
const RIGHT: &str = "(front and back office)";

#[test]
fn dry_run_shows_every_change_and_writes_nothing() {
    let dir = common::copy_of_sites();
    let before = files(dir.path());
    let (code, out) = policydesk_in(
        dir.path(),
        &[
            "replace",
            "--find",
            WRONG,
            "--replace",
            RIGHT,
            "--lang",
            "en",
            "--dry-run",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    for site in [TOTAL, TNE] {
        assert!(
            out.contains(&format!(
                "+++ {}",
                dir.path().join(format!("{site}.ron")).display()
            )),
            "{out}"
        );
    }
    assert!(
        out.contains("-                \"en\": \"API (CSRF) (front et back office)\","),
        "{out}"
    );
    assert!(
        out.contains("+                \"en\": \"API (CSRF) (front and back office)\","),
        "{out}"
    );
    assert!(
        out.contains("en: cookie csrftoken: function and location (1x)"),
        "{out}"
    );
    assert!(out.contains("would change 2 texts in 2 sites"), "{out}");
    assert_eq!(files(dir.path()), before, "a dry run writes nothing");
}

#[test]
fn replace_writes_the_sites_matching_in_the_language_asked_keeping_comments() {
    let dir = common::copy_of_sites();
    let path = dir.path().join(format!("{TNE}.ron"));
    let commented = std::fs::read_to_string(&path).expect("read").replacen(
        "    cookies: [",
        "    // Wording agreed with the academy.\n    cookies: [",
        1,
    );
    std::fs::write(&path, commented).expect("write");
    let total_before =
        std::fs::read_to_string(dir.path().join(format!("{TOTAL}.ron"))).expect("read");

    let (code, out) = policydesk_in(
        dir.path(),
        &[
            "replace",
            "--find",
            WRONG,
            "--replace",
            RIGHT,
            "--lang",
            "en",
            "--only",
            "*.opendatasoft.com",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("changed 1 text in 1 site"), "{out}");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("// Wording agreed with the academy."),
        "{text}"
    );
    assert!(
        text.contains("\"API (CSRF) (front and back office)\""),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(format!("{TOTAL}.ron"))).expect("read"),
        total_before,
        "a site the pattern leaves out is untouched"
    );
    let ws = load_sites(dir.path());
    let site = &ws.site(TNE).expect("loads").site;
    let french: Vec<&str> = site.section_texts("fr").collect();
    let french_before: Vec<String> = load_sites(&common::bundled_sites())
        .site(TNE)
        .expect("bundled")
        .site
        .section_texts("fr")
        .map(str::to_string)
        .collect();
    assert_eq!(french, french_before, "French texts are untouched");
}

#[test]
fn replace_reaches_section_texts_and_refuses_an_empty_find() {
    let dir = common::copy_of_sites();
    let ws = load_sites(dir.path());
    let heading = ws.site(TOTAL).expect("loads").site.sections["en"][0]
        .heading
        .clone();
    let (code, out) = policydesk_in(
        dir.path(),
        &[
            "replace",
            "--find",
            &heading,
            "--replace",
            "Our cookies",
            "--only",
            TOTAL,
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!("en: section {heading:?}, heading (1x)")),
        "{out}"
    );
    let ws = load_sites(dir.path());
    assert_eq!(
        ws.site(TOTAL).expect("loads").site.sections["en"][0].heading,
        "Our cookies"
    );

    let (code, out) = policydesk_in(dir.path(), &["replace", "--find", "", "--replace", "x"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("the text to find is empty"), "{out}");
}
