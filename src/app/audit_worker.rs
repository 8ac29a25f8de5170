//! Live audits and the audit history on threads of their own: the frame only reads the
//! progress they share and the results they send back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use time::OffsetDateTime;

use crate::audit::history::{latest_audit, record_all};
use crate::audit::{AuditOptions, Cancel, Progress, SiteReport, Target, audit_blocking};
use crate::check::severity_counts;

/// A site's latest audit, as the sites panel and the audit view show it.
#[derive(Clone, Debug)]
pub struct LastAudit {
    pub report: SiteReport,
    /// When it ran (the report's `generated_at`).
    pub at: Option<OffsetDateTime>,
    pub errors: usize,
    pub warnings: usize,
}

impl LastAudit {
    pub fn new(report: SiteReport, generated_at: &str) -> Self {
        let (errors, warnings, _) = severity_counts(report.findings.iter().map(|f| f.severity));
        Self {
            errors,
            warnings,
            at: OffsetDateTime::parse(generated_at, &time::format_description::well_known::Rfc3339)
                .ok(),
            report,
        }
    }

    /// How long ago it ran: "just now", "5 min ago", "3 h ago", "2 days ago" (`short`: "now",
    /// "5m", "3h", "2d").
    pub fn age(&self, now: OffsetDateTime, short: bool) -> String {
        let Some(at) = self.at else {
            return "?".into();
        };
        let secs = (now - at).whole_seconds().max(0);
        let (n, long, brief) = match secs {
            s if s < 60 => return if short { "now" } else { "just now" }.into(),
            s if s < 3600 => (s / 60, " min ago", "m"),
            s if s < 86400 => (s / 3600, " h ago", "h"),
            s => (s / 86400, " days ago", "d"),
        };
        format!("{n}{}", if short { brief } else { long })
    }
}

/// What a running audit has done so far.
#[derive(Clone, Debug, Default)]
pub struct RunProgress {
    pub done: usize,
    pub total: usize,
    /// The sites being fetched now.
    pub current: Vec<String>,
}

pub struct Running {
    pub cancel: Cancel,
    pub progress: Arc<Mutex<RunProgress>>,
    /// The address each site is fetched at.
    pub urls: HashMap<String, String>,
}

impl Running {
    pub fn progress(&self) -> RunProgress {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

pub enum AuditDone {
    /// The latest saved audit of each site of the folder that has one.
    History {
        dir: PathBuf,
        last: Vec<(String, LastAudit)>,
    },
    Finished {
        dir: PathBuf,
        /// Every site's report (changes since the last audit filled in), with its time.
        result: Result<Vec<LastAudit>, String>,
        cancelled: bool,
        /// Audits that could not be saved.
        warnings: Vec<String>,
    },
}

pub struct AuditWorker {
    tx: Sender<AuditDone>,
    rx: Receiver<AuditDone>,
    ctx: egui::Context,
    pub running: Option<Running>,
    pub loading_history: bool,
}

impl AuditWorker {
    pub fn new(ctx: egui::Context) -> Self {
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            ctx,
            running: None,
            loading_history: false,
        }
    }

    /// Reads the last audit of each site on a thread.
    pub fn load_history(&mut self, dir: PathBuf, ids: Vec<String>) {
        self.loading_history = true;
        let (tx, ctx) = (self.tx.clone(), self.ctx.clone());
        std::thread::spawn(move || {
            let last = ids
                .into_iter()
                .filter_map(|id| {
                    let (_, report) = latest_audit(&dir, &id)?;
                    let site = report.sites.into_iter().find(|s| s.site == id)?;
                    Some((id, LastAudit::new(site, &report.generated_at)))
                })
                .collect();
            let _ = tx.send(AuditDone::History { dir, last });
            ctx.request_repaint();
        });
    }

    /// Audits `targets` on a thread and saves each site's audit in the history of `dir`, as
    /// the command line does. Does nothing while an audit runs.
    pub fn start(&mut self, dir: &Path, targets: Vec<Target>, options: AuditOptions) {
        if self.running.is_some() || targets.is_empty() {
            return;
        }
        let cancel = Cancel::new();
        let progress = Arc::new(Mutex::new(RunProgress {
            total: targets.len(),
            ..Default::default()
        }));
        self.running = Some(Running {
            cancel: cancel.clone(),
            progress: progress.clone(),
            urls: targets
                .iter()
                .map(|t| (t.site.id.clone(), t.url.to_string()))
                .collect(),
        });
        let (tx, ctx, dir) = (self.tx.clone(), self.ctx.clone(), dir.to_path_buf());
        let spawned = std::thread::Builder::new()
            .name("policydesk-audit".into())
            .spawn(move || {
                let repaint = ctx.clone();
                let on_progress = move |p: Progress| {
                    let mut shown = progress.lock().unwrap_or_else(PoisonError::into_inner);
                    match p {
                        Progress::Started { site } => shown.current.push(site),
                        Progress::Finished { site, done, .. } => {
                            shown.current.retain(|s| *s != site);
                            shown.done = done;
                        }
                    }
                    repaint.request_repaint();
                };
                let mut warnings = Vec::new();
                let result =
                    audit_blocking(&targets, &options, &on_progress, &cancel).map(|mut r| {
                        warnings = record_all(&dir, &mut r, OffsetDateTime::now_utc());
                        let at = r.generated_at.clone();
                        r.sites
                            .into_iter()
                            .map(|s| LastAudit::new(s, &at))
                            .collect()
                    });
                let _ = tx.send(AuditDone::Finished {
                    dir,
                    result,
                    cancelled: cancel.is_cancelled(),
                    warnings,
                });
                ctx.request_repaint();
            });
        if spawned.is_err() {
            self.running = None;
        }
    }

    pub fn cancel(&self) {
        if let Some(running) = &self.running {
            running.cancel.cancel();
        }
    }

    pub fn try_recv(&mut self) -> Option<AuditDone> {
        let done = self.rx.try_recv().ok()?;
        match done {
            AuditDone::History { .. } => self.loading_history = false,
            AuditDone::Finished { .. } => self.running = None,
        }
        Some(done)
    }
}
