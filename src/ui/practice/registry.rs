//! The practice's clients and care teams in the Practice view: every enrolled client with its care
//! team and emergency openings, read from the server on a job thread; an admin or a psychiatrist
//! enrols clients, puts logins on a care team or takes them off, and reads the problem list; a
//! therapist or a nurse may open a client outside their care team in an emergency, with a reason.
//! The same as `kap-journal practice clients|enrol|assign|unassign|problems|emergency`.

use super::super::status::Status;
use egui::{RichText, Ui};

use super::super::background::Job;
use super::super::theme;
use crate::domain::{PracticeMembership, PracticeRole};
use crate::practice::{Assignment, EnrolledClient, PracticeAddress, PracticeError, Problems};
use crate::store::StoreError;

/// The width of a client's code, and of its care team and emergency openings (wrapped within it).
const CODE_WIDTH: f32 = 90.0;
const TEAM_WIDTH: f32 = 420.0;

/// What the server was last asked for, and its answer.
type Answer = Result<(Vec<EnrolledClient>, Option<Problems>, Option<String>), PracticeError>;

#[derive(Default)]
pub struct PracticeRegistry {
    clients: Vec<EnrolledClient>,
    problems: Option<Problems>,
    /// The code typed to enrol.
    new_code: String,
    /// The login typed to put on (or take off) a client's care team, by client.
    logins: std::collections::HashMap<String, String>,
    /// The reason typed to open a client outside this clinician's care team, by client.
    reasons: std::collections::HashMap<String, String>,
    working: Option<Job<Answer>>,
    status: Status,
    read_once: bool,
}

/// What a change to the registry asks of the server, before it reads the registry again.
enum Change {
    None,
    Enrol(String),
    Assign(String, String, Assignment),
    /// Opens a client outside this clinician's care team, with the reason stated.
    Emergency(String, String),
}

