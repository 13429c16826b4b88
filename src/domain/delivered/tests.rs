//! The tests of `delivered`.

use chrono::Utc;

use super::*;
use crate::domain::{Dose, DoseUnit, EventKind, Infusion, Route, Seq, SessionId};

fn at(minute: i64, kind: EventKind) -> Event {
    Event {
        session_id: SessionId(1),
        seq: Seq(1),
        wall_time: Utc::now(),
        elapsed_ms: minute * 60_000,
        kind,
    }
}

/// Equal to within rounding of the last bits.
fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|value| (value - expected).abs() < 1e-9)
}

fn dose(text: &str) -> Dose {
    Dose::parse(text).unwrap()
}

fn change(minute: i64, text: Option<&str>) -> Event {
    at(
        minute,
        EventKind::DoseChange {
            dose: text.map(dose),
            reason: String::new(),
        },
    )
}

#[test]
fn a_stepped_iv_infusion_adds_up_rate_by_rate() {
    // 0.5 mg/kg over 40 min = 0.0125 mg/kg/min for 16 min (0.2), then 0.25 mg/kg over 40 min
    // = 0.00625 mg/kg/min for 16 min (0.1), then stopped: 0.3 mg/kg, 24 mg at 80 kg.
    let events = [
        at(
            4,
            EventKind::DosingBegan {
                dose: dose("0.5 mg/kg over 40 min"),
            },
        ),
        change(20, Some("0.25 mg/kg over 40 min")),
        change(36, None),
    ];
    let total = delivered(&events, Route::IvInfusion, Some(80.0), 90 * 60_000);
    assert!(close(total.mg_per_kg, 0.3), "{total:?}");
    assert!(close(total.mg, 24.0), "{total:?}");
    assert_eq!(total.describe(), "24 mg (0.3 mg/kg)");
}

#[test]
fn an_infusion_stops_at_its_own_length_and_a_live_one_counts_to_now() {
    let events = [at(
        0,
        EventKind::DosingBegan {
            dose: dose("40 mg over 40 min"),
        },
    )];
    assert_eq!(
        delivered(&events, Route::IvInfusion, None, 100 * 60_000).mg,
        Some(40.0),
        "all of it, once"
    );
    assert_eq!(
        delivered(&events, Route::IvInfusion, None, 10 * 60_000).mg,
        Some(10.0),
        "a quarter so far"
    );
    assert_eq!(
        delivered(&events, Route::IvInfusion, None, 10 * 60_000).mg_per_kg,
        None,
        "no weight"
    );
}

#[test]
fn a_lozenge_counts_the_last_amount_set_and_esketamine_devices_add_up() {
    let smaller_lozenge = [
        at(
            2,
            EventKind::DosingBegan {
                dose: dose("200 mg"),
            },
        ),
        change(10, Some("150 mg")),
        change(12, None),
    ];
    let lozenge = delivered(
        &smaller_lozenge,
        Route::SublingualLozenge,
        Some(70.0),
        3_600_000,
    );
    assert!(close(lozenge.mg, 150.0), "{lozenge:?}");

    let one_more_device = [
        at(
            2,
            EventKind::DosingBegan {
                dose: dose("56 mg"),
            },
        ),
        change(10, Some("28 mg")),
        change(12, None),
        change(20, Some("28 mg")),
    ];
    let devices = |until_minute: i64| {
        delivered(
            &one_more_device,
            Route::IntranasalEsketamine,
            None,
            until_minute * 60_000,
        )
        .mg
    };
    assert!(close(devices(5), 56.0));
    assert!(close(devices(15), 84.0), "56 mg, then one more device");
    assert!(
        close(devices(30), 112.0),
        "a device after the stop is one more"
    );
    let administration = Administration::of(&one_more_device[..2], Route::IntranasalEsketamine);
    assert_eq!(administration.bolus_by(60 * 60_000), Some(dose("84 mg")));
}

fn extended(minute: i64, minutes: u32) -> Event {
    at(
        minute,
        EventKind::InfusionExtended {
            minutes,
            reason: String::new(),
        },
    )
}

fn began(minute: i64, text: &str) -> Event {
    at(minute, EventKind::DosingBegan { dose: dose(text) })
}

/// The user guide's worked example (docs/guide.md).
#[test]
fn lowering_an_infusion_changes_its_rate_and_never_its_planned_end() {
    let events = [
        began(0, "0.5 mg/kg over 40 min"),
        change(20, Some("0.35 mg/kg over 40 min")),
    ];
    let total = delivered(&events, Route::IvInfusion, Some(70.0), 90 * 60_000);
    assert!(close(total.mg_per_kg, 0.425), "{total:?}");
    assert!(close(total.mg, 29.75), "{total:?}");
    assert_eq!(total.describe(), "29.75 mg (0.425 mg/kg)");
    // The same lowering typed as a rate or as a plain amount means the same.
    for typed in ["0.525 mg/kg/h", "0.35 mg/kg"] {
        let events = [began(0, "0.5 mg/kg over 40 min"), change(20, Some(typed))];
        let total = delivered(&events, Route::IvInfusion, Some(70.0), 90 * 60_000);
        assert!(close(total.mg_per_kg, 0.425), "{typed}: {total:?}");
    }
}

