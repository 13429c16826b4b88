//! Full-text search: what it finds, how it filters, and that no typed query can break it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kap_journal::domain::{Asked, CameUp, Decision, DeferralOutcome, TreatmentModel};
use kap_journal::live::{Clock, LiveCommand, LiveSession};
use kap_journal::store::{SearchQuery, Store};

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        limit: 50,
        ..SearchQuery::default()
    }
}

/// A KAP session with a note, a decision point and a deferral outcome, and a Medical Model session of
/// another client with a note sharing one word.
fn journal_with_sessions() -> common::Journal {
    let mut journal = common::journal();
    let mut kap = common::live_session(&mut journal, TreatmentModel::Kap);
    kap.log(
        &mut journal.store,
        LiveCommand::Note("Talks about the old kitchen, warm and safe.".into()),
    )
    .unwrap();
    let committed = kap
        .log(
            &mut journal.store,
            LiveCommand::DecisionPoint {
                came_up: CameUp::Memory,
                detail: "the accident on the bridge".into(),
                asked: Asked::ClientAsksToLower,
                decision: Decision::SitWithIt { minutes: 5 },
                new_dose: None,
                rationale: "Agreed in preparation to stay with hard material.".into(),
            },
        )
        .unwrap()
        .to_vec();
    kap.log(
        &mut journal.store,
        LiveCommand::DeferralOutcome {
            deferral: committed[1].seq,
            outcome: DeferralOutcome::WorkedThrough,
            new_dose: None,
            note: "Found words for the fear.".into(),
        },
    )
    .unwrap();
    let other = common::client(&mut journal.store, "C-0002");
    let clock: std::sync::Arc<dyn Clock> = journal.clock.clone();
    let mut medical = LiveSession::start(
        &mut journal.store,
        clock,
        &common::new_session(&other, TreatmentModel::Medical),
    )
    .unwrap();
    medical
        .log(
            &mut journal.store,
            LiveCommand::Note("Cold kitchen in the dream; dizzy.".into()),
        )
        .unwrap();
    journal
}

#[test]
fn search_finds_words_from_notes_decision_points_and_outcomes_as_soon_as_they_are_logged() {
    let journal = journal_with_sessions();
    let found = |text: &str| journal.store.search(&query(text)).unwrap();
    assert_eq!(found("bridge")[0].kind, "decision_point");
    assert_eq!(
        found("preparation")[0].kind,
        "decision_point",
        "the rationale is searchable"
    );
    assert_eq!(found("fear")[0].kind, "deferral_outcome");
    assert_eq!(
        found("worked through")[0].kind,
        "deferral_outcome",
        "the outcome's name is searchable"
    );
    assert_eq!(found("kitchen").len(), 2);
    assert_eq!(
        found("kitch").len(),
        2,
        "the last word matches as a prefix while typing"
    );
    assert!(
        found("kitch ").is_empty(),
        "a finished word matches whole words only"
    );
    assert_eq!(
        found("KITCHEN warm").len(),
        1,
        "all words must appear, in any case"
    );
    let hit = &found("bridge")[0];
    assert_eq!(
        (hit.client_code.as_str(), hit.model),
        ("C-0001", TreatmentModel::Kap)
    );
    let [start, end] = hit.snippet.highlights[0];
    assert_eq!(
        hit.snippet
            .snippet
            .chars()
            .skip(start)
            .take(end - start)
            .collect::<String>(),
        "bridge"
    );
}

#[test]
fn search_respects_the_model_and_client_filters() {
    let journal = journal_with_sessions();
    let kap_only = SearchQuery {
        model: Some(TreatmentModel::Kap),
        ..query("kitchen")
    };
    let hits = journal.store.search(&kap_only).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].model, TreatmentModel::Kap);
    let client_only = SearchQuery {
        client_code: Some("C-0002".into()),
        ..query("kitchen")
    };
    let hits = journal.store.search(&client_only).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].client_code, "C-0002");
    let nobody = SearchQuery {
        client_code: Some("C-0002".into()),
        model: Some(TreatmentModel::Kap),
        ..query("kitchen")
    };
    assert!(journal.store.search(&nobody).unwrap().is_empty());
}

#[test]
fn hits_are_ranked_by_how_much_of_the_entry_is_about_the_words_then_newest_first() {
    let mut journal = common::journal();
    let mut session = common::live_session(&mut journal, TreatmentModel::Kap);
    let notes = [
        "Grief, and then a long account of the week, the drive and the weather.",
        "Grief again. Grief about the father.",
        "Mentions grief in passing while talking about the weather and the drive.",
        "Grief.",
        "Grief.",
    ];
    let seqs: Vec<_> = notes
        .iter()
        .map(|note| {
            session
                .log(&mut journal.store, LiveCommand::Note((*note).into()))
                .unwrap()[0]
                .seq
        })
        .collect();
    let hits = journal.store.search(&query("grief")).unwrap();
    let order: Vec<_> = hits.iter().map(|hit| hit.seq).collect();
    // BM25 by hand (k1 1.2, b 0.75, mean length 6.8 words): 1.54 twice, 1.42, 0.76, 0.70; the
    // later of the two equal entries first.
    assert_eq!(order, [seqs[4], seqs[3], seqs[1], seqs[2], seqs[0]]);
    let limited = journal
        .store
        .search(&SearchQuery {
            limit: 2,
            ..query("grief")
        })
        .unwrap();
    assert_eq!(limited.len(), 2);
    assert_eq!(limited[0].seq, seqs[4]);
}

