//! Finding the policy inside a whole page and reading it as a flat run of blocks: headings,
//! paragraphs, lists and tables. Page furniture (navigation, header, footer, cookie banners,
//! "Download as PDF" links) is left out and named, so the report can show what was skipped.
//!
//! The walk uses an explicit stack, never recursion: a page of 100,000 nested `<div>`s costs
//! time in proportion to its size and no stack.

use std::collections::HashMap;
use std::sync::LazyLock;

use ego_tree::{NodeId, NodeRef};
use regex::Regex;
use scraper::{ElementRef, Html, Node};

mod rows;
mod visibility;

pub use rows::TableRow;
use visibility::{STYLE_HIDDEN, holds_policy_content, unseen, visible_text};

/// One block of the page, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageBlock {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    List(Vec<String>),
    /// A table's rows of cells, and its visible `<caption>`.
    Table {
        caption: Option<String>,
        rows: Vec<TableRow>,
    },
}

/// What was read from a page.
#[derive(Clone, Debug, Default)]
pub struct PageText {
    /// `<html lang>`, lower case, region dropped.
    pub lang: Option<String>,
    /// `<link rel=canonical>` or `og:url`.
    pub canonical: Option<String>,
    /// `og:site_name`.
    pub site_name: Option<String>,
    pub blocks: Vec<PageBlock>,
    /// Furniture left out: why, and its text (shortened).
    pub left_out: Vec<(String, String)>,
    /// Links whose words differ from their address: the words stay in the text, the address is
    /// listed here.
    pub links: Vec<(String, String)>,
    /// Policy content the page hides by its style (a collapsed panel, a tab not shown): kept,
    /// and its text (shortened) listed here.
    pub hidden_kept: Vec<String>,
}

/// Elements that never hold policy text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
    "input", "textarea", "img", "video", "audio", "canvas", "object", "head", "title", "meta",
    "link",
];
/// Elements that are page furniture wherever they stand.
const FURNITURE: &[&str] = &["nav", "header", "footer", "aside", "dialog"];

static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(cookie[-_ ]?(banner|consent|notice|bar|law|popup|modal)|consent[-_ ]?(banner|manager|popup)|onetrust|didomi|tarteaucitron|cookiebot|\bcc-(window|banner)\b|axeptio|gdpr[-_ ]?banner|(^|[\s_-])(breadcrumbs?|skip-link|site-header|site-footer|navbar|menu)([\s_-]|$))",
    )
    .expect("the banner pattern is a valid regex")
});

static DOWNLOAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(download|télécharger|telecharger|print|imprimer|version pdf|pdf|descargar|imprimir|herunterladen|drucken|scarica|stampa|downloaden|afdrukken)\b")
        .expect("the download pattern is a valid regex")
});

/// Reads `html`: the page's language, and the policy's blocks.
pub fn read_page(html: &str) -> PageText {
    let doc = Html::parse_document(html);
    let mut page = PageText::default();
    let root = doc.root_element();
    page.lang = root
        .value()
        .attr("lang")
        .and_then(|l| l.trim().split(['-', '_']).next())
        .filter(|l| !l.is_empty())
        .map(str::to_ascii_lowercase);
    for el in doc.root_element().descendent_elements() {
        let v = el.value();
        match v.name() {
            "link"
                if v.attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                page.canonical = page.canonical.take().or(v.attr("href").map(str::to_string));
            }
            "meta" => match v.attr("property") {
                Some("og:url") => {
                    page.canonical = page
                        .canonical
                        .take()
                        .or(v.attr("content").map(str::to_string))
                }
                Some("og:site_name") => page.site_name = v.attr("content").map(str::to_string),
                _ => {}
            },
            _ => {}
        }
    }
    let start = policy_root(&doc);
    Walker::new(&mut page).walk(start);
    // A page title standing apart from the policy's container (a theme's title block) is the
    // policy's title.
    let has_title = page
        .blocks
        .iter()
        .any(|b| matches!(b, PageBlock::Heading { level: 1, .. }));
    let title = (!has_title).then(|| title_before(root, start)).flatten();
    if let Some(h1) = title {
        let text = collapse(&h1.text().collect::<String>());
        page.blocks.insert(0, PageBlock::Heading { level: 1, text });
    }
    // Text outside the chosen root that is not furniture is still the page's: list it.
    if start.id() != root.id() {
        let outside = outside_text(root, start, title, &mut page.left_out);
        if !outside.is_empty() {
            page.left_out.push((
                "outside the policy's part of the page".into(),
                shorten(&outside),
            ));
        }
    }
    page
}

