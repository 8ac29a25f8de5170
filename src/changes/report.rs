//! How changes are written: text for a terminal, Markdown (`CHANGES.md`) and JSON
//! (`changes.json`, `diff --format json`).

use std::fmt::Write;

use serde::Serialize;

use super::diff::{Changes, CookieChanges, FieldChange, SectionChange, SectionChangeKind, Side};
use super::snapshot::{CookieRecord, Kind};
use super::words::{Marks, WordOp, show};
use crate::model::text::plural;

/// Words of unchanged text shown on each side of a change.
const CONTEXT_WORDS: usize = 6;

/// The counts a report ends with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub sites_added: usize,
    pub sites_removed: usize,
    pub sites_changed: usize,
    pub cookies_added: usize,
    pub cookies_removed: usize,
    pub cookies_changed: usize,
    pub sections_changed: usize,
    pub findings: usize,
}

pub fn summary(changes: &Changes) -> Summary {
    let sum = |f: fn(&super::diff::SiteChanges) -> usize| changes.sites.iter().map(f).sum();
    Summary {
        sites_added: changes.sites_added.len(),
        sites_removed: changes.sites_removed.len(),
        sites_changed: changes
            .sites
            .iter()
            .filter(|s| s.content_changed || !s.fields.is_empty())
            .count(),
        cookies_added: sum(|s| s.cookies.added.len()),
        cookies_removed: sum(|s| s.cookies.removed.len()),
        cookies_changed: sum(|s| s.cookies.changed.len()),
        sections_changed: sum(|s| s.sections.len()),
        findings: sum(|s| s.findings.len()),
    }
}

/// `changes.json` and `diff --format json`.
pub fn json(changes: &Changes) -> Vec<u8> {
    #[derive(Serialize)]
    struct Doc<'a> {
        tool: &'a str,
        version: &'a str,
        summary: Summary,
        #[serde(flatten)]
        changes: &'a Changes,
    }
    crate::export::bundle::pretty_json(&Doc {
        tool: crate::TOOL,
        version: crate::VERSION,
        summary: summary(changes),
        changes,
    })
}

fn side(s: &Side) -> String {
    let what = match s.kind {
        Kind::Bundle => "bundle",
        Kind::SitesFolder => "sites folder",
    };
    // `.` is the bundle holding the report (`export --previous`).
    match (&s.generated_at, s.path == ".") {
        (Some(at), true) => format!("this {what} (generated {at})"),
        (Some(at), false) => format!("{} ({what} generated {at})", s.path),
        (None, _) => format!("{} ({what})", s.path),
    }
}

fn value(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => "(none)".into(),
    }
}

fn field_name(f: &FieldChange) -> String {
    // As the site file and the JSON name it, so a reader can search for it.
    match &f.lang {
        Some(lang) => format!("{} ({lang})", f.field),
        None => f.field.to_string(),
    }
}

pub fn field_line(f: &FieldChange) -> String {
    format!("{}: {} → {}", field_name(f), value(&f.old), value(&f.new))
}

/// "Google, statistics, 13 months".
pub fn cookie_words(c: &CookieRecord) -> String {
    [
        c.provider.as_str(),
        c.category.as_str(),
        c.duration.human.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(", ")
}

pub fn section_title(s: &SectionChange) -> String {
    match &s.old_heading {
        Some(old) => format!("({}) {old:?} → {:?}", s.lang, s.heading),
        None => format!("({}) {:?}", s.lang, s.heading),
    }
}

fn section_words(s: &SectionChange, marks: Marks) -> Option<String> {
    let any = s
        .words
        .iter()
        .any(|r| r.op != WordOp::Equal && !r.text.trim().is_empty());
    let context = match s.change {
        SectionChangeKind::Changed => CONTEXT_WORDS,
        // A whole section added or removed is shown whole.
        _ => usize::MAX / 4,
    };
    any.then(|| show(&s.words, context, marks))
}

fn total_line(changes: &Changes) -> String {
    let s = summary(changes);
    format!(
        "{} changed, {} added, {} removed: {} added, {} removed, {} changed; {} changed; {}",
        plural(s.sites_changed, "site"),
        s.sites_added,
        s.sites_removed,
        plural(s.cookies_added, "cookie"),
        s.cookies_removed,
        s.cookies_changed,
        plural(s.sections_changed, "section"),
        plural(s.findings, "finding"),
    )
}

/// The report for a terminal: one line a change, word changes as `[-old-]{+new+}`.
pub fn text(changes: &Changes) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "from {}", side(&changes.old));
    let _ = writeln!(out, "to   {}", side(&changes.new));
    for id in &changes.sites_added {
        let _ = writeln!(out, "+ site {id}");
    }
    for id in &changes.sites_removed {
        let _ = writeln!(out, "- site {id}");
    }
    for site in &changes.sites {
        let _ = writeln!(out, "\n{}", site.site);
        for f in &site.fields {
            let _ = writeln!(out, "  {}", field_line(f));
        }
        for lang in &site.languages_added {
            let _ = writeln!(out, "  + language {lang}");
        }
        for lang in &site.languages_removed {
            let _ = writeln!(out, "  - language {lang}");
        }
        cookie_lines(&mut out, &site.cookies);
        for s in &site.sections {
            let sign = match s.change {
                SectionChangeKind::Added => '+',
                SectionChangeKind::Removed => '-',
                SectionChangeKind::Changed => '~',
            };
            let _ = writeln!(out, "  {sign} section {}", section_title(s));
            if let Some(words) = section_words(s, Marks::Plain) {
                let _ = writeln!(out, "      {words}");
            }
        }
        for f in &site.findings {
            let _ = writeln!(out, "  {}[{}] {}", f.severity, f.rule, f.message);
        }
    }
    if changes.is_empty() {
        out.push_str("no changes\n");
    } else {
        let _ = writeln!(out, "\n{}", total_line(changes));
    }
    out
}

