//! The blocks of a page made into a site: sections, the cookie table's rows as declarations
//! (platform rows where the platform declares the cookie), and a second language merged in.

use std::collections::BTreeMap;

use crate::check::language;
use crate::model::text::text_in;
use crate::model::{
    Block, Category, Column, CookieDecl, CookieEntry, Lang, Platform, PlatformCookieUse, Section,
    Site, TableColumn, Texts,
};

use super::page::{PageBlock, PageText};
use super::report::Report;
use super::table::{self, ReadRow};

/// One language of a policy, read from one page.
#[derive(Clone, Debug)]
pub struct ReadPolicy {
    pub lang: Lang,
    pub sections: Vec<Section>,
    pub layout: crate::model::Layout,
    /// The first table's columns as the page shows them, when they are not `layout`'s as its
    /// template words them; then those of each numbered table with columns of its own.
    pub columns: Vec<TableColumn>,
    /// The rows in the page's order, one a cookie name.
    pub rows: Vec<ReadCookie>,
    /// How the page's cookie tables are kept.
    pub tables: Tables,
}

/// How a page's cookie tables are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tables {
    /// One table (or none).
    One,
    /// One per category, each in its place as a [`Block::CategoryTable`]: every row's category
    /// is its table's.
    ByCategory,
    /// Each in its place as a [`Block::NumberedTable`], its rows numbered so.
    Numbered,
}

/// One cookie a table row names.
#[derive(Clone, Debug)]
pub struct ReadCookie {
    pub name: String,
    pub row: ReadRow,
    /// The category its row or its table's heading names.
    pub category: Option<Category>,
    /// What stands before its name in a row naming several cookies; none for the row's first.
    pub shares_row: Option<String>,
    /// The page's table it is in, numbered from 1.
    pub table: u8,
    /// The row across the table just above its row (a group's heading); only on a row's first.
    pub group: Option<String>,
}

/// Where a cookie table of the page stands, and whether it can be its category's table.
struct TablePlace {
    section: usize,
    block: usize,
    heading: String,
    category: Option<Category>,
    /// The same columns as the first table.
    same_columns: bool,
    /// Its columns as the page shows them.
    columns: Vec<TableColumn>,
    /// Every row's category is the heading's.
    rows_agree: bool,
}

