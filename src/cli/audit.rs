use std::cell::Cell;
use std::io::{IsTerminal, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use super::report_out::emit_with;
use super::{Format, exit, fail, find_site, load_reporting};
use crate::audit::browser::Phase;
use crate::audit::document::{Spool, site_text};
use crate::audit::history::{self, Retention};
use crate::audit::{
    AuditOptions, Cancel, EngineChoice, Progress, SiteReport, Target, audit_each_blocking, text,
};
use crate::check::severity_counts;
use crate::monitor::shard::Shard;
use crate::store::{self, load::files_with_extension};

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["ids", "all"]))]
pub struct Args {
    /// The sites to audit, by id (the site file's name without `.ron`).
    #[arg(value_name = "SITE")]
    ids: Vec<String>,
    /// Audit every site.
    #[arg(long, conflicts_with = "ids")]
    all: bool,
    /// With --all, only part K of N (a job of a CI matrix): every site falls in one part, the
    /// same one on every run; join the parts' JSON reports with `policydesk merge`.
    #[arg(long, value_name = "K/N", requires = "all")]
    shard: Option<Shard>,
    /// Fetch this address instead of each site's base URL (a staging copy, a local server).
    #[arg(long, value_name = "URL")]
    url: Option<Url>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Sites audited at once; with the browser, also the most phases open at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// The most one page may take, redirects and body included.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    #[command(flatten)]
    retention: RetentionArgs,
    /// What looks at the pages: a real browser (Chromium over the DevTools protocol), plain
    /// HTTP, or the browser when one is found.
    #[arg(long, value_enum, default_value_t = EngineArg::Auto)]
    engine: EngineArg,
    /// The browser to run (default: $POLICYDESK_BROWSER, else chromium, chromium-browser or
    /// google-chrome on PATH).
    #[arg(long, value_name = "PATH")]
    browser: Option<PathBuf>,
    /// The browser phases to run, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PHASES",
          default_values_t = [PhaseArg::FirstVisit, PhaseArg::AfterReject, PhaseArg::AfterAccept])]
    phases: Vec<PhaseArg>,
    /// The most a page's network may stay busy before the browser reads it anyway.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    idle: u64,
}

/// How much audit history each site keeps (applied as each audit is saved).
#[derive(Debug, clap::Args)]
pub struct RetentionArgs {
    /// Keep each site's newest N audits in its history.
    #[arg(long, value_name = "N", default_value_t = history::retention::DEFAULT_KEEP as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    keep: u64,
    /// Also remove audits older than DAYS days (never a site's newest).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    keep_days: Option<u32>,
}

