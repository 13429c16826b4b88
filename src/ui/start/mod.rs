//! The start form: choose or add a client, the model, the route and the starting dose, then the
//! checklist before the session (prefilled from the client's last session).

pub(super) mod consent_form;
pub(super) mod pre_session_form;

mod client_section;

use std::sync::Arc;

use egui::{RichText, Ui};

use self::consent_form::ConsentForm;
use self::pre_session_form::PreSessionForm;
use super::awaiting::Awaiting;
use super::commands::{Scope, UiCommand};
use super::prefs::Prefs;
use super::view::{AppView, Nav, ViewContext};
use super::{theme, widgets};
use crate::changes::{StartSession, Started};
use crate::domain::{
    Client, ClientId, Dose, NewClient, NewSession, Route, SessionError, TreatmentModel,
};
use crate::live::{Clock, LiveSession};
use crate::store::{LastSession, NewEvent, Store, StoreError};
use crate::worker::Journal;

/// The values typed into the start form.
pub struct StartView {
    clients: Vec<Client>,
    /// `None` means "a new client".
    chosen: Option<ClientId>,
    code: String,
    display_name: String,
    model: TreatmentModel,
    route: Route,
    dose: String,
    intention: String,
    comfort_plan: String,
    /// What the chosen client's last sessions offer again (their comfort plan in each model).
    last: LastSession,
    /// The model whose carried-over plan the field holds, untouched; `None` once the clinician
    /// wrote their own, which then stays whatever else changes.
    plan_carried_for: Option<TreatmentModel>,
    /// The chosen client's suicide risk from an earlier session, shown before the checklist.
    risk: Option<crate::review::SuicideRisk>,
    checklist: PreSessionForm,
    /// The client the checklist was last prefilled for.
    prefilled_for: Option<ClientId>,
    /// The consent part has been read for `prefilled_for` (a new client too).
    consent_read: bool,
    error: Option<String>,
    /// The form was just opened: typing starts in the client code, and the form shows its top,
    /// never scrolled where the last one was left.
    opening: Opening,
    /// The start shortcut was pressed this frame (taken before any field drew).
    start_pressed: bool,
    /// The session (and its new client) on its way to the journal.
    starting: Awaiting<Started>,
}

/// What the form does once, when it opens.
#[derive(Debug, Clone, Copy)]
struct Opening {
    focus_code: bool,
    at_top: bool,
}

/// How many returning clients the client code offers as it is typed.
const MATCHES_SHOWN: usize = 8;

impl AppView for StartView {
    fn scope(&self) -> Scope {
        Scope::Start
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        self.start_pressed |= command == UiCommand::StartSession;
        Nav::Stay
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        self.draw(ui, cx.journal, cx.clock)
    }
}

