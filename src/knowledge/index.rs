//! One layer's entries, indexed so that a name is classified without scanning them: exact
//! names in a hash map, prefixes in a hash map per prefix length (a name has at most one prefix
//! of each length, so a name costs one lookup per distinct length, about a dozen).

use std::collections::HashMap;

use super::Entry;

#[derive(Debug, Default)]
pub struct Index {
    pub entries: Vec<Entry>,
    exact: HashMap<String, Vec<u32>>,
    prefixes: HashMap<String, Vec<u32>>,
    /// The distinct prefix lengths in bytes, longest first.
    prefix_lengths: Vec<usize>,
}

/// How an entry matched a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Specificity {
    /// A prefix of this many bytes.
    Prefix(usize),
    Exact,
}

impl Index {
    pub fn new(entries: Vec<Entry>) -> Index {
        let mut index = Index::default();
        for (i, entry) in entries.iter().enumerate() {
            let map = if entry.wildcard {
                &mut index.prefixes
            } else {
                &mut index.exact
            };
            map.entry(entry.name.clone()).or_default().push(i as u32);
        }
        index.prefix_lengths = index.prefixes.keys().map(String::len).collect();
        index.prefix_lengths.sort_unstable_by(|a, b| b.cmp(a));
        index.prefix_lengths.dedup();
        index.entries = entries;
        index
    }

    /// Every entry matching `name`, most specific first: exact names, then prefixes from the
    /// longest.
    pub fn matching<'s, 'n>(
        &'s self,
        name: &'n str,
    ) -> impl Iterator<Item = (&'s Entry, Specificity)> + use<'s, 'n> {
        let exact = self
            .exact
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| (&self.entries[i as usize], Specificity::Exact));
        let prefixed = self
            .prefix_lengths
            .iter()
            .filter(move |&&len| len <= name.len() && name.is_char_boundary(len))
            .filter_map(move |&len| self.prefixes.get(&name[..len]).map(|ids| (ids, len)))
            .flat_map(move |(ids, len)| {
                ids.iter()
                    .map(move |&i| (&self.entries[i as usize], Specificity::Prefix(len)))
            });
        exact.chain(prefixed)
    }

    /// The entries whose pattern is exactly `pattern` (a prefix when `wildcard`): what the base
    /// knows about a declaration's own pattern.
    pub fn with_pattern<'a>(
        &'a self,
        pattern: &str,
        wildcard: bool,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        let map = if wildcard {
            &self.prefixes
        } else {
            &self.exact
        };
        map.get(pattern)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i as usize])
    }

    /// How many entries the layer holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
