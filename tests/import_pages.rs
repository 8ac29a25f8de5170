//! Pages written for the import: a `<td>` header row, tables under category headings, a row with
//! two cookie names, a page without `lang`, and mis-nested, truncated HTML.

mod common;

use common::{collapse, import_page_path, own, policydesk, stderr, stdout};
use policydesk::model::duration::MONTH;
use policydesk::model::{Block, Category, CookieEntry, DurationValue, Layout, MatchKind, Site};
use policydesk::store::load_sites;

/// Imports `name` into a folder holding the bundled platforms; the site, its text rendering,
/// and the import's report.
fn import(name: &str, extra: &[&str]) -> (Site, String, String, tempfile::TempDir) {
    let dir = common::platforms_only();
    let sites = dir.path().to_str().unwrap().to_string();
    let source = import_page_path(name);
    let mut args = vec!["--sites", &sites, "import", &source];
    args.extend_from_slice(extra);
    let out = policydesk(&args);
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    let report = stderr(&out);
    let ws = load_sites(dir.path());
    assert!(ws.errors.is_empty(), "{:?}", ws.errors);
    assert_eq!(ws.sites.len(), 1);
    let site = ws.sites[0].site.clone();
    let render = policydesk(&["--sites", &sites, "render", &site.id]);
    assert!(render.status.success(), "{}", stderr(&render));
    (site, stdout(&render), report, dir)
}

#[test]
fn a_header_row_of_td_cells_maps_the_columns() {
    let (site, text, report, _dir) = import("td_header.html", &[]);
    assert_eq!(site.id, "data.harbour.example");
    assert_eq!(site.name, "Harbour Open Data");
    assert_eq!(site.policy_path, "/pages/cookies/");
    assert_eq!(site.default_language, "en");
    assert_eq!(site.layout, Layout::WithDurations);
    assert_eq!(site.platform.as_deref(), Some("opendatasoft"));
    // sessionid is the platform's, with the page's own purpose; its duration is the platform's.
    let CookieEntry::Platform(session) = &site.cookies[0] else {
        panic!("sessionid should be a platform row: {:?}", site.cookies[0]);
    };
    assert_eq!(session.purpose["en"], "Keeps you signed in.");
    assert!(session.duration_text.is_empty() && session.location.is_empty());
    let matomo = own(&site.cookies, "_pk_id.");
    assert_eq!(matomo.matching, MatchKind::Prefix);
    assert_eq!(matomo.provider, "Matomo");
    assert_eq!(matomo.duration.value, DurationValue::Seconds(13 * MONTH));
    // The page's visible policy text, its table's columns in the page's order and words.
    assert_eq!(
        collapse(&text),
        "Our use of cookies This portal stores a few small files on your device. \
         Cookie name Supplier name Duration Function \
         sessionid Opendatasoft 2 weeks by default Keeps you signed in. \
         _pk_id.* Matomo 13 months Counts visits anonymously. \
         Questions: write to our data protection officer."
    );
    assert!(
        report.contains("the page's own (Cookie name | Supplier name | Duration | Function)"),
        "{report}"
    );
    // The mail link's address is not in the text: the report names it.
    assert!(report.contains("mailto:dpo@harbour.example"), "{report}");
}

