//! The live header: who, which model, the timers, the current dose, and any running countdown.

use egui::{RichText, Ui};

use super::super::commands::{DEFERRAL_COMMANDS, OUTCOME_COMMANDS, UiCommand};
use super::super::live_share::ShareStatus;
use super::super::{format, theme, widgets};
use super::glance;
use crate::domain::{CurrentDose, Seq};
use crate::live::{LiveSession, SaveStatus};
use crate::practice::Shared;

/// A returning client's suicide risk from an earlier session, as the header says it.
pub struct EarlierRisk {
    /// "Earlier suicide risk: session #12 of … · safety plan of …".
    pub line: String,
    /// What raised it, on hover.
    pub detail: String,
}

impl EarlierRisk {
    pub fn of(risk: &crate::review::SuicideRisk) -> Self {
        let times = if risk.sessions == 1 {
            String::new()
        } else {
            format!(" ({} sessions)", risk.sessions)
        };
        let plan = risk.plan.as_ref().map_or_else(
            || "NO safety plan since".to_owned(),
            |(at, _)| format!("safety plan of {}", format::date_time(*at)),
        );
        Self {
            line: format!(
                "Earlier suicide risk: session #{} of {}{times} · {plan}",
                risk.session,
                format::date_time(risk.started_at)
            ),
            detail: risk.signals.join("\n"),
        }
    }
}

/// What the clinician asked for from the header this frame.
pub enum HeaderAction {
    None,
    /// An outcome or a change of minutes for the deferral started at the entry.
    Deferral(UiCommand, Seq),
    /// The "vitals due" nudge was clicked.
    TakeVitals,
    /// The "CADSS-6 due" nudge was clicked.
    TakeMeasure,
}

/// The rate of the running infusion with the time left until its planned end, or the dose given.
fn current_dose(ui: &mut Ui, live: &LiveSession) {
    let weight = live.weight_kg();
    let now = live.elapsed_ms();
    let (what, dose, ends) = match live.current_dose() {
        CurrentDose::NotStarted => (
            "Current dose",
            "not yet given (Begin dosing)".to_owned(),
            None,
        ),
        CurrentDose::Infusing { rate, ends_ms } => (
            "Current rate",
            rate.describe(weight),
            Some(ends_ms.map_or_else(
                || "runs until stopped".to_owned(),
                |end| format!("ends in {}", format::countdown(end - now)),
            )),
        ),
        CurrentDose::InfusionComplete { ended_ms } => (
            "Infusion",
            format!("complete at {}", format::elapsed(ended_ms)),
            None,
        ),
        CurrentDose::Given(dose) => ("Current dose", dose.describe(weight), None),
        CurrentDose::Stopped => ("Current dose", "stopped".to_owned(), None),
    };
    // Each figure is one piece: the header wraps between figures, never inside one.
    ui.label(RichText::new(what).color(theme::muted()));
    ui.add(egui::Label::new(RichText::new(dose).font(theme::timer_font()).strong()).extend());
    if let Some(ends) = ends {
        ui.add(egui::Label::new(RichText::new(ends).color(theme::muted())).extend());
    }
}

/// Shows the header; `saved` is the honest save status line. `discharging` is true while the
/// clinician is ending the session (vitals are due before discharge). `earlier_risk` is the
/// client's suicide risk from an earlier session, in one line.
pub fn show(
    ui: &mut Ui,
    live: &LiveSession,
    saved: &RichText,
    shared: Option<&ShareStatus>,
    discharging: bool,
    earlier_risk: Option<&EarlierRisk>,
) -> HeaderAction {
    let session = live.session();
    let client = live.client();
    let weight = live.weight_kg();
    let mut action = HeaderAction::None;
    ui.horizontal(|ui| {
        widgets::model_badge(ui, session.model);
        ui.heading(client.title());
        ui.label(
            RichText::new(format!(
                "{} · planned {} · session #{}",
                session.route.label(),
                session.planned_dose.describe(weight),
                session.id
            ))
            .color(theme::muted()),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(saved.clone());
            let joined_from = live.team_author().filter(|_| live.is_joined());
            if let Some((line, why)) = shared.and_then(|status| share_status(status, joined_from)) {
                ui.separator();
                let label = ui.label(line);
                if let Some(why) = why {
                    label.on_hover_text(why);
                }
            }
        });
    });
    if let Some(risk) = earlier_risk {
        ui.add(egui::Label::new(RichText::new(&risk.line).strong().color(theme::warning())).wrap())
            .on_hover_text(&risk.detail);
    }
    // Wrapped, so the delivered total stays on screen beside a long dose on a narrow window.
    ui.horizontal_wrapped(|ui| {
        timer(ui, "Since start", Some(live.elapsed_ms()));
        timer(ui, "Since dosing", live.since_dosing_ms());
        timer(ui, "Since dose change", live.since_last_dose_change_ms());
        ui.separator();
        current_dose(ui, live);
        ui.add_space(theme::GAP);
        ui.label(RichText::new("Delivered so far").color(theme::muted()));
        let total = live
            .shown_state()
            .administration
            .delivered(weight, live.elapsed_ms());
        ui.add(
            egui::Label::new(
                RichText::new(total.describe())
                    .font(theme::timer_font())
                    .strong(),
            )
            .extend(),
        );
    });
    // Above any countdown: a running "sit with it" never hides a safety signal or a due check.
    if monitoring(ui, live, discharging) {
        action = HeaderAction::TakeVitals;
    }
    if dissociation_nudge(ui, live, discharging) {
        action = HeaderAction::TakeMeasure;
    }
    let now = live.elapsed_ms();
    for open in &live.shown_state().open_deferrals {
        ui.horizontal_wrapped(|ui| {
            glance::show(
                ui,
                &glance::countdown(open, now),
                theme::model_color(session.model),
            );
            ui.label(
                RichText::new(format!(
                    "{} min agreed, decision {}",
                    open.minutes, open.decision_seq
                ))
                .color(theme::muted()),
            );
            // Its outcome and minutes are for the clinician who started it to record.
            if let Some(own) = live.own_seq(open.seq) {
                for command in DEFERRAL_COMMANDS.into_iter().chain(OUTCOME_COMMANDS) {
                    if ui.add(command.button(ui.ctx())).clicked() {
                        action = HeaderAction::Deferral(command, own);
                    }
                }
            } else {
                let by = live
                    .author_of(open.seq)
                    .map_or("a colleague", |who| who.name.as_str());
                ui.label(RichText::new(format!("started by {by}")).color(theme::muted()));
            }
        });
    }
    action
}

