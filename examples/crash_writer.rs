//! The child process of the crash-safety test: logs notes into the live session of a journal as fast
//! as it can and reports each one on stdout only after its commit returned, until it is killed.
//!
//! Usage: `KAP_JOURNAL_PASSPHRASE=… crash_writer DIR ROUND`. It prints `ready` once the journal is
//! open; each report line after it is `SEQ LEN HEX`, the note's bytes in hex.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

use anyhow::Context as _;
use kap_journal::domain::{Dose, NewClient, NewSession, Route, TreatmentModel};
use kap_journal::live::{LiveCommand, LiveSession, SystemClock};
use kap_journal::store::{Passphrase, Store};
use rand::{Rng, SeedableRng};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().context("usage: crash_writer DIR ROUND")?;
    let round: u64 = args
        .next()
        .context("usage: crash_writer DIR ROUND")?
        .parse()?;
    let passphrase = Passphrase::new(
        std::env::var("KAP_JOURNAL_PASSPHRASE").context("set KAP_JOURNAL_PASSPHRASE")?,
    );
    let mut store = Store::open(dir.as_ref(), &passphrase)?;
    let clock = Arc::new(SystemClock::new());
    let live_now = store
        .record()
        .live_sessions()?
        .first()
        .map(|session| session.id);
    let mut live = if let Some(id) = live_now {
        LiveSession::resume(&store, clock, id)?
    } else {
        let client = store.record_mut().create_client(
            &NewClient {
                code: "CRASH-1".into(),
                display_name: None,
                weight_kg: Some(70.0),
            },
            chrono::Utc::now(),
        )?;
        let new = NewSession {
            client_id: client.id,
            model: TreatmentModel::Kap,
            route: Route::IvInfusion,
            planned_dose: Dose::parse("0.5 mg/kg over 40 min")?,
            intention: String::new(),
            comfort_plan: String::new(),
        };
        LiveSession::start(&mut store, clock, &new)?
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(round);
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready")?;
    out.flush()?;
    for n in 0.. {
        // Varied lengths and scripts, so a torn write would show as a changed byte.
        let words = [
            "calm",
            "Trauer",
            "тревога",
            "ηρεμία",
            "שקט",
            "🌊",
            "kitchen",
        ];
        let text: String = (0..rng.random_range(1..200))
            .map(|_| words[rng.random_range(0..words.len())])
            .collect::<Vec<_>>()
            .join(" ");
        let note = format!("round {round} note {n}: {text}");
        let seq = live.log(&mut store, LiveCommand::Note(note.clone()))?[0].seq;
        if n % 5 == 0 {
            store.record_mut().save_draft(
                live.session().id,
                &format!("draft {n}"),
                chrono::Utc::now(),
            )?;
        }
        let hex = note.bytes().fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        });
        writeln!(out, "{} {} {hex}", seq.0, note.len())?;
        out.flush()?;
    }
    Ok(())
}
