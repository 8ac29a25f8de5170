//! Comments a person wrote in a site file survive a rewrite (`fmt`, a save from the app).
//!
//! Each comment is anchored to the structural place of the value it stands before (or, for a
//! comment at the end of a line, the value that line holds): `cookies[name "_ga"].purpose`.
//! Members of a list are known by the first string inside them (a cookie's name, a section's
//! heading) and only then by their position, so a comment follows its cookie when others are
//! added or removed. The canonical text is then walked the same way and each comment put back at
//! its place. A comment whose place is gone (its cookie was deleted) is kept at the end of the
//! nearest enclosing part that still exists, never dropped.

use super::ron_lex::{self, Kind, Token};

/// Deeper than any site file; `ron` itself stops at 128.
const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Root,
    Field(String),
    Key(String),
    Index(usize),
}

#[derive(Debug)]
struct Node {
    seg: Seg,
    parent: Option<usize>,
    /// Byte offset of the node's first token (a field's name, a map entry's key).
    start: usize,
    /// Byte offset of the closing bracket, for a bracketed value.
    close: Option<usize>,
    children: Vec<usize>,
    /// For a list or tuple member: the first string inside it.
    label: Option<String>,
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Start(usize),
    Close(usize),
}

/// The value tree of a RON text, with where each node starts and ends.
struct Tree {
    nodes: Vec<Node>,
    /// In text order.
    events: Vec<(usize, Event)>,
    tokens: Vec<Token>,
}

struct Parser<'a> {
    text: &'a str,
    code: Vec<Token>,
    /// For each code token, the index of the first string token at or after it.
    next_str: Vec<usize>,
    pos: usize,
    nodes: Vec<Node>,
    events: Vec<(usize, Event)>,
}

fn parse(text: &str) -> Result<Tree, String> {
    let tokens = ron_lex::tokens(text).map_err(|(at, why)| format!("{why} at byte {at}"))?;
    let code: Vec<Token> = tokens
        .iter()
        .copied()
        .filter(|t| t.kind != Kind::Comment)
        .collect();
    let mut next_str = vec![code.len(); code.len() + 1];
    for i in (0..code.len()).rev() {
        next_str[i] = if code[i].kind == Kind::Str {
            i
        } else {
            next_str[i + 1]
        };
    }
    let mut p = Parser {
        text,
        code,
        next_str,
        pos: 0,
        nodes: Vec::new(),
        events: Vec::new(),
    };
    p.skip_header();
    let start = p.peek().ok_or("no value")?.start;
    let root = p.node(Seg::Root, None, start);
    p.value(Some(root), 0)?;
    if p.pos != p.code.len() {
        return Err("text after the value".into());
    }
    Ok(Tree {
        nodes: p.nodes,
        events: p.events,
        tokens,
    })
}

