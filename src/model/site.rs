//! A portal's cookie policy, and the platform it runs on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use url::Url;

use super::cookie::{CookieDecl, CookieEntry};
use super::text::{Lang, Texts, text_in};

/// Which page template a portal publishes; it fixes the cookie table's columns and their headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Layout {
    /// "Several types of cookies exist": provider, function and location, names, purposes; no
    /// durations.
    #[default]
    Classic,
    /// "Strictly necessary cookies": supplier, name, duration, function.
    WithDurations,
}

/// A column of the published cookie table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Column {
    Provider,
    Location,
    Name,
    Duration,
    Purpose,
    /// A column PolicyDesk has no field for (a cookie's type, or its category as the page words
    /// it): each cookie's cell is kept as published, under this number in its `other_cells`.
    Other(u8),
}

impl Layout {
    pub const ALL: &'static [Layout] = &[Layout::Classic, Layout::WithDurations];

    pub fn label(self) -> &'static str {
        match self {
            Layout::Classic => "Classic (provider, function and location, names, purposes)",
            Layout::WithDurations => "With durations (supplier, name, duration, function)",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        use Column::*;
        match self {
            Layout::Classic => &[Provider, Location, Name, Purpose],
            Layout::WithDurations => &[Provider, Name, Duration, Purpose],
        }
    }

    /// Whether the published table tells visitors how long each cookie lives.
    pub fn shows_durations(self) -> bool {
        self.columns().contains(&Column::Duration)
    }

    /// The column header as the template words it; languages the template lacks get English.
    pub fn header(self, column: Column, lang: &str) -> &'static str {
        use Column::*;
        let french = lang == "fr";
        match (self, column, french) {
            (Layout::Classic, Provider, false) => "Service provider's name",
            (Layout::Classic, Provider, true) => "Nom du fournisseur de service",
            (Layout::WithDurations, Provider, false) => "Supplier name",
            (Layout::WithDurations, Provider, true) => "Nom du fournisseur",
            (_, Location, false) => "Function and location",
            (_, Location, true) => "Fonction et emplacement",
            (Layout::Classic, Name, false) => "Cookie name(s)",
            (Layout::Classic, Name, true) => "Nom(s) du cookie",
            (Layout::WithDurations, Name, false) => "Cookie name",
            (Layout::WithDurations, Name, true) => "Nom du cookie",
            (_, Duration, false) => "Duration",
            (_, Duration, true) => "Durée",
            (Layout::Classic, Purpose, false) => "Purposes",
            (Layout::Classic, Purpose, true) => "Finalités",
            (Layout::WithDurations, Purpose, false) => "Function",
            (Layout::WithDurations, Purpose, true) => "Fonction",
            // Only a site's own table has one, and it words its header.
            (_, Other(_), _) => "",
        }
    }
}

/// A column of a table a site publishes its own way (see [`Site::columns`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableColumn {
    pub column: Column,
    /// The header as the page words it, per language; a language without one gets the
    /// layout's wording.
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub header: Texts,
    /// The numbered table (`Block::NumberedTable(n)`) whose own column it is, for a table
    /// whose columns are not the site's table's; none: a column of the site's table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u8>,
}

/// A piece of a section's body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// A paragraph; `<https://…>` and bare `https://…` addresses in it are links.
    Paragraph(String),
    /// A bulleted list, one item a string.
    List(Vec<String>),
    /// Where the cookie table stands.
    CookieTable,
    /// Where the table of one category's cookies stands, for a page with one table per
    /// category. Cookies no table shows are shown in a table after the text.
    CategoryTable(super::cookie::Category),
    /// Where the page's table number n stands, for a page whose tables are not one a category:
    /// the cookies with `table: n`. Cookies no table shows are shown in a table after the text.
    NumberedTable(u8),
}

/// A heading and what follows it, up to the next section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// 1 for the page title, 2 for a section, 3 for a subsection.
    pub level: u8,
    pub heading: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Block>,
}

/// The text marking the cookie table in [`Section::body_text`].
pub const TABLE_MARKER: &str = "[cookie table]";

