//! The demo practice's consents: the clinic adopts its consent text a week before the first
//! session and a second version two months before the last day; each client consents before their
//! first session and again when their consent expires or a new version is in force; the last client
//! withdraws consent two days after their last session. No draw of the
//! random generator is used, so the seeds' sessions stay as they were.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::{ClientId, ConsentItem, ConsentRecord, ConsentText, NewConsent};
use crate::store::{Store, StoreError};

const TEXT_V1: &str = "Consent to ketamine treatment (synthetic). Ketamine is used off-label for depression, anxiety and suicidal thoughts. \
During a session you may ask for supportive touch, music and recording, and change your mind at any time. \
Your clinician may ask you to stay with a difficult moment for a few agreed minutes before the dose is lowered; you can always ask again.";
const TEXT_V2: &str = "Consent to ketamine treatment (synthetic), version 2. As version 1, and: esketamine sessions are monitored for at least two hours \
and reported to the REMS; your records may be shared with the practice's psychiatrist through the practice server.";
/// Consents are renewed after this many days.
const RENEW_AFTER_DAYS: u32 = 180;

/// The texts in force and every consent given, as the sessions are made in the order they happened.
pub struct ConsentBook {
    texts: Vec<ConsentText>,
    latest: std::collections::HashMap<ClientId, ConsentRecord>,
    given: Vec<ConsentRecord>,
    /// The last session of the last client so far, who withdraws after it.
    last_of_last: Option<(ClientId, DateTime<Utc>)>,
}

impl ConsentBook {
    pub fn new(first_day: NaiveDate, last_day: NaiveDate) -> Self {
        let adopted = |day: NaiveDate| day.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc();
        let text = |version, text: &str, day| ConsentText {
            version,
            text: text.to_owned(),
            renew_after_days: RENEW_AFTER_DAYS,
            adopted_at: adopted(day),
        };
        let mut texts = vec![text(1, TEXT_V1, first_day - Duration::days(7))];
        let second = last_day - Duration::days(60);
        if second > first_day {
            texts.push(text(2, TEXT_V2, second));
        }
        Self {
            texts,
            latest: std::collections::HashMap::new(),
            given: Vec::new(),
            last_of_last: None,
        }
    }

    /// The consent `client` (the `index`th) has for a session starting at `at`; a new one is given
    /// a quarter of an hour before when theirs is missing, expired or to an older version.
    pub fn for_session(
        &mut self,
        client: ClientId,
        index: usize,
        at: DateTime<Utc>,
    ) -> Option<ConsentRecord> {
        if self.last_of_last.is_none_or(|(last, _)| client.0 >= last.0) {
            self.last_of_last = Some((client, at));
        }
        let in_force = self.texts.iter().rev().find(|text| text.adopted_at <= at)?;
        let current = self.latest.get(&client).is_some_and(|latest| {
            latest.version == in_force.version && at.date_naive() <= latest.renew_by
        });
        if !current {
            let consent = NewConsent {
                client_id: client,
                items: choices(index),
                recorded_by: String::new(),
                withdrawn: false,
            };
            let record = consent
                .to_version(in_force, at - Duration::minutes(15))
                .ok()?;
            self.given.push(record.clone());
            self.latest.insert(client, record);
        }
        self.latest.get(&client).cloned()
    }

    /// Writes the texts, every consent given, and the last client's withdrawal.
    pub fn write(mut self, store: &mut Store) -> Result<(), StoreError> {
        if store.registers().consent_text()?.is_some() || self.given.is_empty() {
            // A journal that had a demo before keeps its own texts.
            return Ok(());
        }
        for text in &self.texts {
            store.registers_mut().adopt_consent_text(
                &text.text,
                text.renew_after_days,
                text.adopted_at,
            )?;
        }
        if let Some((client, last)) = self.last_of_last
            && let Some(text) = self.texts.last()
            && let Ok(withdrawal) = (NewConsent {
                client_id: client,
                items: Vec::new(),
                recorded_by: String::new(),
                withdrawn: true,
            })
            .to_version(text, last + Duration::days(2))
        {
            self.given.push(withdrawal);
        }
        store.registers_mut().insert_consent_records(&self.given)
    }
}

/// What each client agrees to: everyone to off-label use and music; two in three to touch; one in
/// four to recording.
fn choices(index: usize) -> Vec<(ConsentItem, bool)> {
    vec![
        (ConsentItem::OffLabelUse, true),
        (ConsentItem::Touch, !index.is_multiple_of(3)),
        (ConsentItem::Music, true),
        (ConsentItem::Recording, index.is_multiple_of(4)),
    ]
}
