//! Exports of sessions (Markdown, CSV, the lossless JSON archive) and the import of archives.
//!
//! Every format reads a [`SessionRecord`]; none touches SQL or egui. Content marked private (the
//! psychotherapy note) is left out of every export unless [`ExportOptions::include_private`] is set on
//! purpose.

mod archive;
mod archive_schema;
mod archive_times;
mod csv;
mod destination;
mod disclosed;
mod error;
mod fhir;
mod format;
mod import;
mod import_report;
mod import_wording;
mod markdown;
mod pdf;
mod record;
mod session_budget;
mod substance_log_csv;
mod summary;
mod summary_context;
mod summary_facts;
mod summary_lines;
mod validate;

pub use archive::{
    ArchivedClient, ArchivedCoSession, ArchivedEvent, ArchivedFollowUp, ArchivedSession,
    FORMAT_VERSION, write_archive,
};
pub use archive_schema::{ARCHIVE_SCHEMA_ID, archive_schema_json};
pub use destination::{exports_dir, session_file_name, write_atomically, write_disclosed};
pub use disclosed::{STANDARD_OUTPUT, export_disclosures, print_disclosure};
pub use error::{ExportError, ImportError};
pub use fhir::{JOURNAL_CODES, JOURNAL_SYSTEM, KNOWN_SYSTEMS, write_bundle};
pub use format::ExportFormat;
pub use import::{
    ImportReport, MAX_IMPORT_BYTES, OnExisting, import_archive, import_file,
    refuse_unreadable_source, write_archived_session,
};
pub use pdf::{CONSENT_FORM, ConsentDocument, render_consent};
pub use record::{RemsFacts, SessionRecord};
pub use session_budget::MAX_SESSION_BYTES;
pub use substance_log_csv::{SUBSTANCE_LOG_COLUMNS, write_substance_log};
pub use summary::Summary;
pub use summary_context::SummaryContext;
pub use validate::MAX_TEXT_BYTES;
pub use validate::check_session;

/// Writes one session in `format`; summaries are presented as `context` says.
pub fn write_session(
    store: &crate::store::Store,
    id: crate::domain::SessionId,
    format: ExportFormat,
    options: ExportOptions,
    context: &SummaryContext,
    out: impl std::io::Write,
) -> Result<(), ExportError> {
    write_record(
        &SessionRecord::load(store, id, options)?,
        format,
        context,
        out,
    )
}

/// Writes a session already read (the window has it on screen) in `format`.
pub fn write_record(
    record: &SessionRecord,
    format: ExportFormat,
    context: &SummaryContext,
    mut out: impl std::io::Write,
) -> Result<(), ExportError> {
    match format {
        ExportFormat::Pdf => {
            out.write_all(&pdf::render(record, &Summary::of(record, context))?)?;
            out.flush()?;
            Ok(())
        }
        ExportFormat::Markdown => {
            out.write_all(markdown_summary(record, context).as_bytes())?;
            out.flush()?;
            Ok(())
        }
        ExportFormat::Csv => csv::write(record, out),
        ExportFormat::Json => archive::write_record_archive(record, out),
        ExportFormat::Fhir => fhir::write_record_bundle(record, out),
        ExportFormat::Rems => {
            let form = crate::domain::RemsForm::of(
                &record.session,
                &record.events,
                record.weight_kg(),
                &context.thresholds,
                crate::domain::RemsContext {
                    setting: context.clinic.clone(),
                    contact: context.contact.clone(),
                    patient: record.rems.as_ref().and_then(|rems| rems.patient.clone()),
                    first_treatment: record.rems.as_ref().map(|rems| rems.first_treatment),
                    signed_by: record
                        .signature
                        .as_ref()
                        .map(|signature| signature.clinician.signed_as()),
                    zone: context.zone,
                },
            )
            .map_err(ExportError::Rems)?;
            out.write_all(&pdf::render_rems(record, &form, context.style)?)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// The Markdown summary of a session (also what "Copy summary" puts on the clipboard).
pub fn markdown_summary(record: &SessionRecord, context: &SummaryContext) -> String {
    markdown::render(&Summary::of(record, context))
}

/// What an export may contain beyond the clinical record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Include content marked private (the separate psychotherapy note). Off unless the user asks.
    pub include_private: bool,
}
