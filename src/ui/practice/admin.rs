//! Administering the practice from the window, for whoever holds the database owner's password:
//! set up the server's schema in an empty database, and add a login for a clinician. The same as
//! `kap-journal practice init` and `practice add-clinician`; nothing here touches the journal.

use super::super::status::Status;
use egui::{RichText, Ui};

use super::super::background::Job;
use super::super::theme;
use crate::domain::PracticeRole;
use crate::practice::{NewClinician, PracticeAddress, PracticeError};
use crate::store::StoreError;

/// What the administrator asked the server to do.
enum Asked {
    SetUp,
    Added(String, PracticeRole),
}

pub struct PracticeAdmin {
    owner_address: String,
    owner_password: String,
    login: String,
    name: String,
    credentials: String,
    role: PracticeRole,
    password: String,
    working: Option<(Asked, Job<Result<(), PracticeError>>)>,
    status: Status,
}

impl Default for PracticeAdmin {
    fn default() -> Self {
        Self {
            owner_address: String::new(),
            owner_password: String::new(),
            login: String::new(),
            name: String::new(),
            credentials: String::new(),
            role: PracticeRole::Therapist,
            password: String::new(),
            working: None,
            status: Status::Quiet,
        }
    }
}

impl PracticeAdmin {
    pub fn ui(&mut self, ui: &mut Ui) {
        self.poll();
        egui::CollapsingHeader::new("Administer the practice server")
            .id_salt("practice_admin")
            .show(ui, |ui| {
                ui.label(
                    RichText::new(
                        "For the practice's administrator, with the database owner's login (it \
                         needs CREATEROLE, not superuser). Setting up works on an empty database \
                         only.",
                    )
                    .color(theme::muted()),
                );
                address_and_password(
                    ui,
                    ("Owner's address", "postgres://owner@server:5432/practice"),
                    "Owner's password",
                    (&mut self.owner_address, &mut self.owner_password),
                );
                let idle = self.working.is_none();
                let owner_ready = idle
                    && !self.owner_address.trim().is_empty()
                    && !self.owner_password.is_empty();
                if ui
                    .add_enabled(owner_ready, egui::Button::new("Set up the practice"))
                    .clicked()
                {
                    self.set_up(ui.ctx());
                }
                ui.add_space(theme::GAP);
                self.clinician_form(ui, owner_ready);
                if !idle {
                    ui.label(RichText::new("Asking the practice server…").color(theme::muted()));
                }
                self.status.show(ui);
            });
    }

    fn clinician_form(&mut self, ui: &mut Ui, owner_ready: bool) {
        ui.label(RichText::new("A clinician's login").strong());
        egui::Grid::new("practice_new_clinician")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                for (label, text, hint) in [
                    ("New login", &mut self.login, "n_nightingale"),
                    ("Clinician's name", &mut self.name, "N. Nightingale"),
                    ("Clinician's credentials", &mut self.credentials, "RN"),
                ] {
                    let label = ui.label(label);
                    ui.add(egui::TextEdit::singleline(text).hint_text(hint))
                        .labelled_by(label.id);
                    ui.end_row();
                }
                ui.label("Role");
                ui.horizontal(|ui| {
                    for role in PracticeRole::ALL {
                        ui.radio_value(&mut self.role, role, role.as_str());
                    }
                });
                ui.end_row();
                let label = ui.label("Their password");
                ui.add(egui::TextEdit::singleline(&mut self.password).password(true))
                    .labelled_by(label.id);
                ui.end_row();
            });
        let ready = owner_ready && !self.login.trim().is_empty() && !self.password.is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Add clinician"))
            .clicked()
        {
            self.add_clinician(ui.ctx());
        }
    }

    fn owner(&mut self) -> Option<(PracticeAddress, String)> {
        match PracticeAddress::parse(&self.owner_address) {
            Ok(address) => Some((address, self.owner_password.clone())),
            Err(error) => {
                self.status = Status::problem(error);
                None
            }
        }
    }

    fn set_up(&mut self, ctx: &egui::Context) {
        let Some((address, password)) = self.owner() else {
            return;
        };
        self.status = Status::Quiet;
        let job = Job::start(ctx, "practice set-up", move |_| {
            crate::practice::init(&address, &password)
        });
        self.working = Some((Asked::SetUp, job));
    }

    fn add_clinician(&mut self, ctx: &egui::Context) {
        let Some((address, owner_password)) = self.owner() else {
            return;
        };
        let clinician = NewClinician {
            login: self.login.trim().to_owned(),
            name: self.name.clone(),
            credentials: self.credentials.clone(),
            role: self.role,
        };
        let password = std::mem::take(&mut self.password);
        self.status = Status::Quiet;
        let asked = Asked::Added(clinician.login.clone(), clinician.role);
        let job = Job::start(ctx, "practice add clinician", move |_| {
            crate::practice::add_clinician(&address, &owner_password, &clinician, &password)
        });
        self.working = Some((asked, job));
    }

    fn poll(&mut self) {
        let Some((_, job)) = &self.working else {
            return;
        };
        let Some(done) = job.take(|| Err(StoreError::BackgroundStopped.into())) else {
            return;
        };
        let Some((asked, _)) = self.working.take() else {
            return;
        };
        self.status = match (done, asked) {
            (Err(error), _) => Status::problem(error),
            (Ok(()), Asked::SetUp) => {
                Status::done("The practice is set up; add its clinicians below.")
            }
            (Ok(()), Asked::Added(login, role)) => Status::done(format!(
                "Added {login} as {}, who reads {}.",
                role.as_str(),
                role.reads()
            )),
        };
    }
}

/// A practice server's address and a login's password, as two labelled fields in a grid.
pub fn address_and_password(
    ui: &mut Ui,
    (address_label, hint): (&str, &str),
    password_label: &str,
    (address, password): (&mut String, &mut String),
) {
    egui::Grid::new(address_label)
        .num_columns(2)
        .spacing([16.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(address_label);
            ui.add(
                egui::TextEdit::singleline(address)
                    .hint_text(hint)
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(password_label);
            ui.add(egui::TextEdit::singleline(password).password(true))
                .labelled_by(label.id);
            ui.end_row();
        });
}
