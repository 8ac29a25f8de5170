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

/// The stable id of a check rule: reports, filters and CI scripts name rules by these, and a
/// misspelled one does not compile.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub enum RuleId {
    #[serde(rename = "duration-missing")]
    DurationMissing,
    #[serde(rename = "duration-text-mismatch")]
    DurationTextMismatch,
    #[serde(rename = "duration-unreadable")]
    DurationUnreadable,
    #[serde(rename = "lifetime-13-months")]
    Lifetime13Months,
    #[serde(rename = "consent-choice-6-months")]
    ConsentChoice6Months,
    #[serde(rename = "languages-disagree")]
    LanguagesDisagree,
    #[serde(rename = "analytics-claimed-undeclared")]
    AnalyticsClaimedUndeclared,
    #[serde(rename = "duplicate-pattern")]
    DuplicatePattern,
    #[serde(rename = "overlapping-patterns")]
    OverlappingPatterns,
    #[serde(rename = "invalid-pattern")]
    InvalidPattern,
    #[serde(rename = "wrong-language")]
    WrongLanguage,
    #[serde(rename = "knowledge-differs")]
    KnowledgeDiffers,
    #[serde(rename = "row-split")]
    RowSplit,
    /// Runs only against a previous version (`check --previous`, `diff`, `export --previous`).
    #[serde(rename = "version-not-advanced")]
    VersionNotAdvanced,
}

impl RuleId {
    pub const ALL: &'static [RuleId] = &[
        RuleId::DurationMissing,
        RuleId::DurationTextMismatch,
        RuleId::DurationUnreadable,
        RuleId::Lifetime13Months,
        RuleId::ConsentChoice6Months,
        RuleId::LanguagesDisagree,
        RuleId::AnalyticsClaimedUndeclared,
        RuleId::DuplicatePattern,
        RuleId::OverlappingPatterns,
        RuleId::InvalidPattern,
        RuleId::WrongLanguage,
        RuleId::KnowledgeDiffers,
        RuleId::RowSplit,
        RuleId::VersionNotAdvanced,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RuleId::DurationMissing => "duration-missing",
            RuleId::DurationTextMismatch => "duration-text-mismatch",
            RuleId::DurationUnreadable => "duration-unreadable",
            RuleId::Lifetime13Months => "lifetime-13-months",
            RuleId::ConsentChoice6Months => "consent-choice-6-months",
            RuleId::LanguagesDisagree => "languages-disagree",
            RuleId::AnalyticsClaimedUndeclared => "analytics-claimed-undeclared",
            RuleId::DuplicatePattern => "duplicate-pattern",
            RuleId::OverlappingPatterns => "overlapping-patterns",
            RuleId::InvalidPattern => "invalid-pattern",
            RuleId::WrongLanguage => "wrong-language",
            RuleId::KnowledgeDiffers => "knowledge-differs",
            RuleId::RowSplit => "row-split",
            RuleId::VersionNotAdvanced => "version-not-advanced",
        }
    }

    /// Whether the rule is about how long a cookie lasts (shown beside the duration fields).
    pub fn is_about_duration(self) -> bool {
        match self {
            RuleId::DurationMissing
            | RuleId::DurationTextMismatch
            | RuleId::DurationUnreadable
            | RuleId::Lifetime13Months
            | RuleId::ConsentChoice6Months => true,
            RuleId::LanguagesDisagree
            | RuleId::AnalyticsClaimedUndeclared
            | RuleId::DuplicatePattern
            | RuleId::OverlappingPatterns
            | RuleId::InvalidPattern
            | RuleId::WrongLanguage
            | RuleId::KnowledgeDiffers
            | RuleId::RowSplit
            | RuleId::VersionNotAdvanced => false,
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
                format!("no rule {s:?} (rules: {})", ids.join(", "))
            })
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A check rule: its stable id, how grave, and what it asks.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub id: RuleId,
    pub severity: Severity,
    pub summary: &'static str,
}

/// One problem found in one site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Finding {
    pub rule: RuleId,
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
