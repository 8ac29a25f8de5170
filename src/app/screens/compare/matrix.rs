//! The cookie matrix: every cookie name of the compared sites against the sites, and where they
//! declare the same cookie differently.

use crate::model::text::text_in;
use crate::model::{Category, DurationValue};

use crate::app::state::Docs;

/// What one site declares for one cookie.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub category: Category,
    pub purpose: String,
    /// The duration visitors read, when the site's table shows one.
    pub published: Option<String>,
    pub value: DurationValue,
}

impl Cell {
    /// The duration as the matrix shows it.
    pub fn duration(&self) -> String {
        match &self.published {
            Some(text) => text.clone(),
            None => "no duration published".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The name as visitors read it (`_ga_*` for a prefix).
    pub cookie: String,
    /// The declared name, as the editor knows the cookie.
    pub name: String,
    /// One per compared site; `None` where the site does not declare the cookie.
    pub cells: Vec<Option<Cell>>,
    /// What the declaring sites disagree on: "category", "purpose", "duration".
    pub disagreements: Vec<&'static str>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    pub sites: Vec<String>,
    pub rows: Vec<Row>,
}

/// The matrix of the sites `ids`, texts read in `lang` where a site has it (else its default).
pub fn build(docs: &Docs, ids: &[String], lang: Option<&str>) -> Matrix {
    let common = common_language(docs, ids);
    let lang = lang.or(common.as_deref());
    let mut names: Vec<String> = Vec::new();
    let mut columns = Vec::new();
    for id in ids {
        let Some(doc) = docs.get(id) else { continue };
        let site = doc.site();
        let lang = lang
            .filter(|l| site.languages.iter().any(|s| s == l))
            .unwrap_or(&site.default_language)
            .to_string();
        let cells: Vec<(String, String, Cell)> = site
            .resolved_cookies(docs.platform_of(site))
            .into_iter()
            .map(|decl| {
                let cell = Cell {
                    category: decl.category,
                    purpose: text_in(&decl.purpose, &lang).trim().to_string(),
                    published: site.published_duration(&decl, &lang).map(str::to_string),
                    value: decl.duration.value,
                };
                (decl.display_name(), decl.name, cell)
            })
            .collect();
        names.extend(cells.iter().map(|(n, _, _)| n.clone()));
        columns.push((id.clone(), cells));
    }
    names.sort();
    names.dedup();
    let rows = names
        .into_iter()
        .map(|cookie| {
            let found: Vec<Option<&(String, String, Cell)>> = columns
                .iter()
                .map(|(_, cells)| cells.iter().find(|(n, _, _)| *n == cookie))
                .collect();
            let name = found
                .iter()
                .flatten()
                .next()
                .map_or_else(|| cookie.clone(), |(_, n, _)| n.clone());
            let cells: Vec<Option<Cell>> =
                found.iter().map(|f| f.map(|(_, _, c)| c.clone())).collect();
            let disagreements = disagreements(&cells);
            Row {
                cookie,
                name,
                cells,
                disagreements,
            }
        })
        .collect();
    Matrix {
        sites: columns.into_iter().map(|(id, _)| id).collect(),
        rows,
    }
}

/// A language every compared site publishes (English first), so texts compare like for like.
pub fn common_language(docs: &Docs, ids: &[String]) -> Option<String> {
    let sites: Vec<_> = ids
        .iter()
        .filter_map(|id| docs.get(id))
        .map(|d| d.site())
        .collect();
    let first = sites.first()?;
    let shared = |l: &String| sites.iter().all(|s| s.languages.contains(l));
    let english = "en".to_string();
    if shared(&english) {
        return Some(english);
    }
    first.languages.iter().find(|l| shared(l)).cloned()
}

fn disagreements(cells: &[Option<Cell>]) -> Vec<&'static str> {
    let declared: Vec<&Cell> = cells.iter().flatten().collect();
    let Some(first) = declared.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if declared.iter().any(|c| c.category != first.category) {
        out.push("category");
    }
    if declared.iter().any(|c| c.purpose != first.purpose) {
        out.push("purpose");
    }
    let same_duration = |a: &Cell, b: &Cell| match (&a.published, &b.published) {
        (None, None) => true,
        (Some(_), Some(_)) => a.value.agrees_with(b.value),
        _ => false,
    };
    if declared.iter().any(|c| !same_duration(c, first)) {
        out.push("duration");
    }
    out
}

/// The compared (site, revision) pairs and the language.
type MatrixKey = (Vec<(String, u64)>, Option<String>);

/// The matrix, rebuilt only when a compared site changed.
#[derive(Default)]
pub struct MatrixCache {
    key: Option<MatrixKey>,
    pub matrix: Matrix,
}

impl MatrixCache {
    pub fn get(&mut self, docs: &Docs, ids: &[String], lang: Option<&str>) -> &Matrix {
        let key = (
            ids.iter()
                .map(|id| (id.clone(), docs.get(id).map_or(0, |d| d.revision)))
                .collect(),
            lang.map(str::to_string),
        );
        if self.key.as_ref() != Some(&key) {
            self.matrix = build(docs, ids, lang);
            self.key = Some(key);
        }
        &self.matrix
    }
}
