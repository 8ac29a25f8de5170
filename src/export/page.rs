//! The frame of the bundle's own pages (index, audit report): the policy pages' stylesheet plus
//! the few rules these pages add.

use std::fmt::Write;

use html_escape::encode_text as text;

use crate::render::html::STYLESHEET;

/// Rules for the index and audit pages only, so the policy pages stay exactly as published.
pub const BUNDLE_STYLESHEET: &str = include_str!("../../assets/bundle.css");

/// A standalone page; `main_html` must already be escaped.
pub fn page(title: &str, main_class: &str, main_html: &str) -> String {
    let mut out = String::with_capacity(main_html.len() + STYLESHEET.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{tool}\">\n\
         <title>{title}</title>\n<style>\n{STYLESHEET}{BUNDLE_STYLESHEET}</style>\n</head>\n<body>\n\
         <main class=\"{main_class}\">\n{main_html}</main>\n</body>\n</html>\n",
        tool = crate::TOOL,
        title = text(title),
    );
    out
}
