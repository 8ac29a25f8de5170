//! `policydesk replace --find TEXT --replace TEXT [--only GLOB] [--lang LANG] [--dry-run]`:
//! the same wording changed in every site's texts, each change shown as a diff of the site file
//! before anything is written.

use super::import::diff_text;
use super::{exit, fail, load_reporting};
use crate::model::text::plural;
use crate::replace::{Query, SitePattern, plan, save_planned};
use crate::store::diff;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The text to find, as written (case and accents count).
    #[arg(long, value_name = "TEXT")]
    find: String,
    /// What to put in its place.
    #[arg(long, value_name = "TEXT")]
    replace: String,
    /// Only the sites whose id matches (`*` any characters, `?` one), e.g. "*.opendatasoft.com".
    /// (Not `--sites`: that names the sites folder for every command.)
    #[arg(long = "only", value_name = "GLOB")]
    only: Option<String>,
    /// Only texts of this language.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Show the changes, write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(dir: &Path, args: Args) -> u8 {
    let query = match Query::new(&args.find, &args.replace, args.lang.as_deref()) {
        Ok(q) => q,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let only = match args.only.as_deref().map(SitePattern::new).transpose() {
        Ok(p) => p,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let ws = load_reporting(dir);
    let planned = plan(&ws, &query, only.as_ref());
    let mut failed = 0;
    let mut shown = Vec::new();
    for p in planned {
        match &p.texts {
            Ok((old, new)) => {
                let path = p.file.path.display();
                println!("--- {path}\n+++ {path} (replaced)");
                print!("{}", diff_text(&diff::line_diff(old, new, 1)));
                for hit in &p.hits {
                    println!("  {} ({}x)", hit.place, hit.count);
                }
                shown.push(p);
            }
            Err(e) => {
                failed += 1;
                fail(exit::FINDINGS, &format!("{e}; nothing replaced in it"));
            }
        }
    }
    let mut sites = shown.len();
    if !args.dry_run {
        for (p, saved) in shown.iter().zip(save_planned(&shown)) {
            if let Err(e) = saved {
                failed += 1;
                sites -= 1;
                fail(
                    exit::FINDINGS,
                    &format!("{e}; nothing replaced in {}", p.file.site.id),
                );
            }
        }
    }
    let texts: usize = shown.iter().map(|p| p.hits.len()).sum();
    let verb = if args.dry_run {
        "would change"
    } else {
        "changed"
    };
    println!(
        "{verb} {} in {}",
        plural(texts, "text"),
        plural(sites, "site")
    );
    if failed > 0 || !ws.errors.is_empty() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
