//! The formats a session can be exported in, one row each: what the command line calls it, its file,
//! its label in the window, and whether it may carry the private note. A new format is a variant, its
//! row here, and its writer in `write_record` (the compiler asks for that arm; a test for the row).

/// A format a session can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Pdf,
    Markdown,
    Csv,
    Json,
    /// The esketamine REMS patient monitoring form (a PDF).
    Rems,
    /// A FHIR R4 Bundle (JSON), for another health record system.
    Fhir,
}

/// What a format is called and what its file is.
struct Spec {
    format: ExportFormat,
    /// On the command line (`--format md`).
    name: &'static str,
    extension: &'static str,
    /// After the session's date in the file's name, telling two files of one session apart.
    file_suffix: &'static str,
    /// In the window's list of formats.
    label: &'static str,
    /// Whether it can carry the private psychotherapy note when asked to.
    carries_private_note: bool,
}

#[rustfmt::skip] // one row per format reads as a table
const FORMATS: [Spec; 6] = {
    use ExportFormat as F;
    const fn spec(
        format: ExportFormat,
        (name, extension, file_suffix): (&'static str, &'static str, &'static str),
        label: &'static str,
        carries_private_note: bool,
    ) -> Spec {
        Spec { format, name, extension, file_suffix, label, carries_private_note }
    }
    [
        spec(F::Pdf, ("pdf", "pdf", ""), "PDF summary", true),
        spec(F::Markdown, ("md", "md", ""), "Markdown summary", true),
        spec(F::Csv, ("csv", "csv", ""), "CSV (one row per entry)", false),
        spec(F::Json, ("json", "json", ""), "JSON archive (lossless)", true),
        spec(F::Rems, ("rems", "pdf", "-rems"), "REMS monitoring form (PDF)", false),
        spec(F::Fhir, ("fhir", "json", "-fhir"), "FHIR R4 bundle (JSON)", false),
    ]
};

impl ExportFormat {
    /// Every format, in the table's order (the window lists them so).
    pub const ALL: [Self; FORMATS.len()] = {
        let mut all = [Self::Pdf; FORMATS.len()];
        let mut index = 0;
        while index < FORMATS.len() {
            all[index] = FORMATS[index].format;
            index += 1;
        }
        all
    };

    /// The format's row (every format has one: tested).
    fn spec(self) -> &'static Spec {
        FORMATS
            .iter()
            .find(|spec| spec.format == self)
            .unwrap_or(&FORMATS[0])
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        self.spec().extension
    }

    /// The name on the command line (`--format md`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// What follows the session's date in its file's name (`-rems`), or nothing.
    pub fn file_suffix(self) -> &'static str {
        self.spec().file_suffix
    }

    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// Whether the format can carry the private psychotherapy note (the CSV, the REMS form and
    /// the FHIR bundle never do).
    pub fn carries_private_note(self) -> bool {
        self.spec().carries_private_note
    }

    /// The format the command line names `text` (`markdown` is `md` too).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| {
            format.name() == text || (text == "markdown" && *format == Self::Markdown)
        })
    }

    /// The names the command line takes, as a sentence says them: "pdf, md, … or fhir".
    pub fn names() -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|format| format.name()).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every format there is, named by an exhaustive match: a new variant stops the build here
    /// until it is listed, and then the test fails until it has its row.
    fn every_format() -> [ExportFormat; 6] {
        let listed = |format: ExportFormat| match format {
            ExportFormat::Pdf
            | ExportFormat::Markdown
            | ExportFormat::Csv
            | ExportFormat::Json
            | ExportFormat::Rems
            | ExportFormat::Fhir => format,
        };
        [
            ExportFormat::Pdf,
            ExportFormat::Markdown,
            ExportFormat::Csv,
            ExportFormat::Json,
            ExportFormat::Rems,
            ExportFormat::Fhir,
        ]
        .map(listed)
    }

    #[test]
    fn every_format_has_one_row_and_a_name_of_its_own() {
        for format in every_format() {
            let rows = FORMATS.iter().filter(|spec| spec.format == format).count();
            assert_eq!(rows, 1, "{format:?}");
            assert_eq!(ExportFormat::parse(format.name()), Some(format));
        }
        assert_eq!(
            ExportFormat::parse("markdown"),
            Some(ExportFormat::Markdown)
        );
        assert_eq!(ExportFormat::parse("docx"), None);
        assert_eq!(ExportFormat::names(), "pdf, md, csv, json, rems or fhir");
    }
}
