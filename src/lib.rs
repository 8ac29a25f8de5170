//! PolicyDesk: the cookie policies of many portals, kept as site files, checked, rendered,
//! audited against the live portals and exported as evidence.
//!
//! The core (everything but `app`) has no UI dependency; `app` is the egui desktop app, behind
//! the default `gui` feature.

#[cfg(feature = "gui")]
pub mod app;
pub mod audit;
pub mod cancel;
pub mod changes;
pub mod check;
pub mod cli;
pub mod export;
pub mod import;
pub mod knowledge;
pub mod model;
pub mod monitor;
pub mod parallel;
pub mod render;
pub mod replace;
pub mod store;
pub mod timestamp;

/// The name and version written into every report and bundle.
pub const TOOL: &str = "PolicyDesk";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
