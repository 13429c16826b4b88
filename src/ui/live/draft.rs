//! Keeps the half-typed note in the database, at most half a second behind the keyboard, and says
//! honestly whether it is saved.

use std::time::Duration;

use chrono::{DateTime, Utc};
use egui::RichText;

use super::super::{format, theme};
use crate::domain::SessionId;
use crate::store::Store;

/// The shortest time between two draft writes; a fast typist costs two small commits a second.
const MIN_INTERVAL: Duration = Duration::from_millis(500);

/// What the database holds of the draft, and when it was last written.
pub struct DraftKeeper {
    saved: String,
    saved_at: Option<DateTime<Utc>>,
    last_attempt: Option<Duration>,
    error: Option<String>,
}

impl DraftKeeper {
    /// `saved` is the draft as found in the database.
    pub fn new(saved: &str) -> Self {
        Self {
            saved: saved.to_owned(),
            saved_at: None,
            last_attempt: None,
            error: None,
        }
    }

    /// Saves `text` if it changed and the last write is long enough ago. Returns how long to wait
    /// before calling again while unsaved text remains.
    pub fn keep(
        &mut self,
        store: &mut Store,
        session: SessionId,
        text: &str,
        now: Duration,
        wall: DateTime<Utc>,
    ) -> Option<Duration> {
        if text == self.saved {
            return None;
        }
        if let Some(last) = self.last_attempt {
            let since = now.saturating_sub(last);
            if since < MIN_INTERVAL {
                return Some(MIN_INTERVAL.saturating_sub(since));
            }
        }
        self.last_attempt = Some(now);
        self.force(store, session, text, wall);
        (text != self.saved).then_some(MIN_INTERVAL)
    }

    /// Writes the draft now, whatever the interval.
    pub fn force(
        &mut self,
        store: &mut Store,
        session: SessionId,
        text: &str,
        wall: DateTime<Utc>,
    ) {
        match store.save_draft(session, text, wall) {
            Ok(()) => {
                text.clone_into(&mut self.saved);
                self.saved_at = Some(wall);
                self.error = None;
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// The composer was cleared because its entry was committed.
    pub fn committed(&mut self) {
        self.last_attempt = None;
    }

    /// The save status for the header: green when everything typed is in the database.
    pub fn status_text(&self, text: &str) -> RichText {
        if let Some(error) = &self.error {
            return RichText::new(format!("Draft NOT saved: {error}"))
                .color(theme::WARNING)
                .strong();
        }
        if text != self.saved {
            return RichText::new("Saving draft…").color(theme::MUTED);
        }
        match (text.is_empty(), self.saved_at) {
            (false, Some(at)) => {
                RichText::new(format!("Draft saved {}", format::clock_time(at))).color(theme::SAVED)
            }
            (false, None) => RichText::new("Draft saved").color(theme::SAVED),
            (true, _) => RichText::new("All entries saved").color(theme::SAVED),
        }
    }
}
