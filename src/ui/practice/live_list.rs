//! "Live in the practice" in the Practice view: the sessions running now whose client's care team
//! this clinician is on, with who started each and who joined, read from the server on a job
//! thread; "Join" joins one (the author's header then names who joined). The same as
//! `kap-journal live`.

use std::fmt::Write as _;

use egui::{RichText, Ui};

use super::super::background::Job;
use super::super::status::Status;
use super::super::theme;
use crate::domain::PracticeMembership;
use crate::practice::{LiveConnection, LiveInPractice, PracticeError};
use crate::store::StoreError;

/// The server's answer: the live sessions, and what was done before they were read.
type Answer = Result<(Vec<LiveInPractice>, Option<String>), PracticeError>;

#[derive(Default)]
pub struct LiveList {
    sessions: Vec<LiveInPractice>,
    working: Option<Job<Answer>>,
    status: Status,
    read_once: bool,
}

impl LiveList {
    pub fn ui(&mut self, ui: &mut Ui, membership: &PracticeMembership) {
        self.poll();
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
                        } else if ui
                            .add_enabled(self.working.is_none(), egui::Button::new("Join"))
                            .on_hover_text("Join this session: its author sees you joined.")
                            .clicked()
                        {
                            join = Some(session.uuid);
                        }
                    });
                }
                if let Some(uuid) = join {
                    self.ask(ui.ctx(), membership, Some(uuid));
                }
                self.status.show(ui);
            });
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
            let said = match join {
                Some(uuid) => {
                    connection.join(uuid)?;
                    Some("Joined: its author sees you are in the session.".to_owned())
                }
                None => None,
            };
            Ok((connection.live_sessions()?, said))
        }));
    }

    fn poll(&mut self) {
        let Some(job) = &self.working else {
            return;
        };
        let Some(answer) = job.take(|| Err(StoreError::BackgroundStopped.into())) else {
            return;
        };
        self.working = None;
        match answer {
            Ok((sessions, said)) => {
                self.sessions = sessions;
                self.status = said.map_or(Status::Quiet, Status::done);
            }
            Err(error) => self.status = Status::problem(error),
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
