//! How well one entry answers a search, computed from its text in Rust.
//!
//! SQLite's bm25 must first count, for every word of the query, all the entries that contain it: on
//! 1.3 M demo events a common word costs several milliseconds before the first row comes back, and
//! the index keeps no positions (`detail=column`), so bm25 could not see how often a word occurs
//! anyway. Search therefore takes the newest matches from the index and ranks them here with BM25's
//! term-frequency and length parts. Every candidate contains every word of the query, so how rare a
//! word is would weigh all candidates alike and is left out.

/// BM25's saturation: the third "grief" in an entry adds less than the second.
const K1: f64 = 1.2;
/// BM25's length normalisation: a word in a short entry says more than the same word in a long one.
const B: f64 = 0.75;

/// The words of an entry and how many there are, lowercased, split as the search index splits them.
pub struct Words {
    words: Vec<String>,
}

impl Words {
    pub fn of(text: &str) -> Self {
        Self {
            words: text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| !word.is_empty())
                .map(str::to_lowercase)
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// How many words start with `term` (terms are lowercase, as [`crate::store::search::snippet::terms`] gives them).
    fn count(&self, term: &str) -> usize {
        self.words
            .iter()
            .filter(|word| word.starts_with(term))
            .count()
    }

    /// The score of this entry for `terms` among entries whose mean length is `mean_len` words.
    pub fn score(&self, terms: &[String], mean_len: f64) -> f64 {
        let length_ratio = if mean_len > 0.0 {
            self.len() as f64 / mean_len
        } else {
            1.0
        };
        terms
            .iter()
            .map(|term| {
                let tf = self.count(term) as f64;
                tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length_ratio))
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| (*word).to_owned()).collect()
    }

    #[test]
    fn more_occurrences_score_higher_with_diminishing_returns() {
        let once = Words::of("grief came up today and we stayed with it");
        let twice = Words::of("grief came up, grief stayed with us today");
        let thrice = Words::of("grief grief grief stayed with us today ok");
        let query = terms(&["grief"]);
        let (a, b, c) = (
            once.score(&query, 9.0),
            twice.score(&query, 9.0),
            thrice.score(&query, 9.0),
        );
        assert!(a < b && b < c, "{a} {b} {c}");
        assert!(
            c - b < b - a,
            "the third occurrence adds less than the second"
        );
    }

    #[test]
    fn the_same_word_counts_more_in_a_shorter_entry() {
        let short = Words::of("Grief.");
        let long = Words::of("Grief, and then a long account of the week, the drive, the weather");
        let query = terms(&["grief"]);
        assert!(short.score(&query, 7.0) > long.score(&query, 7.0));
    }

    #[test]
    fn words_match_as_prefixes_case_insensitively_and_misses_score_zero() {
        let words = Words::of("Fathers, FATHER and fatherhood");
        assert_eq!(words.len(), 4);
        assert_eq!(words.count("father"), 3);
        assert!(words.score(&terms(&["mother"]), 4.0).abs() < f64::EPSILON);
    }
}
