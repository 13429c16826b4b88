//! The egui views. They call the engine and the store; they hold no SQL.

mod alerts;
mod app;
mod awaiting;
mod background;
mod backup_folder_chooser;
mod backups;
mod bulk_export;
mod client_view;
mod clinician_settings;
mod commands;
mod dose_chart;
mod export_panel;
mod home;
mod live;
mod lock_screen;
mod lots_view;
mod passphrase_change;
mod pre_session_form;
mod prefs;
mod prep_view;
mod rems_due;
mod restore;
mod restore_elsewhere;
mod save_dialog;
mod search_panel;
mod search_runner;
mod session_notes;
mod session_table;
mod session_view;
mod settings_view;
mod signing_panel;
mod start;
mod substance_form;
mod theme;
mod timeline;
mod unlock_view;
mod view;
mod widgets;
mod window;

use crate::format;

pub use alerts::Tone;
pub use app::{KapJournalApp, Opening};
pub use commands::UiCommand;
pub use save_dialog::disable_file_dialogs;
pub use window::run_window;
