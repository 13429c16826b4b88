//! The session summary as Markdown: for the record, an e-mail, or the clipboard.

use std::fmt::Write as _;

use super::summary::{DecisionLine, Summary, Timed};

/// Renders a summary. Whatever the clinician wrote is escaped, so a `#` or `*` in a note stays text.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", summary.title);
    for (label, value) in &summary.facts {
        let _ = writeln!(out, "- **{label}:** {}", escape(value));
    }
    labelled_section(&mut out, "Before the session", &summary.before_session);
    section(&mut out, "Intention", &summary.intention);
    section(&mut out, "Comfort plan", &summary.comfort_plan);

    let _ = writeln!(out, "\n## Dosing\n");
    if summary.dosing.is_empty() {
        let _ = writeln!(out, "Dosing did not begin.");
    }
    for line in &summary.dosing {
        timed_item(&mut out, line);
    }

    decisions(&mut out, summary);

    if !summary.suicide_risk.is_empty() {
        timed_section(
            &mut out,
            "Suicide risk and safety plan",
            &summary.suicide_risk,
            "",
        );
    }

    let _ = writeln!(out, "\n## Notes\n");
    if summary.notes.is_empty() {
        let _ = writeln!(out, "No notes.");
    }
    for line in &summary.notes {
        timed_item(&mut out, line);
    }

    timed_section(
        &mut out,
        "Vitals and sedation",
        &summary.monitoring,
        "No vitals recorded.",
    );
    timed_section(
        &mut out,
        "Measures",
        &summary.measures,
        "No measures recorded.",
    );
    timed_section(
        &mut out,
        "Adverse events",
        &summary.adverse_events,
        "No adverse events recorded.",
    );

    if summary.shows_integration() {
        let _ = writeln!(out, "\n## Bring to integration\n");
        if summary.for_integration.is_empty() {
            let _ = writeln!(out, "Nothing was marked.");
        }
        for line in &summary.for_integration {
            timed_item(&mut out, line);
        }
    }

    if let Some(closing) = &summary.closing {
        let _ = writeln!(out, "\n## Session end\n");
        timed_item(
            &mut out,
            &Timed {
                text: if closing.text.is_empty() {
                    "Session ended.".to_owned()
                } else {
                    closing.text.clone()
                },
                ..closing.clone()
            },
        );
    }
    labelled_section(&mut out, "After the session", &summary.after_session);
    labelled_section(&mut out, summary.check_ins_heading(), &summary.check_ins);
    if let Some((format, sections)) = &summary.progress_note {
        let _ = writeln!(out, "\n## Progress note ({format})");
        for (heading, text) in sections {
            let _ = writeln!(out, "\n### {heading}\n");
            let _ = writeln!(
                out,
                "{}",
                if text.is_empty() {
                    "(left blank)".to_owned()
                } else {
                    escape_block(text, "")
                }
            );
        }
    }
    signature_and_addenda(&mut out, summary);
    if let Some(text) = &summary.private_note {
        let _ = writeln!(out, "\n## Private psychotherapy note\n");
        let _ = writeln!(out, "{PRIVATE_NOTICE}\n\n{}", escape_block(text, ""));
    }
    out
}

/// Who signed, then each addendum with its reason, after the record they belong to.
fn signature_and_addenda(out: &mut String, summary: &Summary) {
    if let Some(signature) = &summary.signature {
        let _ = writeln!(out, "\n## Signature\n\n{}", escape(signature));
    }
    if !summary.addenda.is_empty() {
        let _ = writeln!(out, "\n## Addenda");
    }
    for (index, addendum) in summary.addenda.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n### Addendum {}: {}\n\n**Reason:** {}\n\n{}",
            index + 1,
            escape(&addendum.heading),
            escape(&addendum.reason),
            escape_block(&addendum.text, "")
        );
    }
}

/// Said above the private note wherever an export carries it, so nobody mistakes it for the record.
pub const PRIVATE_NOTICE: &str =
    "Included on request. Kept apart from the progress record; handle as a psychotherapy note.";

