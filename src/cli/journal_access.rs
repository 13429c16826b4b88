//! How a command reaches the journal: the data folder and the passphrase, from the environment or a
//! file, never from the command line itself (where other users could read it in the process list).

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::store::{Passphrase, Store};

/// The environment variable a script gives the passphrase in.
pub const PASSPHRASE_ENV: &str = "KAP_JOURNAL_PASSPHRASE";

/// The data folder and where its passphrase comes from.
#[derive(Debug)]
pub struct JournalAccess {
    pub data_dir: PathBuf,
    pub passphrase_file: Option<PathBuf>,
}

impl JournalAccess {
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The passphrase from `--passphrase-file` (its first line), else from `KAP_JOURNAL_PASSPHRASE`.
    pub fn passphrase(&self) -> anyhow::Result<Passphrase> {
        if let Some(file) = &self.passphrase_file {
            // The whole file is wiped when dropped; only its first line is the passphrase.
            let text =
                zeroize::Zeroizing::new(std::fs::read_to_string(file).with_context(|| {
                    format!("The passphrase file {} cannot be read.", file.display())
                })?);
            let first_line = text.lines().next().unwrap_or_default().to_owned();
            return Ok(Passphrase::new(first_line));
        }
        match std::env::var(PASSPHRASE_ENV) {
            Ok(text) if !text.is_empty() => Ok(Passphrase::new(text)),
            _ => anyhow::bail!(
                "The journal is encrypted: give its passphrase in {PASSPHRASE_ENV} or with --passphrase-file FILE."
            ),
        }
    }

    /// Opens the journal as its only writer (choosing the passphrase if the journal is new).
    pub fn open(&self) -> anyhow::Result<Store> {
        Ok(Store::open(&self.data_dir, &self.passphrase()?)?)
    }

    /// Opens the journal to read, beside a running window if there is one.
    pub fn open_for_reading(&self) -> anyhow::Result<Store> {
        Ok(Store::open_for_reading(
            &self.data_dir,
            &self.passphrase()?,
        )?)
    }
}