#[test]
fn tables_under_category_headings_and_a_row_naming_two_cookies() {
    let (site, text, report, _dir) = import("categories.html", &["--id", "categories.example"]);
    assert_eq!(site.cookies.len(), 3, "{:?}", site.cookies);
    let CookieEntry::Platform(csrf) = &site.cookies[0] else {
        panic!("csrftoken should be a platform row");
    };
    assert_eq!(csrf.duration_text["en"], "Up to 12 months");
    assert_eq!(
        csrf.duration_value, None,
        "the platform's value says the same"
    );
    for name in ["_ga", "_gid"] {
        let d = own(&site.cookies, name);
        assert_eq!(
            d.category,
            Category::Statistics,
            "{name} is under an audience heading"
        );
        assert_eq!(d.purpose["en"], "Distinguishes visitors.");
        assert_eq!(d.duration.value, DurationValue::Seconds(13 * MONTH));
    }
    assert_eq!(own(&site.cookies, "_ga").shares_row, None);
    assert_eq!(own(&site.cookies, "_gid").shares_row.as_deref(), Some(", "));
    // Renders back as published: one row naming both, each table with the page's columns.
    let header = "Cookie name Supplier name Duration Function";
    assert_eq!(
        collapse(&text),
        format!(
            "Cookie policy Strictly necessary cookies {header} \
             csrftoken Opendatasoft Up to 12 months Blocks forged requests. \
             Audience measurement cookies Only with your consent. {header} \
             _ga, _gid Google 13 months Distinguishes visitors."
        )
    );
    assert!(
        report.contains("a row names 2 cookies (_ga, _gid)"),
        "{report}"
    );
    // One table per category, each in its place with its category's cookies.
    assert!(
        report.contains("2 cookie tables, one per category"),
        "{report}"
    );
    let blocks: Vec<&Block> = site.sections["en"].iter().flat_map(|s| &s.body).collect();
    assert!(
        blocks.contains(&&Block::CategoryTable(Category::Necessary)),
        "{blocks:?}"
    );
    assert!(
        blocks.contains(&&Block::CategoryTable(Category::Statistics)),
        "{blocks:?}"
    );
    assert_eq!(
        csrf.category,
        Some(Category::Necessary),
        "the platform says security; the page lists it as strictly necessary"
    );
    let at = |what: &str| {
        text.find(what)
            .unwrap_or_else(|| panic!("{what} in {text}"))
    };
    assert!(
        at("csrftoken") < at("Audience measurement cookies"),
        "{text}"
    );
    assert!(at("Audience measurement cookies") < at("_ga"), "{text}");
    assert!(
        report.contains("base URL set to https://categories.example/"),
        "{report}"
    );
}

#[test]
fn a_page_without_lang_is_read_in_the_language_of_its_text() {
    let (site, text, report, _dir) = import("no_lang_fr.html", &["--id", "nolang.example"]);
    assert_eq!(site.languages, ["fr"]);
    assert!(report.contains("reads as \"fr\""), "{report}");
    let CookieEntry::Platform(lang) = &site.cookies[0] else {
        panic!("django_language should be a platform row");
    };
    assert_eq!(
        lang.purpose["fr"],
        "Mémorise la langue choisie par le visiteur."
    );
    assert!(
        lang.duration_text.is_empty(),
        "12 mois is the platform's own wording"
    );
    assert_eq!(
        own(&site.cookies, "atuserid").duration.value,
        DurationValue::Seconds(13 * MONTH)
    );
    assert!(collapse(&text).starts_with("Politique de cookies Ce site utilise des cookies"));
    // --lang overrides what the text reads as.
    let (site, _, _, _dir) = import(
        "no_lang_fr.html",
        &["--id", "nolang.example", "--lang", "en"],
    );
    assert_eq!(site.languages, ["en"]);
}

#[test]
fn mis_nested_and_truncated_html_loses_no_text() {
    let (site, text, _report, _dir) = import("broken.html", &["--id", "broken.example"]);
    let text = collapse(&text);
    for words in [
        "Cookies policy",
        "We use two cookies.",
        "Second paragraph",
        "inside a div",
        "first item",
        "second item",
    ] {
        assert!(text.contains(words), "{words:?} missing from {text}");
    }
    let names: Vec<&str> = site.cookies.iter().map(CookieEntry::name).collect();
    assert_eq!(names, ["sessionid", "cookies_preferences"]);
}