/// `<main>` (or `role=main`) when there is one, else a lone `<article>`, else the deepest element
/// holding most of the body's text.
fn policy_root(doc: &Html) -> ElementRef<'_> {
    let root = doc.root_element();
    let mut articles = Vec::new();
    for el in root.descendent_elements() {
        let v = el.value();
        if v.name() == "main" || v.attr("role") == Some("main") {
            return el;
        }
        if v.name() == "article" {
            articles.push(el);
        }
    }
    if let [one] = articles.as_slice() {
        return *one;
    }
    let body = root
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    let lengths = text_lengths(body);
    let len = |e: ElementRef| lengths.get(&e.id()).copied().unwrap_or(0);
    let mut at = body;
    let total = len(at);
    if total == 0 {
        return body;
    }
    // Step down while one child holds 80% of the text: the policy's own container.
    loop {
        let best = at
            .children()
            .filter_map(ElementRef::wrap)
            .map(|c| (len(c), c))
            .max_by_key(|(len, _)| *len);
        match best {
            Some((l, child)) if l * 5 >= total * 4 && is_container(child) => at = child,
            _ => return at,
        }
    }
}

/// An element a policy's own part of the page can be: never a paragraph, a table or an inline
/// element (an unclosed `<b>` may wrap most of a page).
fn is_container(el: ElementRef) -> bool {
    matches!(
        el.value().name(),
        "div" | "section" | "article" | "main" | "center"
    )
}

/// The length of the policy-worthy text under every node of `root` (furniture and scripts count
/// nothing), in one pass: children come after their parent in document order, so the reverse
/// order sums each node's children before the node.
fn text_lengths(root: ElementRef) -> HashMap<NodeId, usize> {
    let nodes: Vec<NodeRef<Node>> = root.descendants().collect();
    let mut lengths: HashMap<NodeId, usize> = HashMap::with_capacity(nodes.len());
    for node in nodes.iter().rev() {
        let len = match node.value() {
            Node::Text(t) => t.trim().len(),
            Node::Element(_) => match ElementRef::wrap(*node) {
                Some(e) if SKIPPED.contains(&e.value().name()) || is_furniture(&e) => 0,
                _ => node
                    .children()
                    .map(|c| lengths.get(&c.id()).copied().unwrap_or(0))
                    .sum(),
            },
            _ => 0,
        };
        lengths.insert(node.id(), len);
    }
    lengths
}

/// The text outside `inside` that is not furniture; furniture met on the way is listed in
/// `furniture`, and a lone download link outside is named as such.
fn outside_text(
    root: ElementRef,
    inside: ElementRef,
    title: Option<ElementRef>,
    furniture: &mut Vec<(String, String)>,
) -> String {
    let mut out = String::new();
    let mut stack = vec![*root];
    while let Some(node) = stack.pop() {
        if node.id() == inside.id() || title.is_some_and(|t| t.id() == node.id()) {
            continue;
        }
        match node.value() {
            Node::Text(t) if !t.trim().is_empty() => {
                out.push_str(t.trim());
                out.push(' ');
            }
            Node::Element(_) => {
                let Some(e) = ElementRef::wrap(node) else {
                    continue;
                };
                if SKIPPED.contains(&e.value().name()) {
                    continue;
                }
                let text = || collapse(&e.text().collect::<String>());
                if is_furniture(&e) {
                    let text = text();
                    if !text.is_empty() {
                        furniture.push((furniture_kind(&e).to_string(), shorten(&text)));
                    }
                    continue;
                }
                if e.value().name() == "a" && DOWNLOAD.is_match(&text()) {
                    furniture.push(("download or print link".into(), shorten(&text())));
                    continue;
                }
                stack.extend(node.children().rev());
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The first `<h1>` before `inside` in the page, outside it and outside furniture.
fn title_before<'a>(root: ElementRef<'a>, inside: ElementRef<'a>) -> Option<ElementRef<'a>> {
    for el in root.descendent_elements() {
        if el.id() == inside.id() {
            return None;
        }
        if el.value().name() == "h1"
            && !el
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| is_furniture(&a) || SKIPPED.contains(&a.value().name()))
            && !el.text().all(|t| t.trim().is_empty())
        {
            return Some(el);
        }
    }
    None
}

/// Navigation, header, footer, asides and cookie banners, by element or by role, id and class.
/// A `<header>` inside an article or the main part is that part's own (its title), as for
/// assistive technology.
fn is_furniture(el: &ElementRef) -> bool {
    let v = el.value();
    if v.name() == "header"
        && el.ancestors().filter_map(ElementRef::wrap).any(|a| {
            matches!(a.value().name(), "article" | "main" | "section")
                || a.value().attr("role") == Some("main")
        })
    {
        return false;
    }
    if FURNITURE.contains(&v.name()) {
        return true;
    }
    if matches!(
        v.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "dialog" | "alertdialog" | "complementary")
    ) {
        return true;
    }
    if v.attr("aria-modal") == Some("true") || v.attr("hidden").is_some() {
        return true;
    }
    let id = v.attr("id").unwrap_or_default();
    let class = v.attr("class").unwrap_or_default();
    BANNER.is_match(id) || BANNER.is_match(class)
}

fn furniture_kind(el: &ElementRef) -> &'static str {
    match el.value().name() {
        "nav" => "navigation",
        "header" => "page header",
        "footer" => "page footer",
        "aside" => "aside",
        _ => match el.value().attr("role") {
            Some("navigation") => "navigation",
            Some("banner") => "page header",
            Some("contentinfo") => "page footer",
            _ => "cookie banner or dialog",
        },
    }
}

/// Collapses whitespace; the result has single spaces and no ends.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(text: &str) -> String {
    crate::model::text::shorten(&collapse(text), 120)
}

