//! What a session summary says, before it is laid out as Markdown or PDF: the facts of the session,
//! the dosing, every decision point with the deferral it opened and how that ended, the notes, and
//! what the clinician marked for integration.

use super::SessionRecord;
use super::summary_context::SummaryContext;
use super::summary_facts::{after_session, before_session, facts, local_date_time, progress_note};
pub use super::summary_lines::Timed;
use super::summary_lines::{
    ClinicalList, clinical_line, dosing_line, marked_lines, suicide_risk_lines,
};
use crate::domain::{Decision, DecisionPoint, DeferralOutcome, EventKind, Seq, monitoring_ms};

/// A "sit with it" deferral and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct DeferralLine {
    pub minutes: u32,
    /// `None` while the session is still live and the deferral open.
    pub outcome: Option<DeferralOutcome>,
    pub ended: Option<Timed>,
}

/// A decision point with everything said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionLine {
    pub at: Timed,
    pub point: DecisionPoint,
    pub deferral: Option<DeferralLine>,
}

/// A whole session summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub title: String,
    /// The session's model: the Medical Model's summary speaks of no integration session.
    pub model: crate::domain::TreatmentModel,
    /// Label and value, in reading order: client, date, model, route, planned dose…
    pub facts: Vec<(&'static str, String)>,
    pub intention: String,
    pub comfort_plan: String,
    /// Dosing began, every dose change and stop.
    pub dosing: Vec<Timed>,
    pub decisions: Vec<DecisionLine>,
    /// How the deferrals ended, each outcome with its count (outcomes that never happened left out).
    pub outcome_counts: Vec<(DeferralOutcome, usize)>,
    pub notes: Vec<Timed>,
    /// Vitals and sedation ratings, each flagged where it crossed a threshold.
    pub monitoring: Vec<Timed>,
    /// Questionnaires (PHQ-9, GAD-7, CADSS-6) with their scores.
    pub measures: Vec<Timed>,
    pub adverse_events: Vec<Timed>,
    /// Suicide risk: ASQ screens, PHQ-9 item 9 above zero, and the safety plan's parts. Empty
    /// when the session recorded none of them.
    pub suicide_risk: Vec<Timed>,
    /// Entries marked "bring to integration" when the summary was made.
    pub for_integration: Vec<Timed>,
    /// The closing note, when the session ended with one.
    pub closing: Option<Timed>,
    /// The checklist before the session: weight, fasting, medicines (flagged), consent.
    pub before_session: Vec<(&'static str, String)>,
    /// Monitoring time and the discharge record, once the session has ended.
    pub after_session: Vec<(&'static str, String)>,
    /// The integration check-ins planned after the session: what each found, or when it is due.
    pub check_ins: Vec<(&'static str, String)>,
    /// The progress note's format label ("SOAP") and its sections, heading and text.
    pub progress_note: Option<(&'static str, Vec<(&'static str, String)>)>,
    /// The private psychotherapy note: only when the export was asked to include it.
    pub private_note: Option<String>,
    /// "Signed by … on …" once the session is signed.
    pub signature: Option<String>,
    /// Corrections and additions made after signing, oldest first; the record above stays as signed.
    pub addenda: Vec<AddendumLine>,
}

/// An addendum as a summary shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AddendumLine {
    /// Date and time of day in the summary's time zone, and who wrote it.
    pub heading: String,
    pub reason: String,
    pub text: String,
}

impl Summary {
    /// Builds the summary as `context` says.
    pub fn of(record: &SessionRecord, context: &SummaryContext) -> Self {
        let zone = record.zone(context);
        let weight = record.weight_kg();
        let timed = |event: &crate::domain::Event, text: String| {
            Timed::at(zone, context.style, event, text)
        };
        let mut summary = Self::head(record, context);
        let mut dosing_began_ms = None;
        // Where each decision point and each deferral went in `summary.decisions`, by entry number.
        let mut decision_of: Vec<(Seq, usize)> = Vec::new();
        let mut deferral_of: Vec<(Seq, usize)> = Vec::new();
        // What the dose entries before this one add up to: a dose change says the rate it set.
        let mut administration = crate::domain::Administration::new(record.session.route);
        let decision_of_deferral = crate::domain::decisions_of_deferrals(&record.events);
        // A decision's kinds as last set (a `decision_detail` set afterwards).
        let events = crate::domain::decision_detail::applied(&record.events);
        for event in events.iter() {
            if let Some(line) = dosing_line(&administration, event, weight) {
                summary.dosing.push(timed(event, line));
            }
            administration.apply(event);
            for line in suicide_risk_lines(&event.kind) {
                summary.suicide_risk.push(timed(event, line));
            }
            match &event.kind {
                EventKind::Note { text } => summary.notes.push(timed(event, text.clone())),
                EventKind::WentAhead { .. } => {
                    summary.notes.push(timed(event, event.kind.describe()));
                }
                EventKind::PreSession(checklist) => {
                    summary.before_session = before_session(checklist);
                }
                EventKind::DosingBegan { .. } => dosing_began_ms = Some(event.elapsed_ms),
                EventKind::InfusionExtended { .. }
                | EventKind::DoseChange { .. }
                | EventKind::Marker { .. }
                | EventKind::SuicideScreen { .. }
                // Folded into its decision point by `decision_detail::applied` above.
                | EventKind::DecisionDetail { .. }
                | EventKind::SafetyPlan(_) => {}
                EventKind::DecisionPoint(point) => {
                    decision_of.push((event.seq, summary.decisions.len()));
                    summary.decisions.push(DecisionLine {
                        at: timed(event, String::new()),
                        point: point.clone(),
                        deferral: None,
                    });
                }
                EventKind::DeferralStart { minutes, .. } => {
                    let decision = decision_of_deferral.get(&event.seq);
                    if let Some(index) = decision.and_then(|seq| index_of(&decision_of, *seq)) {
                        summary.decisions[index].deferral = Some(DeferralLine {
                            minutes: *minutes,
                            outcome: None,
                            ended: None,
                        });
                        deferral_of.push((event.seq, index));
                    }
                }
                EventKind::DeferralMinutes {
                    deferral_seq,
                    minutes,
                } => {
                    if let Some(deferral) =
                        deferral_at(&mut summary.decisions, &deferral_of, *deferral_seq)
                    {
                        deferral.minutes = *minutes;
                    }
                }
                EventKind::DeferralOutcome {
                    deferral_seq,
                    outcome,
                    note,
                } => {
                    if let Some(deferral) =
                        deferral_at(&mut summary.decisions, &deferral_of, *deferral_seq)
                    {
                        deferral.outcome = Some(*outcome);
                        deferral.ended = Some(timed(event, note.trim().to_owned()));
                    }
                }
                EventKind::SessionEnded { note, discharge } => {
                    summary.closing = Some(timed(event, note.trim().to_owned()));
                    summary.after_session = after_session(
                        monitoring_ms(dosing_began_ms, event.elapsed_ms),
                        discharge.as_ref(),
                    );
                }
                EventKind::Vitals { .. }
                | EventKind::Sedation { .. }
                | EventKind::Measure { .. }
                | EventKind::AdverseEvent(_) => {
                    let (list, line) = clinical_line(&event.kind, context);
                    summary.list_mut(list).push(timed(event, line));
                }
            }
        }
        summary.outcome_counts = outcome_counts(&summary.decisions);
        summary.for_integration = marked_lines(record, timed);
        summary
    }

    /// The parts that do not come from the timeline; the timeline's lists start empty.
    fn head(record: &SessionRecord, context: &SummaryContext) -> Self {
        let session = &record.session;
        Self {
            title: format!("{} session summary", session.model.label()),
            model: session.model,
            facts: facts(record, context),
            intention: session.intention.clone(),
            comfort_plan: session.comfort_plan.clone(),
            dosing: Vec::new(),
            decisions: Vec::new(),
            outcome_counts: Vec::new(),
            notes: Vec::new(),
            monitoring: Vec::new(),
            measures: Vec::new(),
            adverse_events: Vec::new(),
            check_ins: record
                .follow_ups
                .iter()
                .map(|follow_up| {
                    let said = match &follow_up.done {
                        Some(check_in) => format!(
                            "{} ({})",
                            check_in.describe(),
                            context.style.date(record.zone(context).date(check_in.at))
                        ),
                        None => format!(
                            "due {}, not yet recorded",
                            context.style.date(follow_up.due)
                        ),
                    };
                    (follow_up.kind.label(), said)
                })
                .collect(),
            suicide_risk: Vec::new(),
            for_integration: Vec::new(),
            closing: None,
            before_session: Vec::new(),
            after_session: Vec::new(),
            progress_note: progress_note(record),
            private_note: record
                .private_note
                .as_ref()
                .map(|note| note.text.trim().to_owned()),
            signature: record.signature.as_ref().map(|signature| {
                let standing = record
                    .signature_standing
                    .as_ref()
                    .map(|standing| format!(" {}", standing.describe()))
                    .unwrap_or_default();
                let under = signature
                    .signed_under_note()
                    .map(|note| format!(" {note}"))
                    .unwrap_or_default();
                format!(
                    "Signed by {} on {}{standing}.{under} The record above is as it was signed; anything added later is an addendum.",
                    signature.clinician.signed_as(),
                    local_date_time(signature.signed_at, record.zone(context), context.style)
                )
            }),
            addenda: record
                .addenda
                .iter()
                .map(|addendum| AddendumLine {
                    heading: format!(
                        "{}, {}",
                        local_date_time(
                            addendum.written_at,
                            record.zone(context),
                            context.style
                        ),
                        addendum.author.signed_as()
                    ),
                    reason: addendum.reason.clone(),
                    text: addendum.text.clone(),
                })
                .collect(),
        }
    }

    fn list_mut(&mut self, list: ClinicalList) -> &mut Vec<Timed> {
        match list {
            ClinicalList::Monitoring => &mut self.monitoring,
            ClinicalList::Measures => &mut self.measures,
            ClinicalList::AdverseEvents => &mut self.adverse_events,
        }
    }

    /// How the "sit with it" deferrals ended, in one sentence; `None` when none ended.
    pub fn outcome_sentence(&self) -> Option<String> {
        if self.outcome_counts.is_empty() {
            return None;
        }
        let counts: Vec<String> = self
            .outcome_counts
            .iter()
            .map(|(outcome, count)| format!("{} {count}", outcome.label()))
            .collect();
        Some(format!(
            "\"Sit with it\" deferrals: {}; {}.",
            self.deferrals(),
            counts.join(", ")
        ))
    }

    /// Whether the summary has a "Bring to integration" section: a KAP session's always, a
    /// Medical Model session's only when something was marked.
    pub fn shows_integration(&self) -> bool {
        self.model == crate::domain::TreatmentModel::Kap || !self.for_integration.is_empty()
    }

    /// The heading of the check-ins after the session, in the model's words.
    pub fn check_ins_heading(&self) -> &'static str {
        match self.model {
            crate::domain::TreatmentModel::Kap => "Integration check-ins",
            crate::domain::TreatmentModel::Medical => "Check-ins after the session",
        }
    }

    /// How many decision points chose to sit with it.
    pub fn deferrals(&self) -> usize {
        self.decisions
            .iter()
            .filter(|line| matches!(line.point.decision, Decision::SitWithIt { .. }))
            .count()
    }
}

/// Each outcome that happened, with how often.
fn outcome_counts(decisions: &[DecisionLine]) -> Vec<(DeferralOutcome, usize)> {
    DeferralOutcome::ALL
        .into_iter()
        .map(|outcome| {
            let count = decisions
                .iter()
                .filter(|line| {
                    line.deferral
                        .as_ref()
                        .is_some_and(|deferral| deferral.outcome == Some(outcome))
                })
                .count();
            (outcome, count)
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// Where the entry `wanted` went in a list of (entry, index) pairs.
fn index_of(list: &[(Seq, usize)], wanted: Seq) -> Option<usize> {
    list.iter()
        .find(|(seq, _)| *seq == wanted)
        .map(|(_, index)| *index)
}

/// The deferral started at `wanted`, on the decision it belongs to.
fn deferral_at<'a>(
    decisions: &'a mut [DecisionLine],
    deferral_of: &[(Seq, usize)],
    wanted: Seq,
) -> Option<&'a mut DeferralLine> {
    index_of(deferral_of, wanted).and_then(|index| decisions.get_mut(index)?.deferral.as_mut())
}
