//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's bundled `sites/` folder.
pub fn bundled_sites() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sites")
}

/// A fresh copy of the bundled sites in a temporary folder.
pub fn copy_of_sites() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&bundled_sites(), dir.path());
    dir
}

/// A sites folder holding the bundled platforms (and team catalog) and no site.
pub fn platforms_only() -> tempfile::TempDir {
    let dir = copy_of_sites();
    for entry in std::fs::read_dir(dir.path()).expect("read dir").flatten() {
        if entry.path().extension().is_some_and(|e| e == "ron") {
            std::fs::remove_file(entry.path()).expect("remove");
        }
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Runs the `policydesk` binary with `args`.
pub fn policydesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .args(args)
        .output()
        .expect("run policydesk")
}

/// Runs `policydesk` with `args` and reads its stdout as JSON: (exit code, document, stderr).
pub fn policydesk_json(args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = policydesk(args);
    let json = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), json, stderr(&out))
}

/// `policydesk --sites SITES audit dashboard.paris --url URL --format json`.
pub fn audit_paris_json(sites: &Path, url: &str) -> (Option<i32>, serde_json::Value, String) {
    let dir = sites.to_str().expect("a UTF-8 path");
    policydesk_json(&[
        "--sites",
        dir,
        "audit",
        "dashboard.paris",
        "--url",
        url,
        "--engine",
        "http",
        "--format",
        "json",
    ])
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs of whitespace as one space, ends trimmed: how the seeds are compared.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
