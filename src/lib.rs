//! KAP Journal: a local-first session journal for clinicians who give ketamine treatment.
//!
//! Data flows one way: [`ui`] → [`live`] (the session engine) → [`worker`] (the one writer, carrying
//! out the [`changes`]) → [`store`] (SQLite). [`domain`] holds the pure types and rules every layer shares.

pub mod changes;
pub mod cli;
pub mod crash_report;
pub mod demo;
pub mod domain;
pub mod export;
pub mod format;
pub mod live;
pub mod palette;
pub mod practice;
pub mod print;
pub mod review;
pub mod store;
pub mod system_clock;
pub mod ui;
pub mod worker;

#[cfg(test)]
mod layout_tests;
