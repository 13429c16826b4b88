//! The fonts embedded in every PDF (DejaVu Sans: Latin, Greek, Cyrillic and more; licence in
//! `assets/fonts/LICENSE-DejaVu.txt`) and how wide a text is in them, for line wrapping.

use krilla::text::Font;
use rustybuzz::ttf_parser::Face;

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// The two fonts, ready for krilla and for measuring.
pub struct Fonts {
    regular: (Font, Face<'static>),
    bold: (Font, Face<'static>),
}

impl Fonts {
    /// Loads the embedded fonts; `None` only if the files built into the program were damaged.
    pub fn load() -> Option<Self> {
        let load =
            |data: &'static [u8]| Some((Font::new(data.into(), 0)?, Face::parse(data, 0).ok()?));
        Some(Self {
            regular: load(REGULAR)?,
            bold: load(BOLD)?,
        })
    }

    pub fn font(&self, weight: Weight) -> &Font {
        match weight {
            Weight::Regular => &self.regular.0,
            Weight::Bold => &self.bold.0,
        }
    }

    /// The width of `text` at `size` points, from each character's advance (no kerning: wrapping
    /// leaves a margin for it).
    pub fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        let face = match weight {
            Weight::Regular => &self.regular.1,
            Weight::Bold => &self.bold.1,
        };
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|glyph| face.glyph_hor_advance(glyph))
                    .map_or(u32::from(face.units_per_em() / 2), u32::from)
            })
            .sum();
        units as f32 * size / f32::from(face.units_per_em())
    }
}
