//! `policydesk verify`: a bundle folder or zip against its manifest.

mod common;
#[path = "common/export_cli.rs"]
mod export_cli;

use std::path::Path;

use common::{policydesk, rewrite_zip, stderr, stdout};

fn exported(zip: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join(if zip { "bundle.zip" } else { "bundle" });
    let extra: &[&str] = if zip { &["--zip"] } else { &[] };
    let run = export_cli::export(&common::bundled_sites(), &["--all"], &out, extra);
    assert!(run.status.success(), "{}", stderr(&run));
    (temp, out)
}

fn verify(path: &Path) -> std::process::Output {
    policydesk(&["verify", path.to_str().expect("utf-8")])
}

#[test]
fn an_untouched_bundle_verifies() {
    for zip in [false, true] {
        let (_temp, out) = exported(zip);
        let run = verify(&out);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}{}",
            stdout(&run),
            stderr(&run)
        );
        assert!(
            // The index and 16 files for each of the three portals (policies in two languages and
            // four formats, declarations, source, findings, consent configurations, device storage).
            stdout(&run).starts_with("ok: the 49 files"),
            "{}",
            stdout(&run)
        );
    }
}

#[test]
fn a_tampered_a_missing_and_an_added_file_are_each_caught() {
    type Change = fn(&Path);
    let cases: [(&str, Change); 3] = [
        ("changed  dashboard.paris/policy.fr.html", |out| {
            let page = out.join("dashboard.paris/policy.fr.html");
            let text = std::fs::read_to_string(&page).expect("page");
            std::fs::write(&page, text.replacen("6 mois", "6 ans", 1)).expect("tamper");
        }),
        ("missing  dataviz.totalenergies.com/cookies.csv", |out| {
            std::fs::remove_file(out.join("dataviz.totalenergies.com/cookies.csv")).expect("rm");
        }),
        ("added    dashboard.paris/extra.html", |out| {
            std::fs::write(out.join("dashboard.paris/extra.html"), "<p>new</p>").expect("add");
        }),
    ];
    for (expected, change) in cases {
        let (_temp, out) = exported(false);
        change(&out);
        let run = verify(&out);
        assert_eq!(run.status.code(), Some(1), "{expected}: {}", stdout(&run));
        let lines: Vec<&str> = stdout(&run).leak().lines().collect();
        assert_eq!(lines, [expected], "{}", stdout(&run));
        assert!(stderr(&run).contains("does not match its manifest"));
    }
}

#[test]
fn a_changed_zip_is_caught() {
    let (temp, out) = exported(true);
    let tampered = temp.path().join("tampered.zip");
    rewrite_zip(&out, &tampered, |entries| {
        for (name, bytes) in entries.iter_mut() {
            if name == "dashboard.paris/site.ron" {
                bytes.extend_from_slice(b"// edited\n");
            }
        }
        entries.retain(|(name, _)| name != "index.html");
        entries.push(("notes.txt".into(), b"added".to_vec()));
    });
    let run = verify(&tampered);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        stdout(&run).lines().collect::<Vec<_>>(),
        [
            "changed  dashboard.paris/site.ron",
            "missing  index.html",
            "added    notes.txt"
        ]
    );
}

#[test]
fn a_bundle_without_a_usable_manifest_does_not_verify() {
    let (_temp, out) = exported(false);
    std::fs::write(out.join("manifest.json"), "{ not json").expect("break");
    let run = verify(&out);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stdout(&run).contains("manifest.json:1:"),
        "{}",
        stdout(&run)
    );

    let (_temp, out) = exported(false);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    // A manifest pointing outside the bundle is not followed.
    let hostile = manifest.replacen("\"path\": \"dashboard.paris/", "\"path\": \"../", 1);
    std::fs::write(out.join("manifest.json"), hostile).expect("write");
    let run = verify(&out);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stdout(&run).contains("problem  the manifest lists \"../"),
        "{}",
        stdout(&run)
    );
}

#[test]
fn an_unreadable_path_is_a_usage_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    let run = verify(&temp.path().join("nothing-here"));
    assert_eq!(run.status.code(), Some(2));
    let not_zip = temp.path().join("x.zip");
    std::fs::write(&not_zip, "hello").expect("write");
    let run = verify(&not_zip);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("neither a folder nor a zip"),
        "{}",
        stderr(&run)
    );
}
