//! The journal's files: the data folder and its lock, the key file and the passphrase, opening
//! (and its checks), the commit anchor and its witness, backups and restoring, and where outputs
//! may land. Above the record: opening and backups check it.

pub(in crate::store) mod anchor;
pub(in crate::store) mod backup;
pub(in crate::store) mod backup_folder;
pub(in crate::store) mod backup_key;
pub(in crate::store) mod backup_rotation;
pub(in crate::store) mod changed_since;
pub(in crate::store) mod connection;
pub(in crate::store) mod data_dir;
pub(in crate::store) mod data_folder;
pub(in crate::store) mod detached;
pub(in crate::store) mod encrypt_legacy;
pub(in crate::store) mod first_run;
pub(in crate::store) mod integrity;
pub(in crate::store) mod key_file;
pub(in crate::store) mod missing_changes;
pub(in crate::store) mod open;
pub(in crate::store) mod output_guard;
pub(in crate::store) mod passphrase;
pub(in crate::store) mod plain_file;
pub(in crate::store) mod read_only_media;
pub(in crate::store) mod unfinished_output;
pub(in crate::store) mod witness;
pub(in crate::store) mod writer_lock;
