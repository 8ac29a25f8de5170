//! A run of styled text shaped once, then broken into lines of a given width: at the break
//! opportunities of Unicode's line breaking algorithm (UAX #14, `unicode-linebreak`), filling
//! each line greedily. A word wider than the whole line (a long URL in a narrow column) is cut
//! between clusters rather than drawn past the edge.

use std::ops::Range;

use krilla::text::KrillaGlyph;
use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::fonts::{FACES, Weight};

/// A part of the text in one weight, maybe a link.
#[derive(Clone, Debug)]
pub struct Span {
    pub range: Range<usize>,
    pub weight: Weight,
    pub link: Option<String>,
}

/// Text shaped at one size: its glyphs in order, each with the span it belongs to.
pub struct Shaped {
    pub text: String,
    pub size: f32,
    pub spans: Vec<Span>,
    glyphs: Vec<(KrillaGlyph, usize)>,
    /// Between break opportunities: glyph ranges, with whether a line must end after them.
    segments: Vec<Segment>,
}

struct Segment {
    glyphs: Range<usize>,
    /// Up to the trailing white space, which a line's width does not count.
    visible: Range<usize>,
    mandatory: bool,
}

/// A piece of a line in one span: drawn with one font at `x` from the line's start.
pub struct Piece<'a> {
    pub x: f32,
    pub width: f32,
    pub span: &'a Span,
    pub glyphs: &'a [(KrillaGlyph, usize)],
}

/// A line: a glyph range of its `Shaped`, white space at its end left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub glyphs: Range<usize>,
    pub width: f32,
}

impl Shaped {
    /// Shapes `spans` of `text` at `size` points; `spans` cover the text in order.
    pub fn new(text: String, spans: Vec<Span>, size: f32) -> Self {
        let mut glyphs = Vec::with_capacity(text.len());
        if let Some(faces) = FACES.as_ref() {
            for (i, span) in spans.iter().enumerate() {
                let face = faces.get(span.weight);
                glyphs.extend(
                    face.shape(&text, span.range.clone())
                        .into_iter()
                        .map(|g| (g, i)),
                );
            }
        }
        let mut segments = Vec::new();
        let mut g = 0;
        for (at, opportunity) in linebreaks(&text) {
            let start = g;
            while g < glyphs.len() && glyphs[g].0.text_range.start < at {
                g += 1;
            }
            let mut visible_end = g;
            while visible_end > start && is_space(&text, &glyphs[visible_end - 1].0) {
                visible_end -= 1;
            }
            segments.push(Segment {
                glyphs: start..g,
                visible: start..visible_end,
                mandatory: opportunity == BreakOpportunity::Mandatory,
            });
        }
        Shaped {
            text,
            size,
            spans,
            glyphs,
            segments,
        }
    }

    /// Plain text in one weight.
    pub fn plain(text: &str, weight: Weight, size: f32) -> Self {
        let spans = vec![Span {
            range: 0..text.len(),
            weight,
            link: None,
        }];
        Shaped::new(text.to_string(), spans, size)
    }

    fn width_of(&self, glyphs: Range<usize>) -> f32 {
        self.glyphs[glyphs]
            .iter()
            .map(|(g, _)| g.x_advance)
            .sum::<f32>()
            * self.size
    }

    /// The widest unbreakable piece: a table column narrower than this cuts a word.
    pub fn min_width(&self) -> f32 {
        self.segments
            .iter()
            .map(|s| self.width_of(s.visible.clone()))
            .fold(0.0, f32::max)
    }

    /// The width with no line broken but where the text says so.
    pub fn natural_width(&self) -> f32 {
        self.break_lines(f32::INFINITY)
            .iter()
            .map(|l| l.width)
            .fold(0.0, f32::max)
    }

