//! `policydesk replace --find TEXT --replace TEXT [--only GLOB] [--lang LANG] [--dry-run]`:
//! the same wording changed in every site's texts, each change shown as a diff of the site file
//! before anything is written.

use super::import::diff_text;
use super::{exit, fail, load_reporting};
use crate::replace::{Query, SitePattern, replace_in_site};
use crate::store::{self, diff, save};
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
    let (mut texts, mut sites, mut failed) = (0, 0, 0);
    for file in &ws.sites {
        if let Some(only) = &only
            && !only.matches(&file.site.id)
        {
            continue;
        }
        let Some((site, hits)) = replace_in_site(&file.site, &query) else {
            continue;
        };
        let mut changed = file.clone();
        changed.site = site;
        let shown = std::fs::read_to_string(&file.path)
            .map_err(|e| e.to_string())
            .and_then(|old| {
                save::site_text_keeping(&changed.site, &old, &file.path)
                    .map(|new| (old, new))
                    .map_err(|e| e.to_string())
            });
        match shown {
            Ok((old, new)) => {
                let path = file.path.display();
                println!("--- {path}\n+++ {path} (replaced)");
                print!("{}", diff_text(&diff::line_diff(&old, &new, 1)));
            }
            Err(e) => {
                failed += 1;
                fail(exit::FINDINGS, &format!("{}: {e}", file.path.display()));
                continue;
            }
        }
        for hit in &hits {
            println!("  {} ({}x)", hit.place, hit.count);
        }
        texts += hits.len();
        sites += 1;
        if !args.dry_run {
            if let Err(e) = store::save_site(&mut changed, false) {
                failed += 1;
                fail(exit::FINDINGS, &format!("{e}; nothing replaced in it"));
                sites -= 1;
            }
        }
    }
    let verb = if args.dry_run {
        "would change"
    } else {
        "changed"
    };
    println!("{verb} {texts} texts in {sites} sites");
    if failed > 0 || !ws.errors.is_empty() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
