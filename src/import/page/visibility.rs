//! What of a page a visitor sees: text hidden from sight (for screen readers, or by a style)
//! is not part of the policy's visible text, unless it is a whole panel of the policy.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Node};

use super::{SKIPPED, collapse};

/// Classes that hide an element from sight and keep it for screen readers (Bootstrap's
/// `sr-only`, the French state's `fr-sr-only`, `visually-hidden`, WordPress's
/// `screen-reader-text`, Drupal's `element-invisible`…), or a style that hides it.
static UNSEEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|\s)[\w-]*(sr-only|visually-?hidden|screen-?reader-(text|only)|element-invisible|show-for-sr|a11y-hidden|hidden-visually)(\s|$)",
    )
    .expect("the unseen pattern is a valid regex")
});

/// Why `el` is out of sight, when it is: the page's visible text, which an import renders
/// back, lacks it (a screen-reader-only caption, say).
pub(super) fn unseen(el: &scraper::node::Element) -> Option<&'static str> {
    if el.attr("class").is_some_and(|c| UNSEEN.is_match(c)) {
        return Some("screen-reader-only text");
    }
    let style: String = el
        .attr("style")?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    (style.contains("display:none") || style.contains("visibility:hidden")).then_some(STYLE_HIDDEN)
}

pub(super) const STYLE_HIDDEN: &str = "text hidden by its style";

/// Whether `el` holds a table or more than one paragraph, list item or heading.
pub(super) fn holds_policy_content(el: ElementRef) -> bool {
    let mut blocks = 0;
    for d in el.descendants().filter_map(ElementRef::wrap) {
        match d.value().name() {
            "table" => return true,
            "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dd" => blocks += 1,
            _ => {}
        }
        if blocks > 1 {
            return true;
        }
    }
    false
}

/// The text under `el` a visitor sees.
pub(super) fn visible_text(el: ElementRef) -> String {
    let mut out = String::new();
    let mut stack = vec![*el];
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if !SKIPPED.contains(&e.name()) && unseen(e).is_none() => {
                stack.extend(node.children().rev());
            }
            _ => {}
        }
    }
    collapse(&out)
}
