//! `index.html`: every site of the bundle, its languages, its check status and links to its
//! files.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use time::OffsetDateTime;

use super::bundle::SiteSummary;
use super::manifest;
use super::page;
use crate::timestamp::rfc3339;

pub const FILE: &str = "index.html";

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The check status as a badge: "ok", or the counts of what was found.
fn status(counts: (usize, usize, usize)) -> String {
    let (errors, warnings, infos) = counts;
    let class = match (errors, warnings) {
        (0, 0) => "ok",
        (0, _) => "warning",
        _ => "error",
    };
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if parts.is_empty() {
        parts.push("ok".into());
    }
    let mut html = format!(
        "<span class=\"badge status-{class}\">{}</span>",
        parts.join(", ")
    );
    if infos > 0 {
        let _ = write!(html, " <span class=\"muted\">{infos} info</span>");
    }
    html
}

fn link(out: &mut String, href: &str, label: &str) {
    let _ = write!(out, "<a href=\"{}\">{}</a>", attr(href), text(label));
}

pub fn render(sites: &[SiteSummary], generated_at: OffsetDateTime) -> String {
    let when = rfc3339(generated_at);
    let shown = generated_at
        .to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC"
        ))
        .unwrap_or_else(|_| when.clone());
    let cookies: usize = sites.iter().map(|s| s.cookies).sum();
    let mut out = String::with_capacity(2048 + sites.len() * 1500);
    out.push_str("<h1>Cookie policy bundle</h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"lede\">{} · {} declared · generated <time datetime=\"{w}\">{s}</time> by {} {}</p>",
        plural(sites.len(), "site"),
        plural(cookies, "cookie"),
        crate::TOOL,
        text(crate::VERSION),
        w = text(&when),
        s = text(&shown),
    );
    out.push_str(
        "<div class=\"table-wrap\"><table class=\"sites\">\n<thead><tr>\
         <th scope=\"col\">Site</th><th scope=\"col\">Languages</th>\
         <th scope=\"col\" class=\"num\">Cookies</th><th scope=\"col\">Check</th>\
         <th scope=\"col\">Policy</th><th scope=\"col\">Declarations and evidence</th>\
         </tr></thead>\n<tbody>\n",
    );
    for site in sites {
        let id = &site.id;
        let _ = write!(
            out,
            "<tr id=\"site-{}\"><td class=\"site\"><strong>{}</strong><code>{}</code></td>\
             <td>{}</td><td class=\"num\">{}</td><td>{}</td><td><ul class=\"files\">",
            attr(id),
            text(&site.name),
            text(id),
            text(&site.languages.join(", ")),
            site.cookies,
            status(site.counts),
        );
        for lang in &site.languages {
            let _ = write!(out, "<li><span class=\"lang\">{}</span>", text(lang));
            for (ext, label) in [
                ("html", "page"),
                ("pdf", "PDF"),
                ("md", "Markdown"),
                ("txt", "text"),
            ] {
                if ext != "html" {
                    out.push_str(" · ");
                }
                link(&mut out, &format!("{id}/policy.{lang}.{ext}"), label);
            }
            out.push_str("</li>");
        }
        out.push_str("</ul></td><td><ul class=\"files\"><li>");
        link(&mut out, &format!("{id}/cookies.csv"), "cookies.csv");
        out.push_str(" · ");
        link(&mut out, &format!("{id}/cookies.json"), "cookies.json");
        out.push_str("</li><li>");
        link(&mut out, &format!("{id}/check.json"), "check.json");
        out.push_str(" · ");
        link(&mut out, &format!("{id}/site.ron"), "site.ron");
        out.push_str("</li><li>");
        match &site.audit {
            Some(when) => {
                link(&mut out, &format!("{id}/audit.html"), "audit");
                // The day is enough here; audit.html gives the exact time.
                let day = when.split('T').next().unwrap_or(when);
                let _ = write!(out, " <span class=\"muted\">{}</span> · ", text(day));
                link(&mut out, &format!("{id}/audit.json"), "json");
            }
            None => out.push_str("<span class=\"muted\">no audit saved</span>"),
        }
        out.push_str("</li></ul></td></tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    let _ = writeln!(
        out,
        "<h2>Checking this bundle</h2>\n<p><a href=\"{m}\">{m}</a> lists every other file with \
         its size and SHA-256. Run <code>policydesk verify &lt;this folder or zip&gt;</code> to \
         find any file changed, missing or added since the export.</p>\n\
         <footer><p>Generated by {} {} on <time datetime=\"{w}\">{s}</time>.</p></footer>",
        crate::TOOL,
        text(crate::VERSION),
        m = manifest::FILE,
        w = text(&when),
        s = text(&shown),
    );
    page::page("Cookie policy bundle", "wide", &out)
}
