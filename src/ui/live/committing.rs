//! Turning what the clinician submitted into committed entries: the composer's entry, a soft stop
//! gone past, the end of the session. Every path ends in one commit, and a failure keeps the words
//! on screen.

use super::soft_stop::{self, Held, Pending};
use super::{Intent, LiveView};
use crate::live::LiveCommand;
use crate::store::Store;
use crate::ui::app::Nav;

impl LiveView {
    pub(super) fn submit(&mut self, store: &mut Store) -> Nav {
        self.error = None;
        if let Some(pending) = self.pending.take() {
            return self.go_ahead(store, pending);
        }
        match self.composer.intent() {
            Err(error) => self.error = Some(error.to_string()),
            Ok(Intent::Log(command)) => self.log(store, command, true),
            Ok(Intent::End(note, discharge)) => {
                let warnings = self
                    .live
                    .soft_stops(crate::domain::Guarded::End(&discharge));
                if warnings.is_empty() {
                    return self.end(store, &note, discharge);
                }
                self.pending = Some(Pending {
                    warnings,
                    action: Held::End { note, discharge },
                });
            }
        }
        Nav::Stay
    }

    /// Carries out what a soft stop held, with an entry for each sentence the clinician went past.
    pub(super) fn go_ahead(&mut self, store: &mut Store, pending: Pending) -> Nav {
        let warnings = pending.warnings;
        match pending.action {
            Held::Log {
                command,
                from_composer,
            } => {
                let then = Some(Box::new(command));
                self.commit(
                    store,
                    LiveCommand::GoAhead { warnings, then },
                    from_composer,
                );
            }
            Held::End { note, discharge } => {
                let acknowledged = LiveCommand::GoAhead {
                    warnings,
                    then: None,
                };
                if self.commit(store, acknowledged, false) {
                    return self.end(store, &note, discharge);
                }
            }
        }
        Nav::Stay
    }

    fn end(&mut self, store: &mut Store, note: &str, discharge: crate::domain::Discharge) -> Nav {
        match self.live.end(store, note, Some(discharge)) {
            Ok(()) => {
                self.composer.reset();
                self.draft.committed();
                Nav::OpenSession(self.live.session().id, None)
            }
            Err(error) => {
                self.error = Some(error.to_string());
                Nav::Stay
            }
        }
    }

    /// Commits a command, unless a soft stop holds it until the clinician goes ahead.
    pub(super) fn log(&mut self, store: &mut Store, command: LiveCommand, from_composer: bool) {
        if let Some(action) = soft_stop::guarded(&command) {
            let warnings = self.live.soft_stops(action);
            if !warnings.is_empty() {
                self.pending = Some(Pending {
                    warnings,
                    action: Held::Log {
                        command,
                        from_composer,
                    },
                });
                return;
            }
        }
        self.commit(store, command, from_composer);
    }

    /// Commits a command; true when it landed. On success a composer entry is cleared; on failure
    /// its text stays on screen.
    pub(super) fn commit(
        &mut self,
        store: &mut Store,
        command: LiveCommand,
        from_composer: bool,
    ) -> bool {
        match self.live.log(store, command) {
            Ok(_) => {
                self.resumed_notice = None;
                if from_composer {
                    self.composer.reset();
                    self.draft.committed();
                    // The draft row is cleared at once, so a restart does not offer a committed note again.
                    self.draft
                        .force(store, self.live.session().id, "", self.wall());
                }
                true
            }
            Err(error) => {
                self.error = Some(error.to_string());
                false
            }
        }
    }
}
