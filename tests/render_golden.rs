//! The rendering reproduces the three published pages, and every output is pinned by a golden
//! file. `UPDATE_GOLDEN=1 cargo test --test render_golden` rewrites the pinned outputs (never
//! the seeds) after a deliberate change.

mod common;

use std::path::Path;

use common::{bundled_sites, collapse};
use policydesk::render::{Format, build_document};
use policydesk::store::load_sites;

const SITES: [&str; 3] = [
    "dataviz.totalenergies.com",
    "dashboard.paris",
    "tneacademiegrenoble.opendatasoft.com",
];

fn golden_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden"))
}

fn render(site: &str, lang: &str, format: Format) -> String {
    let ws = load_sites(&bundled_sites());
    assert!(ws.errors.is_empty(), "{:?}", ws.errors);
    let file = ws.site(site).expect("bundled site");
    let bytes = format
        .render(&build_document(
            &file.site,
            &ws.cookies_of(&file.site),
            lang,
        ))
        .expect("renders");
    String::from_utf8(bytes).expect("a text format")
}

#[test]
fn english_text_equals_each_published_page() {
    for site in SITES {
        let seed = std::fs::read_to_string(golden_dir().join(format!("{site}.seed.txt")))
            .expect("seed copy");
        let rendered = render(site, "en", Format::Txt);
        assert_eq!(
            collapse(&rendered),
            collapse(&seed),
            "{site}: rendering differs from the seed"
        );
    }
}

#[test]
fn every_output_matches_its_golden_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for site in SITES {
        for lang in ["en", "fr"] {
            for format in [Format::Txt, Format::Md, Format::Html] {
                let rendered = render(site, lang, format);
                let path = golden_dir().join(format!("{site}.{lang}.{}", format.extension()));
                if update {
                    std::fs::write(&path, &rendered).expect("write golden");
                } else if std::fs::read_to_string(&path).ok().as_deref() != Some(&rendered) {
                    stale.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "outputs differ from their golden files: {stale:#?}"
    );
}

#[test]
fn markdown_renders_the_cookie_table_as_a_table() {
    let md = render("dashboard.paris", "en", Format::Md);
    assert!(md.contains(
        "| Supplier name | Cookie name | Duration | Function |\n| --- | --- | --- | --- |"
    ));
    assert!(md.contains("| Opendatasoft | sessionid | 2 weeks by default |"));
    assert!(md.contains("| Opendatasoft | django\\_language | 12 months |"));
}

#[test]
fn html_is_a_standalone_page_with_the_stylesheet_and_links() {
    let html = render("dashboard.paris", "fr", Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(html.contains(policydesk::render::html::STYLESHEET));
    assert!(html.contains(
        "<a href=\"https://support.apple.com/guide/safari/manage-cookies-sfri11471/mac\">"
    ));
    assert!(html.contains("<td>2 semaines par défaut</td>"));
}