impl Section {
    /// The body as one editable text: paragraphs apart by a blank line, list items as `- ` lines,
    /// and the cookie table as a line `[cookie table]`.
    pub fn body_text(&self) -> String {
        let blocks: Vec<String> = self
            .body
            .iter()
            .map(|block| match block {
                Block::Paragraph(p) => p.clone(),
                Block::List(items) => items
                    .iter()
                    .map(|i| format!("- {i}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::CookieTable => TABLE_MARKER.to_string(),
                Block::CategoryTable(c) => format!("[cookie table: {c}]"),
                Block::NumberedTable(n) => format!("[cookie table {n}]"),
            })
            .collect();
        blocks.join("\n\n")
    }

    /// Reads back what [`Section::body_text`] writes; line breaks inside a paragraph become spaces.
    pub fn set_body_text(&mut self, text: &str) {
        self.body = text
            .split("\n\n")
            .map(str::trim)
            .filter(|chunk| !chunk.is_empty())
            .map(|chunk| {
                let lines: Vec<&str> = chunk.lines().map(str::trim).collect();
                let category = chunk
                    .strip_prefix("[cookie table: ")
                    .and_then(|rest| rest.strip_suffix(']'))
                    .and_then(|label| {
                        super::cookie::Category::ALL
                            .iter()
                            .find(|c| c.label() == label)
                    });
                let number = chunk
                    .strip_prefix("[cookie table ")
                    .and_then(|rest| rest.strip_suffix(']'))
                    .and_then(|n| n.parse::<u8>().ok());
                if chunk == TABLE_MARKER {
                    Block::CookieTable
                } else if let Some(&c) = category {
                    Block::CategoryTable(c)
                } else if let Some(n) = number {
                    Block::NumberedTable(n)
                } else if lines.iter().all(|l| l.starts_with("- ")) {
                    Block::List(lines.iter().map(|l| l[2..].to_string()).collect())
                } else {
                    Block::Paragraph(lines.join(" "))
                }
            })
            .collect();
    }
}

/// A platform (Opendatasoft, say): the cookies every one of its portals sets, declared once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// The file name without `.ron`.
    #[serde(skip)]
    pub id: String,
    pub name: String,
    /// The cookie that stores the visitor's consent choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_cookie: Option<String>,
    pub cookies: Vec<CookieDecl>,
}

impl Platform {
    pub fn cookie(&self, name: &str) -> Option<&CookieDecl> {
        self.cookies.iter().find(|c| c.name == name)
    }
}

/// A site's own consent-banner controls, as CSS selectors, for a banner the built-in rules do
/// not know: `consent: (accept: "#ok", reject: "#no")`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentSelectors {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject: Option<String>,
}

/// One portal's cookie policy, as its site file holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The file name without `.ron`; never saved inside the file.
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub base_url: Url,
    /// The policy page, relative to `base_url`.
    pub policy_path: String,
    /// More pages the audit fetches, relative to `base_url`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_paths: Vec<String>,
    /// Who is responsible for the processing (the portal's operator).
    pub controller: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The platform file whose cookies `Platform(…)` rows refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    pub languages: Vec<Lang>,
    pub default_language: Lang,
    pub layout: Layout,
    /// The cookie table's columns, in order and with their headers, when the page shows them
    /// otherwise than the layout (an imported page, say). Empty: the layout's. Then the columns
    /// of each numbered table that shows its own (`table: Some(n)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<TableColumn>,
    pub policy_version: String,
    /// `YYYY-MM-DD`.
    pub last_review: String,
    /// The cookie storing the consent choice, when it differs from the platform's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_cookie: Option<String>,
    /// The consent banner's own controls, for a banner the browser audit's rules do not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentSelectors>,
    pub sections: BTreeMap<Lang, Vec<Section>>,
    pub cookies: Vec<CookieEntry>,
}

