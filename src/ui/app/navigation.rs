//! Where the app goes next: the views ask with a [`Nav`], the top bar offers the journal's places,
//! and a live session read away from is kept aside with the way back always in view.

use super::{KapJournalApp, View};
use crate::domain::{ClientId, Seq, SessionId};
use crate::live::LiveSession;
use crate::ui::UiCommand;
use crate::ui::client_view::ClientView;
use crate::ui::live::LiveView;
use crate::ui::prep_view::PrepView;
use crate::ui::session_view::SessionView;
use crate::ui::settings_view::SettingsView;
use crate::ui::start::StartView;
use crate::ui::theme;

/// Where a view asks the app to go next.
#[must_use]
pub enum Nav {
    Stay,
    Home,
    Start,
    Live(Box<LiveSession>),
    /// A session's timeline, with the entry to select and scroll to.
    OpenSession(SessionId, Option<Seq>),
    /// The prep sheet of a client.
    Prep(ClientId),
    /// Every session of a client, with charts.
    ClientHistory(ClientId),
    /// The clinic's monitoring settings.
    Settings,
    /// Replace the journal with this backup (already confirmed).
    Restore(std::path::PathBuf),
    /// Back to the live session kept aside while other sessions are read.
    BackToLive,
}

impl KapJournalApp {
    pub(super) fn navigate(&mut self, nav: Nav, ctx: &egui::Context) {
        if let Nav::Restore(path) = nav {
            return self.restore(path, ctx);
        }
        let Ok(journal) = &self.journal else { return };
        if matches!(nav, Nav::Stay) {
            return;
        }
        if let View::Session(view) = &mut self.view {
            view.save_now(journal, self.clock.wall());
        }
        let store = journal.read();
        // Opening the live session from a list goes back to it.
        let aside_id = self.aside.as_ref().map(|live| live.shown_entry().0);
        let nav = match nav {
            Nav::OpenSession(id, _) if Some(id) == aside_id => Nav::BackToLive,
            nav => nav,
        };
        let leaving_live = matches!(&self.view, View::Live(live) if !matches!(nav, Nav::Live(_)));
        if leaving_live {
            let still_live = matches!(&self.view, View::Live(live) if live.is_live());
            if still_live {
                // Read elsewhere while the session runs on: it is kept, not left.
                let placeholder = View::Home(Box::default());
                if let View::Live(live) = std::mem::replace(&mut self.view, placeholder) {
                    self.aside = Some(live);
                }
            } else {
                // The live view is left for good once its session has ended: a backup is made.
                self.backups.start_automatic(ctx, store, self.clock.wall());
            }
        }
        let next = match nav {
            Nav::Stay | Nav::Restore(_) => return,
            Nav::BackToLive => match self.aside.take() {
                Some(mut live) => {
                    live.refocus();
                    View::Live(live)
                }
                None => return,
            },
            Nav::Home => {
                let mut home = self.kept_home.take().unwrap_or_default();
                home.refresh(store);
                View::Home(home)
            }
            Nav::Start => View::Start(Box::new(StartView::new(store, &self.prefs))),
            Nav::Live(session) => {
                self.prefs.last_model = session.session().model;
                self.prefs.last_route = session.session().route;
                View::Live(Box::new(LiveView::new(store, *session, false)))
            }
            Nav::OpenSession(id, focus) => match SessionView::load(store, id, focus) {
                Ok(view) => View::Session(Box::new(view)),
                Err(error) => return self.notice = Some(error.to_string()),
            },
            Nav::Prep(client) => match PrepView::load(store, client) {
                Ok(view) => View::Prep(view),
                Err(error) => return self.notice = Some(error.to_string()),
            },
            Nav::ClientHistory(client) => match ClientView::load(store, client) {
                Ok(view) => View::Client(view),
                Err(error) => return self.notice = Some(error.to_string()),
            },
            Nav::Settings => {
                self.backups.relist();
                View::Settings(Box::new(SettingsView::load(store)))
            }
        };
        match std::mem::replace(&mut self.view, next) {
            View::Home(home) => self.kept_home = Some(home),
            // Never dropped while live (see above); this keeps it if a path ever got here.
            View::Live(live) if live.is_live() => self.aside = Some(live),
            _ => {}
        }
        // The lock setting may have just been changed in the settings view.
        self.read_lock_after();
    }

    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui) -> Nav {
        let mut nav = Nav::Stay;
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("KAP Journal");
                ui.separator();
                // While a session is live there is no second one, and the settings it runs under stay.
                let in_live = matches!(self.view, View::Live(_)) || self.aside.is_some();
                if ui.button("Sessions").clicked() {
                    nav = Nav::Home;
                }
                let new_session = super::UiCommand::NewSession;
                if ui
                    .add_enabled(!in_live, new_session.button(ui.ctx()))
                    .clicked()
                    || (!in_live && new_session.pressed(ui.ctx()))
                {
                    nav = Nav::Start;
                }
                if ui
                    .add_enabled(!in_live, egui::Button::new("Settings"))
                    .clicked()
                {
                    nav = Nav::Settings;
                }
                if ui.add(UiCommand::Lock.button(ui.ctx())).clicked() {
                    self.lock_now();
                }
                if let Some(live) = &self.aside
                    && back_to_live(ui, live.live())
                {
                    nav = Nav::BackToLive;
                }
                if let Ok(journal) = &self.journal {
                    let store = journal.read();
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.label(
                            egui::RichText::new(store.dir().display().to_string())
                                .small()
                                .color(theme::MUTED),
                        )
                        .on_hover_text("The data folder; the journal is journal.db inside it.");
                    });
                }
            });
            crate::ui::widgets::dismissable_notice(ui, &mut self.notice, theme::WARNING);
            if let Ok(journal) = &self.journal
                && let Some(backup) = self.backups.damaged_ui(ui, journal.read())
            {
                nav = Nav::Restore(backup);
            }
        });
        nav
    }
}

/// The way back to the live session while other sessions are read: its countdown or the most
/// urgent line of it, in the model's colour; true when clicked.
fn back_to_live(ui: &mut egui::Ui, live: &LiveSession) -> bool {
    let glance = crate::ui::live::glance::all(live);
    let urgent = glance.first().map_or_else(
        || format!("since start {}", crate::format::elapsed(live.elapsed_ms())),
        |line| line.text.clone(),
    );
    let button = egui::Button::new(
        egui::RichText::new(format!("Back to the live session · {urgent}")).strong(),
    )
    .fill(theme::model_tint(live.session().model));
    ui.add(button).clicked()
}
