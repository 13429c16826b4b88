//! Figures as the record holds them. A typed amount is shown as it was typed (0.425 mg/kg, never
//! 0.42); a figure worked out from others (mg from mg/kg and a weight, a rate per kg, what a
//! session delivered) is shown to the thousandth, as the controlled-substance log counts
//! micrograms. Neither shows float noise (0.1 + 0.2 reads 0.3).

/// A typed amount or weight, as typed: up to four decimals, without trailing zeros.
pub fn typed(value: f64) -> String {
    trimmed(value, 4)
}

/// A figure worked out from others: to the thousandth, without trailing zeros.
pub fn derived(value: f64) -> String {
    trimmed(value, 3)
}

fn trimmed(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_figures_read_as_typed_and_derived_ones_to_the_thousandth() {
        assert_eq!(typed(0.425), "0.425");
        assert_eq!(typed(0.0625), "0.0625");
        assert_eq!(typed(0.1 + 0.2), "0.3");
        assert_eq!(typed(70.0), "70");
        assert_eq!(typed(64.35), "64.35");
        assert_eq!(derived(0.425 * 70.0), "29.75");
        assert_eq!(derived(30.0 / 64.3), "0.467");
        assert_eq!(derived(-0.0001), "0");
        assert_eq!(derived(1000.0), "1000");
    }
}
