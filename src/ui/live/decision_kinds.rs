//! After a decision recorded in one key (Ctrl+S, Ctrl+L), a quiet row offers to say what came up
//! and who asked, each in one key (Alt+1 to Alt+7); each choice appends a `decision_detail` entry.
//! It asks only of the newest decision point, and only while something of it is not stated.

use egui::{Key, Modifiers, RichText, Ui};

use super::super::theme;
use crate::domain::{Asked, CameUp, Event, EventKind, Seq, decision_detail};

/// The newest decision point with a kind not stated: its entry, what it says, and its words.
pub struct Unstated {
    /// The decision, by its number in this journal (what the detail entry names).
    pub decision: Seq,
    /// Its number as the timeline shows it (in a session logged together, its merged place).
    pub shown: Seq,
    pub came_up: CameUp,
    pub asked: Asked,
    detail: String,
}

impl Unstated {
    /// From the timeline; `None` when the newest decision point says both (or there is none).
    pub fn of(events: &[Event]) -> Option<Self> {
        let applied = decision_detail::applied(events);
        let (seq, point) = applied.iter().rev().find_map(|event| match &event.kind {
            EventKind::DecisionPoint(point) => Some((event.seq, point)),
            _ => None,
        })?;
        (point.came_up == CameUp::NotStated || point.asked == Asked::NotStated).then(|| Self {
            decision: seq,
            shown: seq,
            came_up: point.came_up,
            asked: point.asked,
            detail: point.detail.trim().to_owned(),
        })
    }
}

/// What came up, by the key that says it.
const CAME_UP_KEYS: [(Key, CameUp); 4] = [
    (Key::Num1, CameUp::Emotion),
    (Key::Num2, CameUp::Memory),
    (Key::Num3, CameUp::Thought),
    (Key::Num4, CameUp::BodySensation),
];

/// Who asked, by the key that says it.
const ASKED_KEYS: [(Key, Asked); 3] = [
    (Key::Num5, Asked::ClientAsksToLower),
    (Key::Num6, Asked::ClinicianConsidersLowering),
    (Key::Num7, Asked::ClientAsksToStop),
];

/// Takes the one-key choices for `unstated` before the note field sees them; returns the kinds to
/// record and the key's digit, which a system may also send as text (in this frame or the next):
/// [`swallow`] keeps it out of the note.
pub fn keys(ui: &mut Ui, unstated: &Unstated) -> Option<((CameUp, Asked), &'static str)> {
    let mut chosen = None;
    let take = |key: Key| ui.input_mut(|input| input.consume_key(Modifiers::ALT, key));
    if unstated.came_up == CameUp::NotStated {
        for (key, came_up) in CAME_UP_KEYS {
            if take(key) {
                chosen = Some(((came_up, unstated.asked), key.symbol_or_name()));
            }
        }
    }
    if unstated.asked == Asked::NotStated {
        for (key, asked) in ASKED_KEYS {
            if take(key) {
                let came_up = chosen.map_or(unstated.came_up, |((came_up, _), _)| came_up);
                chosen = Some(((came_up, asked), key.symbol_or_name()));
            }
        }
    }
    chosen
}

/// Removes the text `digit` a chosen key also sent; true while it may still come (no text and no
/// other key yet), so the caller asks again next frame.
pub fn swallow(ui: &mut Ui, digit: &str) -> bool {
    ui.input_mut(|input| {
        let arrived = input.events.iter().any(|event| {
            matches!(
                event,
                egui::Event::Text(_) | egui::Event::Key { pressed: true, .. }
            )
        });
        input
            .events
            .retain(|event| !matches!(event, egui::Event::Text(text) if text == digit));
        !arrived
    })
}

/// Shows the row for `unstated`; returns the kinds to record when a button chose one.
pub fn show(ui: &mut Ui, unstated: &Unstated) -> Option<(CameUp, Asked)> {
    let mut chosen = None;
    let ctx = ui.ctx().clone();
    let shortcut =
        |key: Key| ctx.format_shortcut(&egui::KeyboardShortcut::new(Modifiers::ALT, key));
    ui.horizontal_wrapped(|ui| {
        let words = if unstated.detail.is_empty() {
            String::new()
        } else {
            format!(" (“{}”)", unstated.detail)
        };
        ui.label(
            RichText::new(format!("Decision {}{words}:", unstated.shown)).color(theme::muted()),
        );
        if unstated.came_up == CameUp::NotStated {
            ui.label(RichText::new("what came up?").color(theme::muted()));
            for (key, came_up) in CAME_UP_KEYS {
                let button = egui::Button::new(came_up.label()).shortcut_text(shortcut(key));
                if ui.add(button).clicked() {
                    chosen = Some((came_up, unstated.asked));
                }
            }
        }
        if unstated.asked == Asked::NotStated {
            ui.label(RichText::new("who asked?").color(theme::muted()));
            for (key, asked) in ASKED_KEYS {
                let button = egui::Button::new(asked.label()).shortcut_text(shortcut(key));
                if ui.add(button).clicked() {
                    chosen = Some((unstated.came_up, asked));
                }
            }
        }
    });
    chosen
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{Decision, DecisionPoint, SessionId};

    fn at(seq: u32, kind: EventKind) -> Event {
        Event {
            session_id: SessionId(1),
            seq: Seq(seq),
            wall_time: Utc::now(),
            elapsed_ms: 0,
            kind,
        }
    }

    #[test]
    fn only_the_newest_decision_is_asked_about_until_both_are_said() {
        let point = |came_up, asked| {
            EventKind::DecisionPoint(DecisionPoint {
                came_up,
                detail: "nausea and fear".into(),
                asked,
                decision: Decision::LowerNow,
                rationale: String::new(),
            })
        };
        let stated = at(1, point(CameUp::Memory, Asked::ClientAsksToStop));
        let one_key = at(2, point(CameUp::NotStated, Asked::NotStated));
        assert!(Unstated::of(std::slice::from_ref(&stated)).is_none());
        let asked = Unstated::of(&[stated.clone(), one_key.clone()]).unwrap();
        assert_eq!(asked.decision, Seq(2));
        let half = at(
            3,
            EventKind::DecisionDetail {
                decision_seq: Seq(2),
                came_up: CameUp::Emotion,
                asked: Asked::NotStated,
            },
        );
        let still = Unstated::of(&[stated.clone(), one_key.clone(), half]).unwrap();
        assert_eq!(
            (still.came_up, still.asked),
            (CameUp::Emotion, Asked::NotStated)
        );
        let both = at(
            3,
            EventKind::DecisionDetail {
                decision_seq: Seq(2),
                came_up: CameUp::Emotion,
                asked: Asked::ClientAsksToLower,
            },
        );
        assert!(Unstated::of(&[stated, one_key, both]).is_none());
    }
}
