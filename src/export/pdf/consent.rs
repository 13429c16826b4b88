//! A client's consent as a page to sign on paper: the clinic's text in the version consented to,
//! each choice as it was recorded (or boxes to fill when nothing is recorded yet), when it was
//! given and by whom, and lines for both signatures.

use super::backend;
use super::content::{facts, section};
use super::fonts::{Fonts, Weight};
use super::layout::{CONTENT_WIDTH, Layout, MARGIN, MUTED, Op, Style};
use crate::domain::{ClientId, ClinicZone, ConsentItem, ConsentRecord, ConsentText};
use crate::export::ExportError;
use crate::store::{Store, StoreError};

/// How the accounting of disclosures names a printed consent.
pub const CONSENT_FORM: &str = "Consent (PDF)";

/// What a printed consent shows.
#[derive(Debug, Clone)]
pub struct ConsentDocument {
    pub clinic: Option<String>,
    pub client_code: String,
    /// The text of the version `record` consented to, or the newest when there is no record.
    pub text: ConsentText,
    /// The newest consent as recorded; `None` prints a form to fill in.
    pub record: Option<ConsentRecord>,
    pub zone: ClinicZone,
    /// How its dates and times are written (the clinic's order and clock).
    pub style: crate::domain::DateTimeStyle,
}

impl ConsentDocument {
    /// Client `client`'s newest consent as the journal holds it; `None` when the clinic has no
    /// consent text.
    pub fn load(store: &Store, client: ClientId) -> Result<Option<Self>, StoreError> {
        let record = store.registers().consents(client)?.into_iter().next();
        let text = match &record {
            Some(record) => store.registers().consent_text_version(record.version)?,
            None => store.registers().consent_text()?,
        };
        let Some(text) = text else {
            return Ok(None);
        };
        Ok(Some(Self {
            clinic: store.clinic_name()?.map(String::from),
            client_code: store.record().client(client)?.code,
            text,
            record,
            zone: store.clinic_zone()?,
            style: crate::system_clock::style(store.date_time_settings()?),
        }))
    }
}

/// `document` as PDF bytes.
pub fn render(document: &ConsentDocument) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::load().ok_or(ExportError::Pdf)?;
    let mut layout = Layout::new(&fonts);
    let accent = crate::palette::Rgb(40, 70, 120);
    let title = "Consent to ketamine treatment";
    layout.line(
        title,
        MARGIN,
        Style {
            weight: Weight::Bold,
            size: 16.0,
            color: accent,
        },
    );
    let muted = Style {
        color: MUTED,
        ..Style::BODY
    };
    let heading = match &document.clinic {
        Some(clinic) => format!("{clinic} · client {}", document.client_code),
        None => format!("Client {}", document.client_code),
    };
    layout.paragraph(&heading, MARGIN, CONTENT_WIDTH, muted);
    section(&mut layout, "The consent", accent);
    facts(&mut layout, &about(document));
    layout.space(6.0);
    layout.paragraph(&document.text.text, MARGIN, CONTENT_WIDTH, Style::BODY);
    section(&mut layout, "Choices", accent);
    facts(&mut layout, &choices(document.record.as_ref()));
    section(&mut layout, "Signatures", accent);
    for who in ["Client", "Clinician"] {
        signature_line(&mut layout, who);
    }
    let title = format!("Consent · client {}", document.client_code);
    backend::document(&fonts, title, &layout.pages)
}

/// The version, and when and by whom it was given (or withdrawn).
fn about(document: &ConsentDocument) -> Vec<(&'static str, String)> {
    let text = &document.text;
    let zone = document.zone;
    let mut facts = vec![
        ("Version", text.version.to_string()),
        ("Adopted", document.style.date(zone.date(text.adopted_at))),
    ];
    match &document.record {
        Some(record) => {
            let when = crate::export::summary_facts::local_date_time(
                record.given_at,
                zone,
                document.style,
            );
            if record.withdrawn {
                facts.push(("Withdrawn", when));
            } else {
                facts.push(("Given", when));
                facts.push(("Renew by", document.style.date(record.renew_by)));
            }
            if !record.recorded_by.trim().is_empty() {
                facts.push(("Recorded by", record.recorded_by.clone()));
            }
        }
        None => facts.push(("Given", "not yet recorded".to_owned())),
    }
    facts
}

/// Each item with the answer recorded, or "yes / no" to circle on a blank form.
fn choices(record: Option<&ConsentRecord>) -> Vec<(&'static str, String)> {
    ConsentItem::ALL
        .into_iter()
        .map(|item| {
            let answer = match record {
                Some(record) if record.withdrawn => "withdrawn".to_owned(),
                Some(record) if record.agrees_to(item) => "agreed".to_owned(),
                Some(_) => "declined".to_owned(),
                None => "yes  /  no   (circle one)".to_owned(),
            };
            (item.label(), answer)
        })
        .collect()
}

/// "Client: ________  Date: ______", with room above to sign.
fn signature_line(layout: &mut Layout<'_>, who: &str) {
    layout.ensure(48.0);
    layout.space(30.0);
    let style = Style {
        weight: Weight::Bold,
        size: 9.0,
        color: MUTED,
    };
    let y = layout.y;
    let name_end = MARGIN + CONTENT_WIDTH * 0.62;
    let date_start = name_end + 24.0;
    for (from, to) in [(MARGIN, name_end), (date_start, MARGIN + CONTENT_WIDTH)] {
        layout.push(Op::Line {
            points: vec![(from, y), (to, y)],
            width: 0.6,
            color: MUTED,
            dashed: false,
        });
    }
    layout.push(super::content::text_op(
        MARGIN,
        y + 11.0,
        &format!("{who}'s signature"),
        style,
    ));
    layout.push(super::content::text_op(date_start, y + 11.0, "Date", style));
    layout.space(14.0);
}
