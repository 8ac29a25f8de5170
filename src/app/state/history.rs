//! Undo and redo for one site: snapshots of the whole site, with typing coalesced into one step
//! per field (a new step when another field is edited or after a pause).

use crate::model::Site;

/// Edits of the same field closer together than this (seconds) are one undo step.
const PAUSE: f64 = 1.0;
/// Snapshots kept per site.
const DEPTH: usize = 200;

/// The field an edit was typed into (a screen's widget id, as a number), so typing in one
/// field coalesces into one undo step.
pub type FieldKey = u64;

#[derive(Debug)]
pub struct History {
    undo: Vec<Site>,
    redo: Vec<Site>,
    /// The field being typed into, and when it last changed.
    group: Option<(FieldKey, f64)>,
    /// The site as of the last recorded edit: what an undo step returns to.
    shadow: Site,
}

impl History {
    pub fn new(site: &Site) -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            group: None,
            shadow: site.clone(),
        }
    }

    /// Records that the site became `now` by an edit of `field` at `time`.
    pub fn record(&mut self, now: &Site, field: Option<FieldKey>, time: f64) {
        if *now == self.shadow {
            return;
        }
        let same_group =
            matches!((self.group, field), (Some((g, t)), Some(f)) if g == f && time - t < PAUSE);
        if !same_group {
            let before = std::mem::replace(&mut self.shadow, now.clone());
            self.undo.push(before);
            if self.undo.len() > DEPTH {
                self.undo.remove(0);
            }
        } else {
            self.shadow = now.clone();
        }
        self.redo.clear();
        self.group = field.map(|f| (f, time));
    }

    /// The site before the last step, if any; `current` becomes redoable.
    pub fn undo(&mut self, current: &Site) -> Option<Site> {
        let previous = self.undo.pop()?;
        self.redo.push(current.clone());
        self.shadow = previous.clone();
        self.group = None;
        Some(previous)
    }

    pub fn redo(&mut self, current: &Site) -> Option<Site> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        self.shadow = next.clone();
        self.group = None;
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str) -> Site {
        let text = crate::store::bundled::FILES[2].1;
        let mut s: Site = crate::store::format::parse(text).expect("bundled site parses");
        s.name = name.into();
        s
    }

    #[test]
    fn typing_in_one_field_is_one_step() {
        let field = 1;
        let mut h = History::new(&site(""));
        h.record(&site("a"), Some(field), 0.0);
        h.record(&site("ab"), Some(field), 0.3);
        h.record(&site("abc"), Some(field), 0.6);
        assert_eq!(h.undo(&site("abc")).map(|s| s.name), Some(String::new()));
        assert!(!h.can_undo());
        assert_eq!(h.redo(&site("")).map(|s| s.name), Some("abc".into()));
    }

    #[test]
    fn a_pause_or_another_field_starts_a_step() {
        let (a, b) = (1, 2);
        let mut h = History::new(&site(""));
        h.record(&site("x"), Some(a), 0.0);
        h.record(&site("xy"), Some(a), 5.0);
        h.record(&site("xyz"), Some(b), 5.1);
        assert_eq!(h.undo(&site("xyz")).map(|s| s.name), Some("xy".into()));
        assert_eq!(h.undo(&site("xy")).map(|s| s.name), Some("x".into()));
        assert_eq!(h.undo(&site("x")).map(|s| s.name), Some(String::new()));
    }
}