impl Site {
    /// A new site in one language, before anything is filled in: no controller, no sections or
    /// cookies, version "1", the layout with durations. Callers set what they know over it.
    pub fn blank(id: &str, base_url: Url, lang: &str) -> Site {
        Site {
            id: id.into(),
            name: id.into(),
            base_url,
            policy_path: "/".into(),
            extra_paths: Vec::new(),
            controller: String::new(),
            contact: None,
            platform: None,
            languages: vec![lang.into()],
            default_language: lang.into(),
            layout: Layout::WithDurations,
            columns: Vec::new(),
            policy_version: "1".into(),
            last_review: String::new(),
            consent_cookie: None,
            consent: None,
            sections: BTreeMap::new(),
            cookies: Vec::new(),
        }
    }

    /// The policy page's address.
    pub fn policy_url(&self) -> Url {
        self.base_url
            .join(&self.policy_path)
            .unwrap_or_else(|_| self.base_url.clone())
    }

    /// The declarations as published: platform rows resolved against `platform`. A row naming a
    /// cookie the platform lacks is left out here; loading reports it as an error.
    pub fn resolved_cookies(&self, platform: Option<&Platform>) -> Vec<CookieDecl> {
        self.cookies
            .iter()
            .filter_map(|entry| match entry {
                CookieEntry::Own(decl) => Some(decl.clone()),
                CookieEntry::Platform(using) => platform
                    .and_then(|p| p.cookie(&using.name))
                    .map(|base| using.resolve(base)),
            })
            .collect()
    }

    /// Takes row `i` out of the cookie table, keeping what the page shows around it: a cookie
    /// named in its row starts the row instead, and its group heading goes to the cookie after
    /// it in the same table (of the same category, when both say theirs) when that one has none.
    pub fn remove_cookie(&mut self, i: usize) -> Option<CookieEntry> {
        if i >= self.cookies.len() {
            return None;
        }
        let mut removed = self.cookies.remove(i);
        let category = |e: &CookieEntry| match e {
            CookieEntry::Own(d) => Some(d.category),
            CookieEntry::Platform(_) => None,
        };
        let (removed_category, next) = (category(&removed), self.cookies.get_mut(i));
        let (shared, heading, table) = removed.place_mut();
        if let Some(next) = next {
            let same_category = match (removed_category, category(next)) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let (next_shares, next_heading, next_table) = next.place_mut();
            if shared.is_none() {
                *next_shares = None;
            }
            if next_table == table && same_category && next_heading.is_empty() {
                *next_heading = std::mem::take(heading);
            }
        }
        Some(removed)
    }

    /// Puts a copy of row `i` (named `<name>_copy`) just after it; the group heading stays above
    /// the first of the two.
    pub fn duplicate_cookie(&mut self, i: usize) {
        let Some(mut copy) = self.cookies.get(i).cloned() else {
            return;
        };
        if let CookieEntry::Own(d) = &mut copy {
            d.name.push_str("_copy");
        }
        copy.place_mut().1.clear();
        self.cookies.insert(i + 1, copy);
    }

    /// Swaps the cookies of rows `a` and `b`. A group heading heads a place in the table, not a
    /// cookie: the headings stay where they were.
    pub fn swap_cookies(&mut self, a: usize, b: usize) {
        if a.max(b) >= self.cookies.len() {
            return;
        }
        self.cookies.swap(a, b);
        let heading_a = std::mem::take(self.cookies[a].place_mut().1);
        let heading_b = std::mem::replace(self.cookies[b].place_mut().1, heading_a);
        *self.cookies[a].place_mut().1 = heading_b;
    }

    /// The cookie storing the consent choice: the site's own, else its platform's.
    pub fn consent_cookie<'a>(&'a self, platform: Option<&'a Platform>) -> Option<&'a str> {
        self.consent_cookie
            .as_deref()
            .or_else(|| platform.and_then(|p| p.consent_cookie.as_deref()))
    }

    /// The cookie table's columns, in the published order.
    pub fn table_columns(&self) -> Vec<Column> {
        self.table_columns_of(None)
    }

