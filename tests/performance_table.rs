//! The README's performance table is the one the benches' last run gives (docs/bench-results.json,
//! written by `script/bench-table`): a hand edit, a figure dropped or a run not written into the table
//! fails here.

#[path = "../benches/common/figures.rs"]
mod figures;

fn last_run() -> figures::Run {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/bench-results.json"
    ))
    .unwrap_or_else(|error| panic!("docs/bench-results.json: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("docs/bench-results.json: {error}"))
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap_or_else(|error| panic!("README.md: {error}"))
}

#[test]
fn the_readme_table_is_the_last_runs() {
    let run = last_run();
    let readme = readme();
    let table =
        figures::table_in(&readme).expect("the README holds the table once, between its markers");
    assert_eq!(table, figures::render(&run).trim_end_matches('\n'));
}

#[test]
fn the_table_has_a_row_per_figure_each_with_every_column() {
    let run = last_run();
    let readme = readme();
    let table = figures::table_in(&readme).expect("the README holds the table");
    let rows: Vec<&str> = table.lines().filter(|line| line.starts_with('|')).collect();
    // The header, its separator, then the figures, each once.
    assert_eq!(rows.len(), run.figures.len() + 2);
    for row in &rows {
        assert_eq!(
            row.matches(" | ").count(),
            figures::COLUMNS.len() - 1,
            "{row}"
        );
    }
    let mut ids: Vec<_> = run
        .figures
        .iter()
        .map(|figure| figure.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), run.figures.len(), "each figure once");
    assert!(run.cores > 0 && !run.generated.is_empty());
    for figure in &run.figures {
        assert!(
            figure.median_ms > 0.0 && figure.median_ms.is_finite(),
            "{}",
            figure.id
        );
        assert!(
            !figure.measured.is_empty() && !figure.goal.is_empty(),
            "{}",
            figure.id
        );
    }
}

#[test]
fn a_changed_figure_changes_the_table_and_a_hand_edit_is_not_the_runs() {
    let run = last_run();
    let readme = readme();
    let Some(first) = run.figures.first() else {
        panic!("the last run has figures");
    };
    let mut changed = run.clone();
    changed.figures[0].median_ms = first.median_ms * 2.0 + 1.0;
    let rewritten = figures::with_table(&readme, &changed).expect("the markers are there");
    assert_ne!(
        figures::table_in(&rewritten),
        Some(figures::render(&run).trim_end_matches('\n')),
        "another median is another table"
    );
    let merged = figures::merged(run.figures.clone(), changed.figures[..1].to_vec());
    assert_eq!(
        merged.len(),
        run.figures.len(),
        "a new run replaces its row"
    );
    assert_eq!(merged[0], changed.figures[0]);
}
