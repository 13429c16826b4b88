//! `kap-journal settings`: shows the clinic's monitoring settings and the clinician who signs, or
//! changes them with `--set KEY=VALUE` (all changes checked together, then saved at once or not at
//! all), `--clinician NAME --credentials TEXT`, `--clinic-name NAME`, `--clinic-zone ZONE`, how
//! dates and times are written (`--dates iso|us`, `--clock system|24|12`) and the REMS form's
//! contact details (`--clinic-telephone`, `--clinic-email`, `--clinic-address`).

use std::process::ExitCode;

use anyhow::Context as _;

use crate::domain::{ClinicName, SETTING_KEYS};

/// Arguments of `kap-journal settings`.
#[derive(Debug, clap::Args)]
pub struct SettingsArgs {
    /// A change, e.g. --set vitals-every=10 --set systolic=170. Without it the settings are shown.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    changes: Vec<String>,
    /// Your name as it signs sessions and addenda, e.g. --clinician "R. Example".
    #[arg(long, value_name = "NAME")]
    clinician: Option<String>,
    /// Your credentials after the name, e.g. `--credentials "PsyD, LMFT"` (with --clinician, or
    /// alone to change them).
    #[arg(long, value_name = "TEXT")]
    credentials: Option<String>,
    /// The clinic's name, the healthcare setting on the REMS form, e.g. --clinic-name
    /// "Riverside Ketamine Clinic" (an empty value clears it).
    #[arg(long, value_name = "NAME")]
    clinic_name: Option<String>,
    /// The clinic's time zone, an IANA name (e.g. `--clinic-zone America/New_York`): each session
    /// started from now on keeps it, and its times of day are printed there. Until set, this
    /// computer's zone.
    #[arg(long, value_name = "ZONE")]
    clinic_zone: Option<String>,
    /// How lists, summaries and forms write dates: `iso` (2026-12-07, the default) or `us`
    /// (12/07/2026, as the REMS form asks). JSON, CSV and FHIR always use ISO 8601.
    #[arg(long, value_name = "iso|us")]
    dates: Option<String>,
    /// The clock times of day are read on: `system` (as this computer says, the default), `24`
    /// or `12`.
    #[arg(long, value_name = "system|24|12")]
    clock: Option<String>,
    /// The telephone number the REMS form gives for the setting and provider (empty clears it).
    #[arg(long, value_name = "NUMBER")]
    clinic_telephone: Option<String>,
    /// The email address the REMS form gives (empty clears it).
    #[arg(long, value_name = "ADDRESS")]
    clinic_email: Option<String>,
    /// The setting's street address, one line, as the REMS form asks (empty clears it).
    #[arg(long, value_name = "ADDRESS")]
    clinic_address: Option<String>,
    /// Where automatic backups go on this computer: a folder on another disk (an external drive, a
    /// synced folder). An empty value puts them back in the `backups` folder beside the journal.
    #[arg(long, value_name = "FOLDER")]
    backup_folder: Option<std::ffi::OsString>,
}

