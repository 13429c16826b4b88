//! The codebase's shape, checked like its behaviour: a file holds one idea, and a file that grows
//! past what a reader takes in at one sitting is split before it is added to.

/// The most lines a source file may hold, its tests included.
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
    for path in rust_files_under("src") {
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
