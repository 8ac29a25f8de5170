//! Cookie declarations: what a policy says about one cookie (or other storage item).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::duration::Duration;
use super::text::Texts;

/// How a declaration's name matches the names a browser sees.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchKind {
    #[default]
    Exact,
    /// The name is a prefix; `_ga_` matches `_ga_XYZ` (shown as `_ga_*`).
    Prefix,
    /// The name is a regular expression matched against the whole cookie name.
    Regex,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StorageType {
    #[default]
    HttpCookie,
    ScriptCookie,
    LocalStorage,
    SessionStorage,
    Pixel,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Category {
    Necessary,
    Preferences,
    Statistics,
    Marketing,
    Security,
    #[default]
    Unclassified,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Party {
    #[default]
    First,
    Third,
}

/// Whether a cookie needs the visitor's consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Consent {
    Required,
    /// Exempt (strictly necessary, or audience measurement within the CNIL's conditions).
    Exempt,
}

macro_rules! labelled_enum {
    ($ty:ty { $($variant:ident => $label:literal),* $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),*];
            /// The word a person reads in the app, the CSV and the reports.
            pub fn label(self) -> &'static str {
                match self { $(<$ty>::$variant => $label),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

labelled_enum!(MatchKind { Exact => "exact", Prefix => "prefix", Regex => "regex" });
labelled_enum!(StorageType {
    HttpCookie => "HTTP cookie",
    ScriptCookie => "script cookie",
    LocalStorage => "localStorage",
    SessionStorage => "sessionStorage",
    Pixel => "pixel",
});
labelled_enum!(Category {
    Necessary => "necessary",
    Preferences => "preferences",
    Statistics => "statistics",
    Marketing => "marketing",
    Security => "security",
    Unclassified => "unclassified",
});
labelled_enum!(Party { First => "first party", Third => "third party" });
labelled_enum!(Consent { Required => "consent required", Exempt => "exempt from consent" });

impl Category {
    /// Strictly necessary and security cookies need no consent unless a declaration says otherwise.
    pub fn exempt_by_default(self) -> bool {
        matches!(self, Category::Necessary | Category::Security)
    }
}

/// A complete declaration of one cookie or storage item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CookieDecl {
    pub name: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub matching: MatchKind,
    #[serde(default, skip_serializing_if = "is_default")]
    pub storage: StorageType,
    pub provider: String,
    pub category: Category,
    #[serde(default, skip_serializing_if = "is_default")]
    pub party: Party,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// What the cookie is for and where it is used ("Authentication (front and back office)").
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub location: Texts,
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub purpose: Texts,
    #[serde(default)]
    pub duration: Duration,
    /// Published in the same table row as the cookie before it, after this text (`", "`): a
    /// row naming several cookies. Shown so only while the row's other cells read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares_row: Option<String>,
    /// The cells of the site's columns without a field (`Column::Other(n)`), per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_cells: BTreeMap<u8, Texts>,
    /// The page's table it is published in, for a page of several tables
    /// (`Block::NumberedTable(n)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u8>,
    /// A row across the whole table just above this cookie's row, per language: the heading of
    /// the group of rows it starts ("Strictly necessary cookies"), shown as the page words it.
    /// Several rows across, one after another, are its lines.
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub group: Texts,
}

impl CookieDecl {
    /// Whether the cookie may be set without consent.
    pub fn is_consent_exempt(&self) -> bool {
        match self.consent {
            Some(c) => c == Consent::Exempt,
            None => self.category.exempt_by_default(),
        }
    }

    /// The name as a visitor reads it: `_ga_*` for a prefix.
    pub fn display_name(&self) -> String {
        match self.matching {
            MatchKind::Prefix => format!("{}*", self.name),
            _ => self.name.clone(),
        }
    }
}

/// A platform cookie that a site publishes, with the fields it words differently.
/// A field left out is taken from the platform; a text given for one language replaces only that
/// language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformCookieUse {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub location: Texts,
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub purpose: Texts,
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub duration_text: Texts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_value: Option<super::DurationValue>,
    /// As [`CookieDecl::shares_row`]: this site publishes it in the row above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares_row: Option<String>,
    /// As [`CookieDecl::other_cells`]; a language given replaces only that language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_cells: BTreeMap<u8, Texts>,
    /// As [`CookieDecl::table`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u8>,
    /// As [`CookieDecl::group`]: a heading of this site's page, never the platform's.
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub group: Texts,
}

impl PlatformCookieUse {
    /// The platform declaration with this site's overrides applied.
    pub fn resolve(&self, base: &CookieDecl) -> CookieDecl {
        let merge = |base: &Texts, over: &Texts| {
            let mut texts = base.clone();
            texts.extend(over.iter().map(|(k, v)| (k.clone(), v.clone())));
            texts
        };
        CookieDecl {
            name: base.name.clone(),
            matching: base.matching,
            storage: base.storage,
            provider: self
                .provider
                .clone()
                .unwrap_or_else(|| base.provider.clone()),
            category: self.category.unwrap_or(base.category),
            party: self.party.unwrap_or(base.party),
            consent: self.consent.or(base.consent),
            domain: base.domain.clone(),
            location: merge(&base.location, &self.location),
            purpose: merge(&base.purpose, &self.purpose),
            duration: Duration {
                text: merge(&base.duration.text, &self.duration_text),
                value: self.duration_value.unwrap_or(base.duration.value),
            },
            // Which row a cookie shares is the site's page, never the platform's.
            shares_row: self.shares_row.clone(),
            table: self.table,
            group: self.group.clone(),
            other_cells: {
                let mut cells = base.other_cells.clone();
                for (n, texts) in &self.other_cells {
                    let merged = merge(cells.get(n).unwrap_or(&Texts::new()), texts);
                    cells.insert(*n, merged);
                }
                cells
            },
        }
    }

    /// Whether this use changes nothing of the platform declaration.
    pub fn is_plain(&self) -> bool {
        *self
            == PlatformCookieUse {
                name: self.name.clone(),
                ..Default::default()
            }
    }
}

/// One row of a site's cookie table, in the order the site publishes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CookieEntry {
    /// A cookie declared by the site's platform.
    Platform(PlatformCookieUse),
    /// A cookie this site declares itself.
    Own(CookieDecl),
}

impl CookieEntry {
    pub fn name(&self) -> &str {
        match self {
            CookieEntry::Platform(u) => &u.name,
            CookieEntry::Own(d) => &d.name,
        }
    }

    /// The page's table it is published in ([`CookieDecl::table`]).
    pub fn table(&self) -> Option<u8> {
        match self {
            CookieEntry::Platform(u) => u.table,
            CookieEntry::Own(d) => d.table,
        }
    }

    /// Where its row stands on the site's page, the site's own either way: the text before its
    /// name in a shared row ([`CookieDecl::shares_row`]), the group heading above its row
    /// ([`CookieDecl::group`]) and its table ([`CookieDecl::table`]).
    pub fn place_mut(&mut self) -> (&mut Option<String>, &mut Texts, Option<u8>) {
        match self {
            CookieEntry::Platform(u) => (&mut u.shares_row, &mut u.group, u.table),
            CookieEntry::Own(d) => (&mut d.shares_row, &mut d.group, d.table),
        }
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}
