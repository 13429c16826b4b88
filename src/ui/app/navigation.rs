//! Where the app goes next: the views ask with a [`Nav`], the top bar offers the journal's places,
//! and a live session read away from is kept aside with the way back always in view.

use std::path::PathBuf;

use super::Shared;
use super::open_journal::{OpenJournal, context};
use super::view::View;
use crate::live::LiveSession;
use crate::ui::UiCommand;
use crate::ui::client::ClientView;
use crate::ui::client::prep::PrepView;
use crate::ui::session::SessionView;
use crate::ui::theme;
use crate::ui::view::{AppView, Nav};

impl OpenJournal {
    /// Goes where `nav` asks; a backup to restore is handed back to the app, which closes the
    /// journal for it.
    pub(super) fn navigate(&mut self, nav: Nav, shared: &mut Shared) -> Option<PathBuf> {
        if let Nav::Restore(path) = nav {
            return Some(path);
        }
        if matches!(nav, Nav::Stay) {
            return None;
        }
        // However it is asked for (a button inside a view, a shortcut), a place the top bar keeps
        // shut while a session is live stays shut: the live session is not left for it.
        let live_running =
            self.aside.is_some() || matches!(&self.view, View::Live(live) if live.is_live());
        if let Nav::To(place) = nav
            && live_running
            && let Err(why) = super::places::opens_while_live(place)
        {
            shared.notice = Some(why);
            return None;
        }
        self.synthetic = self
            .journal
            .read()
            .record()
            .is_synthetic()
            .unwrap_or(self.synthetic);
        if !matches!(self.view, View::Live(_)) {
            let cx = context(&self.journal, &mut self.practice, shared);
            self.view.as_view().save_typing(&cx);
        }
        // Opening the live session from a list goes back to it.
        let aside_id = self.aside.as_ref().map(|live| live.shown_entry().0);
        let nav = match nav {
            Nav::OpenSession(id, _) if Some(id) == aside_id => Nav::BackToLive,
            nav => nav,
        };
        let leaving_live = matches!(&self.view, View::Live(_)) && !matches!(nav, Nav::Live(_));
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
                shared.backups.start_automatic(
                    &shared.ctx,
                    self.journal.read(),
                    shared.clock.wall(),
                );
            }
        }
        let next = self.next_view(nav, shared)?;
        match std::mem::replace(&mut self.view, next) {
            View::Home(home) => self.kept_home = Some(home),
            // Never dropped while live (see above); this keeps it if a path ever got here.
            View::Live(live) if live.is_live() => self.aside = Some(live),
            _ => {}
        }
        None
    }

    /// The view `nav` asks for, or `None` to stay (a problem is said under the top bar).
    fn next_view(&mut self, nav: Nav, shared: &mut Shared) -> Option<View> {
        let store = self.journal.read();
        let loaded = match nav {
            Nav::Stay | Nav::Restore(_) => return None,
            Nav::BackToLive => {
                let mut live = self.aside.take()?;
                live.refocus();
                Ok(View::Live(live))
            }
            Nav::Home => {
                let mut home = self.kept_home.take().unwrap_or_default();
                home.refresh(store);
                Ok(View::Home(home))
            }
            Nav::To(place) => Ok(View::Screen(self.open_place(place, shared))),
            Nav::Live(session) => {
                shared.prefs.last_model = session.session().model;
                shared.prefs.last_route = session.session().route;
                Ok(View::Live(Box::new(self.live_view(*session, false))))
            }
            Nav::OpenSession(id, focus) => {
                SessionView::load(store, id, focus, self.settings.thresholds).map(screen)
            }
            Nav::Prep(client) => PrepView::load(store, client).map(screen),
            Nav::ClientHistory(client) => {
                ClientView::load(store, client, shared.clock.wall()).map(screen)
            }
        };
        loaded
            .map_err(|error| shared.notice = Some(error.to_string()))
            .ok()
    }

    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui, shared: &mut Shared) -> Nav {
        let mut nav = Nav::Stay;
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("KAP Journal");
                ui.separator();
                // While a session is live there is no second one, and the settings it runs under stay.
                let in_live = matches!(self.view, View::Live(_)) || self.aside.is_some();
                for place in &super::places::PLACES {
                    let mut button =
                        ui.add_enabled(place.while_live || !in_live, place.button(ui.ctx()));
                    if let Some(hover) = place.hover {
                        button = button.on_hover_text(hover);
                    }
                    if button.clicked() {
                        nav = (place.nav)();
                    }
                }
                if ui.add(UiCommand::Lock.button(ui.ctx())).clicked() {
                    self.lock_now(shared);
                }
                let dir = self.journal.read().dir().display().to_string();
                let synthetic = self.synthetic;
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.add(
                        egui::Label::new(egui::RichText::new(dir).small().color(theme::muted()))
                            .truncate(),
                    )
                    .on_hover_text("The data folder; the journal is journal.db inside it.");
                    if synthetic {
                        ui.label(
                            egui::RichText::new("Synthetic demo journal")
                                .strong()
                                .color(theme::warning()),
                        )
                        .on_hover_text(
                            "Made by kap-journal demo: no session here is a real client's, and every export says so.",
                        );
                    }
                });
            });
            let aside = self.aside.as_ref();
            // On a line of its own: at any window width it is whole and overlaps nothing.
            if let Some(live) = aside
                && back_to_live(ui, live.live())
            {
                nav = Nav::BackToLive;
            }
            crate::ui::widgets::dismissable_notice(ui, &mut shared.notice, theme::warning());
            if let Some(backup) = shared.backups.damaged_ui(ui, self.journal.read()) {
                nav = Nav::Restore(backup);
            }
        });
        nav
    }
}

/// Any screen but the two the app keeps, as the app holds it.
fn screen(view: impl AppView + 'static) -> View {
    View::Screen(Box::new(view))
}

/// The way back to the live session while other sessions are read: its countdown or the most
/// urgent line of it, in the model's colour; true when clicked.
fn back_to_live(ui: &mut egui::Ui, live: &LiveSession) -> bool {
    let glance = crate::ui::live::glance::all(live);
    let urgent = glance.first().map_or_else(
        || format!("since start {}", crate::format::elapsed(live.elapsed_ms())),
        |line| line.text.clone(),
    );
    let text = format!("Back to the live session · {urgent}");
    let button = egui::Button::new(egui::RichText::new(&text).strong())
        .truncate()
        .fill(theme::model_tint(live.session().model));
    ui.add(button).on_hover_text(text).clicked()
}
