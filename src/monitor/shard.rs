//! `--shard K/N`: the K-th of N disjoint parts of the sites, for audits spread over CI jobs.
//!
//! The rule: sites are ordered by a SHA-256 of their id (so sites of one organisation, which
//! share a prefix, spread over the parts), then cut into N runs of consecutive sites whose sizes
//! differ by at most one. The part of a site depends only on its id, N and the set of site ids:
//! every job of a CI matrix, on the same checkout, computes the same parts. Adding or removing
//! one site moves at most N - 1 others across a boundary.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Part `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// More parts than this is a typo, not a CI matrix.
pub const MAX_SHARDS: usize = 10_000;

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || format!("{s:?} is not a shard: write K/N, as 2/4 for the second of 4 parts");
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let (index, count) = (
            k.trim().parse::<usize>().map_err(|_| usage())?,
            n.trim().parse::<usize>().map_err(|_| usage())?,
        );
        if count == 0 || count > MAX_SHARDS {
            return Err(format!(
                "{s:?}: the number of parts must be 1 to {MAX_SHARDS}"
            ));
        }
        if index == 0 || index > count {
            return Err(format!("{s:?}: the part must be 1 to {count}"));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The items of this part, in their given order; `id` names each item's site.
    pub fn select<T>(self, items: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
        let parts = parts(&items.iter().map(&id).collect::<Vec<_>>(), self.count);
        items
            .into_iter()
            .zip(parts)
            .filter(|(_, part)| *part + 1 == self.index)
            .map(|(item, _)| item)
            .collect()
    }
}

/// The part (0-based) of each id, for `count` parts.
pub fn parts(ids: &[&str], count: usize) -> Vec<usize> {
    let count = count.max(1);
    let mut order: Vec<(u64, &str, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (hash(id), *id, i))
        .collect();
    order.sort_unstable();
    let total = order.len();
    let mut parts = vec![0; total];
    for (rank, (_, _, i)) in order.into_iter().enumerate() {
        parts[i] = rank * count / total;
    }
    parts
}

fn hash(id: &str) -> u64 {
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("portal-{i:04}.example.org"))
            .collect()
    }

    #[test]
    fn parts_are_disjoint_cover_every_site_and_are_balanced() {
        for total in [0, 1, 5, 23, 100] {
            let all = ids(total);
            for n in 1..=7 {
                let shards: Vec<Vec<String>> = (1..=n)
                    .map(|k| {
                        Shard { index: k, count: n }.select(all.clone(), |s: &String| s.as_str())
                    })
                    .collect();
                let mut seen: Vec<&String> = shards.iter().flatten().collect();
                seen.sort();
                let before = seen.len();
                seen.dedup();
                assert_eq!(before, seen.len(), "{total} sites, {n} parts: a site twice");
                assert_eq!(
                    seen,
                    all.iter().collect::<Vec<_>>(),
                    "{total}/{n}: not covered"
                );
                let sizes: Vec<usize> = shards.iter().map(Vec::len).collect();
                let (min, max) = (sizes.iter().min(), sizes.iter().max());
                assert!(max.zip(min).is_some_and(|(a, b)| a - b <= 1), "{sizes:?}");
                // Each part keeps the order given.
                for part in &shards {
                    assert!(part.is_sorted(), "{part:?}");
                }
            }
        }
    }

    #[test]
    fn a_site_stays_in_its_part_whatever_the_order_given() {
        let all = ids(40);
        let mut reversed = all.clone();
        reversed.reverse();
        let a = parts(&all.iter().map(String::as_str).collect::<Vec<_>>(), 4);
        let b = parts(&reversed.iter().map(String::as_str).collect::<Vec<_>>(), 4);
        for (i, id) in all.iter().enumerate() {
            let j = reversed.iter().position(|r| r == id).unwrap();
            assert_eq!(a[i], b[j], "{id}");
        }
        // Sites with one prefix spread over the parts rather than filling the first.
        assert_ne!(&a[..10], &[0; 10]);
    }

    #[test]
    fn adding_a_site_moves_few_others() {
        let all = ids(200);
        let mut more = all.clone();
        more.push("another.example.org".into());
        let (a, b) = (parts(&strs(&all), 5), parts(&strs(&more), 5));
        let moved = (0..all.len()).filter(|&i| a[i] != b[i]).count();
        assert!(moved < 5, "{moved} sites moved");
    }

    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    #[test]
    fn shards_parse_with_clear_errors() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", "1/2/3"] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
    }
}
