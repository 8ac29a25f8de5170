//! The browser engine as a user meets it: the README's example with `--engine browser` against
//! a stand-in portal, `auto` without a browser, and a browser that crashes mid-audit (each of
//! these starts a browser of its own).

mod audit_support;
mod browser_support;
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use audit_support::{Reply, Server, policy_html};
use browser_support::browser_or_skip;
use common::{copy_of_sites, stderr, stdout};
use policydesk::audit::browser::{Phase, Session};
use policydesk::audit::{AuditOptions, Cancel, EngineChoice, audit_with};
use serde_json::Value;

fn policydesk_with(env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_policydesk"));
    command.args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run policydesk")
}

/// A faithful stand-in of dashboard.paris: the platform cookies by header, a tarteaucitron
/// banner whose choice sets the consent cookie, and the policy page as the site file renders it.
fn stand_in_portal(sites: &std::path::Path) -> Server {
    let policy = policy_html(sites, "dashboard.paris", "fr");
    Server::start(move |path| {
        if path.starts_with("/terms/cookies-policy") {
            return Reply::html(&policy);
        }
        Reply::html(
            r#"<!doctype html><html lang="fr"><body><h1>Paris Data</h1>
            <div id="tarteaucitronRoot"><div id="tarteaucitronAlertBig">
            <p>Ce site utilise des cookies.</p>
            <button id="tarteaucitronPersonalize2" onclick="choose('all')">Tout accepter</button>
            <button id="tarteaucitronAllDenied2" onclick="choose('none')">Tout refuser</button>
            </div></div>
            <script>
              function choose(v) {
                document.cookie = "cookies_preferences=" + v + "; max-age=15778476; path=/";
                document.getElementById("tarteaucitronRoot").remove();
              }
            </script></body></html>"#,
        )
        .with(
            "Set-Cookie",
            "csrftoken=t0k3n; Max-Age=31449600; Path=/; SameSite=Lax",
        )
        .with(
            "Set-Cookie",
            "sessionid=s3ss; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax",
        )
        .with("Set-Cookie", "django_language=fr; Max-Age=31536000; Path=/")
    })
}

