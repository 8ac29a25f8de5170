//! The document model every output draws: headings, paragraphs, lists, tables and links.

use super::inline::parse_inline;
use crate::model::site::Column;
use crate::model::text::text_in;
use crate::model::{self, CookieDecl, Site};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// `bracketed`: written `<url>`, and shown so in plain text.
    Link {
        url: String,
        bracketed: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The cookie this row declares, so a view can point at it.
    pub cookie: String,
    /// Headings across the whole table just above this row: a group of rows begins here.
    pub groups: Vec<String>,
    pub cells: Vec<Vec<Inline>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading { level: u8, text: Vec<Inline> },
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Table(Table),
}

/// A site's policy in one language, ready to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub lang: String,
    /// The first heading, or the site's name: the HTML `<title>`.
    pub title: String,
    pub site_name: String,
    pub policy_url: String,
    pub policy_version: String,
    pub last_review: String,
    pub blocks: Vec<Block>,
}

/// The policy of `site` in `lang`, with `cookies` (the resolved declarations) as its table.
/// A language the site has no sections for gives a document with the table alone.
pub fn build_document(site: &Site, cookies: &[CookieDecl], lang: &str) -> Document {
    let sections = site.sections.get(lang).map(Vec::as_slice).unwrap_or(&[]);
    let mut blocks = Vec::new();
    let mut table_placed = false;
    // Which cookies a category table showed: the rest follow the text in a table of their own.
    let mut shown = vec![false; cookies.len()];
    for section in sections {
        blocks.push(Block::Heading {
            level: section.level.clamp(1, 6),
            text: parse_inline(&section.heading),
        });
        for block in &section.body {
            blocks.push(match block {
                model::Block::Paragraph(p) => Block::Paragraph(parse_inline(p)),
                model::Block::List(items) => {
                    Block::List(items.iter().map(|i| parse_inline(i)).collect())
                }
                model::Block::CookieTable => {
                    table_placed = true;
                    shown.iter_mut().for_each(|s| *s = true);
                    Block::Table(cookie_table(site, cookies, lang, None))
                }
                model::Block::CategoryTable(_) | model::Block::NumberedTable(_) => {
                    table_placed = true;
                    let mine: Vec<CookieDecl> = cookies
                        .iter()
                        .zip(shown.iter_mut())
                        .filter(|(d, _)| match block {
                            model::Block::CategoryTable(c) => d.category == *c,
                            _ => matches!(block, model::Block::NumberedTable(n) if d.table == Some(*n)),
                        })
                        .map(|(d, s)| {
                            *s = true;
                            d.clone()
                        })
                        .collect();
                    let number = match block {
                        model::Block::NumberedTable(n) => Some(*n),
                        _ => None,
                    };
                    Block::Table(cookie_table(site, &mine, lang, number))
                }
            });
        }
    }
    if !table_placed {
        blocks.push(Block::Table(cookie_table(site, cookies, lang, None)));
    } else if shown.contains(&false) {
        let rest: Vec<CookieDecl> = cookies
            .iter()
            .zip(&shown)
            .filter(|(_, s)| !**s)
            .map(|(d, _)| d.clone())
            .collect();
        blocks.push(Block::Table(cookie_table(site, &rest, lang, None)));
    }
    let title = sections
        .first()
        .map(|s| s.heading.clone())
        .unwrap_or_else(|| site.name.clone());
    Document {
        lang: lang.to_string(),
        title,
        site_name: site.name.clone(),
        policy_url: site.policy_url().to_string(),
        policy_version: site.policy_version.clone(),
        last_review: site.last_review.clone(),
        blocks,
    }
}

