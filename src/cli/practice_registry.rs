//! `kap-journal practice clients|enrol|assign|unassign|link`: the practice's client registry and
//! care teams, and linking this journal's client to a practice client. The URL's password comes
//! from `KAP_JOURNAL_PRACTICE_PASSWORD`.

use crate::practice::{Assignment, PASSWORD_ENV, PracticeAddress};

use crate::practice::password_from;

/// Prints the enrolled clients with their care teams.
pub fn clients(url: &str, json: bool) -> anyhow::Result<()> {
    let address = PracticeAddress::parse(url)?;
    let clients = crate::practice::clients(&address, &password_from(PASSWORD_ENV)?)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&clients)?);
    } else if clients.is_empty() {
        say!(
            "The practice has no enrolled clients yet; enrol one with kap-journal practice enrol."
        );
    } else {
        for client in &clients {
            say!(
                "{:<16}  enrolled {} by {}  care team: {}",
                super::for_terminal(&client.code),
                crate::format::day_of(client.enrolled_at),
                client.enrolled_by,
                if client.care_team.is_empty() {
                    "nobody yet".to_owned()
                } else {
                    client.care_team.join(", ")
                }
            );
            for opening in &client.emergency {
                say!(
                    "{:<16}  opened in an emergency by {} at {}: {}",
                    "",
                    opening.login,
                    opening.opened_at.format("%Y-%m-%d %H:%M UTC"),
                    super::for_terminal(&opening.reason)
                );
            }
        }
    }
    Ok(())
}

/// Prints the practice's problem list.
pub fn problems(url: &str, json: bool) -> anyhow::Result<()> {
    let address = PracticeAddress::parse(url)?;
    let problems = crate::practice::problems(&address, &password_from(PASSWORD_ENV)?)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&problems)?);
        return Ok(());
    }
    if problems.is_empty() {
        say!("The practice has no problems on its list.");
    }
    for sentence in problems.sentences() {
        say!("{}", super::for_terminal(&sentence));
    }
    Ok(())
}

pub fn enrol(url: &str, code: &str) -> anyhow::Result<()> {
    let address = PracticeAddress::parse(url)?;
    crate::practice::enrol(&address, &password_from(PASSWORD_ENV)?, code)?;
    say!(
        "Enrolled {} in the practice; put its clinicians on its care team with kap-journal practice assign.",
        super::for_terminal(code.trim())
    );
    Ok(())
}

pub fn assign(url: &str, code: &str, login: &str, assignment: Assignment) -> anyhow::Result<()> {
    let address = PracticeAddress::parse(url)?;
    crate::practice::assign(
        &address,
        &password_from(PASSWORD_ENV)?,
        code,
        login,
        assignment,
    )?;
    let code = super::for_terminal(code.trim());
    match assignment {
        Assignment::Assign => say!(
            "{login} is on the care team of {code}: once its journal links the client, they share its sessions."
        ),
        Assignment::Unassign => say!(
            "{login} is off the care team of {code}: from now on it neither sends nor receives that client's sessions; what it already shared stays."
        ),
    }
    Ok(())
}

/// Opens a practice client's record in an emergency, as this journal's login.
pub fn emergency(journal: &super::JournalAccess, code: &str, reason: &str) -> anyhow::Result<()> {
    let store = journal.open_for_reading()?;
    let until = crate::practice::open_in_emergency(&store, code, reason)?;
    let zone = store.clinic_zone()?;
    say!(
        "You may read the practice's {} until {} ({zone}); the opening and your reason are kept for good and shown to its care team. Link it (kap-journal practice link) and sync to receive its sessions.",
        super::for_terminal(code.trim()),
        super::clinic_time(zone, until)
    );
    Ok(())
}

pub fn link(
    journal: &super::JournalAccess,
    local_code: &str,
    practice_code: &str,
) -> anyhow::Result<()> {
    let mut store = journal.open()?;
    let linked = crate::practice::link(
        &mut store,
        local_code,
        practice_code,
        crate::domain::wall_now(),
    )?;
    let practice_code = super::for_terminal(practice_code.trim());
    match linked {
        crate::store::Linked::Now(client) => say!(
            "This journal's {} is the practice's {practice_code} now; the next sync sends and receives its sessions.",
            super::for_terminal(&client.code)
        ),
        crate::store::Linked::Already(client) => say!(
            "This journal's {} was already the practice's {practice_code}.",
            super::for_terminal(&client.code)
        ),
    }
    Ok(())
}
