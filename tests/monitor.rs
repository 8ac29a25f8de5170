//! Monitoring many portals as a team would: `audit --all --shard K/N` in parts, `merge` of the
//! parts, `digest` of what changed, and the history's retention, against portals served from
//! 127.0.0.1.

mod audit_support;
mod common;
#[path = "common/portals.rs"]
mod portals;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use audit_support::{Reply, Server};
use common::{policydesk, stderr, stdout};
use serde_json::Value;

/// Portals setting the platform's session cookie; on the second version a cookie no policy
/// declares, and a shorter session.
fn portal_server(second: Arc<AtomicBool>) -> Server {
    Server::start(move |_| {
        if second.load(Ordering::SeqCst) {
            Reply::html("<p>v2</p>")
                .with("Set-Cookie", "sessionid=s; Max-Age=600; Path=/; HttpOnly")
                .with("Set-Cookie", "newcomer=1; Max-Age=600; Path=/")
        } else {
            Reply::html("<p>v1</p>").with(
                "Set-Cookie",
                "sessionid=s; Max-Age=1209600; Path=/; HttpOnly",
            )
        }
    })
}

fn run(sites: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--sites", sites.to_str().unwrap()];
    all.extend_from_slice(args);
    policydesk(&all)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn ids(report: &Value) -> Vec<String> {
    report["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["site"].as_str().unwrap().to_string())
        .collect()
}

/// The report's text with its `generated_at` line blanked: the one value two runs differ in.
fn without_time(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("  \"generated_at\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn shards_are_disjoint_balanced_and_cover_every_site_for_1_to_7_parts() {
    let server = portal_server(Arc::default());
    let sites = tempfile::tempdir().unwrap();
    portals::write(sites.path(), 11, &server.url(""));
    let all: BTreeSet<String> = (0..11).map(portals::id).collect();
    let out_dir = tempfile::tempdir().unwrap();
    for n in 1..=7 {
        let mut seen = BTreeSet::new();
        let mut sizes = Vec::new();
        for k in 1..=n {
            let out = out_dir.path().join(format!("{k}-{n}.json"));
            let shard = format!("{k}/{n}");
            let res = audit_to(sites.path(), &out, &["--shard", &shard]);
            assert!(
                res.status.code().is_some_and(|c| c <= 1),
                "{}",
                stderr(&res)
            );
            let part = ids(&read_json(&out));
            assert!(part.is_sorted(), "{shard}: {part:?}");
            for id in &part {
                assert!(seen.insert(id.clone()), "{id} in two parts of {n}");
            }
            sizes.push(part.len());
        }
        assert_eq!(seen, all, "{n} parts do not cover every site");
        let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(max - min <= 1, "{n} parts unbalanced: {sizes:?}");
    }
    // The same part twice names the same sites.
    let again = out_dir.path().join("again.json");
    run(
        sites.path(),
        &[
            "audit",
            "--engine",
            "http",
            "--all",
            "--shard",
            "2/3",
            "--format",
            "json",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(
        ids(&read_json(&again)),
        ids(&read_json(&out_dir.path().join("2-3.json")))
    );
}

/// Two identical sites folders (each with its own history), 9 portals.
fn twin_folders(server: &Server) -> (tempfile::TempDir, tempfile::TempDir) {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    portals::write(a.path(), 9, &server.url(""));
    portals::write(b.path(), 9, &server.url(""));
    (a, b)
}

fn audit_to(sites: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "audit",
        "--engine",
        "http",
        "--all",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(sites, &args)
}

#[test]
fn merged_shards_equal_one_audit_of_every_site() {
    let server = portal_server(Arc::default());
    let (single_dir, shard_dir) = twin_folders(&server);
    let out = tempfile::tempdir().unwrap();
    let single = out.path().join("single.json");
    audit_to(single_dir.path(), &single, &[]);
    let mut parts = Vec::new();
    for k in 1..=3 {
        let part = out.path().join(format!("part-{k}.json"));
        audit_to(shard_dir.path(), &part, &["--shard", &format!("{k}/3")]);
        parts.push(part);
    }
    let merged = out.path().join("merged.json");
    // Given in any order.
    let res = policydesk(&[
        "merge",
        parts[2].to_str().unwrap(),
        parts[0].to_str().unwrap(),
        parts[1].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(0), "{}", stderr(&res));
    let (single_text, merged_text) = (
        std::fs::read_to_string(&single).unwrap(),
        std::fs::read_to_string(&merged).unwrap(),
    );
    assert_eq!(ids(&read_json(&merged)).len(), 9);
    assert_eq!(without_time(&merged_text), without_time(&single_text));
    // The merged report's time is the last part's.
    let times: Vec<Value> = parts
        .iter()
        .map(|p| read_json(p)["generated_at"].clone())
        .collect();
    assert_eq!(
        &read_json(&merged)["generated_at"],
        times
            .iter()
            .max_by_key(|t| t.as_str().unwrap().to_string())
            .unwrap()
    );
}

#[test]
fn merge_keeps_fields_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let report = |sites: &str| {
        format!(
            r#"{{"tool":"PolicyDesk","version":"{version}","generated_at":"2026-11-24T10:00:00Z","sites":[{sites}]}}"#
        )
    };
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    std::fs::write(&a, report(r#"{"site":"z","observed":[{"name":"k","storage":"local_storage","phases":["before_consent"]}]}"#)).unwrap();
    std::fs::write(&b, report(r#"{"site":"m","future":{"x":[1,2.5,null]}}"#)).unwrap();
    let res = policydesk(&["merge", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(0), "{}", stderr(&res));
    let merged: Value = serde_json::from_str(&stdout(&res)).unwrap();
    assert_eq!(ids(&merged), ["m", "z"]);
    assert_eq!(
        merged["sites"][0]["future"]["x"],
        serde_json::json!([1, 2.5, null])
    );
    assert_eq!(
        merged["sites"][1]["observed"][0]["storage"],
        "local_storage"
    );
    assert_eq!(
        merged["sites"][1]["observed"][0]["phases"][0],
        "before_consent"
    );
}

#[test]
fn merge_refuses_overlaps_other_versions_and_damaged_reports_naming_the_file() {
    let server = portal_server(Arc::default());
    let sites = tempfile::tempdir().unwrap();
    portals::write(sites.path(), 4, &server.url(""));
    let out = tempfile::tempdir().unwrap();
    let p = |name: &str| out.path().join(name);
    audit_to(sites.path(), &p("1.json"), &["--shard", "1/2"]);
    audit_to(sites.path(), &p("2.json"), &["--shard", "2/2"]);
    audit_to(sites.path(), &p("all.json"), &[]);
    let merge = |files: &[&str]| {
        let paths: Vec<String> = files.iter().map(|f| p(f).display().to_string()).collect();
        let mut args = vec!["merge".to_string()];
        args.extend(paths);
        args.extend(["--out".into(), p("merged.json").display().to_string()]);
        let res = policydesk(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(res.status.code(), Some(2), "{files:?} merged");
        stderr(&res)
    };

    let overlap = merge(&["1.json", "all.json"]);
    assert!(overlap.contains("in both"), "{overlap}");
    assert!(
        overlap.contains(&p("all.json").display().to_string()),
        "{overlap}"
    );

    let mut other: Value = read_json(&p("2.json"));
    other["version"] = "0.0.1".into();
    std::fs::write(p("old.json"), serde_json::to_string_pretty(&other).unwrap()).unwrap();
    let versions = merge(&["1.json", "old.json"]);
    assert!(
        versions.contains("0.0.1") && versions.contains("old.json"),
        "{versions}"
    );
    assert!(versions.contains("one version"), "{versions}");

    let text = std::fs::read_to_string(p("2.json")).unwrap();
    std::fs::write(p("cut.json"), &text[..text.len() / 2]).unwrap();
    let damaged = merge(&["1.json", "cut.json"]);
    assert!(damaged.contains("cut.json:"), "{damaged}");
    assert!(damaged.contains("not a complete audit report"), "{damaged}");

    std::fs::write(
        p("other.json"),
        r#"{"tool":"Other","version":"1","generated_at":"x","sites":[]}"#,
    )
    .unwrap();
    assert!(merge(&["1.json", "other.json"]).contains("other.json"));
    assert!(!p("merged.json").exists(), "a refused merge writes nothing");
}

#[test]
fn the_digest_names_a_new_cookie_once_with_all_its_sites() {
    let second = Arc::new(AtomicBool::new(false));
    let server = portal_server(second.clone());
    let sites = tempfile::tempdir().unwrap();
    portals::write(sites.path(), 6, &server.url(""));
    // A seventh portal that answers the first time only.
    let gone = Server::start(|_| Reply::html("<p>up</p>"));
    let mut site_text =
        std::fs::read_to_string(sites.path().join(format!("{}.ron", portals::id(0)))).unwrap();
    site_text = site_text.replace(&server.url("/portal-0/"), &gone.url("/portal-x/"));
    let flaky = "flaky.example.org";
    std::fs::write(sites.path().join(format!("{flaky}.ron")), site_text).unwrap();
    let out = tempfile::tempdir().unwrap();
    audit_to(sites.path(), &out.path().join("1.json"), &[]);
    drop(gone);
    second.store(true, Ordering::SeqCst);
    audit_to(sites.path(), &out.path().join("2.json"), &[]);

    let res = run(sites.path(), &["digest", "--format", "json"]);
    assert_eq!(
        res.status.code(),
        Some(1),
        "new errors exit 1: {}",
        stderr(&res)
    );
    let d: Value = serde_json::from_str(&stdout(&res)).unwrap();
    let all: Vec<String> = (0..6).map(portals::id).collect();
    let appeared = d["appeared"].as_array().unwrap();
    assert_eq!(appeared.len(), 1, "{appeared:#?}");
    assert_eq!(appeared[0]["name"], "newcomer");
    assert_eq!(appeared[0]["storage"], "cookie");
    assert_eq!(appeared[0]["sites"], serde_json::json!(all));
    let lifetimes = d["lifetime_changed"].as_array().unwrap();
    assert_eq!(lifetimes.len(), 1);
    assert_eq!(
        (
            lifetimes[0]["before"].as_u64(),
            lifetimes[0]["after"].as_u64()
        ),
        (Some(1_209_600), Some(600))
    );
    let new_errors = d["new_errors"].as_array().unwrap();
    assert!(
        new_errors.iter().any(|g| g["cookie"] == "newcomer"
            && g["kind"] == "undeclared"
            && g["sites"] == serde_json::json!(all)),
        "{new_errors:#?}"
    );
    assert_eq!(d["not_audited"].as_array().unwrap().len(), 1);
    assert_eq!(d["not_audited"][0]["site"], flaky);
    assert_eq!(d["sites_compared"], 6, "{d:#}");

    // Markdown: one line for the cookie, naming all six sites.
    let md = stdout(&run(sites.path(), &["digest"]));
    let lines: Vec<&str> = md.lines().filter(|l| l.contains("`newcomer`")).collect();
    assert_eq!(lines.len(), 2, "appeared + new error:\n{md}");
    for line in lines {
        for id in &all {
            assert!(line.contains(id.as_str()), "{line}");
        }
    }
    assert!(
        md.contains("## Could not be audited (1)") && md.contains(flaky),
        "{md}"
    );

    // Since before the first audit: every site is audited for the first time (the flaky one
    // too, once, before it went down), nothing is compared.
    let since = run(
        sites.path(),
        &["digest", "--since", "2000-01-01", "--format", "json"],
    );
    let d: Value = serde_json::from_str(&stdout(&since)).unwrap();
    assert_eq!(d["first_audits"].as_array().unwrap().len(), 7);
    assert_eq!(d["not_audited"][0]["site"], flaky);
    assert!(d["appeared"].as_array().unwrap().is_empty());
    // Since a moment to come: nothing.
    let none = run(sites.path(), &["digest", "--since", "2999-01-01"]);
    assert_eq!(none.status.code(), Some(0));
    assert!(stdout(&none).contains("No change."), "{}", stdout(&none));
    let bad = run(sites.path(), &["digest", "--since", "last tuesday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("last tuesday"), "{}", stderr(&bad));
}

#[test]
fn retention_keeps_exactly_the_newest_audits_it_says() {
    let server = portal_server(Arc::default());
    let sites = tempfile::tempdir().unwrap();
    portals::write(sites.path(), 1, &server.url(""));
    let id = portals::id(0);
    let history = sites.path().join(".audits").join(&id);
    let mut created = Vec::new();
    for _ in 0..5 {
        let before: BTreeSet<_> = std::fs::read_dir(&history)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        let res = run(
            sites.path(),
            &[
                "audit", &id, "--engine", "http", "--keep", "3", "--format", "json",
            ],
        );
        assert!(
            res.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&res)
        );
        let after: BTreeSet<_> = std::fs::read_dir(&history)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        created.extend(
            after
                .difference(&before)
                .filter(|n| n.to_string_lossy().ends_with(".json"))
                .cloned(),
        );
    }
    assert_eq!(created.len(), 5, "each audit gets a file of its own");
    let files = policydesk::audit::history::audit_files(sites.path(), &id);
    let names: Vec<_> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_owned())
        .collect();
    assert_eq!(names, created[2..], "the newest three are kept");
    let index = std::fs::read_to_string(history.join("index.jsonl")).unwrap();
    assert_eq!(index.lines().count(), 3, "{index}");
    // The newest audit is still what the next one is compared with.
    let res = run(
        sites.path(),
        &[
            "audit", &id, "--engine", "http", "--format", "json", "--keep", "3",
        ],
    );
    let report: Value = serde_json::from_str(&stdout(&res)).unwrap();
    let newest = read_json(files.last().unwrap());
    assert_eq!(
        report["sites"][0]["changes"]["since"],
        newest["generated_at"]
    );

    // By age: audits older than the limit go, but never the newest.
    use policydesk::audit::history::{Retention, save};
    use time::format_description::well_known::Rfc3339;
    let old_site = "old.example.org";
    let site =
        serde_json::json!({"site": old_site, "url": "https://old.example.org/", "error": null});
    let text = serde_json::to_string(&site).unwrap();
    let keep_all = Retention {
        keep: 100,
        max_age: None,
    };
    for day in ["2020-01-01", "2020-01-02", "2020-01-03"] {
        let at = time::OffsetDateTime::parse(&format!("{day}T00:00:00Z"), &Rfc3339).unwrap();
        save(sites.path(), old_site, &text, at, &keep_all).unwrap();
    }
    std::fs::copy(
        sites.path().join(format!("{id}.ron")),
        sites.path().join(format!("{old_site}.ron")),
    )
    .unwrap();
    let by_age = Retention {
        keep: 100,
        max_age: Some(time::Duration::days(30)),
    };
    save(
        sites.path(),
        old_site,
        &text,
        time::OffsetDateTime::now_utc(),
        &by_age,
    )
    .unwrap();
    assert_eq!(
        policydesk::audit::history::audit_files(sites.path(), old_site).len(),
        1
    );
}

#[test]
fn audits_of_one_site_at_one_moment_never_overwrite_each_other() {
    use policydesk::audit::history::{Retention, audit_files, save};
    let sites = tempfile::tempdir().unwrap();
    let at = time::OffsetDateTime::now_utc();
    let keep = Retention {
        keep: 1000,
        max_age: None,
    };
    std::thread::scope(|s| {
        for t in 0..4 {
            let (sites, keep) = (sites.path(), &keep);
            s.spawn(move || {
                for i in 0..10 {
                    let text = format!(
                        r#"{{"site":"a.org","url":"https://a.org/","error":null,"n":{}}}"#,
                        t * 10 + i
                    );
                    save(sites, "a.org", &text, at, keep).unwrap();
                }
            });
        }
    });
    let files = audit_files(sites.path(), "a.org");
    assert_eq!(files.len(), 40);
    let mut seen: Vec<u64> = files
        .iter()
        .map(|f| read_json(f)["sites"][0]["n"].as_u64().unwrap())
        .collect();
    seen.sort();
    assert_eq!(seen, (0..40).collect::<Vec<_>>());
    let index = std::fs::read_to_string(sites.path().join(".audits/a.org/index.jsonl")).unwrap();
    assert_eq!(index.lines().count(), 40);
}
