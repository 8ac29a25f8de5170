//! Importing a page (or another tool's output) for a site that exists, off the frame: the
//! source is read (a file, or fetched with the audit's safe fetcher), imported, and what it
//! would change is handed back as the site proposed with its line diff, for review.

use std::collections::BTreeMap;

use super::{Task, finished};
use crate::audit::fetch::FetchOptions;
use crate::import::{ImportOptions, import_any, proposed, read_source};
use crate::model::{Platform, Site};
use crate::store::diff::{DiffLine, line_diff};
use crate::store::save::site_text;

/// What an import proposes for one site.
pub struct Proposal {
    /// The label of what was read: the file as named, or the address the page was fetched from
    /// (after redirects).
    pub source: String,
    /// The site as it would be.
    pub site: Box<Site>,
    /// From the site as edited now to the proposal.
    pub diff: Vec<DiffLine>,
    /// The import's report, and what was added, as lines for the user.
    pub report: Vec<String>,
}

pub type ImportDone = Result<Proposal, String>;

pub struct Imports {
    ctx: egui::Context,
    running: Vec<Task<(), ImportDone>>,
}

impl Imports {
    pub fn new(ctx: &egui::Context) -> Self {
        Self {
            ctx: ctx.clone(),
            running: Vec::new(),
        }
    }

    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// Reads `source` for the site `current` (as edited now).
    pub fn start(&mut self, current: Site, source: String, platforms: BTreeMap<String, Platform>) {
        let task = Task::spawn("policydesk-import", &self.ctx, (), move |_| {
            propose(&current, &source, &platforms)
        });
        self.running.push(task);
    }

    /// Finished imports; `None` for one that ended without a result.
    pub fn finished(&mut self) -> Vec<Option<ImportDone>> {
        finished(&mut self.running)
    }
}

fn propose(current: &Site, source: &str, platforms: &BTreeMap<String, Platform>) -> ImportDone {
    let read = read_source(source.trim(), &FetchOptions::default())?;
    let options = ImportOptions {
        id: Some(current.id.clone()),
        platform: current.platform.clone(),
        lang: None,
    };
    let (imported, kind) = import_any(&read, None, platforms, &options)?;
    let (site, said) = proposed(current, &imported.site, kind);
    let (old, new) = (site_text(current)?, site_text(&site)?);
    let mut report: Vec<String> = imported
        .report
        .to_string()
        .lines()
        .map(str::to_string)
        .collect();
    report.extend(said);
    Ok(Proposal {
        source: read.label,
        site: Box::new(site),
        diff: line_diff(&old, &new, 2),
        report,
    })
}
