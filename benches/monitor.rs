//! Monitoring at scale (`cargo bench --bench monitor`, release):
//! 1. 2,000 sites on a loopback server answering after 100 ms: four `audit --all --shard K/4` run
//!    one after another, then `merge`, against one `audit --all` (the split must cost < 5% more);
//! 2. `digest` over a history of 10,000 sites x 30 audits each (< 2 s);
//! 3. peak RSS of `audit --all` at 500, 2,000 and 10,000 sites (flat).
//!
//! Sites folders and histories live in /dev/shm when it exists, so the disk's fsync speed is
//! not what is measured. `MONITOR_BENCH=split,digest,memory` picks parts.

#[path = "../tests/audit_support/mod.rs"]
mod audit_support;
#[path = "../tests/common/portals.rs"]
mod portals;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use audit_support::{Reply, Server};
use policydesk::audit::history::index::{self, Entry, ErrorFinding, Item};

const EXE: &str = env!("CARGO_BIN_EXE_policydesk");

fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::tempdir_in(shm).expect("temp dir in /dev/shm")
    } else {
        tempfile::tempdir().expect("temp dir")
    }
}

fn portal_server(delay: Duration) -> Server {
    Server::start(move |_| {
        let reply = Reply::html("<!doctype html><html><body><p>Portail</p></body></html>")
            .with(
                "Set-Cookie",
                "csrftoken=t; Max-Age=31449600; Path=/; SameSite=Lax",
            )
            .with(
                "Set-Cookie",
                "sessionid=s; Max-Age=1209600; Path=/; HttpOnly",
            );
        if delay.is_zero() {
            reply
        } else {
            Reply::Delayed(delay, Box::new(reply))
        }
    })
}

/// Runs `policydesk` with `args`; wall time and peak RSS (KiB) of that process alone.
// The child is reaped by `wait4`, which also gives its own resource usage.
#[allow(clippy::zombie_processes)]
fn timed(args: &[&str]) -> (Duration, i64) {
    let started = Instant::now();
    let child = Command::new(EXE)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run policydesk");
    let mut status = 0;
    // SAFETY: plain system call on our own child; rusage is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let code = libc::WEXITSTATUS(status);
    assert!(code <= 1, "policydesk {args:?} exited {code}");
    (started.elapsed(), usage.ru_maxrss)
}

fn split() {
    const SITES: usize = 2_000;
    let server = portal_server(Duration::from_millis(100));
    let (single, sharded, out) = (scratch(), scratch(), scratch());
    portals::write(single.path(), SITES, &server.url(""));
    portals::write(sharded.path(), SITES, &server.url(""));
    let s = |p: &Path| p.to_str().expect("utf-8 path").to_string();
    let single_out = s(&out.path().join("single.json"));
    let (one, _) = timed(&[
        "--sites",
        &s(single.path()),
        "audit",
        "--all",
        "--format",
        "json",
        "--out",
        &single_out,
    ]);
    let mut parts_time = Duration::ZERO;
    let mut parts = Vec::new();
    for k in 1..=4 {
        let part = s(&out.path().join(format!("part-{k}.json")));
        let (t, _) = timed(&[
            "--sites",
            &s(sharded.path()),
            "audit",
            "--all",
            "--shard",
            &format!("{k}/4"),
            "--format",
            "json",
            "--out",
            &part,
        ]);
        println!("  part {k}/4: {:.2} s", t.as_secs_f64());
        parts_time += t;
        parts.push(part);
    }
    let merged = s(&out.path().join("merged.json"));
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(parts.iter().map(String::as_str));
    args.extend(["--out", &merged]);
    let (merge_time, _) = timed(&args);
    let total = parts_time + merge_time;
    println!("{SITES} sites, server delay 100 ms, 8 at once");
    println!(
        "  one audit --all:                  {:.2} s",
        one.as_secs_f64()
    );
    println!(
        "  4 shards one after another:       {:.2} s, merge {:.2} s, total {:.2} s ({:+.1}%)",
        parts_time.as_secs_f64(),
        merge_time.as_secs_f64(),
        total.as_secs_f64(),
        (total.as_secs_f64() / one.as_secs_f64() - 1.0) * 100.0
    );
}

