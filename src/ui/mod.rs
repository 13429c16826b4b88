//! The egui views. They call the engine and the store; they hold no SQL.

mod app;
mod client_view;
mod commands;
mod dose_chart;
use crate::format;
mod home;
mod live;
mod prep_view;
mod search_panel;
mod session_table;
mod session_view;
mod start;
mod theme;
mod timeline;
mod widgets;

pub use app::{KapJournalApp, run_window};
pub use commands::UiCommand;
