//! The policy PDFs, read back with poppler's tools as a reader's software would: the text of
//! every page (pdftotext) holds the words of the text rendering in order, a long cookie table
//! repeats its header on the next page, the fonts are embedded (pdffonts), two exports with the
//! same SOURCE_DATE_EPOCH give the same bytes, and `render --format pdf` writes one.

mod common;
#[path = "common/export_cli.rs"]
mod export_cli;
#[path = "common/many_sites.rs"]
mod many_sites;

use std::path::Path;
use std::process::Command;

use common::{policydesk, stderr, stdout};
use policydesk::render::inline::plain;
use policydesk::render::{Block, Document, build_document};
use policydesk::store::load_sites;

/// Whether poppler's tools are here. With `CI=true` their absence fails the test; elsewhere
/// the test says loudly that it was skipped.
fn poppler_or_skip(test: &str) -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true and pdftotext (poppler-utils) is missing: {test} cannot run");
        }
        eprintln!(
            "\n==================== SKIPPED {test} ====================\n\
             pdftotext (poppler-utils) is not installed\n\
             ========================================================\n"
        );
    }
    found
}

fn tool(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} {pdf:?}: {}", stderr(&out));
    stdout(&out)
}

fn page_count(pdf: &Path) -> usize {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count for {pdf:?}"))
}

/// The words of page `page`, in the order they are drawn (`-raw`: the content stream's order,
/// which is also the reading order of the tagged structure; the default mode would read a
/// table column by column).
fn page_words(pdf: &Path, page: usize) -> Vec<String> {
    let n = page.to_string();
    tool(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", "-f", &n, "-l", &n],
        pdf,
    )
    .split_whitespace()
    .map(String::from)
    .collect()
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(String::from).collect()
}

/// The words of the text rendering, with the bullet "•" the PDF shows before each list item of
/// `doc` (the text form, like a browser's, has none).
fn expected_words(txt: &str, doc: &Document) -> Vec<String> {
    let items: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::List(items) => Some(items.iter().map(|i| plain(i))),
            _ => None,
        })
        .flatten()
        .collect();
    txt.lines()
        .map(|l| match items.iter().any(|i| i == l) {
            true => format!("• {l}"),
            false => l.to_string(),
        })
        .flat_map(|l| words(&l))
        .collect()
}

/// The words every page ends with: the footer, then its number.
fn footer_words(doc: &Document, page: usize, pages: usize) -> Vec<String> {
    words(&format!(
        "{} · Policy version {} · last reviewed {} Page {page} of {pages}",
        doc.site_name, doc.policy_version, doc.last_review
    ))
}

fn table_headers(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(words(&t.headers.join(" "))),
            _ => None,
        })
        .unwrap_or_default()
}

/// Checks that `pdf`'s pages, read in order, give exactly `expected`: each page must end with
/// its footer, and a page after the first may start with the table's header row drawn again.
/// A word cut at the end of a line (a long URL in a narrow column) comes out as its pieces on
/// two lines; the pieces must join into exactly that word. Returns the pages that repeated the
/// header.
fn assert_same_words(pdf: &Path, doc: &Document, expected: &[String]) -> Vec<usize> {
    let pages = page_count(pdf);
    let headers = table_headers(doc);
    let mut cursor = 0;
    let mut repeated = Vec::new();
    for page in 1..=pages {
        let mut got = page_words(pdf, page);
        let footer = footer_words(doc, page, pages);
        assert!(
            got.ends_with(&footer),
            "{pdf:?} page {page} does not end with its footer {footer:?}: {:?}",
            &got[got.len().saturating_sub(footer.len() + 5)..]
        );
        got.truncate(got.len() - footer.len());
        let mut got = &got[..];
        if page > 1
            && !headers.is_empty()
            && got.starts_with(&headers)
            && !expected[cursor..].starts_with(&headers)
        {
            repeated.push(page);
            got = &got[headers.len()..];
        }
        let mut i = 0;
        while i < got.len() {
            let want = expected
                .get(cursor)
                .unwrap_or_else(|| panic!("{pdf:?} page {page}: extra words {:?}", &got[i..]));
            let mut joined = got[i].clone();
            let mut j = i + 1;
            while joined != *want && want.starts_with(&joined) && j < got.len() {
                joined.push_str(&got[j]);
                j += 1;
            }
            assert_eq!(
                &joined,
                want,
                "{pdf:?} page {page}, word {cursor} of the text rendering; the PDF has {:?}, \
                 the text rendering {:?}",
                &got[i..(i + 8).min(got.len())],
                &expected[cursor..(cursor + 8).min(expected.len())]
            );
            cursor += 1;
            i = j;
        }
    }
    assert_eq!(
        cursor,
        expected.len(),
        "{pdf:?} lacks the end of the text: {:?}",
        &expected[cursor..]
    );
    repeated
}

