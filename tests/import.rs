//! `policydesk import`: the three seed portals, rendered by PolicyDesk and wrapped in a portal's
//! page layout, import back into site files whose text renderings equal the seeds.

mod audit_support;
mod common;

use std::path::Path;

use audit_support::{Reply, Server};
use common::{collapse, policydesk, stderr, stdout};
use policydesk::model::CookieEntry;
use policydesk::store::load_sites;

const SEEDS: &[&str] = &[
    "dashboard.paris",
    "dataviz.totalenergies.com",
    "tneacademiegrenoble.opendatasoft.com",
];

fn render(sites: &Path, id: &str, lang: &str, format: &str) -> String {
    let out = policydesk(&[
        "--sites",
        sites.to_str().unwrap(),
        "render",
        id,
        "--lang",
        lang,
        "--format",
        format,
    ]);
    assert!(out.status.success(), "render {id}: {}", stderr(&out));
    stdout(&out)
}

/// The policy page of a portal: PolicyDesk's HTML inside a header with navigation, a cookie
/// banner, a "Download as PDF" link and a footer. With `divs`, the policy sits in nested
/// `<div>`s instead of `<main>`.
fn portal_page(policy_html: &str, canonical: &str, divs: bool) -> String {
    let head_extra = format!("<link rel=\"canonical\" href=\"{canonical}\">\n</head>");
    let mut page = policy_html.replacen("</head>", &head_extra, 1).replacen(
        "<body>",
        "<body>\n<header class=\"site-header\"><a href=\"/\">Portal home</a>\
         <nav><ul><li><a href=\"/explore\">Explore data</a></li><li><a href=\"/api\">API</a></li></ul></nav></header>\n\
         <div id=\"cookie-banner\" class=\"cookie-consent\"><p>We use cookies to improve your visit.</p>\
         <button>Accept all</button><button>Refuse</button></div>\n\
         <p class=\"actions\"><a href=\"/cookies.pdf\">Download as PDF</a></p>",
        1,
    );
    page = page.replacen(
        "</body>",
        "<footer><p>© 2026 The portal · <a href=\"/legal\">Legal notice</a> · Contact</p></footer>\n</body>",
        1,
    );
    if divs {
        page = page
            .replacen(
                "<main class=\"policy\">",
                "<div class=\"container\"><div class=\"row\"><div class=\"content-body\">",
                1,
            )
            .replacen("</main>", "</div></div></div>", 1);
    }
    page
}

fn import(sites: &Path, source: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--sites", sites.to_str().unwrap(), "import", source];
    args.extend_from_slice(extra);
    policydesk(&args)
}

#[test]
fn seed_portals_import_back_to_their_published_text() {
    let bundled = common::bundled_sites();
    let pages = tempfile::tempdir().unwrap();
    let target = common::platforms_only();
    for (i, id) in SEEDS.iter().enumerate() {
        let page = portal_page(
            &render(&bundled, id, "en", "html"),
            &format!("https://{id}/terms/cookies-policy/"),
            i == 1,
        );
        assert!(page.contains("Download as PDF") && page.contains("Accept all"));
        let file = pages.path().join(format!("{id}.html"));
        std::fs::write(&file, page).unwrap();
        let out = import(target.path(), file.to_str().unwrap(), &[]);
        assert!(out.status.success(), "{id}: {}", stderr(&out));
        let text = render(target.path(), id, "en", "txt");
        let seed = std::fs::read_to_string(bundled.join(format!("../tests/golden/{id}.seed.txt")))
            .unwrap();
        assert_eq!(collapse(&text), collapse(&seed), "{id}");
        for furniture in [
            "Portal home",
            "Explore data",
            "Accept all",
            "We use cookies to improve",
            "Download as PDF",
            "Legal notice",
            "Policy version",
        ] {
            assert!(
                !text.contains(furniture),
                "{id}: {furniture:?} leaked into the policy"
            );
        }
        let report = stderr(&out);
        assert!(
            report.contains("left out (navigation)") || report.contains("left out (page header)"),
            "{report}"
        );
        assert!(
            report.contains("left out (cookie banner or dialog)"),
            "{report}"
        );
    }
    // Every row of the seeds is a platform cookie: imported as platform rows, not copies.
    let ws = load_sites(target.path());
    assert!(ws.errors.is_empty(), "{:?}", ws.errors);
    assert_eq!(ws.sites.len(), 3);
    for file in &ws.sites {
        assert_eq!(file.site.platform.as_deref(), Some("opendatasoft"));
        assert!(
            file.site
                .cookies
                .iter()
                .all(|c| matches!(c, CookieEntry::Platform(_)))
        );
    }
    // dashboard.paris publishes the platform's own wording: no override at all.
    let paris = &ws.site("dashboard.paris").unwrap().site;
    assert!(
        paris
            .cookies
            .iter()
            .all(|c| matches!(c, CookieEntry::Platform(u) if u.is_plain()))
    );
    assert_eq!(paris.base_url.as_str(), "https://dashboard.paris/");
    assert_eq!(paris.policy_path, "/terms/cookies-policy/");
}

