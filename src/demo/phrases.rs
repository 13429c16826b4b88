//! Phrase lists for synthetic sessions. Invented for the demo; no real client said any of this.

use rand::Rng;

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

pub const NOTES: &[&str] = &[
    "Eyes closed, breathing slow and even.",
    "Client describes colours moving, says it feels pleasant.",
    "Tearful, says it is a relief to cry.",
    "Reports a sense of floating above the room.",
    "Hands restless, then settles after reminder to breathe.",
    "Talks about a childhood kitchen, warm and safe.",
    "Quiet for several minutes, face relaxed.",
    "Says the music feels too loud; volume lowered.",
    "Laughs, says everything seems simple right now.",
    "Mentions the funeral, long pause.",
    "Asks for water; sips and lies back.",
    "Describes a wave of warmth through the chest.",
    "Murmurs about the old house, shoulders drop.",
    "Reports mild nausea, passing.",
    "Says she can see herself as a child and wants to protect her.",
    "Says the fear is smaller than it used to be.",
];

pub const CAME_UP: &[&str] = &[
    "grief about father",
    "fear of losing control",
    "memory of the accident",
    "shame about leaving school",
    "tightness in the chest",
    "thought that nothing will change",
    "anger at former partner",
    "dizziness and heaviness in the limbs",
    "loneliness after the move",
];

pub const RATIONALES: &[&str] = &[
    "Client willing to stay with it for a few minutes with support.",
    "Vitals stable, client consented to wait and explore.",
    "Distress high; comfort plan not enough.",
    "Client firm about wanting less; respected.",
    "Discomfort is physical rather than emotional; lowered to be safe.",
    "Agreed in preparation to try staying with hard material first.",
];

pub const OUTCOME_NOTES: &[&str] = &[
    "The wave passed; client says it feels lighter.",
    "Still too intense after the agreed minutes.",
    "Client chose to stop waiting; no change.",
    "Client asked to end; infusion stopped.",
    "Found words for it; wants to talk about this next time.",
];

pub const CLOSING_NOTES: &[&str] = &[
    "Alert and oriented, ride home arranged.",
    "Tired but calm; integration next week.",
    "Recovered well; discussed bringing the grief material to therapy.",
];
