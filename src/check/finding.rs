//! What a check reports.

use std::fmt;

use serde::Serialize;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A check rule: its stable id, how grave, and what it asks.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// One problem found in one site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub site: String,
    /// The language version concerned, when only one is.
    pub lang: Option<String>,
    pub cookie: Option<String>,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] {}", self.severity, self.rule, self.site)?;
        if let Some(lang) = &self.lang {
            write!(f, " ({lang})")?;
        }
        if let Some(cookie) = &self.cookie {
            write!(f, " {cookie}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// (errors, warnings, infos).
pub fn summary_counts<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
) -> (usize, usize, usize) {
    severity_counts(findings.into_iter().map(|f| f.severity))
}

/// (errors, warnings, infos) of any findings, check or audit.
pub fn severity_counts(severities: impl IntoIterator<Item = Severity>) -> (usize, usize, usize) {
    severities
        .into_iter()
        .fold((0, 0, 0), |(e, w, i), severity| match severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
}
