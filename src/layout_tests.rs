//! The codebase's shape, checked like its behaviour: a file holds one idea, and a file that grows
//! past what a reader takes in at one sitting is split before it is added to.

/// The most lines a source file may hold, its tests included, and the same for a file of tests.
const MOST_LINES: usize = 450;

/// Every Rust source file under `folder` (`src/store` inside the crate), in its folders too.
pub(crate) fn rust_files_under(folder: &str) -> Vec<std::path::PathBuf> {
    let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder)];
    let mut files = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn every_source_file_stays_under_450_lines() {
    let mut too_long = Vec::new();
    let everywhere = ["src", "tests", "benches", "examples"]
        .into_iter()
        .flat_map(rust_files_under);
    for path in everywhere {
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        if lines > MOST_LINES {
            too_long.push(format!("{} ({lines} lines)", path.display()));
        }
    }
    assert!(
        too_long.is_empty(),
        "split these by idea, each under {MOST_LINES} lines: {too_long:#?}"
    );
}

/// Where a folder of the store stands: what it may never read (folders above it, and what is built
/// on the record and the registers together). From the top: files (opening takes in the outbox of
/// disclosures, a backup is one), sharing (a colleague's read is a disclosure), registers, record;
/// search beneath them all.
const STORE_FOLDERS: [(&str, &[&str]); 5] = [
    (
        "files",
        &[
            "import",
            "session_end",
            "complete_sessions",
            "complete_records",
        ],
    ),
    (
        "sharing",
        &[
            "files",
            "import",
            "session_end",
            "complete_sessions",
            "complete_records",
        ],
    ),
    (
        "record",
        &[
            "files",
            "sharing",
            "registers",
            "import",
            "session_end",
            "complete_sessions",
            "complete_records",
        ],
    ),
    (
        "registers",
        &[
            "files",
            "sharing",
            "import",
            "session_end",
            "complete_sessions",
            "complete_records",
        ],
    ),
    (
        "search",
        &[
            "files",
            "sharing",
            "record",
            "registers",
            "import",
            "session_end",
            "complete_sessions",
        ],
    ),
];

/// The names `src/store/mod.rs` re-exports from each of its folders (`pub use files::open::X`):
/// a file that reads `super::super::X` reads that folder.
fn store_reexports() -> Vec<(String, String)> {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/mod.rs"),
    )
    .unwrap();
    let mut names = Vec::new();
    for statement in source.split(';') {
        let Some(at) = statement.find("pub use ") else {
            continue;
        };
        let path = statement[at + "pub use ".len()..].trim();
        let folder = path.split("::").next().unwrap_or_default().to_owned();
        let items = path.rsplit_once("::{").map_or_else(
            || path.rsplit("::").next().unwrap_or_default().to_owned(),
            |(_, items)| items.trim_end_matches('}').to_owned(),
        );
        for item in items.split(',') {
            let name = item.rsplit(" as ").next().unwrap_or_default().trim();
            if !name.is_empty() {
                names.push((name.to_owned(), folder.clone()));
            }
        }
    }
    names
}

#[test]
fn the_stores_folders_read_only_downwards() {
    let reexports = store_reexports();
    let mut upwards = Vec::new();
    for (folder, above) in STORE_FOLDERS {
        for path in rust_files_under(&format!("src/store/{folder}")) {
            let source = std::fs::read_to_string(&path).unwrap();
            for higher in above {
                let by_path = [
                    format!("crate::store::{higher}::"),
                    format!("super::super::{higher}::"),
                ];
                let by_name = reexports
                    .iter()
                    .filter(|(_, from)| from == higher)
                    .map(|(name, _)| format!("super::super::{name}"))
                    .filter(|read| {
                        source.match_indices(read.as_str()).any(|(at, _)| {
                            !source[at + read.len()..]
                                .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                        })
                    });
                // The record and the registers are also reached as the store lends them.
                let lent = [format!(".{higher}()"), format!(".{higher}_mut()")]
                    .into_iter()
                    .filter(|_| path.file_name().is_some_and(|name| name != "tests.rs"))
                    .filter(|read| source.contains(read.as_str()));
                for read in by_path
                    .into_iter()
                    .filter(|read| source.contains(read.as_str()))
                    .chain(by_name)
                    .chain(lent)
                {
                    upwards.push(format!("{} reads {read}", path.display()));
                }
            }
        }
    }
    assert!(
        upwards.is_empty(),
        "a folder of the store reads one above it: {upwards:#?}"
    );
}

/// The screens of the window, each a folder with its `mod.rs` under src/ui (`commands/` holds only
/// the tests of `commands.rs`); what they share (src/ui/*.rs) reads none of them, so a screen can be
/// added or moved without the shared pieces following it.
fn screens() -> Vec<String> {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut screens: Vec<String> = std::fs::read_dir(ui)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("mod.rs").is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    screens.sort();
    screens
}

#[test]
fn what_the_screens_share_reads_no_screen() {
    let screens = screens();
    assert!(
        screens.len() >= 10 && screens.iter().any(|screen| screen == "live"),
        "the screens are found: {screens:?}"
    );
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut upwards = Vec::new();
    for entry in std::fs::read_dir(&ui).unwrap() {
        let path = entry.unwrap().path();
        let shared = path.extension().is_some_and(|extension| extension == "rs")
            && path.file_name().is_some_and(|name| name != "mod.rs");
        if !shared {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for screen in &screens {
            for read in [
                format!("crate::ui::{screen}::"),
                format!("super::{screen}::"),
            ] {
                if source.contains(read.as_str()) {
                    upwards.push(format!("{} reads {read}", path.display()));
                }
            }
        }
    }
    assert!(
        upwards.is_empty(),
        "a shared piece of the window reads a screen: {upwards:#?}"
    );
}

/// The crate's floors, from the top: a module reads only modules on its floor or below
/// (`src/main.rs` stands above them all).
const FLOORS: [&[&str]; 9] = [
    &["cli"],
    &["ui"],
    &["changes"],
    &["practice"],
    &["export"],
    &["print", "crash_report", "demo", "review", "live", "worker"],
    &["store"],
    &["format", "palette", "system_clock"],
    &["domain"],
];

#[test]
fn no_module_reads_one_above_it() {
    let floor_of = |module: &str| FLOORS.iter().position(|floor| floor.contains(&module));
    let mut upwards = Vec::new();
    for (floor, modules) in FLOORS.iter().enumerate() {
        for module in *modules {
            let files = if std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("src/{module}"))
                .is_dir()
            {
                rust_files_under(&format!("src/{module}"))
            } else {
                vec![
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join(format!("src/{module}.rs")),
                ]
            };
            for path in files {
                let source = std::fs::read_to_string(&path).unwrap();
                // Code, not the comments that may name a module above to say where a thing is.
                let code = source
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"));
                for line in code {
                    for (at, _) in line.match_indices("crate::") {
                        let name: String = line[at + "crate::".len()..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if floor_of(&name).is_some_and(|higher| higher < floor) {
                            upwards.push(format!("{} reads crate::{name}", path.display()));
                        }
                    }
                }
            }
        }
    }
    upwards.dedup();
    assert!(
        upwards.is_empty(),
        "a module reads one above it: {upwards:#?}"
    );
}
