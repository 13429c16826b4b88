//! Prints the archive's JSON Schema (what `docs/archive.schema.json` holds):
//! `cargo run --example archive_schema > docs/archive.schema.json`.

fn main() {
    print!("{}", kap_journal::export::archive_schema_json());
}
