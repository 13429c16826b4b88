//! The checks an archived session must pass before it is written: everything the live engine would
//! never have let into the journal is refused here too, with the entry it concerns.

use std::collections::HashMap;

use super::{ArchivedEvent, ArchivedSession};
use crate::domain::{
    DeferralLinks, EventKind, MAX_EXTENSION_MINUTES, MAX_SIT_WITH_IT_MINUTES, NewClient, Seq,
    SessionStatus, WEIGHT_RANGE_KG,
};

/// The longest text field an archive may hold (a note, a rationale, an intention).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Checks one session; the error says what is wrong, without quoting the session's text.
pub fn check_session(session: &ArchivedSession) -> Result<NewClient, String> {
    let client = &session.client;
    let new_client = NewClient::parse(
        &client.code,
        client.display_name.as_deref().unwrap_or(""),
        "",
    )
    .map_err(|error| format!("its client: {error}"))?;
    if new_client.code != client.code
        || new_client.display_name.as_deref() != client.display_name.as_deref()
    {
        return Err("its client's code or name has spaces around it".to_owned());
    }
    if let Some(weight) = client.weight_kg
        && !WEIGHT_RANGE_KG.contains(&weight)
    {
        return Err(format!(
            "its client's weight is outside {}–{} kg",
            WEIGHT_RANGE_KG.start(),
            WEIGHT_RANGE_KG.end()
        ));
    }
    super::archive_times::check_times(session)?;
    let weight = client.weight_kg;
    session
        .planned_dose
        .check_for_weight(weight)
        .map_err(|error| format!("its planned dose: {error}"))?;
    let notes = session
        .progress_note
        .iter()
        .flat_map(|note| note.sections().iter())
        .chain(&session.private_note)
        .map(|text| ("notes", text));
    for (what, text) in [
        ("intention", &session.intention),
        ("comfort plan", &session.comfort_plan),
    ]
    .into_iter()
    .chain(notes)
    {
        if text.len() > MAX_TEXT_BYTES {
            return Err(format!(
                "its {what} is longer than {} MiB",
                MAX_TEXT_BYTES >> 20
            ));
        }
    }
    match (session.status, &session.signature) {
        (SessionStatus::Signed, None) => {
            return Err("it is signed but carries no signature".to_owned());
        }
        (SessionStatus::Live | SessionStatus::Ended, Some(_)) => {
            return Err("it carries a signature but is not signed".to_owned());
        }
        _ => {}
    }
    if !session.addenda.is_empty() && session.signature.is_none() {
        return Err("it has addenda but is not signed".to_owned());
    }
    if let Some(signature) = &session.signature {
        signature
            .clinician
            .checked()
            .map_err(|error| format!("its signature cannot be used: {error}"))?;
        // The code signed under is held to the rules of a client's code.
        if let Some(code) = &signature.client_code
            && NewClient::parse(code, "", "").map(|parsed| parsed.code) != Ok(code.clone())
        {
            return Err("its signature names a client code that is not one".to_owned());
        }
    }
    for addendum in &session.addenda {
        crate::domain::Addendum::new(
            &addendum.author,
            addendum.written_at,
            &addendum.reason,
            &addendum.text,
        )
        .map_err(|error| format!("an addendum cannot be used: {error}"))?;
    }
    match (session.status, session.ended_at) {
        (SessionStatus::Live, Some(_)) => return Err("it is live but has an end time".to_owned()),
        (SessionStatus::Ended | SessionStatus::Signed, None) => {
            return Err("it has ended but has no end time".to_owned());
        }
        (_, Some(ended)) if ended < session.started_at => {
            return Err("it ends before it starts".to_owned());
        }
        _ => {}
    }
    check_timeline(session, weight)?;
    check_follow_ups(session)?;
    Ok(NewClient {
        weight_kg: weight,
        ..new_client
    })
}

/// The timeline: numbered 1, 2, 3… in order, time never running backwards, every reference pointing
/// at an earlier entry of the right kind, doses possible for the client's weight.
fn check_timeline(session: &ArchivedSession, weight: Option<f64>) -> Result<(), String> {
    let mut check = TimelineCheck {
        session,
        weight,
        kinds: HashMap::new(),
        links: DeferralLinks::default(),
        open_deferrals: Vec::new(),
        dosing_began: false,
        previous_elapsed: 0,
    };
    for (index, event) in session.events.iter().enumerate() {
        let entry = format!("entry {}", index + 1);
        check.numbering(index, event, &entry)?;
        check.links.observe_entry(Seq(event.seq), &event.entry);
        check.content(index, &event.entry, &entry)?;
        check.kinds.insert(event.seq, &event.entry);
    }
    let ended_by_last = session
        .events
        .last()
        .is_some_and(|event| matches!(event.entry, EventKind::SessionEnded { .. }));
    if session.status != SessionStatus::Live && !ended_by_last {
        return Err("it has ended but its timeline has no closing entry".to_owned());
    }
    Ok(())
}