#[test]
fn french_and_english_pages_make_one_site_with_both_languages() {
    let bundled = common::bundled_sites();
    let target = common::platforms_only();
    let pages = tempfile::tempdir().unwrap();
    let id = "dataviz.totalenergies.com";
    let url = format!("https://{id}/terms/cookies-policy/");
    let en = pages.path().join("en.html");
    let fr = pages.path().join("fr.html");
    std::fs::write(
        &en,
        portal_page(&render(&bundled, id, "en", "html"), &url, false),
    )
    .unwrap();
    std::fs::write(
        &fr,
        portal_page(&render(&bundled, id, "fr", "html"), &url, true),
    )
    .unwrap();
    let out = import(
        target.path(),
        en.to_str().unwrap(),
        &["--also", fr.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for lang in ["en", "fr"] {
        let text = render(target.path(), id, lang, "txt");
        let want =
            std::fs::read_to_string(bundled.join(format!("../tests/golden/{id}.{lang}.txt")))
                .unwrap();
        assert_eq!(collapse(&text), collapse(&want), "{lang}");
    }
    let ws = load_sites(target.path());
    let site = &ws.site(id).unwrap().site;
    assert_eq!(site.languages, ["en", "fr"]);
    assert_eq!(
        site.cookies.len(),
        4,
        "rows matched by name, not added twice"
    );
}

#[test]
fn imports_from_an_address_and_never_overwrites_without_update() {
    let bundled = common::bundled_sites();
    let policy = portal_page(
        &render(&bundled, "dashboard.paris", "en", "html"),
        "https://dashboard.paris/terms/cookies-policy/",
        false,
    );
    let changed = policy.replace(
        "Opendatasoft uses cookies on its website.",
        "Opendatasoft uses a few cookies on its website.",
    );
    let server = Server::start(move |path| match path {
        "/policy" => Reply::html(&policy),
        "/changed" => Reply::html(&changed),
        "/moved" => Reply::redirect(302, "/policy"),
        _ => Reply::Full {
            status: 404,
            headers: vec![],
            body: vec![],
        },
    });
    let target = common::platforms_only();
    let out = import(target.path(), &server.url("/moved"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The canonical link names the site; the page came through a redirect from 127.0.0.1.
    let id = "127.0.0.1";
    let path = target.path().join(format!("{id}.ron"));
    let before = std::fs::read_to_string(&path).expect("the site file was written");
    assert_eq!(
        collapse(&render(target.path(), id, "en", "txt")),
        collapse(
            &std::fs::read_to_string(bundled.join("../tests/golden/dashboard.paris.seed.txt"))
                .unwrap()
        )
    );

    // The same page again: nothing to change.
    let out = import(target.path(), &server.url("/policy"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("already says what the page says"));
    // Also when a person has commented the file: the diff is what --update would write, and
    // that keeps comments.
    let commented = before.replacen(
        "    cookies: [",
        "    // Checked with legal.\n    cookies: [",
        1,
    );
    std::fs::write(&path, &commented).expect("write");
    let out = import(target.path(), &server.url("/policy"), &[]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("already says what the page says"));
    std::fs::write(&path, &before).expect("write");

    // A changed page: the diff, and nothing written.
    let out = import(target.path(), &server.url("/changed"), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains(
            "-                    Paragraph(\"Opendatasoft uses cookies on its website.\"),"
        ),
        "{shown}"
    );
    assert!(
        shown.contains(
            "+                    Paragraph(\"Opendatasoft uses a few cookies on its website.\"),"
        ),
        "{shown}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);

    // With --update it is written, and the rest of the file is kept.
    let out = import(target.path(), &server.url("/changed"), &["--update"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("uses a few cookies"));
    assert_eq!(before.lines().count(), after.lines().count());

    // A page that is not there is a clear error naming the address.
    let out = import(target.path(), &server.url("/nothing"), &["--id", "other"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nothing") && stderr(&out).contains("404"),
        "{}",
        stderr(&out)
    );
    assert!(!target.path().join("other.ron").exists());
}
