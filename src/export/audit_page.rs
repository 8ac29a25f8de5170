//! The last saved audit of a site, copied into the bundle as `audit.json` and shown as
//! `audit.html`. The audit file is read as plain JSON, so the bundle does not depend on the
//! audit's types; every value in it is escaped.

use std::fmt::Write;
use std::io::Read;
use std::path::{Path, PathBuf};

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde_json::Value;

use super::{ExportError, page};
use crate::store::AUDITS_DIR;

/// An audit file larger than this is not an audit PolicyDesk wrote.
const MAX_AUDIT_BYTES: u64 = 64 << 20;

pub struct LastAudit {
    pub path: PathBuf,
    /// The file's bytes, unchanged.
    pub json: Vec<u8>,
    pub html: String,
    pub generated_at: String,
    /// The phases' screenshots (file name, bytes), copied beside `audit.json` as the audit names
    /// them.
    pub screenshots: Vec<(String, Vec<u8>)>,
}

/// A screenshot larger than this is not one PolicyDesk took.
const MAX_SCREENSHOT_BYTES: u64 = 32 << 20;

/// The newest `<sites>/.audits/<id>/<timestamp>.json` (the names sort by time), if any.
pub fn last_audit(sites_dir: &Path, id: &str) -> Result<Option<LastAudit>, ExportError> {
    let dir = sites_dir.join(AUDITS_DIR).join(id);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    let newest = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .max();
    let Some(path) = newest else {
        return Ok(None);
    };
    let fail = |message: String| ExportError::Audit {
        path: path.clone(),
        message,
    };
    let mut json = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_AUDIT_BYTES + 1).read_to_end(&mut json))
        .map_err(|e| fail(format!("cannot read: {e}")))?;
    if json.len() as u64 > MAX_AUDIT_BYTES {
        return Err(fail(format!("larger than {} MiB", MAX_AUDIT_BYTES >> 20)));
    }
    let doc: Value = serde_json::from_slice(&json).map_err(|e| {
        fail(format!(
            "{}:{}: not a valid audit file: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let generated_at = words(&doc["generated_at"]);
    let html = render(id, &doc);
    let screenshots = screenshots(&dir, site_entry(id, &doc));
    Ok(Some(LastAudit {
        path,
        json,
        html,
        generated_at,
        screenshots,
    }))
}

/// The screenshots the phases of `entry` name, read from the audit folder `dir`. A name that
/// is not a plain `.png` file name in that folder, or a file gone, is left out (the page then
/// says the screenshot is missing).
fn screenshots(dir: &Path, entry: &Value) -> Vec<(String, Vec<u8>)> {
    items(&entry["phases"])
        .iter()
        .filter_map(|phase| screenshot_name(phase))
        .filter_map(|name| {
            let mut bytes = Vec::new();
            std::fs::File::open(dir.join(name))
                .and_then(|f| f.take(MAX_SCREENSHOT_BYTES).read_to_end(&mut bytes))
                .ok()?;
            bytes
                .starts_with(b"\x89PNG")
                .then(|| (name.to_string(), bytes))
        })
        .collect()
}

fn screenshot_name(phase: &Value) -> Option<&str> {
    phase["screenshot"].as_str().filter(|name| {
        name.ends_with(".png")
            && crate::store::is_safe_id(name)
            && super::paths::is_safe_relative(name)
    })
}

fn site_entry<'a>(id: &str, doc: &'a Value) -> &'a Value {
    let sites = items(&doc["sites"]);
    sites
        .iter()
        .find(|s| s["site"].as_str() == Some(id))
        .or(sites.first())
        .unwrap_or(&Value::Null)
}

/// A JSON value as a reader sees it: strings as they are, `null` as nothing.
fn words(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Array(items) => items.iter().map(words).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// A table of `rows`, one column per `(header, key)`; `pre` keys are shown as preformatted text.
fn table(out: &mut String, rows: &[Value], columns: &[(&str, &str)], pre: &[&str]) {
    out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
    for (header, _) in columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", text(header));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (_, key) in columns {
            let value = match &row[*key] {
                Value::Array(lines) if pre.contains(key) => {
                    lines.iter().map(words).collect::<Vec<_>>().join("\n")
                }
                v => words(v),
            };
            if pre.contains(key) {
                let _ = write!(
                    out,
                    "<td><pre class=\"evidence\">{}</pre></td>",
                    text(&value)
                );
            } else if *key == "severity" {
                let _ = write!(
                    out,
                    "<td><span class=\"badge status-{}\">{}</span></td>",
                    attr(&severity_class(&value)),
                    text(&value)
                );
            } else {
                let _ = write!(out, "<td>{}</td>", text(&value));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn severity_class(severity: &str) -> String {
    match severity {
        "error" | "warning" => severity.to_string(),
        _ => "ok".to_string(),
    }
}

/// `audit.html` for site `id` from an audit document.
pub fn render(id: &str, doc: &Value) -> String {
    let entry = site_entry(id, doc);
    let engine = entry["engine"].as_str().unwrap_or("http");
    let mut out = String::new();
    let _ = writeln!(out, "<h1>Audit of {}</h1>", text(id));
    out.push_str("<dl class=\"facts\">\n");
    let facts = [
        ("Site", words(&entry["site"])),
        ("Address", words(&entry["url"])),
        ("Audited", words(&doc["generated_at"])),
        (
            "Engine",
            match engine {
                "browser" => "a real browser (Chromium), phase by phase".to_string(),
                _ => "plain HTTP (headers and inline scripts; no browser)".to_string(),
            },
        ),
        (
            "Tool",
            format!("{} {}", words(&doc["tool"]), words(&doc["version"])),
        ),
    ];
    for (label, value) in facts {
        let _ = writeln!(out, "<dt>{label}</dt><dd>{}</dd>", text(&value));
    }
    out.push_str("</dl>\n");
    if !entry["error"].is_null() {
        let _ = writeln!(
            out,
            "<p class=\"status-error\">The audit could not complete: {}</p>",
            text(&words(&entry["error"]))
        );
    }

    let notes = items(&entry["notes"]);
    if !notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n<ul>\n");
        for note in notes {
            let _ = writeln!(out, "<li>{}</li>", text(&words(note)));
        }
        out.push_str("</ul>\n");
    }
    phases(&mut out, entry);

    let findings = items(&entry["findings"]);
    let _ = writeln!(out, "<h2>Findings ({})</h2>", findings.len());
    if findings.is_empty() {
        out.push_str(
            "<p class=\"status-ok\">No finding: what the portal sets matches its policy.</p>\n",
        );
    } else {
        table(
            &mut out,
            findings,
            &[
                ("Severity", "severity"),
                ("Kind", "kind"),
                ("Phase", "phase"),
                ("Cookie or item", "cookie"),
                ("Host", "host"),
                ("Message", "message"),
                ("Evidence", "evidence"),
            ],
            &["evidence"],
        );
    }

    let observed = items(&entry["observed"]);
    let _ = writeln!(
        out,
        "<h2>Cookies and storage observed ({})</h2>",
        observed.len()
    );
    let observed: Vec<Value> = observed
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c["lifetime"] = match c["lifetime_seconds"].as_u64() {
                Some(s) => Value::String(crate::model::DurationValue::Seconds(s).to_string()),
                None => Value::String("session".into()),
            };
            c
        })
        .collect();
    table(
        &mut out,
        &observed,
        &[
            ("Name", "name"),
            ("Storage", "storage"),
            ("Domain", "domain"),
            ("Path", "path"),
            ("Lifetime", "lifetime"),
            ("Secure", "secure"),
            ("HttpOnly", "http_only"),
            ("SameSite", "same_site"),
            ("Set by", "source"),
            ("Service", "service"),
            ("Phases", "phases"),
        ],
        &[],
    );

    let hosts = items(&entry["third_party_hosts"]);
    if !hosts.is_empty() {
        out.push_str("<h2>Third-party hosts</h2>\n<ul>\n");
        for host in hosts {
            let _ = writeln!(out, "<li><code>{}</code></li>", text(&words(host)));
        }
        out.push_str("</ul>\n");
    }

    let requests = items(&entry["requests"]);
    let _ = writeln!(out, "<h2>Requests ({})</h2>", requests.len());
    table(
        &mut out,
        requests,
        &[
            ("Address", "url"),
            ("Phase", "phase"),
            ("Type", "resource_type"),
            ("Initiator", "initiator"),
            ("Status", "status"),
            ("Set-Cookie", "set_cookie"),
        ],
        &["set_cookie"],
    );
    let _ = writeln!(
        out,
        "<footer><p>The audit as recorded: <a href=\"audit.json\">audit.json</a> · \
         <a href=\"../index.html\">all sites of this bundle</a></p></footer>"
    );
    page::page(&format!("Audit of {id}"), "wide", &out)
}

/// The browser phases: what was found of the banner, what was clicked, and the screenshot.
fn phases(out: &mut String, entry: &Value) {
    let phases = items(&entry["phases"]);
    if phases.is_empty() {
        return;
    }
    out.push_str("<h2>Phases</h2>\n");
    table(
        out,
        phases,
        &[
            ("Phase", "name"),
            ("Error", "error"),
            ("Screenshot", "screenshot"),
        ],
        &[],
    );
    let banners: Vec<Value> = phases
        .iter()
        .map(|p| {
            let mut b = p["banner"].clone();
            if b.is_object() {
                b["phase"] = p["name"].clone();
            }
            b
        })
        .collect();
    out.push_str("<h3>Consent banner</h3>\n");
    table(
        out,
        &banners,
        &[
            ("Phase", "phase"),
            ("Found", "found"),
            ("Clicked", "clicked"),
            ("How", "how"),
        ],
        &[],
    );
    out.push_str("<div class=\"screenshots\">\n");
    for phase in phases {
        let name = words(&phase["name"]);
        match screenshot_name(phase) {
            Some(file) => {
                let _ = writeln!(
                    out,
                    "<figure><img src=\"{}\" alt=\"The page after the {} phase\" width=\"640\">\
                     <figcaption>{}</figcaption></figure>",
                    attr(file),
                    attr(&name),
                    text(&name)
                );
            }
            None => {
                let _ = writeln!(out, "<p>{}: no screenshot was kept.</p>", text(&name));
            }
        }
    }
    out.push_str("</div>\n");
}
