//! Live audits and the audit history as tasks: the frame only reads the progress they share
//! and takes the results they hand back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::{Polled, Task};
use crate::app::state::audit::{AuditProgress, LastAudit};
use crate::audit::history::{last_audit, record_all};
use crate::audit::{AuditOptions, Progress, Target, audit_blocking};

/// The latest saved audit of each site of a folder that has one.
pub struct History {
    pub dir: PathBuf,
    pub last: Vec<(String, LastAudit)>,
    /// Audit files that could not be read (named, with what is wrong).
    pub unreadable: Vec<String>,
}

pub struct Finished {
    pub dir: PathBuf,
    /// Every site's report (changes since the last audit filled in), with its time.
    pub result: Result<Vec<LastAudit>, String>,
    pub cancelled: bool,
    /// Audits that could not be saved.
    pub warnings: Vec<String>,
}

/// An audit under way.
pub struct Running {
    pub task: Task<AuditProgress, Finished>,
    /// The address each site is fetched at.
    pub urls: HashMap<String, String>,
}

/// What the audit tasks hand back.
pub enum AuditDone {
    History(History),
    Finished(Finished),
    /// A task ended without a result.
    Lost,
}

pub struct Audits {
    ctx: egui::Context,
    pub running: Option<Running>,
    history: Option<Task<(), History>>,
}

impl Audits {
    pub fn new(ctx: &egui::Context) -> Self {
        Self {
            ctx: ctx.clone(),
            running: None,
            history: None,
        }
    }

    pub fn loading_history(&self) -> bool {
        self.history.is_some()
    }

    /// Reads the last audit of each site, the way the export reads it.
    pub fn load_history(&mut self, dir: PathBuf, ids: Vec<String>) {
        self.history = Some(Task::spawn(
            "policydesk-history",
            &self.ctx,
            (),
            move |_| {
                let (mut last, mut unreadable) = (Vec::new(), Vec::new());
                for id in ids {
                    match last_audit(&dir, &id) {
                        Ok(Some(stored)) => {
                            if let Some(site) = stored.site(&id) {
                                let audit =
                                    LastAudit::new(site.clone(), &stored.report.generated_at);
                                last.push((id, audit));
                            }
                        }
                        Ok(None) => {}
                        Err(e) => {
                            unreadable.push(format!("the last audit of {id} cannot be read: {e}"))
                        }
                    }
                }
                History {
                    dir,
                    last,
                    unreadable,
                }
            },
        ));
    }

    /// Audits `targets` and saves each site's audit in the history of `dir`, as the command
    /// line does. Does nothing while an audit runs.
    pub fn start(&mut self, dir: &Path, targets: Vec<Target>, options: AuditOptions) {
        if self.running.is_some() || targets.is_empty() {
            return;
        }
        let urls = targets
            .iter()
            .map(|t| (t.site.id.clone(), t.url.to_string()))
            .collect();
        let progress = AuditProgress {
            total: targets.len(),
            ..Default::default()
        };
        let dir = dir.to_path_buf();
        let task = Task::spawn("policydesk-audit", &self.ctx, progress, move |reporter| {
            let on_progress = |p: Progress| {
                reporter.update(|shown| match p {
                    Progress::Started { site } => shown.current.push(site),
                    Progress::Finished { site, done, .. } => {
                        shown.current.retain(|s| *s != site);
                        shown.done = done;
                    }
                })
            };
            let mut warnings = Vec::new();
            let result =
                audit_blocking(&targets, &options, &on_progress, reporter.cancel()).map(|mut r| {
                    warnings = record_all(&dir, &mut r, OffsetDateTime::now_utc());
                    let at = r.generated_at.clone();
                    r.sites
                        .into_iter()
                        .map(|s| LastAudit::new(s, &at))
                        .collect()
                });
            Finished {
                dir,
                result,
                cancelled: reporter.cancel().is_cancelled(),
                warnings,
            }
        });
        self.running = Some(Running { task, urls });
    }

    pub fn cancel(&self) {
        if let Some(running) = &self.running {
            running.task.cancel();
        }
    }

    /// What the audit tasks finished since the last frame.
    pub fn finished(&mut self) -> Vec<AuditDone> {
        let mut out = Vec::new();
        if let Some(task) = &self.history {
            let done = match task.poll() {
                Polled::Running => None,
                Polled::Done(h) => Some(AuditDone::History(h)),
                Polled::Lost => Some(AuditDone::Lost),
            };
            if let Some(done) = done {
                out.push(done);
                self.history = None;
            }
        }
        if let Some(running) = &self.running {
            let polled = running.task.poll();
            match polled {
                Polled::Running => return out,
                Polled::Done(f) => out.push(AuditDone::Finished(f)),
                Polled::Lost => out.push(AuditDone::Lost),
            }
            self.running = None;
        }
        out
    }
}
