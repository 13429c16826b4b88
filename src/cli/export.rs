//! `kap-journal export`: one session as Markdown, CSV or JSON, or every session as one JSON archive.

use std::io::{IsTerminal as _, Write as _};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;

use crate::domain::{SessionId, wall_now};
use crate::export::{
    ExportFormat, ExportOptions, STANDARD_OUTPUT, SummaryContext, export_disclosures, exports_dir,
    session_file_name, write_archive, write_bundle, write_disclosed, write_session,
};

/// Arguments of `kap-journal export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The session to export (its number in `kap-journal sessions`).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    session: Option<i64>,
    /// Export every session as one file: a JSON archive (--format json) or one FHIR bundle
    /// (--format fhir). Needs --out.
    #[arg(long, requires = "out")]
    all: bool,
    /// pdf or md (summary), csv (one row per entry), json (lossless archive) or rems (the
    /// esketamine REMS patient monitoring form, a PDF) or fhir (a FHIR R4 bundle).
    #[arg(long, value_parser = parse_format)]
    format: ExportFormat,
    /// Name and credentials of the clinician, for the summary's header (default: the clinician
    /// set in Settings, as the window's summaries use).
    #[arg(long, env = "KAP_JOURNAL_CLINICIAN", value_name = "NAME")]
    clinician: Option<String>,
    /// The file to write, or - for standard output (default: the exports folder in the data dir).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn parse_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(text).ok_or_else(|| format!("use {}", ExportFormat::names()))
}

pub fn run(journal: &super::JournalAccess, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let options = ExportOptions::default();
    if args.all {
        let ids = store.record().session_ids()?;
        let total = ids.len();
        let format = args.format;
        if !matches!(format, ExportFormat::Json | ExportFormat::Fhir) {
            bail!(
                "Exporting every session writes one file: use --format json (the archive) or --format fhir (one FHIR bundle)."
            );
        }
        let write = |out: &mut dyn std::io::Write| {
            if format == ExportFormat::Fhir {
                write_bundle(&store, &ids, out, progress_printer(total))
            } else {
                write_archive(&store, &ids, options, out, progress_printer(total))
            }
        };
        // Every client's sessions, each in their client's accounting of disclosures.
        let scopes = store.registers().disclosure_scopes(&ids)?;
        let disclosed =
            |recipient: &str| export_disclosures(format, recipient, scopes.clone(), wall_now());
        let destination = args.out.as_deref().unwrap_or(Path::new("-"));
        if destination == Path::new("-") {
            store
                .registers()
                .record_disclosures(&disclosed(STANDARD_OUTPUT))?;
            write(&mut std::io::stdout().lock())?;
        } else {
            write_disclosed(
                destination,
                journal.data_dir(),
                |path| {
                    store
                        .registers()
                        .record_disclosures(&disclosed(&path.display().to_string()))
                },
                write,
            )?;
            tell!("Exported {total} sessions to {}.", destination.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let id = SessionId(args.session.unwrap_or_default());
    let session = store.record().session(id)?;
    let context = summary_context(&store, args.clinician.as_deref())?;
    let write = |out: &mut dyn std::io::Write| {
        write_session(&store, id, args.format, options, &context, out)
    };
    let scopes = store.registers().disclosure_scopes(&[id])?;
    let record = |recipient: &Path| {
        store.registers().record_disclosures(&export_disclosures(
            args.format,
            &recipient.display().to_string(),
            scopes.clone(),
            wall_now(),
        ))
    };
    match args.out.as_deref() {
        Some(path) if path == Path::new("-") => {
            record(Path::new(STANDARD_OUTPUT))?;
            write(&mut std::io::stdout().lock())?;
        }
        Some(path) => write_disclosed(path, journal.data_dir(), record, write)?,
        None => {
            let path = exports_dir(journal.data_dir()).join(session_file_name(
                id,
                session.started_at,
                args.format,
            ));
            write_disclosed(&path, journal.data_dir(), record, write)?;
            say!("{}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What heads a summary or fills a REMS form as the window makes them: the clinician `named`, else
/// the one set in Settings; the clinic's thresholds, zone, name, REMS contact, dates and clock.
pub(super) fn summary_context(
    store: &crate::store::Store,
    named: Option<&str>,
) -> anyhow::Result<SummaryContext> {
    let clinician = match named {
        Some(named) => Some(named.to_owned()),
        None => store.clinician()?.map(|clinician| clinician.signed_as()),
    };
    Ok(SummaryContext::local(
        clinician,
        store.clinic_settings()?.thresholds,
        store.clinic_zone()?,
    )
    .with_clinic(store.clinic_name()?.map(String::from))
    .with_contact(store.registers().rems_contact()?)
    // The clinic's style, as opening the journal set it for this command.
    .with_style(crate::format::date_style()))
}

/// Progress on stderr: a line that updates in a terminal, a line per tenth otherwise.
fn progress_printer(total: usize) -> impl FnMut(usize, usize) -> ControlFlow<()> {
    let terminal = std::io::stderr().is_terminal();
    let mut last_tenth = 0;
    move |done, _| {
        let mut stderr = std::io::stderr();
        // Progress is best effort: a closed stderr must not stop the export.
        if terminal {
            if done % 100 == 0 || done == total {
                let _ = write!(stderr, "\rExporting sessions: {done}/{total}");
                if done == total {
                    let _ = writeln!(stderr);
                }
            }
        } else if total > 0 && done * 10 / total > last_tenth {
            last_tenth = done * 10 / total;
            let _ = writeln!(stderr, "Exported {done} of {total} sessions");
        }
        ControlFlow::Continue(())
    }
}
