//! `kap-journal rems`: the esketamine REMS monitoring forms still to submit, each with its 7-day due
//! date; `rems submitted ID` marks one submitted, `rems withdraw ID --reason WHY` takes a mark made in
//! error back; `rems patient CODE` shows or sets the client's REMS details (names, birthdate, sex,
//! enrolment), which only the form prints. The form itself is `export ID --format rems`.

use std::process::ExitCode;

use crate::domain::{RemsSex, SessionId};

/// Arguments of `kap-journal rems`.
#[derive(Debug, clap::Args)]
pub struct RemsArgs {
    #[command(subcommand)]
    action: Option<RemsAction>,
    /// The forms to submit as JSON (stable; documented in docs/reference.md).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum RemsAction {
    /// The session's form was submitted (now).
    Submitted { session: i64 },
    /// A "submitted" mark made in error is taken back (a later, audited mark; the form is due again).
    Withdraw {
        session: i64,
        /// Why, e.g. "marked in error: the form was not sent".
        #[arg(long)]
        reason: String,
    },
    /// The client's details as the form asks for them; without options they are shown. An empty
    /// value clears a field.
    Patient(PatientArgs),
}

/// Arguments of `kap-journal rems patient`.
#[derive(Debug, clap::Args)]
struct PatientArgs {
    /// The client's code, e.g. C-0142.
    code: String,
    #[arg(long, value_name = "NAME")]
    first_name: Option<String>,
    #[arg(long, value_name = "NAME")]
    last_name: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    birth_date: Option<String>,
    /// female or male, as the form offers.
    #[arg(long, value_name = "SEX")]
    sex: Option<String>,
    /// Enrolled in the SPRAVATO REMS: yes or no.
    #[arg(long, value_name = "YES|NO")]
    enrolled: Option<String>,
}

pub fn run(journal: &super::JournalAccess, args: &RemsArgs) -> anyhow::Result<ExitCode> {
    let now = crate::domain::wall_now();
    if let Some(RemsAction::Submitted { session }) = &args.action {
        let mut store = journal.open()?;
        store
            .registers_mut()
            .mark_rems_submitted(SessionId(*session), now)?;
        say!("Marked submitted.");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(RemsAction::Withdraw { session, reason }) = &args.action {
        let mut store = journal.open()?;
        store
            .registers_mut()
            .withdraw_rems_submission(SessionId(*session), now, reason)?;
        say!("The mark is withdrawn; the form is due again.");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(RemsAction::Patient(patient)) = &args.action {
        return patient_details(journal, patient);
    }
    let store = journal.open_for_reading()?;
    let due = store.registers().rems_due(now)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&due)?);
        return Ok(ExitCode::SUCCESS);
    }
    if due.is_empty() {
        say!("No REMS monitoring form is waiting to be submitted.");
    }
    let zone = store.clinic_zone()?;
    for form in due {
        say!(
            "session {:>6}  {:<12} treated {} ({zone})  due {}{}",
            form.session_id.0,
            super::for_terminal(&form.client_code),
            super::clinic_time(zone, form.treated_at),
            crate::format::date(form.due),
            if form.overdue { "  OVERDUE" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `rems patient CODE [--first-name …]`: shows the client's REMS details, or changes the fields
/// given and shows them as kept.
fn patient_details(journal: &super::JournalAccess, args: &PatientArgs) -> anyhow::Result<ExitCode> {
    let changing = args.first_name.is_some()
        || args.last_name.is_some()
        || args.birth_date.is_some()
        || args.sex.is_some()
        || args.enrolled.is_some();
    let mut store = if changing {
        journal.open()?
    } else {
        journal.open_for_reading()?
    };
    let Some(client) = store.record().client_by_code(args.code.trim())? else {
        anyhow::bail!(
            "No client has the code {}.",
            super::for_terminal(args.code.trim())
        );
    };
    let mut details = store
        .registers()
        .rems_patient(client.id)?
        .unwrap_or_default();
    if changing {
        if let Some(name) = &args.first_name {
            details.first_name.clone_from(name);
        }
        if let Some(name) = &args.last_name {
            details.last_name.clone_from(name);
        }
        if let Some(date) = &args.birth_date {
            let style = crate::format::date_style();
            details.birth_date =
                optional(date, |text| style.parse_date(text).ok()).map_err(|()| {
                    anyhow::anyhow!(
                        "Give the birthdate as {}, such as {}.",
                        style.date_hint(),
                        style.date(chrono::NaiveDate::from_ymd_opt(1984, 3, 2).unwrap_or_default())
                    )
                })?;
        }
        if let Some(sex) = &args.sex {
            details.sex = optional(sex, RemsSex::parse).map_err(|()| {
                anyhow::anyhow!("Give the sex as female or male, as the form offers.")
            })?;
        }
        if let Some(enrolled) = &args.enrolled {
            details.enrolled = optional(enrolled, yes_or_no).map_err(|()| {
                anyhow::anyhow!("Say whether the client is enrolled with yes or no.")
            })?;
        }
        details = store
            .registers_mut()
            .save_rems_patient(client.id, &details)?;
        say!("Saved.");
    }
    let shown = |text: &str| {
        if text.is_empty() {
            "not set".to_owned()
        } else {
            super::for_terminal(text)
        }
    };
    say!("first-name  {}", shown(&details.first_name));
    say!("last-name   {}", shown(&details.last_name));
    say!(
        "birth-date  {}",
        details
            .birth_date
            .map_or_else(|| "not set".to_owned(), crate::format::date)
    );
    say!(
        "sex         {}",
        details.sex.map_or("not set", |sex| sex.label())
    );
    say!(
        "enrolled    {}",
        details
            .enrolled
            .map_or("not set", |yes| if yes { "yes" } else { "no" })
    );
    Ok(ExitCode::SUCCESS)
}

/// An empty value clears the field; anything else must read.
fn optional<T>(text: &str, read: impl Fn(&str) -> Option<T>) -> Result<Option<T>, ()> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        read(text).map(Some).ok_or(())
    }
}

fn yes_or_no(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "yes" | "y" => Some(true),
        "no" | "n" => Some(false),
        _ => None,
    }
}
