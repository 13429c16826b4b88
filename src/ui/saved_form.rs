//! A value edited beside what the journal holds: whether there is anything to save, the save on its
//! way to the journal worker, its answer, and the status under it. Every edit-and-save panel in
//! Settings is one of these around its own fields (saved on a button), and so are the notes written
//! after a session (saved as they are typed, [`SavedForm::keep`]).

use super::awaiting::Awaiting;
use super::status::Status;
use crate::store::StoreError;
use crate::worker::{Change, Journal};

/// `T` is what the fields hold; `A` what the journal worker answers a save with.
pub struct SavedForm<T, A = ()> {
    /// What the fields hold now.
    pub editing: T,
    /// What the journal holds.
    saved: T,
    /// What was sent (the fields as checked), until the answer comes.
    sent: Option<T>,
    /// What the fields held when it was sent: typing since then is never overwritten.
    fields_when_sent: Option<T>,
    pub status: Status,
    saving: Awaiting<A>,
    /// When [`keep`](Self::keep) last sent, on the frame's clock (seconds).
    last_kept_s: f64,
}

impl<T: Clone + PartialEq + Default, A> Default for SavedForm<T, A> {
    fn default() -> Self {
        Self::new(T::default(), Status::Quiet)
    }
}

impl<T: Clone + PartialEq + Default, A> SavedForm<T, A> {
    /// The form on what the journal holds; on a value that cannot be read, the default and the
    /// sentence saying why.
    pub fn loaded(read: Result<T, StoreError>) -> Self {
        match read {
            Ok(value) => Self::new(value, Status::Quiet),
            Err(error) => Self::new(T::default(), Status::problem(error)),
        }
    }
}

impl<T: Clone + PartialEq, A> SavedForm<T, A> {
    /// The form on `saved`, what the journal holds, saying `status` under it.
    pub fn new(saved: T, status: Status) -> Self {
        Self {
            editing: saved.clone(),
            saved,
            sent: None,
            fields_when_sent: None,
            status,
            saving: Awaiting::default(),
            last_kept_s: f64::NEG_INFINITY,
        }
    }

    /// What the journal holds.
    pub fn saved(&self) -> &T {
        &self.saved
    }

    /// Whether the fields hold something the journal does not (yet).
    pub fn unsaved(&self) -> bool {
        self.editing != self.saved
    }

    /// Whether the fields differ from the journal and no save is on its way: the save button's
    /// state.
    pub fn can_save(&self) -> bool {
        self.unsaved() && !self.saving.is_waiting()
    }

    /// Whether a save is on its way (the fields may wait, disabled).
    pub fn is_waiting(&self) -> bool {
        self.saving.is_waiting()
    }

    /// What the journal holds changed by another way (a sync): the form takes it, fields and all.
    pub fn reload(&mut self, saved: T) {
        self.editing = saved.clone();
        self.saved = saved;
    }

    /// Puts back in the fields what the journal holds: for a panel that saves each choice as it
    /// is made, so a refused choice is not sent again and again.
    pub fn revert(&mut self) {
        self.editing = self.saved.clone();
    }

    /// Sends `change`, which saves `value` (the fields as checked); the form counts it as saved
    /// only when the answer says so.
    pub fn send<C: Change<Answer = A>>(&mut self, journal: &Journal, value: T, change: C) {
        self.sent = Some(value);
        self.fields_when_sent = Some(self.editing.clone());
        self.saving.send(journal, change);
    }

    /// Saves the fields as they are typed: sends them through `change` when they differ from the
    /// journal, no save is on its way and the last was sent at least `interval_s` ago (`now_s`,
    /// the frame's clock). Returns whether anything is still unsaved (ask for a frame then).
    pub fn keep<C: Change<Answer = A>>(
        &mut self,
        journal: &Journal,
        (now_s, interval_s): (f64, f64),
        change: impl FnOnce(&T) -> C,
    ) -> bool {
        if self.can_save() && now_s - self.last_kept_s >= interval_s {
            self.last_kept_s = now_s;
            let value = self.editing.clone();
            let change = change(&value);
            self.send(journal, value, change);
        }
        self.unsaved()
    }

    /// Takes the worker's answer once it has come: on success the value sent (or the one the
    /// answer gives back, as `kept` reads it) becomes the saved value, and the fields' too unless
    /// they were typed in since it was sent; the status says `done`, and the value is returned. On
    /// a refusal the status says why and the fields keep what was typed.
    pub fn answer(&mut self, done: &str, kept: impl FnOnce(A) -> Option<T>) -> Option<T> {
        let result = self.saving.answer()?;
        self.settle(result, done, kept)
    }

    /// Waits for a save on its way, then saves whatever is still unsaved through `change` and waits
    /// for that too: leaving a note, locking, closing. A refusal is in the status.
    pub fn save_and_wait<C: Change<Answer = A>>(
        &mut self,
        journal: &Journal,
        done: &str,
        change: impl FnOnce(&T) -> C,
    ) {
        if let Some(result) = self.saving.wait() {
            self.settle(result, done, |_| None);
        }
        if self.unsaved() {
            let value = self.editing.clone();
            let change = change(&value);
            self.send(journal, value, change);
            if let Some(result) = self.saving.wait() {
                self.settle(result, done, |_| None);
            }
        }
    }

