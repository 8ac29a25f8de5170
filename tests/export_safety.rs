//! A bundle is safe to open and never lands outside its output: hostile policy text is inert in
//! every HTML page, unsafe ids are refused, and an interrupted export leaves nothing behind.

mod common;
#[path = "common/export_cli.rs"]
mod export_cli;
#[path = "common/many_sites.rs"]
mod many_sites;

use std::path::Path;

use common::stderr;
use policydesk::cancel::Cancel;
use policydesk::export::{self, ExportError, Options};
use policydesk::model::CookieEntry;
use policydesk::store::{self, load_sites};

const PAYLOAD: &str = "<script>alert(1)</script> \"><img src=x onerror=alert(2)> </title><b>x</b>";

/// Every element a bundle page is built from; anything else came from the text.
const ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "h5", "h6",
    "p", "ul", "li", "a", "div", "table", "thead", "tbody", "tr", "th", "td", "footer", "strong",
    "code", "span", "time", "dl", "dt", "dd", "pre",
];
const ATTRIBUTES: &[&str] = &[
    "lang", "charset", "name", "content", "href", "class", "id", "scope", "datetime",
];

/// The sites with `PAYLOAD` in the name, the controller, every heading, paragraph, list item and
/// cookie text, and an audit full of it.
fn hostile_sites() -> tempfile::TempDir {
    let dir = common::copy_of_sites();
    let ws = load_sites(dir.path());
    for file in &ws.sites {
        let mut site = file.site.clone();
        site.name = format!("{} {PAYLOAD}", site.name);
        site.controller = PAYLOAD.into();
        // A policy address that would run script if it were a link.
        site.base_url = "javascript:alert(3)".parse().expect("a URL");
        for sections in site.sections.values_mut() {
            for section in sections {
                section.heading = format!("{} {PAYLOAD}", section.heading);
                for block in &mut section.body {
                    match block {
                        policydesk::model::Block::Paragraph(p) => p.push_str(PAYLOAD),
                        policydesk::model::Block::List(items) => {
                            items.iter_mut().for_each(|i| i.push_str(PAYLOAD))
                        }
                        policydesk::model::Block::CookieTable
                        | policydesk::model::Block::CategoryTable(_)
                        | policydesk::model::Block::NumberedTable(_) => {}
                    }
                }
            }
        }
        for entry in &mut site.cookies {
            let purpose = match entry {
                CookieEntry::Own(d) => {
                    d.provider.push_str(PAYLOAD);
                    &mut d.purpose
                }
                CookieEntry::Platform(u) => &mut u.purpose,
            };
            for lang in &site.languages {
                purpose.insert(lang.clone(), PAYLOAD.into());
            }
        }
        let text = store::save::site_text(&site).expect("serialise");
        std::fs::write(&file.path, text).expect("write");
        let audits = dir.path().join(".audits").join(&site.id);
        std::fs::create_dir_all(&audits).expect("audits");
        // A valid audit (the export reads audits typed) with the payload in every text.
        let p = serde_json::Value::String(PAYLOAD.into());
        let audit = serde_json::json!({
            "tool": p, "version": p, "generated_at": p,
            "sites": [{
                "site": site.id, "url": p, "error": p,
                "requests": [{"url": p, "status": 200, "set_cookie": [p]}],
                "observed": [{"name": p, "domain": p, "path": p, "lifetime_seconds": null,
                              "secure": true, "http_only": false, "same_site": p,
                              "source": "header", "service": p}],
                "third_party_hosts": [p],
                "findings": [{"kind": "undeclared", "severity": "error", "cookie": p, "host": p,
                              "message": p, "evidence": p}],
            }],
        });
        std::fs::write(audits.join("20261123T141500Z.json"), audit.to_string()).expect("audit");
    }
    dir
}

#[test]
fn hostile_policy_text_is_harmless_in_every_html_file() {
    let sites = hostile_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = export_cli::export(sites.path(), &["--all"], &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));

    let manifest: export::manifest::Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("json");
    let pages: Vec<&str> = manifest
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".html"))
        .collect();
    // index, and per site: two policy pages and the audit page.
    assert_eq!(pages.len(), 1 + 3 * 3, "{pages:?}");
    let any = scraper::Selector::parse("*").expect("selector");
    let title = scraper::Selector::parse("title").expect("selector");
    for page in pages {
        let html = std::fs::read_to_string(out.join(page)).expect("page");
        let doc = scraper::Html::parse_document(&html);
        for element in doc.select(&any) {
            let el = element.value();
            assert!(
                ELEMENTS.contains(&el.name()),
                "{page}: element <{}>",
                el.name()
            );
            for (name, value) in el.attrs() {
                assert!(
                    ATTRIBUTES.contains(&name),
                    "{page}: attribute {name}={value:?}"
                );
                assert!(!value.contains("alert("), "{page}: {name}={value:?}");
            }
        }
        assert_eq!(doc.select(&title).count(), 1, "{page}");
        // The text is there, shown as text.
        let text: String = doc.root_element().text().collect();
        assert!(
            text.contains(PAYLOAD),
            "{page} does not show the text as written"
        );
    }
}