    /// The site's own columns of `table` (a numbered table's, or with none the site's table's);
    /// a numbered table without columns of its own has the site's table's.
    pub fn own_columns(&self, table: Option<u8>) -> impl Iterator<Item = &TableColumn> {
        let table = table.filter(|&n| self.columns.iter().any(|c| c.table == Some(n)));
        self.columns.iter().filter(move |c| c.table == table)
    }

    /// The columns of `table` (see [`Site::own_columns`]), in the published order.
    pub fn table_columns_of(&self, table: Option<u8>) -> Vec<Column> {
        let own: Vec<Column> = self.own_columns(table).map(|c| c.column).collect();
        if own.is_empty() {
            self.layout.columns().to_vec()
        } else {
            own
        }
    }

    /// A column's header in `lang`: the site's own wording, else the layout's.
    pub fn header(&self, column: Column, lang: &str) -> &str {
        self.header_of(None, column, lang)
    }

    /// A column's header in `lang` in `table` (see [`Site::own_columns`]).
    pub fn header_of(&self, table: Option<u8>, column: Column, lang: &str) -> &str {
        self.own_header(table, column, lang)
            .unwrap_or_else(|| self.layout.header(column, lang))
    }

    /// The header in `lang` of column `Other(n)` of `table` (see [`Site::own_columns`]), when
    /// the page worded one.
    pub fn other_header(&self, table: Option<u8>, n: u8, lang: &str) -> Option<&str> {
        self.own_header(table, Column::Other(n), lang)
            .map(str::trim)
            .filter(|h| !h.is_empty())
    }

    /// The page's own wording of `column`'s header in `table`, when it has one.
    fn own_header(&self, table: Option<u8>, column: Column, lang: &str) -> Option<&str> {
        self.own_columns(table)
            .find(|c| c.column == column)
            .map(|c| text_in(&c.header, lang))
            .filter(|h| !h.is_empty())
    }

    /// Whether the published table tells visitors how long each cookie lives.
    pub fn shows_durations(&self) -> bool {
        self.shows_durations_of(None)
    }

    /// Whether `table` (see [`Site::own_columns`]) shows durations.
    pub fn shows_durations_of(&self, table: Option<u8>) -> bool {
        let mut own = self.own_columns(table).peekable();
        if own.peek().is_none() {
            self.layout.shows_durations()
        } else {
            own.any(|c| c.column == Column::Duration)
        }
    }

    /// The columns whose cells `decl` shows otherwise than `above` in `lang`: while there are
    /// none, a cookie declared to share `above`'s row is shown in it.
    pub fn cells_differing(
        &self,
        above: &CookieDecl,
        decl: &CookieDecl,
        lang: &str,
    ) -> Vec<Column> {
        self.table_columns_of(decl.table)
            .into_iter()
            .filter(|&col| self.cell(above, col, lang) != self.cell(decl, col, lang))
            .collect()
    }

    /// The duration a visitor reads for `decl` in `lang` (in its table), if the page shows one
    /// at all.
    pub fn published_duration<'a>(&self, decl: &'a CookieDecl, lang: &str) -> Option<&'a str> {
        let text = text_in(&decl.duration.text, lang).trim();
        (self.shows_durations_of(decl.table) && !text.is_empty()).then_some(text)
    }

    /// What the table cell of `column` shows for `decl` in `lang`; the name cell is drawn from
    /// the names of its row, so it is empty here.
    pub fn cell<'a>(&self, decl: &'a CookieDecl, column: Column, lang: &str) -> &'a str {
        match column {
            Column::Provider => &decl.provider,
            Column::Location => text_in(&decl.location, lang),
            Column::Purpose => text_in(&decl.purpose, lang),
            Column::Duration => self.published_duration(decl, lang).unwrap_or_default(),
            Column::Other(n) => decl.other_cells.get(&n).map_or("", |t| text_in(t, lang)),
            Column::Name => "",
        }
    }

    /// Every piece of published text of `lang`, for checks that read the wording.
    pub fn section_texts<'a>(&'a self, lang: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.sections.get(lang).into_iter().flatten().flat_map(|s| {
            std::iter::once(s.heading.as_str()).chain(s.body.iter().flat_map(|b| match b {
                Block::Paragraph(p) => vec![p.as_str()],
                Block::List(items) => items.iter().map(String::as_str).collect(),
                Block::CookieTable | Block::CategoryTable(_) | Block::NumberedTable(_) => vec![],
            }))
        })
    }
}

