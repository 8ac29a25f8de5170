//! Find and replace across sites: every section text (headings, paragraphs, list items) and
//! every declaration text a site file holds (provider, function and location, purpose, duration
//! text, the group heading above its row, its cells in the page's own columns; a platform row's
//! own wording, never the platform file's).

use crate::model::{Block, CookieEntry, Site, Texts};
use crate::store::{SaveError, SiteFile, Workspace, save};

/// What to find, what to put instead, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Matched as written (case and accents count).
    pub find: String,
    pub replace: String,
    /// Only texts of this language (providers, which have none, are then left alone).
    pub lang: Option<String>,
}

impl Query {
    /// Refuses a query that would match everywhere or change nothing.
    pub fn new(find: &str, replace: &str, lang: Option<&str>) -> Result<Query, String> {
        if find.is_empty() {
            return Err("the text to find is empty".into());
        }
        if find == replace {
            return Err("the text to find and its replacement are the same".into());
        }
        Ok(Query {
            find: find.to_string(),
            replace: replace.to_string(),
            lang: lang.map(str::to_string),
        })
    }

    fn wants(&self, lang: &str) -> bool {
        self.lang.as_deref().is_none_or(|l| l == lang)
    }
}

/// One text that changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Where the text stands, as a person finds it in the editor.
    pub place: String,
    pub before: String,
    pub after: String,
    /// How many times the text holds what is found.
    pub count: usize,
}

/// `site` with every match replaced, and each text that changed; `None` when nothing matches.
pub fn replace_in_site(original: &Site, query: &Query) -> Option<(Site, Vec<Hit>)> {
    let mut site = original.clone();
    let mut hits = Vec::new();
    let mut visit = |text: &mut String, place: &dyn Fn() -> String| {
        let count = text.matches(query.find.as_str()).count();
        if count > 0 {
            let after = text.replace(query.find.as_str(), &query.replace);
            hits.push(Hit {
                place: place(),
                before: std::mem::replace(text, after.clone()),
                after,
                count,
            });
        }
    };
    for (lang, sections) in site.sections.iter_mut() {
        if !query.wants(lang) {
            continue;
        }
        for section in sections.iter_mut() {
            let heading = section.heading.clone();
            let at = |what: &str| format!("{lang}: section {heading:?}, {what}");
            visit(&mut section.heading, &|| at("heading"));
            for (b, block) in section.body.iter_mut().enumerate() {
                match block {
                    Block::Paragraph(p) => visit(p, &|| at(&format!("paragraph {}", b + 1))),
                    Block::List(items) => {
                        for (i, item) in items.iter_mut().enumerate() {
                            visit(item, &|| at(&format!("list item {}", i + 1)));
                        }
                    }
                    Block::CookieTable | Block::CategoryTable(_) | Block::NumberedTable(_) => {}
                }
            }
        }
    }
    for entry in site.cookies.iter_mut() {
        let name = entry.name().to_string();
        let table = entry.table();
        let (provider, texts, cells): (Option<&mut String>, [(&str, &mut Texts); 4], _) =
            match entry {
                CookieEntry::Own(d) => (
                    Some(&mut d.provider),
                    [
                        ("function and location", &mut d.location),
                        ("purpose", &mut d.purpose),
                        ("duration", &mut d.duration.text),
                        ("group heading", &mut d.group),
                    ],
                    &mut d.other_cells,
                ),
                CookieEntry::Platform(u) => (
                    u.provider.as_mut(),
                    [
                        ("function and location", &mut u.location),
                        ("purpose", &mut u.purpose),
                        ("duration", &mut u.duration_text),
                        ("group heading", &mut u.group),
                    ],
                    &mut u.other_cells,
                ),
            };
        if let Some(provider) = provider.filter(|_| query.lang.is_none()) {
            visit(provider, &|| format!("cookie {name}: provider"));
        }
        let cells = cells.iter_mut().map(|(n, texts)| {
            // Named by their header, as the hits say them.
            let field = original
                .other_header(table, *n, &original.default_language)
                .map_or_else(|| format!("column {}", n + 1), str::to_string);
            (field, texts)
        });
        let texts = texts.into_iter().map(|(f, t)| (f.to_string(), t));
        for (field, texts) in texts.chain(cells) {
            for (lang, text) in texts.iter_mut() {
                if query.wants(lang) {
                    visit(text, &|| format!("{lang}: cookie {name}: {field}"));
                }
            }
        }
    }
    (!hits.is_empty()).then_some((site, hits))
}

