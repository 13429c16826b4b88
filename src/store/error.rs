use std::path::PathBuf;

use thiserror::Error;

use crate::domain::{ClientError, SessionError, SettingsError, SignatureError};

/// Why the journal could not be opened, read or written. Messages are plain sentences and never
/// contain client names or note text.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("The data folder {} cannot be written ({source}); choose another folder with --data-dir.", path.display())]
    NotWritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Another KAP Journal is already using the data folder {}; close it first or choose another folder with --data-dir.", path.display())]
    HeldByAnotherInstance { path: PathBuf },
    #[error("There is no journal in {} yet; run kap-journal once to create it.", path.display())]
    NoJournal { path: PathBuf },
    #[error(
        "This SQLite is version {found}; KAP Journal needs {needed} or newer to keep the journal safe."
    )]
    SqliteTooOld { found: String, needed: String },
    #[error(
        "This journal was written by a newer KAP Journal (schema {found}, this one knows up to {supported}); update the app."
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("This journal is open read-only here because another KAP Journal is writing to it.")]
    ReadOnly,
    #[error("That passphrase does not unlock this journal.")]
    WrongPassphrase,
    #[error("A passphrase needs at least {min} characters.")]
    PassphraseTooShort { min: usize },
    #[error("The journal in {} is encrypted but its key file journal.key is missing; copy it back from where you keep your backups.", path.display())]
    KeyMissing { path: PathBuf },
    #[error(
        "The key file journal.key cannot be used ({0}); copy it back from where you keep your backups."
    )]
    KeyFileDamaged(&'static str),
    #[error(
        "The journal cannot be read with this key: journal.key belongs to another journal or journal.db is damaged; run kap-journal check."
    )]
    KeyMismatch,
    #[error("This journal already has a passphrase; unlock it instead.")]
    AlreadyEncrypted,
    #[error(
        "The encrypted copy of the journal did not match the original, so the original was kept unchanged."
    )]
    EncryptionNotVerified,
    #[error("This computer gave no random numbers for a new key; try again.")]
    NoRandomness,
    #[error(
        "The journal failed its start-up check, so it is open to be read but not changed; run kap-journal check."
    )]
    OpenedDamaged,
    #[error(
        "The journal failed its start-up check, so nothing was written to it; run kap-journal check to see why."
    )]
    DamagedNotWritten,
    #[error(
        "The journal was made by an older KAP Journal and is brought up to date only when it is opened to write (in the window, or by a command that writes), so nothing was read or changed."
    )]
    OlderSchema,
    #[error(
        "The journal is not encrypted yet and a command that only reads leaves it as it is; open it in the window to choose its passphrase."
    )]
    NotYetEncrypted,
    #[error(
        "The journal's write-ahead log cannot be read where it is (a read-only disk without its index file); copy the data folder to a writable disk and read it there."
    )]
    UnreadableLog,
    #[error("The journal has no {0} with that id.")]
    NotFound(&'static str),
    #[error("The journal holds {0} that cannot be read; run kap-journal check.")]
    Damaged(&'static str),
    #[error("This session is signed; its record no longer changes.")]
    Signed,
    /// A session copied from a colleague through the practice server: only its author changes it.
    #[error(
        "This session is a colleague's, copied from the practice; only its author can add to it."
    )]
    PracticeCopy,
    #[error(
        "That client or that practice client is already linked to another; a link is made once and kept."
    )]
    LinkedElsewhere,
    #[error(
        "A client of this journal has that code but is not linked to the practice's client: link them on the Practice screen first, then join."
    )]
    NotLinkedYet,
    #[error(transparent)]
    CoSign(#[from] crate::store::CoSignError),
    #[error(
        "A signature of the session logged together does not verify over its timeline: it was changed after it was signed, or the signature was not made by the key it names."
    )]
    CoSignatureBroken,
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error(transparent)]
    FollowUp(#[from] crate::domain::FollowUpError),
    #[error(transparent)]
    Consent(#[from] crate::domain::ConsentError),
    #[error(transparent)]
    ClinicName(#[from] crate::domain::ClinicNameError),
    #[error(transparent)]
    SubstanceLog(#[from] crate::domain::SubstanceLogError),
    #[error(transparent)]
    RemsPatient(#[from] crate::domain::RemsPatientError),
    #[error(transparent)]
    RemsContact(#[from] crate::domain::RemsContactError),
    #[error("Only an ended intranasal esketamine session has a REMS form to submit.")]
    RemsNotDue,
    #[error(
        "There is no session {0} in this journal; `kap-journal rems` lists the forms still to submit."
    )]
    NoSuchSession(i64),
    #[error(
        "The journal's files could not be opened or made (no permission to write in the data folder, a read-only disk, or no room for a new file), so nothing was changed; check the folder's permissions and free space, or choose another with --data-dir."
    )]
    FilesNotWritable(rusqlite::Error),
    #[error(
        "Nothing was disclosed: the client's accounting of disclosures cannot be written in {} ({source}), and nothing leaves the journal unrecorded.", path.display()
    )]
    DisclosureNotRecorded {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("This session's REMS form is already marked submitted.")]
    RemsAlreadySubmitted,
    #[error("This session's REMS form is not marked submitted, so there is no mark to withdraw.")]
    RemsNotSubmitted,
    #[error(
        "Say why the mark is withdrawn (e.g. \"marked in error\"), in at most 500 characters of visible text."
    )]
    RemsWithdrawalReason,
    #[error(
        "A signed session in the archive no longer matches its signature (it was changed after signing), so nothing was imported."
    )]
    SignatureMismatch,
    #[error(
        "A signed session in the archive carries a signature that does not verify (not made by the key it names, or its signer, time or weight changed), so nothing was imported."
    )]
    SignatureForged,
    #[error(
        "That file carries no key of its own (a backup from before backups carried their key, or not a whole backup), so it restores only beside the journal.key of its journal; copy that file into the data folder first."
    )]
    BackupWithoutKey,
    #[error("Backups cannot go to {} because {why}; choose another folder.", path.display())]
    BackupFolderUnusable { path: PathBuf, why: &'static str },
    #[error("There is no backup at {}.", path.display())]
    NoBackup { path: PathBuf },
    #[error("{} belongs to another account, so the journal did not open or change it; choose a folder of your own with --data-dir.", path.display())]
    DataDirNotYours { path: PathBuf },
    #[error("{} can be written by every account on this computer, so the journal did not open or change it; choose a folder of your own with --data-dir.", path.display())]
    DataDirOpenToAll { path: PathBuf },
    #[error("{} is a file, not a folder, so there is no journal in it; give the folder that holds journal.db with --data-dir.", path.display())]
    DataDirNotAFolder { path: PathBuf },
    #[error("The data folder {} cannot be read ({source}), so the journal in it was not opened; check the folder's permissions or choose another with --data-dir.", path.display())]
    DataDirUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} cannot be written, so the journal could not record what it committed last and takes no more changes until it can; make sure that name is a plain file in a folder you can write (move away anything else there), then try again.",
        path.display()
    )]
    AnchorUnwritable { path: PathBuf },
    /// A file named to be read (a backup) that is not a plain file, too large or unreadable.
    #[error(transparent)]
    NamedFile(#[from] super::PlainFileError),
    #[error(
        "That backup failed its check (damaged or changed), so nothing was restored; try an older backup."
    )]
    BackupDamaged,
    #[error("The backup failed its check, so it was not kept; run kap-journal check.")]
    BackupNotVerified,
    #[error(
        "That file does not open with this journal's key: it is a backup of another journal or no backup at all, so nothing was restored."
    )]
    BackupKeyMismatch,
    #[error(
        "That file is not a whole backup of a KAP journal (it is empty, cut short or something else), so nothing was restored."
    )]
    NotABackup,
    #[error(
        "journal.key is here but journal.db is missing or empty: the journal was lost or emptied, so nothing was opened or created; restore a backup (the window offers the newest good one)."
    )]
    JournalEmptied,
    #[error(
        "This journal holds records, so no synthetic data was written: synthetic data only goes into a new journal (choose an empty folder with --data-dir)."
    )]
    RealRecords,
    #[error("{} is inside a journal's data or backups folder, where only the journal writes, so nothing was written; choose another folder (an export goes to the exports folder unless told otherwise).", path.display())]
    JournalOwnFile { path: std::path::PathBuf },
    #[error("{} is not a plain file (a folder, a device or a pipe), so nothing was written; choose a file name.", path.display())]
    NotAPlainFile { path: std::path::PathBuf },
    #[error(
        "journal.db is damaged where it must be read to open; restore a backup (the window offers the newest good one) or run kap-journal check."
    )]
    Corrupt,
    /// A session has as many entries as one session keeps (`domain::MAX_SESSION_ENTRIES`).
    #[error(
        "This session holds {} entries, the most one session keeps, so this was not saved; it stays on screen. End the session and start another for the same client to go on.", crate::format::thousands(*most)
    )]
    SessionFull { most: usize },
    /// A session to be copied in holds more entries than one session keeps.
    #[error(
        "A session with more than {} entries, the most one session keeps, was refused, so nothing was written.", crate::format::thousands(*most)
    )]
    SessionTooLong { most: usize },
    #[error(
        "The disk is full, so this was not saved; it stays on screen and is saved when you try again after freeing space."
    )]
    DiskFull,
    #[error(
        "The disk could not be written, so this was not saved; it stays on screen and is saved when you try again."
    )]
    WriteFailed,
    /// The journal worker's thread ended (it panicked) before it carried out a write.
    #[error(
        "The journal stopped writing before this was saved, so it was not saved; it stays on screen."
    )]
    WriterStopped,
    /// A thread doing work beside the window (unlocking, searching) ended before it was done.
    #[error("This could not be finished, as the work beside the window stopped; try again.")]
    BackgroundStopped,
    #[error("The audit log is append-only; its entries are never changed or removed.")]
    AuditAppendOnly,
    #[error(
        "Another program is holding the journal for longer than expected, so this was not done; try again in a moment."
    )]
    Busy,
    /// What SQLite said stays in the value for a developer's debugger; the sentence gives only its
    /// code, since SQLite's words (and the statement they may quote) mean nothing to a clinician.
    #[error(
        "The journal could not do this (SQLite code {}), so nothing was changed; run kap-journal check, and if it happens again, report the code.",
        sqlite_code(.0)
    )]
    Sqlite(rusqlite::Error),
}

