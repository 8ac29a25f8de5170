//! The audit report as plain text, for a person at a terminal.

use std::fmt::Write;

use super::report::{Changes, Report, SiteReport, Storage};
use crate::check::severity_counts;
use crate::model::duration::human_seconds;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for site in &report.sites {
        render_site(&mut out, site);
        out.push('\n');
    }
    let (errors, warnings, infos) = severity_counts(report.findings().map(|f| f.severity));
    let failed = report.sites.iter().filter(|s| s.error.is_some()).count();
    out.push_str(&summary(
        report.sites.len(),
        failed,
        (errors, warnings, infos),
    ));
    out
}

/// The last line of the report: how many sites, how many failed, findings by severity.
pub fn summary(
    sites: usize,
    failed: usize,
    (errors, warnings, infos): (usize, usize, usize),
) -> String {
    format!(
        "{sites} sites audited, {failed} could not be fetched in full: {errors} errors, {warnings} \
         warnings, {infos} info\n"
    )
}

fn lifetime(l: Option<u64>) -> String {
    l.map_or_else(|| "session".into(), human_seconds)
}

/// One site's block of the report.
pub fn render_site(out: &mut String, site: &SiteReport) {
    let _ = writeln!(
        out,
        "== {} ({}) engine: {}",
        site.site, site.url, site.engine
    );
    for phase in &site.phases {
        let banner = &phase.banner;
        let _ = writeln!(
            out,
            "  phase {}: banner {}{}{}",
            phase.name,
            if banner.found { "found" } else { "not found" },
            banner
                .how
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default(),
            phase
                .screenshot
                .as_deref()
                .map(|s| format!("; screenshot {s}"))
                .unwrap_or_default()
        );
        if let Some(error) = &phase.error {
            let _ = writeln!(out, "      error: {error}");
        }
    }
    if let Some(error) = &site.error {
        let _ = writeln!(out, "error: could not fetch {error}");
    }
    for hop in &site.requests {
        let _ = writeln!(out, "  {} {}", hop.status, hop.url);
        for line in &hop.set_cookie {
            let _ = writeln!(out, "      Set-Cookie: {line}");
        }
        for r in &hop.rejected_set_cookie {
            let _ = writeln!(out, "      rejected Set-Cookie ({}): {}", r.reason, r.line);
        }
    }
    for note in &site.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    if !site.observed.is_empty() {
        let _ = writeln!(out, "cookies:");
        for o in &site.observed {
            let mut flags = Vec::new();
            if o.secure {
                flags.push("Secure".to_string());
            }
            if o.http_only {
                flags.push("HttpOnly".to_string());
            }
            if let Some(s) = &o.same_site {
                flags.push(format!("SameSite={s}"));
            }
            let service = o
                .service
                .as_ref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default();
            let kept = match o.storage {
                Storage::Cookie => lifetime(o.lifetime_seconds),
                other => other.label().to_string(),
            };
            let phases = if o.phases.is_empty() {
                String::new()
            } else {
                format!(" [{}]", o.phases.join(", "))
            };
            let _ = writeln!(
                out,
                "  {} on {}{} ({}, {}{}){}{phases}",
                o.name,
                o.domain,
                o.path,
                o.source,
                kept,
                service,
                if flags.is_empty() {
                    String::new()
                } else {
                    format!(" {}", flags.join(" "))
                }
            );
        }
    }
    if !site.third_party_hosts.is_empty() {
        let _ = writeln!(
            out,
            "third-party hosts: {}",
            site.third_party_hosts.join(", ")
        );
    }
    if let Some(changes) = &site.changes {
        render_changes(out, changes);
    }
    let mut findings: Vec<_> = site.findings.iter().collect();
    findings.sort_by_key(|f| (f.severity, f.kind));
    for f in findings {
        let _ = writeln!(out, "{f}");
    }
}

fn render_changes(out: &mut String, changes: &Changes) {
    if changes.is_empty() {
        let _ = writeln!(out, "no change since the audit of {}", changes.since);
        return;
    }
    let _ = writeln!(out, "changes since the audit of {}:", changes.since);
    for c in &changes.appeared {
        let _ = writeln!(out, "  + {} on {} appeared", c.what(), c.domain);
    }
    for c in &changes.disappeared {
        let _ = writeln!(out, "  - {} on {} disappeared", c.what(), c.domain);
    }
    for c in &changes.lifetime_changed {
        let _ = writeln!(
            out,
            "  ~ {} on {}: {} -> {}",
            c.name,
            c.domain,
            lifetime(c.before),
            lifetime(c.after)
        );
    }
}
