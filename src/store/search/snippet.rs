//! A short excerpt around the first match of a search, with the matched words marked.

use serde::Serialize;

/// Characters of context kept before the first match.
const BEFORE: usize = 60;
/// The longest excerpt, in characters.
const LENGTH: usize = 200;

/// An excerpt and where the matched words are in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub snippet: String,
    /// `[start, end)` character offsets of each match in `snippet`.
    pub highlights: Vec<[usize; 2]>,
}

/// The words of a typed query, lowercased, as the search matched them (each as a word prefix).
pub fn terms(typed: &str) -> Vec<Vec<char>> {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.chars().flat_map(char::to_lowercase).collect())
        .collect()
}

/// The excerpt of `text` around the first word that starts with one of `terms`.
pub fn around(text: &str, terms: &[Vec<char>]) -> Snippet {
    let chars: Vec<char> = text.replace('\n', " · ").chars().collect();
    let matches = word_matches(&chars, terms);
    let first = matches.first().map_or(0, |m| m[0]);
    let mut start = first.saturating_sub(BEFORE);
    // Start at a word boundary unless that loses the match.
    while start > 0 && start < first && chars[start - 1].is_alphanumeric() {
        start += 1;
    }
    let end = (start + LENGTH).min(chars.len());
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    let offset = prefix.chars().count();
    let snippet = format!(
        "{prefix}{}{suffix}",
        chars[start..end].iter().collect::<String>()
    );
    let highlights = matches
        .into_iter()
        .filter(|m| m[0] >= start && m[1] <= end)
        .map(|m| [m[0] - start + offset, m[1] - start + offset])
        .collect();
    Snippet {
        snippet,
        highlights,
    }
}

/// Where a word of `chars` starts with a term (case-insensitive), as `[start, end)` of the term's length.
fn word_matches(chars: &[char], terms: &[Vec<char>]) -> Vec<[usize; 2]> {
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut found = Vec::new();
    for start in 0..lower.len() {
        let word_start =
            lower[start].is_alphanumeric() && (start == 0 || !lower[start - 1].is_alphanumeric());
        if !word_start {
            continue;
        }
        if let Some(term) = terms
            .iter()
            .filter(|term| lower[start..].starts_with(term))
            .max_by_key(|term| term.len())
        {
            found.push([start, start + term.len()]);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_each_matching_word_prefix_case_insensitively() {
        let snippet = around(
            "Grief about father, then grieving again",
            &terms("grie FATH"),
        );
        assert_eq!(snippet.snippet, "Grief about father, then grieving again");
        assert_eq!(snippet.highlights, vec![[0, 4], [12, 16], [25, 29]]);
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{} kitchen {}", "word ".repeat(100), "tail ".repeat(100));
        let snippet = around(&text, &terms("kitchen"));
        assert!(snippet.snippet.starts_with('…') && snippet.snippet.ends_with('…'));
        let [start, end] = snippet.highlights[0];
        let marked: String = snippet
            .snippet
            .chars()
            .skip(start)
            .take(end - start)
            .collect();
        assert_eq!(marked, "kitchen");
        assert!(snippet.snippet.chars().count() <= LENGTH + 2);
    }
}
