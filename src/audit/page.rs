//! Reading a fetched page: what it loads and from where, the cookies its inline scripts write,
//! and the cookie table of a published policy.

use std::sync::LazyLock;

use std::time::Instant;

use html5ever::tendril::{StrTendril, TendrilSink};
use scraper::{ElementRef, Html, HtmlTreeSink, Node, Selector};
use url::{Host, Url};

/// What a page loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    Script,
    Iframe,
    Image,
    Stylesheet,
    /// Another `<link>`: preconnect, prefetch, icon, manifest…
    Link,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub kind: ResourceKind,
    pub url: Url,
}

/// What the audit reads in one page.
#[derive(Clone, Debug, Default)]
pub struct PageContent {
    pub resources: Vec<Resource>,
    /// The text of every inline `<script>`.
    pub inline_scripts: Vec<String>,
    /// `<html lang>`, lower case, region dropped ("fr-FR" gives "fr").
    pub lang: Option<String>,
    /// The rows of every cookie table; none when the page has no cookie table.
    pub cookie_table: Option<Vec<PublishedRow>>,
}

/// One row of a published cookie table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishedRow {
    pub names: Vec<String>,
    pub provider: Option<String>,
    pub duration: Option<String>,
    /// The row's cells, as evidence.
    pub text: String,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("the audit's CSS selectors are valid")
}

static RESOURCES: LazyLock<Selector> = LazyLock::new(|| {
    selector(
        "script[src], iframe[src], img[src], link[href], base[href], html, script:not([src]), table",
    )
});

/// Markup fed to the parser at once: the deadline is checked between pieces.
const CHUNK: usize = 16 * 1024;
/// Tables looked into for a cookie table: each is searched for its rows, so a page of
/// thousands of nested tables must not make that quadratic.
const MAX_TABLES: usize = 100;

/// Reads `html`, fetched from `url`.
pub fn read(html: &str, url: &Url) -> PageContent {
    read_within(html, url, None).0
}

/// [`read`], stopping at `deadline`; false when it stopped before the end (what was read by
/// then is returned).
pub fn read_within(html: &str, url: &Url, deadline: Option<Instant>) -> (PageContent, bool) {
    let late = || deadline.is_some_and(|d| Instant::now() >= d);
    let mut complete = true;
    let mut parser = html5ever::driver::parse_document(
        HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    );
    let mut rest = html;
    while !rest.is_empty() {
        if late() {
            complete = false;
            break;
        }
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
    }
    let doc = parser.finish();
    let mut content = PageContent::default();
    let mut base = url.clone();
    let mut tables = Vec::new();
    for (i, el) in doc.select(&RESOURCES).enumerate() {
        if i % 1024 == 1023 && late() {
            complete = false;
            break;
        }
        let attr = |name| el.value().attr(name).map(str::trim);
        let (kind, target) = match el.value().name() {
            "html" => {
                content.lang = attr("lang")
                    .and_then(|l| l.split(['-', '_']).next())
                    .filter(|l| !l.is_empty())
                    .map(str::to_ascii_lowercase);
                continue;
            }
            "base" => {
                if let Some(b) = attr("href").and_then(|h| url.join(h).ok()) {
                    base = b;
                }
                continue;
            }
            "table" => {
                if tables.len() < MAX_TABLES {
                    tables.push(el);
                }
                continue;
            }
            "script" if attr("src").is_none() => {
                content.inline_scripts.push(el.text().collect());
                continue;
            }
            "script" => (ResourceKind::Script, attr("src")),
            "iframe" => (ResourceKind::Iframe, attr("src")),
            "img" => (ResourceKind::Image, attr("src")),
            _ => {
                let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                let kind = if rel.split_whitespace().any(|r| r == "stylesheet") {
                    ResourceKind::Stylesheet
                } else {
                    ResourceKind::Link
                };
                (kind, attr("href"))
            }
        };
        let Some(resolved) = target.and_then(|t| base.join(t).ok()) else {
            continue;
        };
        // data:, javascript:, about: load nothing from a host.
        if matches!(resolved.scheme(), "http" | "https") && resolved.host_str().is_some() {
            content.resources.push(Resource {
                kind,
                url: resolved,
            });
        }
    }
    let rows: Vec<PublishedRow> = tables
        .into_iter()
        .filter_map(cookie_rows)
        .flatten()
        .collect();
    let has_table = !rows.is_empty();
    content.cookie_table = has_table.then_some(rows);
    (content, complete)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    Provider,
    Duration,
    Other,
}

fn classify(header: &str) -> Col {
    let h = header.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["cookie"]) && has(&["name", "nom"]) {
        Col::Name
    } else if has(&["provider", "supplier", "fournisseur", "vendor", "éditeur"]) {
        Col::Provider
    } else if has(&[
        "duration",
        "durée",
        "duree",
        "expir",
        "lifetime",
        "conservation",
    ]) {
        Col::Duration
    } else {
        Col::Other
    }
}

