//! The command line: `policydesk [--sites DIR] <command>`. With no command it opens the app.

mod audit;
mod check;
mod diff;
mod digest;
mod export;
mod fix;
mod fmt;
mod import;
mod list;
mod lookup;
mod merge;
mod render;
mod replace;
mod report_out;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::store::{self, Workspace};

#[derive(Debug, Parser)]
#[command(
    name = "policydesk",
    version,
    about = "Manage, check, audit and export cookie policies"
)]
pub struct Cli {
    /// The folder of site files (default: ./sites, else the bundled portals in your data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub sites: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every site with its languages, cookie count and check status.
    List,
    /// Run the checks on every site.
    Check(check::Args),
    /// Render one site's policy as text, Markdown, HTML or PDF.
    Render(render::Args),
    /// Fetch sites and compare the cookies they set with their policies.
    Audit(audit::Args),
    /// Rewrite site files in their canonical form (or, with --check, list those that are not).
    Fmt(fmt::Args),
    /// Export policy bundles: every language and format, declarations, checks, audits, a manifest.
    Export(export::ExportArgs),
    /// Check a bundle folder or zip against its manifest.
    Verify(export::VerifyArgs),
    /// What changed between two bundles (folder or zip) or sites folders: sites, cookies, texts.
    Diff(diff::Args),
    /// Join the JSON reports of `audit --all --shard K/N` into the report of one `audit --all`.
    Merge(merge::Args),
    /// What changed in the audits of every site (from the audit history), grouped by change.
    Digest(digest::Args),
    /// Tell what cookie or storage names usually are (platform, category, retention) and whence.
    Lookup(lookup::Args),
    /// Read a published policy page (a file or an address) into a site file.
    Import(import::Args),
    /// Replace a wording in the texts of many sites, showing every change as a diff first.
    Replace(replace::Args),
}

/// How a command prints what it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Exit codes shared by every command.
pub mod exit {
    /// Nothing wrong.
    pub const OK: u8 = 0;
    /// Findings of error severity, or a file that failed to load.
    pub const FINDINGS: u8 = 1;
    /// A usage error, or something that could not be done at all.
    pub const USAGE: u8 = 2;
}

pub fn run(cli: Cli) -> ExitCode {
    let Some(command) = cli.command else {
        return start_app(cli.sites);
    };
    // A bundle stands on its own: no sites folder is needed (or created) to verify one.
    let code = match command {
        Command::Verify(args) => export::verify(args),
        Command::Diff(args) => diff::run(args),
        // A merge needs the sites folder only to save the audits in its history.
        Command::Merge(args) => merge::run(cli.sites, args),
        command => match sites_dir(cli.sites) {
            Ok(dir) => run_in(&dir, command),
            Err(e) => fail(exit::USAGE, &e),
        },
    };
    ExitCode::from(code)
}

fn run_in(dir: &Path, command: Command) -> u8 {
    match command {
        Command::List => list::run(dir),
        Command::Check(args) => check::run(dir, args),
        Command::Render(args) => render::run(dir, args),
        Command::Fmt(args) => fmt::run(dir, args),
        Command::Export(args) => export::run(dir, args),
        Command::Audit(args) => audit::run(dir, args),
        Command::Verify(args) => export::verify(args),
        Command::Diff(args) => diff::run(args),
        Command::Merge(args) => merge::run(Some(dir.to_path_buf()), args),
        Command::Digest(args) => digest::run(dir, args),
        Command::Lookup(args) => lookup::run(dir, args),
        Command::Import(args) => import::run(dir, args),
        Command::Replace(args) => replace::run(dir, args),
    }
}

#[cfg(feature = "gui")]
fn start_app(sites: Option<PathBuf>) -> ExitCode {
    // A named folder must exist; with none, the app picks the last folder or the default itself.
    if let Some(dir) = &sites
        && let Err(e) = sites_dir(Some(dir.clone()))
    {
        return ExitCode::from(fail(exit::USAGE, &e));
    }
    match crate::app::run(sites) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(fail(exit::USAGE, &format!("cannot open the window: {e}"))),
    }
}

#[cfg(not(feature = "gui"))]
fn start_app(_sites: Option<PathBuf>) -> ExitCode {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    ExitCode::SUCCESS
}

/// The sites folder named, or the default one (created from the bundled portals if need be).
pub fn sites_dir(named: Option<PathBuf>) -> Result<PathBuf, String> {
    match named {
        Some(dir) if dir.is_dir() => Ok(dir),
        Some(dir) => Err(format!("{}: no such folder", dir.display())),
        None => store::bundled::default_sites_dir()
            .map_err(|e| format!("cannot prepare the default sites folder: {e}")),
    }
}

/// Prints `message` to stderr and returns `code`.
pub fn fail(code: u8, message: &str) -> u8 {
    eprintln!("policydesk: {message}");
    code
}

/// Loads `dir` and prints every file that failed to load; the caller decides the exit code.
fn load_reporting(dir: &Path) -> Workspace {
    let ws = store::load_sites(dir);
    for e in &ws.errors {
        eprintln!("error[load] {e}");
    }
    ws
}

/// The site `id` of `ws`, or the exit code after saying why there is none: its file failed to
/// load (1), or no such site (2).
fn find_site<'a>(ws: &'a Workspace, id: &str) -> Result<&'a store::SiteFile, u8> {
    if let Some(file) = ws.site(id) {
        return Ok(file);
    }
    let path = store::site_path(&ws.dir, id);
    if let Some(e) = ws.errors.iter().find(|e| e.path == path) {
        return Err(fail(exit::FINDINGS, &e.to_string()));
    }
    let known: Vec<&str> = ws.sites.iter().map(|s| s.site.id.as_str()).collect();
    Err(fail(
        exit::USAGE,
        &format!(
            "no site {id:?} in {} (sites: {})",
            ws.dir.display(),
            known.join(", ")
        ),
    ))
}

/// Writes `text` (or a PDF's bytes) to `out` (atomically) or to stdout.
fn emit(text: impl AsRef<[u8]>, out: Option<&Path>) -> Result<(), String> {
    let text = text.as_ref();
    match out {
        Some(path) => store::save::write_atomically(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text)
                .and_then(|_| stdout.flush())
                .or_else(|e| match e.kind() {
                    std::io::ErrorKind::BrokenPipe => Ok(()),
                    _ => Err(e),
                })
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
    }
}
