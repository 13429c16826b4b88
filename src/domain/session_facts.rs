//! The facts of a session that a progress note is drafted from: what the client reported, what was
//! observed and done, how the client responded, the assessment and the plan, gathered in one pass
//! over the timeline.

use std::fmt::Write as _;

use super::words;
use super::{Event, EventKind, NoteFormat, Seq, Session, Thresholds, delivered, entry_flags};

/// The facts of a session a progress note is drafted from, sorted by what kind of fact they are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionFacts {
    /// What the client brought and said: intention, what came up at decision points.
    pub reported: Vec<Fact>,
    /// What was seen and measured: the session's plan and total, vitals, measures, notes, adverse events.
    pub observed: Vec<Fact>,
    /// What the clinician did: dosing, "sit with it" offers, the comfort plan.
    pub interventions: Vec<Fact>,
    /// How the client responded: deferral outcomes, the closing note.
    pub responses: Vec<Fact>,
    /// The clinical picture: counts of decisions and outcomes, safety signals.
    pub assessment: Vec<Fact>,
    /// What happens next: discharge, follow-up, what to bring to integration.
    pub plan: Vec<Fact>,
}

/// One line of a drafted note; a line from a timeline entry keeps its time, so lines from different
/// kinds of facts read in the order they happened when a section brings them together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub at_ms: Option<i64>,
    pub text: String,
}

impl Fact {
    fn at(at_ms: i64, text: String) -> Self {
        Self {
            at_ms: Some(at_ms),
            text,
        }
    }

    /// The fact as a sentence: "At 20:00, a memory came up." A timed fact starts with its time;
    /// every sentence ends with a full stop (or the clinician's own ! or ?).
    fn sentence(&self) -> String {
        let text = self.text.trim();
        let mut sentence = match self.at_ms {
            Some(ms) => format!("At {}, {}", words::elapsed(ms), lower_first(text)),
            None => words::capitalised(text),
        };
        if !sentence.ends_with(['.', '!', '?']) {
            sentence.push('.');
        }
        sentence
    }
}

impl From<String> for Fact {
    fn from(text: String) -> Self {
        Self { at_ms: None, text }
    }
}