/// The table of `cookies` with the columns of `table` (a numbered table, or the site's).
fn cookie_table(site: &Site, cookies: &[CookieDecl], lang: &str, table: Option<u8>) -> Table {
    let columns = site.table_columns_of(table);
    let mut rows: Vec<Row> = Vec::new();
    // The names of the row being built, with the text before each.
    let mut names: Vec<(String, String)> = Vec::new();
    let mut above: Option<&CookieDecl> = None;
    for decl in cookies {
        let group = text_in(&decl.group, lang).trim();
        // A group's heading stands above a row of its own.
        let joins = decl.shares_row.as_ref().filter(|_| {
            group.is_empty()
                && above.is_some_and(|above| site.cells_differing(above, decl, lang).is_empty())
        });
        match joins {
            Some(before) => names.push((before.clone(), decl.display_name())),
            None => {
                fill_names(rows.last_mut(), &columns, &mut names);
                names.push((String::new(), decl.display_name()));
                rows.push(Row {
                    cookie: decl.name.clone(),
                    groups: group
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect(),
                    cells: columns
                        .iter()
                        .map(|&column| parse_inline(site.cell(decl, column, lang)))
                        .collect(),
                });
            }
        }
        above = Some(decl);
    }
    fill_names(rows.last_mut(), &columns, &mut names);
    Table {
        headers: columns
            .iter()
            .map(|&c| site.header_of(table, c, lang).to_string())
            .collect(),
        rows,
    }
}

/// Writes the names gathered for `row` into its name cell, one after the other.
fn fill_names(row: Option<&mut Row>, columns: &[Column], names: &mut Vec<(String, String)>) {
    let text: String = names
        .drain(..)
        .map(|(before, name)| before + &name)
        .collect();
    if let Some(row) = row
        && let Some(at) = columns.iter().position(|&c| c == Column::Name)
        && let Some(cell) = row.cells.get_mut(at)
    {
        *cell = vec![Inline::Text(text)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Platform};
    use crate::store::bundled::FILES;
    use crate::store::format::parse;

    #[test]
    fn a_category_table_shows_its_cookies_and_the_rest_follow_the_text() {
        let mut site: Site = parse(FILES[2].1).expect("bundled site");
        let platform: Platform = parse(FILES[0].1).expect("bundled platform");
        let cookies = site.resolved_cookies(Some(&platform));
        let sections = site.sections.get_mut("en").expect("English text");
        for section in sections.iter_mut() {
            section.body.retain(|b| *b != model::Block::CookieTable);
        }
        sections[0]
            .body
            .push(model::Block::CategoryTable(Category::Necessary));
        let doc = build_document(&site, &cookies, "en");
        let tables: Vec<Vec<&str>> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t.rows.iter().map(|r| r.cookie.as_str()).collect()),
                _ => None,
            })
            .collect();
        let necessary: Vec<&str> = cookies
            .iter()
            .filter(|d| d.category == Category::Necessary)
            .map(|d| d.name.as_str())
            .collect();
        let rest: Vec<&str> = cookies
            .iter()
            .filter(|d| d.category != Category::Necessary)
            .map(|d| d.name.as_str())
            .collect();
        assert!(!necessary.is_empty() && !rest.is_empty());
        assert_eq!(tables, [necessary, rest]);
        assert!(
            matches!(doc.blocks.last(), Some(Block::Table(_))),
            "after the text"
        );
    }

    #[test]
    fn cookies_sharing_a_row_render_as_one_while_their_cells_agree() {
        let site: Site = parse(FILES[2].1).expect("bundled site");
        let decl = |name: &str, purpose: &str, shares: Option<&str>| CookieDecl {
            name: name.into(),
            provider: "Google".into(),
            purpose: [("en".to_string(), purpose.to_string())].into(),
            shares_row: shares.map(str::to_string),
            ..Default::default()
        };
        let names = |cookies: &[CookieDecl]| -> Vec<Vec<Inline>> {
            let table = cookie_table(&site, cookies, "en", None);
            let at = site
                .table_columns()
                .iter()
                .position(|&c| c == Column::Name)
                .expect("a name column");
            table.rows.iter().map(|r| r.cells[at].clone()).collect()
        };
        let text = |t: &str| vec![Inline::Text(t.into())];
        let same = [
            decl("_ga", "Visits.", None),
            decl("_gid", "Visits.", Some(" / ")),
            decl("_gat", "Visits.", Some(" / ")),
            decl("NID", "Visits.", None),
        ];
        assert_eq!(names(&same), [text("_ga / _gid / _gat"), text("NID")]);
        let differs = [
            decl("_ga", "Visits.", None),
            decl("_gid", "Sessions.", Some(", ")),
        ];
        assert_eq!(names(&differs), [text("_ga"), text("_gid")]);
    }
}
