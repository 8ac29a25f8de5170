//! Running `policydesk export` in the export tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// `policydesk --sites SITES export WHAT... --out OUT EXTRA...`
pub fn export(sites: &Path, what: &[&str], out: &Path, extra: &[&str]) -> Output {
    command(sites, what, out, extra)
        .output()
        .expect("run policydesk")
}

/// The command [`export`] runs, for a test that sets its environment too.
pub fn command(sites: &Path, what: &[&str], out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_policydesk"));
    command
        .arg("--sites")
        .arg(sites)
        .arg("export")
        .args(what)
        .arg("--out")
        .arg(out)
        .args(extra);
    command
}
