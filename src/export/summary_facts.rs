//! The label and value pairs a summary opens and closes with: the facts of the session, the
//! checklist before it, the after-session record, and the progress note's sections.

use chrono::{DateTime, Utc};

use super::SessionRecord;
use super::summary_context::SummaryContext;
use crate::domain::{
    ClinicZone, DateTimeStyle, Discharge, MIN_FASTING_HOURS, PreSession, TreatmentModel,
    interaction,
};
use crate::format;

/// What a summary of a session from a synthetic journal says first.
pub const SYNTHETIC_NOTICE: &str = "SYNTHETIC DEMO DATA, not a clinical record";

pub(super) fn facts(
    record: &SessionRecord,
    context: &SummaryContext,
) -> Vec<(&'static str, String)> {
    let session = &record.session;
    let zone = record.zone(context);
    let local = |time: DateTime<Utc>| zone.local(time);
    let mut facts = Vec::new();
    if record.synthetic {
        facts.push(("Data", SYNTHETIC_NOTICE.to_owned()));
    }
    facts.extend([
        ("Client", record.client.title()),
        (
            "Clinician",
            // A signed session names who signed it, whoever exports it later; a colleague's
            // copy names its author, never the clinician exporting it.
            match (&record.signature, &record.copied_from) {
                (Some(signature), None) => signature.clinician.signed_as(),
                (Some(signature), Some(_)) => {
                    format!(
                        "{} (copied from the practice)",
                        signature.clinician.signed_as()
                    )
                }
                (None, Some(author)) => format!("{} (copied from the practice)", author.name),
                (None, None) => context
                    .clinician
                    .clone()
                    .unwrap_or_else(|| "not given".to_owned()),
            },
        ),
        (
            "Date",
            context.style.date(local(session.started_at).date_naive()),
        ),
        ("Model", model_words(session.model).to_owned()),
        ("Route", session.route.label().to_owned()),
        (
            "Planned dose",
            session.planned_dose.describe(record.weight_kg()),
        ),
    ]);
    facts.push(("Delivered", record.delivered().describe()));
    if let Some(weight) = record.weight_kg() {
        facts.push(("Weight", record.weighed_in().describe(weight)));
    }
    // Every time of day in the summary is read in this zone, at the offset in force then.
    let kept = if session.zone.is_some() {
        ""
    } else {
        "; the session did not record its zone"
    };
    facts.push((
        "Started",
        format!(
            "{} ({}{kept})",
            context.style.time(local(session.started_at).time()),
            zone.describe_at(session.started_at)
        ),
    ));
    match session.ended_at {
        Some(ended) => {
            facts.push(("Ended", context.style.time(local(ended).time())));
            facts.push((
                "Duration",
                format::elapsed((ended - session.started_at).num_milliseconds()),
            ));
        }
        None => facts.push(("Ended", "not yet (the session is live)".to_owned())),
    }
    facts.push(("Status", session.status.as_str().to_owned()));
    facts
}

/// A date and time of day with its offset from UTC, e.g. `2026-11-24 14:05 (UTC+01:00)`.
pub(super) fn local_date_time(
    time: DateTime<Utc>,
    zone: ClinicZone,
    style: DateTimeStyle,
) -> String {
    let local = zone.local(time);
    format!(
        "{} (UTC{})",
        style.date_time(local.naive_local()),
        local.format("%:z")
    )
}

/// The progress note's format label and its sections, as the summary shows them.
pub(super) fn progress_note(
    record: &SessionRecord,
) -> Option<(&'static str, Vec<(&'static str, String)>)> {
    record.progress_note.as_ref().map(|note| {
        let sections = note
            .headed()
            .map(|(heading, text)| (heading, text.trim().to_owned()))
            .collect();
        (note.format().label(), sections)
    })
}

/// The checklist as label and value pairs; a medicine that matters with ketamine is flagged.
pub(super) fn before_session(checklist: &PreSession) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    if let Some(weight) = checklist.weight_kg {
        lines.push(("Weight today", checklist.weighed_in.describe(weight)));
    }
    if let Some(hours) = checklist.fasting_hours {
        let mut text = format!("{hours} h since food");
        if hours < MIN_FASTING_HOURS {
            text.push_str(" — FLAGGED: under 4 h");
        }
        lines.push(("Fasting", text));
    }
    let medicines = if checklist.medicines.is_empty() {
        "none".to_owned()
    } else {
        checklist
            .medicines
            .iter()
            .map(|medicine| match interaction(medicine) {
                Some(class) => format!("{medicine} (FLAGGED: {})", class.concern()),
                None => medicine.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    lines.push(("Medicines", medicines));
    lines.push((
        "Consent",
        if checklist.consent {
            "confirmed"
        } else {
            "NOT confirmed"
        }
        .to_owned(),
    ));
    // The lot on the vial or device: what the controlled-substance log and the REMS form name.
    if let Some(lot) = &checklist.lot {
        lines.push(("Lot", lot.as_str().to_owned()));
    }
    lines
}

/// The after-session record as label and value pairs. Sessions ended before it existed say so.
pub(super) fn after_session(
    monitoring: Option<i64>,
    discharge: Option<&Discharge>,
) -> Vec<(&'static str, String)> {
    let mut lines = vec![(
        "Monitoring",
        monitoring.map_or_else(
            || "dosing did not begin".to_owned(),
            |ms| format!("{} after the first dose", format::elapsed(ms)),
        ),
    )];
    let yes_no = |done: bool| if done { "yes" } else { "NOT confirmed" }.to_owned();
    match discharge {
        Some(discharge) => {
            lines.push(("Discharge criteria met", yes_no(discharge.criteria_met)));
            lines.push(("Ride home arranged", yes_no(discharge.ride_home)));
            if !discharge.follow_up.trim().is_empty() {
                lines.push(("Follow-up plan", discharge.follow_up.trim().to_owned()));
            }
        }
        None => lines.push(("Discharge", "not recorded".to_owned())),
    }
    lines
}

pub(super) fn model_words(model: TreatmentModel) -> &'static str {
    match model {
        TreatmentModel::Kap => "Ketamine-Assisted Psychotherapy (KAP)",
        TreatmentModel::Medical => "Medical Model",
    }
}