struct Walker<'p> {
    page: &'p mut PageText,
}

impl<'p> Walker<'p> {
    fn new(page: &'p mut PageText) -> Self {
        Walker { page }
    }

    /// Walks the block structure under `root`; loose text between blocks becomes a paragraph.
    fn walk(&mut self, root: ElementRef) {
        let mut loose = String::new();
        let mut stack: Vec<Option<NodeRef<Node>>> = vec![Some(*root)];
        while let Some(step) = stack.pop() {
            // `None` marks the end of a block container: loose text before it is one paragraph.
            let Some(node) = step else {
                self.flush(&mut loose);
                continue;
            };
            match node.value() {
                Node::Text(t) => push_text(&mut loose, t),
                Node::Element(_) => {
                    let Some(el) = ElementRef::wrap(node) else {
                        continue;
                    };
                    let name = el.value().name();
                    if SKIPPED.contains(&name) || self.left_unseen(el) {
                        continue;
                    }
                    if name == "br" {
                        loose.push(' ');
                        continue;
                    }
                    if is_furniture(&el) {
                        let text = collapse(&el.text().collect::<String>());
                        if !text.is_empty() {
                            self.page
                                .left_out
                                .push((furniture_kind(&el).to_string(), shorten(&text)));
                        }
                        continue;
                    }
                    match name {
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            self.flush(&mut loose);
                            let level = name[1..].parse().unwrap_or(2);
                            let text = self.inline_text(el);
                            if !text.is_empty() {
                                self.page.blocks.push(PageBlock::Heading { level, text });
                            }
                        }
                        "p" => {
                            self.flush(&mut loose);
                            let text = self.inline_text(el);
                            self.paragraph(text);
                        }
                        "ul" | "ol" => {
                            self.flush(&mut loose);
                            let items = self.list_items(el);
                            if !items.is_empty() {
                                if name == "ol" {
                                    self.page.left_out.push((
                                        "numbering of a numbered list (kept as a bulleted list)"
                                            .into(),
                                        shorten(&items.join(" ")),
                                    ));
                                }
                                self.page.blocks.push(PageBlock::List(items));
                            }
                        }
                        "table" => {
                            self.flush(&mut loose);
                            let (caption, rows) = self.table_rows(el);
                            if !rows.is_empty() {
                                self.page.blocks.push(PageBlock::Table { caption, rows });
                            } else if let Some(caption) = caption {
                                self.paragraph(caption);
                            }
                        }
                        "a" | "span" | "strong" | "em" | "b" | "i" | "u" | "code" | "small"
                        | "sup" | "sub" | "abbr" | "mark" | "time" | "q" | "cite" | "font" => {
                            // Inline, but mis-nested markup can leave blocks inside (an
                            // unclosed `<b>` wraps the rest of the page): walk into it without
                            // ending a paragraph, so the blocks it holds stay blocks.
                            if name == "a" && !self.note_link(el) {
                                continue;
                            }
                            stack.extend(node.children().rev().map(Some));
                        }
                        _ => {
                            // A block container: what it holds, then the end of its block.
                            stack.push(None);
                            self.flush(&mut loose);
                            stack.extend(node.children().rev().map(Some));
                        }
                    }
                }
                _ => {}
            }
        }
        self.flush(&mut loose);
    }

    fn flush(&mut self, loose: &mut String) {
        let text = collapse(loose);
        loose.clear();
        self.paragraph(text);
    }

    fn paragraph(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        if DOWNLOAD.is_match(&text) && text.len() < 80 {
            self.page
                .left_out
                .push(("download or print link".into(), shorten(&text)));
            return;
        }
        self.page.blocks.push(PageBlock::Paragraph(text));
    }

    /// The text of an inline run, whitespace collapsed, links as their words.
    fn inline_text(&mut self, el: ElementRef) -> String {
        collapse(&self.inline_raw(el))
    }

    /// The text under `el` with `<br>` as a space; nested lists and tables are not inline and
    /// are left to their own blocks by the callers that meet them.
    fn inline_raw(&mut self, el: ElementRef) -> String {
        let mut out = String::new();
        let mut stack = vec![*el];
        while let Some(node) = stack.pop() {
            match node.value() {
                Node::Text(t) => push_text(&mut out, t),
                Node::Element(e) => {
                    let name = e.name();
                    if SKIPPED.contains(&name)
                        || ElementRef::wrap(node).is_some_and(|el| self.left_unseen(el))
                    {
                        continue;
                    }
                    if name == "br" {
                        out.push(' ');
                        continue;
                    }
                    if name == "a"
                        && let Some(a) = ElementRef::wrap(node)
                        && !self.note_link(a)
                    {
                        continue;
                    }
                    stack.extend(node.children().rev());
                }
                _ => {}
            }
        }
        out
    }

    /// Whether `el` is out of sight ([`unseen`]); its text is listed as left out. A container
    /// hidden by its style that holds a table or several paragraphs is a collapsed panel or a
    /// tab of the policy: it is kept (and listed), never lost.
    fn left_unseen(&mut self, el: ElementRef) -> bool {
        let Some(why) = unseen(el.value()) else {
            return false;
        };
        let text = collapse(&el.text().collect::<String>());
        if why == STYLE_HIDDEN && holds_policy_content(el) {
            self.page.hidden_kept.push(shorten(&text));
            return false;
        }
        if !text.is_empty() {
            self.page.left_out.push((why.into(), shorten(&text)));
        }
        true
    }

    /// A link whose words differ from its address: the words stay, the address is listed. A
    /// link that offers to print or download the page ("Print this page", "Download as PDF")
    /// is page furniture, inside the text too: left out (false). A link that only mentions a
    /// PDF ("our privacy notice (PDF)") is the policy's own words and stays.
    fn note_link(&mut self, a: ElementRef) -> bool {
        let words = visible_text(a);
        if DOWNLOAD.is_match(&words) && words.len() < 60 {
            self.page
                .left_out
                .push(("download or print link".into(), shorten(&words)));
            return false;
        }
        let Some(href) = a.value().attr("href").map(str::trim) else {
            return true;
        };
        let kept = ["http://", "https://", "mailto:"];
        if !words.is_empty() && words != href && kept.iter().any(|k| href.starts_with(k)) {
            self.page.links.push((words, href.to_string()));
        }
        true
    }

    fn list_items(&mut self, list: ElementRef) -> Vec<String> {
        let mut items = Vec::new();
        // Nested lists are flattened in order: an item, then the items of its own list.
        let mut stack = vec![list];
        while let Some(l) = stack.pop() {
            let mut nested = Vec::new();
            for li in l.children().filter_map(ElementRef::wrap) {
                let mut text = String::new();
                for child in li.children() {
                    match ElementRef::wrap(child) {
                        Some(c) if matches!(c.value().name(), "ul" | "ol") => nested.push(c),
                        Some(c) => text.push_str(&self.inline_raw(c)),
                        None => {
                            if let Node::Text(t) = child.value() {
                                push_text(&mut text, t)
                            }
                        }
                    }
                }
                let text = collapse(&text);
                if !text.is_empty() {
                    items.push(text);
                }
            }
            stack.extend(nested.into_iter().rev());
        }
        items
    }
}