/// Label and value pairs under a heading; nothing at all when there are none.
fn labelled_section(out: &mut String, title: &str, pairs: &[(&'static str, String)]) {
    if pairs.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {title}\n");
    for (label, value) in pairs {
        let _ = writeln!(out, "- **{label}:** {}", escape_block(value, "  "));
    }
}

/// Every decision point with its deferral, then how the deferrals ended.
fn decisions(out: &mut String, summary: &Summary) {
    let _ = writeln!(out, "\n## Decision points\n");
    if summary.decisions.is_empty() {
        let _ = writeln!(out, "No decision points.");
    }
    for (index, line) in summary.decisions.iter().enumerate() {
        decision(out, index + 1, line);
    }
    if let Some(sentence) = summary.outcome_sentence() {
        let _ = writeln!(out, "\n{sentence}");
    }
}

fn timed_section(out: &mut String, title: &str, lines: &[Timed], none: &str) {
    let _ = writeln!(out, "\n## {title}\n");
    if lines.is_empty() {
        let _ = writeln!(out, "{none}");
    }
    for line in lines {
        timed_item(out, line);
    }
}

fn section(out: &mut String, title: &str, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        let _ = writeln!(out, "\n## {title}\n\n{}", escape_block(text, ""));
    }
}

fn timed_item(out: &mut String, line: &Timed) {
    let _ = writeln!(
        out,
        "- **{}** ({}) {}",
        line.elapsed,
        line.clock,
        escape_block(line.text.trim(), "  ")
    );
}

fn decision(out: &mut String, number: usize, line: &DecisionLine) {
    let point = &line.point;
    let _ = writeln!(
        out,
        "{number}. **{}** ({}) {}: {}",
        line.at.elapsed,
        line.at.clock,
        point.came_up.label(),
        escape_block(point.detail.trim(), "   ")
    );
    let _ = writeln!(
        out,
        "   - Asked: {}; decided: {}",
        point.asked.label(),
        point.decision.label()
    );
    if !point.rationale.trim().is_empty() {
        let _ = writeln!(
            out,
            "   - Why: {}",
            escape_block(point.rationale.trim(), "     ")
        );
    }
    if let Some(deferral) = &line.deferral {
        let ending = match (&deferral.outcome, &deferral.ended) {
            (Some(outcome), Some(ended)) => {
                let mut ending = format!("{} at {}", outcome.label(), ended.elapsed);
                if !ended.text.is_empty() {
                    let _ = write!(ending, ": {}", escape_block(&ended.text, "     "));
                }
                ending
            }
            _ => "still open".to_owned(),
        };
        let _ = writeln!(
            out,
            "   - Sat with it ({} min agreed): {ending}",
            deferral.minutes
        );
    }
}

/// Escapes text over several lines; continuation lines get `indent` so they stay in their list item.
fn escape_block(text: &str, indent: &str) -> String {
    text.lines()
        .map(escape)
        .collect::<Vec<_>>()
        .join(&format!("  \n{indent}"))
}

/// Backslash-escapes the characters Markdown would read as formatting: emphasis, code, links, HTML,
/// tables, and at the start of a line headings and list markers.
fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let space_after = |index: usize| chars.get(index + 1).is_none_or(|c| c.is_whitespace());
    // "1. " or "2) " at the start of a line would begin a numbered list.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
        ) || (index == 0 && c == '#')
            || (index == 0 && matches!(c, '-' | '+') && space_after(index))
            || (index == digits && digits > 0 && matches!(c, '.' | ')') && space_after(index));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_characters_in_clinical_text_stay_text() {
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(
            escape("a*b*_c_ [x](y) <b>"),
            "a\\*b\\*\\_c\\_ \\[x\\](y) \\<b\\>"
        );
        assert_eq!(escape("- dash"), "\\- dash");
        assert_eq!(escape("12. not a list"), "12\\. not a list");
        assert_eq!(escape("1.5 mg"), "1.5 mg");
        assert_eq!(escape("-5 on the scale, =SUM"), "-5 on the scale, =SUM");
        assert_eq!(escape_block("one\ntwo", "  "), "one  \n  two");
    }
}