/// The standing safety signals and where the vitals schedule is; true when "Take vitals" was clicked.
fn monitoring(ui: &mut Ui, live: &LiveSession, discharging: bool) -> bool {
    let model_color = theme::model_color(live.session().model);
    glance::show_safety(ui, &glance::safety(live));
    let Some(schedule) = glance::vitals(live, discharging) else {
        return false;
    };
    let shortcut = ui.ctx().format_shortcut(&UiCommand::Vitals.shortcut());
    ui.horizontal(|ui| {
        glance::show(ui, &schedule, model_color);
        schedule.urgency == glance::Urgency::Due
            && ui.button(format!("Take vitals ({shortcut})")).clicked()
    })
    .inner
}

/// "CADSS-6 due" once the set minutes after dosing have passed and no scale was answered since;
/// true when its button was clicked.
fn dissociation_nudge(ui: &mut Ui, live: &LiveSession, discharging: bool) -> bool {
    let Some(due) = glance::dissociation(live, discharging) else {
        return false;
    };
    let shortcut = ui.ctx().format_shortcut(&UiCommand::Measure.shortcut());
    ui.horizontal(|ui| {
        glance::show(ui, &due, theme::model_color(live.session().model));
        ui.button(format!("Ask CADSS-6 ({shortcut})")).clicked()
    })
    .inner
}

fn timer(ui: &mut Ui, label: &str, ms: Option<i64>) {
    ui.label(RichText::new(label).color(theme::muted()));
    let text = ms.map_or_else(|| "–".to_owned(), format::elapsed);
    ui.add(egui::Label::new(RichText::new(text).font(theme::timer_font()).strong()).extend());
    ui.add_space(theme::GAP);
}

/// Where the session stands with the practice, when it is in one: shown to the care team (with who
/// joined), joined from a colleague's (`joined_from`, who started it), or going on alone (with why,
/// on hover).
fn share_status(
    status: &ShareStatus,
    joined_from: Option<&crate::domain::Colleague>,
) -> Option<(RichText, Option<String>)> {
    match status {
        ShareStatus::Shared(Shared::Shown { joined }) if joined_from.is_some() => Some((
            RichText::new(format!(
                "In {}'s session",
                joined_from.map_or("a colleague", |author| author.name.as_str())
            ))
            .color(theme::saved()),
            Some(format!("Joined: {}", joined.join(", "))),
        )),
        ShareStatus::Shared(Shared::Shown { joined }) if joined.is_empty() => Some((
            RichText::new("Shown to the care team").color(theme::muted()),
            None,
        )),
        ShareStatus::Shared(Shared::Shown { joined }) => Some((
            RichText::new(format!("Joined by {}", joined.join(", "))).color(theme::saved()),
            None,
        )),
        ShareStatus::Alone { unreachable, why } => Some((
            RichText::new(if *unreachable {
                "Practice unreachable: going on alone"
            } else {
                "Not shown to the care team: going on alone"
            })
            .color(theme::warning()),
            Some(why.clone()),
        )),
        ShareStatus::Quiet | ShareStatus::Shared(Shared::NotShown | Shared::Ended) => None,
    }
}

/// Whether everything typed is on the disk, in the header: green when it is.
pub fn save_status(status: &SaveStatus) -> RichText {
    match status {
        SaveStatus::DraftNotSaved(why) => RichText::new(format!("Draft NOT saved: {why}"))
            .color(theme::warning())
            .strong(),
        SaveStatus::SavingEntries(unsaved) => RichText::new(format!(
            "Saving {}…",
            format::count(*unsaved, "entry", "entries")
        ))
        .color(theme::muted()),
        SaveStatus::SavingDraft => RichText::new("Saving draft…").color(theme::muted()),
        SaveStatus::DraftSaved(Some(at)) => {
            RichText::new(format!("Draft saved {}", format::clock_time(*at))).color(theme::saved())
        }
        SaveStatus::DraftSaved(None) => RichText::new("Draft saved").color(theme::saved()),
        SaveStatus::AllSaved => RichText::new("All entries saved").color(theme::saved()),
    }
}