#[test]
fn an_existing_site_is_never_overwritten_and_bad_sources_say_why() {
    let dir = common::copy_of_sites();
    let sites = dir.path().to_str().unwrap();
    let before = std::fs::read_to_string(dir.path().join("dashboard.paris.ron")).unwrap();
    let source = import_page_path("td_header.html");
    let out = policydesk(&[
        "--sites",
        sites,
        "import",
        &source,
        "--id",
        "dashboard.paris",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("nothing written"), "{}", stdout(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dashboard.paris.ron")).unwrap(),
        before
    );

    let out = policydesk(&["--sites", sites, "import", "/no/such/page.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/no/such/page.html"),
        "{}",
        stderr(&out)
    );
    let out = policydesk(&["--sites", sites, "import", &source, "--id", "../escape"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be a site id"),
        "{}",
        stderr(&out)
    );
    let out = policydesk(&["--sites", sites, "import", &source, "--platform", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no platform \"nope\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn columns_without_a_field_are_kept_as_published() {
    let (site, text, report, _dir) = import("other_columns.html", &["--id", "other.example"]);
    assert_eq!(site.cookies.len(), 4, "{:?}", site.cookies);
    // The category column is read into the category, and shown as the page words it.
    assert_eq!(
        own(&site.cookies, "CookieConsent").category,
        Category::Necessary
    );
    assert_eq!(own(&site.cookies, "collect").category, Category::Statistics);
    assert_eq!(
        collapse(&text),
        "Cookie declaration Last updated by our consent platform. \
         Name Provider Purpose Maximum Storage Duration Type Category \
         CookieConsent Cookiebot Stores the user's cookie consent state for the current domain \
         1 year HTTP Cookie Necessary \
         _ga _gid Google Registers a unique ID used to generate statistical data 2 years \
         HTTP Cookie Statistics \
         collect Google Sends data to Google Analytics about the device and behaviour Session \
         Pixel Tracker Statistics"
    );
    assert!(
        report.contains("the column \"Category\" is read into each cookie's category"),
        "{report}"
    );
}

#[test]
fn tables_whose_headings_name_no_one_category_stay_each_in_its_place() {
    let (site, text, report, _dir) = import("two_tables.html", &["--id", "library.example"]);
    let blocks: Vec<&Block> = site.sections["en"].iter().flat_map(|s| &s.body).collect();
    assert!(blocks.contains(&&Block::NumberedTable(1)), "{blocks:?}");
    assert!(blocks.contains(&&Block::NumberedTable(2)), "{blocks:?}");
    assert_eq!(own(&site.cookies, "_ga").table, Some(2));
    assert_eq!(own(&site.cookies, ".ASPXAUTH").table, Some(1));
    // The page's visible text (written beside it), each table under its own heading.
    let page_text =
        std::fs::read_to_string(import_page_path("two_tables.txt")).expect("the page's text");
    assert_eq!(collapse(&text), collapse(&page_text));
    assert!(
        report.contains("2 cookie tables: each stays in its place"),
        "{report}"
    );
}

#[test]
fn rows_across_a_table_and_joining_words_invent_no_cookie() {
    let (site, _text, report, _dir) = import("group_rows.html", &["--id", "cu.example"]);
    let names: Vec<&str> = site.cookies.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            "JSESSIONID",
            "__cf_bm",
            "_ga",
            "_gid",
            "_hjid",
            "_hjAbsoluteSessionInProgress",
            "_clck",
            "_clsk"
        ]
    );
    assert_eq!(
        own(&site.cookies, "_gid").shares_row.as_deref(),
        Some(" and ")
    );
    assert_eq!(
        own(&site.cookies, "_hjAbsoluteSessionInProgress")
            .shares_row
            .as_deref(),
        Some(" / ")
    );
    // A group's row is its rows' category, and the heading of the rows below it.
    assert_eq!(
        own(&site.cookies, "JSESSIONID").category,
        Category::Necessary
    );
    assert_eq!(
        own(&site.cookies, "JSESSIONID").group["en"],
        "Strictly necessary"
    );
    assert_eq!(own(&site.cookies, "_ga").group["en"], "Performance");
    assert!(own(&site.cookies, "_gid").group.is_empty());
    assert!(
        report.contains(
            "a row across the table, \"Performance\", heads the rows below it and gives them its \
             category (statistics)"
        ),
        "{report}"
    );
}

#[test]
fn rows_across_a_table_render_back_in_place_in_every_format() {
    let (site, text, _report, dir) = import("group_rows.html", &["--id", "cu.example"]);
    // The page's visible text, the group rows where the page has them.
    assert_eq!(
        collapse(&text),
        "Cookie Notice Effective date: January 15, 2025 Cookies we use \
         Cookie Provider Purpose Duration \
         Strictly necessary \
         JSESSIONID Harbor CU Maintains your online banking session. Required for sign-in. Session \
         __cf_bm Cloudflare Bot management. 30 minutes \
         Performance \
         _ga and _gid Google Website analytics. 2 years / 24 hours \
         _hjid / _hjAbsoluteSessionInProgress Hotjar Session recordings. 1 year \
         _clck; _clsk Microsoft Clarity Heatmaps. \
         Questions? Call us at 1-800-555-0199."
    );
    let sites = dir.path().to_str().unwrap();
    let render = |format: &str| {
        let out = policydesk(&["--sites", sites, "render", &site.id, "--format", format]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let html = render("html");
    assert!(
        html.contains(
            "<tbody>\n<tr class=\"group\"><th colspan=\"4\" scope=\"rowgroup\">Performance</th></tr>\n\
             <tr id=\"cookie-_ga\">"
        ),
        "{html}"
    );
    let md = render("md");
    assert!(
        md.contains("| **Strictly necessary** |  |  |  |\n| JSESSIONID |"),
        "{md}"
    );
    // The HTML PolicyDesk writes imports back into the same declarations and headings.
    let again = tempfile::tempdir().unwrap();
    let written = again.path().join("cu.html");
    std::fs::write(&written, &html).unwrap();
    let (back, _, _, _dir) = import(written.to_str().unwrap(), &["--id", "cu.example"]);
    assert_eq!(back.cookies, site.cookies);
}

#[test]
fn a_visible_caption_stays_above_its_table_and_text_out_of_sight_is_left_out() {
    let (site, text, report, _dir) = import("captions.html", &["--id", "nf.example"]);
    assert_eq!(site.cookies.len(), 3, "{:?}", site.cookies);
    // What a visitor sees, and nothing a screen reader alone reads or a style hides.
    assert_eq!(
        collapse(&text),
        "How we use cookies \
         Cookies are small files saved on your device. See the regulator's guidance. \
         Cookies that are always on Table 1: essential cookies \
         Cookie name Purpose Expires \
         SSESS7d1e Keeps you signed in to your council account 23 days \
         cookie-agreed Remembers your cookie choice 100 days \
         Analytics cookies Cookie name Purpose Expires _ga Tells visitors apart 2 years \
         Last reviewed March 2025."
    );
    for said in [
        "note: the caption of a table under \"Cookies that are always on\", \"Table 1: essential \
         cookies\", is kept as a paragraph above it",
        "left out (screen-reader-only text): Analytics cookies set by Google",
        "left out (screen-reader-only text): (opens in a new window)",
        "left out (text hidden by its style): Old text kept for the archive.",
        "the link \"the regulator's guidance\" keeps its words",
    ] {
        assert!(report.contains(said), "{said:?} in {report}");
    }
}

#[test]
fn each_numbered_table_keeps_its_own_columns_and_the_checks_follow_them() {
    let (site, text, report, dir) = import("tables_own_columns.html", &["--id", "museums.example"]);
    assert_eq!(own(&site.cookies, "YSC").table, Some(2));
    assert_eq!(own(&site.cookies, "YSC").provider, "YouTube");
    // Each table with its own columns and headers, as the page shows them.
    assert_eq!(
        collapse(&text),
        "Cookie policy This page lists every cookie our website sets. \
         Cookies we set ourselves Cookie Purpose Expires \
         museum_sid Keeps your basket while you book tickets When you close your browser \
         museum_consent Remembers your cookie choices 6 months \
         Cookies set by other organisations These are only set if you agree. \
         Cookie Set by Kind Purpose \
         _ga Google First-party Counts visits to each page \
         YSC YouTube Third-party Counts views of embedded videos"
    );
    assert!(
        report.contains(
            "the cookie table under \"Cookies set by other organisations\" has columns of its own \
             (Cookie | Set by | Kind | Purpose): kept as table 2's"
        ),
        "{report}"
    );
    // The first table shows durations, the second none: only its cookies lack one.
    let check = policydesk(&["--sites", dir.path().to_str().unwrap(), "check"]);
    let said = stdout(&check);
    assert!(
        said.contains("duration-missing] museums.example YSC: the published table has no duration"),
        "{said}"
    );
    assert!(!said.contains("museum_sid: the published table"), "{said}");
}

#[test]
fn an_italian_page_maps_its_columns_categories_and_durations() {
    let (site, text, report, _dir) = import("it_tables.html", &["--id", "biblioteca.example"]);
    assert_eq!(site.default_language, "it");
    let session = own(&site.cookies, "JSESSIONID");
    assert_eq!(session.provider, "Biblioteca civica");
    assert_eq!(
        session.category,
        Category::Necessary,
        "under \"Cookie tecnici\""
    );
    assert_eq!(session.duration.value, DurationValue::Session);
    assert_eq!(
        own(&site.cookies, "scelta_cookie").duration.value,
        DurationValue::Seconds(6 * MONTH)
    );
    let matomo = own(&site.cookies, "_pk_id.");
    assert_eq!(
        matomo.category,
        Category::Statistics,
        "under \"Cookie analitici\""
    );
    assert_eq!(matomo.duration.value, DurationValue::Seconds(13 * MONTH));
    // The page's text, its "Tipo" column as worded; the print link is page furniture, a link
    // that only mentions a PDF is the policy's words.
    assert_eq!(
        collapse(&text),
        "Informativa cookie Il sito della biblioteca usa pochi cookie \
         (vedi informativa privacy (PDF, 200 KB)). \
         Cookie tecnici Nome Fornitore Finalità Tipo Scadenza \
         JSESSIONID Biblioteca civica Mantiene la sessione del catalogo HTTP Fine sessione \
         scelta_cookie Biblioteca civica Ricorda le scelte sui cookie HTTP 6 mesi \
         Cookie analitici Nome Fornitore Finalità Tipo Scadenza \
         _pk_id.* Web Analytics Italia Distingue i visitatori in forma anonima HTTP 13 mesi \
         Ultimo aggiornamento: 3 febbraio 2025."
    );
    assert!(
        report.contains("left out (download or print link): Stampa questa pagina"),
        "{report}"
    );
}

#[test]
fn a_cookie_table_in_a_collapsed_panel_is_kept_and_said() {
    let (site, text, report, _dir) = import("collapsed_panel.html", &["--id", "harbour.example"]);
    let names: Vec<&str> = site.cookies.iter().map(CookieEntry::name).collect();
    assert_eq!(names, ["harbour_session", "consent_choice"]);
    let text = collapse(&text);
    assert!(
        text.contains("These cookies keep the site working."),
        "{text}"
    );
    assert!(
        report.contains("kept, though the page hides it by its style"),
        "{report}"
    );
    // A hidden word inside a sentence is still not the visible text.
    assert!(text.contains("Tip for readers."), "{text}");
    assert!(
        report.contains("left out (text hidden by its style): (hidden hint)"),
        "{report}"
    );
}
