//! The PDF session summary: A4 pages with the facts, the dose-over-time chart, dosing, decision
//! points and their deferrals, notes and what to bring to integration; text wrapped, page breaks,
//! "page n of m", fonts embedded (subset) so any viewer shows and copies the words.
//!
//! What a page holds (content.rs) is laid out as a display list (layout.rs) before anything is
//! drawn, and only then drawn by the backend (backend.rs, krilla): the layout can be tested by its
//! words and positions, and the backend changed without touching the content.

mod backend;
mod chart;
mod consent;
mod content;
mod fonts;
mod layout;
mod rems;
mod structure;

pub use consent::{CONSENT_FORM, ConsentDocument, render as render_consent};
pub use rems::render as render_rems;

use super::summary::Summary;
use super::{ExportError, SessionRecord};
use fonts::{Fonts, Weight};
use layout::{CONTENT_WIDTH, Layout, MARGIN, MUTED, PAGE_HEIGHT, Style};

/// The summary of `record` as PDF bytes.
pub fn render(record: &SessionRecord, summary: &Summary) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::load().ok_or(ExportError::Pdf)?;
    let mut layout = Layout::new(&fonts);
    let accent = crate::palette::model(record.session.model);
    content::lay_out(&mut layout, record, summary, accent);
    let footer = format!(
        "KAP Journal · session #{} · {} · {}",
        record.session.id,
        record.client.code,
        record.session.model.label()
    );
    let mut pages = layout.pages;
    let total = pages.len();
    for (index, ops) in pages.iter_mut().enumerate() {
        let number = format!("Page {} of {total}", index + 1);
        let small = Style {
            weight: Weight::Regular,
            size: 8.0,
            color: MUTED,
        };
        let y = PAGE_HEIGHT - MARGIN + 6.0;
        ops.push(content::text_op(MARGIN, y, &footer, small));
        let width = fonts.width(&number, small.weight, small.size);
        ops.push(content::text_op(
            MARGIN + CONTENT_WIDTH - width,
            y,
            &number,
            small,
        ));
    }
    let title = format!("{} · session #{}", summary.title, record.session.id);
    backend::document(&fonts, title, &pages)
}
