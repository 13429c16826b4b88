//! A value edited in a panel beside what the journal holds: whether there is anything to save, the
//! save on its way to the journal worker, its answer, and the status under the panel. Every
//! edit-and-save panel in Settings is one of these around its own fields.

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
    /// What was sent, until the answer comes.
    sent: Option<T>,
    pub status: Status,
    saving: Awaiting<A>,
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
            status,
            saving: Awaiting::default(),
        }
    }

    /// What the journal holds.
    pub fn saved(&self) -> &T {
        &self.saved
    }

    /// Whether the fields differ from the journal and no save is on its way: the save button's
    /// state.
    pub fn can_save(&self) -> bool {
        self.editing != self.saved && !self.saving.is_waiting()
    }

    /// Whether a save is on its way (the fields may wait, disabled).
    pub fn is_waiting(&self) -> bool {
        self.saving.is_waiting()
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
        self.saving.send(journal, change);
    }

    /// Takes the worker's answer once it has come: on success the value sent (or the one the
    /// answer gives back, as `kept` reads it) becomes both the saved value and the fields', the
    /// status says `done`, and the value is returned; on a refusal the status says why and the
    /// fields keep what was typed.
    pub fn answer(&mut self, done: &str, kept: impl FnOnce(A) -> Option<T>) -> Option<T> {
        match self.saving.answer()? {
            Ok(written) => {
                let sent = self.sent.take();
                let value = kept(written).or(sent)?;
                self.editing = value.clone();
                self.saved = value.clone();
                self.status = Status::done(done);
                Some(value)
            }
            Err(error) => {
                self.sent = None;
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
}
