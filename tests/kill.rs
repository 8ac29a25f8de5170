//! Crash tests of every write: `fmt`, `export` (folder and zip) and an audit that saves history
//! are killed with SIGKILL at random moments, many times. After each kill every site file loads
//! and is either as it was or completely rewritten (comments included), the output path holds a
//! complete bundle or nothing, every audit history file reads, and the next run is not tripped
//! by anything the killed one left.
//!
//! The moments are drawn from a seed printed at the start; `KILL_SEED=<n>` replays a run and
//! `KILL_ROUNDS=<n>` changes how many kills each test makes (default 12).
#![cfg(unix)]

mod audit_support;
mod common;
#[path = "common/many_sites.rs"]
mod many_sites;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use audit_support::{Reply, Server};
use policydesk::audit::Report;
use policydesk::store::{self, save::site_text_keeping};

/// A small xorshift generator: the test needs reproducible moments, not good randomness.
struct Moments(u64);

impl Moments {
    fn new(test: &str) -> Moments {
        let seed = std::env::var("KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
                    | 1
            });
        eprintln!("{test}: KILL_SEED={seed}");
        Moments(seed)
    }

    /// A moment in `0..=within`.
    fn next(&mut self, within: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let micros = within.as_micros().max(1) as u64;
        Duration::from_micros(self.0 % (micros + 1))
    }
}

fn rounds() -> usize {
    std::env::var("KILL_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12)
}

fn policydesk(sites: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_policydesk"));
    cmd.arg("--sites")
        .arg(sites)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// How long `cmd` takes when left alone: the window the kills are drawn from.
fn duration_of(mut cmd: Command) -> Duration {
    let start = Instant::now();
    let status = cmd.status().expect("run policydesk");
    assert!(status.code().is_some_and(|c| c <= 1), "{status}");
    start.elapsed()
}

/// Starts `cmd` and kills it with SIGKILL after `after` (unless it ended first).
fn kill_after(mut cmd: Command, after: Duration) {
    let mut child = cmd.spawn().expect("start policydesk");
    std::thread::sleep(after);
    // `kill` sends SIGKILL on Unix.
    let _ = child.kill();
    let _ = child.wait();
}

/// `n` site files in `dir` as a person might have left them: indented by two spaces (so `fmt`
/// rewrites them) and commented. Returns (path, text as written, text after `fmt`).
fn commented_sites(dir: &Path, n: usize) -> Vec<(PathBuf, String, String)> {
    many_sites::write(dir, n, 12);
    let ws = store::load_sites(dir);
    assert!(ws.errors.is_empty(), "{:?}", ws.errors);
    ws.sites
        .iter()
        .map(|file| {
            let canonical = std::fs::read_to_string(&file.path).unwrap();
            let written: String = format!("// reviewed by legal on 2026-11-02\n{canonical}")
                .lines()
                .map(|line| {
                    let line = line.replace("    ", "  ");
                    if line.starts_with("  name:") {
                        format!("{line} // as shown in the portal list\n")
                    } else {
                        format!("{line}\n")
                    }
                })
                .collect();
            let formatted = site_text_keeping(&file.site, &written, &file.path).unwrap();
            assert_ne!(formatted, written);
            assert!(formatted.contains("// as shown in the portal list"));
            (file.path.clone(), written, formatted)
        })
        .collect()
}

/// Names in `dir` that are neither site files, nor the folders PolicyDesk keeps there, nor the
/// temporary files of a killed save (which the loader ignores and a later save removes).
fn strangers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !(n.ends_with(".ron")
                || [
                    store::PLATFORMS_DIR,
                    store::AUDITS_DIR,
                    policydesk::knowledge::team::CATALOG_DIR,
                ]
                .contains(&n.as_str())
                || (n.starts_with(store::save::TEMP_PREFIX) && n.ends_with(".tmp")))
        })
        .collect()
}

#[test]
fn fmt_killed_at_any_moment_leaves_each_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sites = commented_sites(dir.path(), 30);
    let reset = || {
        for (path, written, _) in &sites {
            std::fs::write(path, written).unwrap();
        }
    };
    reset();
    let window = duration_of(policydesk(dir.path(), &["fmt"]));
    let mut moments = Moments::new("fmt");
    let (mut untouched, mut rewritten) = (0, 0);
    for _ in 0..rounds() {
        reset();
        kill_after(policydesk(dir.path(), &["fmt"]), moments.next(window));
        let ws = store::load_sites(dir.path());
        assert!(ws.errors.is_empty(), "{:?}", ws.errors);
        assert_eq!(ws.sites.len(), sites.len());
        for (path, written, formatted) in &sites {
            let now = std::fs::read_to_string(path).unwrap();
            if now == *written {
                untouched += 1;
            } else {
                assert_eq!(
                    now,
                    *formatted,
                    "{} is neither as written nor formatted",
                    path.display()
                );
                rewritten += 1;
            }
        }
        assert_eq!(strangers(dir.path()), Vec::<String>::new());
    }
    eprintln!("fmt: {untouched} files untouched and {rewritten} rewritten at the kills");
    // The next run finishes the job.
    let status = policydesk(dir.path(), &["fmt"]).status().unwrap();
    assert!(status.success());
    for (path, _, formatted) in &sites {
        assert_eq!(std::fs::read_to_string(path).unwrap(), *formatted);
    }
}

