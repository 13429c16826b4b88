//! Laying a summary out on A4 pages: a display list of text, lines and shapes per page, made before
//! anything is drawn so that every page can say "page 3 of 5".

use super::fonts::{Fonts, Weight};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 50.0;
/// The lowest baseline of body text; the footer sits below it.
const BOTTOM: f32 = PAGE_HEIGHT - MARGIN - 14.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

pub use crate::palette::Rgb;

pub const INK: Rgb = Rgb(20, 20, 20);
pub const MUTED: Rgb = Rgb(100, 100, 100);

/// One thing to draw. Coordinates are points from the page's top left; text `y` is its baseline.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        weight: Weight,
        size: f32,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        color: Rgb,
        opacity: f32,
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        color: Rgb,
        dashed: bool,
    },
    Dot {
        x: f32,
        y: f32,
        radius: f32,
        color: Rgb,
    },
    /// What follows, until [`Op::EndFigure`], is one figure (a chart) with `alt` as its text
    /// alternative for a reader who cannot see it.
    BeginFigure {
        alt: String,
    },
    EndFigure,
}

/// Pages being filled from the top down.
pub struct Layout<'a> {
    pub fonts: &'a Fonts,
    pub pages: Vec<Vec<Op>>,
    /// Where the next line goes on the last page.
    pub y: f32,
}

/// A run of text with its look.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub weight: Weight,
    pub size: f32,
    pub color: Rgb,
}

impl Style {
    pub const BODY: Self = Self {
        weight: Weight::Regular,
        size: 10.0,
        color: INK,
    };

    fn line_height(self) -> f32 {
        self.size * 1.35
    }
}

impl<'a> Layout<'a> {
    pub fn new(fonts: &'a Fonts) -> Self {
        Self {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    /// Starts a new page unless `height` more points fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    pub fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub fn space(&mut self, points: f32) {
        self.y += points;
    }

    /// Text wrapped to `width` from `x`, continuing on the next page when needed.
    pub fn paragraph(&mut self, text: &str, x: f32, width: f32, style: Style) {
        for line in self.wrap(text, width, style) {
            self.line(&line, x, style);
        }
    }

    /// One line of text at the cursor, which then moves down.
    pub fn line(&mut self, text: &str, x: f32, style: Style) {
        self.ensure(style.line_height());
        self.y += style.size;
        self.push(Op::Text {
            x,
            y: self.y,
            weight: style.weight,
            size: style.size,
            color: style.color,
            text: text.to_owned(),
        });
        self.y += style.line_height() - style.size;
    }

    /// A label in a left column and wrapped text beside it, e.g. a time and a note.
    pub fn labelled(
        &mut self,
        label: &str,
        label_style: Style,
        text: &str,
        indent: f32,
        style: Style,
    ) {
        let lines = self.wrap(text, CONTENT_WIDTH - indent, style);
        self.ensure(style.line_height());
        let baseline = self.y + style.size;
        self.push(Op::Text {
            x: MARGIN,
            y: baseline,
            weight: label_style.weight,
            size: label_style.size,
            color: label_style.color,
            text: label.to_owned(),
        });
        if lines.is_empty() {
            self.y += style.line_height();
        }
        for line in lines {
            self.line(&line, MARGIN + indent, style);
        }
    }

    /// Splits `text` into lines no wider than `width`: at spaces where it can, inside a word that
    /// is wider than a whole line, and at every line break the clinician typed.
    pub fn wrap(&self, text: &str, width: f32, style: Style) -> Vec<String> {
        let measure = |s: &str| self.fonts.width(s, style.weight, style.size);
        let mut lines = Vec::new();
        for typed_line in text.lines() {
            let mut line = String::new();
            for word in typed_line.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if measure(&candidate) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is cut where it must be.
                for c in word.chars() {
                    line.push(c);
                    if measure(&line) > width {
                        line.pop();
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_breaks_long_words_and_keeps_typed_line_breaks() {
        let fonts = Fonts::load().unwrap();
        let layout = Layout::new(&fonts);
        let style = Style::BODY;
        let lines = layout.wrap("one two three four five six seven", 60.0, style);
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|line| fonts.width(line, style.weight, style.size) <= 60.0)
        );
        assert_eq!(lines.join(" "), "one two three four five six seven");
        let long = "x".repeat(200);
        let cut = layout.wrap(&long, 100.0, style);
        assert!(cut.len() > 1 && cut.concat() == long);
        assert_eq!(
            layout.wrap("first\nsecond", 400.0, style),
            ["first", "second"]
        );
    }

    #[test]
    fn a_full_page_continues_on_the_next() {
        let fonts = Fonts::load().unwrap();
        let mut layout = Layout::new(&fonts);
        for _ in 0..200 {
            layout.line("a line", MARGIN, Style::BODY);
        }
        assert!(layout.pages.len() >= 3);
        for page in &layout.pages {
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= BOTTOM + 0.5 && *y >= MARGIN);
                }
            }
        }
    }
}