fn cookie_lines(out: &mut String, cookies: &CookieChanges) {
    for c in &cookies.added {
        let _ = writeln!(out, "  + cookie {} ({})", c.display_name, cookie_words(c));
    }
    for c in &cookies.removed {
        let _ = writeln!(out, "  - cookie {} ({})", c.display_name, cookie_words(c));
    }
    for c in &cookies.changed {
        let _ = writeln!(out, "  ~ cookie {}", c.name);
        for f in &c.changes {
            let _ = writeln!(out, "      {}", field_line(f));
        }
    }
}

/// Text that Markdown shows as written.
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if "\\`*_~[]<>|#!".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn md_value(v: &Option<String>) -> String {
    match v {
        Some(v) if !v.is_empty() => markdown_escape(v),
        Some(_) => "(empty)".into(),
        None => "(none)".into(),
    }
}

fn md_field(f: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        field_name(f),
        md_value(&f.old),
        md_value(&f.new)
    )
}

/// `CHANGES.md`: the same changes for a reader of the bundle.
pub fn markdown(changes: &Changes) -> String {
    let mut out = String::from("# What changed\n\n");
    let _ = writeln!(out, "From {}  ", markdown_escape(&side(&changes.old)));
    let _ = writeln!(out, "to {}.\n", markdown_escape(&side(&changes.new)));
    if changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let _ = writeln!(out, "{}.\n", total_line(changes));
    for (what, ids) in [
        ("Sites added", &changes.sites_added),
        ("Sites removed", &changes.sites_removed),
    ] {
        if !ids.is_empty() {
            let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            let _ = writeln!(out, "- {what}: {}", ids.join(", "));
        }
    }
    for site in &changes.sites {
        let _ = writeln!(out, "\n## {}\n", markdown_escape(&site.site));
        for f in &site.fields {
            let _ = writeln!(out, "- {}", md_field(f));
        }
        for lang in &site.languages_added {
            let _ = writeln!(out, "- Language added: {lang}");
        }
        for lang in &site.languages_removed {
            let _ = writeln!(out, "- Language removed: {lang}");
        }
        let cookies = &site.cookies;
        for (word, list) in [("added", &cookies.added), ("removed", &cookies.removed)] {
            for c in list {
                let _ = writeln!(
                    out,
                    "- Cookie {word}: **{}** ({})",
                    markdown_escape(&c.display_name),
                    markdown_escape(&cookie_words(c))
                );
            }
        }
        for c in &cookies.changed {
            let fields: Vec<String> = c.changes.iter().map(md_field).collect();
            let _ = writeln!(
                out,
                "- Cookie changed: **{}**: {}",
                markdown_escape(&c.name),
                fields.join("; ")
            );
        }
        for s in &site.sections {
            let word = match s.change {
                SectionChangeKind::Added => "added",
                SectionChangeKind::Removed => "removed",
                SectionChangeKind::Changed => "changed",
            };
            let _ = write!(
                out,
                "- Section {word} {}",
                markdown_escape(&section_title(s))
            );
            match section_words(s, Marks::Markdown) {
                Some(words) => {
                    let _ = writeln!(out, ": {words}");
                }
                None => out.push('\n'),
            }
        }
        for f in &site.findings {
            let _ = writeln!(
                out,
                "- **{}** `{}`: {}",
                f.severity,
                f.rule,
                markdown_escape(&f.message)
            );
        }
    }
    out
}
