//! The last saved audit of a site, copied into the bundle as `audit.json` (its bytes unchanged)
//! and shown as `audit.html`. The audit is read the one way the app reads it too
//! ([`crate::audit::history::last_audit`]: typed, size-capped); every value shown is escaped.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::{ExportError, page};
use crate::audit::history;
use crate::audit::{Engine, PhaseReport, Report, SiteReport, Storage};
use crate::check::Severity;
use crate::store::limits::{Limit, read_capped};

pub struct LastAudit {
    pub path: PathBuf,
    /// The file's bytes, unchanged.
    pub json: Vec<u8>,
    pub html: String,
    pub generated_at: String,
    /// The phases' screenshots (file name, bytes), copied beside `audit.json` under the names
    /// the audit gives them.
    pub screenshots: Vec<(String, Vec<u8>)>,
}

/// A screenshot larger than this is not one PolicyDesk took.
const SCREENSHOT: Limit = Limit {
    bytes: 32 << 20,
    what: "a phase's screenshot",
};

/// The newest `<sites>/.audits/<id>/<timestamp>.json`, if any.
pub fn last_audit(sites_dir: &Path, id: &str) -> Result<Option<LastAudit>, ExportError> {
    let Some(stored) = history::last_audit(sites_dir, id).map_err(|e| ExportError::Audit {
        path: e.path,
        message: e.message,
    })?
    else {
        return Ok(None);
    };
    let dir = stored.path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let screenshots = entry(id, &stored.report)
        .map(|site| screenshots(&dir, &site.phases))
        .unwrap_or_default();
    let kept: Vec<&str> = screenshots.iter().map(|(name, _)| name.as_str()).collect();
    let html = render(id, &stored.report, &kept);
    Ok(Some(LastAudit {
        path: stored.path,
        generated_at: stored.report.generated_at,
        json: stored.bytes,
        html,
        screenshots,
    }))
}

/// The screenshots `phases` name, read from the audit folder `dir`. A name that is not a
/// plain `.png` file name, a file gone, too large or not a PNG is left out (the page says so).
fn screenshots(dir: &Path, phases: &[PhaseReport]) -> Vec<(String, Vec<u8>)> {
    phases
        .iter()
        .filter_map(screenshot_name)
        .filter_map(|name| {
            let bytes = read_capped(&dir.join(name), SCREENSHOT).ok()?;
            bytes
                .starts_with(b"\x89PNG")
                .then(|| (name.to_string(), bytes))
        })
        .collect()
}

fn screenshot_name(phase: &PhaseReport) -> Option<&str> {
    phase.screenshot.as_deref().filter(|name| {
        name.ends_with(".png")
            && crate::store::is_safe_id(name)
            && super::paths::is_safe_relative(name)
    })
}

fn entry<'a>(id: &str, report: &'a Report) -> Option<&'a SiteReport> {
    report
        .sites
        .iter()
        .find(|s| s.site == id)
        .or(report.sites.first())
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