impl From<&str> for Fact {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

impl SessionFacts {
    /// Sorts the timeline of `session` into facts. `weight_kg` gives doses in mg; `thresholds`
    /// decide which readings are named as safety signals.
    pub fn gather(
        session: &Session,
        events: &[Event],
        weight_kg: Option<f64>,
        thresholds: &Thresholds,
    ) -> Self {
        let mut gathering = Gathering {
            weight_kg,
            administration: super::Administration::new(session.route),
            ..Gathering::default()
        };
        if !session.intention.trim().is_empty() {
            gathering
                .facts
                .reported
                .push(format!("Came with the intention: {}", session.intention.trim()).into());
        }
        let until_ms = events.last().map_or(0, |event| event.elapsed_ms);
        gathering.facts.observed.push(
            format!(
                "{} session, {}; planned {}; delivered {}.",
                session.model.label(),
                session.route.label(),
                session.planned_dose.describe(weight_kg),
                delivered(events, session.route, weight_kg, until_ms).describe()
            )
            .into(),
        );
        // A decision's kinds as last set (a `decision_detail` set afterwards).
        for event in super::decision_detail::applied(events).iter() {
            gathering.take(event, thresholds);
        }
        let Gathering {
            mut facts,
            decisions,
            offers,
            flags,
            marked,
            ..
        } = gathering;
        if !session.comfort_plan.trim().is_empty() {
            facts
                .interventions
                .push(format!("Comfort plan: {}", session.comfort_plan.trim()).into());
        }
        // The Medical Model lowers when asked; it never offers to sit with it, so its note does not
        // say that it did not.
        let offered = match session.model {
            super::TreatmentModel::Medical if offers == 0 => String::new(),
            _ => format!("; sit with it offered {offers} time{}", plural(offers)),
        };
        facts
            .assessment
            .push(format!("{decisions} decision point{}{offered}.", plural(decisions)).into());
        facts.assessment.extend(facts.responses.iter().cloned());
        if flags.is_empty() {
            facts.assessment.push("No safety signals recorded.".into());
        } else {
            facts.assessment.extend(
                flags
                    .into_iter()
                    .map(|flag| format!("Safety: {flag}").into()),
            );
        }
        for seq in marked {
            if let Some(event) = events.iter().find(|event| event.seq == seq) {
                facts.plan.push(
                    format!(
                        "Bring to integration what was noted at {}: {}",
                        words::elapsed(event.elapsed_ms),
                        event.kind.describe().trim_end_matches('.')
                    )
                    .into(),
                );
            }
        }
        facts
    }
    /// The section texts of `format`, in order: each kind of fact a paragraph of sentences, the
    /// untimed ones (the session's plan, the comfort plan) first, then the rest as it happened.
    pub(super) fn draft(&self, format: NoteFormat) -> Vec<String> {
        let join = |parts: &[&Vec<Fact>]| {
            parts
                .iter()
                .filter(|facts| !facts.is_empty())
                .map(|facts| {
                    let mut sorted: Vec<&Fact> = facts.iter().collect();
                    sorted.sort_by_key(|fact| fact.at_ms.unwrap_or(i64::MIN));
                    sorted
                        .iter()
                        .map(|fact| fact.sentence())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        match format {
            NoteFormat::Soap => vec![
                join(&[&self.reported]),
                join(&[&self.observed, &self.interventions]),
                join(&[&self.assessment]),
                join(&[&self.plan]),
            ],
            NoteFormat::Dap => vec![
                join(&[&self.reported, &self.observed, &self.interventions]),
                join(&[&self.assessment]),
                join(&[&self.plan]),
            ],
            NoteFormat::Birp => vec![
                join(&[&self.reported, &self.observed]),
                join(&[&self.interventions]),
                join(&[&self.responses]),
                join(&[&self.plan]),
            ],
        }
    }
}

/// The facts sorted so far, with the counts and marks that are only known at the end.
#[derive(Default)]
struct Gathering {
    facts: SessionFacts,
    decisions: usize,
    offers: usize,
    flags: Vec<String>,
    /// Entries marked for integration and not unmarked since, in the order they were marked.
    marked: Vec<Seq>,
    /// The dose entries so far, so a change says the rate it set.
    administration: super::Administration,
    weight_kg: Option<f64>,
}

impl Gathering {
    fn take(&mut self, event: &Event, thresholds: &Thresholds) {
        self.sort(event, thresholds);
        self.administration.apply(event);
    }

    fn sort(&mut self, event: &Event, thresholds: &Thresholds) {
        let ms = event.elapsed_ms;
        for flag in entry_flags(&event.kind, thresholds) {
            self.flags.push(format!("{} {flag}", words::elapsed(ms)));
        }
        let facts = &mut self.facts;
        match &event.kind {
            EventKind::Note { text } => facts.observed.push(Fact::at(ms, text.clone())),
            EventKind::PreSession(checklist) => {
                facts.observed.push(Fact::at(ms, checklist.describe()));
            }
            EventKind::DecisionPoint(point) => {
                self.decisions += 1;
                let mut line = point.came_up.as_sentence_start().to_owned();
                if !point.detail.trim().is_empty() {
                    let _ = write!(line, " (\"{}\")", point.detail.trim());
                }
                if let Some(clause) = point.asked.as_clause() {
                    let _ = write!(line, "; {clause}");
                }
                facts.reported.push(Fact::at(ms, line));
            }
            // Folded into its decision point before the facts are sorted.
            EventKind::DecisionDetail { .. } => {}
            EventKind::DeferralMinutes { minutes, .. } => facts.interventions.push(Fact::at(
                ms,
                format!("Agreed to sit with it for {minutes} min in all."),
            )),
            EventKind::DeferralStart { minutes, .. } => {
                self.offers += 1;
                facts.interventions.push(Fact::at(
                    ms,
                    format!("Offered to sit with it for {minutes} min; accepted."),
                ));
            }
            EventKind::DeferralOutcome { outcome, note, .. } => {
                let mut line = format!("sitting with it ended: {}", outcome.label());
                if !note.trim().is_empty() {
                    let _ = write!(line, " ({})", note.trim().trim_end_matches('.'));
                }
                facts.responses.push(Fact::at(ms, line));
            }
            EventKind::DoseChange {
                dose: Some(dose),
                reason,
            } => {
                let mut line = self
                    .administration
                    .describe_change(dose, ms, self.weight_kg);
                if !reason.trim().is_empty() {
                    let _ = write!(line, " ({})", reason.trim());
                }
                facts.interventions.push(Fact::at(ms, line));
            }
            EventKind::DosingBegan { .. }
            | EventKind::DoseChange { .. }
            | EventKind::InfusionExtended { .. }
            | EventKind::WentAhead { .. } => facts
                .interventions
                .push(Fact::at(ms, event.kind.describe())),
            EventKind::Vitals { .. }
            | EventKind::Sedation { .. }
            | EventKind::Measure { .. }
            | EventKind::AdverseEvent(_)
            | EventKind::SuicideScreen { .. } => {
                facts.observed.push(Fact::at(ms, event.kind.describe()));
            }
            EventKind::SafetyPlan(_) => {
                facts
                    .interventions
                    .push(Fact::at(ms, event.kind.describe()));
            }
            EventKind::Marker { target_seq, on } => {
                self.marked.retain(|seq| seq != target_seq);
                if *on {
                    self.marked.push(*target_seq);
                }
            }
            EventKind::SessionEnded { note, discharge } => {
                if !note.trim().is_empty() {
                    facts
                        .responses
                        .push(Fact::at(ms, format!("the session ended: {}", note.trim())));
                }
                facts
                    .plan
                    .extend(discharge.as_ref().map(|d| Fact::from(d.describe())));
            }
        }
    }
}

/// "Talks about …" becomes "talks about …" after "At 20:00,"; a word in capitals ("BP", "PHQ-9")
/// or a name typed with a capital after its first letter stays as it is.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
