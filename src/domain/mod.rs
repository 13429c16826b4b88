//! Pure types and rules of the journal: clients, sessions, events and doses.
//!
//! Nothing here knows about SQL or egui, so every rule can be tested on its own.

mod administration;
mod adverse;
mod client;
mod clinic_name;
mod clinic_zone;
mod co_session;
mod co_signature;
mod consent;
mod controlled_substance;
mod date_style;
mod decision;
pub mod decision_detail;
mod deferral_link;
mod delivered;
mod discharge;
mod disclosure;
mod dose;
mod event;
pub mod figure;
mod follow_up;
mod identifying_text;
mod measure;
mod model;
mod practice;
mod pre_session;
mod progress_note;
mod rems;
mod rems_medicines;
mod rems_patient;
mod rems_readings;
mod route;
mod safety;
mod sedation;
mod session;
mod session_facts;
mod settings;
mod signature;
mod soft_stop;
mod suicide_risk;
mod timeline;
mod typed_number;
mod vitals;
mod vitals_schedule;
mod vitals_thresholds;
mod wall_clock;
pub mod words;

pub use administration::{Administration, CurrentDose, Rate, RateSpan};
pub use adverse::{AdverseCategory, AdverseEvent, AdverseSeverity};
pub use client::{
    Client, ClientError, ClientId, NewClient, WEIGHT_RANGE_KG, WeightUnit, parse_weight,
    typed_in_pounds,
};
pub use clinic_name::{ClinicName, ClinicNameError, MAX_CLINIC_NAME_CHARS};
pub use clinic_zone::{ClinicZone, UnknownZone};
pub use co_session::{Colleague, LiveEntry, TeamRow, TeamTimeline};
pub use co_signature::{
    CoSignature, CoSignatureStanding, CoSignedPart, co_session_digest, co_signature_message,
};
pub use consent::{
    ConsentError, ConsentGiven, ConsentItem, ConsentRecord, ConsentStanding, ConsentText,
    MAX_CONSENT_TEXT_BYTES, NewConsent, RENEW_AFTER_DAYS_RANGE, RENEWAL_NOTICE_DAYS,
    check_consent_text,
};
pub use controlled_substance::{
    LotBalance, LotCode, Micrograms, Movement, NewSubstanceEntry, Substance, SubstanceEntry,
    SubstanceLogError, running_balance,
};
pub use date_style::{
    ClinicDays, ClockChoice, DateOrder, DateStyleError, DateTimeSettings, DateTimeStyle,
    UnreadableDate, twelve_hour_in_strftime, twelve_hour_in_windows_format,
};
pub use decision::{Asked, CameUp, Decision, DecisionPoint, DeferralOutcome};
pub use deferral_link::{DeferralLinks, decisions_of_deferrals, repaired_links};
pub use delivered::{Delivered, delivered};
pub use discharge::{
    DISCHARGE_CRITERIA, Discharge, ESKETAMINE_MONITORING_MS, MAX_READY_AFTER_MINUTES, monitoring_ms,
};
pub use disclosure::{Disclosure, DisclosureKind, DisclosureScope, NewDisclosure};
pub use dose::{Delivery, Dose, DoseError, DoseUnit, Infusion, MAX_INFUSION_MINUTES};
pub use event::{
    DEFAULT_EXTENSION_MINUTES, DEFAULT_SIT_WITH_IT_MINUTES, Event, EventKind,
    MAX_EXTENSION_MINUTES, MAX_SIT_WITH_IT_MINUTES, Seq, calls_for_safety_plan,
};
pub use follow_up::{CheckIn, CheckInKind, EBI_ITEMS, Ebi, FollowUp, FollowUpError, FollowUpId};
pub use identifying_text::{hides_or_moves_text, is_identifier_code, looks_like};
pub use measure::{Instrument, Measure, MeasureError, Severity};
pub use model::TreatmentModel;
pub use practice::{PracticeMembership, PracticeRole};
pub use pre_session::{
    InteractionClass, MIN_FASTING_HOURS, PreSession, PreSessionError, interaction, medicine_lines,
    session_weight,
};
pub use progress_note::{NoteFormat, ProgressNote, ProgressNoteError};
pub use rems::{
    ESKETAMINE_DEVICE_MG, REMS_MONITORING_MINUTES, REMS_SUBMIT_WITHIN_DAYS, RemsContext, RemsError,
    RemsForm,
};
pub use rems_medicines::Concomitant;
pub use rems_patient::{
    MAX_CONTACT_CHARS, MAX_REMS_NAME_CHARS, RemsContact, RemsContactError, RemsPatient,
    RemsPatientError, RemsSex,
};
pub use rems_readings::{Effect, Oximetry, TimedPressure};
pub use route::Route;
pub use safety::{active_flags, entry_flags};
pub use sedation::{Sedation, SedationError};
pub use session::{
    MAX_SESSION_ENTRIES, NewSession, Session, SessionError, SessionId, SessionStatus,
};
pub use session_facts::{Fact, SessionFacts};
pub use settings::{
    BACKUPS_KEPT_RANGE, ClinicSettings, DISSOCIATION_AT_RANGE, LOCK_AFTER_RANGE, LOWER_TO_RANGE,
    MONITOR_MINUTES_RANGE, RATE_CEILING_RANGE, SETTING_KEYS, SettingsError, VITALS_INTERVAL_RANGE,
};
pub use signature::{
    Addendum, Clinician, KeyedSeal, MAX_SIGNER_CHARS, Signature, SignatureError, SignatureStanding,
};
pub use soft_stop::{Guarded, required_monitoring_ms, soft_stops};
pub use suicide_risk::{
    ASQ_QUESTIONS, AsqAnswer, AsqError, AsqResult, AsqScreen, SafetyPlan, SafetyPlanError,
    suicide_safety_assessment,
};
pub use timeline::{LatestReadings, OpenDeferral, TimelineState};
pub use typed_number::{NumberError, parse_decimal};
pub use vitals::{Vitals, VitalsError, VitalsText};
pub use vitals_schedule::{Checkpoint, VitalsSchedule, VitalsStatus};
pub use vitals_thresholds::{Thresholds, VitalsFlag};
pub use wall_clock::wall_now;
