//! `policydesk export`: the bundle's layout and contents, its manifest checked with `sha256sum`,
//! reproducible output, the last audit, and never overwriting without `--force`.

mod common;
#[path = "common/export_cli.rs"]
mod export_cli;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{policydesk, stderr, stdout};
use policydesk::check::check_site;
use policydesk::export::manifest::Manifest;
use policydesk::store::load_sites;

fn export_all(sites: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    export_cli::export(sites, &["--all"], out, extra)
}

fn manifest_of(bundle: &Path) -> Manifest {
    let bytes = std::fs::read(bundle.join("manifest.json")).expect("manifest.json");
    serde_json::from_slice(&bytes).expect("a valid manifest")
}

/// Every file under `dir`, relative, `/`-separated.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.insert(name);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, "", &mut out);
    out
}

#[test]
fn export_of_the_three_portals_verifies_with_sha256sum() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = export_all(sites.path(), &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stdout(&run).contains("exported 3 sites"),
        "{}",
        stdout(&run)
    );

    let manifest = manifest_of(&out);
    assert_eq!(manifest.tool, "PolicyDesk");
    assert_eq!(manifest.version, env!("CARGO_PKG_VERSION"));
    // Every file is listed, except the manifest itself.
    let listed: BTreeSet<String> = manifest.files.iter().map(|f| f.path.clone()).collect();
    let mut on_disk = files_under(&out);
    assert!(on_disk.remove("manifest.json"));
    assert_eq!(listed, on_disk);

    // The manifest as `sha256sum -c` reads it.
    let sums: String = manifest
        .files
        .iter()
        .map(|f| format!("{}  {}\n", f.sha256, f.path))
        .collect();
    std::fs::write(temp.path().join("SHA256SUMS"), sums).expect("write sums");
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", "../SHA256SUMS"])
        .current_dir(&out)
        .output()
        .expect("run sha256sum");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let ok_lines = String::from_utf8_lossy(&check.stdout)
        .matches(": OK")
        .count();
    assert_eq!(ok_lines, manifest.files.len());
    for f in &manifest.files {
        let len = std::fs::metadata(out.join(&f.path))
            .expect("listed file")
            .len();
        assert_eq!(len, f.bytes, "{}", f.path);
    }

    // The layout the issue asks for, for every site and language.
    let ws = load_sites(sites.path());
    assert!(listed.contains("index.html"));
    for file in &ws.sites {
        let id = &file.site.id;
        for lang in &file.site.languages {
            for ext in ["html", "md", "txt", "pdf"] {
                assert!(
                    listed.contains(&format!("{id}/policy.{lang}.{ext}")),
                    "{id} {lang} {ext}"
                );
            }
        }
        for name in [
            "cookies.csv",
            "cookies.json",
            "site.ron",
            "check.json",
            "consent/klaro.js",
            "consent/cookieconsent.js",
            "consent/tarteaucitron.js",
            "device-storage.json",
        ] {
            assert!(listed.contains(&format!("{id}/{name}")), "{id}/{name}");
        }
        assert!(
            !listed.contains(&format!("{id}/audit.json")),
            "no audit was saved"
        );
        // The source as saved, byte for byte.
        assert_eq!(
            std::fs::read(out.join(id).join("site.ron")).expect("site.ron"),
            std::fs::read(&file.path).expect("source")
        );
        // The check findings, as the checks give them.
        let check: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(id).join("check.json")).expect("check"))
                .expect("json");
        let findings = check_site(&file.site, ws.platform_of(&file.site));
        assert_eq!(
            check["findings"],
            serde_json::to_value(&findings).expect("findings")
        );
        // Policy pages name the site; the index links to them.
        let index = std::fs::read_to_string(out.join("index.html")).expect("index");
        assert!(index.contains(&format!("href=\"{id}/policy.fr.html\"")));
        assert!(index.contains(&format!("href=\"{id}/policy.fr.pdf\"")));
        assert!(index.contains(&file.site.name));
    }
}

#[test]
fn cookie_declarations_are_resolved_with_every_field() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    assert!(export_all(sites.path(), &out, &[]).status.success());
    let ws = load_sites(sites.path());
    let paris = ws.site("dashboard.paris").expect("paris");
    let cookies = ws.cookies_of(&paris.site);

    let mut reader = csv::Reader::from_path(out.join("dashboard.paris/cookies.csv")).expect("csv");
    let header = reader.headers().expect("header").clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), cookies.len());
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    for (row, decl) in rows.iter().zip(&cookies) {
        assert_eq!(&row[col("name")], decl.name);
        assert_eq!(&row[col("provider")], decl.provider);
        assert_eq!(&row[col("category")], decl.category.label());
        for lang in ["en", "fr"] {
            assert_eq!(&row[col(&format!("purpose_{lang}"))], decl.purpose[lang]);
            assert_eq!(&row[col(&format!("location_{lang}"))], decl.location[lang]);
            assert_eq!(
                &row[col(&format!("duration_text_{lang}"))],
                decl.duration.text[lang]
            );
        }
        assert_eq!(
            row[col("duration_seconds")].parse::<u64>().ok(),
            decl.duration.value.max_seconds().filter(|&s| s > 0)
        );
        assert_eq!(&row[col("duration_human")], decl.duration.value.to_string());
    }
    // Paris overrides a platform cookie's English text: the export shows the resolved text.
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("dashboard.paris/cookies.json")).expect("cookies.json"),
    )
    .expect("json");
    let listed = json["cookies"].as_array().expect("cookies");
    assert_eq!(listed.len(), cookies.len());
    for (item, decl) in listed.iter().zip(&cookies) {
        assert_eq!(item["name"], decl.name.as_str());
        assert_eq!(
            item["purpose"],
            serde_json::to_value(&decl.purpose).expect("texts")
        );
        assert_eq!(
            item["duration"]["seconds"].as_u64(),
            decl.duration.value.max_seconds().filter(|&s| s > 0)
        );
    }
}