/// The rows of a table whose header names a cookie-name column; none for any other table.
fn cookie_rows(table: ElementRef) -> Option<Vec<PublishedRow>> {
    let mut rows = own_rows(table);
    let header: Vec<Col> = own_cells(rows.next()?)
        .map(|c| classify(&cell_text(c).join(" ")))
        .collect();
    let name_col = header.iter().position(|&c| c == Col::Name)?;
    let col = |want: Col| header.iter().position(|&c| c == want);
    let (provider_col, duration_col) = (col(Col::Provider), col(Col::Duration));
    Some(
        rows.filter_map(|row| {
            let cells: Vec<Vec<String>> = own_cells(row).map(cell_text).collect();
            let names: Vec<String> = cells
                .get(name_col)?
                .iter()
                .flat_map(|line| line.split([',', ';', ' ', '/']))
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            let joined = |i: Option<usize>| {
                i.and_then(|i| cells.get(i))
                    .map(|lines| lines.join(" "))
                    .filter(|t| !t.is_empty())
            };
            (!names.is_empty()).then(|| PublishedRow {
                names,
                provider: joined(provider_col),
                duration: joined(duration_col),
                text: cells
                    .iter()
                    .map(|c| c.join(" "))
                    .collect::<Vec<_>>()
                    .join(" | "),
            })
        })
        .collect(),
    )
}

fn child_elements<'a>(el: ElementRef<'a>) -> impl Iterator<Item = ElementRef<'a>> {
    el.children().filter_map(ElementRef::wrap)
}

/// The rows of `table` itself (directly or in its `thead`/`tbody`/`tfoot`), not those of the
/// tables nested in its cells: each table reads only its own, so a page of tables nested
/// thousands deep is read in one pass.
fn own_rows(table: ElementRef) -> impl Iterator<Item = ElementRef> {
    child_elements(table).flat_map(|el| {
        let (row, group) = match el.value().name() {
            "tr" => (Some(el), None),
            "thead" | "tbody" | "tfoot" => (None, Some(child_elements(el))),
            _ => (None, None),
        };
        row.into_iter().chain(
            group
                .into_iter()
                .flatten()
                .filter(|r| r.value().name() == "tr"),
        )
    })
}

fn own_cells(row: ElementRef) -> impl Iterator<Item = ElementRef> {
    child_elements(row).filter(|c| matches!(c.value().name(), "td" | "th"))
}

/// A cell's text pieces (each text node, whitespace collapsed), so `a<br>b` gives two; the text
/// of a table nested in the cell is that table's, not the cell's.
fn cell_text(cell: ElementRef) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<_> = cell.children().collect();
    stack.reverse();
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => {
                let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !t.is_empty() {
                    out.push(t);
                }
            }
            Node::Element(e) if e.name() == "table" => {}
            _ => {
                let at = stack.len();
                stack.extend(node.children());
                stack[at..].reverse();
            }
        }
    }
    out
}

/// The registrable domain of a host (`www.example.co.uk` gives `example.co.uk`); an IP address
/// or a name without a public suffix stands for itself.
pub fn registrable_domain(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match Host::parse(&host) {
        Ok(Host::Domain(_)) => psl::domain_str(&host).unwrap_or(&host).to_string(),
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_resources_scripts_and_the_cookie_table() {
        let html = r#"<!doctype html><html lang="fr-FR"><head>
            <script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
            <link rel="stylesheet" href="/style.css"><link rel="preconnect" href="https://fonts.gstatic.com">
            <script>document.cookie = "a=b";</script></head><body>
            <img src="data:image/png;base64,xx"><iframe src="//www.youtube.com/embed/x"></iframe>
            <table><tr><th>Nom du fournisseur</th><th>Nom du cookie</th><th>Durée</th></tr>
            <tr><td>Google</td><td>_ga<br>_ga_*</td><td>13 mois</td></tr></table>
            <table><tr><th>Jour</th></tr><tr><td>lundi</td></tr></table></body></html>"#;
        let page = read(html, &Url::parse("https://portal.example/p/").unwrap());
        assert_eq!(page.lang.as_deref(), Some("fr"));
        let urls: Vec<String> = page.resources.iter().map(|r| r.url.to_string()).collect();
        assert_eq!(
            urls,
            [
                "https://www.googletagmanager.com/gtag/js?id=G-1",
                "https://portal.example/style.css",
                "https://fonts.gstatic.com/",
                "https://www.youtube.com/embed/x",
            ]
        );
        assert_eq!(page.inline_scripts.len(), 1);
        let rows = page.cookie_table.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].names, ["_ga", "_ga_*"]);
        assert_eq!(rows[0].provider.as_deref(), Some("Google"));
        assert_eq!(rows[0].duration.as_deref(), Some("13 mois"));
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable_domain("www.example.co.uk"), "example.co.uk");
        assert_eq!(registrable_domain("dashboard.paris"), "dashboard.paris");
        assert_eq!(registrable_domain("127.0.0.1"), "127.0.0.1");
        assert_eq!(registrable_domain("localhost"), "localhost");
    }
}
