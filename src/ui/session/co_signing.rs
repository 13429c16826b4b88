//! "Signed together" in the session view of a session logged with colleagues. When the view opens
//! in a journal of a practice, a job asks the server what it holds of the session's merged timeline
//! and signatures (the journal's own signatures go up on the way); what verifies is kept. The panel
//! lists every signature with what this journal can say of it, and offers what this clinician may
//! sign: their own entries, the whole (its author), a co-signature (a psychiatrist).

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::background::Job;
use super::super::status::Status;
use super::super::{format, theme};
use crate::changes::{KeepCoSession, SignCoSession};
use crate::domain::{
    CoSignature, CoSignatureStanding, CoSignedPart, PracticeMembership, PracticeRole,
};
use crate::export::SessionRecord;
use crate::practice::{CoSessionBrought, CoSessionFetched, LiveConnection, PracticeError};
use crate::store::{ReaderSource, Store, StoreError};
use crate::worker::Journal;

type Fetched = Result<CoSessionFetched, PracticeError>;

/// The co-session signatures of one session view, in a journal of a practice.
pub struct CoSigningPanel {
    /// The live session the viewed session was logged in (its own, or a colleague's it joined).
    live: uuid::Uuid,
    membership: PracticeMembership,
    source: ReaderSource,
    /// Each signature with its standing, as the journal holds them.
    signatures: Vec<(CoSignature, CoSignatureStanding)>,
    fetching: Option<Job<Fetched>>,
    keeping: Awaiting<CoSessionBrought>,
    signing: Awaiting<CoSignature>,
    status: Status,
}

impl CoSigningPanel {
    /// The panel of the session `record` shows, when the journal `store` is a clinician's in a
    /// practice and the session has ended; it asks the server at once.
    pub fn open(store: &Store, record: &SessionRecord, ctx: &egui::Context) -> Option<Self> {
        let membership = store.sharing().practice_membership().ok().flatten()?;
        if !membership.role.records_sessions() || record.session.ended_at.is_none() {
            return None;
        }
        let live = match &record.co_session {
            Some(co) => co.live_uuid,
            None => store
                .sharing()
                .live_part(record.session.id)
                .ok()?
                .map_or(record.session.uuid, |part| part.live_uuid),
        };
        let mut panel = Self {
            signatures: store.sharing().co_signatures(live).unwrap_or_default(),
            live,
            membership,
            source: store.reader_source(),
            fetching: None,
            keeping: Awaiting::default(),
            signing: Awaiting::default(),
            status: Status::Quiet,
        };
        panel.fetch(ctx);
        Some(panel)
    }

    fn fetch(&mut self, ctx: &egui::Context) {
        let (source, live) = (self.source.clone(), self.live);
        let membership = self.membership.clone();
        self.fetching = Some(Job::start(ctx, "co-session", move |_| {
            let reader = source.open()?;
            let mut connection = LiveConnection::for_member(&membership)?;
            crate::practice::fetch_co_session(&mut connection, &reader, live)
        }));
    }

