use std::path::Path;

use super::{exit, load_reporting};
use crate::check::{check_site_with, summary_counts};
use crate::knowledge::Knowledge;

pub fn run(dir: &Path) -> u8 {
    let ws = load_reporting(dir);
    let knowledge = Knowledge::for_workspace(&ws);
    println!("{:<45} {:<8} {:>7}  status", "site", "langs", "cookies");
    for file in &ws.sites {
        let site = &file.site;
        let findings = check_site_with(site, ws.platform_of(site), &knowledge);
        let (errors, warnings, infos) = summary_counts(&findings);
        let status = match (errors, warnings) {
            (0, 0) => "ok".to_string(),
            _ => format!("{errors} errors, {warnings} warnings"),
        };
        let status = if infos > 0 {
            format!("{status}, {infos} info")
        } else {
            status
        };
        println!(
            "{:<45} {:<8} {:>7}  {status}",
            site.id,
            site.languages.join(","),
            site.cookies.len(),
        );
    }
    for e in &ws.errors {
        println!(
            "{:<45} {:<8} {:>7}  broken: {e}",
            file_name(&e.path),
            "-",
            "-"
        );
    }
    if ws.errors.is_empty() {
        exit::OK
    } else {
        exit::FINDINGS
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