#[test]
fn only_an_extension_moves_the_planned_end() {
    // 0.75 mg/kg/h for 40 min, extended by 10 at minute 30: 50 min in all = 0.625 mg/kg.
    let events = [began(0, "0.5 mg/kg over 40 min"), extended(30, 10)];
    assert!(close(
        delivered(&events, Route::IvInfusion, None, 90 * 60_000).mg_per_kg,
        0.625
    ));
    // Extended after it ran its length: it restarts at minute 45 for 10 minutes.
    let events = [began(0, "0.5 mg/kg over 40 min"), extended(45, 10)];
    assert!(close(
        delivered(&events, Route::IvInfusion, None, 50 * 60_000).mg_per_kg,
        0.5 + 0.0625
    ));
    assert!(close(
        delivered(&events, Route::IvInfusion, None, 90 * 60_000).mg_per_kg,
        0.625
    ));
    // A stopped infusion has nothing to extend.
    let events = [
        began(0, "0.5 mg/kg over 40 min"),
        change(20, None),
        extended(25, 10),
    ];
    assert!(close(
        delivered(&events, Route::IvInfusion, None, 90 * 60_000).mg_per_kg,
        0.25
    ));
}

#[test]
fn a_dose_entered_after_the_planned_end_gives_nothing_until_an_extension() {
    // As journals from before could hold: "lowered" at minute 45 of a 40-minute infusion.
    let events = [
        began(0, "0.5 mg/kg over 40 min"),
        change(45, Some("0.35 mg/kg over 40 min")),
    ];
    let administration = Administration::of(&events, Route::IvInfusion);
    assert!(close(
        administration.delivered(None, 120 * 60_000).mg_per_kg,
        0.5
    ));
    assert_eq!(
        administration.current(50 * 60_000),
        crate::domain::CurrentDose::InfusionComplete {
            ended_ms: 40 * 60_000
        }
    );
    let before = Administration::of(&events[..1], Route::IvInfusion);
    assert_eq!(
        before.describe_change(&dose("0.35 mg/kg over 40 min"), 45 * 60_000, Some(70.0)),
        "Dose changed to 0.35 mg/kg over 40 min (24.5 mg at 70 kg) after the infusion had run its planned length (not counted as given)"
    );
    // After a stop, a new infusion is a restart of its own length.
    let events = [
        began(0, "0.5 mg/kg over 40 min"),
        change(10, None),
        change(20, Some("0.4 mg/kg over 40 min")),
    ];
    assert!(close(
        delivered(&events, Route::IvInfusion, None, 120 * 60_000).mg_per_kg,
        0.125 + 0.4
    ));
}

#[test]
fn a_rate_given_at_dosing_runs_until_it_is_stopped() {
    let events = [began(0, "52.5 mg/h"), change(60, None)];
    assert!(close(
        delivered(&events, Route::IvInfusion, Some(70.0), 120 * 60_000).mg,
        52.5
    ));
    assert!(close(
        delivered(&events, Route::IvInfusion, Some(70.0), 30 * 60_000).mg,
        26.25
    ));
}

#[test]
fn nothing_is_delivered_before_dosing_begins() {
    let total = delivered(&[], Route::IvInfusion, Some(70.0), 60_000);
    assert_eq!(total, Delivered::default());
    assert_eq!(total.describe(), "–");
}

use proptest::prelude::*;

/// One entry of a generated infusion: a lowering to a share of the rate then running, or a stop.
#[derive(Debug, Clone, Copy)]
enum Step {
    Lower { minute: i64, share: f64 },
    Stop { minute: i64 },
    Hold { minute: i64 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..120_i64, 0.05..0.99_f64).prop_map(|(minute, share)| Step::Lower { minute, share }),
        (0..120_i64).prop_map(|minute| Step::Stop { minute }),
        (0..120_i64).prop_map(|minute| Step::Hold { minute }),
    ]
}

