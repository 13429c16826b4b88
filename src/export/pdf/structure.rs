//! The PDF's structure (PDF/UA), so a screen reader reads it as a document and not as loose words:
//! the title a first-level heading, section headings second-level ones, the lines of one paragraph
//! one paragraph, the chart a figure with its one-line text alternative, and rules, shading and
//! page footers artifacts it skips; and the outline (bookmarks) of the headings. Worked out from
//! the display list: a line's role from its style and place.

use krilla::geom::Point;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, Tag, TagGroup, TagKind, TagTree,
};

use super::fonts::Weight;
use super::layout::{MARGIN, Op, PAGE_HEIGHT};

/// What a line of text is in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
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
    pub(super) fn of(x: f32, y: f32, weight: Weight, size: f32) -> Self {
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
pub(super) struct Tags {
    tree: TagTree,
    /// The paragraph being filled: its role and the baseline of its last line.
    paragraph: Option<(TagGroup, Role, f32)>,
    pub(super) figure: Option<TagGroup>,
}

impl Tags {
    /// Files the marked text `id` (the words `words`) drawn at baseline `y` with `role`.
    pub(super) fn text(&mut self, id: Identifier, role: Role, y: f32, words: &str) {
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
                    Some(words.to_owned()),
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

    pub(super) fn begin_figure(&mut self, alt: &str) {
        self.end_paragraph();
        self.figure = Some(TagGroup::new(TagKind::from(Tag::Figure(Some(
            alt.to_owned(),
        )))));
    }

    pub(super) fn end_figure(&mut self) {
        if let Some(figure) = self.figure.take() {
            self.tree.push(figure);
        }
    }

    /// Marks what `draw` puts on the surface: part of the figure when one is open, else an
    /// artifact (a rule, a shaded band, a footer).
    pub(super) fn graphic(
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

    pub(super) fn finish(mut self) -> TagTree {
        self.end_paragraph();
        self.end_figure();
        self.tree
    }
}

/// The document's outline (bookmarks), from its headings: the title, and each section under it.
pub(super) fn outline(pages: &[Vec<Op>]) -> krilla::outline::Outline {
    use krilla::destination::XyzDestination;
    use krilla::outline::{Outline, OutlineNode};
    let mut outline = Outline::new();
    let mut title: Option<OutlineNode> = None;
    for (index, ops) in pages.iter().enumerate() {
        for op in ops {
            let Op::Text {
                x,
                y,
                weight,
                size,
                text,
                ..
            } = op
            else {
                continue;
            };
            let at = XyzDestination::new(index, Point::from_xy(*x, (*y - *size).max(0.0)));
            match Role::of(*x, *y, *weight, *size) {
                Role::Title => {
                    if let Some(done) = title.take() {
                        outline.push_child(done);
                    }
                    title = Some(OutlineNode::new(text.clone(), at));
                }
                Role::Heading => {
                    let node = OutlineNode::new(text.clone(), at);
                    match &mut title {
                        Some(parent) => parent.push_child(node),
                        None => outline.push_child(node),
                    }
                }
                Role::Text { .. } | Role::Footer => {}
            }
        }
    }
    if let Some(done) = title {
        outline.push_child(done);
    }
    outline
}
