//! `kap-journal practice`: set up a practice server, add a clinician's login, join this journal to
//! it; and `kap-journal sync`. Passwords come from the environment, never the command line.

use std::process::ExitCode;

use crate::domain::PracticeRole;
use crate::practice::{
    Assignment, KeyStanding, NewClinician, OWNER_PASSWORD_ENV, PASSWORD_ENV, PracticeAddress,
    PracticeError, password_from,
};

/// Arguments of `kap-journal practice`.
#[derive(Debug, clap::Args)]
pub struct PracticeArgs {
    #[command(subcommand)]
    action: Option<PracticeAction>,
}

#[derive(Debug, clap::Subcommand)]
enum PracticeAction {
    /// Create the practice schema in an empty database, connected as its owner (password from
    /// `KAP_JOURNAL_PRACTICE_OWNER_PASSWORD`).
    Init { url: String },
    /// Move a practice server set up before care teams were explicit to the present rules,
    /// connected as the database's owner (password from `KAP_JOURNAL_PRACTICE_OWNER_PASSWORD`).
    Upgrade { url: String },
    /// Add a login for a clinician, connected as the owner (password from
    /// `KAP_JOURNAL_PRACTICE_OWNER_PASSWORD`); the new login's password is read from
    /// `KAP_JOURNAL_PRACTICE_PASSWORD`.
    AddClinician {
        url: String,
        /// The new login (lower-case letters, digits, underscores), e.g. `r_example`.
        #[arg(long)]
        login: String,
        /// The clinician's name as colleagues read it.
        #[arg(long)]
        name: String,
        /// Degrees and licences, e.g. `PsyD, LMFT`.
        #[arg(long, default_value = "")]
        credentials: String,
        #[arg(long, value_parser = parse_role)]
        role: PracticeRole,
    },
    /// Join this journal to the practice as the URL's login (password from
    /// `KAP_JOURNAL_PRACTICE_PASSWORD`, then kept in the encrypted journal).
    Connect { url: String },
    /// The practice's enrolled clients, each with its care team (the URL's password from
    /// `KAP_JOURNAL_PRACTICE_PASSWORD`).
    Clients {
        url: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Enrol a client in the practice by its code, never a name (the URL's login: an admin or a
    /// psychiatrist; its password from `KAP_JOURNAL_PRACTICE_PASSWORD`).
    Enrol { url: String, code: String },
    /// Put a login on a client's care team (an admin or a psychiatrist).
    Assign {
        url: String,
        code: String,
        login: String,
    },
    /// Take a login off a client's care team (an admin or a psychiatrist); what it shared stays.
    Unassign {
        url: String,
        code: String,
        login: String,
    },
    /// The practice's problem list: sessions journals refused to copy, clinicians rows that give
    /// nobody anything, keys registered without proof (the URL's login: an admin or a
    /// psychiatrist; its password from `KAP_JOURNAL_PRACTICE_PASSWORD`).
    Problems {
        url: String,
        /// Print JSON instead of sentences.
        #[arg(long)]
        json: bool,
    },
    /// Open a practice client's record outside your care team, with the reason stated: for a day
    /// this journal's login may read it (link it and sync to receive it). Kept for good and shown
    /// to the client's care team.
    Emergency {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Link this journal's client `LOCAL_CODE` to the practice client `PRACTICE_CODE`, once: only
    /// a linked client's sessions are sent and received. The journal's login must be on the
    /// client's care team.
    Link {
        local_code: String,
        practice_code: String,
    },
    /// A colleague's keys as the practice holds them, and whether this journal trusts each; with
    /// FINGERPRINT, trust their new key (a new computer of theirs) after comparing its
    /// fingerprint with them: they read it from `kap-journal practice` on their computer.
    Trust {
        login: String,
        fingerprint: Option<String>,
        /// Print JSON instead of a table (the list).
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `kap-journal sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// What moved, as JSON.
    #[arg(long)]
    json: bool,
}

fn parse_role(text: &str) -> Result<PracticeRole, String> {
    PracticeRole::parse(text)
        .ok_or_else(|| "use therapist, nurse, psychiatrist or admin".to_owned())
}

pub fn run(journal: &super::JournalAccess, args: &PracticeArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        Some(PracticeAction::Init { url }) => {
            let address = PracticeAddress::parse(url)?;
            crate::practice::init(&address, &password_from(OWNER_PASSWORD_ENV)?)?;
            say!(
                "The practice is set up in database {}; add clinicians with kap-journal practice add-clinician.",
                address.database()
            );
        }
        Some(PracticeAction::Upgrade { url }) => {
            let address = PracticeAddress::parse(url)?;
            let upgraded = crate::practice::upgrade(&address, &password_from(OWNER_PASSWORD_ENV)?)?;
            say!("{}", upgrade_sentence(&upgraded));
        }
        Some(PracticeAction::AddClinician {
            url,
            login,
            name,
            credentials,
            role,
        }) => {
            let address = PracticeAddress::parse(url)?;
            let clinician = NewClinician {
                login: login.clone(),
                name: name.clone(),
                credentials: credentials.clone(),
                role: *role,
            };
            crate::practice::add_clinician(
                &address,
                &password_from(OWNER_PASSWORD_ENV)?,
                &clinician,
                &password_from(PASSWORD_ENV)?,
            )?;
            say!(
                "Added {login} as {}, who reads {}.",
                role.as_str(),
                role.reads()
            );
        }
        Some(PracticeAction::Connect { url }) => {
            let address = PracticeAddress::parse(url)?;
            let mut store = journal.open()?;
            let membership = crate::practice::connect(
                &mut store,
                &address,
                &password_from(PASSWORD_ENV)?,
                crate::domain::wall_now(),
            )?;
            say!(
                "This journal syncs as {} ({}), who reads {}. Run kap-journal sync to send and receive.",
                super::for_terminal(&membership.name),
                membership.role.as_str(),
                membership.role.reads()
            );
        }
        Some(PracticeAction::Clients { url, json }) => {
            super::practice_registry::clients(url, *json)?;
        }
        Some(PracticeAction::Emergency { code, reason }) => {
            super::practice_registry::emergency(journal, code, reason)?;
        }
        Some(PracticeAction::Problems { url, json }) => {
            super::practice_registry::problems(url, *json)?;
        }
        Some(PracticeAction::Enrol { url, code }) => super::practice_registry::enrol(url, code)?,
        Some(PracticeAction::Assign { url, code, login }) => {
            super::practice_registry::assign(url, code, login, Assignment::Assign)?;
        }
        Some(PracticeAction::Unassign { url, code, login }) => {
            super::practice_registry::assign(url, code, login, Assignment::Unassign)?;
        }
        Some(PracticeAction::Link {
            local_code,
            practice_code,
        }) => super::practice_registry::link(journal, local_code, practice_code)?,
        Some(PracticeAction::Trust {
            login,
            fingerprint,
            json,
        }) => trust(journal, login, fingerprint.as_deref(), *json)?,
        None => standing(journal)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Where this journal stands in its practice.
fn standing(journal: &super::JournalAccess) -> anyhow::Result<()> {
    let store = journal.open_for_reading()?;
    match store.sharing().practice_membership()? {
        None => say!("{}", PracticeError::NotConnected),
        Some(membership) => {
            say!("practice   {}", membership.url);
            say!(
                "login      {} — {}",
                membership.login,
                super::for_terminal(&membership.describe())
            );
            say!("reads      {}", membership.role.reads());
            // What a colleague compares before trusting a new key of this clinician's.
            for fingerprint in store.record().own_key_fingerprints()? {
                say!("key        {fingerprint}");
            }
            say!(
                "last sync  {}",
                membership
                    .last_sync
                    .map_or_else(|| "never".to_owned(), |at| at.to_rfc3339())
            );
        }
    }
    Ok(())
}

/// `practice trust LOGIN [FINGERPRINT]`: lists a colleague's keys, or trusts one by fingerprint.
fn trust(
    journal: &super::JournalAccess,
    login: &str,
    fingerprint: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let login = login.trim();
    let Some(fingerprint) = fingerprint else {
        let store = journal.open_for_reading()?;
        let keys = crate::practice::colleague_keys(&store, login)?;
        if json {
            say!("{}", serde_json::to_string_pretty(&keys)?);
        } else if keys.is_empty() {
            say!(
                "The practice holds no key proved by {}.",
                super::for_terminal(login)
            );
        } else {
            for key in keys {
                say!("{}   {}", key.fingerprint, key.standing.label());
            }
        }
        return Ok(());
    };
    let mut store = journal.open()?;
    let key = crate::practice::trust_colleague_key(
        &mut store,
        login,
        fingerprint,
        crate::domain::wall_now(),
    )?;
    let login = super::for_terminal(login);
    let fingerprint = &key.fingerprint;
    match key.standing {
        KeyStanding::New => say!(
            "{login}'s key {fingerprint} is trusted from now on; their sessions sealed with it are copied at the next sync."
        ),
        KeyStanding::Trusted => say!("{login}'s key {fingerprint} was trusted already."),
        KeyStanding::NotYetMet => say!(
            "This journal has copied nothing of {login}'s yet: every key they proved, {fingerprint} among them, is trusted at the first copy."
        ),
    }
    Ok(())
}

/// `kap-journal sync`: pushes and pulls; a session refused on pull makes the exit status 1.
pub fn run_sync(journal: &super::JournalAccess, args: &SyncArgs) -> anyhow::Result<ExitCode> {
    let mut store = journal.open()?;
    // Ctrl+C ends the process at once, which is safe: what the server confirmed is noted, and
    // the rest is sent again (and ignored where the server has it) by the next sync.
    let report = crate::practice::sync(&mut store, crate::domain::wall_now(), &|| false)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        say!("{}", report.describe());
    }
    Ok(if report.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// What `practice upgrade` did, in a sentence or two.
fn upgrade_sentence(upgraded: &crate::practice::Upgraded) -> String {
    if let Some(added) = upgraded.added_only {
        let mut now = Vec::new();
        if added.signed_codes {
            now.push(
                "keeps the client's code each signature was made under, so a journal may link a client of its own code to a practice client of another",
            );
        }
        if added.live_sessions {
            now.push(
                "shows a session while it runs to its client's care team, who may join it (kap-journal live)",
            );
        }
        if added.live_signatures {
            now.push(
                "keeps the signatures of sessions logged together: each clinician's of their entries, the author's of the whole, and a psychiatrist's co-signature",
            );
        }
        return format!(
            "The practice server now {}; nothing else changed.",
            now.join(", and ")
        );
    }
    format!(
        "The practice keeps explicit care teams now: {} clients enrolled from the sessions it held, and {} care-team assignments carried over from the old rules. Review them with kap-journal practice clients and end any that should not be (practice unassign); each clinician links their clients again (practice link) before their next sync shares them.",
        upgraded.clients, upgraded.assignments
    )
}
