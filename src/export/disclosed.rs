//! What an export discloses, as the accounting of disclosures records it.

use chrono::{DateTime, Utc};

use super::ExportFormat;
use crate::domain::{DisclosureKind, DisclosureScope, NewDisclosure};

/// The recipient named for an export written to standard output (a pipe, a terminal).
pub const STANDARD_OUTPUT: &str = "standard output";

/// A print of `form` (a summary, a REMS form, a consent) to `recipient` (a printer, the viewer) of
/// what `scope` names.
pub fn print_disclosure(
    form: &str,
    recipient: &str,
    scope: DisclosureScope,
    at: DateTime<Utc>,
) -> NewDisclosure {
    NewDisclosure {
        at,
        kind: DisclosureKind::Print,
        form: form.to_owned(),
        recipient: recipient.to_owned(),
        scope,
    }
}

/// An export in `format` to `recipient` (a file's full path, or [`STANDARD_OUTPUT`]) of what
/// `scopes` name (one per client: see `Registers::disclosure_scopes`).
pub fn export_disclosures(
    format: ExportFormat,
    recipient: &str,
    scopes: Vec<DisclosureScope>,
    at: DateTime<Utc>,
) -> Vec<NewDisclosure> {
    scopes
        .into_iter()
        .map(|scope| NewDisclosure {
            at,
            kind: DisclosureKind::Export,
            form: format.label().to_owned(),
            recipient: recipient.to_owned(),
            scope,
        })
        .collect()
}
