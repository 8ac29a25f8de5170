//! Cookie name patterns, compiled: what a declaration matches, and where two declarations cover
//! the same names. The audit matches observed cookies with the same code.

use regex::Regex;

use crate::model::{CookieDecl, MatchKind};

#[derive(Clone, Debug)]
pub enum NamePattern {
    Exact(String),
    Prefix(String),
    Regex(Regex),
}

impl NamePattern {
    /// The declaration's pattern; a regex is anchored to the whole name.
    pub fn of(decl: &CookieDecl) -> Result<NamePattern, regex::Error> {
        Ok(match decl.matching {
            MatchKind::Exact => NamePattern::Exact(decl.name.clone()),
            MatchKind::Prefix => NamePattern::Prefix(decl.name.clone()),
            MatchKind::Regex => NamePattern::Regex(Regex::new(&format!("^(?:{})$", decl.name))?),
        })
    }

    pub fn matches(&self, name: &str) -> bool {
        match self {
            NamePattern::Exact(n) => n == name,
            NamePattern::Prefix(p) => name.starts_with(p.as_str()),
            NamePattern::Regex(r) => r.is_match(name),
        }
    }

    /// A name this pattern matches, used to test overlap against another pattern.
    fn witness(&self) -> Option<&str> {
        match self {
            NamePattern::Exact(n) | NamePattern::Prefix(n) => Some(n),
            NamePattern::Regex(_) => None,
        }
    }
}

/// How two declarations' names relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlap {
    /// The same name, declared twice.
    Duplicate,
    /// Some cookie name would match both.
    Overlapping,
}

/// Whether `a` and `b` cover a common name. Two regexes are compared by their text only.
pub fn overlap(a: (&CookieDecl, &NamePattern), b: (&CookieDecl, &NamePattern)) -> Option<Overlap> {
    let ((da, pa), (db, pb)) = (a, b);
    if da.matching == db.matching && da.name == db.name {
        return Some(Overlap::Duplicate);
    }
    let covers = |p: &NamePattern, q: &NamePattern| q.witness().is_some_and(|w| p.matches(w));
    (covers(pa, pb) || covers(pb, pa)).then_some(Overlap::Overlapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(name: &str, matching: MatchKind) -> CookieDecl {
        CookieDecl {
            name: name.into(),
            matching,
            ..Default::default()
        }
    }

    fn check(a: &CookieDecl, b: &CookieDecl) -> Option<Overlap> {
        let (pa, pb) = (NamePattern::of(a).unwrap(), NamePattern::of(b).unwrap());
        overlap((a, &pa), (b, &pb))
    }

    #[test]
    fn finds_duplicates_and_overlaps() {
        use MatchKind::*;
        assert_eq!(
            check(&decl("_ga", Exact), &decl("_ga", Exact)),
            Some(Overlap::Duplicate)
        );
        assert_eq!(
            check(&decl("_ga_", Prefix), &decl("_ga_XYZ", Exact)),
            Some(Overlap::Overlapping)
        );
        assert_eq!(
            check(&decl("_pk_id\\..*", Regex), &decl("_pk_id.1", Exact)),
            Some(Overlap::Overlapping)
        );
        assert_eq!(check(&decl("_ga", Exact), &decl("_gid", Exact)), None);
        assert_eq!(check(&decl("_ga_", Prefix), &decl("_ga", Exact)), None);
    }

    #[test]
    fn regex_matches_whole_names_only() {
        let p = NamePattern::of(&decl("_hj.*", MatchKind::Regex)).unwrap();
        assert!(p.matches("_hjSession_1"));
        assert!(!p.matches("x_hjSession"));
    }
}
