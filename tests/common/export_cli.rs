//! Running `policydesk export` in the export tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

/// `policydesk --sites SITES export WHAT... --out OUT EXTRA...`
pub fn export(sites: &Path, what: &[&str], out: &Path, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .arg("--sites")
        .arg(sites)
        .arg("export")
        .args(what)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run policydesk")
}
