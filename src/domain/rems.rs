//! The Spravato (esketamine) REMS Patient Monitoring Form, filled from the session's timeline so
//! nothing is typed twice. A field the journal cannot answer is named as missing, never invented.

use chrono::{DateTime, Utc};

use super::rems_readings::{dissociation, oximetry, pressures, respiratory_depression, sedation};
use super::{
    AdverseSeverity, Concomitant, Effect, Event, EventKind, LotCode, Oximetry, RemsContact,
    RemsPatient, Route, Session, Thresholds, TimedPressure, delivered,
};

/// Monitoring after intranasal esketamine lasts at least two hours from the first administration.
pub const REMS_MONITORING_MINUTES: i64 = 120;

/// The form is submitted within this many days of the treatment.
pub const REMS_SUBMIT_WITHIN_DAYS: i64 = 7;

/// One esketamine nasal spray device holds 28 mg.
pub const ESKETAMINE_DEVICE_MG: f64 = 28.0;

/// The form as the timeline fills it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemsForm {
    pub treatment_started: DateTime<Utc>,
    /// The clinic's zone the treatment was in: its date and times of day are read there.
    pub zone: super::ClinicZone,
    /// The client's details for this form (empty when none were recorded).
    pub patient: RemsPatient,
    /// Whether this is the client's first esketamine treatment in the journal.
    pub first_treatment: Option<bool>,
    /// What the devices gave, in mg (56 or 84 for the labelled doses).
    pub dose_mg: Option<f64>,
    pub lots: Vec<LotCode>,
    /// Each class the form asks about, with the checklist's medicines in it (empty: none taken).
    pub concomitant: Vec<(Concomitant, Vec<String>)>,
    /// Whether the checklist (and so the medicines) was recorded at all.
    pub checklist_recorded: bool,
    /// Who monitored the client: recorded when the session ended, else who signed it.
    pub monitoring_clinician: Option<String>,
    /// The healthcare setting: the clinic's name in Settings.
    pub healthcare_setting: Option<String>,
    /// The setting's and provider's telephone, email and address, from Settings.
    pub contact: RemsContact,
    pub before_dosing: Option<TimedPressure>,
    /// The reading nearest 40 minutes after the first administration, within 30 to 60 minutes.
    pub at_about_40_minutes: Option<TimedPressure>,
    /// The last reading before the session ended, after the 40-minute one.
    pub before_leaving: Option<TimedPressure>,
    /// Whether every sign read before dosing, and the last before leaving, was inside the
    /// clinic's thresholds.
    pub acceptable_before_dosing: Option<bool>,
    pub acceptable_before_leaving: Option<bool>,
    /// SpO2 read after the first administration.
    pub pulse_oximetry: Option<Oximetry>,
    /// From the first administration to the end of monitoring (the session's end).
    pub monitoring_minutes: Option<i64>,
    /// Minutes after the administration the client would have been ready to leave without the
    /// two-hour rule: the clinician's judgement, recorded at discharge.
    pub ready_after_minutes: Option<u32>,
    pub sedation: Effect,
    pub dissociation: Effect,
    pub respiratory_depression: Effect,
    /// Whether a serious adverse event occurred, as answered at discharge.
    pub serious_adverse_event: Option<bool>,
    /// The adverse events charted during the session, described, the severe ones first.
    pub adverse_events: Vec<String>,
}

/// What the form needs beyond the timeline: the clinic's details, the client's, and who signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemsContext {
    /// The clinic's name set in Settings: the healthcare setting.
    pub setting: Option<String>,
    pub contact: RemsContact,
    pub patient: Option<RemsPatient>,
    pub first_treatment: Option<bool>,
    /// Who signed the session: the monitoring clinician of a session that ended without naming one.
    pub signed_by: Option<String>,
    /// The clinic's zone today, for a session that kept none of its own.
    pub zone: super::ClinicZone,
}

/// Why a session has no REMS form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemsError {
    #[error("The REMS monitoring form is for intranasal esketamine sessions; this one is {0}.")]
    NotEsketamine(&'static str),
    #[error("The REMS monitoring form is filled once the session has ended.")]
    NotEnded,
}