    /// Shows the panel; true when the journal took something new and the view must read the
    /// session again.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        record: &SessionRecord,
        journal: &Journal,
        wall: DateTime<Utc>,
    ) -> bool {
        let changed = self.take_answers(ui.ctx(), journal, wall);
        let Some(co) = &record.co_session else {
            // Not logged together, as far as the journal and the server know.
            self.status.show(ui);
            return changed;
        };
        ui.separator();
        ui.label(RichText::new("Signed together").strong());
        if self.signatures.is_empty() {
            ui.label(RichText::new("No signature yet.").color(theme::muted()));
        }
        for (signature, standing) in &self.signatures {
            let line = format!(
                "{} {} on {}, {}",
                signature.clinician.signed_as(),
                signature.part.describe(),
                format::date_time(signature.signed_at),
                standing.describe()
            );
            ui.label(if standing.verifies() {
                RichText::new(line).color(theme::saved())
            } else {
                RichText::new(line).color(theme::warning()).strong()
            });
        }
        let me = self.membership.login.clone();
        let held: Vec<CoSignedPart> = (self.signatures.iter())
            .filter(|(signature, _)| signature.login == me)
            .map(|(signature, _)| signature.part)
            .collect();
        let signed = |part: CoSignedPart| held.contains(&part);
        let psychiatrist = self.membership.role == PracticeRole::Psychiatrist;
        let (idle, fetching) = (
            !self.signing.is_waiting() && !self.keeping.is_waiting(),
            self.fetching.is_some(),
        );
        let mine = co.entries.iter().any(|entry| entry.author.login == me);
        let authored = co.live_uuid == record.session.uuid && record.copied_from.is_none();
        let (mut sign, mut ask) = (None, false);
        ui.horizontal_wrapped(|ui| {
            let offers = [
                (
                    mine && !signed(CoSignedPart::OwnEntries),
                    CoSignedPart::OwnEntries,
                    "Sign my entries",
                ),
                (
                    authored && !signed(CoSignedPart::Whole),
                    CoSignedPart::Whole,
                    "Sign the whole session",
                ),
                (
                    psychiatrist && !signed(CoSignedPart::CoSign),
                    CoSignedPart::CoSign,
                    "Co-sign",
                ),
            ];
            for (offered, part, label) in offers {
                if offered && ui.add_enabled(idle, egui::Button::new(label)).clicked() {
                    sign = Some(part);
                }
            }
            ask = ui
                .add_enabled(!fetching, egui::Button::new("Ask the practice again"))
                .clicked();
        });
        if ask {
            self.fetch(ui.ctx());
        }
        if let Some(part) = sign {
            self.sign(part, journal, wall);
        }
        self.status.show(ui);
        changed
    }

    fn sign(&mut self, part: CoSignedPart, journal: &Journal, wall: DateTime<Utc>) {
        let clinician = match journal.read().clinician() {
            Ok(Some(clinician)) => clinician,
            Ok(None) => {
                self.status = Status::problem(StoreError::Signature(
                    crate::domain::SignatureError::NoClinician,
                ));
                return;
            }
            Err(error) => {
                self.status = Status::problem(error);
                return;
            }
        };
        self.signing.send(
            journal,
            SignCoSession {
                live: self.live,
                part,
                login: self.membership.login.clone(),
                clinician,
                at: wall,
            },
        );
    }

    /// Takes the server's answer and the journal's; true when the journal took something new.
    fn take_answers(
        &mut self,
        ctx: &egui::Context,
        journal: &Journal,
        wall: DateTime<Utc>,
    ) -> bool {
        let mut changed = false;
        if let Some(job) = &self.fetching
            && let Some(fetched) = job.take(|| Err(StoreError::BackgroundStopped.into()))
        {
            self.fetching = None;
            match fetched {
                Ok(fetched) => self.keeping.send(journal, KeepCoSession(fetched, wall)),
                // A journal away from its practice still shows what it holds.
                Err(error) => self.status = Status::problem(error),
            }
        }
        match self.keeping.answer() {
            Some(Ok(brought)) => {
                changed = brought.entries + brought.signatures > 0;
                self.status = if brought.broken > 0 {
                    Status::problem(format!(
                        "{} signature(s) on the practice server do not verify over this timeline and were left out.",
                        brought.broken
                    ))
                } else if brought.pushed > 0 {
                    Status::done("Your signature is on the practice server.".to_owned())
                } else {
                    Status::Quiet
                };
            }
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
        match self.signing.answer() {
            Some(Ok(_)) => {
                changed = true;
                // Up to the practice at once.
                self.fetch(ctx);
            }
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
        if changed {
            self.signatures = journal
                .read()
                .sharing()
                .co_signatures(self.live)
                .unwrap_or_default();
        }
        changed
    }
}
