//! What a client code and a person's name may hold, by Unicode's security rules (UTS #39): a code
//! is an identifier, so it takes only characters the General Security Profile allows, from one
//! script (a Cyrillic "С" among Latin letters makes a second client look like the first); a name
//! may be in any script but holds nothing invisible or that moves text (a soft hyphen, a tag
//! character, a Hangul filler, a direction mark, a terminal escape).

use unicode_security::general_security_profile::IdentifierType;
use unicode_security::{GeneralSecurityProfile, MixedScript, skeleton};

/// A character that a name or code must not hold: control characters (a terminal runs some), the
/// marks that turn text right to left or back, and characters that show nothing (two texts that
/// look the same could differ).
pub fn hides_or_moves_text(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{061C}'
                | '\u{FEFF}'
        )
        || c.identifier_type() == Some(IdentifierType::Default_Ignorable)
        || matches!(
            c,
            '\u{E0000}'..='\u{E007F}' | '\u{3164}' | '\u{FFA0}' | '\u{115F}' | '\u{1160}'
        )
}

/// Whether `code` can identify a client: each character allowed in identifiers (or a space, `/`),
/// nothing hidden, and all of one script (digits and punctuation go with any).
pub fn is_identifier_code(code: &str) -> bool {
    code.chars()
        .all(|c| !hides_or_moves_text(c) && (c.identifier_allowed() || matches!(c, ' ' | '/')))
        && code.is_single_script()
}

/// What `text` looks like, for telling two codes apart: equal for texts a reader would take for the
/// same (UTS #39 confusable skeleton, `C-0142` in Latin and in Cyrillic alike).
pub fn looks_like(text: &str) -> String {
    skeleton(text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_takes_one_script_and_nothing_hidden() {
        for code in [
            "C-0142",
            "D-0001",
            "Kunde-7",
            "Клиент-12",
            "患者-3",
            "A.B_C/2",
            "C 0142",
        ] {
            assert!(is_identifier_code(code), "{code}");
        }
        for code in [
            "C-0\u{00AD}142",   // soft hyphen
            "C-0142\u{E0041}",  // tag character
            "C-\u{3164}0142",   // Hangul filler
            "\u{0421}-0142a",   // a Cyrillic С beside a Latin a
            "C-01\u{1b}[31m42", // a terminal escape
            "C-0142\u{202E}",   // a direction override
            "C-0142\u{FE0F}",   // a variation selector
        ] {
            assert!(!is_identifier_code(code), "{code:?}");
        }
    }

    #[test]
    fn codes_that_read_the_same_look_the_same() {
        assert_eq!(looks_like("C-0142"), looks_like("\u{0421}-0142"));
        assert_eq!(looks_like("D-OOO1"), looks_like("D-0001"));
        assert_ne!(looks_like("C-0142"), looks_like("C-0143"));
    }

    #[test]
    fn a_name_in_any_script_is_fine_unless_it_hides_something() {
        for name in ["José Álvarez", "Анна", "María-José O'Neill", "שרה"] {
            assert!(!name.chars().any(hides_or_moves_text), "{name}");
        }
        for name in [
            "Ann\u{00AD}a",
            "Anna\u{E0020}",
            "Anna\u{1b}[2J",
            "Anna\u{200F}",
        ] {
            assert!(name.chars().any(hides_or_moves_text), "{name:?}");
        }
    }
}