fn export(sites: &Path, what: &[&str], out: &Path) {
    let run = export_cli::command(sites, what, out, &[])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run policydesk");
    assert!(run.status.success(), "{}", stderr(&run));
}

#[test]
fn every_exported_pdf_holds_the_words_of_the_text_rendering_in_order() {
    if !poppler_or_skip("every_exported_pdf_holds_the_words_of_the_text_rendering_in_order") {
        return;
    }
    let sites = common::bundled_sites();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("bundle");
    export(&sites, &["--all"], &out);
    let ws = load_sites(&sites);
    let mut checked = 0;
    for file in &ws.sites {
        let site = &file.site;
        for lang in &site.languages {
            let dir = out.join(&site.id);
            let pdf = dir.join(format!("policy.{lang}.pdf"));
            let txt = std::fs::read_to_string(dir.join(format!("policy.{lang}.txt"))).unwrap();
            let doc = build_document(site, &ws.cookies_of(site), lang);
            let expected = expected_words(&txt, &doc);
            assert!(
                expected.len() > 50,
                "{} {lang}: {} words",
                site.id,
                expected.len()
            );
            assert_same_words(&pdf, &doc, &expected);
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} PDFs checked");
}

#[test]
fn a_long_cookie_table_continues_on_the_next_page_under_its_header() {
    if !poppler_or_skip("a_long_cookie_table_continues_on_the_next_page_under_its_header") {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let sites = temp.path().join("sites");
    many_sites::write(&sites, 1, 90);
    let ws = load_sites(&sites);
    let site = &ws.sites[0].site;
    let doc = build_document(site, &ws.cookies_of(site), "fr");
    let pdf = temp.path().join("long.pdf");
    let dir = sites.to_str().unwrap();
    let run = policydesk(&[
        "--sites",
        dir,
        "render",
        &site.id,
        "--lang",
        "fr",
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let pages = page_count(&pdf);
    assert!(pages >= 3, "90 cookies fit on {pages} pages");

    // Page 2 starts with the table's header row, then cookies that page 1 did not show.
    let headers = table_headers(&doc);
    assert!(!headers.is_empty());
    let second = page_words(&pdf, 2);
    assert!(
        second.starts_with(&headers),
        "page 2 starts with {:?}, not the header {headers:?}",
        &second[..headers.len().min(second.len())]
    );
    let first = page_words(&pdf, 1);
    let cookie_on_2 = second
        .iter()
        .find(|w| w.starts_with("cookie_"))
        .expect("page 2 lists cookies");
    assert!(
        !first.contains(cookie_on_2),
        "{cookie_on_2} is on both pages"
    );

    // And the whole text is there once, in order (the header counted once).
    let txt = policydesk::render::text::render(&doc);
    let repeated = assert_same_words(&pdf, &doc, &expected_words(&txt, &doc));
    // Exactly the later pages that hold table rows start with the header.
    let with_rows: Vec<usize> = (2..=pages)
        .filter(|&p| page_words(&pdf, p).iter().any(|w| w.starts_with("cookie_")))
        .collect();
    assert!(
        with_rows.len() >= 2,
        "90 rows on {with_rows:?} after the first page"
    );
    assert_eq!(repeated, with_rows);
}

#[test]
fn fonts_are_embedded_and_the_text_is_tagged() {
    if !poppler_or_skip("fonts_are_embedded_and_the_text_is_tagged") {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let pdf = temp.path().join("paris.pdf");
    let run = policydesk(&[
        "--sites",
        common::bundled_sites().to_str().unwrap(),
        "render",
        "dashboard.paris",
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let fonts = tool("pdffonts", &[], &pdf);
    // name, type, encoding, emb, sub, uni, object ID: after the two header lines.
    let rows: Vec<Vec<&str>> = fonts
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(rows.len() >= 2, "regular and bold: {fonts}");
    for row in &rows {
        let n = row.len();
        assert!(n >= 7, "{fonts}");
        assert_eq!(
            (row[n - 5], row[n - 4], row[n - 3]),
            ("yes", "yes", "yes"),
            "embedded, subset, with a Unicode map: {fonts}"
        );
        assert!(row[0].contains("LiberationSans"), "{fonts}");
    }
    assert!(rows.iter().any(|r| r[0].contains("Bold")), "{fonts}");
    let info = tool("pdfinfo", &[], &pdf);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    assert!(info.contains("A4"), "{info}");
}

#[test]
fn two_exports_with_the_same_source_date_epoch_give_the_same_pdfs() {
    let temp = tempfile::tempdir().unwrap();
    let sites = common::bundled_sites();
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));
    export(&sites, &["--all"], &a);
    export(&sites, &["--all"], &b);
    let manifest: policydesk::export::manifest::Manifest =
        serde_json::from_slice(&std::fs::read(a.join("manifest.json")).unwrap()).unwrap();
    let pdfs: Vec<_> = manifest
        .files
        .iter()
        .filter(|f| f.path.ends_with(".pdf"))
        .collect();
    let ws = load_sites(&sites);
    let languages: usize = ws.sites.iter().map(|s| s.site.languages.len()).sum();
    assert_eq!(pdfs.len(), languages, "one PDF per site and language");
    for entry in pdfs {
        let (x, y) = (
            std::fs::read(a.join(&entry.path)).unwrap(),
            std::fs::read(b.join(&entry.path)).unwrap(),
        );
        assert!(x.starts_with(b"%PDF-"), "{}", entry.path);
        assert!(x == y, "{} differs between the two exports", entry.path);
        assert_eq!(
            entry.sha256,
            policydesk::export::manifest::sha256_hex(&x),
            "{}",
            entry.path
        );
    }
    // verify checks the PDFs like every other file.
    let paris = a.join("dashboard.paris/policy.fr.pdf");
    let mut bytes = std::fs::read(&paris).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&paris, bytes).unwrap();
    let run = policydesk(&["verify", a.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(
        stdout(&run).contains("changed  dashboard.paris/policy.fr.pdf"),
        "{}",
        stdout(&run)
    );
}

#[test]
fn render_writes_a_pdf_and_names_a_bad_site_or_language() {
    let temp = tempfile::tempdir().unwrap();
    let sites = common::bundled_sites();
    let dir = sites.to_str().unwrap();
    let pdf = temp.path().join("academie.en.pdf");
    let out = pdf.to_str().unwrap();
    let id = "tneacademiegrenoble.opendatasoft.com";
    let run = policydesk(&[
        "--sites", dir, "render", id, "--lang", "en", "--format", "pdf", "--out", out,
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(
        bytes.trim_ascii_end().ends_with(b"%%EOF"),
        "a PDF cut short"
    );

    let run = policydesk(&[
        "--sites",
        dir,
        "render",
        "no.such.site",
        "--format",
        "pdf",
        "--out",
        out,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("no site \"no.such.site\""),
        "{}",
        stderr(&run)
    );
    let run = policydesk(&[
        "--sites", dir, "render", id, "--lang", "de", "--format", "pdf", "--out", out,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("not published in \"de\""),
        "{}",
        stderr(&run)
    );
    // The failed runs left the first PDF as it was.
    assert_eq!(std::fs::read(&pdf).unwrap(), bytes);
}

#[test]
fn rows_across_an_imported_table_are_drawn_in_place() {
    if !poppler_or_skip("rows_across_an_imported_table_are_drawn_in_place") {
        return;
    }
    let dir = common::imported_page("group_rows.html", "cu.example");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("bundle");
    export(dir.path(), &["--all"], &out);
    let ws = load_sites(dir.path());
    let site = &ws.site("cu.example").expect("imported").site;
    let txt = std::fs::read_to_string(out.join("cu.example/policy.en.txt")).unwrap();
    assert!(txt.contains("\nPerformance\n_ga and _gid\t"), "{txt}");
    let doc = build_document(site, &ws.cookies_of(site), "en");
    assert_same_words(
        &out.join("cu.example/policy.en.pdf"),
        &doc,
        &expected_words(&txt, &doc),
    );
}
