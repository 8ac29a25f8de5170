//! Checks: rules with stable ids that read a site's declarations and wording.

pub mod finding;
pub mod language;
pub mod patterns;
pub mod rules;

pub use finding::{Finding, Rule, Severity, summary_counts};
pub use rules::{RULES, check_site};

use crate::store::Workspace;

/// Every site of a workspace, checked.
pub fn check_workspace(ws: &Workspace) -> Vec<Finding> {
    ws.sites
        .iter()
        .flat_map(|f| check_site(&f.site, ws.platform_of(&f.site)))
        .collect()
}