/// SQLite's extended result code of `error`, or a word for errors that are not SQLite's own (a value
/// of an unexpected type, a statement that returned no row).
fn sqlite_code(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(failure, _) => failure.extended_code.to_string(),
        rusqlite::Error::SqlInputError { error, .. } => error.extended_code.to_string(),
        rusqlite::Error::QueryReturnedNoRows => "no row".to_owned(),
        rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::FromSqlConversionFailure(..) => {
            "value type".to_owned()
        }
        _ => "other".to_owned(),
    }
}

impl StoreError {
    /// Whether SQLite met a page it could not read (damaged, or failing its HMAC).
    pub fn is_corruption(&self) -> bool {
        matches!(self, Self::Corrupt)
    }
}

/// A damaged page, a full or failing disk, and the journal's own triggers (which refuse writes with a message
/// starting with a known word), become the sentences above instead of a database error.
impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(failure, _) = &error {
            match failure.code {
                rusqlite::ErrorCode::DiskFull => return Self::DiskFull,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase => {
                    return Self::Corrupt;
                }
                rusqlite::ErrorCode::SystemIoFailure => return Self::WriteFailed,
                // Permissions, a read-only folder or no free inodes: said as what it is, not as a
                // code to report.
                rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::PermissionDenied
                | rusqlite::ErrorCode::ReadOnly => return Self::FilesNotWritable(error),
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    return Self::Busy;
                }
                _ => {}
            }
        }
        if let rusqlite::Error::SqliteFailure(failure, Some(message)) = &error
            && failure.code == rusqlite::ErrorCode::ConstraintViolation
        {
            if message.starts_with("signed session:") {
                return Self::Signed;
            }
            if message.starts_with("append-only:") {
                return Self::AuditAppendOnly;
            }
            if message.starts_with("not signed:") {
                return Self::Signature(SignatureError::NotSigned);
            }
            if message.starts_with("not ended:") {
                return Self::Signature(SignatureError::NotEnded);
            }
        }
        Self::Sqlite(error)
    }
}
