//! The archive's JSON Schema, generated from the very types `export` writes and `import` reads
//! (schemars follows their serde attributes), so the published contract cannot drift from the code.
//! `docs/archive.schema.json` is this schema; a test fails when the two differ.

use schemars::JsonSchema;

use super::archive::{ArchivedSession, FORMAT_VERSION};

/// A whole archive as a schema sees it. The writer streams it line by line (see
/// [`super::archive`]); this type only describes that document.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Archive {
    /// The version of the archive layout; an importer refuses any other.
    #[schemars(range(min = 1, max = 1))]
    format_version: u32,
    /// The journal it came from was made for synthetic data: an import into a journal holding real
    /// records is refused.
    #[serde(default)]
    synthetic: bool,
    /// Every session, each with its client, timeline and paperwork.
    sessions: Vec<ArchivedSession>,
}

/// Where the schema is published.
pub const ARCHIVE_SCHEMA_ID: &str = "https://kap-journal.example/schemas/archive-v1.schema.json";

/// The archive's JSON Schema (draft 2020-12) as pretty JSON text, ending in a new line.
pub fn archive_schema_json() -> String {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Archive>();
    schema.insert("$id".to_owned(), ARCHIVE_SCHEMA_ID.into());
    schema.insert(
        "title".to_owned(),
        format!("KAP Journal archive, format version {FORMAT_VERSION}").into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
