//! Drawing laid-out pages into a PDF with krilla: text with the embedded fonts, lines, rectangles
//! and dots. The only file of the PDF export that knows krilla.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke, StrokeDash};
use krilla::text::TextDirection;
use krilla::{Document, metadata::Metadata};

use super::fonts::Fonts;
use super::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH, Rgb};
use crate::export::ExportError;

/// A PDF of `pages` (each a display list), with `title` in its metadata.
pub fn document(fonts: &Fonts, title: String, pages: &[Vec<Op>]) -> Result<Vec<u8>, ExportError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title)
            .creator("KAP Journal".to_owned())
            .language("en".to_owned()),
    );
    for ops in pages {
        draw_page(&mut document, fonts, ops)?;
    }
    document.finish().map_err(|_| ExportError::Pdf)
}

/// Draws one line in the order a reader sees it (the Unicode bidirectional algorithm, its
/// direction taken from its first strong letter): each run of one direction is shaped in that
/// direction, and the runs are placed left to right, so "שלום world 123" keeps "world 123" and
/// "BP 120/80" reads as typed.
fn draw_line(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts,
    (weight, size): (super::fonts::Weight, f32),
    (x, y): (f32, f32),
    text: &str,
) {
    let bidi = unicode_bidi::BidiInfo::new(text, None);
    let mut at = x;
    for paragraph in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let piece = &text[run.clone()];
            let direction = if levels[run.start].is_rtl() {
                TextDirection::RightToLeft
            } else {
                TextDirection::LeftToRight
            };
            surface.draw_text(
                Point::from_xy(at, y),
                fonts.font(weight).clone(),
                size,
                piece,
                false,
                direction,
            );
            at += fonts.width(piece, weight, size);
        }
    }
}

fn paint(color: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(color.0, color.1, color.2).into()
}

fn fill(color: Rgb, opacity: f32) -> Fill {
    Fill {
        paint: paint(color),
        opacity: NormalizedF32::new(opacity).unwrap_or(NormalizedF32::ONE),
        rule: FillRule::default(),
    }
}

/// Draws one page's display list.
fn draw_page(document: &mut Document, fonts: &Fonts, ops: &[Op]) -> Result<(), ExportError> {
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(ExportError::Pdf)?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                weight,
                size,
                color,
                text,
            } => {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color, 1.0)));
                draw_line(&mut surface, fonts, (*weight, *size), (*x, *y), text);
            }
            Op::Rect {
                x,
                y,
                width,
                height,
                color,
                opacity,
            } => {
                let mut builder = PathBuilder::new();
                if let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *width, *height) {
                    builder.push_rect(rect);
                }
                if let Some(path) = builder.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color, *opacity)));
                    surface.draw_path(&path);
                }
            }
            Op::Line {
                points,
                width,
                color,
                dashed,
            } => {
                let mut builder = PathBuilder::new();
                for (index, (x, y)) in points.iter().enumerate() {
                    if index == 0 {
                        builder.move_to(*x, *y);
                    } else {
                        builder.line_to(*x, *y);
                    }
                }
                if let Some(path) = builder.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: paint(*color),
                        width: *width,
                        dash: dashed.then(|| StrokeDash {
                            array: vec![3.0, 2.0],
                            offset: 0.0,
                        }),
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Dot {
                x,
                y,
                radius,
                color,
            } => {
                if let Some(path) = circle(*x, *y, *radius) {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color, 1.0)));
                    surface.draw_path(&path);
                }
            }
        }
    }
    surface.finish();
    page.finish();
    Ok(())
}

/// A circle from four cubic Béziers.
fn circle(x: f32, y: f32, r: f32) -> Option<krilla::geom::Path> {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let mut builder = PathBuilder::new();
    builder.move_to(x + r, y);
    builder.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    builder.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    builder.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    builder.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    builder.close();
    builder.finish()
}
