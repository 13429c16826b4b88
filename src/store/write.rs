//! The one doorway every change to the journal goes through. It owns what each write needs and
//! none may forget: the writer check (a reader or a damaged journal is refused, and so is a
//! writer whose last commit could not be anchored), one transaction committed whole or not at all,
//! and the anchor of the newest audit entry written after the commit. Table code is functions over
//! the transaction it is given; the audit row itself is written by the tables' triggers.
//!
//! What is not the record (a draft saved as it is typed, the search index merged) goes through
//! [`Store::write_unrecorded`]: the same writer check and transaction, no anchor to move. The
//! other ways in are the opening's migrations (before anyone writes) and an import's batch
//! (`begin_import`), one transaction spanning many calls, which anchors its commit the same way.

use rusqlite::Transaction;

use super::{Store, StoreError};

impl Store {
    /// Runs `change` in one transaction as the journal's writer, commits it, and anchors the commit.
    /// An error from `change` rolls everything back and leaves the anchor as it was. (A shared
    /// borrow, so a write can follow a read of the same store, such as an export's disclosure; a
    /// transaction begun inside another is refused by SQLite.)
    pub(super) fn write<T>(
        &self,
        change: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let value = self.in_one_transaction(change)?;
        self.anchor_commit();
        Ok(value)
    }

    /// Runs `change`, which writes nothing of the record (no audited table), in one transaction as
    /// the journal's writer: a draft saved as it is typed, the search index merged.
    pub(super) fn write_unrecorded<T>(
        &self,
        change: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.in_one_transaction(change)
    }

    /// `change` in one transaction as the writer: committed whole, or rolled back on an error.
    fn in_one_transaction<T>(
        &self,
        change: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.require_writer()?;
        let tx = self.conn.unchecked_transaction()?;
        let value = change(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    /// Where a transaction may begin or an anchor be written outside the doorway, and why.
    const OTHER_WAYS_IN: [(&str, &str); 6] = [
        ("schema.rs", "the migrations, as the journal opens"),
        ("import.rs", "an import's batch, anchored as it commits"),
        ("mod.rs", "read_consistent's read-only snapshot"),
        ("files/open.rs", "the anchor of what opening found"),
        (
            "files/anchor.rs",
            "require_anchor trying the anchor once more",
        ),
        (
            "files/passphrase.rs",
            "the key file rewrapped: nothing in the database changes",
        ),
    ];

    #[test]
    fn every_write_goes_through_the_doorway() {
        let mut strays = Vec::new();
        let store = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
        for path in crate::layout_tests::rust_files_under("src/store") {
            // By its path under src/store: a folder's own mod.rs is not the store's.
            let name = path
                .strip_prefix(&store)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // A module's tests (`x/tests.rs`) may set up what they need by hand.
            if name == "write.rs"
                || name.ends_with("tests.rs")
                || OTHER_WAYS_IN.iter().any(|(file, _)| *file == name)
            {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            // Tests may set up what they need by hand.
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            for (number, line) in code.lines().enumerate() {
                if ["transaction()", "anchor_commit()", "require_writer()"]
                    .iter()
                    .any(|call| line.contains(call))
                    && !line.trim_start().starts_with("//")
                {
                    strays.push(format!("{name}:{}: {}", number + 1, line.trim()));
                }
            }
        }
        assert!(
            strays.is_empty(),
            "writes that go round Store::write (its writer check, transaction and anchor): {strays:#?}"
        );
    }
}