#[test]
fn two_exports_with_source_date_epoch_are_byte_identical() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let run = |out: &PathBuf, zip: bool| {
        let status = Command::new(env!("CARGO_BIN_EXE_policydesk"))
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args([
                "--sites",
                sites.path().to_str().expect("utf-8"),
                "export",
                "--all",
            ])
            .arg("--out")
            .arg(out)
            .args(if zip { &["--zip"][..] } else { &[] })
            .output()
            .expect("run");
        assert!(status.status.success(), "{}", stderr(&status));
    };
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));
    run(&a, false);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    run(&b, false);
    let files = files_under(&a);
    assert_eq!(files, files_under(&b));
    for f in &files {
        assert_eq!(
            std::fs::read(a.join(f)).expect("a"),
            std::fs::read(b.join(f)).expect("b"),
            "{f} differs"
        );
    }
    assert_eq!(manifest_of(&a).generated_at, "2023-11-14T22:13:20Z");

    let (za, zb) = (temp.path().join("a.zip"), temp.path().join("b.zip"));
    run(&za, true);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    run(&zb, true);
    let bytes = std::fs::read(&za).expect("a.zip");
    assert_eq!(bytes, std::fs::read(&zb).expect("b.zip"));
    // Entries in path order, each dated SOURCE_DATE_EPOCH, holding the folder's bytes.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.iter().cloned().collect::<BTreeSet<_>>(), files);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let t = entry.last_modified().expect("time");
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2023, 11, 14, 22, 13)
        );
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).expect("read");
        assert_eq!(
            content,
            std::fs::read(a.join(entry.name())).expect("same file")
        );
    }
}

const AUDIT: &str = r#"{
  "tool": "PolicyDesk", "version": "0.1.0", "generated_at": "2026-11-23T14:15:00Z",
  "sites": [ {
    "site": "dashboard.paris", "url": "https://dashboard.paris/terms/cookies-policy/", "error": null,
    "requests": [ {"url": "https://dashboard.paris/", "status": 200,
                   "set_cookie": ["csrftoken=abc; Max-Age=31449600; Path=/; SameSite=Lax; Secure"]} ],
    "observed": [ {"name": "csrftoken", "domain": "dashboard.paris", "path": "/",
                   "lifetime_seconds": 31449600, "secure": true, "http_only": false,
                   "same_site": "Lax", "source": "header", "service": null},
                  {"name": "_hjSession_1", "domain": "dashboard.paris", "path": "/",
                   "lifetime_seconds": null, "secure": false, "http_only": false,
                   "same_site": null, "source": "inferred", "service": "Hotjar"} ],
    "third_party_hosts": ["static.hotjar.com"],
    "findings": [ {"kind": "undeclared", "severity": "error", "cookie": "_hjSession_1",
                   "host": "static.hotjar.com", "message": "_hjSession_1 is set but not declared",
                   "evidence": "script https://static.hotjar.com/c/hotjar.js"} ]
  } ]
}
"#;

#[test]
fn the_last_saved_audit_is_copied_and_shown() {
    let sites = common::copy_of_sites();
    let audits = sites.path().join(".audits/dashboard.paris");
    std::fs::create_dir_all(&audits).expect("audits dir");
    std::fs::write(
        audits.join("20261101T090000Z.json"),
        AUDIT.replace("14:15", "09:00"),
    )
    .expect("older audit");
    std::fs::write(audits.join("20261123T141500Z.json"), AUDIT).expect("audit");
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = export_all(sites.path(), &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));

    assert_eq!(
        std::fs::read_to_string(out.join("dashboard.paris/audit.json")).expect("audit.json"),
        AUDIT
    );
    let html = std::fs::read_to_string(out.join("dashboard.paris/audit.html")).expect("html");
    let page = scraper::Html::parse_document(&html);
    let text: String = page.root_element().text().collect();
    for expected in [
        "https://dashboard.paris/terms/cookies-policy/",
        "2026-11-23T14:15:00Z",
        "_hjSession_1 is set but not declared",
        "script https://static.hotjar.com/c/hotjar.js",
        "Hotjar",
        "csrftoken=abc; Max-Age=31449600; Path=/; SameSite=Lax; Secure",
        "static.hotjar.com",
    ] {
        assert!(text.contains(expected), "audit.html lacks {expected:?}");
    }
    let rows = scraper::Selector::parse("tbody tr").expect("selector");
    // One finding, two observed cookies, one request.
    assert_eq!(page.select(&rows).count(), 4);
    let index = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(index.contains("href=\"dashboard.paris/audit.html\""));
    assert!(!out.join("dataviz.totalenergies.com/audit.json").exists());
}

