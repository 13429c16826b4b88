//! `kap-journal consent`: the clinic's consent text and each client's consent.
//!
//! - `consent` lists the clients whose consent needs attention (missing, withdrawn, to an older
//!   text, expired, or due for renewal within two weeks);
//! - `consent text` prints the text in force; `consent text --file F --renew-after DAYS` adopts a
//!   new version;
//! - `consent CLIENT` shows one client's consents; `consent CLIENT --agree off-label,music` records
//!   a consent to the newest text, `consent CLIENT --withdraw` a withdrawal.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use crate::domain::{ConsentItem, NewConsent};

/// Arguments of `kap-journal consent`.
#[derive(Debug, clap::Args)]
pub struct ConsentArgs {
    /// A client's code, or `text` for the clinic's consent text. Without it, the consents that
    /// need attention are listed.
    target: Option<String>,
    /// With a client: record a consent to the newest text, agreeing to these items (off-label,
    /// touch, music, recording; off-label is required).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ITEMS",
        conflicts_with = "withdraw"
    )]
    agree: Option<Vec<String>>,
    /// With a client: record that they withdrew consent.
    #[arg(long)]
    withdraw: bool,
    /// With `text`: adopt the text in this file as the next version.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// With `text --file`: a consent to it is renewed after this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    renew_after: u32,
}

pub fn run(journal: &super::JournalAccess, args: &ConsentArgs) -> anyhow::Result<ExitCode> {
    let now = crate::domain::wall_now();
    match args.target.as_deref() {
        None => {
            let store = journal.open_for_reading()?;
            if store.registers().consent_text()?.is_none() {
                say!(
                    "The clinic has no consent text; adopt one with `kap-journal consent text --file FILE`."
                );
                return Ok(ExitCode::SUCCESS);
            }
            let due = store.registers().consents_due(now)?;
            if due.is_empty() {
                say!("Every client's consent is current.");
            }
            for due in due {
                say!(
                    "{:<12} {}",
                    super::for_terminal(&due.client_code),
                    due.standing.describe(crate::format::clinic_days())
                );
            }
        }
        Some("text") => text(journal, args, now)?,
        Some(code) => client(journal, args, code, now)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the text in force, or adopts the one in `--file` as the next version.
fn text(
    journal: &super::JournalAccess,
    args: &ConsentArgs,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    if let Some(file) = &args.file {
        let text = read_text(file)?;
        let mut store = journal.open()?;
        let adopted = store
            .registers_mut()
            .adopt_consent_text(&text, args.renew_after, now)?;
        say!(
            "Adopted version {}; every client consents to it before their next session.",
            adopted.version
        );
        return Ok(());
    }
    let store = journal.open_for_reading()?;
    let Some(text) = store.registers().consent_text()? else {
        say!("The clinic has no consent text yet.");
        return Ok(());
    };
    say!(
        "Version {}, adopted {}, renewed after {} days:\n\n{}",
        text.version,
        crate::format::day_of(text.adopted_at),
        text.renew_after_days,
        super::for_terminal(&text.text)
    );
    Ok(())
}

/// Shows or records one client's consent.
fn client(
    journal: &super::JournalAccess,
    args: &ConsentArgs,
    code: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let recording = args.agree.is_some() || args.withdraw;
    let mut store = if recording {
        journal.open()?
    } else {
        journal.open_for_reading()?
    };
    let Some(client) = store.record().client_by_code(code.trim())? else {
        bail!(
            "No client has the code {}.",
            super::for_terminal(code.trim())
        );
    };
    if recording {
        let agreed: Vec<ConsentItem> = args
            .agree
            .iter()
            .flatten()
            .map(|name| {
                ConsentItem::parse(name).with_context(|| {
                    format!(
                        "{} is not a consent item; use off-label, touch, music or recording.",
                        super::for_terminal(name.trim())
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let recorded_by = store.signs_as();
        let record = store.registers_mut().record_consent(
            &NewConsent {
                client_id: client.id,
                items: ConsentItem::ALL
                    .into_iter()
                    .map(|item| (item, agreed.contains(&item)))
                    .collect(),
                recorded_by,
                withdrawn: args.withdraw,
            },
            now,
        )?;
        say!(
            "Recorded: {}.",
            record.describe(crate::format::clinic_days())
        );
        return Ok(());
    }
    say!(
        "{}",
        store
            .registers()
            .consent_standing(client.id, now)?
            .describe(crate::format::clinic_days())
    );
    for record in store.registers().consents(client.id)? {
        say!("  {}", record.describe(crate::format::clinic_days()));
    }
    Ok(())
}

/// The text of a consent file: UTF-8, within the journal's limit, read without following it past
/// the limit.
fn read_text(file: &std::path::Path) -> anyhow::Result<String> {
    let limit = crate::domain::MAX_CONSENT_TEXT_BYTES as u64;
    let bytes = crate::store::read_plain_file(file, limit)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "The consent text in {} is not UTF-8 text; save it as UTF-8 and try again.",
            file.display()
        )
    })?;
    // A byte-order mark is how some editors say "UTF-8"; it is not part of the text.
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}
