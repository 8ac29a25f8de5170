//! `diff` of two exports of 1,000 sites of 40 cookies in two languages, 100 of them edited in
//! between (a cookie's duration, a sentence): reading each side (zip and folder, manifest
//! checked) and comparing. Run with `cargo bench --bench changes`.

#[path = "../tests/common/many_sites.rs"]
mod many_sites;

use std::time::Instant;

use policydesk::changes::{Filter, Snapshot, compare, report};
use policydesk::export::{self, Options};
use policydesk::store;

const SITES: usize = 1000;
const COOKIES: usize = 40;
const EDITED: usize = 100;

fn export_to(sites: &std::path::Path, out: &std::path::Path, zip: bool) {
    let ws = store::load_sites(sites);
    assert!(ws.errors.is_empty(), "{:?}", ws.errors);
    let ids: Vec<String> = ws.sites.iter().map(|s| s.site.id.clone()).collect();
    let options = Options::new(zip, false).expect("options");
    export::export(&ws, &ids, out, &options, &|_, _| {}).expect("export");
}

fn main() {
    let temp = tempfile::tempdir().expect("temp dir");
    let sites = temp.path().join("sites");
    many_sites::write(&sites, SITES, COOKIES);
    let (old_zip, old_folder) = (temp.path().join("old.zip"), temp.path().join("old"));
    export_to(&sites, &old_zip, true);
    export_to(&sites, &old_folder, false);

    // Edit EDITED sites: the first cookie's English text and the sites' version.
    let mut paths = store::load::files_with_extension(&sites, "ron");
    paths.truncate(EDITED);
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("site file");
        let edited = text.replacen("\"en\": \"", "\"en\": \"Now: ", 1);
        assert_ne!(
            edited,
            text,
            "{} has an English text to edit",
            path.display()
        );
        std::fs::write(path, edited).expect("write");
    }
    let new_zip = temp.path().join("new.zip");
    export_to(&sites, &new_zip, true);

    for (what, old) in [("zip", &old_zip), ("folder", &old_folder)] {
        let start = Instant::now();
        let old = Snapshot::read(old).expect("old");
        let read_old = start.elapsed();
        let start = Instant::now();
        let new = Snapshot::read(&new_zip).expect("new");
        let read_new = start.elapsed();
        let start = Instant::now();
        let changes = compare(&old, &new, &Filter::default());
        let compared = start.elapsed();
        let start = Instant::now();
        let json = report::json(&changes);
        let markdown = report::markdown(&changes);
        let written = start.elapsed();
        assert_eq!(changes.sites.len(), EDITED, "every edited site, no other");
        println!(
            "diff {SITES} sites x {COOKIES} cookies x 2 languages, {EDITED} edited ({what} vs zip): \
             read {:.2} s + {:.2} s, compare {:.3} s, JSON and Markdown {:.3} s ({} KiB + {} KiB)",
            read_old.as_secs_f64(),
            read_new.as_secs_f64(),
            compared.as_secs_f64(),
            written.as_secs_f64(),
            json.len() / 1024,
            markdown.len() / 1024,
        );
    }

    // Sites folder against the new bundle, as `check --previous` and `export --previous` do.
    let start = Instant::now();
    let ws = store::load_sites(&sites);
    let now = Snapshot::of_workspace(&ws, None, &sites);
    let old = Snapshot::read(&old_zip).expect("old");
    let changes = compare(&old, &now, &Filter::default());
    println!(
        "check --previous work (load {SITES} sites, read the old zip, compare): {:.2} s, {} sites changed",
        start.elapsed().as_secs_f64(),
        changes.sites.len()
    );
}