#[test]
fn fts_syntax_in_a_query_is_taken_literally_without_an_error() {
    let journal = journal_with_sessions();
    for typed in [
        "\"",
        "\"kitchen",
        "kitchen\"",
        "*",
        "kitch*",
        "-",
        "-kitchen",
        "NEAR",
        "NEAR(kitchen warm)",
        "kitchen AND",
        "OR",
        "NOT kitchen",
        "(",
        "kitchen)",
        "((kitchen",
        "text:kitchen",
        "model:kap",
        "{text}",
        "^kitchen",
        "kitchen +",
        "",
        "   ",
        "'",
        "\\",
        "%",
        "_",
        "kitchen;DROP TABLE events",
        "ключ",
        "😊",
    ] {
        let result = journal.store.search(&query(typed));
        assert!(result.is_ok(), "{typed:?}: {result:?}");
    }
    assert_eq!(
        journal.store.search(&query("\"kitchen\"")).unwrap().len(),
        2,
        "quotes are ignored, the word is found"
    );
    assert_eq!(
        journal.store.search(&query("-kitchen")).unwrap().len(),
        2,
        "a minus is not NOT"
    );
}

#[test]
fn a_journal_from_before_search_gets_its_index_built_by_the_migration() {
    let journal = journal_with_sessions();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    // Make the file look like schema 1: no search index (nor anything later) yet.
    common::rewind_schema(&dir, 1);
    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.search(&query("kitchen")).unwrap().len(), 2);
    assert_eq!(store.search(&query("bridge")).unwrap().len(), 1);
}

#[test]
fn adverse_events_and_vitals_remarks_are_found_by_search() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(
        &mut journal.store,
        LiveCommand::AdverseEvent(kap_journal::domain::AdverseEvent {
            category: kap_journal::domain::AdverseCategory::NauseaVomiting,
            severity: kap_journal::domain::AdverseSeverity::Moderate,
            detail: "retching twice".into(),
            action: "ondansetron given".into(),
        }),
    )
    .unwrap();
    live.log(
        &mut journal.store,
        LiveCommand::Reading {
            vitals: Some(kap_journal::domain::Vitals::parse("150/95", "", "").unwrap()),
            sedation: None,
            note: "after the walk to the bathroom".into(),
        },
    )
    .unwrap();
    for (words, kind) in [
        ("retching", "adverse_event"),
        ("ondansetron", "adverse_event"),
        ("nausea", "adverse_event"),
        ("bathroom", "vitals"),
    ] {
        let hits = journal.store.search(&query(words)).unwrap();
        assert_eq!(hits.len(), 1, "{words}");
        assert_eq!(hits[0].kind, kind, "{words}");
    }
}

/// Every match can be reached: the count says how many entries hold a word, as a brute-force
/// reading of every entry finds them, and asking for that many returns each of them once, far past
/// the newest that are ranked.
#[test]
fn every_match_is_counted_and_reachable_as_a_brute_force_count_finds_them() {
    use std::collections::{BTreeSet, HashMap};
    let mut journal = common::journal();
    kap_journal::demo::generate(
        &mut journal.store,
        kap_journal::demo::DemoPlan {
            clients: 4,
            sessions: 240,
            seed: 11,
        },
        |_, _| {},
    )
    .unwrap();
    let store = &journal.store;
    // Every entry's indexed words, read one by one.
    let mut holding: HashMap<String, BTreeSet<(i64, u32)>> = HashMap::new();
    let mut client_of = HashMap::new();
    for id in store.record().session_ids().unwrap() {
        let session = store.record().session(id).unwrap();
        client_of.insert(id.0, store.record().client(session.client_id).unwrap().code);
        for event in store.record().events(id).unwrap() {
            for word in event
                .kind
                .search_text()
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| word.len() >= 4 && word.chars().all(char::is_alphabetic))
            {
                holding
                    .entry(word.to_owned())
                    .or_default()
                    .insert((id.0, event.seq.0));
            }
        }
    }
    let (word, entries) = holding
        .iter()
        .max_by_key(|(word, entries)| (entries.len(), std::cmp::Reverse((*word).clone())))
        .unwrap();
    assert!(
        entries.len() > 2 * usize::try_from(kap_journal::store::RANK_WINDOW).unwrap(),
        "a word common enough to reach past the ranked window: {word} in {}",
        entries.len()
    );
    // A space after the word: the word itself, not words it begins.
    let mut all = query(&format!("{word} "));
    assert_eq!(store.search_count(&all).unwrap(), entries.len(), "{word}");
    // The window's count stops a little past what it shows, and says when there are more.
    let n = entries.len();
    for (cap, counted, more) in [
        (n - 1, n - 1, true),
        (7, 7, true),
        (n, n, false),
        (n + 5, n, false),
    ] {
        let count = store.search_count_up_to(&all, cap).unwrap();
        assert_eq!(
            (count.counted, count.more),
            (counted, more),
            "{word}, up to {cap}"
        );
    }
    all.limit = entries.len() + 10;
    let found: Vec<(i64, u32)> = store
        .search(&all)
        .unwrap()
        .iter()
        .map(|hit| (hit.session_id.0, hit.seq.0))
        .collect();
    assert_eq!(found.len(), entries.len(), "each once");
    assert_eq!(&found.iter().copied().collect::<BTreeSet<_>>(), entries);

    // The same with a client filter.
    let client = client_of.values().min().unwrap().clone();
    let of_client: BTreeSet<(i64, u32)> = entries
        .iter()
        .filter(|(session, _)| client_of[session] == client)
        .copied()
        .collect();
    let mut filtered = all.clone();
    filtered.client_code = Some(client);
    assert_eq!(store.search_count(&filtered).unwrap(), of_client.len());
    let found: BTreeSet<(i64, u32)> = store
        .search(&filtered)
        .unwrap()
        .iter()
        .map(|hit| (hit.session_id.0, hit.seq.0))
        .collect();
    assert_eq!(found, of_client);
}
