//! The demo practice's controlled-substance stock and REMS paperwork: one lot of ketamine and one of
//! esketamine a month, received on the month's first morning in packs that cover what its sessions
//! gave, a little ketamine wasted before a witness mid-month, and the esketamine forms submitted but
//! for the last week's. Drawn from no randomness, so every seed's sessions stay the ones they were.

use chrono::{Datelike, NaiveDate, TimeZone, Utc};

use crate::domain::{LotCode, Micrograms, Movement, NewSubstanceEntry, Route, Substance};
use crate::store::{Store, StoreError};

/// The lot a session on `day` gives from: `KET-2611` is November 2026's ketamine.
pub fn lot_of(route: Route, day: NaiveDate) -> Option<LotCode> {
    let prefix = match Substance::of_route(route) {
        Substance::Ketamine => "KET",
        Substance::Esketamine => "ESK",
    };
    LotCode::parse(&format!(
        "{prefix}-{:02}{:02}",
        day.year() % 100,
        day.month()
    ))
    .ok()
}

/// Stock arrives in these packs: ten 100 mg vials of ketamine, ten 28 mg esketamine devices.
fn pack_mg(substance: Substance) -> f64 {
    match substance {
        Substance::Ketamine => 1000.0,
        Substance::Esketamine => 280.0,
    }
}

/// After the sessions are written (each gave from its lot), receives every lot that gave more than
/// it holds in packs, with one pack to spare, and wastes 5 mg of each new month's ketamine before a
/// witness on the 15th. A demo run again on the same journal tops up only what its new sessions
/// took.
pub fn receive_and_waste(store: &mut Store) -> Result<(), StoreError> {
    for lot in store.registers().lot_balances()? {
        let Some(month) = month_of(&lot.lot) else {
            continue;
        };
        if lot.balance_mg >= 0.0 {
            continue;
        }
        let new_lot = lot.received_mg == 0.0;
        for delivery_mg in deliveries(-lot.balance_mg, pack_mg(lot.substance)) {
            let received = NewSubstanceEntry {
                lot: lot.lot.clone(),
                substance: lot.substance,
                movement: Movement::Received,
                amount: Micrograms::from_mg(delivery_mg)?,
                note: "Delivery from the pharmacy; invoice filed.".to_owned(),
            };
            store
                .registers_mut()
                .record_substance(&received, at(month, 1, 8))?;
        }
        if new_lot && lot.substance == Substance::Ketamine {
            let wasted = NewSubstanceEntry {
                lot: lot.lot,
                substance: lot.substance,
                movement: Movement::Wasted {
                    witness: "R. Okafor, RN".to_owned(),
                },
                amount: Micrograms::from_mg(5.0)?,
                note: "Drawn up and not given; destroyed in the sink.".to_owned(),
            };
            store
                .registers_mut()
                .record_substance(&wasted, at(month, 15, 17))?;
        }
    }
    Ok(())
}

/// What a lot short of `short_mg` receives, in whole packs with one to spare: as one delivery, or
/// as several when a large practice's month needs more than one entry of the log may move.
fn deliveries(short_mg: f64, pack_mg: f64) -> Vec<f64> {
    let mut packs = (short_mg / pack_mg).ceil() + 1.0;
    let most = (Micrograms::MOST_MG / pack_mg).floor().max(1.0);
    let mut deliveries = Vec::new();
    while packs > 0.0 {
        let now = packs.min(most);
        deliveries.push(now * pack_mg);
        packs -= now;
    }
    deliveries
}

/// The first day of the month a demo lot is named after.
fn month_of(lot: &LotCode) -> Option<NaiveDate> {
    let digits = lot.as_str().split_once('-')?.1;
    let year = 2000 + digits.get(..2)?.parse::<i32>().ok()?;
    let month = digits.get(2..)?.parse::<u32>().ok()?;
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn at(month: NaiveDate, day: u32, hour: u32) -> chrono::DateTime<Utc> {
    let date = month.with_day(day).unwrap_or(month);
    Utc.from_utc_datetime(&date.and_hms_opt(hour, 0, 0).unwrap_or_default())
}

/// The practice's REMS paperwork: every esketamine form is submitted one to five days after its
/// treatment, except those of the last week before `last_day`, which are still to do.
pub fn submit_rems_forms(store: &mut Store, last_day: NaiveDate) -> Result<(), StoreError> {
    let evening = Utc.from_utc_datetime(&last_day.and_hms_opt(18, 0, 0).unwrap_or_default());
    let submitted: Vec<_> = store
        .registers()
        .rems_due(evening)?
        .into_iter()
        .filter(|due| (last_day - due.treated_at.date_naive()).num_days() >= 7)
        .map(|due| {
            let days = 1 + due.session_id.0.rem_euclid(5);
            (
                due.session_id,
                due.treated_at + chrono::TimeDelta::days(days),
            )
        })
        .collect();
    store.registers_mut().mark_rems_submitted_all(&submitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_beyond_one_entry_is_received_in_several_deliveries() {
        assert_eq!(
            deliveries(2_500.0, 1_000.0),
            [4_000.0],
            "three packs and one to spare"
        );
        // A practice of 1,200 clients gave 250 g of one month's ketamine: 251 packs of 1 g.
        let large = deliveries(250_000.0, 1_000.0);
        assert_eq!(large, [100_000.0, 100_000.0, 51_000.0]);
        assert!(large.iter().all(|mg| Micrograms::from_mg(*mg).is_ok()));
        let esketamine = deliveries(150_000.0, 280.0);
        assert!(esketamine.iter().all(|mg| *mg <= Micrograms::MOST_MG));
        let packs: f64 = esketamine.iter().sum::<f64>() / 280.0;
        assert!((packs - ((150_000.0_f64 / 280.0).ceil() + 1.0)).abs() < 1e-9);
    }
}
