//! Brief clinical notes from a small grammar, so that a demo reads like a clinician's timeline rather
//! than the same sixteen sentences: each note is one of a few sentence shapes, each slot filled from a
//! list of invented observations. No real person said or did any of this.

use rand::Rng;
use rand::rngs::StdRng;

use super::phrases::pick;

const WHO: &[&str] = &["Client", "Client", "Client", "C.", "The client"];

const DESCRIBES: &[&str] = &[
    "describes",
    "reports",
    "mentions",
    "speaks of",
    "talks quietly about",
    "returns to",
    "says they can see",
    "is drawn to",
];

const IMAGES: &[&str] = &[
    "a wide field at dusk",
    "the kitchen of the first flat",
    "water moving under ice",
    "a long corridor with doors open",
    "their grandmother's hands",
    "the shoreline where they grew up",
    "a bright room without edges",
    "the drive to the hospital that night",
    "being small at the dinner table",
    "a choir somewhere far off",
    "the old dog asleep by the stove",
    "a staircase that keeps going down",
    "the classroom on the last day",
    "colours folding into each other",
    "a train platform in the rain",
    "the garden their father kept",
    "waves that come and go with the music",
    "a door they were afraid to open",
];

const FEELS: &[&str] = &[
    "says it feels calm",
    "says it is sad but bearable",
    "finds it strangely familiar",
    "says it does not frighten them now",
    "notes a lump in the throat",
    "says they want to stay with it",
    "is surprised it feels kind",
    "says it is heavy",
    "smiles while describing it",
    "becomes tearful",
    "says the fear is smaller than before",
    "says it feels far away",
];

const BODY: &[&str] = &[
    "Breathing slows",
    "Shoulders drop",
    "Hands unclench",
    "Jaw relaxes",
    "Brow furrows",
    "Breathing quickens briefly",
    "Legs restless",
    "Hands open on the blanket",
    "Head turns toward the window",
    "Long exhale",
];

const WHEN: &[&str] = &[
    "as the music changes",
    "after the second track",
    "for a minute or two",
    "while talking about home",
    "at the mention of work",
    "as the lights are dimmed",
    "when asked how they are",
    "after a long silence",
];

const THEN: &[&str] = &[
    "settles after a reminder to breathe out",
    "asks for the blanket",
    "sips water and lies back",
    "eyes stay closed",
    "reaches for the therapist's hand, then lets go",
    "hums with the music",
    "quiet for a few minutes",
    "asks what time it is, reassured",
    "says 'I'm all right'",
    "pulls the eye mask back down",
];

const SAYS: &[&str] = &[
    "I didn't know I was still carrying this",
    "it's like watching it from the balcony",
    "I can let that one go",
    "I keep waiting for it to hurt more",
    "there's room for it now",
    "I was so young",
    "it's quieter in here than I thought",
    "I don't have to fix it today",
    "that's the part I never say out loud",
    "it's softer than I expected",
    "I thought I had put that down years ago",
    "it's not as far away as I thought",
    "there's a door I keep not opening",
    "I can hear her laughing",
    "nobody is angry with me here",
    "I'm allowed to rest",
    "it keeps getting bigger and then it doesn't",
    "I'm standing next to it, not inside it",
    "I wanted someone to come",
    "it smells like the old house",
    "I don't need to hold it all at once",
    "I'm tired of being brave",
    "it feels like the end of winter",
    "I can let myself cry about it",
];

const AFTERWARDS: &[&str] = &[
    "long pause afterwards",
    "then laughs softly",
    "then quiet",
    "then turns onto their side",
    "tearful, accepts a tissue",
    "breathing steady",
];

/// What a client says when they want a moment kept for the talk-therapy session after.
const ASKS_TO_KEEP: &[&str] = &[
    "wants to bring it to integration",
    "asks us to remember it for integration",
    "asks to talk about it next time",
];

