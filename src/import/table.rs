//! A published cookie table read into declarations: its header mapped to the declaration's
//! fields, its rows in the site's order, a row naming several cookies split into several.

use crate::model::duration::parse_duration_text;
use crate::model::{Category, Column, CookieDecl, Duration, DurationValue, Layout, MatchKind};

use super::page::TableRow;

/// What a column of a published table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Shown(Column),
    Category,
    /// A column PolicyDesk has no field for; its cells are listed in the report.
    Other,
}

/// Maps a header cell to a field; the order of the tests matters ("Function and location"
/// before "Function").
pub fn classify(header: &str) -> Field {
    let h = header.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["cookie", "traceur", "tracker"]) && has(&["name", "nom"])
        || ["name", "nom", "nome", "nombre", "naam"].contains(&h.trim())
        || h.trim() == "cookie"
        || h.trim() == "cookies"
    {
        Field::Shown(Column::Name)
    } else if has(&[
        "provider",
        "supplier",
        "fournisseur",
        "vendor",
        "éditeur",
        "editeur",
        "émetteur",
        "third party",
        "tiers",
        "set by",
        "déposé par",
        "depose par",
        "company",
        "owner",
        "fornitore",
        "proveedor",
        "anbieter",
        "aanbieder",
    ]) {
        Field::Shown(Column::Provider)
    } else if has(&["location", "emplacement"]) {
        Field::Shown(Column::Location)
    } else if has(&[
        "duration",
        "durée",
        "duree",
        "expir",
        "lifetime",
        "lifespan",
        "conservation",
        "retention",
        "scadenza",
        "durata",
        "duración",
        "caducidad",
        "speicherdauer",
        "laufzeit",
        "bewaartermijn",
        "looptijd",
    ]) {
        Field::Shown(Column::Duration)
    } else if has(&[
        "purpose",
        "finalit",
        "function",
        "fonction",
        "description",
        "objectif",
        "usage",
        "utilisation",
        "used for",
        "finalidad",
        "scopo",
        "descrizione",
        "descripción",
        "zweck",
        "beschreibung",
        "doel",
    ]) {
        Field::Shown(Column::Purpose)
    } else if has(&["categor", "catégor", "kategor", "type", "tipo", "typ"]) {
        Field::Category
    } else {
        Field::Other
    }
}

/// Whether `row` is a header row: `<th>` cells, a `<thead>`, or a first row of `<td>` that
/// names a cookie-name column.
pub fn header_of(rows: &[TableRow]) -> Option<Vec<Field>> {
    let first = rows.first()?;
    let fields: Vec<Field> = first.cells.iter().map(|c| classify(c)).collect();
    let names_cookies = fields.contains(&Field::Shown(Column::Name));
    (names_cookies
        && (first.all_th
            || first.in_thead
            || fields.iter().filter(|f| **f != Field::Other).count() >= 2))
        .then_some(fields)
}

/// The layout whose columns the page's table shows, and whether they match exactly.
pub fn layout_of(fields: &[Field]) -> (Layout, bool) {
    let shown: Vec<Column> = fields
        .iter()
        .filter_map(|f| match f {
            Field::Shown(c) => Some(*c),
            _ => None,
        })
        .collect();
    for &layout in Layout::ALL {
        if layout.columns() == shown.as_slice() {
            return (layout, fields.iter().all(|f| matches!(f, Field::Shown(_))));
        }
    }
    let layout = if shown.contains(&Column::Duration) {
        Layout::WithDurations
    } else {
        Layout::Classic
    };
    (layout, false)
}

/// One row read: the cookies it names and the texts of its cells.
#[derive(Clone, Debug, Default)]
pub struct ReadRow {
    pub names: Vec<String>,
    /// What the cell shows before each name after the first (`", "`), whitespace collapsed.
    pub separators: Vec<String>,
    pub provider: Option<String>,
    pub location: Option<String>,
    pub purpose: Option<String>,
    pub duration: Option<String>,
    pub category: Option<String>,
    /// Cells of the columns kept as published (see [`other_columns`]): (number, text).
    pub other_cells: Vec<(u8, String)>,
    /// Cells beyond the header's columns: (column, text).
    pub beyond: Vec<(String, String)>,
    /// The text of a row across the whole table (a group's heading), which names no cookie.
    pub across: Option<String>,
    /// A cell of a row above spans down into this one.
    pub from_above: bool,
}