/// Texts one language may lack while another has them.
pub fn texts_of(decl: &CookieDecl) -> [(&'static str, &Texts); 3] {
    [
        ("function and location", &decl.location),
        ("purpose", &decl.purpose),
        ("duration", &decl.duration.text),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_file_may_name_its_banner_controls() {
        let text = crate::store::bundled::FILES[2].1.replacen(
            "    sections:",
            "    consent: (accept: \"#ok\", reject: \".no\"),\n    sections:",
            1,
        );
        let site: Site = crate::store::format::parse(&text).expect("parses");
        let consent = site.consent.clone().expect("read");
        assert_eq!(consent.accept.as_deref(), Some("#ok"));
        assert_eq!(consent.reject.as_deref(), Some(".no"));
        // Written back, and absent from files that do not name it.
        let written = crate::store::format::to_text(&site).expect("writes");
        assert!(written.contains("consent: ("), "{written}");
        let plain: Site = crate::store::format::parse(crate::store::bundled::FILES[2].1).unwrap();
        assert!(plain.consent.is_none());
    }

    #[test]
    fn removing_a_cookie_keeps_the_heading_and_the_row_it_started() {
        let mut site: Site =
            crate::store::format::parse(crate::store::bundled::FILES[2].1).expect("bundled site");
        let decl = |name: &str, shares: Option<&str>, group: &str| {
            CookieEntry::Own(CookieDecl {
                name: name.into(),
                shares_row: shares.map(str::to_string),
                group: [("en".to_string(), group.to_string())]
                    .into_iter()
                    .filter(|(_, g)| !g.is_empty())
                    .collect(),
                ..Default::default()
            })
        };
        site.cookies = vec![
            decl("_ga", None, "Statistics"),
            decl("_gid", Some(", "), ""),
            decl("NID", None, ""),
        ];
        site.remove_cookie(0);
        // _gid now starts the row, under the heading _ga had.
        assert_eq!(site.cookies[0], decl("_gid", None, "Statistics"));
        site.remove_cookie(0);
        assert_eq!(site.cookies, [decl("NID", None, "Statistics")]);
        assert!(site.remove_cookie(3).is_none());

        // Moving rows leaves the headings in place.
        site.cookies = vec![decl("_ga", None, "Statistics"), decl("_gid", None, "")];
        site.swap_cookies(0, 1);
        assert_eq!(
            site.cookies,
            [decl("_gid", None, "Statistics"), decl("_ga", None, "")]
        );

        // A heading is not handed to a cookie of another category (another category's table).
        let mut marketing = decl("NID", None, "");
        if let CookieEntry::Own(d) = &mut marketing {
            d.category = crate::model::Category::Marketing;
        }
        site.cookies = vec![decl("_ga", None, "Statistics"), marketing.clone()];
        site.remove_cookie(0);
        assert_eq!(site.cookies, [marketing]);
    }

    #[test]
    fn body_text_round_trips() {
        let mut section = Section {
            level: 2,
            heading: "H".into(),
            body: vec![
                Block::Paragraph("One <https://a.example>.".into()),
                Block::List(vec!["a".into(), "b".into()]),
                Block::CookieTable,
                Block::CategoryTable(crate::model::Category::Statistics),
                Block::NumberedTable(2),
            ],
        };
        let text = section.body_text();
        assert_eq!(
            text,
            "One <https://a.example>.\n\n- a\n- b\n\n[cookie table]\n\n[cookie table: statistics]\n\n[cookie table 2]"
        );
        let before = section.body.clone();
        section.set_body_text(&text);
        assert_eq!(section.body, before);
    }
}
