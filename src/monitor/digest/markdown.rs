//! The digest as Markdown, fit for a mail or an issue: one line per change, naming its sites.

use std::fmt::Write;

use super::{Digest, FindingGroup, ItemGroup};
use crate::model::duration::human_seconds;
use crate::model::text::plural;

pub fn render(d: &Digest) -> String {
    let mut out = String::from("# What changed in the audits\n\n");
    let what = match &d.since {
        Some(since) => format!("Each site's newest audit against its last audit before {since}"),
        None => "Each site's newest audit against the one before it".into(),
    };
    let _ = writeln!(
        out,
        "{what}: {} compared. Generated {} by {} {}.\n",
        plural(d.sites_compared, "site"),
        d.generated_at,
        d.tool,
        d.version
    );
    if d.is_empty() {
        out.push_str("No change.\n");
        return out;
    }
    section(&mut out, "New errors", d.new_errors.iter().map(finding));
    section(&mut out, "Errors gone", d.gone_errors.iter().map(finding));
    section(&mut out, "Appeared", d.appeared.iter().map(item));
    section(&mut out, "Disappeared", d.disappeared.iter().map(item));
    section(
        &mut out,
        "Lifetimes changed",
        d.lifetime_changed.iter().map(|g| {
            format!(
                "{} {}: {} → {} — {}",
                storage(&g.storage),
                code(&g.name),
                lifetime(g.before),
                lifetime(g.after),
                where_(&g.domain, &g.sites)
            )
        }),
    );
    section(
        &mut out,
        "Could not be audited",
        d.not_audited
            .iter()
            .map(|n| format!("{} ({}): {}", n.site, n.at, code(&n.error))),
    );
    if !d.first_audits.is_empty() {
        section(
            &mut out,
            "Audited for the first time",
            std::iter::once(d.first_audits.join(", ")),
        );
    }
    out
}

fn section(out: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {title} ({})\n", lines.len());
    for line in lines {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
}

fn finding(g: &FindingGroup) -> String {
    let mut what = code(&g.kind);
    if let Some(cookie) = &g.cookie {
        let _ = write!(what, " {}", code(cookie));
    }
    if let Some(host) = &g.host {
        let _ = write!(what, " ({})", code(host));
    }
    format!(
        "{what} — {}: {}",
        plural(g.sites.len(), "site"),
        g.sites.join(", ")
    )
}

fn item(g: &ItemGroup) -> String {
    format!(
        "{} {} — {}",
        storage(&g.storage),
        code(&g.name),
        where_(&g.domain, &g.sites)
    )
}

fn where_(domain: &Option<String>, sites: &[String]) -> String {
    let on = match domain {
        Some(d) => format!("on {}", code(d)),
        None => "on the site's own domain".into(),
    };
    format!(
        "{on}, {}: {}",
        plural(sites.len(), "site"),
        sites.join(", ")
    )
}

fn storage(s: &str) -> String {
    match s {
        "cookie" => "cookie".into(),
        "local_storage" => "local storage item".into(),
        "session_storage" => "session storage item".into(),
        other => format!("{} item", other.replace('_', " ")),
    }
}

fn lifetime(l: Option<u64>) -> String {
    l.map_or_else(|| "session".into(), human_seconds)
}

/// `text` as inline code: what a server sent cannot start Markdown of its own.
fn code(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c == '`' || c.is_control() { '\'' } else { c })
        .collect();
    format!("`{clean}`")
}