impl RemsForm {
    /// Fills the form from an ended esketamine session's timeline and `context`.
    pub fn of(
        session: &Session,
        events: &[Event],
        weight_kg: Option<f64>,
        thresholds: &Thresholds,
        context: RemsContext,
    ) -> Result<Self, RemsError> {
        if session.route != Route::IntranasalEsketamine {
            return Err(RemsError::NotEsketamine(session.route.label()));
        }
        let ended = session.ended_at.ok_or(RemsError::NotEnded)?;
        let end_ms = (ended - session.started_at).num_milliseconds();
        let first_dose_ms = events.iter().find_map(|event| match event.kind {
            EventKind::DosingBegan { .. } => Some(event.elapsed_ms),
            _ => None,
        });
        let minutes_after = |ms: i64| first_dose_ms.map(|first| (ms - first) / 60_000);
        let checklist = events.iter().find_map(|event| match &event.kind {
            EventKind::PreSession(checklist) => Some(checklist),
            _ => None,
        });
        let discharge = events.iter().rev().find_map(|event| match &event.kind {
            EventKind::SessionEnded { discharge, .. } => discharge.as_ref(),
            _ => None,
        });
        let (before_dosing, at_about_40_minutes, before_leaving) =
            pressures(events, &minutes_after);
        let acceptable = |event: Option<&Event>| {
            event.map(|event| match &event.kind {
                EventKind::Vitals { vitals, .. } => thresholds.flags(vitals).is_empty(),
                _ => true,
            })
        };
        let last_vitals_before_dosing = events.iter().rev().find(|event| {
            matches!(event.kind, EventKind::Vitals { .. })
                && first_dose_ms.is_some_and(|first| event.elapsed_ms < first)
        });
        let last_vitals = events
            .iter()
            .rev()
            .find(|event| matches!(event.kind, EventKind::Vitals { .. }));
        let named = |name: Option<String>| name.filter(|name| !name.trim().is_empty());
        Ok(Self {
            treatment_started: session.started_at,
            zone: session.zone.unwrap_or(context.zone),
            patient: context.patient.unwrap_or_default(),
            first_treatment: context.first_treatment,
            dose_mg: delivered(events, session.route, weight_kg, end_ms).mg,
            lots: checklist
                .and_then(|checklist| checklist.lot.clone())
                .into_iter()
                .collect(),
            concomitant: Concomitant::ALL
                .into_iter()
                .map(|class| {
                    let taken = checklist
                        .map(|checklist| {
                            checklist
                                .medicines
                                .iter()
                                .filter(|medicine| class.holds(medicine))
                                .cloned()
                                .collect()
                        })
                        .unwrap_or_default();
                    (class, taken)
                })
                .collect(),
            checklist_recorded: checklist.is_some(),
            monitoring_clinician: named(
                discharge.and_then(|discharge| discharge.monitored_by.clone()),
            )
            .or_else(|| named(context.signed_by)),
            healthcare_setting: named(context.setting),
            contact: context.contact,
            before_dosing,
            at_about_40_minutes,
            before_leaving,
            acceptable_before_dosing: acceptable(last_vitals_before_dosing),
            acceptable_before_leaving: acceptable(
                last_vitals
                    .filter(|event| first_dose_ms.is_some_and(|first| event.elapsed_ms > first)),
            ),
            pulse_oximetry: oximetry(events, &minutes_after),
            monitoring_minutes: minutes_after(end_ms),
            ready_after_minutes: discharge.and_then(|discharge| discharge.ready_after_minutes),
            sedation: sedation(events),
            dissociation: dissociation(events),
            respiratory_depression: respiratory_depression(events, thresholds),
            serious_adverse_event: discharge.and_then(|discharge| discharge.serious_adverse_event),
            adverse_events: adverse_events(events),
        })
    }

    /// How many 28 mg devices the dose is, when it is a whole number of them.
    pub fn devices(&self) -> Option<u32> {
        let devices = self.dose_mg? / ESKETAMINE_DEVICE_MG;
        (devices >= 1.0 && (devices - devices.round()).abs() < 1e-6).then(|| devices.round() as u32)
    }