impl PracticeRegistry {
    pub fn ui(&mut self, ui: &mut Ui, membership: &PracticeMembership) {
        self.poll();
        let keeps_teams = matches!(
            membership.role,
            PracticeRole::Admin | PracticeRole::Psychiatrist
        );
        egui::CollapsingHeader::new("Clients and care teams")
            .id_salt("practice_registry")
            .show(ui, |ui| {
                if !self.read_once && self.working.is_none() {
                    self.read_once = true;
                    self.ask(ui.ctx(), membership, Change::None);
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(self.working.is_none(), egui::Button::new("Refresh"))
                        .clicked()
                    {
                        self.ask(ui.ctx(), membership, Change::None);
                    }
                    if self.working.is_some() {
                        ui.label(
                            RichText::new("Asking the practice server…").color(theme::muted()),
                        );
                    }
                });
                if keeps_teams {
                    self.enrol_form(ui, membership);
                }
                self.client_list(ui, membership, keeps_teams);
                if let Some(problems) = &self.problems {
                    problem_list(ui, problems);
                }
                self.status.show(ui);
            });
    }

    fn enrol_form(&mut self, ui: &mut Ui, membership: &PracticeMembership) {
        ui.horizontal(|ui| {
            let label = ui.label("Enrol client (code)");
            ui.add(
                egui::TextEdit::singleline(&mut self.new_code)
                    .hint_text("D-0001")
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
            let ready = !self.new_code.trim().is_empty() && self.working.is_none();
            if ui.add_enabled(ready, egui::Button::new("Enrol")).clicked() {
                let code = self.new_code.trim().to_owned();
                self.ask(ui.ctx(), membership, Change::Enrol(code));
            }
        });
    }

    fn client_list(&mut self, ui: &mut Ui, membership: &PracticeMembership, keeps_teams: bool) {
        // A clinician may open a client outside their care team in an emergency; a psychiatrist
        // reads every enrolled client already.
        let mut change = None;
        // A practice of hundreds of clients scrolls here, leaving the session lists in view.
        egui::ScrollArea::vertical()
            .id_salt("practice_clients_scroll")
            .max_height(260.0)
            .show(ui, |ui| {
                for client in &self.clients {
                    ui.horizontal(|ui| {
                        ui.add_sized(
                            [CODE_WIDTH, 20.0],
                            egui::Label::new(RichText::new(&client.code).strong()),
                        );
                        let column = egui::Layout::top_down(egui::Align::Min);
                        ui.allocate_ui_with_layout(egui::vec2(TEAM_WIDTH, 0.0), column, |ui| {
                            ui.set_width(TEAM_WIDTH);
                            ui.label(if client.care_team.is_empty() {
                                "care team: nobody yet".to_owned()
                            } else {
                                format!("care team: {}", client.care_team.join(", "))
                            });
                            for opening in &client.emergency {
                                ui.label(
                                    RichText::new(format!(
                                        "opened in an emergency by {} on {}: {}",
                                        opening.login,
                                        crate::format::date_time(opening.opened_at),
                                        opening.reason
                                    ))
                                    .color(theme::warning()),
                                );
                            }
                        });
                        let outside = !keeps_teams
                            && membership.role.records_sessions()
                            && membership.role != PracticeRole::Psychiatrist
                            && !client.care_team.contains(&membership.login);
                        if outside {
                            let reason = self.reasons.entry(client.code.clone()).or_default();
                            let label = ui.label("Reason");
                            ui.add(
                                egui::TextEdit::singleline(reason)
                                    .hint_text("why, for the care team to read")
                                    .desired_width(240.0),
                            )
                            .labelled_by(label.id);
                            let ready =
                                reason.trim().chars().count() >= 10 && self.working.is_none();
                            if ui
                                .add_enabled(ready, egui::Button::new("Open in an emergency"))
                                .on_hover_text("For a day you may link this client and receive its sessions; the opening and your reason are kept for good and shown to its care team.")
                                .clicked()
                            {
                                change = Some(Change::Emergency(
                                    client.code.clone(),
                                    reason.trim().to_owned(),
                                ));
                            }
                        }
                        if keeps_teams {
                            let login = self.logins.entry(client.code.clone()).or_default();
                            let label = ui.label("Login");
                            ui.add(egui::TextEdit::singleline(login).desired_width(110.0))
                                .labelled_by(label.id);
                            let ready = !login.trim().is_empty() && self.working.is_none();
                            for (title, assignment) in [
                                ("Assign", Assignment::Assign),
                                ("Unassign", Assignment::Unassign),
                            ] {
                                if ui.add_enabled(ready, egui::Button::new(title)).clicked() {
                                    change = Some(Change::Assign(
                                        client.code.clone(),
                                        login.trim().to_owned(),
                                        assignment,
                                    ));
                                }
                            }
                        }
                    });
                    ui.separator();
                }
            });
        if self.clients.is_empty() && self.working.is_none() && self.read_once {
            ui.label(RichText::new("No client is enrolled yet.").color(theme::muted()));
        }
        if let Some(change) = change {
            self.ask(ui.ctx(), membership, change);
        }
    }

    /// Makes `change` on the server (on a thread), then reads the registry (and, for an admin or a
    /// psychiatrist, the problem list) again.
    fn ask(&mut self, ctx: &egui::Context, membership: &PracticeMembership, change: Change) {
        let address = match PracticeAddress::parse(&membership.url) {
            Ok(address) => address,
            Err(error) => {
                self.status = Status::problem(error);
                return;
            }
        };
        let password = membership.password.clone();
        let member = membership.clone();
        let reads_problems = matches!(
            membership.role,
            PracticeRole::Admin | PracticeRole::Psychiatrist
        );
        self.status = Status::Quiet;
        self.working = Some(Job::start(ctx, "practice registry", move |_| {
            let done = match change {
                Change::None => None,
                Change::Enrol(code) => {
                    crate::practice::enrol(&address, &password, &code)?;
                    Some(format!("Enrolled {code}."))
                }
                Change::Emergency(code, reason) => {
                    let until = crate::practice::open_as(&member, &code, &reason)?;
                    Some(format!(
                        "You may read {code} until {}; link it on its page and sync to receive its sessions. The opening is shown to its care team.",
                        crate::format::date_time(until)
                    ))
                }
                Change::Assign(code, login, assignment) => {
                    crate::practice::assign(&address, &password, &code, &login, assignment)?;
                    Some(match assignment {
                        Assignment::Assign => format!("{login} is on the care team of {code}."),
                        Assignment::Unassign => format!("{login} is off the care team of {code}."),
                    })
                }
            };
            let clients = crate::practice::clients(&address, &password)?;
            let problems = if reads_problems {
                Some(crate::practice::problems(&address, &password)?)
            } else {
                None
            };
            Ok((clients, problems, done))
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
            Ok((clients, problems, done)) => {
                self.clients = clients;
                self.problems = problems;
                if done.is_some() {
                    self.new_code.clear();
                    self.reasons.clear();
                }
                self.status = done.map_or(Status::Quiet, Status::done);
            }
            Err(error) => self.status = Status::problem(error),
        }
    }
}

/// The problem list, when there is anything on it.
fn problem_list(ui: &mut Ui, problems: &Problems) {
    if problems.is_empty() {
        ui.label(RichText::new("The practice has no problems on its list.").color(theme::muted()));
        return;
    }
    ui.strong("Problems");
    for sentence in problems.sentences() {
        ui.colored_label(theme::warning(), sentence);
    }
}
