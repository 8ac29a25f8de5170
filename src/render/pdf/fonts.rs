//! The two faces every PDF is set in (Liberation Sans regular and bold, SIL OFL, shipped under
//! `assets/fonts/`), parsed once per process and shared by every document and thread, and
//! shaping with rustybuzz.

use std::sync::LazyLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// One face: what krilla embeds and what rustybuzz shapes with.
pub struct Face {
    pub font: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

pub struct Faces {
    regular: Face,
    bold: Face,
}

impl Faces {
    pub fn get(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

fn face(data: &'static [u8]) -> Option<Face> {
    let shaper = rustybuzz::Face::from_slice(data, 0)?;
    Some(Face {
        font: Font::new(data.into(), 0)?,
        units_per_em: shaper.units_per_em() as f32,
        shaper,
    })
}

/// The faces, or `None` if the shipped font files do not parse (a broken build, not user input;
/// the `fonts_parse` test guards it).
pub static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    Some(Faces {
        regular: face(REGULAR)?,
        bold: face(BOLD)?,
    })
});

impl Face {
    /// The glyphs of `text[range]`, left to right, with advances per em and clusters as byte
    /// ranges of `text` (so a line can be drawn against the paragraph's whole text).
    pub fn shape(&self, text: &str, range: std::ops::Range<usize>) -> Vec<KrillaGlyph> {
        let piece = &text[range.clone()];
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(piece);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let scale = 1.0 / self.units_per_em;
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // A cluster ends where the next one starts (glyphs of one cluster share its range).
            let end = infos[i + 1..]
                .iter()
                .map(|next| next.cluster as usize)
                .find(|&c| c != start)
                .unwrap_or(piece.len());
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 * scale,
                pos.x_offset as f32 * scale,
                pos.y_offset as f32 * scale,
                pos.y_advance as f32 * scale,
                range.start + start..range.start + end,
                None,
            ));
        }
        glyphs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_parse_and_cover_french() {
        let faces = FACES.as_ref().expect("the shipped fonts parse");
        for weight in [Weight::Regular, Weight::Bold] {
            let text = "Éléments déposés à l'ouverture : ça, où, œuvre, « mémoire »";
            let glyphs = faces.get(weight).shape(text, 0..text.len());
            assert!(!glyphs.is_empty());
            // Glyph 0 is .notdef: a character the font lacks would be drawn as a box.
            assert!(
                glyphs.iter().all(|g| g.glyph_id.to_u32() != 0),
                "{weight:?}"
            );
        }
    }
}