/// A site a replace changes.
#[derive(Clone, Debug)]
pub struct Planned {
    /// The site's file as loaded, with the site as the replace leaves it.
    pub file: SiteFile,
    pub hits: Vec<Hit>,
    /// The file's text now and as it would be saved (comments kept), or why it cannot be shown.
    pub texts: Result<(String, String), String>,
}

/// What replacing `query` changes in the sites of `ws` (those `only` matches), worked out on
/// every core, in site order; nothing is written.
pub fn plan(ws: &Workspace, query: &Query, only: Option<&SitePattern>) -> Vec<Planned> {
    let planned = crate::parallel::map(&ws.sites, |file| {
        if only.is_some_and(|p| !p.matches(&file.site.id)) {
            return None;
        }
        let (site, hits) = replace_in_site(&file.site, query)?;
        let mut changed = file.clone();
        changed.site = site;
        let texts = save::texts_for(file, &changed.site);
        Some(Planned {
            file: changed,
            hits,
            texts,
        })
    });
    planned.into_iter().flatten().collect()
}

/// Saves every planned site through the atomic save that keeps comments (refusing a file
/// another program changed since it was loaded), several at once; one result each, in order.
pub fn save_planned(planned: &[Planned]) -> Vec<Result<(), SaveError>> {
    // A save mostly waits for the disk to sync the file and its folder: more saves than cores.
    const SAVES_AT_ONCE: usize = 16;
    crate::parallel::map_on(SAVES_AT_ONCE, planned, |p| {
        save::save_site(&mut p.file.clone(), false)
    })
}

/// A pattern of site ids, where `*` stands for any run of characters and `?` for one; it
/// matches whole ids.
#[derive(Clone, Debug)]
pub struct SitePattern(regex::Regex);

impl SitePattern {
    pub fn new(pattern: &str) -> Result<SitePattern, String> {
        let mut re = String::from("^");
        for c in pattern.chars() {
            match c {
                '*' => re.push_str(".*"),
                '?' => re.push('.'),
                c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        re.push('$');
        regex::Regex::new(&re)
            .map(SitePattern)
            .map_err(|e| format!("{pattern:?} is not a site pattern: {e}"))
    }

    pub fn matches(&self, id: &str) -> bool {
        self.0.is_match(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Column;

    fn site() -> Site {
        crate::store::format::parse(crate::store::bundled::FILES[1].1).expect("bundled")
    }

    #[test]
    fn replaces_in_sections_and_rows_of_the_language_asked() {
        let site = site();
        let query = Query::new("front et back office", "front and back office", Some("en"))
            .expect("a query");
        let (after, hits) = replace_in_site(&site, &query).expect("a hit");
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].place, "en: cookie csrftoken: function and location");
        assert_eq!(hits[0].after, "API (CSRF) (front and back office)");
        let french = Query::new("front et back office", "x", Some("fr")).expect("a query");
        assert!(replace_in_site(&after, &french).is_none());
    }

    #[test]
    fn replaces_in_group_headings_and_cells_of_the_pages_own_columns() {
        use crate::model::{CookieDecl, TableColumn};
        let mut site = site();
        let en = |t: &str| Texts::from([("en".to_string(), t.to_string())]);
        site.columns = vec![
            TableColumn {
                column: Column::Name,
                header: en("Cookie"),
                table: None,
            },
            TableColumn {
                column: Column::Other(0),
                header: en("Type"),
                table: None,
            },
        ];
        site.cookies = vec![CookieEntry::Own(CookieDecl {
            name: "_ga".into(),
            group: en("Performance cookies"),
            other_cells: [(0, en("Performance cookie"))].into(),
            ..Default::default()
        })];
        let query = Query::new("Performance", "Analytics", None).expect("a query");
        let (_, hits) = replace_in_site(&site, &query).expect("hits");
        let places: Vec<&str> = hits.iter().map(|h| h.place.as_str()).collect();
        assert_eq!(
            places,
            ["en: cookie _ga: group heading", "en: cookie _ga: Type"]
        );
        assert_eq!(hits[1].after, "Analytics cookie");
    }

    #[test]
    fn patterns_match_whole_ids() {
        let m = |p: &str, id: &str| SitePattern::new(p).expect("a pattern").matches(id);
        assert!(m("*.opendatasoft.com", "tne.opendatasoft.com"));
        assert!(!m("*.opendatasoft.com", "dashboard.paris"));
        assert!(m("dash?oard.*", "dashboard.paris"));
        assert!(!m("dash", "dashboard.paris"));
        assert!(m("a+b(c", "a+b(c"), "other characters stand for themselves");
    }
}
