//! A site's last live audit as the app shows it, and what a running audit has done so far.

use time::OffsetDateTime;

use crate::audit::SiteReport;
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
pub struct AuditProgress {
    pub done: usize,
    pub total: usize,
    /// The sites being fetched now.
    pub current: Vec<String>,
}
