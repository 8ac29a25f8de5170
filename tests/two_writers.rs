//! Two programs writing one sites folder at once: a save never overwrites a change it did not
//! see, and audit history files never collide.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use policydesk::audit::history;
use policydesk::audit::{Report, SiteReport};
use policydesk::store::{self, save_site};

const SITE: &str = "dashboard.paris";

/// `fmt` reads the folder, then another program (the app, here this test through the store's
/// save as the app does) saves a change to one file; `fmt` must leave that file alone, say so,
/// and exit 2, while formatting the others.
#[test]
fn fmt_refuses_a_file_changed_between_its_read_and_its_write() {
    let sites = common::copy_of_sites();
    let path = store::site_path(sites.path(), SITE);
    let other = store::site_path(sites.path(), "dataviz.totalenergies.com");
    // Both files need formatting: comments and two-space indentation.
    for p in [&path, &other] {
        let text = std::fs::read_to_string(p).unwrap();
        std::fs::write(p, format!("// checked\n{}", text.replace("    ", "  "))).unwrap();
    }
    let signal = sites.path().join("go");
    let mut fmt = Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .arg("--sites")
        .arg(sites.path())
        .arg("fmt")
        .env("POLICYDESK_TEST_FMT_WAIT", &signal)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(fmt.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("waiting for"), "{line}");

    // The second writer: load, edit, save.
    let ws = store::load_sites(sites.path());
    let mut file = ws.site(SITE).unwrap().clone();
    file.site.controller = "Ville de Paris (DSIN)".into();
    save_site(&mut file, false).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();

    std::fs::write(&signal, "").unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = fmt.wait().unwrap();
    assert_eq!(status.code(), Some(2), "{rest}");
    assert!(
        rest.contains(&format!(
            "{} changed on disk since fmt read it",
            path.display()
        )),
        "{rest}"
    );
    // The change is there, untouched by fmt, comment included; the other file was formatted.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved);
    assert!(saved.contains("Ville de Paris (DSIN)") && saved.starts_with("// checked\n"));
    let formatted = std::fs::read_to_string(&other).unwrap();
    assert!(formatted.starts_with("// checked\n#![enable"));
    assert!(formatted.contains("\n    name: "));
}

/// Two `fmt` at once on the same folder, many times: every file loads and keeps its comment.
#[test]
fn two_fmt_at_once_lose_nothing() {
    let sites = common::copy_of_sites();
    let path = store::site_path(sites.path(), SITE);
    let original = std::fs::read_to_string(&path).unwrap();
    for _ in 0..10 {
        std::fs::write(&path, format!("// kept\n{}", original.replace("    ", " "))).unwrap();
        let run = || {
            Command::new(env!("CARGO_BIN_EXE_policydesk"))
                .arg("--sites")
                .arg(sites.path())
                .arg("fmt")
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (run(), run());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        // Each either formatted the file or found it already changed by the other.
        for out in [&a, &b] {
            assert!(out.status.code().is_some_and(|c| c == 0 || c == 2));
        }
        let ws = store::load_sites(sites.path());
        assert!(ws.errors.is_empty(), "{:?}", ws.errors);
        let now = std::fs::read_to_string(&path).unwrap();
        assert_eq!(now, format!("// kept\n{original}"));
    }
}

/// Audits of one site saved at the same second by two writers: both are kept, under two names.
#[test]
fn history_writes_at_the_same_second_never_collide() {
    let sites = common::copy_of_sites();
    let now = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let dir = sites.path().to_path_buf();
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| {
                        let mut site = SiteReport {
                            site: SITE.into(),
                            url: format!("http://writer{w}.example/{i}"),
                            ..SiteReport::default()
                        };
                        history::record(&dir, &mut site, now).unwrap().unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut written: Vec<_> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    written.sort();
    written.dedup();
    assert_eq!(written.len(), 20);
    let mut seen: Vec<String> = history::audit_files(sites.path(), SITE)
        .iter()
        .map(|p| {
            let report: Report = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
            report.sites[0].url.clone()
        })
        .collect();
    seen.sort();
    let mut want: Vec<String> = (0..2)
        .flat_map(|w| (0..10).map(move |i| format!("http://writer{w}.example/{i}")))
        .collect();
    want.sort();
    assert_eq!(seen, want);
}