impl StartView {
    pub fn new(store: &Store, prefs: &Prefs) -> Self {
        let (clients, error) = match store.record().clients() {
            Ok(clients) => (clients, None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        };
        Self {
            clients,
            chosen: None,
            code: String::new(),
            display_name: String::new(),
            model: prefs.last_model,
            route: prefs.last_route,
            dose: String::new(),
            intention: String::new(),
            comfort_plan: String::new(),
            last: LastSession::default(),
            plan_carried_for: None,
            risk: None,
            checklist: PreSessionForm::default(),
            prefilled_for: None,
            consent_read: false,
            error,
            opening: Opening {
                focus_code: true,
                at_top: true,
            },
            start_pressed: false,
            starting: Awaiting::default(),
        }
    }

    fn chosen_client(&self) -> Option<&Client> {
        self.chosen
            .and_then(|id| self.clients.iter().find(|client| client.id == id))
    }

    fn draw(&mut self, ui: &mut Ui, journal: &Journal, clock: &Arc<dyn Clock>) -> Nav {
        let store = journal.read();
        let mut nav = Nav::Stay;
        if let Some(answer) = self.starting.answer() {
            nav = self.started(answer, journal, clock);
        }
        let start = std::mem::take(&mut self.start_pressed);
        egui::CentralPanel::default().show(ui, |ui| {
            let mut area = egui::ScrollArea::vertical().id_salt("start_form");
            if std::mem::take(&mut self.opening.at_top) {
                area = area.vertical_scroll_offset(0.0);
            }
            area.show(ui, |ui| {
                ui.heading("Start a session");
                ui.add_space(theme::GAP);
                self.client_section(ui);
                self.prefill(store, clock.wall());
                if let Some(risk) = &self.risk {
                    ui.add_space(theme::GAP);
                    super::suicide_risk_panel::show(ui, risk);
                }
                ui.add_space(theme::GAP);
                self.treatment_section(ui);
                self.follow_model_plan();
                ui.add_space(theme::GAP);
                widgets::labelled_multiline(
                    ui,
                    "Intention",
                    &mut self.intention,
                    "What the client hopes to meet or understand",
                    2,
                );
                widgets::labelled_multiline(
                    ui,
                    "Comfort plan",
                    &mut self.comfort_plan,
                    "How the client wants to be supported when it gets hard",
                    2,
                );
                ui.add_space(theme::GAP);
                self.checklist.ui(ui);
                ui.add_space(theme::GAP);
                widgets::error_line(ui, self.error.as_deref());
                let waiting = self.starting.is_waiting();
                let label = if waiting {
                    "Starting…"
                } else {
                    "Start session"
                };
                let button = egui::Button::new(RichText::new(label).strong())
                    .shortcut_text(
                        ui.ctx()
                            .format_shortcut(&UiCommand::StartSession.shortcut()),
                    )
                    .fill(theme::model_tint(self.model));
                if (ui.add_enabled(!waiting, button).clicked() || start)
                    && !waiting
                    && let Err(error) = self.start(journal, clock)
                {
                    self.error = Some(error.to_string());
                }
            });
        });
        nav
    }

    /// When another returning client is chosen, offers their last checklist and comfort plan.
    fn prefill(&mut self, store: &Store, now: chrono::DateTime<chrono::Utc>) {
        if self.chosen == self.prefilled_for && self.consent_read {
            return;
        }
        self.prefilled_for = self.chosen;
        self.consent_read = true;
        self.checklist.consent = ConsentForm::load(store, self.chosen, now);
        self.risk = None;
        let Some(client) = self.chosen_client().cloned() else {
            return;
        };
        let filter = crate::store::SessionFilter {
            client_code: Some(client.code.clone()),
            ..crate::store::SessionFilter::default()
        };
        match store
            .record()
            .session_summaries(&filter)
            .and_then(|sessions| crate::review::SuicideRisk::of(store, client.id, &sessions))
        {
            Ok(risk) => self.risk = risk,
            Err(error) => self.error = Some(error.to_string()),
        }
        match store.record().last_session_of(client.id) {
            Ok(last) => {
                if let Some((model, route)) = last.model_and_route {
                    self.model = model;
                    self.route = route;
                }
                self.checklist.prefill(&last, client.weight_kg);
                // The field takes this client's plan unless the clinician wrote one of their own.
                if self.comfort_plan.trim().is_empty() || self.plan_carried_for.is_some() {
                    self.comfort_plan = last.comfort_plan_for(self.model).to_owned();
                    self.plan_carried_for = Some(self.model);
                }
                self.last = last;
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// A comfort plan carried over belongs to its model: when the model changes and the field
    /// still holds the carried plan untouched, the client's last plan in the new model (or none)
    /// takes its place; a plan the clinician wrote stays.
    fn follow_model_plan(&mut self) {
        let Some(carried) = self.plan_carried_for else {
            return;
        };
        if self.comfort_plan.trim() != self.last.comfort_plan_for(carried).trim() {
            self.plan_carried_for = None;
        } else if carried != self.model {
            self.comfort_plan = self.last.comfort_plan_for(self.model).to_owned();
            self.plan_carried_for = Some(self.model);
        }
    }

    fn treatment_section(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label("Model");
            for model in TreatmentModel::ALL {
                let text = super::widgets::model_choice_text(model, self.model == model);
                ui.selectable_value(&mut self.model, model, text);
            }
        });
        ui.horizontal(|ui| {
            ui.label("Route");
            for route in Route::ALL {
                ui.selectable_value(&mut self.route, route, route.label());
            }
        });
        let hint = if self.route == Route::IvInfusion {
            "0.5 mg/kg over 40 min"
        } else {
            "0.5 mg/kg or 56 mg"
        };
        ui.horizontal(|ui| {
            widgets::labelled_field(ui, "Starting dose", &mut self.dose, hint, 220.0);
            if !self.dose.trim().is_empty() {
                let weight = self.weight_for_preview();
                let preview = match Dose::parse(&self.dose)
                    .and_then(|dose| dose.check_for_weight(weight).map(|()| dose))
                {
                    Ok(dose) => {
                        RichText::new(format!("= {}", dose.describe(weight))).color(theme::saved())
                    }
                    Err(error) => RichText::new(error.to_string()).color(theme::warning()),
                };
                ui.label(preview);
            }
        });
    }

    /// Today's weight when it reads, else the client's recorded one.
    fn weight_for_preview(&self) -> Option<f64> {
        crate::domain::parse_weight(&self.checklist.weight)
            .ok()
            .or_else(|| self.chosen_client().and_then(|client| client.weight_kg))
    }

    /// Validates everything before writing anything, then sends the session (and the client, if
    /// new) to the journal; the view goes live when the answer comes.
    fn start(&mut self, journal: &Journal, clock: &Arc<dyn Clock>) -> Result<(), StoreError> {
        let dose = Dose::parse(&self.dose).map_err(SessionError::from)?;
        let first = self.checklist.entries()?;
        let (client, client_id) = if let Some(id) = self.chosen {
            (None, id)
        } else {
            let new_client =
                NewClient::parse(&self.code, &self.display_name, &self.checklist.weight)?;
            dose.check_for_weight(new_client.weight_kg)
                .map_err(SessionError::from)?;
            // The id is the journal's to give; the worker puts it in.
            (Some(new_client), ClientId(0))
        };
        let session = NewSession {
            client_id,
            model: self.model,
            route: self.route,
            planned_dose: dose,
            intention: self.intention.trim().to_owned(),
            comfort_plan: self.comfort_plan.trim().to_owned(),
        };
        let at = clock.wall();
        let consent = self
            .checklist
            .consent
            .new_consent(&journal.read().signs_as());
        let first = first
            .into_iter()
            .map(|kind| NewEvent {
                wall_time: at,
                elapsed_ms: 0,
                kind,
            })
            .collect();
        self.error = None;
        self.starting.send(
            journal,
            StartSession {
                client,
                session,
                at,
                first,
                consent,
            },
        );
        Ok(())
    }

    /// The journal's answer to the start: the live session, or the form again with the reason.
    fn started(
        &mut self,
        answer: Result<Started, StoreError>,
        journal: &Journal,
        clock: &Arc<dyn Clock>,
    ) -> Nav {
        let started = answer.and_then(
            |Started {
                 client,
                 session,
                 events,
             }| {
                if let Some(client) = client {
                    self.chosen = Some(client.id);
                    self.clients.push(client);
                }
                LiveSession::attach(journal.read(), Arc::clone(clock), session, events)
            },
        );
        match started {
            Ok(live) => Nav::Live(Box::new(live)),
            Err(error) => {
                self.error = Some(error.to_string());
                // A new client made before the session failed is chosen, so trying again does not
                // make them twice.
                if self.chosen.is_none()
                    && let Ok(Some(client)) =
                        journal.read().record().client_by_code(self.code.trim())
                {
                    self.chosen = Some(client.id);
                    self.clients.push(client);
                }
                Nav::Stay
            }
        }
    }
}