    /// The fields the journal could not fill, by their names on the form.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        let mut need = |absent: bool, name: &'static str| {
            if absent {
                missing.push(name);
            }
        };
        let patient = &self.patient;
        need(
            patient.first_name.is_empty(),
            "patient's first name (the client's REMS details)",
        );
        need(
            patient.last_name.is_empty(),
            "patient's last name (the client's REMS details)",
        );
        need(
            patient.birth_date.is_none(),
            "patient's birthdate (the client's REMS details)",
        );
        need(
            patient.sex.is_none(),
            "patient's sex (the client's REMS details)",
        );
        need(
            patient.enrolled.is_none(),
            "whether the patient is enrolled in the REMS (the client's REMS details)",
        );
        need(self.dose_mg.is_none(), "dose (dosing never began)");
        need(
            self.lots.is_empty(),
            "lot number of the devices (the checklist's lot)",
        );
        need(
            !self.checklist_recorded,
            "concomitant medicines (no checklist)",
        );
        need(
            self.monitoring_clinician.is_none(),
            "monitoring clinician (not recorded when the session ended, and it is not signed)",
        );
        need(
            self.healthcare_setting.is_none(),
            "healthcare setting (the clinic's name in Settings)",
        );
        need(
            self.contact.address.is_empty(),
            "setting address (Settings, Clinic)",
        );
        need(
            self.contact.telephone.is_empty(),
            "provider telephone (Settings, Clinic)",
        );
        need(
            self.contact.email.is_empty(),
            "provider email (Settings, Clinic)",
        );
        need(self.before_dosing.is_none(), "blood pressure before dosing");
        need(
            self.at_about_40_minutes.is_none(),
            "blood pressure at about 40 minutes (30–60 minutes after dosing)",
        );
        need(
            self.before_leaving.is_none(),
            "blood pressure before leaving",
        );
        need(
            self.acceptable_before_dosing.is_none(),
            "vitals acceptable before dosing",
        );
        need(
            self.acceptable_before_leaving.is_none(),
            "vitals acceptable before leaving",
        );
        need(
            self.pulse_oximetry.is_none(),
            "pulse oximetry (no SpO2 read after dosing)",
        );
        need(self.monitoring_minutes.is_none(), "total monitoring time");
        need(
            self.ready_after_minutes.is_none(),
            "minutes until ready to leave (asked when the session ended)",
        );
        for (effect, name) in [
            (self.sedation, "whether sedation had resolved"),
            (self.dissociation, "whether dissociation had resolved"),
            (
                self.respiratory_depression,
                "whether respiratory depression had resolved",
            ),
        ] {
            need(effect.occurred && effect.resolved.is_none(), name);
        }
        need(
            self.serious_adverse_event.is_none(),
            "serious adverse events (asked when the session ended)",
        );
        missing
    }

    /// The last day to submit the form: 7 days from the clinic's treatment date.
    pub fn due(&self) -> chrono::NaiveDate {
        self.zone.date(self.treatment_started)
            + chrono::Days::new(REMS_SUBMIT_WITHIN_DAYS.unsigned_abs())
    }

    /// A moment of the treatment as the clinic's clock read it, written in `style`, with the zone.
    pub fn local_time(&self, at: DateTime<Utc>, style: super::DateTimeStyle) -> String {
        format!(
            "{} ({})",
            style.date_time(self.zone.local(at).naive_local()),
            self.zone.describe_at(at)
        )
    }
}

/// The adverse events charted, described, severe ones first (the form asks about serious ones).
fn adverse_events(events: &[Event]) -> Vec<String> {
    let mut charted: Vec<(AdverseSeverity, String)> = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::AdverseEvent(adverse) => Some((adverse.severity, adverse.describe())),
            _ => None,
        })
        .collect();
    charted.sort_by_key(|(severity, _)| std::cmp::Reverse(*severity));
    charted.into_iter().map(|(_, line)| line).collect()
}
