//! Drawing laid-out pages into a PDF with krilla: text with the embedded fonts, lines, rectangles
//! and dots. The only file of the PDF export that knows krilla.
//!
//! The PDF is tagged (PDF/UA's structure tree), so a screen reader reads it as a document and not
//! as loose words: the title is a first-level heading, section headings second-level ones, the
//! lines of one paragraph one paragraph, the chart a figure with its one-line text alternative,
//! and rules, shading and the page footers artifacts it skips.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke, StrokeDash};
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, SpanTag, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::TextDirection;
use krilla::{Document, metadata::Metadata};

use super::fonts::{Fonts, Weight};
use super::layout::{MARGIN, Op, PAGE_HEIGHT, PAGE_WIDTH, Rgb};
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
    let mut tags = Tags::default();
    for ops in pages {
        draw_page(&mut document, fonts, ops, &mut tags)?;
    }
    document.set_tag_tree(tags.finish());
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

/// What a line of text is in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Title,
    Heading,
    /// Body text: lines of one style, one under the other from the same left edge, are one
    /// paragraph.
    Text {
        x: f32,
        weight: Weight,
        size: f32,
    },
    /// The page's footer: skipped by a reader.
    Footer,
}

impl Role {
    fn of(x: f32, y: f32, weight: Weight, size: f32) -> Self {
        if y > PAGE_HEIGHT - MARGIN {
            Self::Footer
        } else if size >= 15.0 {
            Self::Title
        } else if weight == Weight::Bold && size >= 11.5 {
            Self::Heading
        } else {
            Self::Text { x, weight, size }
        }
    }
}

/// The structure tree being built as pages are drawn, in reading order.
#[derive(Default)]
struct Tags {
    tree: TagTree,
    /// The paragraph being filled: its role and the baseline of its last line.
    paragraph: Option<(TagGroup, Role, f32)>,
    figure: Option<TagGroup>,
}

impl Tags {
    /// Files the marked text `id` drawn at baseline `y` with `role`.
    fn text(&mut self, id: Identifier, role: Role, y: f32) {
        if let Some(figure) = &mut self.figure {
            figure.push(id);
            return;
        }
        match role {
            Role::Footer => {}
            Role::Title | Role::Heading => {
                self.end_paragraph();
                let level = if role == Role::Title { 1 } else { 2 };
                let mut heading = TagGroup::new(Tag::Hn(
                    std::num::NonZeroU16::new(level).unwrap_or(std::num::NonZeroU16::MIN),
                    None,
                ));
                heading.push(id);
                self.tree.push(heading);
            }
            Role::Text { size, .. } => {
                let continues = self.paragraph.as_ref().is_some_and(|(_, open, last)| {
                    *open == role && y > *last && y - *last <= size * 1.6
                });
                if !continues {
                    self.end_paragraph();
                    self.paragraph = Some((TagGroup::new(Tag::P), role, y));
                }
                if let Some((group, _, last)) = &mut self.paragraph {
                    group.push(id);
                    *last = y;
                }
            }
        }
    }

    fn end_paragraph(&mut self) {
        if let Some((group, _, _)) = self.paragraph.take() {
            self.tree.push(group);
        }
    }

    fn begin_figure(&mut self, alt: &str) {
        self.end_paragraph();
        self.figure = Some(TagGroup::new(TagKind::from(Tag::Figure(Some(
            alt.to_owned(),
        )))));
    }

    fn end_figure(&mut self) {
        if let Some(figure) = self.figure.take() {
            self.tree.push(figure);
        }
    }

    /// Marks what `draw` puts on the surface: part of the figure when one is open, else an
    /// artifact (a rule, a shaded band, a footer).
    fn graphic(
        &mut self,
        surface: &mut krilla::surface::Surface<'_>,
        draw: impl FnOnce(&mut krilla::surface::Surface<'_>),
    ) {
        if let Some(figure) = &mut self.figure {
            let id = surface.start_tagged(ContentTag::Other);
            draw(surface);
            surface.end_tagged();
            figure.push(id);
        } else {
            surface.start_tagged(ContentTag::Artifact(Artifact::new(
                ArtifactType::Layout,
                None,
            )));
            draw(surface);
            surface.end_tagged();
        }
    }

    fn finish(mut self) -> TagTree {
        self.end_paragraph();
        self.end_figure();
        self.tree
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
                    let footer = Artifact::new(ArtifactType::PaginationOther, None);
                    surface.start_tagged(ContentTag::Artifact(footer));
                    draw_line(&mut surface, fonts, (*weight, *size), (*x, *y), text);
                    surface.end_tagged();
                } else {
                    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                    draw_line(&mut surface, fonts, (*weight, *size), (*x, *y), text);
                    surface.end_tagged();
                    tags.text(id, role, *y);
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