fn push_text(out: &mut String, text: &str) {
    out.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_out_furniture_and_reads_blocks() {
        let html = r#"<html lang="en-GB"><body><nav><a href="/">Home</a></nav>
            <div id="cookie-banner">We use cookies <button>OK</button></div>
            <div class="wrap"><div class="content"><h1>Cookies</h1><p>We use <b>few</b> cookies.</p>
            <p><a href="/policy.pdf">Download as PDF</a></p>
            <ul><li>one</li><li>two<ul><li>two.a</li></ul></li></ul>
            Loose text<br>here.</div></div><footer>© 2026</footer></body></html>"#;
        let page = read_page(html);
        assert_eq!(page.lang.as_deref(), Some("en"));
        assert_eq!(
            page.blocks,
            vec![
                PageBlock::Heading {
                    level: 1,
                    text: "Cookies".into()
                },
                PageBlock::Paragraph("We use few cookies.".into()),
                PageBlock::List(vec!["one".into(), "two".into(), "two.a".into()]),
                PageBlock::Paragraph("Loose text here.".into()),
            ]
        );
        let kinds: Vec<&str> = page.left_out.iter().map(|(k, _)| k.as_str()).collect();
        assert!(kinds.contains(&"download or print link"), "{kinds:?}");
    }

    #[test]
    fn deep_nesting_neither_recurses_nor_hangs() {
        let html = format!(
            "{}<p>deep</p>{}",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        let page = read_page(&html);
        assert!(page.blocks.contains(&PageBlock::Paragraph("deep".into())));
    }
}
