//! What a live session says at a glance, as lines of text in order of urgency: safety flags first,
//! then the "sit with it" countdowns, then what is due. The live header draws them with their
//! buttons; the lock screen draws them alone, so a locked window never hides a running countdown or
//! a safety signal. None of the lines names the client or quotes a note.

use egui::{Color32, FontId, RichText, Ui};

use super::super::{format, theme, widgets};
use crate::domain::{OpenDeferral, VitalsSchedule, VitalsStatus, active_flags};
use crate::live::LiveSession;

/// What a screen reader says when a "sit with it" countdown runs out.
pub const TIME_UP_SPOKEN: &str = "Time is up: record the outcome of sit with it";

/// One line of the glance.
pub struct Line {
    pub text: String,
    pub urgency: Urgency,
}

/// How loudly a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// A reading beyond the clinic's thresholds: white on red, as large as a countdown.
    Safety,
    /// A countdown running, in the session's model colour.
    Countdown,
    /// A countdown whose time is up: as large, in red.
    TimeUp,
    /// Time is up, or a check is due: red.
    Due,
    /// For information.
    Calm,
}

/// The standing safety flags, newest reading of each sign.
pub fn safety(live: &LiveSession) -> Vec<Line> {
    let mut flags = active_flags(&live.shown_state().latest, &live.settings().thresholds);
    if live.shown_state().needs_safety_plan {
        flags.push("Suicide risk: safety plan to make (Ctrl+Shift+S)".to_owned());
    }
    flags
        .into_iter()
        .map(|flag| Line {
            text: format!("SAFETY  {flag}"),
            urgency: Urgency::Safety,
        })
        .collect()
}

/// A running "sit with it" countdown, or that its time is up.
pub fn countdown(open: &OpenDeferral, now_ms: i64) -> Line {
    let remaining = open.remaining_ms(now_ms);
    if remaining > 0 {
        Line {
            text: format!("Sit with it  {}", format::countdown(remaining)),
            urgency: Urgency::Countdown,
        }
    } else {
        Line {
            text: format!(
                "Time is up ({} over): record the outcome",
                format::elapsed(-remaining)
            ),
            urgency: Urgency::TimeUp,
        }
    }
}

/// Where the vitals schedule stands; `Due` when vitals are due now.
pub fn vitals(live: &LiveSession, discharging: bool) -> Option<Line> {
    let state = live.shown_state();
    let now = live.elapsed_ms();
    let schedule = VitalsSchedule {
        route: live.session().route,
        every_minutes: live.settings().vitals_every_minutes,
    };
    match schedule.status(state, now, discharging) {
        VitalsStatus::Due {
            checkpoint,
            since_ms,
        } => {
            let overdue = if now > since_ms {
                format!(", {} overdue", format::elapsed(now - since_ms))
            } else {
                String::new()
            };
            Some(Line {
                text: format!("Vitals due ({}{overdue})", checkpoint.label()),
                urgency: Urgency::Due,
            })
        }
        VitalsStatus::Next { checkpoint, at_ms } => Some(Line {
            text: format!(
                "Next vitals in {} ({})",
                format::countdown(at_ms - now),
                checkpoint.label()
            ),
            urgency: Urgency::Calm,
        }),
        VitalsStatus::UpToDate => state.latest.vitals_at_ms.map(|at| Line {
            text: format!("Vitals taken {} ago", format::elapsed(now - at)),
            urgency: Urgency::Calm,
        }),
    }
}

/// "CADSS-6 due" once it has fallen due and was not answered since.
pub fn dissociation(live: &LiveSession, discharging: bool) -> Option<Line> {
    let now = live.elapsed_ms();
    let settings = live.settings();
    let due_at = settings.dissociation_due(live.shown_state(), now, discharging)?;
    let overdue = if now > due_at {
        format!(", {} overdue", format::elapsed(now - due_at))
    } else {
        String::new()
    };
    let when = if discharging {
        "before discharge".to_owned()
    } else {
        format!(
            "{} min after dosing{overdue}",
            settings.dissociation_at_minutes
        )
    };
    Some(Line {
        text: format!("CADSS-6 due ({when})"),
        urgency: Urgency::Due,
    })
}

/// Every line, most urgent first: what the lock screen shows.
pub fn all(live: &LiveSession) -> Vec<Line> {
    let now = live.elapsed_ms();
    let mut lines = safety(live);
    lines.extend(
        live.shown_state()
            .open_deferrals
            .iter()
            .map(|open| countdown(open, now)),
    );
    lines.extend(vitals(live, false));
    lines.extend(dissociation(live, false));
    lines
}

/// Draws the standing safety flags: one alone as large as a countdown; several side by side,
/// wrapped, a size smaller, so three flags still leave the timeline its rows on a small screen.
pub fn show_safety(ui: &mut Ui, lines: &[Line]) {
    if let [line] = lines {
        show(ui, line, theme::warning());
        return;
    }
    let font = FontId::proportional(24.0);
    ui.horizontal_wrapped(|ui| {
        for (index, line) in lines.iter().enumerate() {
            // A flag is one framed piece, so the row is ended by hand when it would not fit.
            let width = ui
                .painter()
                .layout_no_wrap(line.text.clone(), font.clone(), Color32::WHITE)
                .size()
                .x
                + 16.0;
            if index > 0 && width > ui.available_size_before_wrap().x {
                ui.end_row();
            }
            safety_flag(ui, &line.text, font.clone());
        }
    });
}

/// One flag on red, in `font`; a screen reader announces it at once when it rises.
fn safety_flag(ui: &mut Ui, text: &str, font: FontId) {
    egui::Frame::new()
        .fill(theme::warning_fill())
        .inner_margin(egui::Margin::symmetric(8, 3))
        .corner_radius(4)
        .show(ui, |ui| {
            // Never broken inside: a number stays beside its unit, and the flag wraps whole.
            let flag = ui.add(
                egui::Label::new(
                    RichText::new(text)
                        .strong()
                        .font(font)
                        .color(Color32::WHITE),
                )
                .extend(),
            );
            widgets::announce(ui, &flag, None, true);
        });
}

/// What a screen reader announces for a line whose visible text counts on every second: the
/// line without its running overdue time ("Vitals due (T+30, 2:00 overdue)" is said "Vitals due
/// (T+30)"), so it is said once, not every second.
fn spoken(text: &str) -> String {
    match (text.rfind(", "), text.strip_suffix(" overdue)")) {
        (Some(count), Some(_)) => format!("{})", &text[..count]),
        _ => text.to_owned(),
    }
}

/// Draws one line; a safety flag is as large as a countdown, on red.
pub fn show(ui: &mut Ui, line: &Line, model_color: Color32) {
    let text = RichText::new(&line.text).strong();
    match line.urgency {
        Urgency::Safety => safety_flag(ui, &line.text, theme::countdown_font()),
        Urgency::Countdown => {
            ui.label(text.font(theme::countdown_font()).color(model_color));
        }
        Urgency::TimeUp => {
            let up = ui.label(text.font(theme::countdown_font()).color(theme::warning()));
            widgets::announce(ui, &up, Some((TIME_UP_SPOKEN, &line.text)), true);
        }
        Urgency::Due => {
            let due = ui.label(text.color(theme::warning()));
            widgets::announce(ui, &due, Some((&spoken(&line.text), &line.text)), false);
        }
        Urgency::Calm => {
            ui.label(RichText::new(&line.text).color(theme::muted()));
        }
    }
}
