//! The policy model: sites, platforms and cookie declarations, as serde types with no I/O.
//!
//! A site file holds what one portal publishes; a platform file holds the cookies every portal of
//! that platform sets, declared once. A site lists which platform cookies it publishes and may
//! override any of their fields, so changing the platform updates every site that does not.

pub mod cookie;
pub mod duration;
pub mod site;
pub mod text;

pub use cookie::{
    Category, Consent, CookieDecl, CookieEntry, MatchKind, Party, PlatformCookieUse, StorageType,
};
pub use duration::{Duration, DurationValue};
pub use site::{Block, Column, ConsentSelectors, Layout, Platform, Section, Site, TableColumn};
pub use text::{Lang, Texts};
