//! The home lists read in two steps: each model's newest sessions and the counts at once, then every
//! session beside the window. The first step must show exactly what the complete read shows first,
//! and the window must say it is showing only the newest until the rest has come.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use kap_journal::domain::{EventKind, Seq, SessionId, TreatmentModel};
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::{NewEvent, SessionFilter, Store};
use kap_journal::ui::{JobHold, KapJournalApp, hold_jobs};

/// An ended session of `client` started at `at`.
fn ended(
    store: &mut Store,
    client: &kap_journal::domain::Client,
    model: TreatmentModel,
    at: DateTime<Utc>,
) -> SessionId {
    let session = store
        .record_mut()
        .start_session(&common::new_session(client, model), at)
        .unwrap();
    store
        .end_session(
            session.id,
            Seq(1),
            &[NewEvent {
                wall_time: at + Duration::minutes(90),
                elapsed_ms: 90 * 60_000,
                kind: EventKind::SessionEnded {
                    note: String::new(),
                    discharge: None,
                },
            }],
        )
        .unwrap();
    session.id
}

/// 130 KAP and 20 Medical Model sessions, written out of order (two share a start), and one KAP
/// session still live.
fn journal_of_151_sessions() -> common::Journal {
    let mut journal = common::journal();
    let a = common::client(&mut journal.store, "H-0001");
    let b = common::client(&mut journal.store, "H-0002");
    let start = Utc::now() - Duration::days(400);
    for n in 0..150_i64 {
        // Days out of order: 0, 7, 14, ... modulo 150 visits each day once.
        let day = (n * 7) % 150;
        let (client, model) = if n % 15 == 3 || n % 15 == 8 {
            (&b, TreatmentModel::Medical)
        } else {
            (&a, TreatmentModel::Kap)
        };
        let at = if n == 10 {
            // The same start as the session of day 0 (n = 0): the id decides.
            start
        } else {
            start + Duration::days(day)
        };
        ended(&mut journal.store, client, model, at);
    }
    journal
        .store
        .record_mut()
        .start_session(
            &common::new_session(&a, TreatmentModel::Kap),
            Utc::now() - Duration::hours(1),
        )
        .unwrap();
    journal
}

#[test]
fn the_first_page_is_exactly_the_newest_of_the_complete_list_with_the_counts_and_live_sessions() {
    let journal = journal_of_151_sessions();
    let record = journal.store.record();
    let all = record.session_summaries(&SessionFilter::default()).unwrap();
    assert_eq!(all.len(), 151);
    for model in [TreatmentModel::Kap, TreatmentModel::Medical] {
        let of_model: Vec<_> = all.iter().filter(|s| s.model == model).cloned().collect();
        for limit in [1, 5, 20, 100, 500] {
            let newest = record.newest_sessions(model, limit).unwrap();
            assert_eq!(
                newest,
                of_model[..limit.min(of_model.len())],
                "{model:?}, {limit}"
            );
        }
    }
    let counts = record.session_counts().unwrap();
    assert_eq!((counts.kap, counts.medical, counts.total()), (131, 20, 151));
    let live: Vec<_> = all
        .iter()
        .filter(|s| s.status == kap_journal::domain::SessionStatus::Live)
        .cloned()
        .collect();
    assert_eq!(live.len(), 1);
    assert_eq!(record.live_summaries().unwrap(), live);
}

/// The window on `dir`'s journal, its writes and reads on threads of their own, as in the app; the
/// reading of every session is held at its start until the gate is released.
fn threaded_app(dir: &std::path::Path) -> (Harness<'static, KapJournalApp>, JobHold) {
    let store = Store::open(dir, &common::passphrase());
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(Utc::now()));
    let (send, gate) = std::sync::mpsc::channel();
    let harness = common::ui::harness().build_eframe(move |cc| {
        send.send(hold_jobs(&cc.egui_ctx, "home lists")).unwrap();
        KapJournalApp::new(cc, store, clock)
            .automatic_backups(false)
            .alert_sound(false)
    });
    (harness, gate.recv().unwrap())
}

fn shown(harness: &Harness<'_, KapJournalApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn the_window_shows_the_newest_at_once_and_every_session_when_read_without_export_meanwhile() {
    let journal = journal_of_151_sessions();
    let dir = journal.dir.path().to_owned();
    // The live session would open the live view; end it, so the window opens on the lists.
    drop(journal.store);
    {
        let mut store = Store::open(&dir, &common::passphrase()).unwrap();
        let live = store.record().live_summaries().unwrap();
        store
            .end_session(
                live[0].id,
                Seq(1),
                &[NewEvent {
                    wall_time: Utc::now(),
                    elapsed_ms: 3_600_000,
                    kind: EventKind::SessionEnded {
                        note: String::new(),
                        discharge: None,
                    },
                }],
            )
            .unwrap();
    }
    let (mut harness, gate) = threaded_app(&dir);
    harness.step();
    assert!(
        shown(
            &harness,
            "KAP sessions (100 newest of 131; reading the rest)"
        ),
        "the first frame shows the newest page"
    );
    assert!(shown(
        &harness,
        "Medical Model sessions (20 newest of 20; reading the rest)"
    ));
    assert!(shown(&harness, "reading the rest"));
    let export = harness.get_by_label("Export shown sessions (JSON)...");
    assert!(
        export.accesskit_node().is_disabled(),
        "the sessions shown are not all there are: no export yet"
    );

    gate.release();
    let started = std::time::Instant::now();
    while !shown(&harness, "KAP sessions (131)") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "every session is read beside the window"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    assert!(shown(&harness, "Medical Model sessions (20)"));
    assert!(!shown(&harness, "reading the rest"));
    assert!(
        !harness
            .get_by_label("Export shown sessions (JSON)...")
            .accesskit_node()
            .is_disabled()
    );
}
