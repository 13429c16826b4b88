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
            return read_passphrase_file(file);
        }
        match std::env::var(PASSPHRASE_ENV) {
            Ok(text) if !text.is_empty() => Ok(Passphrase::new(text)),
            _ => anyhow::bail!(
                "The journal is encrypted: give its passphrase in {PASSPHRASE_ENV} or with --passphrase-file FILE."
            ),
        }
    }

    /// Opens the journal as its only writer (choosing the passphrase if the journal is new), after
    /// the window's start-up check: nothing is written into a damaged journal.
    pub fn open(&self) -> anyhow::Result<Store> {
        Ok(clinic_habits(Store::open_checked(
            &self.data_dir,
            &self.passphrase()?,
        )?))
    }

    /// Opens the journal to read, beside a running window if there is one.
    pub fn open_for_reading(&self) -> anyhow::Result<Store> {
        Ok(clinic_habits(Store::open_for_reading(
            &self.data_dir,
            &self.passphrase()?,
        )?))
    }
}

/// From here on the command writes times of day in the clinic's zone and dates and times in its
/// style, as the window does.
fn clinic_habits(store: Store) -> Store {
    crate::format::show_times_in(store.clinic_zone().ok());
    crate::format::write_dates_as(crate::system_clock::style(
        store.date_time_settings().unwrap_or_default(),
    ));
    store
}

/// The most of a passphrase file that is read: a passphrase is one short line, and a file that is
/// endless (`/dev/zero`) or huge must not be read to its end.
const PASSPHRASE_FILE_LIMIT: u64 = 4096;

/// The first line of `file`, read from at most its first [`PASSPHRASE_FILE_LIMIT`] bytes, and only
/// from a plain file; what was read is wiped when dropped.
fn read_passphrase_file(file: &Path) -> anyhow::Result<Passphrase> {
    use std::io::Read as _;
    let unreadable = || format!("The passphrase file {} cannot be read.", file.display());
    let (opened, _) = match crate::store::open_plain_file(file, u64::MAX) {
        Err(crate::store::PlainFileError::NotPlain { .. }) => anyhow::bail!(
            "The passphrase file {} is not a plain file; give a file whose first line is the passphrase.",
            file.display()
        ),
        other => other.with_context(unreadable)?,
    };
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    opened
        .take(PASSPHRASE_FILE_LIMIT)
        .read_to_end(&mut bytes)
        .with_context(unreadable)?;
    // A byte-order mark is how some editors say "UTF-8"; it is not part of the passphrase.
    let text_bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first_line = text_bytes
        .split(|byte| *byte == b'\n')
        .next()
        .unwrap_or_default();
    let first_line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
    let text = std::str::from_utf8(first_line)
        .map_err(|_| anyhow::anyhow!("The passphrase file {} is not text.", file.display()))?;
    if first_line.len() == text_bytes.len() && bytes.len() as u64 == PASSPHRASE_FILE_LIMIT {
        anyhow::bail!(
            "The passphrase file {} has no line break in its first {PASSPHRASE_FILE_LIMIT} bytes; its first line must be the passphrase.",
            file.display()
        );
    }
    Ok(Passphrase::new(text.to_owned()))
}