    fn settle(
        &mut self,
        result: Result<A, StoreError>,
        done: &str,
        kept: impl FnOnce(A) -> Option<T>,
    ) -> Option<T> {
        let sent = self.sent.take();
        let fields_when_sent = self.fields_when_sent.take();
        match result {
            Ok(answer) => {
                let value = kept(answer).or(sent)?;
                if fields_when_sent.is_none_or(|fields| fields == self.editing) {
                    self.editing = value.clone();
                }
                self.saved = value.clone();
                self.status = Status::done(done);
                Some(value)
            }
            Err(error) => {
                self.status = Status::problem(error);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::SaveClinician;

    fn journal() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(
            dir.path(),
            &crate::store::Passphrase::new("synthetic test passphrase".to_owned()),
        )
        .unwrap();
        let journal = Journal::open_inline(store, Box::new(|| {})).unwrap();
        (dir, journal)
    }

    #[test]
    fn a_value_counts_as_saved_only_when_the_journal_says_so() {
        let (_dir, journal) = journal();
        let mut form: SavedForm<_, crate::domain::Clinician> =
            SavedForm::loaded(Ok(crate::domain::Clinician::default()));
        assert!(!form.can_save(), "nothing typed");
        form.editing.name = "R. Example".to_owned();
        assert!(form.can_save());
        let value = form.editing.clone();
        form.send(&journal, value.clone(), SaveClinician(value));
        let saved = form.answer("Name saved.", Some);
        assert_eq!(
            saved.map(|clinician| clinician.name).as_deref(),
            Some("R. Example")
        );
        assert_eq!(form.saved().name, "R. Example");
        assert_eq!(form.status, Status::done("Name saved."));
        assert!(!form.can_save());

        // A refusal keeps what was typed and says why.
        form.editing.name = String::new();
        let value = form.editing.clone();
        form.send(&journal, value.clone(), SaveClinician(value));
        assert_eq!(form.answer("Name saved.", |_| None), None);
        assert!(form.status.sentence().is_some_and(|why| !why.is_empty()));
        assert_eq!(form.saved().name, "R. Example");
        assert!(form.can_save(), "the empty name is still unsaved");
    }

    #[test]
    fn an_unreadable_value_opens_on_the_default_and_says_why() {
        let form: SavedForm<crate::domain::Clinician, crate::domain::Clinician> =
            SavedForm::loaded(Err(StoreError::Damaged("the clinician's name")));
        assert_eq!(form.saved(), &crate::domain::Clinician::default());
        assert!(matches!(form.status, Status::Problem(_)));
    }

    #[test]
    fn a_note_is_kept_as_it_is_typed_at_most_once_an_interval() {
        let (_dir, journal) = journal();
        let mut form: SavedForm<_, crate::domain::Clinician> =
            SavedForm::loaded(Ok(crate::domain::Clinician::default()));
        let save = |typed: &crate::domain::Clinician| SaveClinician(typed.clone());
        assert!(!form.keep(&journal, (10.0, 0.5), save), "nothing typed");
        form.editing.name = "R. Ex".to_owned();
        assert!(
            form.keep(&journal, (10.0, 0.5), save),
            "unsaved until answered"
        );
        form.answer("Saved.", Some);
        assert_eq!(form.saved().name, "R. Ex");

        form.editing.name = "R. Exa".to_owned();
        assert!(form.keep(&journal, (10.2, 0.5), save));
        assert_eq!(
            form.answer("Saved.", Some),
            None,
            "too soon: nothing was sent"
        );
        assert_eq!(form.saved().name, "R. Ex");
        form.keep(&journal, (10.6, 0.5), save);
        form.answer("Saved.", Some);
        assert_eq!(form.saved().name, "R. Exa");
        assert!(!form.unsaved());
    }

    #[test]
    fn words_typed_while_a_save_is_on_its_way_are_kept_and_saved_next() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(
            dir.path(),
            &crate::store::Passphrase::new("synthetic test passphrase".to_owned()),
        )
        .unwrap();
        let slow = std::time::Duration::from_millis(150);
        let journal = Journal::open_slowed(store, Box::new(|| {}), slow).unwrap();
        let mut form: SavedForm<_, crate::domain::Clinician> =
            SavedForm::loaded(Ok(crate::domain::Clinician::default()));
        let save = |typed: &crate::domain::Clinician| SaveClinician(typed.clone());
        form.editing.name = "R. Ex".to_owned();
        form.keep(&journal, (0.0, 0.5), save);
        form.editing.name = "R. Example".to_owned();
        let mut answered = None;
        while answered.is_none() {
            answered = form.answer("Saved.", Some);
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(form.saved().name, "R. Ex");
        assert_eq!(
            form.editing.name, "R. Example",
            "what was typed since stays"
        );
        assert!(form.unsaved());

        form.save_and_wait(&journal, "Saved.", save);
        assert_eq!(form.saved().name, "R. Example");
        assert!(!form.unsaved());
        let kept = journal.read().clinician().unwrap().unwrap();
        assert_eq!(kept.name, "R. Example");
    }
}
