//! The egui views. They call the engine and the store; they hold no SQL.

mod alerts;
mod app;
mod awaiting;
mod background;
mod backup_folder_chooser;
mod backups;
mod client;
mod commands;
mod home;
mod live;
mod live_share;
mod lots;
mod practice;
mod practice_sync;
mod prefs;
mod printing;
mod save_dialog;
mod saved_form;
mod session;
mod session_table;
mod settings;
mod start;
mod status;
mod suicide_risk_panel;
mod theme;
mod timeline;
#[cfg(target_os = "linux")]
mod tone_wav;
mod unlock;
mod view;
mod widgets;
mod window;

use crate::format;

pub use alerts::Tone;
pub use app::{KapJournalApp, Opening, top_bar_places};
pub use background::{JobHold, hold_jobs};
pub use commands::UiCommand;
pub use printing::use_printer;
pub use save_dialog::disable_file_dialogs;
pub use window::run_window;