/// Check-ins: only an ended session has them, each kind once, each one recorded with something in
/// it and no longer text than an entry may have.
fn check_follow_ups(session: &ArchivedSession) -> Result<(), String> {
    if !session.follow_ups.is_empty() && session.status == SessionStatus::Live {
        return Err("it is live but has check-ins planned after it".to_owned());
    }
    for (index, follow_up) in session.follow_ups.iter().enumerate() {
        let which = format!("check-in {}", index + 1);
        if session.follow_ups[..index]
            .iter()
            .any(|earlier| earlier.kind == follow_up.kind)
        {
            return Err(format!("{which} repeats the {}", follow_up.kind.label()));
        }
        if let Some(done) = &follow_up.done {
            done.checked()
                .map_err(|error| format!("{which}: {error}"))?;
            if done.note.len() > MAX_TEXT_BYTES {
                return Err(format!(
                    "{which} has a text longer than {} MiB",
                    MAX_TEXT_BYTES >> 20
                ));
            }
        }
    }
    Ok(())
}

/// What the entries read so far add up to.
struct TimelineCheck<'a> {
    session: &'a ArchivedSession,
    weight: Option<f64>,
    kinds: HashMap<u32, &'a EventKind>,
    /// Which decision point each deferral belongs to (a record from before schema 16 may name it
    /// one place off; see `domain::deferral_link`).
    links: DeferralLinks,
    /// Deferrals started and not yet ended, by their entry number.
    open_deferrals: Vec<u32>,
    dosing_began: bool,
    previous_elapsed: i64,
}

