//! Find and replace across the open sites: one undo step in each site it changes, and an undo of
//! the whole replace at once.

use std::collections::HashSet;

use super::Docs;
use crate::replace::{Hit, Query, replace_in_site};

impl Docs {
    /// What replacing `query` in the sites `ids` would change: (site id, hits), in site order.
    pub fn replace_preview(&self, query: &Query, ids: &[String]) -> Vec<(String, Vec<Hit>)> {
        let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.sites
            .iter()
            .filter(|d| ids.contains(d.id()))
            .filter_map(|d| replace_in_site(d.site(), query).map(|(_, hits)| (d.id().into(), hits)))
            .collect()
    }

    /// Replaces `query` in the sites `ids`; (texts, sites) changed. The sites are edited, not
    /// saved: each shows as unsaved, with the replace as one undo step.
    pub fn replace_all(&mut self, query: &Query, ids: &[String]) -> (usize, usize) {
        let (platforms, knowledge) = (&self.platforms, &self.knowledge);
        let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let (mut texts, mut changed) = (0, Vec::new());
        for doc in self.sites.iter_mut() {
            if !ids.contains(doc.id()) {
                continue;
            }
            let Some((site, hits)) = replace_in_site(doc.site(), query) else {
                continue;
            };
            texts += hits.len();
            doc.set_site(site, platforms, knowledge);
            changed.push((doc.id().to_string(), doc.file.site.clone()));
        }
        let sites = changed.len();
        self.last_replace = (!changed.is_empty()).then_some(changed);
        (texts, sites)
    }

    /// Undoes the last replace in every site it changed and that was not edited since; (sites
    /// restored, sites left as they are because they were edited since).
    pub fn undo_replace(&mut self) -> (usize, usize) {
        let Some(changed) = self.last_replace.take() else {
            return (0, 0);
        };
        let (mut restored, mut kept) = (0, 0);
        for (id, after) in changed {
            let untouched = self.get(&id).is_some_and(|d| *d.site() == after);
            if untouched && self.step(&id, false) {
                restored += 1;
            } else {
                kept += 1;
            }
        }
        (restored, kept)
    }
}
