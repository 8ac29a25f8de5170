//! The last saved audit of a site, copied into the bundle as `audit.json` (its bytes unchanged)
//! and shown as `audit.html`. The audit is read the one way the app reads it too
//! ([`crate::audit::history::last_audit`]: typed, size-capped); every value shown is escaped.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::{ExportError, page};
use crate::audit::history;
use crate::audit::{Report, SiteReport};
use crate::check::Severity;

pub struct LastAudit {
    pub path: PathBuf,
    /// The file's bytes, unchanged.
    pub json: Vec<u8>,
    pub html: String,
    pub generated_at: String,
}

/// The newest `<sites>/.audits/<id>/<timestamp>.json`, if any.
pub fn last_audit(sites_dir: &Path, id: &str) -> Result<Option<LastAudit>, ExportError> {
    let Some(stored) = history::last_audit(sites_dir, id).map_err(|e| ExportError::Audit {
        path: e.path,
        message: e.message,
    })?
    else {
        return Ok(None);
    };
    let html = render(id, &stored.report);
    Ok(Some(LastAudit {
        path: stored.path,
        generated_at: stored.report.generated_at,
        json: stored.bytes,
        html,
    }))
}

/// One cell of a table: plain text, preformatted evidence, or a severity badge.
enum Cell {
    Text(String),
    Pre(String),
    Severity(Severity),
}

fn opt(value: &Option<String>) -> Cell {
    Cell::Text(value.clone().unwrap_or_default())
}

fn yes_no(value: bool) -> Cell {
    Cell::Text(if value { "yes" } else { "no" }.into())
}

/// A table with `headers`, one row per item of `rows`.
fn table(out: &mut String, headers: &[&str], rows: impl Iterator<Item = Vec<Cell>>) {
    out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
    for header in headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", text(header));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = match cell {
                Cell::Text(value) => write!(out, "<td>{}</td>", text(&value)),
                Cell::Pre(value) => write!(
                    out,
                    "<td><pre class=\"evidence\">{}</pre></td>",
                    text(&value)
                ),
                Cell::Severity(severity) => write!(
                    out,
                    "<td><span class=\"badge status-{}\">{}</span></td>",
                    attr(severity_class(severity)),
                    severity
                ),
            };
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "ok",
    }
}

/// `audit.html` for site `id` from an audit report.
pub fn render(id: &str, report: &Report) -> String {
    let empty = SiteReport::default();
    let entry = report
        .sites
        .iter()
        .find(|s| s.site == id)
        .or(report.sites.first())
        .unwrap_or(&empty);
    let mut out = String::new();
    let _ = writeln!(out, "<h1>Audit of {}</h1>", text(id));
    out.push_str("<dl class=\"facts\">\n");
    let facts = [
        ("Site", entry.site.clone()),
        ("Address", entry.url.clone()),
        ("Audited", report.generated_at.clone()),
        ("Tool", format!("{} {}", report.tool, report.version)),
    ];
    for (label, value) in facts {
        let _ = writeln!(out, "<dt>{label}</dt><dd>{}</dd>", text(&value));
    }
    out.push_str("</dl>\n");
    if let Some(error) = &entry.error {
        let _ = writeln!(
            out,
            "<p class=\"status-error\">The audit could not complete: {}</p>",
            text(error)
        );
    }

    let _ = writeln!(out, "<h2>Findings ({})</h2>", entry.findings.len());
    if entry.findings.is_empty() {
        out.push_str(
            "<p class=\"status-ok\">No finding: what the portal sets matches its policy.</p>\n",
        );
    } else {
        table(
            &mut out,
            &["Severity", "Kind", "Cookie", "Host", "Message", "Evidence"],
            entry.findings.iter().map(|f| {
                vec![
                    Cell::Severity(f.severity),
                    Cell::Text(f.kind.id().into()),
                    opt(&f.cookie),
                    opt(&f.host),
                    Cell::Text(f.message.clone()),
                    Cell::Pre(f.evidence.clone().unwrap_or_default()),
                ]
            }),
        );
    }

    let _ = writeln!(out, "<h2>Cookies observed ({})</h2>", entry.observed.len());
    table(
        &mut out,
        &[
            "Name", "Domain", "Path", "Lifetime", "Secure", "HttpOnly", "SameSite", "Seen in",
            "Service",
        ],
        entry.observed.iter().map(|c| {
            let lifetime = match c.lifetime_seconds {
                Some(s) => crate::model::DurationValue::Seconds(s).to_string(),
                None => "session".into(),
            };
            vec![
                Cell::Text(c.name.clone()),
                Cell::Text(c.domain.clone()),
                Cell::Text(c.path.clone()),
                Cell::Text(lifetime),
                yes_no(c.secure),
                yes_no(c.http_only),
                opt(&c.same_site),
                Cell::Text(c.source.to_string()),
                opt(&c.service),
            ]
        }),
    );

    if !entry.third_party_hosts.is_empty() {
        out.push_str("<h2>Third-party hosts</h2>\n<ul>\n");
        for host in &entry.third_party_hosts {
            let _ = writeln!(out, "<li><code>{}</code></li>", text(host));
        }
        out.push_str("</ul>\n");
    }

    let _ = writeln!(out, "<h2>Requests ({})</h2>", entry.requests.len());
    table(
        &mut out,
        &["Address", "Status", "Set-Cookie"],
        entry.requests.iter().map(|r| {
            vec![
                Cell::Text(r.url.clone()),
                Cell::Text(r.status.to_string()),
                Cell::Pre(r.set_cookie.join("\n")),
            ]
        }),
    );
    let _ = writeln!(
        out,
        "<footer><p>The audit as recorded: <a href=\"audit.json\">audit.json</a> · \
         <a href=\"../index.html\">all sites of this bundle</a></p></footer>"
    );
    page::page(&format!("Audit of {id}"), "wide", &out)
}