/// The timeline of `plan` (over `minutes`) begun at minute 0 with `steps` in time order; a
/// lowering is typed as an amount over minutes, as a rate, or as a plain amount, all meaning a
/// share of the rate then running. Nothing is lowered after a stop: a new dose then is a
/// restart, a raise. A lowering after the planned end is kept: it gives nothing.
///
/// `inserted` is one more lowering (minute, share), placed after the steps of its minute; the
/// steps after it keep the rates they had without it, so the two timelines differ in it alone.
fn timeline(
    plan: Dose,
    minutes: u32,
    steps: &[Step],
    typed_as: u8,
    inserted: Option<(i64, f64)>,
) -> Vec<Event> {
    let rate_of = |dose: &Dose| {
        dose.per_hour_amount()
            .unwrap_or(dose.amount() * 60.0 / f64::from(minutes))
    };
    let mut steps = steps.to_vec();
    steps.sort_by_key(|step| match step {
        Step::Lower { minute, .. } | Step::Stop { minute } | Step::Hold { minute } => *minute,
    });
    let mut current = plan;
    let mut stopped = false;
    let mut events = vec![at(0, EventKind::DosingBegan { dose: plan })];
    let mut inserted = inserted;
    let insert = |events: &mut Vec<Event>, current: &Dose, stopped: bool, (minute, share)| {
        if let Ok(lower) = current.scaled(share)
            && !stopped
            && rate_of(&lower) <= rate_of(current)
        {
            events.push(change(minute, None).with_dose(Some(lower)));
        }
    };
    for step in steps {
        let minute = match step {
            Step::Lower { minute, .. } | Step::Stop { minute } | Step::Hold { minute } => minute,
        };
        if let Some(extra) = inserted.filter(|(at_minute, _)| *at_minute < minute) {
            insert(&mut events, &current, stopped, extra);
            inserted = None;
        }
        match step {
            Step::Lower { minute, share } => {
                let Ok(lower) = current.scaled(share) else {
                    continue;
                };
                let lower = match typed_as % 3 {
                    0 => lower,
                    1 => Dose::per_hour(rate_of(&lower), lower.unit()).unwrap(),
                    _ => Dose::new(lower.amount(), lower.unit(), None).unwrap(),
                };
                // Rounded as a pump is set, a tiny lowering can round up: that is not a lowering.
                if stopped || rate_of(&lower) > rate_of(&current) {
                    continue;
                }
                current = lower;
                events.push(change(minute, None).with_dose(Some(lower)));
            }
            Step::Stop { minute } => {
                stopped = true;
                events.push(change(minute, None));
            }
            Step::Hold { minute } => events.push(at(
                minute,
                EventKind::Note {
                    text: "held".into(),
                },
            )),
        }
    }
    if let Some(extra) = inserted {
        insert(&mut events, &current, stopped, extra);
    }
    events
}

trait WithDose {
    fn with_dose(self, dose: Option<Dose>) -> Self;
}

impl WithDose for Event {
    fn with_dose(mut self, dose: Option<Dose>) -> Self {
        self.kind = EventKind::DoseChange {
            dose,
            reason: String::new(),
        };
        self
    }
}

proptest! {
    /// Without a raise or an extension, nothing delivers more than the plan.
    #[test]
    fn lowering_and_stopping_never_exceed_the_plan(
        amount in 0.1..1.5_f64,
        minutes in 20..90_u32,
        weight in 40.0..140.0_f64,
        steps in proptest::collection::vec(step(), 0..6),
        typed_as in 0..3_u8,
        until in 0..200_i64,
    ) {
        let plan = Dose::new(amount, DoseUnit::MgPerKg, Some(Infusion { over_minutes: minutes })).unwrap();
        let events = timeline(plan, minutes, &steps, typed_as, None);
        let total = delivered(&events, Route::IvInfusion, Some(weight), until * 60_000);
        prop_assert!(total.mg_per_kg.unwrap() <= amount + 1e-9, "{total:?} over plan {amount}");
        prop_assert!(total.mg.unwrap() <= amount * weight + 1e-9);
    }

    /// Lowering at any moment never delivers more than holding the rate would have.
    #[test]
    fn lowering_never_delivers_more_than_not_lowering(
        amount in 0.1..1.5_f64,
        minutes in 20..90_u32,
        steps in proptest::collection::vec(step(), 0..6),
        lower_at in 0..120_i64,
        share in 0.05..0.99_f64,
        until in 0..200_i64,
    ) {
        let plan = Dose::new(amount, DoseUnit::MgPerKg, Some(Infusion { over_minutes: minutes })).unwrap();
        let without = timeline(plan, minutes, &steps, 0, None);
        let with = timeline(plan, minutes, &steps, 0, Some((lower_at, share)));
        let until = until * 60_000;
        let (lowered, held) = (delivered(&with, Route::IvInfusion, None, until), delivered(&without, Route::IvInfusion, None, until));
        prop_assert!(lowered.mg_per_kg.unwrap() <= held.mg_per_kg.unwrap() + 1e-9, "{lowered:?} > {held:?}");
    }
}
