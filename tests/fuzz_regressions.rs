//! Every input a fuzz target once failed on (`tests/fuzz_regressions/<target>/`) and every seed
//! of the fuzz corpus (`fuzz/seeds/<target>/`), replayed through the target's own checks.

mod fuzz_support;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut replayed = 0;
    for dir in [
        root.join("tests/fuzz_regressions").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            eprintln!("{}", entry.path().display());
            check(&bytes);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no input for {target}");
}

#[test]
fn site_file() {
    replay("site_file", fuzz_support::site_file);
}

#[test]
fn duration_text() {
    replay("duration_text", fuzz_support::duration_text);
}

#[test]
fn set_cookie() {
    replay("set_cookie", fuzz_support::set_cookie);
}

#[test]
fn page() {
    replay("page", fuzz_support::page);
}

#[test]
fn policy_table() {
    replay("policy_table", fuzz_support::policy_table);
}

#[test]
fn bundle_folder() {
    replay("bundle_folder", fuzz_support::bundle_folder);
}

#[test]
fn bundle_zip() {
    replay("bundle_zip", fuzz_support::bundle_zip);
}

/// The site file fuzzing found: `platform: Some"opendatasoft"` loads (`ron` reads `Some` glued
/// to its string), and its rewrite used to be refused as if it would lose comments.
#[test]
fn a_glued_value_is_rewritten() {
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_regressions/site_file/glued-some-string.ron"),
    )
    .unwrap();
    assert!(String::from_utf8_lossy(&text).contains("Some\"opendatasoft\""));
    fuzz_support::site_file(&text);
}

/// Tables nested in table cells, thousands deep: each table reads only its own rows and cells,
/// so the page is read in one pass (every table used to walk all the tables inside it).
#[test]
fn deeply_nested_tables_are_read_once() {
    let depth = 5_000;
    let mut html = String::from("<html><body>");
    for _ in 0..depth {
        html.push_str("<table><tr><td>layout ");
    }
    html.push_str(
        "<table><tr><th>Nom du cookie</th><th>Durée</th></tr><tr><td>_ga</td><td>13 mois</td></tr></table>",
    );
    for _ in 0..depth {
        html.push_str("</td></tr></table>");
    }
    let url = url::Url::parse("https://portal.example/").unwrap();
    let start = std::time::Instant::now();
    let page = policydesk::audit::page::read(&html, &url);
    eprintln!("{depth} nested tables read in {:?}", start.elapsed());
    // Past the reader's table budget the innermost table is not looked at: the point here is
    // that such a page is read at all, in one pass.
    assert!(page.cookie_table.is_none());
    let shallow = html
        .replacen("<table><tr><td>layout ", "", depth - 20)
        .replacen("</td></tr></table>", "", depth - 20);
    let rows = policydesk::audit::page::read(&shallow, &url)
        .cookie_table
        .expect("the table under 20 layout tables is read");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].names, ["_ga"]);
    assert_eq!(rows[0].duration.as_deref(), Some("13 mois"));
}

#[test]
fn import() {
    replay("import", fuzz_support::import);
}
