//! The tests of `search`.

use super::*;

#[test]
fn typed_text_becomes_a_query_that_cannot_be_a_syntax_error() {
    assert_eq!(
        fts_query("grief fath").as_deref(),
        Some(r#"text:"grief" AND text:"fath"*"#)
    );
    assert_eq!(fts_query("grief ").as_deref(), Some(r#"text:"grief""#));
    assert_eq!(
        fts_query(r#"say "hi NEAR( -x *"#).as_deref(),
        Some(r#"text:"say" AND text:"hi" AND text:"NEAR" AND text:"x""#)
    );
    assert_eq!(fts_query("  ( - * \" "), None);
    assert_eq!(
        rowid(TreatmentModel::Medical, SessionId(3), Seq(7)).unwrap(),
        (3 << 24) | 7
    );
    assert_eq!(
        rowid(TreatmentModel::Kap, SessionId(3), Seq(7)).unwrap(),
        (1 << 62) | (3 << 24) | 7
    );
    assert_eq!(client_token("D-0042"), "c442d30303432");
}

/// Migration 2 fills the index of an older journal from its entries: the words set aside for each
/// go into the index with one statement, and are found.
#[test]
#[allow(clippy::unwrap_used)]
fn the_index_is_filled_again_from_every_stored_entry() {
    use crate::domain::{Dose, NewClient, NewSession, Route};
    use crate::store::{NewEvent, Passphrase, Store};

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(
        dir.path(),
        &Passphrase::new("synthetic unit passphrase".into()),
    )
    .unwrap();
    let now = chrono::Utc::now();
    let client = store
        .record_mut()
        .create_client(
            &NewClient {
                code: "U-1".into(),
                display_name: None,
                weight_kg: Some(70.0),
            },
            now,
        )
        .unwrap();
    let new = NewSession {
        client_id: client.id,
        model: TreatmentModel::Kap,
        route: Route::IvInfusion,
        planned_dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
        intention: String::new(),
        comfort_plan: String::new(),
    };
    let (session, _) = store
        .record_mut()
        .start_session_with(&new, now, &[])
        .unwrap();
    let note = |text: &str| NewEvent {
        wall_time: now,
        elapsed_ms: 1000,
        kind: EventKind::Note { text: text.into() },
    };
    store
        .record_mut()
        .append_events(
            session.id,
            Seq(1),
            &[note("The lighthouse at dusk."), note("Quiet breathing.")],
        )
        .unwrap();
    let query = SearchQuery {
        text: "lighthouse".into(),
        model: None,
        client_code: None,
        limit: 10,
    };
    let tx = store.conn.transaction().unwrap();
    tx.execute("DELETE FROM event_search", []).unwrap();
    tx.commit().unwrap();
    assert!(
        store.search(&query).unwrap().is_empty(),
        "the index was emptied"
    );
    let tx = store.conn.transaction().unwrap();
    rebuild_index(&tx).unwrap();
    tx.commit().unwrap();
    let hits = store.search(&query).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].seq, Seq(1));
}