#[test]
fn audit_html_shows_only_the_screenshots_the_bundle_holds() {
    let sites = common::copy_of_sites();
    let audits = sites.path().join(".audits/dashboard.paris");
    std::fs::create_dir_all(&audits).expect("audits dir");
    let phase = |name: &str| {
        format!(
            r#"{{"name": "{name}", "banner": {{"found": true, "clicked": null, "how": null}},
                "error": null, "screenshot": "20261123T141500Z-{name}.png"}}"#
        )
    };
    let audit = AUDIT.replace(
        r#""error": null,"#,
        &format!(
            r#""error": null, "engine": "browser", "phases": [{}, {}],"#,
            phase("first_visit"),
            phase("after_reject")
        ),
    );
    std::fs::write(audits.join("20261123T141500Z.json"), audit).expect("audit");
    // Only the first phase's screenshot is in the audit folder; the second was lost.
    let png = b"\x89PNG\r\n\x1a\n a screenshot";
    std::fs::write(audits.join("20261123T141500Z-first_visit.png"), png).expect("png");
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = export_all(sites.path(), &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));

    let site = out.join("dashboard.paris");
    assert_eq!(
        std::fs::read(site.join("20261123T141500Z-first_visit.png")).expect("copied"),
        png
    );
    assert!(!site.join("20261123T141500Z-after_reject.png").exists());
    let html = std::fs::read_to_string(site.join("audit.html")).expect("html");
    let page = scraper::Html::parse_document(&html);
    let images = scraper::Selector::parse("img").expect("selector");
    let sources: Vec<&str> = page
        .select(&images)
        .filter_map(|img| img.value().attr("src"))
        .collect();
    assert_eq!(sources, ["20261123T141500Z-first_visit.png"]);
    let text: String = page.root_element().text().collect();
    assert!(
        text.contains("after_reject: the screenshot 20261123T141500Z-after_reject.png is missing"),
        "{text}"
    );
}

#[test]
fn a_broken_audit_file_stops_the_export_and_names_the_file() {
    let sites = common::copy_of_sites();
    let audits = sites.path().join(".audits/dashboard.paris");
    std::fs::create_dir_all(&audits).expect("audits dir");
    std::fs::write(audits.join("20261123T141500Z.json"), "{ \"sites\": [").expect("audit");
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = export_all(sites.path(), &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("20261123T141500Z.json"),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());
}

#[test]
fn an_existing_output_is_replaced_only_with_force() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    std::fs::create_dir(&out).expect("empty folder");
    // An empty folder is no bundle to lose.
    assert!(export_all(sites.path(), &out, &[]).status.success());

    let note = out.join("keep-me.txt");
    std::fs::write(&note, "mine").expect("note");
    let run = export_all(sites.path(), &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--force"), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(&note).expect("untouched"), "mine");

    let run = export_all(sites.path(), &out, &["--force"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!note.exists());
    assert!(
        policydesk(&["verify", out.to_str().expect("utf-8")])
            .status
            .success()
    );
    // Nothing is left beside the output: no staging folder, no old copy.
    let beside: Vec<_> = std::fs::read_dir(temp.path())
        .expect("read")
        .flatten()
        .collect();
    assert_eq!(beside.len(), 1, "{beside:?}");

    let zip = temp.path().join("bundle.zip");
    std::fs::write(&zip, "not a bundle").expect("file");
    assert_eq!(
        export_all(sites.path(), &zip, &["--zip"]).status.code(),
        Some(2)
    );
    assert!(
        export_all(sites.path(), &zip, &["--zip", "--force"])
            .status
            .success()
    );
    assert!(
        policydesk(&["verify", zip.to_str().expect("utf-8")])
            .status
            .success()
    );
}

#[test]
fn only_the_named_sites_are_exported() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = export_cli::export(sites.path(), &["dashboard.paris"], &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let dirs: BTreeSet<String> = files_under(&out)
        .into_iter()
        .filter_map(|f| f.split_once('/').map(|(d, _)| d.to_string()))
        .collect();
    assert_eq!(dirs, BTreeSet::from(["dashboard.paris".to_string()]));

    let other = temp.path().join("other");
    let run = export_cli::export(sites.path(), &["no.such.site"], &other, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("no.such.site"));
    assert!(!other.exists());
}

#[test]
fn zip_without_an_extension_gets_one() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .args(["--sites", common::bundled_sites().to_str().expect("utf-8")])
        .args([
            "export",
            "--all",
            "--zip",
            "--out",
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("run");
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!out.exists(), "nothing is written under the bare name");
    assert!(temp.path().join("bundle.zip").is_file());
}