/// A note as jotted, and whether the client asked for it to be kept for integration.
pub struct Jotted {
    pub text: String,
    pub keep_for_integration: bool,
}

/// One note as a clinician jots it during a session. Only where there is an integration session to
/// bring it to (`with_integration`) may the client ask to keep the moment. `said` holds what the
/// client already said this session: nobody says the same sentence twice in one sitting.
pub fn note(rng: &mut StdRng, with_integration: bool, said: &mut Vec<&'static str>) -> Jotted {
    if rng.random_range(0..4_u8) == 2 {
        let keep = with_integration && rng.random_bool(0.3);
        let afterwards = if keep { ASKS_TO_KEEP } else { AFTERWARDS };
        let who = pick(rng, WHO);
        let unsaid: Vec<&'static str> = SAYS
            .iter()
            .copied()
            .filter(|quote| !said.contains(quote))
            .collect();
        let quote = *pick(rng, if unsaid.is_empty() { SAYS } else { &unsaid });
        said.push(quote);
        return Jotted {
            text: format!("{who} says \"{quote}\"; {}.", pick(rng, afterwards)),
            keep_for_integration: keep,
        };
    }
    Jotted {
        text: observation(rng),
        keep_for_integration: false,
    }
}

/// A note of what the clinician sees or hears, without words of the client's to keep.
fn observation(rng: &mut StdRng) -> String {
    match rng.random_range(0..3_u8) {
        0 => format!(
            "{} {} {}; {}.",
            pick(rng, WHO),
            pick(rng, DESCRIBES),
            pick(rng, IMAGES),
            pick(rng, FEELS)
        ),
        1 => format!(
            "{} {}; {}.",
            pick(rng, BODY),
            pick(rng, WHEN),
            pick(rng, THEN)
        ),
        _ => format!(
            "{}. {} {} {}.",
            pick(rng, BODY),
            pick(rng, WHO),
            pick(rng, DESCRIBES),
            pick(rng, IMAGES)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn most_of_two_thousand_notes_are_distinct() {
        let mut rng = StdRng::seed_from_u64(3);
        let notes: Vec<String> = (0..2000)
            .map(|_| note(&mut rng, true, &mut Vec::new()).text)
            .collect();
        let distinct: std::collections::HashSet<&String> = notes.iter().collect();
        assert!(distinct.len() > 1400, "{} distinct", distinct.len());
        assert!(
            notes
                .iter()
                .all(|text| text.ends_with('.') && !text.contains("infusion"))
        );
    }

    #[test]
    fn nobody_says_the_same_sentence_twice_in_one_session() {
        let mut rng = StdRng::seed_from_u64(8);
        let mut said = Vec::new();
        let quotes: Vec<String> = (0..60)
            .map(|_| note(&mut rng, true, &mut said).text)
            .filter_map(|text| text.split('"').nth(1).map(str::to_owned))
            .collect();
        let distinct: std::collections::HashSet<&String> = quotes.iter().collect();
        assert!(quotes.len() >= 8, "{} quotes", quotes.len());
        assert_eq!(distinct.len(), quotes.len(), "{quotes:?}");
    }

    #[test]
    fn only_notes_with_an_integration_to_go_to_ask_to_keep_a_moment() {
        let mut rng = StdRng::seed_from_u64(5);
        let kap: Vec<Jotted> = (0..2000)
            .map(|_| note(&mut rng, true, &mut Vec::new()))
            .collect();
        let kept = kap.iter().filter(|note| note.keep_for_integration).count();
        assert!((40..=300).contains(&kept), "{kept} kept");
        assert!(kap.iter().all(|note| note.keep_for_integration
            == ASKS_TO_KEEP.iter().any(|asks| note.text.contains(asks))));
        let medical = (0..2000).map(|_| note(&mut rng, false, &mut Vec::new()));
        assert!(medical.into_iter().all(|note| !note.keep_for_integration
            && !note.text.contains("integration")
            && !note.text.contains("next time")));
    }
}
