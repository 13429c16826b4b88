//! The REMS patient monitoring form as a PDF page: what the timeline filled, and, named, what it
//! could not. Laid out with the summary's display list and drawn by the same backend.

use super::backend;
use super::content::{facts, section};
use super::fonts::{Fonts, Weight};
use super::layout::{CONTENT_WIDTH, Layout, MARGIN, MUTED, Style};
use crate::domain::{Effect, REMS_MONITORING_MINUTES, RemsForm, TimedPressure};
use crate::export::{ExportError, SessionRecord};
use crate::format;

/// The form of `record` as PDF bytes.
pub fn render(record: &SessionRecord, form: &RemsForm) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::load().ok_or(ExportError::Pdf)?;
    let mut layout = Layout::new(&fonts);
    let accent = crate::palette::model(record.session.model);
    layout.line(
        "Spravato (esketamine) REMS patient monitoring form",
        MARGIN,
        Style {
            weight: Weight::Bold,
            size: 16.0,
            color: accent,
        },
    );
    layout.paragraph(
        &format!(
            "Filled by KAP Journal from session #{} for client {}. Submit within 7 days of the \
             treatment: by {}. Check each field before submitting it.",
            record.session.id,
            record.client.code,
            form.due()
        ),
        MARGIN,
        CONTENT_WIDTH,
        Style {
            color: MUTED,
            ..Style::BODY
        },
    );
    section(&mut layout, "Treatment", accent);
    facts(&mut layout, &treatment(form));
    section(&mut layout, "Monitoring", accent);
    facts(&mut layout, &monitoring(form));
    section(&mut layout, "During and after the treatment", accent);
    facts(
        &mut layout,
        &[
            ("Sedation", effect(form.sedation)),
            ("Dissociation", effect(form.dissociation)),
            (
                "Respiratory depression",
                effect(form.respiratory_depression),
            ),
        ],
    );
    let missing = form.missing();
    section(&mut layout, "Not in the timeline", accent);
    if missing.is_empty() {
        layout.paragraph(
            "Every field was filled from the timeline.",
            MARGIN,
            CONTENT_WIDTH,
            Style::BODY,
        );
    }
    for name in missing {
        layout.paragraph(
            &format!("MISSING: {name}"),
            MARGIN,
            CONTENT_WIDTH,
            Style::BODY,
        );
    }
    let title = format!("REMS monitoring form · session #{}", record.session.id);
    backend::document(&fonts, title, &layout.pages)
}

fn missing() -> String {
    "MISSING".to_owned()
}

fn treatment(form: &RemsForm) -> Vec<(&'static str, String)> {
    let dose = form
        .dose_mg
        .map_or_else(missing, |mg| match mg.round() as i64 {
            56 => "56 mg".to_owned(),
            84 => "84 mg".to_owned(),
            _ => format!("other: {}", format::milligrams(mg)),
        });
    let lots = if form.lots.is_empty() {
        missing()
    } else {
        form.lots
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut facts = vec![
        ("Treatment date", form.local_time(form.treatment_started)),
        ("Dose", dose),
        ("Lot number(s)", lots),
    ];
    for (class, taken) in &form.concomitant {
        let text = match (form.checklist_recorded, taken.is_empty()) {
            (false, _) => missing(),
            (true, true) => "no".to_owned(),
            (true, false) => format!("yes: {}", taken.join(", ")),
        };
        facts.push((class.label(), text));
    }
    facts
}

fn monitoring(form: &RemsForm) -> Vec<(&'static str, String)> {
    let pressure = |reading: Option<TimedPressure>| {
        reading.map_or_else(missing, |bp| {
            format!("{}/{} at {} min", bp.systolic, bp.diastolic, bp.minutes)
        })
    };
    let yes_no = |answer: Option<bool>| {
        answer.map_or_else(missing, |yes| if yes { "yes" } else { "no" }.to_owned())
    };
    let minutes = form.monitoring_minutes.map_or_else(missing, |minutes| {
        if minutes < REMS_MONITORING_MINUTES {
            format!("{minutes} min (UNDER the 2 hours required)")
        } else {
            format!("{minutes} min")
        }
    });
    vec![
        (
            "Monitoring clinician",
            form.monitoring_clinician.clone().unwrap_or_else(missing),
        ),
        (
            "Healthcare setting",
            form.healthcare_setting.clone().unwrap_or_else(missing),
        ),
        ("Blood pressure before dosing", pressure(form.before_dosing)),
        (
            "Blood pressure at about 40 min",
            pressure(form.at_about_40_minutes),
        ),
        (
            "Blood pressure before leaving",
            pressure(form.before_leaving),
        ),
        (
            "Vitals acceptable before dosing",
            yes_no(form.acceptable_before_dosing),
        ),
        (
            "Vitals acceptable before leaving",
            yes_no(form.acceptable_before_leaving),
        ),
        ("Total monitoring time", minutes),
        (
            "Ready to leave",
            form.ready_to_leave
                .map_or_else(missing, |at| form.local_time(at)),
        ),
    ]
}

fn effect(effect: Effect) -> String {
    match (effect.occurred, effect.resolved) {
        (false, _) => "did not occur".to_owned(),
        (true, Some(true)) => "occurred; resolved before leaving".to_owned(),
        (true, Some(false)) => "occurred; NOT resolved at the end".to_owned(),
        (true, None) => "occurred; whether it resolved: MISSING".to_owned(),
    }
}
