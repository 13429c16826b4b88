//! "Live in the practice" in the Practice view: the sessions running now whose client's care team
//! this clinician is on, with who started each and who joined, read from the server on a job
//! thread; "Join" joins one (the author's header then names who joined) and opens this journal's
//! part of it in the live view, where the clinician logs their own entries beside the author's;
//! "Open" goes back into a session joined before. The same list as `kap-journal live`.

use std::fmt::Write as _;

use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::background::Job;
use super::super::status::Status;
use super::super::theme;
use super::super::view::{Nav, ViewContext};
use crate::changes::JoinLiveSession;
use crate::domain::{PracticeMembership, Session};
use crate::live::LiveSession;
use crate::practice::{LiveConnection, LiveInPractice, PracticeError};
use crate::store::StoreError;

/// The server's answer: the live sessions, and the one just joined.
type Answer = Result<(Vec<LiveInPractice>, Option<LiveInPractice>), PracticeError>;

#[derive(Default)]
pub struct LiveList {
    sessions: Vec<LiveInPractice>,
    working: Option<Job<Answer>>,
    /// This journal's part of a session joined, being started.
    opening: Awaiting<Session>,
    status: Status,
    read_once: bool,
}

impl LiveList {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        membership: &PracticeMembership,
        cx: &ViewContext<'_>,
    ) -> Nav {
        if let Some(joined) = self.poll() {
            self.open(cx, joined);
        }
        let nav = self.opened(cx);
        egui::CollapsingHeader::new("Live in the practice")
            .id_salt("practice_live")
            .default_open(true)
            .show(ui, |ui| {
                if !self.read_once && self.working.is_none() {
                    self.read_once = true;
                    self.ask(ui.ctx(), membership, None);
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            self.working.is_none(),
                            egui::Button::new("Refresh live sessions"),
                        )
                        .clicked()
                    {
                        self.ask(ui.ctx(), membership, None);
                    }
                    if self.working.is_some() {
                        ui.label(
                            RichText::new("Asking the practice server…").color(theme::muted()),
                        );
                    }
                });
                if self.sessions.is_empty() && self.working.is_none() && self.read_once {
                    ui.label(
                        RichText::new(
                            "No session is live for a client whose care team you are on.",
                        )
                        .color(theme::muted()),
                    );
                }
                let mut join = None;
                let mut open = None;
                for session in &self.sessions {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&session.client_code).strong());
                        ui.label(line(session));
                        let mine = session.author.login == membership.login;
                        let joined = session
                            .joined
                            .iter()
                            .any(|joined| joined.colleague.login == membership.login);
                        if mine {
                            ui.label(RichText::new("yours").color(theme::muted()));
                        } else if joined {
                            ui.label(RichText::new("joined").color(theme::saved()));
                            if ui
                                .add_enabled(!self.opening.is_waiting(), egui::Button::new("Open"))
                                .on_hover_text("Go back into this session, where you log your entries.")
                                .clicked()
                            {
                                open = Some(session.clone());
                            }
                        } else if ui
                            .add_enabled(self.working.is_none(), egui::Button::new("Join"))
                            .on_hover_text(
                                "Join this session: its author sees you joined, and you log your entries in it.",
                            )
                            .clicked()
                        {
                            join = Some(session.uuid);
                        }
                    });
                }
                if let Some(uuid) = join {
                    self.ask(ui.ctx(), membership, Some(uuid));
                }
                if let Some(session) = open {
                    self.open(cx, session);
                }
                self.status.show(ui);
            });
        nav
    }

    /// Starts this journal's part of the session joined (joining twice gives the same part).
    fn open(&mut self, cx: &ViewContext<'_>, live: LiveInPractice) {
        self.opening.send(
            cx.journal,
            JoinLiveSession {
                live,
                at: cx.wall(),
            },
        );
    }

    /// The live view of the part once the journal has started it.
    fn opened(&mut self, cx: &ViewContext<'_>) -> Nav {
        let part = match self.opening.answer() {
            None => return Nav::Stay,
            Some(Ok(part)) => part,
            Some(Err(error)) => {
                self.status = Status::problem(error);
                return Nav::Stay;
            }
        };
        match LiveSession::resume(cx.journal.read(), std::sync::Arc::clone(cx.clock), part.id) {
            Ok(live) => Nav::Live(Box::new(live)),
            Err(error) => {
                self.status = Status::problem(error);
                Nav::Stay
            }
        }
    }

    /// Joins `join` first when given, then reads the live sessions again.
    fn ask(
        &mut self,
        ctx: &egui::Context,
        membership: &PracticeMembership,
        join: Option<uuid::Uuid>,
    ) {
        let membership = membership.clone();
        self.working = Some(Job::start(ctx, "live sessions", move |_| {
            let mut connection = LiveConnection::for_member(&membership)?;
            if let Some(uuid) = join {
                connection.join(uuid)?;
            }
            let sessions = connection.live_sessions()?;
            let joined =
                join.and_then(|uuid| sessions.iter().find(|live| live.uuid == uuid).cloned());
            Ok((sessions, joined))
        }));
    }

    /// Takes the server's answer; the session just joined, to open.
    fn poll(&mut self) -> Option<LiveInPractice> {
        let job = self.working.as_ref()?;
        let answer = job.take(|| Err(StoreError::BackgroundStopped.into()))?;
        self.working = None;
        match answer {
            Ok((sessions, joined)) => {
                self.sessions = sessions;
                self.status = if joined.is_some() {
                    Status::done("Joined: its author sees you are in the session.".to_owned())
                } else {
                    Status::Quiet
                };
                joined
            }
            Err(error) => {
                self.status = Status::problem(error);
                None
            }
        }
    }
}

/// A live session's model, route, start and author, and who joined.
fn line(session: &LiveInPractice) -> String {
    let mut text = format!(
        "{} · started {} by {}",
        session.kind_line(),
        crate::format::date_time(session.started_at),
        session.author.name
    );
    if let Some(names) = session.joined_names() {
        let _ = write!(text, " · joined by {names}");
    }
    text
}
