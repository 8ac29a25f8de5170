//! What an import could not place as structure, and what it noted: shown to the user, never
//! silently dropped.

use std::fmt;

/// The report of one import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Kept, but not where the page had it (or not as structure): a person should look.
    pub unplaced: Vec<String>,
    /// Page furniture left out: (what it was, its text shortened).
    pub left_out: Vec<(String, String)>,
    /// Facts worth knowing: the language detected, the platform chosen, rows split.
    pub notes: Vec<String>,
}

impl Report {
    pub fn unplaced(&mut self, what: impl Into<String>) {
        self.unplaced.push(what.into());
    }

    pub fn note(&mut self, what: impl Into<String>) {
        self.notes.push(what.into());
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        for (kind, text) in &self.left_out {
            writeln!(f, "left out ({kind}): {text}")?;
        }
        for u in &self.unplaced {
            writeln!(f, "to review: {u}")?;
        }
        Ok(())
    }
}