/// A day's entry for a portal: the platform cookies, a few of its own and of third parties,
/// two findings of error severity; some portals change along the way.
fn entry(site: usize, day: usize) -> Entry {
    let mut items: Vec<Item> = [
        "csrftoken",
        "sessionid",
        "django_language",
        "cookies_preferences",
    ]
    .iter()
    .chain(&["_pk_id", "_pk_ses", "lang", "theme"])
    .map(|name| Item {
        storage: "cookie".into(),
        name: name.to_string(),
        domain: format!("portal-{site}.example.org"),
        lifetime: Some(31_449_600),
        own: true,
    })
    .collect();
    items.extend(["_ga", "_gid", "IDE", "YSC"].iter().map(|name| Item {
        storage: "cookie".into(),
        name: name.to_string(),
        domain: ".google.com".into(),
        lifetime: Some(63_072_000),
        own: false,
    }));
    if site.is_multiple_of(10) && day >= 29 {
        items.push(Item {
            storage: "local_storage".into(),
            name: "newcomer".into(),
            domain: format!("portal-{site}.example.org"),
            lifetime: None,
            own: true,
        });
    }
    let errors = ["_ga", "IDE"]
        .iter()
        .map(|c| ErrorFinding {
            kind: "undeclared".into(),
            cookie: Some(c.to_string()),
            host: None,
        })
        .collect();
    Entry {
        at: format!("2026-10-{:02}T05:17:00Z", day + 1),
        file: Some(format!("202610{:02}T051700Z.json", day + 1)),
        error: None,
        items,
        errors,
    }
}

fn digest() {
    const SITES: usize = 10_000;
    const AUDITS: usize = 30;
    let dir = scratch();
    let started = Instant::now();
    for site in 0..SITES {
        let id = portals::id(site);
        std::fs::write(dir.path().join(format!("{id}.ron")), "").expect("site file");
        let history = policydesk::audit::history::audits_dir(dir.path(), &id);
        std::fs::create_dir_all(&history).expect("history");
        let entries: Vec<Entry> = (0..AUDITS).map(|day| entry(site, day)).collect();
        index::rewrite(&history, &entries).expect("index");
    }
    let index_bytes: u64 = (0..SITES)
        .map(|s| {
            let p = policydesk::audit::history::audits_dir(dir.path(), &portals::id(s));
            std::fs::metadata(p.join(index::INDEX_FILE)).map_or(0, |m| m.len())
        })
        .sum();
    println!(
        "digest: {SITES} sites x {AUDITS} audits ({:.0} MiB of index, written in {:.1} s)",
        index_bytes as f64 / (1 << 20) as f64,
        started.elapsed().as_secs_f64()
    );
    let d = dir.path().to_str().expect("utf-8 path");
    for (what, args) in [
        (
            "newest vs the one before",
            vec!["--sites", d, "digest", "--format", "json"],
        ),
        (
            "--since 2026-10-01 (every line read)",
            vec!["--sites", d, "digest", "--since", "2026-10-01"],
        ),
    ] {
        let best = (0..3).map(|_| timed(&args).0).min().unwrap_or_default();
        println!(
            "  policydesk digest, {what}: {:.2} s (best of 3)",
            best.as_secs_f64()
        );
    }
    let out = Command::new(EXE)
        .args(["--sites", d, "digest", "--format", "json"])
        .output()
        .expect("digest");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("digest JSON");
    println!(
        "  (the digest names {} sites under {} appeared)",
        json["appeared"][0]["sites"].as_array().map_or(0, Vec::len),
        json["appeared"][0]["name"]
    );
}

fn memory() {
    let server = portal_server(Duration::ZERO);
    println!("peak RSS of audit --all (server without delay)");
    for sites in [500, 2_000, 10_000] {
        let dir = scratch();
        portals::write(dir.path(), sites, &server.url(""));
        let out: PathBuf = dir.path().join("report.json");
        let (t, rss) = timed(&[
            "--sites",
            dir.path().to_str().expect("utf-8"),
            "audit",
            "--all",
            "--format",
            "json",
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        let size = std::fs::metadata(&out).map_or(0, |m| m.len());
        println!(
            "  {sites:>6} sites: {:.1} MiB peak RSS, {:.1} s, report {:.1} MiB",
            rss as f64 / 1024.0,
            t.as_secs_f64(),
            size as f64 / (1 << 20) as f64
        );
    }
}

fn main() {
    let parts = std::env::var("MONITOR_BENCH").unwrap_or_else(|_| "split,digest,memory".into());
    if parts.contains("digest") {
        digest();
    }
    if parts.contains("memory") {
        memory();
    }
    if parts.contains("split") {
        split();
    }
}
