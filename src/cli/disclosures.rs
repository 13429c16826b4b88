//! `kap-journal disclosures [CLIENT]`: the accounting of disclosures, who received what of a
//! client's record, when, and in which form (42 CFR Part 2, § 2.24).

use std::collections::HashMap;
use std::process::ExitCode;

use serde::Serialize;

use crate::domain::{ClientId, Disclosure, DisclosureScope};

/// Arguments of `kap-journal disclosures`.
#[derive(Debug, clap::Args)]
pub struct DisclosuresArgs {
    /// The client's code (default: every disclosure of the journal).
    client: Option<String>,
    /// As JSON (stable; documented in docs/reference.md).
    #[arg(long)]
    json: bool,
}

/// One disclosure as `--json` prints it.
#[derive(Debug, Serialize)]
struct DisclosureLine<'a> {
    at: chrono::DateTime<chrono::Utc>,
    kind: crate::domain::DisclosureKind,
    form: &'a str,
    recipient: &'a str,
    /// The client's code; `null` when the whole journal was disclosed (a backup).
    client: Option<&'a str>,
    sessions: &'a [uuid::Uuid],
    session_count: u64,
    /// In the outbox (recorded by a command that reads), not yet taken into the journal.
    pending: bool,
}

pub fn run(journal: &super::JournalAccess, args: &DisclosuresArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let codes: HashMap<ClientId, String> = store
        .record()
        .clients()?
        .into_iter()
        .map(|client| (client.id, client.code))
        .collect();
    let client = match &args.client {
        Some(code) => Some(
            store
                .record()
                .client_by_code(code)?
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "This journal has no client {}; `kap-journal sessions` lists the codes.",
                        super::for_terminal(code)
                    )
                })?
                .id,
        ),
        None => None,
    };
    let list = store.registers().disclosures(client)?;
    if args.json {
        let lines: Vec<DisclosureLine<'_>> = list
            .items
            .iter()
            .map(|disclosure| json_line(disclosure, &codes))
            .collect();
        say!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        print_list(
            &list.items,
            &codes,
            store.clinic_zone()?,
            args.client.is_none(),
        )?;
    }
    if let Some(sentence) = list.unreadable_sentence() {
        tell!("{sentence}");
    }
    Ok(ExitCode::SUCCESS)
}

fn json_line<'a>(
    disclosure: &'a Disclosure,
    codes: &'a HashMap<ClientId, String>,
) -> DisclosureLine<'a> {
    let (client, sessions, session_count): (Option<&str>, &[uuid::Uuid], u64) =
        match &disclosure.scope {
            DisclosureScope::Client { client, sessions } => (
                codes.get(client).map(String::as_str),
                sessions,
                sessions.len() as u64,
            ),
            DisclosureScope::WholeJournal { sessions } => (None, &[], *sessions),
        };
    DisclosureLine {
        at: disclosure.at,
        kind: disclosure.kind,
        form: &disclosure.form,
        recipient: &disclosure.recipient,
        client,
        sessions,
        session_count,
        pending: disclosure.pending,
    }
}

fn print_list(
    items: &[Disclosure],
    codes: &HashMap<ClientId, String>,
    zone: crate::domain::ClinicZone,
    every_client: bool,
) -> anyhow::Result<()> {
    if items.is_empty() {
        say!("Nothing has been disclosed.");
        return Ok(());
    }
    say!("Times in {zone}.");
    for disclosure in items {
        let whose = match &disclosure.scope {
            DisclosureScope::Client { client, .. } if every_client => format!(
                "{:<12} ",
                super::for_terminal(codes.get(client).map_or("?", String::as_str))
            ),
            DisclosureScope::WholeJournal { .. } if every_client => format!("{:<12} ", "everyone"),
            _ => String::new(),
        };
        say!(
            "{}  {whose}{:<24} {:<28} {:<32} to {}{}",
            super::clinic_time(zone, disclosure.at),
            disclosure.kind.label(),
            super::for_terminal(&disclosure.form),
            disclosure.covered(),
            super::for_terminal(&disclosure.recipient),
            if disclosure.pending {
                "  (not yet taken into the journal)"
            } else {
                ""
            }
        );
    }
    Ok(())
}