/// `audit.html` for site `id` from an audit report; `kept` names the screenshots copied beside
/// it (a phase whose screenshot is not among them says so instead of showing a broken image).
pub fn render(id: &str, report: &Report, kept: &[&str]) -> String {
    let empty = SiteReport::default();
    let entry = entry(id, report).unwrap_or(&empty);
    let mut out = String::new();
    let _ = writeln!(out, "<h1>Audit of {}</h1>", text(id));
    out.push_str("<dl class=\"facts\">\n");
    let facts = [
        ("Site", entry.site.clone()),
        ("Address", entry.url.clone()),
        ("Audited", report.generated_at.clone()),
        (
            "Engine",
            match entry.engine {
                Engine::Browser => "a real browser (Chromium), phase by phase".to_string(),
                Engine::Http => "plain HTTP (headers and inline scripts; no browser)".to_string(),
            },
        ),
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

    if !entry.notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n<ul>\n");
        for note in &entry.notes {
            let _ = writeln!(out, "<li>{}</li>", text(note));
        }
        out.push_str("</ul>\n");
    }
    phases(&mut out, &entry.phases, kept);

    let _ = writeln!(out, "<h2>Findings ({})</h2>", entry.findings.len());
    if entry.findings.is_empty() {
        out.push_str(
            "<p class=\"status-ok\">No finding: what the portal sets matches its policy.</p>\n",
        );
    } else {
        table(
            &mut out,
            &[
                "Severity",
                "Kind",
                "Phase",
                "Cookie or item",
                "Host",
                "Message",
                "Evidence",
            ],
            entry.findings.iter().map(|f| {
                vec![
                    Cell::Severity(f.severity),
                    Cell::Text(f.kind.id().into()),
                    opt(&f.phase),
                    opt(&f.cookie),
                    opt(&f.host),
                    Cell::Text(f.message.clone()),
                    Cell::Pre(f.evidence.clone().unwrap_or_default()),
                ]
            }),
        );
    }

    let _ = writeln!(
        out,
        "<h2>Cookies and storage observed ({})</h2>",
        entry.observed.len()
    );
    table(
        &mut out,
        &[
            "Name", "Storage", "Domain", "Path", "Lifetime", "Secure", "HttpOnly", "SameSite",
            "Set by", "Service", "Phases",
        ],
        entry.observed.iter().map(|c| {
            let lifetime = match (c.storage, c.lifetime_seconds) {
                (Storage::Cookie, Some(s)) => crate::model::DurationValue::Seconds(s).to_string(),
                (Storage::Cookie, None) => "session".into(),
                (Storage::LocalStorage, _) => "until cleared".into(),
                (Storage::SessionStorage, _) => "the tab's session".into(),
            };
            vec![
                Cell::Text(c.name.clone()),
                Cell::Text(c.storage.label().into()),
                Cell::Text(c.domain.clone()),
                Cell::Text(c.path.clone()),
                Cell::Text(lifetime),
                yes_no(c.secure),
                yes_no(c.http_only),
                opt(&c.same_site),
                Cell::Text(c.source.to_string()),
                opt(&c.service),
                Cell::Text(c.phases.join(", ")),
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
        &[
            "Address",
            "Phase",
            "Type",
            "Initiator",
            "Status",
            "Set-Cookie",
        ],
        entry.requests.iter().map(|r| {
            vec![
                Cell::Text(r.url.clone()),
                opt(&r.phase),
                opt(&r.resource_type),
                opt(&r.initiator),
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

/// The browser phases: what was found of the banner, what was clicked, and the screenshots.
fn phases(out: &mut String, phases: &[PhaseReport], kept: &[&str]) {
    if phases.is_empty() {
        return;
    }
    out.push_str("<h2>Phases</h2>\n");
    table(
        out,
        &["Phase", "Banner found", "Clicked", "How", "Error"],
        phases.iter().map(|p| {
            vec![
                Cell::Text(p.name.clone()),
                yes_no(p.banner.found),
                opt(&p.banner.clicked),
                opt(&p.banner.how),
                opt(&p.error),
            ]
        }),
    );
    out.push_str("<div class=\"screenshots\">\n");
    for phase in phases {
        let _ = match screenshot_name(phase) {
            Some(file) if kept.contains(&file) => writeln!(
                out,
                "<figure><img src=\"{}\" alt=\"The page after the {} phase\" width=\"640\">\
                 <figcaption>{}</figcaption></figure>",
                attr(file),
                attr(&phase.name),
                text(&phase.name)
            ),
            Some(file) => writeln!(
                out,
                "<p>{}: the screenshot {} is missing from the audit folder or unreadable.</p>",
                text(&phase.name),
                text(file)
            ),
            None => writeln!(out, "<p>{}: no screenshot was kept.</p>", text(&phase.name)),
        };
    }
    out.push_str("</div>\n");
}
