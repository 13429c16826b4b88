//! Phrase lists for synthetic sessions. Invented for the demo; no real client said any of this.

use rand::Rng;

use crate::domain::{CameUp, Decision, DeferralOutcome, TreatmentModel};

/// Picks one item; the lists are never empty.
pub fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

pub const DISPLAY_NAMES: &[&str] = &[
    "Robin", "Sam", "Alex", "Jordan", "Kai", "Noor", "Mika", "Ira", "Lee", "Tove", "Ana", "Remy",
];

pub const INTENTIONS: &[&str] = &[
    "Stay open to whatever comes up about my father.",
    "Understand where the heaviness in my chest comes from.",
    "Be kinder to myself when the old shame shows up.",
    "Let go of the need to control every outcome.",
    "Meet the grief I have been avoiding since the move.",
    "Notice what my body is telling me about work.",
    "Feel safe enough to rest.",
    "Explore the anger I never let myself show.",
];

pub const COMFORT_PLANS: &[&str] = &[
    "Hand on shoulder if I reach out; remind me to breathe slowly.",
    "Use my name and tell me where I am; no touch.",
    "Play the second playlist; blanket within reach.",
    "Ask before any touch; say 'you are safe, this will pass'.",
    "Let me sit up; water and tissues nearby.",
];

/// What came up, in a few words, by its kind.
pub fn came_up(kind: CameUp) -> &'static [&'static str] {
    match kind {
        CameUp::Emotion => &[
            "grief about father",
            "anger at former partner",
            "loneliness after the move",
            "shame about leaving school",
            "fear that it will never lift",
        ],
        CameUp::Memory => &[
            "memory of the accident",
            "the hospital corridor the night mother died",
            "being sent away to boarding school",
            "the last argument with a brother",
        ],
        CameUp::Thought => &[
            "thought that nothing will change",
            "thought of being a burden",
            "fear of losing control",
            "conviction of having failed the children",
        ],
        CameUp::BodySensation => &[
            "tightness in the chest",
            "dizziness and heaviness in the limbs",
            "a wave of nausea",
            "cold hands and a racing heart",
        ],
        // A decision logged in one key: the clinician's words, no kind.
        CameUp::NotStated => &[
            "nausea and fear",
            "wants to keep going",
            "too much, too fast",
        ],
    }
}

/// Why the decision was taken, by decision.
pub fn rationales(decision: Decision) -> &'static [&'static str] {
    match decision {
        Decision::SitWithIt { .. } => &[
            "Client willing to stay with it for a few minutes with support.",
            "Vitals stable, client consented to wait and explore.",
            "Agreed in preparation to try staying with hard material first.",
        ],
        Decision::Hold => &[
            "Distress brief; comfort plan enough.",
            "Settled with reassurance; no change needed.",
            "Client chose to carry on as planned.",
        ],
        Decision::LowerNow => &[
            "Client firm about wanting less; respected.",
            "Distress high; comfort plan not enough.",
            "Discomfort is physical rather than emotional; lowered to be safe.",
        ],
        Decision::Stop => &["Client asked to stop; stayed with them until settled."],
    }
}

/// What the clinician noted as a "sit with it" ended, by how it ended.
pub fn outcome_notes(outcome: DeferralOutcome) -> &'static [&'static str] {
    match outcome {
        DeferralOutcome::WorkedThrough => &[
            "The wave passed; client says it feels lighter.",
            "Found words for it; wants to talk about this next time.",
            "Stayed with it and it softened.",
        ],
        DeferralOutcome::DoseLowered => &[
            "Still too intense after the agreed minutes; asked for less.",
            "Client asked again for a lower dose; agreed.",
        ],
        DeferralOutcome::EndedEarly => &[
            "Client chose to stop waiting; no change.",
            "Eased before the time was up; carried on.",
        ],
        DeferralOutcome::SessionStopped => &["Client asked to end; infusion stopped."],
    }
}

/// How the session ended, in the clinician's words. Only KAP sessions speak of integration: a Medical
/// Model course has no talk-therapy session to bring the material to.
pub fn closing_notes(model: TreatmentModel) -> &'static [&'static str] {
    match model {
        TreatmentModel::Kap => &[
            "Alert and oriented, ride home arranged.",
            "Tired but calm; integration next week.",
            "Recovered well; discussed bringing today's material to therapy.",
            "Steady on feet, talking clearly; partner collected.",
        ],
        TreatmentModel::Medical => &[
            "Alert and oriented, ride home arranged.",
            "Drowsy at first; recovered within the hour.",
            "Steady on feet, talking clearly; partner collected.",
            "Mild headache at discharge, settled with water and rest.",
        ],
    }
}

/// The follow-up written into the discharge record.
pub fn follow_ups(model: TreatmentModel) -> &'static [&'static str] {
    match model {
        TreatmentModel::Kap => &[
            "Integration session in three days.",
            "Next-day check-in call; integration next week.",
            "Bring today's journal page to therapy on Thursday.",
            "Call the clinic if low mood returns before the next session.",
        ],
        TreatmentModel::Medical => &[
            "Next session as scheduled.",
            "Next-day check-in call.",
            "Psychiatrist to review response after the series.",
            "Call the clinic if low mood returns before the next session.",
        ],
    }
}

/// A safety plan as one might be written with a client (synthetic), varied by the client.
pub fn safety_plan(client_index: usize) -> crate::domain::SafetyPlan {
    const WARNING_SIGNS: &[&str] = &[
        "Stops answering messages; lies awake going over the same thoughts",
        "Cancels plans, drinks alone, says \"what's the point\"",
    ];
    const COPING: &[&str] = &[
        "Walk the dog around the park; cold water on the face; the playlist from session",
        "Write the letter to the future self; call a friend to talk about anything else",
    ];
    const CONTACTS: &[&str] = &[
        "Sister (evenings); the clinic line in hours; 988 Suicide & Crisis Lifeline at any hour",
        "Partner; best friend; the clinic line in hours; 988 Suicide & Crisis Lifeline at any hour",
    ];
    const MEANS: &[&str] = &[
        "Partner keeps the sleeping tablets; no more than a week's supply at home",
        "Medicines in a locked box, key with a friend",
    ];
    let pick = |list: &[&str]| list[client_index % list.len()].to_owned();
    crate::domain::SafetyPlan {
        warning_signs: pick(WARNING_SIGNS),
        coping_steps: pick(COPING),
        contacts: pick(CONTACTS),
        means_safety: pick(MEANS),
    }
}
