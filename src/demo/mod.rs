//! Synthetic clients and sessions that read like a small practice: clients with a story across their
//! course (see [`story`]), sessions at clinic hours on weekdays, every kind of entry the journal knows
//! at plausible rates, progress notes, private notes, signatures and addenda. For demos, benchmarks
//! and tests; deterministic per seed (in the computer's time zone). No real person is in here: codes
//! are generated and every sentence comes from the invented lists and grammar in this module.

mod builder;
mod clinic_hours;
mod consents;
mod decisions;
mod follow_ups;
mod grammar;
mod paperwork;
mod phrases;
mod readings;
mod stock;
mod story;
mod timeline;

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::{
    Client, ClinicZone, NewClient, NewSession, Route, SessionStatus, TreatmentModel,
};
use crate::store::{CompleteRecord, CompleteSession, Store, StoreError};
use story::Story;
use timeline::SessionShape;

/// How many sessions go into one transaction: large enough to amortise the fsync, small enough to
/// report progress often and keep memory bounded.
const BATCH: usize = 500;

/// The day the synthetic practice's records end (a Friday), so a seed always gives the same journal.
const LAST_DAY: (i32, u32, u32) = (2026, 11, 27);

/// Sessions signed by then are older than two weeks; newer ones may still be open for notes.
const SIGNED_AFTER_DAYS: i64 = 14;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoPlan {
    pub clients: usize,
    pub sessions: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoReport {
    pub clients: usize,
    pub sessions: usize,
    pub events: usize,
}

/// Fills the journal with synthetic data, calling `progress(done, total)` after each batch.
pub fn generate(
    store: &mut Store,
    plan: DemoPlan,
    mut progress: impl FnMut(usize, usize),
) -> Result<DemoReport, StoreError> {
    // Synthetic data never mixes with a clinic's records: a new journal is marked for it, for good.
    store
        .record_mut()
        .claim_for_synthetic_data(crate::domain::wall_now())?;
    // Sessions start at clinic hours on this computer's clock, and are kept in the clinic's zone.
    let zone = store.clinic_zone()?;
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let clients = ensure_clients(store, plan.clients.max(1), &mut rng)?;
    let last_day =
        NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2).unwrap_or(NaiveDate::MIN);
    // Sessions spread over the clients; each client's course is a story of its own.
    let per_client = |index: usize| {
        plan.sessions / clients.len() + usize::from(index < plan.sessions % clients.len())
    };
    let stories: Vec<Story> = (0..clients.len())
        .map(|index| Story::new(&mut rng, index, per_client(index), last_day))
        .collect();
    // Written in the order they happened, so the journal fills as a practice's would.
    let mut order: Vec<(NaiveDate, usize, usize)> = stories
        .iter()
        .enumerate()
        .flat_map(|(client, story)| {
            story
                .days
                .iter()
                .enumerate()
                .map(move |(session, day)| (*day, client, session))
        })
        .collect();
    order.sort_unstable();
    let mut consents =
        consents::ConsentBook::new(order.first().map_or(last_day, |(day, _, _)| *day), last_day);
    let mut report = DemoReport {
        clients: clients.len(),
        sessions: 0,
        events: 0,
    };
    for chunk in order.chunks(BATCH) {
        let batch: Vec<CompleteRecord> = chunk
            .iter()
            .map(|&(day, client, session)| {
                record(
                    &mut rng,
                    (&clients[client], client),
                    &stories[client],
                    (session, day, last_day),
                    &mut consents,
                    zone,
                )
            })
            .collect();
        report.events += batch
            .iter()
            .map(|record| record.session.events.len())
            .sum::<usize>();
        store.insert_complete_records(&batch)?;
        report.sessions += batch.len();
        progress(report.sessions, plan.sessions);
    }
    consents.write(store)?;
    follow_ups::record_check_ins(store, last_day)?;
    stock::receive_and_waste(store)?;
    stock::submit_rems_forms(store, last_day)?;
    store.optimize_search_index()?;
    Ok(report)
}

