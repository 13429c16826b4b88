//! Realistic synthetic clients and sessions for demos, benchmarks and tests. No real person is in here:
//! codes are generated and every sentence comes from the phrase lists in [`phrases`].

mod phrases;
mod timeline;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::{Client, NewClient, NewSession, Route, SessionStatus, TreatmentModel};
use crate::store::{CompleteSession, Store, StoreError};

/// How many sessions go into one transaction: large enough to amortise the fsync, small enough to
/// report progress often.
const BATCH: usize = 500;

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
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let clients = ensure_clients(store, plan.clients.max(1), &mut rng)?;
    // Sessions are spread over the two years before a fixed day, so a seed always gives the same journal.
    let end_of_range = Utc
        .with_ymd_and_hms(2026, 11, 1, 9, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let span_minutes = 2 * 365 * 24 * 60;
    let mut report = DemoReport {
        clients: clients.len(),
        sessions: 0,
        events: 0,
    };
    while report.sessions < plan.sessions {
        let batch_len = BATCH.min(plan.sessions - report.sessions);
        let batch: Vec<CompleteSession> = (0..batch_len)
            .map(|offset| {
                let index = report.sessions + offset;
                let client = &clients[index % clients.len()];
                // Sessions are generated oldest first per client, so model switches read forward in time.
                let position = (index as f64 + rng.random::<f64>()) / plan.sessions.max(1) as f64;
                let minutes_before_end = ((1.0 - position) * f64::from(span_minutes)) as i64;
                let started_at = end_of_range - Duration::minutes(minutes_before_end);
                synthetic_session(&mut rng, client, position, started_at)
            })
            .collect();
        report.events += batch
            .iter()
            .map(|session| session.events.len())
            .sum::<usize>();
        store.insert_complete_sessions(&batch)?;
        report.sessions += batch_len;
        progress(report.sessions, plan.sessions);
    }
    store.optimize_search_index()?;
    Ok(report)
}

fn ensure_clients(
    store: &mut Store,
    count: usize,
    rng: &mut StdRng,
) -> Result<Vec<Client>, StoreError> {
    let now = Utc::now();
    (1..=count)
        .map(|number| {
            let code = format!("D-{number:04}");
            if let Some(client) = store.client_by_code(&code)? {
                return Ok(client);
            }
            let display_name = rng
                .random_bool(0.5)
                .then(|| (*phrases::pick(rng, phrases::DISPLAY_NAMES)).to_owned());
            let weight_kg = Some(f64::from(rng.random_range(48..=118_u32)));
            store.create_client(
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

/// One client's model follows a story: most stay with one model; about a third move from Medical to KAP.
fn model_for(client: &Client, position: f64) -> TreatmentModel {
    match (client.id.0 % 3, position < 0.5) {
        (0, _) | (1, false) => TreatmentModel::Kap,
        _ => TreatmentModel::Medical,
    }
}

fn synthetic_session(
    rng: &mut StdRng,
    client: &Client,
    position: f64,
    started_at: DateTime<Utc>,
) -> CompleteSession {
    let model = model_for(client, position);
    let route = *phrases::pick(rng, &Route::ALL);
    let planned_dose = timeline::planned_dose(rng, route);
    let new = NewSession {
        client_id: client.id,
        model,
        route,
        planned_dose,
        intention: (*phrases::pick(rng, phrases::INTENTIONS)).to_owned(),
        comfort_plan: (*phrases::pick(rng, phrases::COMFORT_PLANS)).to_owned(),
    };
    let (events, ended_at) = timeline::generate(rng, &new, started_at);
    CompleteSession {
        uuid: uuid::Builder::from_random_bytes(rng.random()).into_uuid(),
        new,
        status: SessionStatus::Ended,
        started_at,
        ended_at: Some(ended_at),
        weight_kg: client.weight_kg,
        events,
    }
}
