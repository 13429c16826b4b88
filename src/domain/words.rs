//! How numbers, counts and durations read in a sentence: "2 sessions", "10,000", "1:02:03", "12.5 mg".
//! Pure text, for the domain's own sentences and for the window and the exports alike.

/// Elapsed time as `m:ss` under an hour and `h:mm:ss` above; negative values read as `-m:ss`.
pub fn elapsed(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let total = ms.unsigned_abs() / 1000;
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{sign}{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{sign}{minutes}:{seconds:02}")
    }
}

/// A countdown reads `m:ss` and rounds up, so it shows 0:00 only when the time is really up.
pub fn countdown(remaining_ms: i64) -> String {
    if remaining_ms <= 0 {
        return "0:00".to_owned();
    }
    let seconds = (remaining_ms + 999) / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// `count` with its noun in the right number: "1 session", "2 sessions".
pub fn count(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A count with its thousands grouped, as the clinic reads it: 10,000.
pub fn thousands(count: usize) -> String {
    let digits = count.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A clause as a sentence of its own: a capital first letter and a full stop.
pub fn sentence(clause: &str) -> String {
    let clause = clause.trim_end_matches('.');
    if clause.is_empty() {
        return String::new();
    }
    format!("{}.", capitalised(clause))
}

/// The text with a capital first letter ("sit with it 5 min" → "Sit with it 5 min").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `value` to at most `decimals` places, without trailing zeros: `105.2`, `70`.
pub fn trimmed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// An amount of substance in milligrams to the microgram, signed, without trailing zeros:
/// `-35 mg`, `12.5 mg`, `0.001 mg`.
pub fn milligrams(mg: f64) -> String {
    format!("{} mg", milligram_number(mg))
}

/// The number of [`milligrams`] alone, for a CSV cell: `-35`, `12.5`.
pub fn milligram_number(mg: f64) -> String {
    // To the microgram, as the controlled-substance log counts: a figure worked out.
    super::figure::derived(mg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_noun_in_the_right_number() {
        assert_eq!(count(1, "session", "sessions"), "1 session");
        assert_eq!(count(0, "session", "sessions"), "0 sessions");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
        assert_eq!(sentence("the journal lacks it"), "The journal lacks it.");
    }
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
    #[test]
    fn elapsed_and_countdown_read_as_clinicians_expect() {
        assert_eq!(elapsed(0), "0:00");
        assert_eq!(elapsed(61_500), "1:01");
        assert_eq!(elapsed(3_723_000), "1:02:03");
        assert_eq!(elapsed(-5_000), "-0:05");
        assert_eq!(countdown(300_000), "5:00");
        assert_eq!(countdown(1), "0:01");
        assert_eq!(countdown(-10), "0:00");
    }
}