fn ensure_clients(
    store: &mut Store,
    count: usize,
    rng: &mut StdRng,
) -> Result<Vec<Client>, StoreError> {
    let now = crate::domain::wall_now();
    (1..=count)
        .map(|number| {
            let code = format!("D-{number:04}");
            if let Some(client) = store.record().client_by_code(&code)? {
                return Ok(client);
            }
            let display_name = rng
                .random_bool(0.5)
                .then(|| (*phrases::pick(rng, phrases::DISPLAY_NAMES)).to_owned());
            let weight_kg = Some(f64::from(rng.random_range(48..=118_u32)));
            store.record_mut().create_client(
                &NewClient {
                    code,
                    display_name,
                    weight_kg,
                },
                now,
            )
        })
        .collect()
}

/// One session of `client`'s course, with its notes and, when old enough, its signature.
fn record(
    rng: &mut StdRng,
    (client, client_index): (&Client, usize),
    story: &Story,
    (index, day, last_day): (usize, NaiveDate, NaiveDate),
    consents: &mut consents::ConsentBook,
    zone: ClinicZone,
) -> CompleteRecord {
    let model = story.model(index);
    // The Medical Model gives ketamine by infusion or esketamine; IM and lozenges are KAP's.
    let route = match (model, story.route) {
        (TreatmentModel::Medical, Route::Intramuscular | Route::SublingualLozenge) => {
            Route::IvInfusion
        }
        (_, route) => route,
    };
    // Weighed at the checklist: the client's weight give or take a kilogram and a half.
    let weight_kg =
        ((client.weight_kg.unwrap_or(70.0) + rng.random_range(-1.5..=1.5)) * 10.0).round() / 10.0;
    let planned_dose = timeline::planned_dose(rng, route, model);
    let intention = *phrases::pick(rng, phrases::INTENTIONS);
    let new = NewSession {
        client_id: client.id,
        model,
        route,
        planned_dose,
        intention: intention.to_owned(),
        comfort_plan: (*phrases::pick(rng, phrases::COMFORT_PLANS)).to_owned(),
    };
    let started_at = clinic_hours::session_start(rng, day);
    let shape = SessionShape {
        story,
        index,
        model,
        route,
        planned: planned_dose,
        weight_kg,
        intention,
        lot: stock::lot_of(route, day),
        consent: consents
            .for_session(client.id, client_index, started_at)
            .map(|record| crate::domain::ConsentGiven::of(&record)),
    };
    let (events, ended_at) = timeline::generate(rng, &shape, started_at);
    let phq9 = events
        .iter()
        .find_map(|event| match &event.kind {
            crate::domain::EventKind::Measure { measure, .. }
                if measure.instrument() == crate::domain::Instrument::Phq9 =>
            {
                Some(measure.total())
            }
            _ => None,
        })
        .unwrap_or_default();
    let progress_note = rng
        .random_bool(0.8)
        .then(|| paperwork::progress_note(rng, story.note_format, phq9, model))
        .flatten();
    let private_note = (model == TreatmentModel::Kap && rng.random_bool(0.15))
        .then(|| paperwork::private_note(rng));
    let old_enough = day + Duration::days(SIGNED_AFTER_DAYS) <= last_day;
    let signed = (old_enough && progress_note.is_some() && rng.random_bool(0.85)).then(|| {
        (
            paperwork::clinician(model),
            ended_at + Duration::hours(rng.random_range(2..=48)),
        )
    });
    let addenda = signed
        .as_ref()
        .filter(|_| rng.random_bool(0.1))
        .and_then(|(clinician, at)| paperwork::addendum(rng, clinician, *at))
        .into_iter()
        .collect();
    CompleteRecord {
        session: CompleteSession {
            uuid: uuid::Builder::from_random_bytes(rng.random()).into_uuid(),
            new,
            status: SessionStatus::Ended,
            started_at,
            ended_at: Some(ended_at),
            weight_kg: Some(weight_kg),
            zone: Some(zone),
            events,
        },
        progress_note,
        private_note,
        notes_saved_at: ended_at + Duration::minutes(rng.random_range(20..=120)),
        signed,
        addenda,
    }
}