impl Parser<'_> {
    fn peek(&self) -> Option<Token> {
        self.code.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<Token, String> {
        let t = self.peek().ok_or("unexpected end")?;
        self.pos += 1;
        Ok(t)
    }

    fn kind_at(&self, pos: usize) -> Option<Kind> {
        self.code.get(pos).map(|t| t.kind)
    }

    /// `#![enable(…)]` lines.
    fn skip_header(&mut self) {
        while self
            .peek()
            .is_some_and(|t| self.text[t.start..t.end].starts_with('#'))
            && self.kind_at(self.pos + 1) == Some(Kind::Open(b'['))
        {
            self.pos += 1;
            let mut depth = 0usize;
            while let Some(t) = self.peek() {
                self.pos += 1;
                match t.kind {
                    Kind::Open(_) => depth += 1,
                    Kind::Close(_) => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn node(&mut self, seg: Seg, parent: Option<usize>, start: usize) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node {
            seg,
            parent,
            start,
            close: None,
            children: Vec::new(),
            label: None,
        });
        if let Some(p) = parent {
            self.nodes[p].children.push(id);
        }
        self.events.push((start, Event::Start(id)));
        id
    }

    /// One value; `node` is `None` for a map key, which is a place, not a value to anchor to.
    fn value(&mut self, node: Option<usize>, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        if let Some(Kind::Open(open)) = self.kind_at(self.pos) {
            self.pos += 1;
            return self.container(node, open, depth);
        }
        // A name, number or string; `ron` also takes them glued (`Some"x"`, found by fuzzing).
        let first = self.pos;
        while matches!(self.kind_at(self.pos), Some(Kind::Word | Kind::Str)) {
            self.pos += 1;
        }
        if self.pos == first {
            let t = self.peek().ok_or("unexpected end")?;
            return Err(format!("unexpected {:?}", &self.text[t.start..t.end]));
        }
        // A variant or a named struct: its members follow.
        if let Some(Kind::Open(open)) = self.kind_at(self.pos) {
            self.pos += 1;
            return self.container(node, open, depth);
        }
        Ok(())
    }

    /// The members of a bracketed value whose opening bracket was just read.
    fn container(&mut self, node: Option<usize>, open: u8, depth: usize) -> Result<(), String> {
        let is_struct = open == b'('
            && self.kind_at(self.pos) == Some(Kind::Word)
            && self.kind_at(self.pos + 1) == Some(Kind::Colon);
        let mut index = 0;
        loop {
            let t = self.peek().ok_or("unclosed bracket")?;
            if let Kind::Close(_) = t.kind {
                self.pos += 1;
                if let Some(n) = node {
                    self.nodes[n].close = Some(t.start);
                    self.events.push((t.start, Event::Close(n)));
                }
                return Ok(());
            }
            let first = self.pos;
            let child = if is_struct {
                let name = self.next()?;
                if self.next()?.kind != Kind::Colon {
                    return Err("expected ':'".into());
                }
                let seg = Seg::Field(self.text[name.start..name.end].to_string());
                node.map(|n| self.node(seg, Some(n), t.start))
            } else if open == b'{' {
                self.value(None, depth + 1)?;
                let key = self.text[t.start..self.code[self.pos - 1].end].to_string();
                if self.next()?.kind != Kind::Colon {
                    return Err("expected ':'".into());
                }
                node.map(|n| self.node(Seg::Key(key), Some(n), t.start))
            } else {
                node.map(|n| self.node(Seg::Index(index), Some(n), t.start))
            };
            self.value(child, depth + 1)?;
            if let Some(c) = child
                && matches!(self.nodes[c].seg, Seg::Index(_))
            {
                let s = self.next_str[first];
                if s < self.pos {
                    let tok = self.code[s];
                    self.nodes[c].label = Some(self.text[tok.start..tok.end].to_string());
                }
            }
            index += 1;
            match self.peek().map(|t| t.kind) {
                Some(Kind::Comma) => self.pos += 1,
                Some(Kind::Close(_)) => {}
                _ => return Err("expected ',' or a closing bracket".into()),
            }
        }
    }
}

/// Where a comment goes back.
#[derive(Clone, Copy, Debug)]
enum Anchor {
    FileStart,
    FileEnd,
    /// On its own line(s) before the node.
    Before(usize),
    /// On its own line(s) at the end of the node's members.
    BeforeClose(usize),
    /// At the end of the line where the node starts (or closes).
    AfterStart(usize),
    AfterClose(usize),
}

fn anchors(tree: &Tree, text: &str) -> Vec<(Token, Anchor)> {
    let mut out: Vec<(Token, Anchor)> = Vec::new();
    let mut seen_code = false;
    let mut prev: Option<(Token, bool)> = None; // the previous token, and whether it ends a line's code
    for &t in &tree.tokens {
        if t.kind != Kind::Comment {
            seen_code = true;
            prev = Some((t, true));
            continue;
        }
        let trailing = prev
            .is_some_and(|(p, code_on_line)| code_on_line && !text[p.end..t.start].contains('\n'));
        let anchor = if !seen_code {
            Anchor::FileStart
        } else if trailing {
            let i = tree.events.partition_point(|(at, _)| *at < t.start);
            match i.checked_sub(1).map(|i| tree.events[i].1) {
                Some(Event::Start(n)) => Anchor::AfterStart(n),
                Some(Event::Close(n)) => Anchor::AfterClose(n),
                None => Anchor::FileStart,
            }
        } else {
            let i = tree.events.partition_point(|(at, _)| *at < t.start);
            match tree.events.get(i).map(|e| e.1) {
                Some(Event::Start(n)) => Anchor::Before(n),
                Some(Event::Close(n)) => Anchor::BeforeClose(n),
                None => Anchor::FileEnd,
            }
        };
        out.push((t, anchor));
        prev = Some((t, trailing));
    }
    out
}

/// The node of `to` at the place of node `n` of `from`: `Ok` when found, else `Err` with the
/// deepest enclosing node that was found.
fn counterpart(from: &Tree, to: &Tree, n: usize) -> Result<usize, usize> {
    let mut path = vec![n];
    while let Some(p) = from.nodes[*path.last().unwrap_or(&0)].parent {
        path.push(p);
    }
    path.pop(); // the root, which always has its counterpart
    let mut here = 0;
    for &step in path.iter().rev() {
        let want = &from.nodes[step];
        let children = &to.nodes[here].children;
        let found = match want.seg {
            Seg::Index(i) => want
                .label
                .as_ref()
                .and_then(|label| {
                    children
                        .iter()
                        .filter(|&&c| to.nodes[c].label.as_ref() == Some(label))
                        .min_by_key(|&&c| match to.nodes[c].seg {
                            Seg::Index(j) => j.abs_diff(i),
                            _ => usize::MAX,
                        })
                })
                .or_else(|| {
                    // The member now at that place, unless it is one that was there before under
                    // another place (then this one was deleted, not edited).
                    let siblings = &from.nodes[want.parent.unwrap_or(0)].children;
                    let was_there = |label: &Option<String>| {
                        label.is_some() && siblings.iter().any(|&s| &from.nodes[s].label == label)
                    };
                    children.iter().find(|&&c| {
                        to.nodes[c].seg == Seg::Index(i) && !was_there(&to.nodes[c].label)
                    })
                }),
            _ => children.iter().find(|&&c| to.nodes[c].seg == want.seg),
        };
        match found {
            Some(&c) => here = c,
            None => return Err(here),
        }
    }
    Ok(here)
}

/// `canonical` with the comments of `original` put back; both must be the same value.
pub fn keep_comments(original: &str, canonical: &str) -> Result<String, String> {
    if comments_of(original)?.is_empty() {
        return Ok(canonical.to_string());
    }
    let before = parse(original)?;
    let placed = anchors(&before, original);
    if placed.is_empty() {
        return Ok(canonical.to_string());
    }
    let after = parse(canonical)?;
    let fallback = |n: usize| match after.nodes[n].close {
        Some(_) => Anchor::BeforeClose(n),
        None => Anchor::Before(n),
    };
    let mut inserts: Vec<(usize, bool, String)> = Vec::new(); // (offset, trailing, text)
    for (tok, anchor) in &placed {
        let comment = &original[tok.start..tok.end];
        let target = match *anchor {
            Anchor::FileStart | Anchor::FileEnd => *anchor,
            Anchor::Before(n) => {
                counterpart(&before, &after, n).map_or_else(fallback, Anchor::Before)
            }
            Anchor::AfterStart(n) => {
                counterpart(&before, &after, n).map_or_else(fallback, Anchor::AfterStart)
            }
            Anchor::BeforeClose(n) | Anchor::AfterClose(n) => {
                match counterpart(&before, &after, n) {
                    Ok(m) if after.nodes[m].close.is_none() => Anchor::AfterStart(m),
                    Ok(m) if matches!(anchor, Anchor::BeforeClose(_)) => Anchor::BeforeClose(m),
                    Ok(m) => Anchor::AfterClose(m),
                    Err(m) => fallback(m),
                }
            }
        };
        inserts.push(placement(&after, canonical, target, comment));
    }
    // Stable: comments at one place keep their order.
    inserts.sort_by_key(|(at, _, _)| *at);
    let mut out = String::with_capacity(canonical.len() + inserts.len() * 40);
    let mut from = 0;
    let mut last_trailing_at = None;
    for (at, trailing, text) in inserts {
        out.push_str(&canonical[from..at]);
        from = at;
        if trailing && last_trailing_at == Some(at) {
            // A second comment for the same line end goes on a line of its own.
            out.push('\n');
            out.push_str(indent_of(canonical, at));
            out.push_str(text.trim_start());
        } else {
            out.push_str(&text);
        }
        if trailing {
            last_trailing_at = Some(at);
        }
    }
    out.push_str(&canonical[from..]);
    let kept = comments_of(&out)?;
    let mut want: Vec<&str> = placed
        .iter()
        .map(|(t, _)| &original[t.start..t.end])
        .collect();
    let mut got: Vec<&str> = kept.iter().map(String::as_str).collect();
    want.sort_unstable();
    got.sort_unstable();
    if want != got {
        return Err("a comment could not be put back unchanged".into());
    }
    Ok(out)
}

/// (offset in `text`, whether it ends a line, what to insert) for one comment.
fn placement(tree: &Tree, text: &str, anchor: Anchor, comment: &str) -> (usize, bool, String) {
    match anchor {
        Anchor::FileStart => (0, false, format!("{comment}\n")),
        Anchor::FileEnd => (text.len(), false, format!("{comment}\n")),
        Anchor::Before(n) => {
            let at = tree.nodes[n].start;
            (at, false, format!("{comment}\n{}", indent_of(text, at)))
        }
        Anchor::BeforeClose(n) => {
            let at = tree.nodes[n].close.unwrap_or(tree.nodes[n].start);
            let indent = indent_of(text, at);
            if first_on_line(text, at) {
                (at, false, format!("    {comment}\n{indent}"))
            } else {
                // An empty `[]` or a one-line `Seconds(60)`: at the end of its line, where a
                // second rewrite finds it again (found by fuzzing).
                (line_end(tree, text, at), true, format!(" {comment}"))
            }
        }
        Anchor::AfterStart(n) | Anchor::AfterClose(n) => {
            let from = match anchor {
                Anchor::AfterClose(_) => tree.nodes[n].close.unwrap_or(tree.nodes[n].start),
                _ => tree.nodes[n].start,
            };
            (line_end(tree, text, from), true, format!(" {comment}"))
        }
    }
}

/// The first line break at or after `from` that is not inside a string.
fn line_end(tree: &Tree, text: &str, from: usize) -> usize {
    let mut at = from;
    loop {
        let Some(nl) = text[at..].find('\n').map(|p| at + p) else {
            return text.len();
        };
        let i = tree.tokens.partition_point(|t| t.end <= nl);
        match tree.tokens.get(i) {
            Some(t) if t.start < nl => at = t.end,
            _ => return nl,
        }
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |p| p + 1)
}

fn indent_of(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = &text[start..at];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

fn first_on_line(text: &str, at: usize) -> bool {
    text[line_start(text, at)..at].trim().is_empty()
}

/// Every comment of a RON text, in order.
pub fn comments_of(text: &str) -> Result<Vec<String>, String> {
    Ok(ron_lex::tokens(text)
        .map_err(|(at, why)| format!("{why} at byte {at}"))?
        .into_iter()
        .filter(|t| t.kind == Kind::Comment)
        .map(|t| text[t.start..t.end].to_string())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_comments_back_at_their_places() {
        let original = "// top\n#![enable(implicit_some)]\n( // the site\n  name: \"a\", // why\n  // list\n  xs: [\"p\",\n    // about q\n    \"q\", /* end */ ],\n)\n// bottom\n";
        let canonical = "#![enable(implicit_some)]\n(\n    name: \"a\",\n    xs: [\n        \"p\",\n        \"q\",\n    ],\n)\n";
        let kept = keep_comments(original, canonical).unwrap();
        assert_eq!(
            kept,
            "// top\n#![enable(implicit_some)]\n( // the site\n    name: \"a\", // why\n    // list\n    xs: [\n        \"p\",\n        // about q\n        \"q\", /* end */\n    ],\n)\n// bottom\n"
        );
        // Idempotent: the result keeps its comments where they are.
        assert_eq!(keep_comments(&kept, canonical).unwrap(), kept);
    }

    #[test]
    fn follows_a_list_member_and_keeps_a_comment_whose_place_is_gone() {
        let original =
            "(xs: [\n  // one\n  (name: \"one\"),\n  // two\n  (name: \"two\", v: 1),\n])\n";
        // "one" was deleted: the comment on "two" follows it to the first place; the comment on
        // "one" moves to the end of the list.
        let canonical =
            "(\n    xs: [\n        (\n            name: \"two\",\n        ),\n    ],\n)\n";
        let kept = keep_comments(original, canonical).unwrap();
        assert_eq!(
            kept,
            "(\n    xs: [\n        // two\n        (\n            name: \"two\",\n        ),\n        // one\n    ],\n)\n"
        );
    }

    #[test]
    fn a_comment_in_a_list_that_became_empty_stays_put_on_a_second_rewrite() {
        let original = "(\n    xs: [\n        // gone\n    ],\n)\n";
        let canonical = "(\n    xs: [],\n)\n";
        let kept = keep_comments(original, canonical).unwrap();
        assert_eq!(kept, "(\n    xs: [], // gone\n)\n");
        assert_eq!(keep_comments(&kept, canonical).unwrap(), kept);
    }

    #[test]
    fn never_reads_a_comment_inside_a_string() {
        let original = "(a: \"http://x\", b: r#\"/* no */\"#)";
        let canonical = "(\n    a: \"http://x\",\n    b: r#\"/* no */\"#,\n)\n";
        assert_eq!(keep_comments(original, canonical).unwrap(), canonical);
    }
}
