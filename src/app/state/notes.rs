//! Messages for the user: what was saved or moved, and every error, in the status bar.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Clone, Debug)]
pub struct Note {
    pub level: Level,
    pub text: String,
}

#[derive(Default)]
pub struct Notifications {
    /// Newest last; only the latest few are kept.
    pub notes: Vec<Note>,
}

impl Notifications {
    pub fn info(&mut self, text: String) {
        self.push(Level::Info, text);
    }

    pub fn error(&mut self, text: String) {
        self.push(Level::Error, text);
    }

    fn push(&mut self, level: Level, text: String) {
        self.notes.push(Note { level, text });
        if self.notes.len() > 20 {
            self.notes.remove(0);
        }
    }

    pub fn latest(&self) -> Option<&Note> {
        self.notes.last()
    }

    /// Takes the latest message away (the user dismissed it).
    pub fn dismiss_latest(&mut self) {
        self.notes.pop();
    }
}