/// For each column, the number it has among the columns without a field (a category column
/// included: its cell is read into the category and kept as worded).
pub fn other_columns(fields: &[Field]) -> Vec<Option<u8>> {
    let mut next = 0usize;
    fields
        .iter()
        .map(|f| {
            matches!(f, Field::Other | Field::Category).then(|| {
                next += 1;
                u8::try_from(next - 1).ok()
            })?
        })
        .collect()
}

/// The rows under the header, each with its cells placed by `fields`.
pub fn read_rows(rows: &[TableRow], fields: &[Field]) -> Vec<ReadRow> {
    let others = other_columns(fields);
    rows.iter()
        .skip(1)
        .filter(|r| !r.cells.iter().all(|c| c.is_empty()))
        .map(|row| {
            let mut read = ReadRow {
                from_above: row.from_above,
                ..Default::default()
            };
            if row.across {
                read.across = row.cells.first().map(|c| super::page::collapse(c));
                return read;
            }
            for (i, cell) in row.cells.iter().enumerate() {
                let flat = super::page::collapse(cell);
                let keep = (!flat.is_empty()).then(|| flat.clone());
                if let Some(&Some(n)) = others.get(i) {
                    read.other_cells.push((n, flat.clone()));
                } else if i >= fields.len() && !flat.is_empty() {
                    read.beyond
                        .push((format!("column {}", i + 1), flat.clone()));
                }
                match fields.get(i).copied().unwrap_or(Field::Other) {
                    Field::Shown(Column::Name) => {
                        read.names = split_names(cell);
                        read.separators = separators(cell, &read.names);
                    }
                    Field::Shown(Column::Provider) => read.provider = keep,
                    Field::Shown(Column::Location) => read.location = keep,
                    Field::Shown(Column::Purpose) => read.purpose = keep,
                    Field::Shown(Column::Duration) => read.duration = keep,
                    Field::Category => read.category = keep,
                    Field::Shown(Column::Other(_)) | Field::Other => {}
                }
            }
            read
        })
        .collect()
}

/// Words that join names in a cell ("_ga and _gid", "_ga / _gid") in the languages the
/// generic banner rule knows; never cookie names themselves.
const JOINING_WORDS: &[&str] = &[
    "and", "or", "et", "ou", "und", "oder", "y", "o", "e", "ed", "en", "of",
];

