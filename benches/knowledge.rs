//! The cookie knowledge base: `cargo bench --bench knowledge`.
//!
//! Times (1) the first use, which reads the embedded Open Cookie Database and builds every
//! layer's index, as a freshly started program pays it; (2) classifying 100,000 names (every
//! name of the database, prefixed names with ids, names nobody knows), best of several runs;
//! and prints the size of the embedded data.

use std::hint::black_box;
use std::time::{Duration, Instant};

use policydesk::audit::catalog::Catalog;
use policydesk::knowledge::{Knowledge, Query, ocd};
use policydesk::model::duration::parse_duration_text;

const NAMES: usize = 100_000;
const RUNS: usize = 7;

fn main() {
    // What a start-up pays anyway for other reasons, timed apart: the duration patterns (any
    // site file) and the service catalog (any audit).
    let start = Instant::now();
    black_box(parse_duration_text("13 months"));
    let patterns = start.elapsed();
    let start = Instant::now();
    black_box(Catalog::bundled());
    let catalog = start.elapsed();

    let start = Instant::now();
    let knowledge = Knowledge::bundled();
    // The layers are built at first use: a query forces them.
    black_box(knowledge.classify(&Query::name("_ga")));
    let first_use = start.elapsed();

    let start = Instant::now();
    let parsed = ocd::entries().expect("the embedded database parses");
    let parse_only = start.elapsed();

    let mut names: Vec<String> = Vec::with_capacity(NAMES);
    let known: Vec<&str> = parsed.iter().map(|e| e.name.as_str()).collect();
    let mut i = 0usize;
    while names.len() < NAMES {
        let entry = &parsed[i % parsed.len()];
        names.push(match i % 4 {
            // A known name, or a prefix row with an id after it.
            0 | 1 if entry.wildcard => format!("{}{:x}", entry.name, i * 7919),
            0 | 1 => known[i % known.len()].to_string(),
            // A name the base has never heard of, some sharing a prefix's first letters.
            2 => format!("_app_state_{i}"),
            _ => format!("{}zz{i}", &entry.name[..entry.name.len().min(2)]),
        });
        i += 1;
    }
    let queries: Vec<Query> = names
        .iter()
        .map(|n| Query {
            domain: Some("data.example-portal.org"),
            first_party: Some("data.example-portal.org"),
            site_platform: Some(None),
            ..Query::name(n)
        })
        .collect();

    let mut best = Duration::MAX;
    let mut answered = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        answered = queries
            .iter()
            .filter(|q| !black_box(knowledge.classify(q)).matches.is_empty())
            .count();
        best = best.min(start.elapsed());
    }

    // The same names with no context, as `lookup NAME` asks them.
    let mut best_plain = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        for n in &names {
            black_box(knowledge.classify(&Query::name(n)));
        }
        best_plain = best_plain.min(start.elapsed());
    }

    let sizes = knowledge.sizes();
    println!("knowledge base layers: {sizes:?}");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "start-up: duration patterns {:.2} ms, service catalog {:.2} ms (both shared with the \
         rest of the program); then the knowledge base's first use (parse the embedded \
         database, build every index) {:.2} ms, of which parsing {:.2} ms",
        ms(patterns),
        ms(catalog),
        ms(first_use),
        ms(parse_only)
    );
    println!(
        "classify {NAMES} names on a portal's domain: {:.1} ms best of {RUNS} ({answered} \
         answered, {:.0} ns a name)",
        best.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e9 / NAMES as f64
    );
    println!(
        "classify {NAMES} names with no context: {:.1} ms best of {RUNS}",
        best_plain.as_secs_f64() * 1e3
    );
    println!(
        "embedded data: {} bytes ({:.0} KiB)",
        ocd::CSV.len(),
        ocd::CSV.len() as f64 / 1024.0
    );
}
