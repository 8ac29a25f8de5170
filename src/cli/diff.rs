//! `diff OLD NEW`: what changed between two bundles or sites folders.

use std::path::PathBuf;

use super::{Format, emit, exit, fail};
use crate::changes::{self, Filter, Snapshot, report};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier version: a bundle (folder or zip) or a sites folder.
    old: PathBuf,
    /// The later version: a bundle (folder or zip) or a sites folder.
    new: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Compare only this site.
    #[arg(long, value_name = "ID")]
    site: Option<String>,
    /// Compare only this language's texts (cookies added, removed or changed in fields of no
    /// language are still listed).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
}

/// Exit 0 when nothing changed, 1 when something did (or a version finding was made), 2 when a
/// side cannot be read or the filter names nothing there.
pub fn run(args: Args) -> u8 {
    let read = |path: &PathBuf| Snapshot::read(path).map_err(|e| e.to_string());
    let (old, new) = match (read(&args.old), read(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => return fail(exit::USAGE, &e),
    };
    if let Some(id) = &args.site
        && !old.sites.contains_key(id)
        && !new.sites.contains_key(id)
    {
        return fail(
            exit::USAGE,
            &format!(
                "no site {id:?} in {} or {}",
                args.old.display(),
                args.new.display()
            ),
        );
    }
    if let Some(lang) = &args.lang {
        let known = changes::diff::languages(&[&old, &new]);
        if !known.contains(lang) {
            let known: Vec<String> = known.into_iter().collect();
            return fail(
                exit::USAGE,
                &format!(
                    "no site of {} or {} publishes {lang:?} (languages: {})",
                    args.old.display(),
                    args.new.display(),
                    known.join(", ")
                ),
            );
        }
    }
    let filter = Filter {
        site: args.site,
        lang: args.lang,
    };
    let changes = changes::compare(&old, &new, &filter);
    let bytes = match args.format {
        Format::Text => report::text(&changes).into_bytes(),
        Format::Json => report::json(&changes),
    };
    if let Err(e) = emit(bytes, None) {
        return fail(exit::USAGE, &e);
    }
    if changes.is_empty() {
        exit::OK
    } else {
        exit::FINDINGS
    }
}
