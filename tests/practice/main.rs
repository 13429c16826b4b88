//! Practice sync against a real PostgreSQL (a server of the test's own, on the loopback address):
//! clinicians of three roles sharing records, the server refusing every change to what was synced,
//! the private note never leaving the laptop, a sync killed at random points, the server down and
//! back, and a row changed on the server found on pull.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod killed;
mod reading;
mod tampering;
mod transport;

use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use common::pg_server::{OWNER, OWNER_PASSWORD, SUPERUSER, SUPERUSER_PASSWORD, TestServer};
use kap_journal::domain::{Addendum, SessionId, SessionStatus};
use kap_journal::store::{SessionFilter, Store, StoreError};
use tempfile::TempDir;

use common::pg_server::CLINICIAN_PASSWORD as PASSWORD;
use common::practice_cli::*;

/// Every ended session of `author_dir` is in `reader_dir` as its author has it: timeline,
/// progress note (once signed), signature and addenda.
fn assert_copies_are_faithful(author_dir: &Path, reader_dir: &Path) {
    let t1_store = open(author_dir);
    let p1_store = open(reader_dir);
    let t1_own = SessionFilter {
        own_only: true,
        ..SessionFilter::default()
    };
    for original in t1_store.record().session_summaries(&t1_own).unwrap() {
        let uuid = t1_store.record().session(original.id).unwrap().uuid;
        let Some(copy) = p1_store
            .record()
            .session_summaries(&SessionFilter::default())
            .unwrap()
            .into_iter()
            .find(|row| p1_store.record().session(row.id).unwrap().uuid == uuid)
        else {
            assert_eq!(
                original.status,
                SessionStatus::Live,
                "{uuid} was not copied"
            );
            continue;
        };
        let events = |store: &Store, id| {
            store
                .record()
                .events(id)
                .unwrap()
                .into_iter()
                .map(|event| (event.seq, event.wall_time, event.elapsed_ms, event.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(events(&t1_store, original.id), events(&p1_store, copy.id));
        // The clinic's zone travels with it, so the copy prints the times the author's journal does.
        let zone = t1_store.record().session(original.id).unwrap().zone;
        assert!(zone.is_some(), "{uuid} kept its zone");
        assert_eq!(
            zone,
            p1_store.record().session(copy.id).unwrap().zone,
            "{uuid}"
        );
        // A progress note travels with its signature: until then it may still change.
        let note = t1_store.record().progress_note(original.id).unwrap();
        let signed = original.status == SessionStatus::Signed;
        assert_eq!(
            p1_store.record().progress_note(copy.id).unwrap(),
            note.filter(|_| signed)
        );
        assert_eq!(
            t1_store.record().signature(original.id).unwrap(),
            p1_store.record().signature(copy.id).unwrap()
        );
        assert_eq!(
            t1_store.record().addenda(original.id).unwrap(),
            p1_store.record().addenda(copy.id).unwrap()
        );
        assert_eq!(copy.clinician.as_deref(), Some("Dr. t_one (synthetic)"));
    }
}