    /// The lines of this text in `max_width` points.
    pub fn break_lines(&self, max_width: f32) -> Vec<Line> {
        let mut lines = Vec::new();
        // The open line: from `start`, drawn up to `visible_end`.
        let (mut start, mut visible_end, mut width) = (0, 0, 0.0);
        let mut open = false;
        for segment in &self.segments {
            let seg_visible = self.width_of(segment.visible.clone());
            let seg_full = self.width_of(segment.glyphs.clone());
            if open && width + seg_visible > max_width {
                lines.push(self.line(start, visible_end));
                open = false;
            }
            if !open {
                start = segment.glyphs.start;
                width = 0.0;
                open = true;
            }
            if width == 0.0 && seg_visible > max_width {
                // Wider than a whole line: cut between clusters; the rest opens the next line.
                let mut w = 0.0;
                for i in segment.visible.clone() {
                    let advance = self.glyphs[i].0.x_advance * self.size;
                    let new_cluster =
                        i > start && self.glyphs[i].0.text_range != self.glyphs[i - 1].0.text_range;
                    if w + advance > max_width && new_cluster {
                        lines.push(self.line(start, i));
                        start = i;
                        w = 0.0;
                    }
                    w += advance;
                }
                width = w + (seg_full - seg_visible);
            } else {
                width += seg_full;
            }
            visible_end = segment.visible.end;
            if segment.mandatory {
                lines.push(self.line(start, visible_end));
                open = false;
            }
        }
        if open {
            lines.push(self.line(start, visible_end));
        }
        lines
    }

    fn line(&self, start: usize, end: usize) -> Line {
        let end = end.max(start);
        Line {
            glyphs: start..end,
            width: self.width_of(start..end),
        }
    }

    /// `line` cut where its span changes, each piece placed from the line's start.
    pub fn pieces(&self, line: &Line) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        let mut x = 0.0;
        let glyphs = &self.glyphs[line.glyphs.clone()];
        let mut i = 0;
        while i < glyphs.len() {
            let span = glyphs[i].1;
            let mut j = i;
            while j < glyphs.len() && glyphs[j].1 == span {
                j += 1;
            }
            let run = &glyphs[i..j];
            let width = run.iter().map(|(g, _)| g.x_advance).sum::<f32>() * self.size;
            pieces.push(Piece {
                x,
                width,
                span: &self.spans[span],
                glyphs: run,
            });
            x += width;
            i = j;
        }
        pieces
    }
}

fn is_space(text: &str, glyph: &KrillaGlyph) -> bool {
    text.get(glyph.text_range.clone())
        .is_some_and(|s| s.chars().all(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(shaped: &Shaped, lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                let g = &shaped.glyphs[l.glyphs.clone()];
                match (g.first(), g.last()) {
                    (Some(a), Some(b)) => {
                        shaped.text[a.0.text_range.start..b.0.text_range.end].to_string()
                    }
                    _ => String::new(),
                }
            })
            .collect()
    }

    #[test]
    fn breaks_between_words_and_keeps_every_word() {
        let text = "Nous utilisons des cookies pour mesurer l'audience de ce site.";
        let shaped = Shaped::plain(text, Weight::Regular, 10.0);
        let lines = shaped.break_lines(100.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.width <= 100.0));
        let got = texts(&shaped, &lines);
        assert_eq!(got.join(" "), text);
        assert!(got.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn cuts_a_word_wider_than_the_line() {
        let text = "see https://example.com/a/very/long/path/that/goes/on/and/on/forever";
        let shaped = Shaped::plain(text, Weight::Regular, 10.0);
        let lines = shaped.break_lines(60.0);
        assert!(lines.iter().all(|l| l.width <= 60.0), "{lines:?}");
        assert_eq!(
            texts(&shaped, &lines).concat().replace(' ', ""),
            text.replace(' ', "")
        );
    }

    #[test]
    fn honours_line_feeds_and_measures() {
        let shaped = Shaped::plain("one\ntwo three", Weight::Bold, 10.0);
        assert_eq!(
            texts(&shaped, &shaped.break_lines(1000.0)),
            ["one", "two three"]
        );
        assert!(shaped.min_width() < shaped.natural_width());
    }
}
