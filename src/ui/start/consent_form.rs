//! The consent part of the start form. Without a clinic consent text it is today's tick box. With
//! one, it says where the client's consent stands; when it is not current, the items of the newest
//! version are ticked here and the consent is recorded as the session starts.

use egui::{RichText, Ui};

use super::super::theme;
use crate::domain::{ClientId, ConsentItem, ConsentStanding, NewConsent};
use crate::store::Store;

pub struct ConsentForm {
    standing: ConsentStanding,
    /// The newest version of the clinic's text, when it has one.
    version: Option<u32>,
    /// What the client agrees to now, item by item (in `ConsentItem::ALL` order).
    agreed: [bool; 4],
    /// The tick box, when the clinic has no text.
    confirmed_today: bool,
}

impl Default for ConsentForm {
    fn default() -> Self {
        Self {
            standing: ConsentStanding::NoClinicText,
            version: None,
            agreed: [false; 4],
            confirmed_today: false,
        }
    }
}

impl ConsentForm {
    /// Where `client`'s consent stands at `now` (`None`: a new client, who has none).
    pub fn load(
        store: &Store,
        client: Option<ClientId>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let version = store
            .registers()
            .consent_text()
            .ok()
            .flatten()
            .map(|text| text.version);
        let standing = match (version, client) {
            (None, _) => ConsentStanding::NoClinicText,
            (Some(_), None) => ConsentStanding::Missing,
            (Some(_), Some(client)) => store
                .registers()
                .consent_standing(client, now)
                .unwrap_or(ConsentStanding::Missing),
        };
        Self {
            standing,
            version,
            ..Self::default()
        }
    }

    /// A new consent is to be recorded with the session.
    fn asks_for_consent(&self) -> bool {
        !self.standing.allows_a_session()
    }

    pub fn ui(&mut self, ui: &mut Ui) {
        ui.vertical(|ui| {
            ui.label("Consent");
            match (&self.standing, self.version) {
                (ConsentStanding::NoClinicText, _) | (_, None) => {
                    ui.checkbox(&mut self.confirmed_today, "Consent confirmed today");
                }
                (standing, Some(version)) if self.asks_for_consent() => {
                    ui.label(
                        RichText::new(standing.describe(crate::format::clinic_days()))
                            .color(theme::warning()),
                    );
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("Record consent to version {version}:"));
                        for (item, agreed) in ConsentItem::ALL.into_iter().zip(&mut self.agreed) {
                            ui.checkbox(agreed, item.label());
                        }
                    });
                }
                (standing, Some(_)) => {
                    ui.label(
                        RichText::new(standing.describe(crate::format::clinic_days()))
                            .color(theme::saved()),
                    );
                }
            }
        });
    }

    /// Whether consent is in place for today's checklist.
    pub fn confirmed(&self) -> bool {
        match self.standing {
            ConsentStanding::NoClinicText => self.confirmed_today,
            _ if self.asks_for_consent() => self.agreed[0],
            _ => true,
        }
    }

    /// The consent to record as the session starts, taken by `recorded_by`.
    pub fn new_consent(&self, recorded_by: &str) -> Option<NewConsent> {
        (self.version.is_some() && self.asks_for_consent() && self.confirmed()).then(|| {
            NewConsent {
                // The start fills in a new client's id once the client is made.
                client_id: ClientId(0),
                items: ConsentItem::ALL.into_iter().zip(self.agreed).collect(),
                recorded_by: recorded_by.to_owned(),
                withdrawn: false,
            }
        })
    }
}
