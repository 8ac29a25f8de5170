//! Loading and checking many site files: `cargo bench --bench core`.
//!
//! Writes N site files of 40 cookies each (4 platform rows and 36 own declarations, both
//! languages) into a temporary folder, then times `load_sites` + `check_workspace` over them,
//! best of several runs, for N = 1,000 and 10,000 to show the growth.

#[path = "support/portal_sites.rs"]
mod portal_sites;

use std::time::{Duration, Instant};

use portal_sites::{texts, write_sites};

use policydesk::check::check_workspace;
use policydesk::model::duration::MONTH;
use policydesk::model::{Category, CookieDecl, CookieEntry, DurationValue, MatchKind};
use policydesk::store::load_sites;

fn own_cookie(i: usize) -> CookieEntry {
    let months = 1 + (i % 13) as u64;
    CookieEntry::Own(CookieDecl {
        matching: if i.is_multiple_of(9) {
            MatchKind::Prefix
        } else {
            MatchKind::Exact
        },
        category: [
            Category::Statistics,
            Category::Preferences,
            Category::Marketing,
        ][i % 3],
        duration: policydesk::model::Duration {
            text: texts(format!("{months} months"), format!("{months} mois")),
            value: DurationValue::Seconds(months * MONTH),
        },
        ..portal_sites::own_cookie(i)
    })
}

fn best_of(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut out = 0;
    for _ in 0..runs {
        let start = Instant::now();
        out = f();
        best = best.min(start.elapsed());
    }
    (best, out)
}

fn main() {
    let mut results = Vec::new();
    for n in [1_000, 10_000] {
        let dir = tempfile::tempdir().expect("tmp");
        write_sites(dir.path(), n, own_cookie, false);
        let (time, findings) = best_of(5, || {
            let ws = load_sites(dir.path());
            assert_eq!(ws.sites.len(), n, "{:?}", ws.errors.first());
            check_workspace(&ws).len()
        });
        let ws = load_sites(dir.path());
        let (check_time, _) = best_of(5, || check_workspace(&ws).len());
        println!(
            "load + check {n:>6} sites x 40 cookies: {:>8.1} ms ({findings} findings; the checks \
             alone {:.1} ms)",
            time.as_secs_f64() * 1e3,
            check_time.as_secs_f64() * 1e3
        );
        results.push(time);
    }
    println!(
        "growth for 10x the sites: {:.2}x the time",
        results[1].as_secs_f64() / results[0].as_secs_f64()
    );
}