/// Cookie names in a name cell: apart by line breaks, commas, semicolons or spaces; joining
/// words and lone punctuation between them are not names.
fn split_names(cell: &str) -> Vec<String> {
    cell.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|n| n.trim_matches(|c: char| c == '"' || c == '\'' || c == '`'))
        .filter(|n| n.chars().any(|c| c.is_alphanumeric() || c == '_'))
        .filter(|n| !JOINING_WORDS.contains(&n.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

/// The text between each two of `names` in `cell`, with whitespace runs made one space.
fn separators(cell: &str, names: &[String]) -> Vec<String> {
    let mut rest = cell;
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let Some(at) = rest.find(name.as_str()) else {
            break;
        };
        if i > 0 {
            out.push(collapse_keeping_ends(&rest[..at]));
        }
        rest = &rest[at + name.len()..];
    }
    out
}

/// Whitespace runs as one space, the ends kept (a separator's `", "` keeps its space).
fn collapse_keeping_ends(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// The category a heading or a category cell names, when it names one.
pub fn category_in(text: &str) -> Option<Category> {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    // "Non-necessary cookies" names no one category, least of all the necessary one.
    if has(&[
        "non-necess",
        "non necess",
        "not necess",
        "unnecess",
        "non nécess",
        "non-nécess",
        "no necesari",
        "nicht notwendig",
        "nicht erforderlich",
        "niet noodzakelijk",
    ]) {
        return None;
    }
    if has(&[
        "necessary",
        "nécessaire",
        "necessaire",
        "essential",
        "essentiel",
        "strictement",
        "strictly",
        "necessar",
        "tecnic",
        "técnic",
        "notwendig",
        "erforderlich",
        "essenziell",
        "noodzakelijk",
    ]) {
        Some(Category::Necessary)
    } else if has(&[
        "statistic",
        "statistik",
        "analytic",
        "analitic",
        "analític",
        "anális",
        "audience",
        "mesure",
        "performance",
        "leistung",
    ]) {
        Some(Category::Statistics)
    } else if has(&[
        "marketing",
        "advertis",
        "publicit",
        "targeting",
        "ciblage",
        "social",
        "pubblicit",
        "publicidad",
        "profilazione",
        "werbung",
    ]) {
        Some(Category::Marketing)
    } else if has(&[
        "preference",
        "préférence",
        "functional",
        "fonctionnel",
        "personnalisation",
        "funzional",
        "funktional",
        "personalizz",
        "präferenz",
    ]) {
        Some(Category::Preferences)
    } else if has(&["security", "sécurité", "securite"]) {
        Some(Category::Security)
    } else {
        None
    }
}

/// A name as a declaration holds it: `_ga_*` is the prefix `_ga_`.
pub fn name_and_matching(name: &str) -> (String, MatchKind) {
    match name.strip_suffix('*') {
        Some(prefix) if !prefix.is_empty() && !prefix.contains('*') => {
            (prefix.to_string(), MatchKind::Prefix)
        }
        _ => (name.to_string(), MatchKind::Exact),
    }
}

/// A declaration of the site's own, in `lang`, from a row.
pub fn own_decl(name: &str, row: &ReadRow, category: Category, lang: &str) -> CookieDecl {
    let (name, matching) = name_and_matching(name);
    let text = |t: &Option<String>| t.iter().map(|t| (lang.to_string(), t.clone())).collect();
    CookieDecl {
        name,
        matching,
        provider: row.provider.clone().unwrap_or_default(),
        category,
        location: text(&row.location),
        purpose: text(&row.purpose),
        other_cells: row
            .other_cells
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(n, t)| (*n, text(&Some(t.clone()))))
            .collect(),
        duration: Duration {
            text: text(&row.duration),
            value: row
                .duration
                .as_deref()
                .and_then(parse_duration_text)
                .unwrap_or(DurationValue::Unknown),
        },
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_the_templates_headers() {
        let classic = [
            "Service provider's name",
            "Function and location",
            "Cookie name(s)",
            "Purposes",
        ];
        let fields: Vec<Field> = classic.iter().map(|h| classify(h)).collect();
        assert_eq!(layout_of(&fields), (Layout::Classic, true));
        let fr = ["Nom du fournisseur", "Nom du cookie", "Durée", "Fonction"];
        let fields: Vec<Field> = fr.iter().map(|h| classify(h)).collect();
        assert_eq!(layout_of(&fields), (Layout::WithDurations, true));
        assert_eq!(classify("Catégorie"), Field::Category);
    }

    #[test]
    fn splits_a_cell_naming_two_cookies() {
        assert_eq!(split_names("_ga,\n_gid"), ["_ga", "_gid"]);
        let names = split_names("\"_ga\" ;\n\n_gid\n_gat");
        assert_eq!(
            separators("\"_ga\" ;\n\n_gid\n_gat", &names),
            ["\" ; ", " "]
        );
        assert_eq!(
            name_and_matching("_ga_*"),
            ("_ga_".to_string(), MatchKind::Prefix)
        );
    }

    #[test]
    fn category_words_in_headings_and_tool_groups() {
        assert_eq!(category_in("Cookie tecnici"), Some(Category::Necessary));
        assert_eq!(
            category_in("Strictly Necessary Cookies"),
            Some(Category::Necessary)
        );
        assert_eq!(category_in("Leistungs-Cookies"), Some(Category::Statistics));
        assert_eq!(
            category_in("Funktionale Cookies"),
            Some(Category::Preferences)
        );
        // Saying what they are not names no category.
        assert_eq!(category_in("Cookie non necessari"), None);
        assert_eq!(category_in("Non-necessary cookies"), None);
    }
}
