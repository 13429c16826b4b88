//! `kap-journal print`: a session's summary or REMS form, or a client's consent, to the desktop's
//! print dialog, the default printer (`lp`) or the PDF viewer, as the window's Print buttons do;
//! recorded in the client's accounting of disclosures before it goes.

use std::process::ExitCode;

use anyhow::{Context as _, bail};

use crate::domain::{DisclosureScope, SessionId, wall_now};
use crate::export::{
    CONSENT_FORM, ConsentDocument, ExportFormat, ExportOptions, print_disclosure, render_consent,
    write_session,
};
use crate::print::{Printed, Printer, print};

/// Arguments of `kap-journal print`.
#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// The session to print (its number in `kap-journal sessions`): its summary, without the
    /// private note.
    #[arg(required_unless_present = "consent", conflicts_with = "consent")]
    session: Option<i64>,
    /// Print the session's esketamine REMS monitoring form instead of its summary.
    #[arg(long)]
    rems: bool,
    /// Print this client's newest consent with lines to sign (a form to fill in when none is
    /// recorded).
    #[arg(long, value_name = "CODE")]
    consent: Option<String>,
}

pub fn run(journal: &super::JournalAccess, args: &PrintArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let (pdf, what, form, title, scope) = if let Some(code) = &args.consent {
        let Some(client) = store.record().client_by_code(code.trim())? else {
            bail!(
                "No client has the code {}.",
                super::for_terminal(code.trim())
            );
        };
        let document = ConsentDocument::load(&store, client.id)?.context(
            "The clinic has no consent text to print; adopt one with `consent text --file F`.",
        )?;
        let scope = DisclosureScope::Client {
            client: client.id,
            sessions: Vec::new(),
        };
        let title = "KAP Journal consent".to_owned();
        (
            render_consent(&document)?,
            "consent",
            CONSENT_FORM,
            title,
            scope,
        )
    } else {
        let id = SessionId(args.session.unwrap_or_default());
        let (format, what) = if args.rems {
            (ExportFormat::Rems, "REMS form")
        } else {
            (ExportFormat::Pdf, "session summary")
        };
        let context = super::export::summary_context(&store, None)?;
        let mut pdf = Vec::new();
        // The default options leave the private psychotherapy note out.
        write_session(
            &store,
            id,
            format,
            ExportOptions::default(),
            &context,
            &mut pdf,
        )?;
        let mut scopes = store.registers().disclosure_scopes(&[id])?;
        let scope = scopes.pop().context("The session has no client.")?;
        let title = format!("KAP Journal session {id}");
        (pdf, what, format.label(), title, scope)
    };
    let system = Printer::system(journal.data_dir());
    let printed = print(&system, &pdf, &title, |recipient| {
        store.registers().record_disclosures(&[print_disclosure(
            form,
            recipient,
            scope.clone(),
            wall_now(),
        )])
    })?;
    match printed {
        Printed::Viewer { copy } => {
            // This process ends now and the viewer reads the copy after: it is left to the next
            // print's sweep (ten minutes on), in the private folder it was made in.
            let path = copy.keep();
            say!(
                "No printer could be reached directly, so the {what} was opened in the system's PDF \
                 viewer to print from there; its temporary copy {} is removed by the next print \
                 after ten minutes.",
                path.display()
            );
        }
        Printed::Cancelled => {
            say!("{}", printed.sentence(what));
            return Ok(ExitCode::from(1));
        }
        other => say!("{}", other.sentence(what)),
    }
    Ok(ExitCode::SUCCESS)
}
