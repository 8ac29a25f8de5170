use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use super::{emit, exit, fail, find_site, load_reporting};
use crate::audit::browser::Phase;
use crate::audit::{
    AuditOptions, Cancel, EngineChoice, Progress, Target, audit_blocking, history, text,
};

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["ids", "all"]))]
pub struct Args {
    /// The sites to audit, by id (the site file's name without `.ron`).
    #[arg(value_name = "SITE")]
    ids: Vec<String>,
    /// Audit every site.
    #[arg(long, conflicts_with = "ids")]
    all: bool,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
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
    let ws = load_reporting(dir);
    let mut targets = Vec::new();
    if args.all {
        targets.extend(
            ws.sites
                .iter()
                .map(|f| Target::new(&ws, &f.site, args.url.as_ref())),
        );
    } else {
        for id in &args.ids {
            match find_site(&ws, id) {
                Ok(f) => targets.push(Target::new(&ws, &f.site, args.url.as_ref())),
                // A site whose file does not load cannot be audited either.
                Err(_) => return exit::USAGE,
            }
        }
    }
    if targets.is_empty() {
        return fail(
            exit::USAGE,
            &format!("no site to audit in {}", dir.display()),
        );
    }
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
                total,
                errors,
                warnings,
                failed,
            },
        ) = (on_terminal, p)
        {
            let state = if failed {
                "could not be fetched".to_string()
            } else {
                format!("{errors} errors, {warnings} warnings")
            };
            eprint!("\r\x1b[2K[{done}/{total}] {site}: {state}");
            if done == total {
                eprintln!();
            }
        }
    };
    let mut report = match audit_blocking(&targets, &options, &progress, &Cancel::new()) {
        Ok(r) => r,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let now = time::OffsetDateTime::now_utc();
    for warning in history::record_all(dir, &mut report, now) {
        eprintln!("policydesk: warning: {warning}");
    }
    let output = match args.format {
        Format::Text => text::render(&report),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(mut json) => {
                json.push('\n');
                json
            }
            Err(e) => return fail(exit::USAGE, &format!("cannot write the report: {e}")),
        },
    };
    if let Err(e) = emit(&output, args.out.as_deref()) {
        return fail(exit::USAGE, &e);
    }
    // With --all, a site file that did not load is a site that could not be audited.
    if report.any_site_failed() || (args.all && !ws.errors.is_empty()) {
        exit::USAGE
    } else if report.any_error_finding() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
