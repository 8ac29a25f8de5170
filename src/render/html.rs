//! A standalone HTML page with the stylesheet from `assets/`. Every piece of policy text goes
//! through `html-escape`; links are only ever http(s) addresses.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::document::{Block, Document, Inline};

/// The stylesheet of every HTML page PolicyDesk writes.
pub const STYLESHEET: &str = include_str!("../../assets/policy.css");

pub fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"PolicyDesk\">\n\
         <title>{title} · {site}</title>\n<style>\n{css}</style>\n</head>\n<body>\n\
         <main class=\"policy\">\n",
        lang = attr(&doc.lang),
        title = text(&doc.title),
        site = text(&doc.site_name),
        css = STYLESHEET,
    );
    body(&mut out, &doc.blocks);
    // A site file may hold any URL scheme; only http(s) becomes a link (never `javascript:`).
    let address = if doc.policy_url.starts_with("https://") || doc.policy_url.starts_with("http://")
    {
        format!(
            "<a href=\"{}\">{}</a>",
            attr(&doc.policy_url),
            text(&doc.policy_url)
        )
    } else {
        text(&doc.policy_url).into_owned()
    };
    let _ = write!(
        out,
        "<footer>\n<p>{site} · {address}</p>\n\
         <p>Policy version {version} · last reviewed {review}</p>\n</footer>\n</main>\n</body>\n</html>\n",
        site = text(&doc.site_name),
        version = text(&doc.policy_version),
        review = text(&doc.last_review),
    );
    out
}

/// The blocks alone, for pages that embed a policy (the export's index, the audit report).
pub fn body(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                let _ = writeln!(out, "<h{level}>{}</h{level}>", inlines(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", inlines(text));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", inlines(item));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(table) => {
                out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
                for h in &table.headers {
                    let _ = write!(out, "<th scope=\"col\">{}</th>", text(h));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for (r, row) in table.rows.iter().enumerate() {
                    // A group's heading opens a body of its own, which it heads.
                    if r > 0 && !row.groups.is_empty() {
                        out.push_str("</tbody>\n<tbody>\n");
                    }
                    for group in &row.groups {
                        let _ = writeln!(
                            out,
                            "<tr class=\"group\"><th colspan=\"{}\" scope=\"rowgroup\">{}</th></tr>",
                            table.headers.len().max(1),
                            text(group)
                        );
                    }
                    let _ = write!(out, "<tr id=\"cookie-{}\">", attr(&row.cookie));
                    for cell in &row.cells {
                        let _ = write!(out, "<td>{}</td>", inlines(cell));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table></div>\n");
            }
        }
    }
}

fn inlines(parts: &[Inline]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Inline::Text(t) => out.push_str(&text(t)),
            // A bracketed link keeps its brackets on the page, as the plain text shows them.
            Inline::Link { url, bracketed } => {
                let (open, close) = if *bracketed {
                    ("&lt;", "&gt;")
                } else {
                    ("", "")
                };
                let _ = write!(
                    out,
                    "{open}<a href=\"{}\">{}</a>{close}",
                    attr(url),
                    text(url)
                );
            }
        }
    }
    out
}
