//! Drawing laid-out pages into a PDF with krilla: text with the embedded fonts, lines, rectangles
//! and dots, each filed in the document's structure (structure.rs) as it is drawn. With
//! structure.rs, the only code of the PDF export that knows krilla.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke, StrokeDash};
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::TextDirection;
use krilla::{Document, metadata::Metadata};

use super::fonts::Fonts;
use super::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH, Rgb};
use super::structure::{Role, Tags, outline};
use crate::export::ExportError;

/// A PDF of `pages` (each a display list), with `title` in its metadata: PDF/UA-1 (krilla checks
/// it as it writes and the file says so), or, should a page ever fail that check, the same tagged
/// PDF without the claim, so that an export never fails for it.
pub fn document(fonts: &Fonts, title: String, pages: &[Vec<Op>]) -> Result<Vec<u8>, ExportError> {
    let accessible = krilla::configure::ConfigurationBuilder::new()
        .with_accessibility_validator(krilla::configure::Accessibility::UA1)
        .finish()
        .map(|configuration| krilla::SerializeSettings {
            configuration,
            ..krilla::SerializeSettings::default()
        });
    if let Ok(settings) = accessible
        && let Ok(pdf) = document_with(fonts, title.clone(), pages, settings)?
    {
        return Ok(pdf);
    }
    document_with(fonts, title, pages, krilla::SerializeSettings::default())?
        .map_err(|_| ExportError::Pdf)
}

/// As [`document`], written with `settings` (a test asks krilla's PDF/UA-1 validator).
fn document_with(
    fonts: &Fonts,
    title: String,
    pages: &[Vec<Op>],
    settings: krilla::SerializeSettings,
) -> Result<Result<Vec<u8>, krilla::error::KrillaError>, ExportError> {
    let mut document = Document::new_with(settings);
    document.set_outline(outline(pages));
    document.set_metadata(
        Metadata::new()
            .title(title)
            .creator("KAP Journal".to_owned())
            .language("en".to_owned()),
    );
    let mut tags = Tags::default();
    for ops in pages {
        draw_page(&mut document, fonts, ops, &mut tags)?;
    }
    document.set_tag_tree(tags.finish());
    Ok(document.finish())
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

/// Draws one page's display list, filing what it draws in `tags`.
fn draw_page(
    document: &mut Document,
    fonts: &Fonts,
    ops: &[Op],
    tags: &mut Tags,
) -> Result<(), ExportError> {
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(ExportError::Pdf)?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    for op in ops {
        match op {
            Op::BeginFigure { alt } => tags.begin_figure(alt),
            Op::EndFigure => tags.end_figure(),
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
                let role = Role::of(*x, *y, *weight, *size);
                if role == Role::Footer && tags.figure.is_none() {
                    let footer = Artifact::new(ArtifactType::Footer, None);
                    surface.start_tagged(ContentTag::Artifact(footer));
                    draw_line(&mut surface, fonts, (*weight, *size), (*x, *y), text);
                    surface.end_tagged();
                } else {
                    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                    draw_line(&mut surface, fonts, (*weight, *size), (*x, *y), text);
                    surface.end_tagged();
                    tags.text(id, role, *y, text);
                }
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
                    tags.graphic(&mut surface, |surface| {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*color, *opacity)));
                        surface.draw_path(&path);
                    });
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
                    tags.graphic(&mut surface, |surface| {
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
                    });
                }
            }
            Op::Dot {
                x,
                y,
                radius,
                color,
            } => {
                if let Some(path) = circle(*x, *y, *radius) {
                    tags.graphic(&mut surface, |surface| {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*color, 1.0)));
                        surface.draw_path(&path);
                    });
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::export::pdf::fonts::Weight;
    use crate::export::pdf::layout::{INK, MARGIN, MUTED};

    fn text(y: f32, weight: Weight, size: f32, words: &str) -> Op {
        Op::Text {
            x: MARGIN,
            y,
            weight,
            size,
            color: INK,
            text: words.to_owned(),
        }
    }

    /// Every kind of thing a page holds passes krilla's PDF/UA-1 validator.
    #[test]
    fn a_page_of_every_kind_of_content_is_pdf_ua_1() {
        let fonts = Fonts::load().unwrap();
        let page = vec![
            text(60.0, Weight::Bold, 16.0, "KAP session summary"),
            text(90.0, Weight::Bold, 12.0, "Dosing"),
            Op::Line {
                points: vec![(MARGIN, 92.0), (500.0, 92.0)],
                width: 0.5,
                color: MUTED,
                dashed: false,
            },
            text(
                110.0,
                Weight::Regular,
                10.0,
                "Dosing began: 0.5 mg/kg over 40 min",
            ),
            text(123.5, Weight::Regular, 10.0, "and went on as planned."),
            Op::BeginFigure {
                alt: "Dose over time, at most 52.5 mg/h from minute 2 to minute 42.".to_owned(),
            },
            Op::Rect {
                x: MARGIN,
                y: 140.0,
                width: 100.0,
                height: 40.0,
                color: MUTED,
                opacity: 0.3,
            },
            Op::Dot {
                x: 80.0,
                y: 160.0,
                radius: 3.0,
                color: INK,
            },
            text(190.0, Weight::Regular, 7.5, "minutes since start"),
            Op::EndFigure,
            text(
                PAGE_HEIGHT - MARGIN + 6.0,
                Weight::Regular,
                8.0,
                "Page 1 of 1",
            ),
        ];
        let settings = krilla::SerializeSettings {
            configuration: krilla::configure::ConfigurationBuilder::new()
                .with_accessibility_validator(krilla::configure::Accessibility::UA1)
                .finish()
                .unwrap(),
            ..krilla::SerializeSettings::default()
        };
        let made = document_with(&fonts, "KAP session summary".to_owned(), &[page], settings);
        assert!(matches!(made, Ok(Ok(_))), "{made:?}");
    }
}