/// Reads the blocks of `page` as the policy in `lang` (or the page's language, or the one its
/// text reads as).
pub fn read_policy(page: &PageText, lang: Option<&str>, report: &mut Report) -> ReadPolicy {
    let lang = match (lang, &page.lang) {
        (Some(l), _) => l.to_string(),
        (None, Some(l)) if crate::model::text::is_language_code(l) => l.clone(),
        _ => {
            let all: String = page
                .blocks
                .iter()
                .filter_map(|b| match b {
                    PageBlock::Paragraph(p) => Some(p.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" ");
            match language::detect(&all) {
                Some(l) => {
                    report.note(format!(
                        "the page names no language; its text reads as {l:?}"
                    ));
                    l.to_string()
                }
                None => {
                    report.note(
                        "the page names no language and its text reads as neither English nor \
                         French: taken as \"en\" (use --lang)",
                    );
                    "en".to_string()
                }
            }
        }
    };
    let mut sections: Vec<Section> = Vec::new();
    let mut rows = Vec::new();
    let mut layout = None;
    let mut columns = Vec::new();
    let mut category_heading: Option<Category> = None;
    let mut places: Vec<TablePlace> = Vec::new();
    for block in &page.blocks {
        if let PageBlock::Heading { level, text } = block {
            category_heading = table::category_in(text);
            sections.push(Section {
                level: *level,
                heading: text.clone(),
                body: Vec::new(),
            });
            continue;
        }
        if sections.is_empty() {
            report.unplaced("text before the first heading (kept in a section without heading)");
            sections.push(Section {
                level: 2,
                ..Default::default()
            });
        }
        let section_index = sections.len().saturating_sub(1);
        let Some(section) = sections.last_mut() else {
            continue;
        };
        match block {
            PageBlock::Heading { .. } => {}
            PageBlock::Paragraph(p) => section.body.push(Block::Paragraph(p.clone())),
            PageBlock::List(items) => section.body.push(Block::List(items.clone())),
            PageBlock::Table {
                caption,
                rows: table_rows,
            } => {
                // A browser shows the caption above its table: it stays there, as a paragraph.
                if let Some(caption) = caption {
                    report.note(format!(
                        "the caption of a table under {:?}, {caption:?}, is kept as a paragraph \
                         above it",
                        section.heading
                    ));
                    section.body.push(Block::Paragraph(caption.clone()));
                }
                let headers = table_rows
                    .first()
                    .map(|r| r.cells.clone())
                    .unwrap_or_default();
                let Some(fields) = table::header_of(table_rows) else {
                    // Not a cookie table: its rows stay as text, one paragraph a row.
                    report.unplaced(format!(
                        "a table under {:?} names no cookie column; kept as paragraphs",
                        section.heading
                    ));
                    for row in table_rows {
                        let line = row
                            .cells
                            .iter()
                            .map(|c| super::page::collapse(c))
                            .collect::<Vec<_>>()
                            .join(" | ");
                        if !line.is_empty() {
                            section.body.push(Block::Paragraph(line));
                        }
                    }
                    continue;
                };
                let (this_layout, _) = table::layout_of(&fields);
                // The first table's columns are the site's; later ones only say whether they agree.
                let this_columns = page_columns(&fields, &headers, this_layout, &lang);
                if layout.is_none() {
                    note_columns(&fields, &headers, &this_columns, &lang, report);
                    columns = this_columns.clone();
                }
                let first_layout = *layout.get_or_insert(this_layout);
                places.push(TablePlace {
                    section: section_index,
                    block: section.body.len(),
                    heading: section.heading.clone(),
                    category: category_heading,
                    same_columns: first_layout == this_layout && columns == this_columns,
                    rows_agree: true,
                    columns: if this_columns.is_empty() {
                        template_columns(this_layout, &lang)
                    } else {
                        this_columns
                    },
                });
                section.body.push(Block::CookieTable);
                let mut group: Option<Category> = None;
                // A row across the table heads the next row naming a cookie.
                let mut heading: Option<String> = None;
                let mut spanned = false;
                for row in table::read_rows(table_rows, &fields) {
                    for (column, text) in &row.beyond {
                        report.unplaced(format!("{column} has no header: {text:?}"));
                    }
                    if let Some(text) = &row.across {
                        group = table::category_in(text);
                        report.note(format!(
                            "a row across the table, {text:?}, heads the rows below it{}",
                            match group {
                                Some(c) => format!(" and gives them its category ({c})"),
                                None => String::new(),
                            }
                        ));
                        // Rows across the table one after another head the next row together.
                        match &mut heading {
                            Some(before) => {
                                before.push('\n');
                                before.push_str(text);
                            }
                            None => heading = Some(text.clone()),
                        }
                        continue;
                    }
                    if row.from_above && !spanned {
                        spanned = true;
                        report.unplaced(
                            "a cell spans several rows: each of its rows takes its text, and \
                             shows it",
                        );
                    }
                    if row.names.is_empty() {
                        report.unplaced(format!(
                            "a table row names no cookie: {:?}",
                            row.purpose
                                .clone()
                                .or(row.provider.clone())
                                .unwrap_or_default()
                        ));
                        section.body.push(Block::Paragraph(
                            [&row.provider, &row.location, &row.purpose, &row.duration]
                                .into_iter()
                                .flatten()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(" | "),
                        ));
                        continue;
                    }
                    if row.names.len() > 1 {
                        report.note(format!(
                            "a row names {} cookies ({}): one declaration each, same texts, shown in one row",
                            row.names.len(),
                            row.names.join(", ")
                        ));
                    }
                    let category = row
                        .category
                        .as_deref()
                        .and_then(table::category_in)
                        .or(group)
                        .or(category_heading);
                    if category != category_heading
                        && let Some(place) = places.last_mut()
                    {
                        place.rows_agree = false;
                    }
                    for (i, name) in row.names.iter().enumerate() {
                        rows.push(ReadCookie {
                            name: name.clone(),
                            row: row.clone(),
                            category,
                            shares_row: i
                                .checked_sub(1)
                                .map(|i| row.separators.get(i).cloned().unwrap_or_default()),
                            table: u8::try_from(places.len()).unwrap_or(u8::MAX),
                            group: if i == 0 { heading.take() } else { None },
                        });
                    }
                }
                if let Some(text) = heading {
                    report.unplaced(format!(
                        "the table ends with a row across it, {text:?}, that heads no row: kept \
                         as a paragraph after the table"
                    ));
                    section.body.push(Block::Paragraph(text));
                }
            }
        }
    }
    if places.is_empty() {
        report.note("the page has no cookie table");
    }
    let tables = tables_by_category(&mut sections, &places, &mut columns, report);
    ReadPolicy {
        lang,
        sections,
        layout: layout.unwrap_or_default(),
        columns,
        rows,
        tables,
    }
}

/// The columns a table shows, in its order and with its headers in `lang`; none when they are
/// `layout`'s as its template words them.
fn page_columns(
    fields: &[table::Field],
    headers: &[String],
    layout: crate::model::Layout,
    lang: &str,
) -> Vec<TableColumn> {
    let others = table::other_columns(fields);
    let columns: Vec<TableColumn> = fields
        .iter()
        .zip(&others)
        .zip(headers)
        .filter_map(|((field, other), header)| {
            let column = match (field, other) {
                (table::Field::Shown(column), _) => *column,
                (_, Some(n)) => Column::Other(*n),
                (_, None) => return None,
            };
            Some(TableColumn {
                column,
                header: [(lang.to_string(), header.clone())].into(),
                table: None,
            })
        })
        .collect();
    let as_template = columns.len() == layout.columns().len()
        && columns
            .iter()
            .zip(layout.columns())
            .all(|(c, &t)| c.column == t && text_in(&c.header, lang) == layout.header(t, lang));
    if as_template { Vec::new() } else { columns }
}

/// `layout`'s columns with its template's headers in `lang`, written out.
fn template_columns(layout: crate::model::Layout, lang: &str) -> Vec<TableColumn> {
    layout
        .columns()
        .iter()
        .map(|&column| TableColumn {
            column,
            header: [(lang.to_string(), layout.header(column, lang).to_string())].into(),
            table: None,
        })
        .collect()
}

/// Says how the site's table columns (the first table's) were read.
fn note_columns(
    fields: &[table::Field],
    headers: &[String],
    columns: &[TableColumn],
    lang: &str,
    report: &mut Report,
) {
    let others = table::other_columns(fields);
    for ((field, other), header) in fields.iter().zip(&others).zip(headers) {
        if other.is_none() {
            continue;
        }
        report.note(if *field == table::Field::Category {
            format!("the column {header:?} is read into each cookie's category and shown as worded")
        } else {
            format!(
                "the column {header:?} has no field PolicyDesk reads: its cells are kept as \
                 published"
            )
        });
    }
    if !columns.is_empty() {
        report.note(format!(
            "the table's columns are the page's own ({}), kept as the site's columns",
            columns
                .iter()
                .map(|c| text_in(&c.header, lang))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
}

/// Several tables, each under a heading naming a category of its own, with the same columns
/// and only that category's rows: each stays in its place as its category's table. Otherwise
/// each is numbered in its place, its rows with it.
fn tables_by_category(
    sections: &mut [Section],
    places: &[TablePlace],
    columns: &mut Vec<TableColumn>,
    report: &mut Report,
) -> Tables {
    let mut categories: Vec<Category> = places.iter().filter_map(|p| p.category).collect();
    categories.sort();
    categories.dedup();
    let apart = places.len() > 1
        && categories.len() == places.len()
        && places.iter().all(|p| p.same_columns && p.rows_agree);
    if apart {
        for p in places {
            if let (Some(category), Some(section)) = (p.category, sections.get_mut(p.section))
                && let Some(block) = section.body.get_mut(p.block)
            {
                *block = Block::CategoryTable(category);
            }
        }
        report.note(format!(
            "{} cookie tables, one per category: each stays in its place with its category's \
             cookies",
            places.len()
        ));
        return Tables::ByCategory;
    }
    // Each other table stays in its place with its own rows, numbered in page order.
    if places.len() > 1 && places.len() <= usize::from(u8::MAX) {
        for (n, p) in places.iter().enumerate() {
            let number = u8::try_from(n + 1).unwrap_or(u8::MAX);
            if let Some(section) = sections.get_mut(p.section)
                && let Some(block) = section.body.get_mut(p.block)
            {
                *block = Block::NumberedTable(number);
            }
            if !p.same_columns {
                report.note(format!(
                    "the cookie table under {:?} has columns of its own ({}): kept as table \
                     {number}'s",
                    p.heading,
                    p.columns
                        .iter()
                        .flat_map(|c| c.header.values())
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
                columns.extend(p.columns.iter().map(|c| TableColumn {
                    table: Some(number),
                    ..c.clone()
                }));
            }
        }
        report.note(format!(
            "{} cookie tables: each stays in its place with its own rows",
            places.len()
        ));
        return Tables::Numbered;
    }
    Tables::One
}

/// The cookie entries of `policy`: a platform row (overriding only what the page words
/// differently) where `platform` declares the cookie, else the site's own declaration.
pub fn entries(policy: &ReadPolicy, platform: Option<&Platform>) -> Vec<CookieEntry> {
    policy
        .rows
        .iter()
        .map(|read| {
            let row = &read.row;
            let mut own = table::own_decl(
                &read.name,
                row,
                read.category.unwrap_or_default(),
                &policy.lang,
            );
            own.shares_row = read.shares_row.clone();
            own.table = (policy.tables == Tables::Numbered).then_some(read.table);
            own.group = read
                .group
                .iter()
                .map(|g| (policy.lang.clone(), g.clone()))
                .collect();
            match platform.and_then(|p| p.cookie(&own.name)) {
                Some(base) if base.matching == own.matching => {
                    let mut using = PlatformCookieUse {
                        name: own.name.clone(),
                        shares_row: own.shares_row.clone(),
                        table: own.table,
                        group: own.group.clone(),
                        ..Default::default()
                    };
                    override_in(&mut using, base, &own, row, &policy.lang);
                    // In its category's table, the row publishes that category.
                    if policy.tables == Tables::ByCategory && own.category != base.category {
                        using.category = Some(own.category);
                    }
                    CookieEntry::Platform(using)
                }
                _ => CookieEntry::Own(own),
            }
        })
        .collect()
}

/// Sets on `using` what `own` (read in `lang`) words differently from `base`; a column the page
/// does not show changes nothing.
fn override_in(
    using: &mut PlatformCookieUse,
    base: &CookieDecl,
    own: &CookieDecl,
    row: &ReadRow,
    lang: &str,
) {
    if row.provider.is_some() && own.provider != base.provider {
        using.provider = Some(own.provider.clone());
    }
    if row.category.is_some() && own.category != base.category {
        using.category = Some(own.category);
    }
    let differs = |read: &Option<String>, base_texts| {
        read.as_ref()
            .filter(|t| t.as_str() != text_in(base_texts, lang))
            .cloned()
    };
    if let Some(t) = differs(&row.location, &base.location) {
        using.location.insert(lang.to_string(), t);
    }
    if let Some(t) = differs(&row.purpose, &base.purpose) {
        using.purpose.insert(lang.to_string(), t);
    }
    using.other_cells = own.other_cells.clone();
    if let Some(t) = differs(&row.duration, &base.duration.text) {
        using.duration_text.insert(lang.to_string(), t);
        if own.duration.value != crate::model::DurationValue::Unknown
            && !own.duration.value.agrees_with(base.duration.value)
        {
            using.duration_value = Some(own.duration.value);
        }
    }
}

/// Adds the texts of `other` (the same policy in another language) to `site`: its sections,
/// and its rows' texts matched to the site's cookies by name. A row naming a cookie the site
/// lacks is added and reported.
pub fn merge_language(
    site: &mut Site,
    other: &ReadPolicy,
    platform: Option<&Platform>,
    report: &mut Report,
) {
    let lang = other.lang.clone();
    if !site.languages.contains(&lang) {
        site.languages.push(lang.clone());
    }
    site.sections.insert(lang.clone(), other.sections.clone());
    let order = |columns: &[TableColumn]| {
        columns
            .iter()
            .map(|c| (c.table, c.column))
            .collect::<Vec<_>>()
    };
    if other.layout != site.layout || order(&other.columns) != order(&site.columns) {
        report.unplaced(format!(
            "the {lang} page's table has other columns than the first page's; it renders with \
             the first page's"
        ));
    } else {
        for (mine, theirs) in site.columns.iter_mut().zip(&other.columns) {
            mine.header.extend(theirs.header.clone());
        }
    }
    for entry in entries(other, platform) {
        let name = entry.name().to_string();
        let Some(existing) = site.cookies.iter_mut().find(|e| e.name() == name) else {
            report.unplaced(format!(
                "the {lang} page declares {name}, which the first page does not: added"
            ));
            site.cookies.push(entry);
            continue;
        };
        match (existing, entry) {
            (CookieEntry::Own(mine), CookieEntry::Own(theirs)) => {
                mine.location.extend(theirs.location);
                mine.purpose.extend(theirs.purpose);
                mine.duration.text.extend(theirs.duration.text);
                mine.group.extend(theirs.group);
                merge_cells(&mut mine.other_cells, theirs.other_cells);
                if mine.duration.value == crate::model::DurationValue::Unknown {
                    mine.duration.value = theirs.duration.value;
                }
                if mine.provider != theirs.provider && !theirs.provider.is_empty() {
                    report.unplaced(format!(
                        "{name}: the {lang} page names the provider {:?}, the first {:?}; kept the first",
                        theirs.provider, mine.provider
                    ));
                }
            }
            (CookieEntry::Platform(mine), CookieEntry::Platform(theirs)) => {
                mine.location.extend(theirs.location);
                mine.purpose.extend(theirs.purpose);
                mine.duration_text.extend(theirs.duration_text);
                mine.group.extend(theirs.group);
                merge_cells(&mut mine.other_cells, theirs.other_cells);
                mine.duration_value = mine.duration_value.or(theirs.duration_value);
            }
            (mine, theirs) => {
                report.unplaced(format!(
                    "{name}: a platform row in one language and the site's own in the other; \
                     kept the first ({:?}), the {lang} texts were: {:?}",
                    matches!(mine, CookieEntry::Platform(_)),
                    theirs
                ));
            }
        }
    }
}

/// Another language's texts of the kept columns, added cell by cell.
fn merge_cells(mine: &mut BTreeMap<u8, Texts>, theirs: BTreeMap<u8, Texts>) {
    for (n, texts) in theirs {
        mine.entry(n).or_default().extend(texts);
    }
}
