//! `policydesk import SOURCE`: a published policy page into a site file; for a site that exists,
//! the line diff between its file and the page, written only with `--update`.

use std::path::Path;

use super::{exit, fail, load_reporting};
use crate::audit::fetch::FetchOptions;
use crate::import::{ImportOptions, import_any, proposed, read_source};
use crate::store::{self, diff, save};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An HTML file or the policy page's http(s) address; or a WEC inspection.json, a HAR
    /// file, a Cookiebot declaration script or a OneTrust consent JSON (told by content).
    source: String,
    /// The site id (default: the page's host).
    #[arg(long)]
    id: Option<String>,
    /// The platform whose cookies become platform rows (default: the one the rows match).
    #[arg(long, value_name = "NAME")]
    platform: Option<String>,
    /// The page's language, when its `<html lang>` is missing or wrong.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// The same policy in another language (a file or an address).
    #[arg(long, value_name = "SOURCE")]
    also: Option<String>,
    /// For a site that exists: write the page's version over its sections and cookie table.
    #[arg(long)]
    update: bool,
}

pub fn run(dir: &Path, args: Args) -> u8 {
    let ws = load_reporting(dir);
    let fetch = FetchOptions::default();
    let read = |s: &str| read_source(s, &fetch);
    let first = match read(&args.source) {
        Ok(s) => s,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let also = match args.also.as_deref().map(read).transpose() {
        Ok(s) => s,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let options = ImportOptions {
        id: args.id,
        platform: args.platform,
        lang: args.lang,
    };
    let imported = import_any(&first, also.as_ref(), &ws.platforms, &options);
    let (imported, kind) = match imported {
        Ok(i) => i,
        Err(e) => return fail(exit::USAGE, &e),
    };
    eprint!("{}", imported.report);
    let path = store::site_path(dir, &imported.site.id);
    if !path.exists() {
        let text = match save::site_text(&imported.site) {
            Ok(t) => t,
            Err(e) => return fail(exit::USAGE, &format!("cannot write the site: {e}")),
        };
        return match save::write_new_atomically(&path, text.as_bytes()) {
            Ok(()) => {
                println!(
                    "imported {} into {} ({} cookies, {} to review)",
                    first.label,
                    path.display(),
                    imported.site.cookies.len(),
                    imported.report.unplaced.len()
                );
                exit::OK
            }
            Err(e) => fail(
                exit::USAGE,
                &format!("cannot write {}: {e}", path.display()),
            ),
        };
    }
    let Some(file) = ws.site(&imported.site.id) else {
        return fail(
            exit::FINDINGS,
            &format!(
                "{} exists but does not load; fix it before re-importing",
                path.display()
            ),
        );
    };
    let mut updated = file.clone();
    let (site, said) = proposed(&file.site, &imported.site, kind);
    updated.site = site;
    if let Some(said) = said {
        println!("{said}");
    }
    // Compared as `--update` would write it: with the file's comments.
    let (old, new) = match save::texts_for(file, &updated.site) {
        Ok(texts) => texts,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let lines = diff::line_diff(&old, &new, 3);
    if lines.is_empty() {
        println!("{} already says what the page says", path.display());
        return exit::OK;
    }
    println!("--- {}\n+++ {}", path.display(), first.label);
    print!("{}", diff_text(&lines));
    if !args.update {
        println!(
            "nothing written: {} exists (run again with --update to write this)",
            path.display()
        );
        return exit::FINDINGS;
    }
    match store::save_site(&mut updated, false) {
        Ok(()) => {
            println!("updated {}", path.display());
            exit::OK
        }
        Err(e) => fail(exit::USAGE, &e.to_string()),
    }
}

/// A line diff as `-`/`+`/` ` lines.
pub fn diff_text(lines: &[diff::DiffLine]) -> String {
    lines
        .iter()
        .map(|l| {
            let mark = match l.change {
                diff::LineChange::Same => ' ',
                diff::LineChange::Removed => '-',
                diff::LineChange::Added => '+',
            };
            format!("{mark}{}\n", l.text)
        })
        .collect()
}
