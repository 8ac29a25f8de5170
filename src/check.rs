//! Checks: rules with stable ids that read a site's declarations and wording.

pub mod finding;
pub mod fix;
pub mod knowledge;
pub mod language;
pub mod patterns;
pub mod rules;
pub mod version;

pub use finding::{Finding, Rule, RuleId, Severity, severity_counts, summary_counts};
pub use rules::{RULES, check_site, check_site_with};
pub use version::version_findings;

use crate::knowledge::Knowledge;
use crate::store::Workspace;

/// Every site of a workspace, checked on every core against its cookie knowledge (team catalog
/// and platforms); findings in site order. Team files that fail to load are among the
/// workspace's load errors.
pub fn check_workspace(ws: &Workspace) -> Vec<Finding> {
    let knowledge = Knowledge::for_workspace(ws);
    crate::parallel::map(&ws.sites, |f| {
        check_site_with(&f.site, ws.platform_of(&f.site), &knowledge)
    })
    .into_iter()
    .flatten()
    .collect()
}
