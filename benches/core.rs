//! Loading and checking many site files: `cargo bench --bench core`.
//!
//! Writes N site files of 40 cookies each (4 platform rows and 36 own declarations, both
//! languages) into a temporary folder, then times `load_sites` + `check_workspace` over them,
//! best of several runs, for N = 1,000 and 10,000 to show the growth.

use std::time::{Duration, Instant};

use policydesk::check::check_workspace;
use policydesk::model::duration::MONTH;
use policydesk::model::{Category, CookieDecl, CookieEntry, DurationValue, MatchKind, Site};
use policydesk::store::save::site_text;
use policydesk::store::{load_sites, site_path};

fn texts(en: String, fr: String) -> policydesk::model::Texts {
    [("en".to_string(), en), ("fr".to_string(), fr)].into()
}

fn own_cookie(i: usize) -> CookieEntry {
    let months = 1 + (i % 13) as u64;
    CookieEntry::Own(CookieDecl {
        name: format!("cookie_{i}"),
        matching: if i.is_multiple_of(9) {
            MatchKind::Prefix
        } else {
            MatchKind::Exact
        },
        provider: format!("Provider {}", i % 7),
        category: [
            Category::Statistics,
            Category::Preferences,
            Category::Marketing,
        ][i % 3],
        location: texts(
            format!("Widget number {i} on the home page"),
            format!("Le widget numéro {i} de la page d'accueil"),
        ),
        purpose: texts(
            format!("Remembers the state of widget {i} for the visitor"),
            format!("Mémorise l'état du widget {i} pour le visiteur"),
        ),
        duration: policydesk::model::Duration {
            text: texts(format!("{months} months"), format!("{months} mois")),
            value: DurationValue::Seconds(months * MONTH),
        },
        ..Default::default()
    })
}

fn write_sites(dir: &std::path::Path, n: usize) {
    let bundled = load_sites(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sites"
    )));
    let template: Site = bundled
        .site("dashboard.paris")
        .expect("bundled site")
        .site
        .clone();
    std::fs::create_dir_all(dir.join("platforms")).expect("mkdir");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sites/platforms/opendatasoft.ron"
        ),
        dir.join("platforms/opendatasoft.ron"),
    )
    .expect("copy platform");
    for s in 0..n {
        let mut site = template.clone();
        site.name = format!("Portal {s}");
        site.cookies.extend((0..36).map(|i| own_cookie(s * 3 + i)));
        let id = format!("portal-{s:05}.example.org");
        std::fs::write(site_path(dir, &id), site_text(&site).expect("serialize")).expect("write");
    }
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
        write_sites(dir.path(), n);
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
