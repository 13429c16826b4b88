//! The REMS patient monitoring form as a PDF page: what the timeline filled, and, named, what it
//! could not. Laid out with the summary's display list and drawn by the same backend.

use super::backend;
use super::content::{facts, section};
use super::fonts::{Fonts, Weight};
use super::layout::{CONTENT_WIDTH, Layout, MARGIN, MUTED, Style};
use crate::domain::{DateTimeStyle, Effect, REMS_MONITORING_MINUTES, RemsForm, TimedPressure};
use crate::export::{ExportError, SessionRecord};
use crate::format;

/// The form of `record` as PDF bytes, its dates and times written in `style`.
pub fn render(
    record: &SessionRecord,
    form: &RemsForm,
    style: DateTimeStyle,
) -> Result<Vec<u8>, ExportError> {
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
            style.date(form.due())
        ),
        MARGIN,
        CONTENT_WIDTH,
        Style {
            color: MUTED,
            ..Style::BODY
        },
    );
    section(&mut layout, "Patient", accent);
    facts(&mut layout, &patient(form, style));
    section(&mut layout, "Healthcare setting and provider", accent);
    facts(&mut layout, &setting(form));
    section(&mut layout, "Treatment", accent);
    facts(&mut layout, &treatment(form, style));
    section(&mut layout, "Monitoring", accent);
    facts(&mut layout, &monitoring(form));
    section(&mut layout, "During and after the treatment", accent);
    facts(&mut layout, &during_and_after(form));
    let missing = form.missing();
    section(&mut layout, "Not filled", accent);
    if missing.is_empty() {
        layout.paragraph(
            "Every field was filled from the journal.",
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

fn yes_no(answer: Option<bool>) -> String {
    answer.map_or_else(missing, |yes| if yes { "yes" } else { "no" }.to_owned())
}

/// The text, or MISSING when it is empty.
fn given(text: &str) -> String {
    if text.trim().is_empty() {
        missing()
    } else {
        text.trim().to_owned()
    }
}

fn patient(form: &RemsForm, style: DateTimeStyle) -> Vec<(&'static str, String)> {
    let patient = &form.patient;
    vec![
        ("First name", given(&patient.first_name)),
        ("Last name", given(&patient.last_name)),
        (
            "Birthdate",
            patient
                .birth_date
                .map_or_else(missing, |born| style.date(born)),
        ),
        (
            "Sex",
            patient
                .sex
                .map_or_else(missing, |sex| sex.label().to_owned()),
        ),
        ("Enrolled in the SPRAVATO REMS", yes_no(patient.enrolled)),
        (
            "First treatment",
            form.first_treatment.map_or_else(missing, |first| {
                if first {
                    "yes (no earlier esketamine session in the journal)".to_owned()
                } else {
                    "no".to_owned()
                }
            }),
        ),
    ]
}

fn setting(form: &RemsForm) -> Vec<(&'static str, String)> {
    vec![
        (
            "Healthcare setting",
            form.healthcare_setting.clone().unwrap_or_else(missing),
        ),
        ("Setting address", given(&form.contact.address)),
        (
            "Monitoring clinician",
            form.monitoring_clinician.clone().unwrap_or_else(missing),
        ),
        ("Telephone", given(&form.contact.telephone)),
        ("Email", given(&form.contact.email)),
    ]
}

fn during_and_after(form: &RemsForm) -> Vec<(&'static str, String)> {
    let serious = match form.serious_adverse_event {
        None => missing(),
        Some(false) => "no".to_owned(),
        Some(true) => "YES".to_owned(),
    };
    let mut facts = vec![
        ("Sedation", effect(form.sedation)),
        ("Dissociation", effect(form.dissociation)),
        (
            "Respiratory depression",
            effect(form.respiratory_depression),
        ),
        ("Serious adverse event", serious),
    ];
    for line in &form.adverse_events {
        facts.push(("Charted", line.clone()));
    }
    facts
}

fn treatment(form: &RemsForm, style: DateTimeStyle) -> Vec<(&'static str, String)> {
    let devices = form
        .devices()
        .map(|devices| format!(" ({devices} device{})", if devices == 1 { "" } else { "s" }))
        .unwrap_or_default();
    let dose = form.dose_mg.map_or_else(missing, |mg| {
        let labelled = (mg - 56.0).abs() < 1e-6 || (mg - 84.0).abs() < 1e-6;
        if labelled {
            format!("{}{devices}", format::milligrams(mg))
        } else {
            format!("other: {}{devices}", format::milligrams(mg))
        }
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
        (
            "Treatment date",
            form.local_time(form.treatment_started, style),
        ),
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
    let minutes = form.monitoring_minutes.map_or_else(missing, |minutes| {
        if minutes < REMS_MONITORING_MINUTES {
            format!("{minutes} min (UNDER the 2 hours required)")
        } else {
            format!("{minutes} min")
        }
    });
    let oximetry = form.pulse_oximetry.map_or_else(missing, |spo2| {
        format!(
            "monitored: {} reading{}, lowest {} % at {} min",
            spo2.readings,
            if spo2.readings == 1 { "" } else { "s" },
            spo2.lowest,
            spo2.lowest_at_minutes
        )
    });
    vec![
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
        ("Pulse oximetry", oximetry),
        ("Total monitoring time", minutes),
        (
            "Ready to leave (no 2-hour rule)",
            form.ready_after_minutes.map_or_else(missing, |minutes| {
                format!("{minutes} min after administration")
            }),
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
