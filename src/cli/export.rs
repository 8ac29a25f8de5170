//! `export` (policy bundles) and `verify` (a bundle against its manifest).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{exit, fail, find_site, load_reporting};
use crate::changes::{self, Snapshot};
use crate::export::{self, ExportError, Options};
use crate::store;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The site ids to export.
    #[arg(
        value_name = "SITE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    ids: Vec<String>,
    /// Export every site that loads.
    #[arg(long)]
    all: bool,
    /// The bundle folder to write (with --zip, the zip file).
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Write one zip file instead of a folder.
    #[arg(long)]
    zip: bool,
    /// Replace an existing output (once the new bundle is complete).
    #[arg(long)]
    force: bool,
    /// The previous bundle (folder or zip) or sites folder: write CHANGES.md and changes.json,
    /// what changed since it, into the new bundle.
    #[arg(long, value_name = "PATH")]
    previous: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// A bundle folder or zip file.
    path: PathBuf,
}

pub fn run(dir: &Path, args: ExportArgs) -> u8 {
    let ws = load_reporting(dir);
    let ids: Vec<String> = if args.all {
        ws.sites.iter().map(|s| s.site.id.clone()).collect()
    } else {
        args.ids
    };
    for id in &ids {
        if !store::is_safe_id(id) {
            return fail(exit::USAGE, &ExportError::UnsafeId(id.clone()).to_string());
        }
        if let Err(code) = find_site(&ws, id) {
            return code;
        }
    }
    let mut options = match Options::new(args.zip, args.force) {
        Ok(o) => o,
        Err(e) => return fail(exit::USAGE, &e.to_string()),
    };
    let show_progress = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress {
            eprint!("\rexporting {done}/{total} sites");
            if done == total {
                eprintln!();
            }
        }
    };
    // `--out bundle --zip` writes `bundle.zip`, as the README and the app say.
    let out = if args.zip && args.out.extension().is_none() {
        args.out.with_extension("zip")
    } else {
        args.out.clone()
    };
    if let Some(previous) = &args.previous {
        // Read before exporting: the previous bundle may be the one this export replaces.
        let old = match Snapshot::read(previous) {
            Ok(old) => old,
            Err(e) => return fail(exit::USAGE, &e.to_string()),
        };
        let changes = changes::since(&old, &ws, &ids, options.generated_at);
        for finding in changes.findings() {
            eprintln!("{finding}");
        }
        options.extra_files = changes::bundle_files(&changes);
    }
    match export::export(&ws, &ids, &out, &options, &progress) {
        Ok(done) => {
            println!(
                "exported {} sites ({} files, {} KiB) to {}",
                done.sites,
                done.files + 1,
                done.bytes.div_ceil(1024),
                done.out.display()
            );
            if ws.errors.is_empty() {
                exit::OK
            } else {
                fail(
                    exit::FINDINGS,
                    &format!(
                        "{} files failed to load and are not in the bundle",
                        ws.errors.len()
                    ),
                )
            }
        }
        Err(e) => fail(exit::USAGE, &e.to_string()),
    }
}

pub fn verify(args: VerifyArgs) -> u8 {
    let report = match export::verify(&args.path) {
        Ok(r) => r,
        Err(e) => return fail(exit::USAGE, &e.to_string()),
    };
    for (word, paths) in report.differences() {
        for path in paths {
            println!("{word:<8} {path}");
        }
    }
    for problem in &report.problems {
        println!("problem  {problem}");
    }
    if report.matches() {
        println!(
            "ok: the {} files of {} match its manifest (generated {})",
            report.listed,
            args.path.display(),
            report.generated_at.as_deref().unwrap_or("?")
        );
        exit::OK
    } else {
        fail(
            exit::FINDINGS,
            &format!(
                "{} does not match its manifest: {} changed, {} missing, {} added, {} other problems",
                args.path.display(),
                report.changed.len(),
                report.missing.len(),
                report.added.len(),
                report.problems.len()
            ),
        )
    }
}
