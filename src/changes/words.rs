//! Word diffs of policy text (the `similar` crate's), as runs a report can print with some
//! context or a program can replay.

use std::time::Duration;

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

/// Whether a run of words is in both texts, only the old one or only the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordOp {
    Equal,
    Delete,
    Insert,
}

/// Consecutive words (with the spaces between them) that share an op. The `equal` and `delete`
/// runs in order give the old text; the `equal` and `insert` runs give the new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WordRun {
    pub op: WordOp,
    pub text: String,
}

/// A long policy text still diffs quickly; past this the diff is approximate but still exact in
/// what it says was removed and added.
const TIMEOUT: Duration = Duration::from_secs(1);

/// The word diff of `old` and `new`, runs merged.
pub fn word_diff(old: &str, new: &str) -> Vec<WordRun> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(TIMEOUT)
        .diff_words(old, new);
    let mut runs: Vec<WordRun> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => WordOp::Equal,
            ChangeTag::Delete => WordOp::Delete,
            ChangeTag::Insert => WordOp::Insert,
        };
        match runs.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => runs.push(WordRun {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    runs
}

/// How deleted and inserted words are marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marks {
    /// `[-old-]{+new+}`, as `git diff --word-diff=plain` prints them.
    Plain,
    /// `~~old~~` and `**new**`, for Markdown.
    Markdown,
}

/// The changed words with up to `context` words of unchanged text on each side, on one line;
/// `…` stands for the unchanged text left out.
pub fn show(runs: &[WordRun], context: usize, marks: Marks) -> String {
    let mut out = String::new();
    let last = runs.len().saturating_sub(1);
    for (i, run) in runs.iter().enumerate() {
        let text = one_line(&run.text);
        match run.op {
            WordOp::Equal => {
                let text = escape(&text, marks);
                let words: Vec<&str> = text.split_whitespace().collect();
                let keep_before = if i == 0 { 0 } else { context };
                let keep_after = if i == last { 0 } else { context };
                if words.len() <= keep_before + keep_after {
                    out.push_str(&text);
                } else {
                    let head = words[..keep_before].join(" ");
                    let tail = words[words.len() - keep_after..].join(" ");
                    if !head.is_empty() {
                        out.push(' ');
                        out.push_str(&head);
                    }
                    out.push_str(" … ");
                    out.push_str(&tail);
                    if !tail.is_empty() {
                        out.push(' ');
                    }
                }
            }
            WordOp::Delete | WordOp::Insert => {
                let inserted = run.op == WordOp::Insert;
                let (open, close) = match (marks, inserted) {
                    (Marks::Plain, false) => ("[-", "-]"),
                    (Marks::Plain, true) => ("{+", "+}"),
                    (Marks::Markdown, false) => ("~~", "~~"),
                    (Marks::Markdown, true) => ("**", "**"),
                };
                // Spaces stay outside the marks, so Markdown reads them as emphasis.
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    out.push_str(&text);
                    continue;
                }
                if text.starts_with(char::is_whitespace) {
                    out.push(' ');
                }
                out.push_str(open);
                out.push_str(&escape(trimmed, marks));
                out.push_str(close);
                if text.ends_with(char::is_whitespace) {
                    out.push(' ');
                }
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Line breaks (between paragraphs and list items) as ` ¶ `, so each change prints on one line.
fn one_line(text: &str) -> String {
    text.replace("\n\n", " ¶ ").replace('\n', " ¶ ")
}

fn escape(text: &str, marks: Marks) -> String {
    match marks {
        Marks::Plain => text.to_string(),
        Marks::Markdown => crate::changes::report::markdown_escape(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replay(runs: &[WordRun], keep: WordOp) -> String {
        runs.iter()
            .filter(|r| r.op == WordOp::Equal || r.op == keep)
            .map(|r| r.text.as_str())
            .collect()
    }

    #[test]
    fn runs_give_back_both_texts() {
        let old = "We keep your choice for six months.\n\nThen we ask again.";
        let new = "We keep your choice for 13 months.\n\nThen we ask again.";
        let runs = word_diff(old, new);
        assert_eq!(replay(&runs, WordOp::Delete), old);
        assert_eq!(replay(&runs, WordOp::Insert), new);
        let changed: Vec<(WordOp, &str)> = runs
            .iter()
            .filter(|r| r.op != WordOp::Equal)
            .map(|r| (r.op, r.text.as_str()))
            .collect();
        assert_eq!(
            changed,
            vec![(WordOp::Delete, "six"), (WordOp::Insert, "13")]
        );
    }

    #[test]
    fn shows_the_change_with_a_little_context() {
        let old = "one two three four five six seven eight nine ten";
        let new = "one two three four FIVE six seven eight nine ten";
        let runs = word_diff(old, new);
        assert_eq!(
            show(&runs, 2, Marks::Plain),
            "… three four [-five-]{+FIVE+} six seven …"
        );
        assert_eq!(
            show(&runs, 2, Marks::Markdown),
            "… three four ~~five~~**FIVE** six seven …"
        );
        // Short texts are shown whole.
        assert_eq!(
            show(&word_diff("a b", "a c"), 3, Marks::Plain),
            "a [-b-]{+c+}"
        );
    }
}
