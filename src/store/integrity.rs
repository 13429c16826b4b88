use super::{Store, StoreError};

impl Store {
    /// Runs SQLite's `integrity_check`; an empty list means the file is sound, otherwise each line
    /// names a problem (page and table numbers only, never content).
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(lines.into_iter().filter(|line| line != "ok").collect())
    }
}