#[test]
fn the_readme_example_with_the_browser_gives_phases_screenshots_and_no_false_alarm() {
    let Some(browser) = browser_or_skip("the_readme_example_with_the_browser") else {
        return;
    };
    let sites = copy_of_sites();
    let server = stand_in_portal(sites.path());
    let dir = sites.path().to_str().unwrap();
    let out = policydesk_with(
        &[("POLICYDESK_BROWSER", browser.to_str().unwrap())],
        &[
            "--sites",
            dir,
            "audit",
            "dashboard.paris",
            "--url",
            &server.url("/"),
            "--engine",
            "browser",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    let site = &json["sites"][0];
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{:#}",
        stderr(&out),
        site["findings"]
    );
    assert_eq!(site["engine"], "browser");
    assert!(site["error"].is_null(), "{}", site["error"]);
    let phases = site["phases"].as_array().unwrap();
    let names: Vec<&str> = phases.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["first_visit", "after_reject", "after_accept"]);
    let audits = sites.path().join(".audits").join("dashboard.paris");
    for (phase, clicked) in phases
        .iter()
        .zip([Value::Null, "reject".into(), "accept".into()])
    {
        assert_eq!(phase["banner"]["found"], true, "{phase:#}");
        assert_eq!(phase["banner"]["clicked"], clicked, "{phase:#}");
        assert!(
            phase["banner"]["how"]
                .as_str()
                .unwrap()
                .starts_with("tarteaucitron")
        );
        let shot = audits.join(phase["screenshot"].as_str().expect("a screenshot"));
        let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("{}: {e}", shot.display()));
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", shot.display());
    }
    // The consent cookie appears only once a choice is made; the platform cookies always.
    let observed = site["observed"].as_array().unwrap();
    let phases_of = |name: &str| -> Vec<&str> {
        observed
            .iter()
            .find(|o| o["name"] == name)
            .map(|o| {
                o["phases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        phases_of("cookies_preferences"),
        ["after_reject", "after_accept"]
    );
    assert_eq!(
        phases_of("sessionid"),
        ["first_visit", "after_reject", "after_accept"]
    );
    let session = observed.iter().find(|o| o["name"] == "sessionid").unwrap();
    assert_eq!(session["source"], "header");
    assert_eq!(session["storage"], "cookie");
    assert_eq!(session["lifetime_seconds"], 1_209_600);
    // No warning or error: a faithful portal is clean, in every phase.
    let loud: Vec<&Value> = site["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
    // The bundle keeps the phases and their screenshots: audit.html shows them.
    let bundle = tempfile::tempdir().unwrap();
    let out_dir = bundle.path().join("out");
    let export = policydesk_with(
        &[],
        &[
            "--sites",
            dir,
            "export",
            "--all",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let page = std::fs::read_to_string(out_dir.join("dashboard.paris/audit.html")).unwrap();
    assert!(page.contains("a real browser (Chromium)"), "{page}");
    for phase in phases {
        let shot = phase["screenshot"].as_str().unwrap();
        assert!(
            page.contains(&format!("<img src=\"{shot}\"")),
            "{shot} in {page}"
        );
        let copied = std::fs::read(out_dir.join("dashboard.paris").join(shot)).unwrap();
        assert!(copied.starts_with(b"\x89PNG"));
    }
    assert!(page.contains("tarteaucitron: accept #tarteaucitronPersonalize2"));
    // Every finding says which phase it concerns, or null.
    assert!(
        site["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.get("phase").is_some())
    );
}

#[test]
fn auto_without_a_browser_audits_over_http_and_says_so() {
    let sites = copy_of_sites();
    let server = stand_in_portal(sites.path());
    let dir = sites.path().to_str().unwrap();
    let url = server.url("/");
    let args = |engine: &'static str| {
        vec![
            "--sites",
            dir,
            "audit",
            "dashboard.paris",
            "--url",
            &url,
            "--engine",
            engine,
            "--format",
            "json",
        ]
    };
    let missing = [("POLICYDESK_BROWSER", "/nonexistent/chromium")];
    let out = policydesk_with(&missing, &args("auto"));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let site = &json["sites"][0];
    assert_eq!(site["engine"], "http");
    let note = site["notes"][0].as_str().unwrap_or_default();
    assert!(note.contains("without a browser"), "{note}");
    assert!(note.contains("/nonexistent/chromium"), "{note}");

    let out = policydesk_with(&missing, &args("browser"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("POLICYDESK_BROWSER=/nonexistent/chromium"),
        "{}",
        stderr(&out)
    );
}

/// Every live process as (pid, parent pid, process group, its `stat` line); zombies left out.
fn processes() -> Vec<(u32, u32, u32, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp …; comm may hold spaces, so read after its `)`.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let number = |i: usize| fields.get(i).and_then(|f| f.parse().ok());
        if let (Some(ppid), Some(pgrp)) = (number(1), number(2))
            && fields.first() != Some(&"Z")
        {
            found.push((pid, ppid, pgrp, stat.clone()));
        }
    }
    found
}

/// Processes still in process group `group`.
fn group_members(group: u32) -> Vec<String> {
    processes()
        .into_iter()
        .filter(|p| p.2 == group)
        .map(|p| p.3)
        .collect()
}

#[test]
fn a_browser_that_crashes_mid_audit_fails_the_site_and_leaves_nothing_running() {
    let Some(browser) = browser_or_skip("a_browser_that_crashes_mid_audit") else {
        return;
    };
    // A browser that is killed 4 s after it starts: its whole process group (the one the audit
    // started it in), so that a browser behind a wrapper script of its own dies too.
    let dir = tempfile::tempdir().unwrap();
    let wrapper = executable_script(
        &dir.path().join("crashing-chromium"),
        &format!(
            "#!/bin/sh\n\"{}\" \"$@\" &\nsleep 4\nkill -s KILL 0\n",
            browser.display()
        ),
    );
    // A page that never settles keeps the audit busy when the browser dies.
    let server = never_settling_page();
    let ws = browser_support::bundled();
    let target = browser_support::target(&ws, &server.url("/"), vec![]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let options = AuditOptions {
        engine: EngineChoice::Browser,
        phases: Phase::ALL.to_vec(),
        idle: Duration::from_secs(20),
        ..AuditOptions::default()
    }
    .with_timeout(Duration::from_secs(30));
    let start = Instant::now();
    let (report, group) = runtime.block_on(async {
        let session = Session::launch(&wrapper).await.expect("the wrapper starts");
        let group = session.pid();
        let report = audit_with(Some(&session), &[target], &options, &|_| {}, &Cancel::new())
            .await
            .expect("the audit returns");
        assert!(!session.is_alive());
        drop(session);
        (report, group)
    });
    let took = start.elapsed();
    assert!(took < Duration::from_secs(25), "took {took:?}");
    let site = &report.sites[0];
    let error = site.error.as_deref().unwrap_or_default();
    assert!(error.contains("browser ended unexpectedly"), "{error}");
    assert_eq!(site.phases.len(), 3);
    assert!(
        site.phases.iter().all(|p| p.error.is_some()),
        "{:#?}",
        site.phases
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(group_members(group), Vec::<String>::new());
}

/// A server whose page fetches `/ping` every 100 ms, each answered after 300 ms: the page never
/// settles.
fn never_settling_page() -> Server {
    Server::start(|path| {
        if path.starts_with("/ping") {
            Reply::Delayed(Duration::from_millis(300), Box::new(Reply::html("pong")))
        } else {
            Reply::html(
                r#"<script>setInterval(() => fetch("/ping?" + Math.random()), 100);</script>"#,
            )
        }
    })
}

/// Writes an executable shell script.
fn executable_script(path: &std::path::Path, text: &str) -> PathBuf {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.to_path_buf()
}

/// The pids of processes whose parent is `parent`.
fn children_of(parent: u32) -> Vec<u32> {
    processes()
        .into_iter()
        .filter(|p| p.1 == parent)
        .map(|p| p.0)
        .collect()
}

#[test]
fn an_audit_killed_outright_takes_its_browser_with_it() {
    let Some(browser) = browser_or_skip("an_audit_killed_outright") else {
        return;
    };
    // A page that never settles: the audit is still running when it is killed. The browser is
    // started by a wrapper script that does not `exec` it (as Debian's chromium-headless-shell
    // is), so the browser itself is a grandchild of the audit.
    let server = never_settling_page();
    let sites = copy_of_sites();
    let dir = tempfile::tempdir().unwrap();
    let browser = executable_script(
        &dir.path().join("wrapped-chromium"),
        &format!("#!/bin/sh\n\"{}\" \"$@\"\n", browser.display()),
    );
    let mut audit = std::process::Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .args([
            "--sites",
            sites.path().to_str().unwrap(),
            "audit",
            "dashboard.paris",
        ])
        .args([
            "--url",
            &server.url("/"),
            "--engine",
            "browser",
            "--idle",
            "20",
        ])
        .arg("--browser")
        .arg(&browser)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run policydesk");
    // Wait until the browser's renderers run (its group has grown past the wrapper and the
    // browser), then kill the audit: no destructor runs.
    let start = Instant::now();
    let group_of = |pid: u32| processes().iter().find(|p| p.0 == pid).map(|p| p.2);
    let in_groups = |groups: &[u32]| -> Vec<u32> {
        processes()
            .iter()
            .filter(|p| groups.contains(&p.2))
            .map(|p| p.0)
            .collect()
    };
    let groups: Vec<u32> = loop {
        let groups: Vec<u32> = children_of(audit.id())
            .into_iter()
            .filter_map(group_of)
            .collect();
        if in_groups(&groups).len() > 3 {
            break groups;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no browser started"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_secs(1));
    audit.kill().expect("SIGKILL the audit");
    let _ = audit.wait();
    let start = Instant::now();
    while !in_groups(&groups).is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let left = in_groups(&groups);
    for group in &groups {
        // Clean up before failing, so that a failure leaves nothing running either.
        let group = format!("-{group}");
        let _ = std::process::Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .status();
    }
    assert!(
        left.is_empty(),
        "browser processes outlived the killed audit: {left:?}"
    );
}
