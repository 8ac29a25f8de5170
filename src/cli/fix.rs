//! `policydesk check --fix [--rule ID]`: every safe fix applied and saved (comments kept), then
//! what was fixed and what has no safe fix, with why.

use super::{exit, fail};
use crate::check::fix::fix_site;
use crate::check::{RuleId, Severity};
use crate::knowledge::Knowledge;
use crate::store::{self, Workspace};

pub fn run(ws: &Workspace, rule: Option<RuleId>) -> u8 {
    let knowledge = Knowledge::for_workspace(ws);
    let (mut fixes, mut sites_fixed, mut left, mut errors_left, mut failed) = (0, 0, 0, 0, 0);
    for file in &ws.sites {
        let result = fix_site(&file.site, ws.platform_of(&file.site), &knowledge, rule);
        for (finding, what) in &result.fixed {
            println!(
                "fixed {}[{}] {}: {what}",
                finding.severity, finding.rule, finding.site
            );
        }
        for (finding, why) in &result.left {
            println!("no safe fix: {finding}\n    {why}");
            errors_left += usize::from(finding.severity == Severity::Error);
        }
        left += result.left.len();
        let Some(site) = result.site else { continue };
        let mut saved = file.clone();
        saved.site = site;
        match store::save_site(&mut saved, false) {
            Ok(()) => {
                println!("saved {}", file.path.display());
                fixes += result.fixed.len();
                sites_fixed += 1;
            }
            Err(e) => {
                failed += 1;
                fail(exit::FINDINGS, &format!("{e}; its fixes were not saved"));
            }
        }
    }
    println!(
        "{fixes} fixes saved in {sites_fixed} sites; {left} findings have no safe fix \
         ({errors_left} errors)"
    );
    if errors_left > 0 || failed > 0 || !ws.errors.is_empty() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
