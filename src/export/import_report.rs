//! What an import did, as the report the command line prints and the window shows.

use std::fmt;

use crate::format::count;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub sessions: usize,
    pub events: usize,
    pub clients_added: usize,
    /// Sessions the journal already had, left as they were.
    pub skipped: usize,
    /// Clients the journal already had with another name or weight; the journal's record was kept.
    pub clients_kept: Vec<String>,
    /// Entries of unsigned sessions set right: a "sit with it" (or a lowering) decided past a soft
    /// stop, recorded one place off by a journal from before schema 16.
    pub links_repaired: usize,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Imported {} ({}); {}.",
            count(self.sessions, "session", "sessions"),
            count(self.events, "entry", "entries"),
            count(self.clients_added, "new client", "new clients"),
        )?;
        if self.skipped > 0 {
            write!(
                f,
                " {} already in the journal {} left as {}.",
                count(self.skipped, "session", "sessions"),
                if self.skipped == 1 { "was" } else { "were" },
                if self.skipped == 1 {
                    "it was"
                } else {
                    "they were"
                },
            )?;
        }
        if !self.clients_kept.is_empty() {
            write!(
                f,
                " The journal's name and weight were kept for {}.",
                self.clients_kept.join(", ")
            )?;
        }
        if self.links_repaired > 0 {
            write!(
                f,
                " {} decided past a safety question now {} to {} decision point, as the journal records it since December 2026.",
                count(self.links_repaired, "entry", "entries"),
                if self.links_repaired == 1 {
                    "points"
                } else {
                    "point"
                },
                if self.links_repaired == 1 {
                    "its"
                } else {
                    "their"
                },
            )?;
        }
        Ok(())
    }
}
