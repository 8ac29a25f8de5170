//! Links inside policy text: `<https://…>` (shown with its brackets in plain text, as the
//! published pages do) and bare `https://…` addresses.

use linkify::{LinkFinder, LinkKind};

use super::document::Inline;

/// Splits `text` into plain runs and links. Only http(s) links are made clickable.
pub fn parse_inline(text: &str) -> Vec<Inline> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    let mut out = Vec::new();
    let mut plain_start = 0;
    for link in finder.links(text) {
        let url = link.as_str();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            continue;
        }
        let (mut start, mut end) = (link.start(), link.end());
        let bracketed = text[..start].ends_with('<') && text[end..].starts_with('>');
        if bracketed {
            start -= 1;
            end += 1;
        }
        if start > plain_start {
            out.push(Inline::Text(text[plain_start..start].to_string()));
        }
        out.push(Inline::Link {
            url: url.to_string(),
            bracketed,
        });
        plain_start = end;
    }
    if plain_start < text.len() || out.is_empty() {
        out.push(Inline::Text(text[plain_start..].to_string()));
    }
    out
}

/// The inlines as plain text, links as written.
pub fn plain(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Link {
                url,
                bracketed: true,
            } => format!("<{url}>"),
            Inline::Link { url, .. } => url.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bracketed_and_bare_links() {
        let parts = parse_inline("See <https://a.example> and https://b.example/x?y=1.");
        assert_eq!(
            parts,
            vec![
                Inline::Text("See ".into()),
                Inline::Link {
                    url: "https://a.example".into(),
                    bracketed: true
                },
                Inline::Text(" and ".into()),
                Inline::Link {
                    url: "https://b.example/x?y=1".into(),
                    bracketed: false
                },
                Inline::Text(".".into()),
            ]
        );
        assert_eq!(
            plain(&parts),
            "See <https://a.example> and https://b.example/x?y=1."
        );
    }

    #[test]
    fn leaves_other_schemes_as_text() {
        let parts = parse_inline("javascript:alert(1) and ftp://x.example");
        assert!(parts.iter().all(|p| matches!(p, Inline::Text(_))));
    }
}
