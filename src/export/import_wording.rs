//! How a broken archive is said: a JSON or format problem placed at its line and column (or as a
//! file that ends too early), in words that never quote the file's text.

use super::ImportError;

/// A problem found in a session, placed where the reader stood when it was found.
fn located(error: &serde_json::Error, problem: String) -> ImportError {
    let problem = clause(problem);
    if error.line() == 0 {
        ImportError::Truncated { problem }
    } else {
        ImportError::At {
            line: error.line(),
            column: error.column(),
            problem,
        }
    }
}

/// A JSON or format problem, in words that never quote the file's text; `session` is the number of
/// the session being read when it was found.
pub(super) fn from_json(error: &serde_json::Error, session: Option<usize>) -> ImportError {
    let problem = match error.classify() {
        serde_json::error::Category::Io => "the file could not be read to the end".to_owned(),
        serde_json::error::Category::Syntax if error.to_string().starts_with("recursion limit") => {
            "lists or objects are nested deeper than the format allows".to_owned()
        }
        serde_json::error::Category::Syntax => {
            format!(
                "the file is not valid JSON ({})",
                without_quoted_text(error)
            )
        }
        serde_json::error::Category::Eof => {
            return ImportError::Truncated {
                problem: "the JSON stops in the middle".to_owned(),
            };
        }
        serde_json::error::Category::Data => without_quoted_text(error),
    };
    located(
        error,
        match session {
            Some(number) => format!("session {number}: {problem}"),
            None => problem,
        },
    )
}

/// A problem as part of a longer sentence: without its own full stop.
pub(super) fn clause(problem: String) -> String {
    match problem.strip_suffix('.') {
        Some(stripped) => stripped.to_owned(),
        None => problem,
    }
}

/// serde's message without its position (we give it our own way) and without any quoted value: a
/// wrong value may be a piece of a clinical note.
fn without_quoted_text(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head);
    // "unknown variant `…`" and "unknown field `…`" name what the file said; the rest of such a
    // message lists what the format allows, which is worth keeping.
    let message = match message
        .strip_prefix("unknown variant `")
        .or_else(|| message.strip_prefix("unknown field `"))
    {
        Some(rest) => {
            let kind = if message.starts_with("unknown variant") {
                "variant"
            } else {
                "field"
            };
            let after = rest.split_once('`').map_or("", |(_, after)| after);
            format!("unknown {kind}{after}")
        }
        None => message.to_owned(),
    };
    let mut kept = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        match (c, quoted) {
            ('"', false) => {
                quoted = true;
                kept.push('…');
            }
            ('"', true) => quoted = false,
            (c, false) => kept.push(c),
            (_, true) => {}
        }
    }
    kept
}
