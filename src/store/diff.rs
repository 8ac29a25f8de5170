//! A line diff of two versions of a site file, for showing what another program changed.

use similar::{ChangeTag, TextDiff};

/// Whether a line is only in the old text, only in the new one, or in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineChange {
    Same,
    Removed,
    Added,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub change: LineChange,
    /// The line without its line break.
    pub text: String,
}

/// The lines of `old` and `new`, in order, with unchanged runs longer than `2 * context` lines
/// cut down to `context` lines each side of a change (a `…` line marks the cut).
pub fn line_diff(old: &str, new: &str, context: usize) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(context).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine {
                change: LineChange::Same,
                text: "…".into(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                out.push(DiffLine {
                    change: match change.tag() {
                        ChangeTag::Equal => LineChange::Same,
                        ChangeTag::Delete => LineChange::Removed,
                        ChangeTag::Insert => LineChange::Added,
                    },
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_the_changed_line_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nf\ng\n";
        let lines = line_diff(old, new, 1);
        let shown: Vec<(LineChange, &str)> =
            lines.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            shown,
            vec![
                (LineChange::Same, "c"),
                (LineChange::Removed, "d"),
                (LineChange::Added, "D"),
                (LineChange::Same, "e"),
            ]
        );
        assert!(line_diff(old, old, 3).is_empty());
    }
}
