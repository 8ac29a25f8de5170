use std::path::PathBuf;

use super::audit::RetentionArgs;
use super::report_out::emit_with;
use super::{exit, fail, sites_dir};
use crate::audit::history;
use crate::monitor::merge::merge;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The JSON reports of `audit --all --shard K/N --format json`, one per part.
    #[arg(value_name = "REPORT", required = true)]
    reports: Vec<PathBuf>,
    /// Write the merged report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Also save each site's audit in the history of the sites folder, as `audit` does: for
    /// shards audited elsewhere (CI jobs) whose history was not kept.
    #[arg(long)]
    record: bool,
    #[command(flatten)]
    retention: RetentionArgs,
}

pub fn run(sites: Option<PathBuf>, args: Args) -> u8 {
    let dir = match args.record.then(|| sites_dir(sites)).transpose() {
        Ok(dir) => dir,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let retention = args.retention.retention();
    let mut warnings = 0;
    let merged = merge(&args.reports, |id, site, at| {
        let Some(dir) = &dir else {
            return Ok(());
        };
        let at = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .map_err(|e| format!("{id}: the report's generated_at {at:?} is not a time: {e}"))?;
        if let Err(e) = history::save(dir, id, site, at, &retention) {
            eprintln!("policydesk: warning: the audit of {id} was not saved: {e}");
            warnings += 1;
        }
        Ok(())
    });
    let mut merged = match merged {
        Ok(m) => m,
        Err(e) => return fail(exit::USAGE, &e),
    };
    let generated_at = merged.generated_at.clone();
    let written = emit_with(args.out.as_deref(), |w| {
        merged.spool.write_document(&generated_at, w)?;
        w.write_all(b"\n")
    });
    if let Err(e) = written {
        return fail(exit::USAGE, &e);
    }
    eprintln!(
        "policydesk: merged {} reports: {} sites{}",
        args.reports.len(),
        merged.sites,
        if warnings > 0 {
            format!(", {warnings} not saved in the history")
        } else {
            String::new()
        }
    );
    if warnings > 0 { exit::USAGE } else { exit::OK }
}
