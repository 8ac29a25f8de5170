//! The live audit: fetch a portal's pages, see which cookies they really set and which
//! services they load, and compare that with what the site file declares and what the live
//! policy page publishes.
//!
//! [`audit`] (async) and [`audit_blocking`] run it for many sites with progress and a cancel
//! flag; [`report`] holds the JSON report types; [`history`] keeps every audit beside the site
//! files and tells what changed since the last.

pub mod browser;
pub mod catalog;
pub mod compare;
pub mod cookies;
pub mod declare;
pub mod document;
pub mod fetch;
pub mod history;
pub mod observe;
pub mod page;
pub mod phased;
pub mod report;
pub mod run;
pub mod text;

pub use fetch::{FetchError, FetchOptions, Fetcher, Page};
pub use history::latest_audit;
pub use report::{
    AuditFinding, Banner, Changes, CookieRef, Engine, Hop, Kind, LifetimeChange, Observed,
    PhaseReport, Report, SiteReport, Source, Storage,
};
pub use run::{
    AuditOptions, Cancel, EngineChoice, Progress, Target, audit, audit_blocking, audit_each,
    audit_each_blocking, audit_with, start_engine,
};
