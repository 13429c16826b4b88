//! What last happened in a panel, said under it in one sentence: done (muted) or a problem (in the
//! warning colour). One type for every edit-and-save panel, so each says its outcome the same way.

use egui::Ui;

/// The outcome of a panel's last action.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Status {
    /// Nothing to say.
    #[default]
    Quiet,
    /// It was done: "Settings saved.", "Saved to …".
    Done(String),
    /// It was not: the plain sentence saying why.
    Problem(String),
}

impl Status {
    pub fn done(sentence: impl Into<String>) -> Self {
        Self::Done(sentence.into())
    }

    /// A problem, in the words of `why` (an error's own sentence).
    #[allow(
        clippy::needless_pass_by_value,
        reason = "callers hand over the error they are done with"
    )]
    pub fn problem(why: impl ToString) -> Self {
        Self::Problem(why.to_string())
    }

    /// `Done` or `Problem` as `problem` says (for outcomes worked out elsewhere).
    pub fn of(sentence: String, problem: bool) -> Self {
        if problem {
            Self::Problem(sentence)
        } else {
            Self::Done(sentence)
        }
    }

    /// The sentence, if there is one.
    pub fn sentence(&self) -> Option<&str> {
        match self {
            Self::Quiet => None,
            Self::Done(sentence) | Self::Problem(sentence) => Some(sentence),
        }
    }

    /// Shows the sentence: muted when done, in the warning colour when a problem; nothing when quiet.
    pub fn show(&self, ui: &mut Ui) {
        let color = match self {
            Self::Quiet => return,
            Self::Done(_) => super::theme::muted(),
            Self::Problem(_) => super::theme::warning(),
        };
        if let Some(sentence) = self.sentence() {
            ui.colored_label(color, sentence);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_quiet_done_or_a_problem_and_shown_so() {
        assert_eq!(Status::default().sentence(), None);
        assert_eq!(Status::done("Saved.").sentence(), Some("Saved."));
        assert_eq!(
            Status::problem("The disk is full."),
            Status::Problem("The disk is full.".to_owned())
        );
        assert_eq!(Status::of("Saved.".into(), false), Status::done("Saved."));
        assert_eq!(Status::of("No.".into(), true), Status::problem("No."));

        let ctx = egui::Context::default();
        let mut shown = Vec::new();
        for status in [
            Status::Quiet,
            Status::done("Saved."),
            Status::problem("No room."),
        ] {
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let before = ui.min_rect().height();
                status.show(ui);
                shown.push(ui.min_rect().height() > before);
            });
            // Nothing is painted here: the font atlas the pass made is let go.
            output.textures_delta.clear();
        }
        assert_eq!(shown, [false, true, true], "a quiet status takes no room");
    }
}
