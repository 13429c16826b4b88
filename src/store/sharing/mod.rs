//! What this journal shares with its practice: the membership and the signing keys it proves, the
//! copies pushed and the colleagues' copies held, the links between this journal's client codes
//! and the practice's, the keys trusted by hand, the rows refused, and what the server says was
//! read. It reads the registers (a colleague's read is a disclosure) and the record; neither reads it.

pub(in crate::store) mod client_identity;
pub(in crate::store) mod co_sessions;
pub(in crate::store) mod co_signatures;
pub(in crate::store) mod practice;
pub(in crate::store) mod practice_links;
pub(in crate::store) mod practice_pins;
pub(in crate::store) mod practice_quarantine;
pub(in crate::store) mod server_disclosures;

use super::Store;

/// The journal's side of the practice, lent by the store: [`Store::sharing`] to read it,
/// [`Store::sharing_mut`] to write it (every write through the store's one doorway).
pub struct Sharing<S>(S);

impl Store {
    pub fn sharing(&self) -> Sharing<&Self> {
        Sharing(self)
    }

    pub fn sharing_mut(&mut self) -> Sharing<&mut Self> {
        Sharing(self)
    }
}
