use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Format, emit, exit, fail, load_reporting};
use crate::changes::Snapshot;
use crate::check::{RuleId, Severity, check_workspace, summary_counts};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The previous published version (a bundle, folder or zip, or a sites folder): also check
    /// that sites whose content changed since then have a later policy version and review date.
    #[arg(long, value_name = "PATH")]
    previous: Option<PathBuf>,
    /// Apply every safe fix, save the sites it changed, and list what has no safe fix.
    #[arg(long, conflicts_with = "format")]
    fix: bool,
    /// Only this rule's findings (e.g. duration-missing).
    #[arg(long, value_name = "ID")]
    rule: Option<RuleId>,
}

pub fn run(dir: &Path, args: Args) -> u8 {
    let ws = load_reporting(dir);
    if args.fix {
        return super::fix::run(&ws, args.rule);
    }
    let mut findings = check_workspace(&ws);
    if let Some(previous) = &args.previous {
        let old = match Snapshot::read(previous) {
            Ok(old) => old,
            Err(e) => return fail(exit::USAGE, &e.to_string()),
        };
        let new = Snapshot::of_workspace(&ws, None, dir);
        let changes = crate::changes::compare(&old, &new, &Default::default());
        findings.extend(changes.findings().cloned());
        // Stable: each site's findings stay together, in the order the rules gave them.
        findings.sort_by(|a, b| a.site.cmp(&b.site));
    }
    findings.retain(|f| args.rule.is_none_or(|r| f.rule == r));
    let (errors, warnings, infos) = summary_counts(&findings);
    let text = match args.format {
        Format::Text => {
            let mut out: String = findings.iter().map(|f| format!("{f}\n")).collect();
            out.push_str(&format!(
                "{} sites checked, {} files failed to load: {errors} errors, {warnings} warnings, \
                 {infos} info\n",
                ws.sites.len(),
                ws.errors.len()
            ));
            out
        }
        Format::Json => {
            let report = json!({
                "tool": crate::TOOL,
                "version": crate::VERSION,
                "sites": ws.sites.iter().map(|s| &s.site.id).collect::<Vec<_>>(),
                "load_errors": ws.errors.iter().map(|e| json!({
                    "path": e.path.display().to_string(),
                    "line": e.at.map(|p| p.line),
                    "column": e.at.map(|p| p.col),
                    "message": e.message,
                })).collect::<Vec<_>>(),
                "findings": findings,
                "summary": { "errors": errors, "warnings": warnings, "info": infos },
            });
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    if let Err(e) = emit(&text, None) {
        return fail(exit::USAGE, &e);
    }
    let any_error = findings.iter().any(|f| f.severity == Severity::Error);
    if any_error || !ws.errors.is_empty() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
