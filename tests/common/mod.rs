//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use policydesk::model::{CookieDecl, CookieEntry};

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

/// The path of `name` in `tests/import_pages/`.
pub fn import_page_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import_pages")
        .join(name)
        .display()
        .to_string()
}

/// A folder holding the bundled platforms and `name` of `tests/import_pages/` imported as
/// site `id`.
pub fn imported_page(name: &str, id: &str) -> tempfile::TempDir {
    let dir = platforms_only();
    let (code, out) = policydesk_in(dir.path(), &["import", &import_page_path(name), "--id", id]);
    assert_eq!(code, Some(0), "{name}: {out}");
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

/// The site's own declaration of `name` among `cookies`.
pub fn own<'a>(cookies: &'a [CookieEntry], name: &str) -> &'a CookieDecl {
    cookies
        .iter()
        .find_map(|e| match e {
            CookieEntry::Own(d) if d.name == name => Some(d),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no own declaration {name}: {cookies:?}"))
}

/// Runs the `policydesk` binary with `args`.
pub fn policydesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .args(args)
        .output()
        .expect("run policydesk")
}

/// Runs `policydesk --sites SITES ARGS…`: (exit code, stdout followed by stderr).
pub fn policydesk_in(sites: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["--sites", sites.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    let out = policydesk(&all);
    (
        out.status.code(),
        format!("{}{}", stdout(&out), stderr(&out)),
    )
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

/// A copy of the zip at `from` with `change` applied to the entries (name, bytes).
pub fn rewrite_zip(from: &Path, to: &Path, change: impl Fn(&mut Vec<(String, Vec<u8>)>)) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).expect("zip")).expect("zip");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        entries.push((entry.name().to_string(), bytes));
    }
    change(&mut entries);
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).expect("create"));
    for (name, bytes) in entries {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        std::io::Write::write_all(&mut writer, &bytes).expect("write");
    }
    writer.finish().expect("finish");
}