/// What an export leaves beside its output: nothing but the output, once no export runs.
fn staging_leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".policydesk-"))
        .collect()
}

fn export_killed_at_any_moment(zip: bool) {
    let sites = tempfile::tempdir().unwrap();
    many_sites::write(sites.path(), 20, 12);
    let parent = tempfile::tempdir().unwrap();
    let out = parent
        .path()
        .join(if zip { "bundle.zip" } else { "bundle" });
    let out_text = out.to_str().unwrap();
    let mut args = vec!["export", "--all", "--force", "--out", out_text];
    if zip {
        args.push("--zip");
    }
    let window = duration_of(policydesk(sites.path(), &args));
    let mut moments = Moments::new(if zip { "export --zip" } else { "export" });
    let mut complete = 0;
    for round in 0..rounds() {
        // Every other round starts from no bundle, the others replace one.
        if round % 2 == 0 {
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_file(&out);
        }
        kill_after(policydesk(sites.path(), &args), moments.next(window));
        if out.exists() {
            let report = policydesk::export::verify(&out).unwrap();
            assert!(
                report.matches(),
                "a half-written bundle at {out_text}: {report:?}"
            );
            complete += 1;
        }
    }
    eprintln!(
        "export (zip: {zip}): a complete bundle after {complete} of {} kills",
        rounds()
    );
    // The next export is not tripped by what the killed ones left, and removes it.
    let status = policydesk(sites.path(), &args).status().unwrap();
    assert!(status.success());
    assert!(policydesk::export::verify(&out).unwrap().matches());
    assert_eq!(staging_leftovers(parent.path()), Vec::<String>::new());
    let ws = store::load_sites(sites.path());
    assert!(ws.errors.is_empty() && ws.sites.len() == 20);
}

#[test]
fn export_killed_at_any_moment_leaves_a_whole_bundle_or_none() {
    export_killed_at_any_moment(false);
}

#[test]
fn zip_export_killed_at_any_moment_leaves_a_whole_bundle_or_none() {
    export_killed_at_any_moment(true);
}

#[test]
fn audit_killed_at_any_moment_leaves_readable_history() {
    let sites = common::copy_of_sites();
    let server = Server::start(|_| {
        Reply::html("<html lang=\"fr\"><body><p>Portail</p></body></html>")
            .with(
                "Set-Cookie",
                "sessionid=abc; Max-Age=1209600; HttpOnly; Path=/",
            )
            .with("Set-Cookie", "csrftoken=x; Max-Age=31449600; Path=/")
    });
    let url = server.url("/");
    let args = [
        "audit",
        "--engine",
        "http",
        "dashboard.paris",
        "--url",
        url.as_str(),
        "--timeout",
        "10",
    ];
    let window = duration_of(policydesk(sites.path(), &args));
    let history = sites.path().join(store::AUDITS_DIR).join("dashboard.paris");
    let mut moments = Moments::new("audit");
    for _ in 0..rounds() {
        kill_after(policydesk(sites.path(), &args), moments.next(window));
        for path in store::load::files_with_extension(&history, "json") {
            let bytes = std::fs::read(&path).unwrap();
            let report: Result<Report, _> = serde_json::from_slice(&bytes);
            assert!(report.is_ok(), "{} does not read", path.display());
        }
        let ws = store::load_sites(sites.path());
        assert!(ws.errors.is_empty(), "{:?}", ws.errors);
        assert_eq!(strangers(sites.path()), Vec::<String>::new());
    }
    let saved = store::load::files_with_extension(&history, "json").len();
    eprintln!("audit: {saved} audits saved across {} kills", rounds());
    // The next audit reads the last saved one and saves its own.
    let out = Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .arg("--sites")
        .arg(sites.path())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{stderr}");
    assert!(!stderr.contains("not saved"), "{stderr}");
    assert_eq!(
        store::load::files_with_extension(&history, "json").len(),
        saved + 1
    );
}
