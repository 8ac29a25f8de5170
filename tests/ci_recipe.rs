//! The CI recipe of examples/ci as its jobs run it: `policydesk-ci.sh shard K N` in separate
//! job folders (each with the history restored from the cache), the reports gathered as
//! artifacts, then `policydesk-ci.sh finish`, whose history becomes the next run's cache. Against
//! portals on 127.0.0.1, with the built program. (Installing Chromium and building are the CI
//! machine's steps, not run here.)

mod audit_support;
#[path = "common/portals.rs"]
mod portals;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use audit_support::{Reply, Server};

const SHARDS: usize = 3;
const PORTALS: usize = 5;

fn recipe() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs a step of the script in the job folder `job`; its exit code and output.
fn step(job: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new("sh")
        .arg(recipe().join("policydesk-ci.sh"))
        .args(args)
        .current_dir(job)
        .env("POLICYDESK", env!("CARGO_BIN_EXE_policydesk"))
        .env("HISTORY_ARGS", "--keep 90")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

/// One scheduled run: the checkout `repo` with the history `cache`; returns the final job's
/// exit code and folder, and leaves the new history in `cache`.
fn scheduled_run(repo: &Path, cache: &Path, work: &Path) -> (Option<i32>, String, PathBuf) {
    let restore = |job: &Path| {
        copy_dir(repo, job);
        if cache.exists() {
            copy_dir(cache, &job.join("sites/.audits"));
        }
    };
    let final_job = work.join("report");
    std::fs::create_dir_all(final_job.join("reports")).unwrap();
    for k in 1..=SHARDS {
        let job = work.join(format!("audit-{k}"));
        restore(&job);
        let (code, out) = step(&job, &["shard", &k.to_string(), &SHARDS.to_string()]);
        assert_eq!(code, Some(0), "shard {k}: {out}");
        // The artifact, downloaded into the final job.
        let name = format!("shard-{k}-of-{SHARDS}.json");
        std::fs::copy(
            job.join("reports").join(&name),
            final_job.join("reports").join(&name),
        )
        .unwrap();
    }
    restore(&final_job);
    let (code, out) = step(&final_job, &["finish"]);
    // The cache saved at the end of the final job.
    let _ = std::fs::remove_dir_all(cache);
    copy_dir(&final_job.join("sites/.audits"), cache);
    (code, out, final_job)
}

#[test]
fn the_recipe_audits_in_parts_merges_and_fails_on_new_errors() {
    let second = Arc::new(AtomicBool::new(false));
    let flag = second.clone();
    let server = Server::start(move |_| {
        let reply = Reply::html("<p>portal</p>").with(
            "Set-Cookie",
            "sessionid=s; Max-Age=1209600; Path=/; HttpOnly",
        );
        if flag.load(Ordering::SeqCst) {
            reply.with("Set-Cookie", "newcomer=1; Max-Age=600; Path=/")
        } else {
            reply
        }
    });
    let root = tempfile::tempdir().unwrap();
    let repo = root.path().join("repo");
    portals::write(&repo.join("sites"), PORTALS, &server.url(""));
    let cache = root.path().join("cache");
    let ids: Vec<String> = (0..PORTALS).map(portals::id).collect();

    let (code, out, job) = scheduled_run(&repo, &cache, &root.path().join("run-1"));
    assert_eq!(code, Some(0), "the first run has no new error:\n{out}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(job.join("out/report.json")).unwrap())
            .unwrap();
    let sites: Vec<&str> = report["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["site"].as_str().unwrap())
        .collect();
    assert_eq!(sites, ids, "every portal once, in id order");
    let digest = std::fs::read_to_string(job.join("out/digest.md")).unwrap();
    assert!(
        digest.contains("## Audited for the first time (1)"),
        "{digest}"
    );

    second.store(true, Ordering::SeqCst);
    let (code, out, job) = scheduled_run(&repo, &cache, &root.path().join("run-2"));
    assert_eq!(code, Some(1), "new errors fail the run:\n{out}");
    assert!(out.contains("new errors since the last audit"), "{out}");
    let digest = std::fs::read_to_string(job.join("out/digest.md")).unwrap();
    let appeared: Vec<&str> = digest
        .lines()
        .filter(|l| l.starts_with("- cookie `newcomer`"))
        .collect();
    assert_eq!(appeared.len(), 1, "{digest}");
    assert!(
        ids.iter().all(|id| appeared[0].contains(id.as_str())),
        "{digest}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(job.join("out/digest.json")).unwrap())
            .unwrap();
    assert_eq!(json["new_errors"][0]["cookie"], "newcomer");
    // The history kept both runs of every portal.
    for id in &ids {
        let kept = std::fs::read_dir(cache.join(id))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
            .count();
        assert_eq!(kept, 2, "{id}");
    }
}

#[test]
fn the_workflows_call_the_tested_steps() {
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(recipe().join(file)).unwrap();
        for needed in [
            "policydesk-ci.sh build",
            "policydesk-ci.sh install-chromium",
            "policydesk-ci.sh shard",
            "policydesk-ci.sh finish",
            "sites/.audits",
        ] {
            assert!(text.contains(needed), "{file} lacks {needed:?}");
        }
        // No shell step of its own beyond calling the script.
        for line in text.lines().map(str::trim) {
            if let Some(cmd) = line.strip_prefix("- run:").or(line.strip_prefix("run:")) {
                assert!(
                    cmd.trim().starts_with("sh examples/ci/policydesk-ci.sh"),
                    "{file}: {line}"
                );
            }
        }
    }
    let github = std::fs::read_to_string(recipe().join("github-actions.yml")).unwrap();
    assert!(github.contains("schedule:") && github.contains("shard: [1, 2, 3, 4]"));
    assert!(github.contains("SHARDS: 4"), "the matrix and SHARDS agree");
}