pub fn run(journal: &super::JournalAccess, args: &SettingsArgs) -> anyhow::Result<ExitCode> {
    let changing_name = args.clinician.is_some() || args.credentials.is_some();
    let changing_contact = args.clinic_telephone.is_some()
        || args.clinic_email.is_some()
        || args.clinic_address.is_some();
    let changing = changing_name
        || changing_contact
        || args.clinic_name.is_some()
        || args.clinic_zone.is_some()
        || args.dates.is_some()
        || args.clock.is_some()
        || args.backup_folder.is_some()
        || !args.changes.is_empty();
    let mut store = if changing {
        journal.open()?
    } else {
        journal.open_for_reading()?
    };
    let mut settings = store.clinic_settings()?;
    for change in &args.changes {
        let (key, value) = change.split_once('=').with_context(|| {
            format!("Write a change as KEY=VALUE, e.g. systolic=170 (not \"{change}\").")
        })?;
        settings.set(key.trim(), value)?;
    }
    if !args.changes.is_empty() {
        store.save_clinic_settings(&settings)?;
        say!("Saved.");
    }
    if changing_name {
        let mut clinician = store.clinician()?.unwrap_or_default();
        if let Some(name) = &args.clinician {
            clinician.name.clone_from(name);
        }
        if let Some(credentials) = &args.credentials {
            clinician.credentials.clone_from(credentials);
        }
        store.save_clinician(&clinician)?;
        if args.changes.is_empty() {
            say!("Saved.");
        }
    }
    if let Some(name) = &args.clinic_name {
        let name = Some(name.trim())
            .filter(|name| !name.is_empty())
            .map(ClinicName::parse)
            .transpose()?;
        store.save_clinic_name(name.as_ref())?;
        say!("Saved.");
    }
    if changing_contact {
        save_contact(&mut store, args)?;
        say!("Saved.");
    }
    if let Some(zone) = &args.clinic_zone {
        store.save_clinic_zone(crate::domain::ClinicZone::parse(zone)?)?;
        say!("Saved.");
    }
    if args.dates.is_some() || args.clock.is_some() {
        save_dates(&mut store, args)?;
        say!("Saved.");
    }
    if let Some(folder) = &args.backup_folder {
        let folder =
            Some(std::path::Path::new(folder)).filter(|folder| !folder.as_os_str().is_empty());
        crate::store::choose_backup_folder(store.dir(), folder)?;
        say!("Saved.");
    }
    for (key, meaning) in SETTING_KEYS {
        say!("{key:<16} {:>4}  {meaning}", settings.get(key)?);
    }
    let clinician = store.clinician()?.map_or_else(
        || "not set (--clinician NAME --credentials TEXT)".to_owned(),
        |clinician| super::for_terminal(&clinician.signed_as()),
    );
    say!("{:<16} {clinician}", "clinician");
    let clinic = store.clinic_name()?.map_or_else(
        || "not set (--clinic-name NAME)".to_owned(),
        |name| super::for_terminal(name.as_str()),
    );
    say!("{:<16} {clinic}", "clinic-name");
    show_contact(&store)?;
    say!(
        "{:<16} {} (--clinic-zone ZONE)",
        "clinic-zone",
        store.clinic_zone()?.describe_at(crate::domain::wall_now())
    );
    show_dates(&store)?;
    let folder = crate::store::backup_folder(store.dir());
    let warning = if crate::store::shares_disk_with_journal(store.dir(), &folder) {
        " (on the journal's own disk: a dead disk or a lost laptop takes them too; choose another with --backup-folder)"
    } else {
        ""
    };
    say!(
        "{:<16} {}{warning}",
        "backup-folder",
        super::for_terminal(&folder.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}

/// Changes the date order or the clock, each given one; either refused leaves both as they were.
fn save_dates(store: &mut crate::store::Store, args: &SettingsArgs) -> anyhow::Result<()> {
    let mut dates = store.date_time_settings()?;
    if let Some(order) = &args.dates {
        dates.dates = crate::domain::DateOrder::parse(order)?;
    }
    if let Some(clock) = &args.clock {
        dates.clock = crate::domain::ClockChoice::parse(clock)?;
    }
    store.save_date_time_settings(dates)?;
    crate::format::write_dates_as(crate::system_clock::style(dates));
    Ok(())
}

/// The date order and the clock, with a date and time as they now read.
fn show_dates(store: &crate::store::Store) -> anyhow::Result<()> {
    let dates = store.date_time_settings()?;
    let example = crate::system_clock::style(dates).sample();
    say!("{:<16} {} (--dates iso|us)", "dates", dates.dates.name());
    say!(
        "{:<16} {} (--clock system|24|12): {example}",
        "clock",
        dates.clock.name()
    );
    Ok(())
}

/// Changes the contact details the REMS form prints, each given one (empty clears it).
fn save_contact(store: &mut crate::store::Store, args: &SettingsArgs) -> anyhow::Result<()> {
    let mut contact = store.registers().rems_contact()?;
    for (given, field) in [
        (&args.clinic_telephone, &mut contact.telephone),
        (&args.clinic_email, &mut contact.email),
        (&args.clinic_address, &mut contact.address),
    ] {
        if let Some(given) = given {
            field.clone_from(given);
        }
    }
    store.registers_mut().save_rems_contact(&contact)?;
    Ok(())
}

fn show_contact(store: &crate::store::Store) -> anyhow::Result<()> {
    let contact = store.registers().rems_contact()?;
    for (key, value) in [
        ("clinic-telephone", &contact.telephone),
        ("clinic-email", &contact.email),
        ("clinic-address", &contact.address),
    ] {
        let shown = if value.is_empty() {
            format!("not set (--{key})")
        } else {
            super::for_terminal(value)
        };
        say!("{key:<16} {shown}");
    }
    Ok(())
}