impl RetentionArgs {
    pub fn retention(&self) -> Retention {
        Retention {
            keep: usize::try_from(self.keep).unwrap_or(usize::MAX),
            max_age: self.keep_days.map(|d| time::Duration::days(i64::from(d))),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum EngineArg {
    Auto,
    Browser,
    Http,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
enum PhaseArg {
    FirstVisit,
    AfterReject,
    AfterAccept,
}

pub fn run(dir: &Path, args: Args) -> u8 {
    if let Some(url) = &args.url
        && !matches!(url.scheme(), "http" | "https")
    {
        return fail(
            exit::USAGE,
            &format!("--url {url}: only http and https are audited"),
        );
    }
    let load_failed = Cell::new(0usize);
    let (ws, paths) = if args.all {
        // Site files are loaded one at a time as the audit reaches them, so that memory stays
        // flat however many sites there are.
        let ws = store::load::load_platforms(dir);
        for e in &ws.errors {
            eprintln!("error[load] {e}");
        }
        load_failed.set(ws.errors.len());
        let mut paths: Vec<(String, PathBuf)> = files_with_extension(dir, "ron")
            .into_iter()
            .map(|p| (file_id(&p), p))
            .collect();
        paths.sort();
        if let Some(shard) = args.shard {
            paths = shard.select(paths, |(id, _)| id.as_str());
        }
        (ws, paths)
    } else {
        let ws = load_reporting(dir);
        let mut paths = Vec::new();
        for id in &args.ids {
            match find_site(&ws, id) {
                Ok(f) => paths.push((id.clone(), f.path.clone())),
                // A site whose file does not load cannot be audited either.
                Err(_) => return exit::USAGE,
            }
        }
        (ws, paths)
    };
    if paths.is_empty() && args.shard.is_none() {
        return fail(
            exit::USAGE,
            &format!("no site to audit in {}", dir.display()),
        );
    }
    let total = paths.len();
    let targets = paths.into_iter().filter_map(|(id, path)| {
        let site = match ws.site(&id) {
            Some(file) => Ok(file.site.clone()),
            None => std::fs::read(&path)
                .map_err(|e| store::LoadError {
                    path: path.clone(),
                    at: None,
                    message: format!("cannot read: {e}"),
                })
                .and_then(|bytes| store::load::load_site(&path, bytes, &ws.platforms))
                .map(|f| f.site),
        };
        match site {
            Ok(site) => Some(Target::new(&ws, &site, args.url.as_ref())),
            Err(e) => {
                eprintln!("\r\x1b[2Kerror[load] {e}");
                load_failed.set(load_failed.get() + 1);
                None
            }
        }
    });
    // Broken team files were reported with the other load errors.
    let knowledge = crate::knowledge::Knowledge::for_workspace(&ws);
    let mut phases: Vec<Phase> = Vec::new();
    for p in &args.phases {
        let phase = match p {
            PhaseArg::FirstVisit => Phase::FirstVisit,
            PhaseArg::AfterReject => Phase::AfterReject,
            PhaseArg::AfterAccept => Phase::AfterAccept,
        };
        if !phases.contains(&phase) {
            phases.push(phase);
        }
    }
    let options = AuditOptions {
        concurrency: usize::from(args.concurrency),
        engine: match args.engine {
            EngineArg::Auto => EngineChoice::Auto,
            EngineArg::Browser => EngineChoice::Browser,
            EngineArg::Http => EngineChoice::Http,
        },
        browser: args.browser.clone(),
        phases,
        idle: Duration::from_secs(args.idle),
        knowledge,
        ..AuditOptions::default()
    }
    .with_timeout(Duration::from_secs(args.timeout));
    let on_terminal = std::io::stderr().is_terminal();
    let progress = move |p: Progress| {
        if let (
            true,
            Progress::Finished {
                site,
                done,
                errors,
                warnings,
                failed,
                ..
            },
        ) = (on_terminal, p)
        {
            let state = if failed {
                "could not be fetched".to_string()
            } else {
                format!("{errors} errors, {warnings} warnings")
            };
            eprint!("\r\x1b[2K[{done}/{total}] {site}: {state}");
        }
    };
    let retention = args.retention.retention();
    let mut out = match Output::new(args.format) {
        Ok(o) => o,
        Err(e) => return fail(exit::USAGE, &format!("cannot start the report: {e}")),
    };
    let mut write_error = None;
    let audited = audit_each_blocking(
        targets,
        total,
        &options,
        &progress,
        &Cancel::new(),
        |mut site| {
            let now = time::OffsetDateTime::now_utc();
            if let Err(e) = history::record_with(dir, &mut site, now, &retention) {
                eprintln!(
                    "\r\x1b[2Kpolicydesk: warning: the audit of {} was not saved: {e}",
                    site.site
                );
            }
            if let Err(e) = out.push(&site)
                && write_error.is_none()
            {
                write_error = Some(e);
            }
        },
    );
    if on_terminal && total > 0 {
        eprintln!();
    }
    if let Err(e) = audited {
        return fail(exit::USAGE, &e);
    }
    if let Some(e) = write_error {
        return fail(exit::USAGE, &format!("cannot write the report: {e}"));
    }
    let generated_at = crate::timestamp::rfc3339(time::OffsetDateTime::now_utc());
    if let Err(e) = emit_with(args.out.as_deref(), |w| out.finish(&generated_at, w)) {
        return fail(exit::USAGE, &e);
    }
    // With --all, a site file that did not load is a site that could not be audited.
    if out.failed > 0 || load_failed.get() > 0 {
        exit::USAGE
    } else if out.errors > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The report, written out one site at a time into a temporary file.
struct Output {
    format: Format,
    json: Spool,
    text: std::fs::File,
    sites: usize,
    failed: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

impl Output {
    fn new(format: Format) -> std::io::Result<Output> {
        Ok(Output {
            format,
            json: Spool::new()?,
            text: tempfile::tempfile()?,
            sites: 0,
            failed: 0,
            errors: 0,
            warnings: 0,
            infos: 0,
        })
    }

    fn push(&mut self, site: &SiteReport) -> Result<(), String> {
        let (e, w, i) = severity_counts(site.findings.iter().map(|f| f.severity));
        self.sites += 1;
        self.failed += usize::from(site.error.is_some());
        self.errors += e;
        self.warnings += w;
        self.infos += i;
        match self.format {
            Format::Json => self.json.push(&site_text(site)?).map_err(|e| e.to_string()),
            Format::Text => {
                let mut block = String::new();
                text::render_site(&mut block, site);
                block.push('\n');
                self.text
                    .write_all(block.as_bytes())
                    .map_err(|e| e.to_string())
            }
        }
    }

    fn finish(&mut self, generated_at: &str, w: &mut dyn Write) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                self.json.write_document(generated_at, w)?;
                w.write_all(b"\n")
            }
            Format::Text => {
                self.text.rewind()?;
                std::io::copy(&mut self.text, w)?;
                let counts = (self.errors, self.warnings, self.infos);
                w.write_all(text::summary(self.sites, self.failed, counts).as_bytes())
            }
        }
    }
}
