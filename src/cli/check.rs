//! `kap-journal check`: every page's authentication code, SQLite's integrity check, the audit log's
//! hash chain and every signed session's digest. Exits non-zero on any problem, naming pages, entries
//! and sessions by number, never content.

use std::process::ExitCode;

/// Arguments of `kap-journal check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// After an alarm that the journal lacks changes recorded beside it or outside its folder, and
    /// only once you know how it came about: take the journal as it is. Its newest change is
    /// recorded again; the write-ahead log found is kept beside it.
    #[arg(long)]
    pub accept: bool,
}

pub fn run(journal: &super::JournalAccess, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if args.accept {
        let locked = crate::store::LockedJournal::claim(journal.data_dir())?;
        let accepted = locked.accept_as_is(&journal.passphrase()?)?;
        say!(
            "The journal was taken as it is, with its {} audit entries; its newest change is recorded as the newest from now on.",
            accepted.record().audit_len()?
        );
        drop(accepted);
    }
    let store = journal.open_for_reading()?;
    // How far this check reads, taken before it starts: what it vouches for when it finds nothing.
    let mark = store.full_check_mark().ok();
    // What opening found (committed changes missing) comes first: it is why the journal is read only.
    let mut problems = store.damage().to_vec();
    problems.extend(store.integrity_problems()?);
    // The chain and the signatures are read through SQLite; on a file that fails its page checks
    // they would only repeat what was already found.
    if problems.is_empty() {
        problems.extend(store.record().audit_problems()?);
        problems.extend(store.record().signature_problems()?);
    }
    if problems.is_empty() {
        let unverified = store.record().unverified_signatures()?;
        if let Some(mark) = &mark {
            record_full_check(journal, mark);
        }
        if unverified.is_empty() {
            say!(
                "journal.db is sound: every page passed its authentication check and SQLite's integrity check, \
                 the audit log's {} entries form an unbroken chain, and every signed session matches its signature.",
                store.record().audit_len()?
            );
        } else {
            // Not damage (nothing changed in this journal), but never to be called signed.
            let ids: Vec<String> = unverified.iter().map(|id| id.0.to_string()).collect();
            say!(
                "journal.db is sound: every page passed its authentication check and SQLite's integrity check, \
                 and the audit log's {} entries form an unbroken chain. But {} signature{} came without a seal and \
                 {} unverified (session{} {}): nothing shows who signed {} or that {} unchanged.",
                store.record().audit_len()?,
                unverified.len(),
                if unverified.len() == 1 { "" } else { "s" },
                if unverified.len() == 1 { "is" } else { "are" },
                if unverified.len() == 1 { "" } else { "s" },
                ids.join(", "),
                if unverified.len() == 1 { "it" } else { "them" },
                if unverified.len() == 1 {
                    "it is"
                } else {
                    "they are"
                },
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    // A journal that lacks a change no backup holds is not to be replaced by one: its sentence says
    // what to do instead.
    tell!(
        "kap-journal: journal.db has {} problem{}; {}keep this copy for whoever looks into it:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        if store.restore_advised() {
            "restore the newest good backup, and "
        } else {
            ""
        }
    );
    for problem in &problems {
        tell!("  {problem}");
    }
    Ok(ExitCode::FAILURE)
}

/// Records a check that found nothing, so the window's next start reads only what changed after it.
/// Not recorded while the window holds the journal (or on read-only media): its next start then
/// checks everything, as it would have.
fn record_full_check(journal: &super::JournalAccess, mark: &crate::store::FullCheckMark) {
    if let Ok(mut writer) = journal.open() {
        let _ = writer.record_full_check(mark);
    }
}