impl TimelineCheck<'_> {
    /// Numbered in order, timed in order, no text beyond the limit.
    fn numbering(
        &mut self,
        index: usize,
        event: &ArchivedEvent,
        entry: &str,
    ) -> Result<(), String> {
        let expected =
            u32::try_from(index + 1).map_err(|_| "it has too many entries".to_owned())?;
        if event.seq != expected {
            return Err(if self.kinds.contains_key(&event.seq) {
                format!("{entry} repeats the number #{}", event.seq)
            } else {
                format!("{entry} is numbered #{} instead of #{expected}", event.seq)
            });
        }
        if event.elapsed_ms < self.previous_elapsed {
            return Err(format!("{entry} is timed before the entry before it"));
        }
        self.previous_elapsed = event.elapsed_ms;
        if event
            .entry
            .text()
            .iter()
            .any(|text| text.len() > MAX_TEXT_BYTES)
        {
            return Err(format!(
                "{entry} has a text longer than {} MiB",
                MAX_TEXT_BYTES >> 20
            ));
        }
        Ok(())
    }

    /// What the entry says fits what came before it.
    fn content(&mut self, index: usize, kind: &EventKind, entry: &str) -> Result<(), String> {
        match kind {
            EventKind::DosingBegan { dose } => {
                if std::mem::replace(&mut self.dosing_began, true) {
                    return Err(format!("{entry} begins dosing a second time"));
                }
                dose.check_for_weight(self.weight)
                    .map_err(|error| format!("{entry}: {error}"))
            }
            EventKind::DoseChange {
                dose: Some(dose), ..
            } => dose
                .check_for_weight(self.weight)
                .map_err(|error| format!("{entry}: {error}")),
            EventKind::InfusionExtended { minutes, .. } => extension(entry, *minutes),
            EventKind::DeferralStart {
                decision_seq,
                minutes,
            } => {
                let seq = u32::try_from(index + 1).unwrap_or(u32::MAX);
                let decision = self.links.decision_of(Seq(seq), *decision_seq);
                self.refers_to(entry, decision.0, "decision point", |kind| {
                    matches!(kind, EventKind::DecisionPoint(_))
                })?;
                if !(1..=MAX_SIT_WITH_IT_MINUTES).contains(minutes) {
                    return Err(format!(
                        "{entry} agrees {minutes} minutes; a deferral lasts 1 to {MAX_SIT_WITH_IT_MINUTES}"
                    ));
                }
                self.open_deferrals
                    .push(u32::try_from(index + 1).unwrap_or(u32::MAX));
                Ok(())
            }
            EventKind::DeferralMinutes {
                deferral_seq,
                minutes,
            } => self.deferral_minutes(entry, *deferral_seq, *minutes),
            EventKind::DeferralOutcome { deferral_seq, .. } => {
                self.refers_to(entry, deferral_seq.0, "\"sit with it\" deferral", |kind| {
                    matches!(kind, EventKind::DeferralStart { .. })
                })?;
                let Some(position) = self
                    .open_deferrals
                    .iter()
                    .position(|seq| *seq == deferral_seq.0)
                else {
                    return Err(format!(
                        "{entry} ends deferral #{} a second time",
                        deferral_seq.0
                    ));
                };
                self.open_deferrals.remove(position);
                Ok(())
            }
            EventKind::Marker { target_seq, .. } => {
                self.refers_to(entry, target_seq.0, "entry", |_| true)
            }
            EventKind::DecisionDetail { decision_seq, .. } => {
                self.refers_to(entry, decision_seq.0, "decision point", |kind| {
                    matches!(kind, EventKind::DecisionPoint(_))
                })
            }
            EventKind::SessionEnded { .. } => {
                if index + 1 != self.session.events.len() {
                    Err(format!("{entry} ends the session but more entries follow"))
                } else if self.session.status == SessionStatus::Live {
                    Err(format!("{entry} ends a session marked live"))
                } else if !self.open_deferrals.is_empty() {
                    Err(format!(
                        "{entry} ends the session while a \"sit with it\" deferral is open"
                    ))
                } else {
                    Ok(())
                }
            }
            // Readings and questionnaires were checked when they were read (Vitals, Sedation and
            // Measure refuse impossible values as they deserialize).
            EventKind::PreSession(checklist) => checklist
                .check()
                .map_err(|error| format!("{entry}: {error}")),
            EventKind::Note { .. }
            | EventKind::WentAhead { .. }
            | EventKind::DoseChange { dose: None, .. }
            | EventKind::DecisionPoint(_)
            | EventKind::Vitals { .. }
            | EventKind::Sedation { .. }
            | EventKind::Measure { .. }
            | EventKind::AdverseEvent(_)
            | EventKind::SuicideScreen { .. } => Ok(()),
            EventKind::SafetyPlan(plan) => plan
                .checked()
                .map(|_| ())
                .map_err(|error| format!("{entry}: {error}")),
        }
    }

    /// A change of minutes is for a deferral still running, within the deferral limits.
    fn deferral_minutes(&self, entry: &str, deferral: Seq, minutes: u32) -> Result<(), String> {
        self.refers_to(entry, deferral.0, "\"sit with it\" deferral", |kind| {
            matches!(kind, EventKind::DeferralStart { .. })
        })?;
        if !self.open_deferrals.contains(&deferral.0) {
            return Err(format!(
                "{entry} changes the minutes of deferral #{} after it ended",
                deferral.0
            ));
        }
        if (1..=MAX_SIT_WITH_IT_MINUTES).contains(&minutes) {
            Ok(())
        } else {
            Err(format!(
                "{entry} agrees {minutes} minutes; a deferral lasts 1 to {MAX_SIT_WITH_IT_MINUTES}"
            ))
        }
    }

    fn refers_to(
        &self,
        entry: &str,
        seq: u32,
        wanted: &str,
        is_wanted: fn(&EventKind) -> bool,
    ) -> Result<(), String> {
        match self.kinds.get(&seq) {
            Some(kind) if is_wanted(kind) => Ok(()),
            _ => Err(format!(
                "{entry} refers to #{seq}, which is not an earlier {wanted}"
            )),
        }
    }
}

/// An infusion is extended by a whole number of minutes within the limit.
fn extension(entry: &str, minutes: u32) -> Result<(), String> {
    if (1..=MAX_EXTENSION_MINUTES).contains(&minutes) {
        Ok(())
    } else {
        Err(format!(
            "{entry} extends the infusion by {minutes} minutes; an extension is 1 to {MAX_EXTENSION_MINUTES}"
        ))
    }
}

/// Sets right, in an unsigned session read from an archive, the entries a journal from before
/// schema 16 recorded one place off after a soft stop (see `domain::deferral_link`), as migration 16
/// does in a journal; returns how many. A signed session keeps the bytes its signature covers, and
/// every reader resolves its links the same way.
pub fn repair_links(session: &mut ArchivedSession) -> usize {
    if session.signature.is_some() {
        return 0;
    }
    let repaired = crate::domain::repaired_links(
        session
            .events
            .iter()
            .map(|event| (Seq(event.seq), &event.entry)),
    );
    let count = repaired.len();
    for (seq, kind) in repaired {
        // Checked before: entry n is numbered n.
        if let Some(event) = session.events.get_mut(seq.0 as usize - 1) {
            event.entry = kind;
        }
    }
    count
}