#[test]
fn unsafe_site_ids_are_refused() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    for id in ["../x", "/etc/passwd", "a/../../b", ".hidden", ""] {
        let run = export_cli::export(sites.path(), &[id], &out, &[]);
        assert_eq!(run.status.code(), Some(2), "{id:?}: {}", stderr(&run));
        assert!(!out.exists(), "{id:?}");
    }
    assert!(!temp.path().join("x").exists());

    // A workspace given to the exporter by other code is checked again.
    let mut ws = load_sites(sites.path());
    ws.sites[0].site.id = "../escaped".into();
    let options = Options::new(false, false).expect("options");
    for id in ["../escaped", "/tmp/abs"] {
        let result = export::export(&ws, &[id.to_string()], &out, &options, &|_, _| {});
        assert!(
            matches!(result, Err(ExportError::UnsafeId(_))),
            "{id}: {result:?}"
        );
    }
    let file = ws.sites[0].clone();
    assert!(matches!(
        export::bundle::site_files(
            &ws,
            &policydesk::knowledge::Knowledge::for_workspace(&ws),
            &file
        ),
        Err(ExportError::UnsafeId(_))
    ));
    assert!(!out.exists());
    assert!(!temp.path().join("escaped").exists());
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_cancelled_export_leaves_nothing_and_keeps_the_old_bundle() {
    let temp = tempfile::tempdir().expect("temp dir");
    let sites = temp.path().join("sites");
    many_sites::write(&sites, 20, 5);
    let ws = load_sites(&sites);
    let ids: Vec<String> = ws.sites.iter().map(|s| s.site.id.clone()).collect();
    let outputs = temp.path().join("out");
    std::fs::create_dir(&outputs).expect("out dir");
    let out = outputs.join("bundle");

    let mut options = Options::new(false, true).expect("options");
    // Stop after the third site, as a user pressing Cancel would (a fresh flag each export).
    let stop_at_three = |options: &mut Options| {
        let cancel = Cancel::new();
        options.cancel = Some(cancel.clone());
        move |done: usize, _total: usize| {
            if done == 3 {
                cancel.cancel();
            }
        }
    };
    let stop = stop_at_three(&mut options);
    let result = export::export(&ws, &ids, &out, &options, &stop);
    assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
    assert!(leftovers(&outputs).is_empty(), "{:?}", leftovers(&outputs));

    // With --force over a good bundle, a cancelled export leaves the old one whole.
    let stop = stop_at_three(&mut options);
    let plain = Options::new(false, false).expect("options");
    export::export(&ws, &ids[..2], &out, &plain, &|_, _| {}).expect("first export");
    let result = export::export(&ws, &ids, &out, &options, &stop);
    assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
    assert_eq!(leftovers(&outputs), ["bundle"]);
    let report = export::verify(&out).expect("verify");
    assert!(report.matches(), "{report:?}");
    // The index, and per site 2 languages x 4 formats (HTML, PDF, Markdown, text), cookies.csv
    // and .json, site.ron, check.json, the three consent configurations and device-storage.json.
    assert_eq!(report.listed, 1 + 2 * (2 * 4 + 8));

    // A zip export cancelled the same way.
    let stop = stop_at_three(&mut options);
    options.zip = true;
    let zip = outputs.join("bundle.zip");
    let result = export::export(&ws, &ids, &zip, &options, &stop);
    assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
    assert_eq!(leftovers(&outputs), ["bundle"]);
}

#[test]
fn a_killed_export_leaves_nothing_at_the_output_path() {
    let temp = tempfile::tempdir().expect("temp dir");
    let sites = temp.path().join("sites");
    many_sites::write(&sites, 600, 40);
    let outputs = temp.path().join("out");
    std::fs::create_dir(&outputs).expect("out dir");
    let out = outputs.join("bundle");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .args([
            "--sites",
            sites.to_str().expect("utf-8"),
            "export",
            "--all",
            "--out",
        ])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it once it has started writing files.
    let started = std::time::Instant::now();
    let staged = loop {
        let writing = std::fs::read_dir(&outputs)
            .expect("read")
            .flatten()
            .find(|e| e.path().read_dir().is_ok_and(|mut d| d.next().is_some()));
        if let Some(entry) = writing {
            break entry.path();
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "finished before it was killed"
        );
        assert!(started.elapsed().as_secs() < 60, "never started writing");
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(!out.exists(), "a half bundle stands at the output path");
    assert_ne!(staged, out);
    // What stands beside it is a hidden staging folder, never taken for the bundle.
    for name in leftovers(&outputs) {
        assert!(name.starts_with(".policydesk-export-"), "{name}");
    }
}
