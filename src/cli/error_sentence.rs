//! How a failed command says what went wrong: one line, each cause once.

/// The error and the causes it does not already say, joined: a sentence that quotes the system's
/// error ("could not be written: No space left on device") is not followed by that error again.
pub fn error_sentence(error: &anyhow::Error) -> String {
    let mut said = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if said.contains(text.trim_end_matches('.')) {
            continue;
        }
        if !said.is_empty() {
            said.push_str(": ");
        }
        said.push_str(&text);
    }
    said
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_already_quoted_is_not_said_again() {
        let full = std::io::Error::from_raw_os_error(28);
        let error = anyhow::Error::new(crate::export::ExportError::Io(full));
        let said = error_sentence(&error);
        assert_eq!(said.matches("No space left on device").count(), 1, "{said}");
    }

    #[test]
    fn a_cause_that_adds_something_is_kept() {
        let error = anyhow::Error::new(std::io::Error::from_raw_os_error(13))
            .context("The passphrase file p.txt cannot be read.");
        assert_eq!(
            error_sentence(&error),
            "The passphrase file p.txt cannot be read.: Permission denied (os error 13)"
        );
    }
}
