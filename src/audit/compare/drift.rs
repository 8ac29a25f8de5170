//! `published_policy_drift`: the live policy page against the site file, compared in the
//! page's own language.

use super::{Findings, Inputs};
use crate::audit::observe::ReadPage;
use crate::audit::page::PublishedRow;
use crate::audit::report::Kind;
use crate::check::Severity;
use crate::check::patterns::NamePattern;
use crate::model::CookieDecl;
use crate::model::text::text_in;

/// A declaration with its published name and its name pattern, each worked out once (a regex
/// pattern compiles).
struct Declared<'a> {
    decl: &'a CookieDecl,
    name: String,
    pattern: Option<&'a NamePattern>,
}

impl Declared<'_> {
    /// Whether the live policy's `name` is this declaration's.
    fn names(&self, name: &str) -> bool {
        self.name == name || self.pattern.is_some_and(|p| p.matches(name))
    }
}

fn normalized(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `patterns` are the declarations' name patterns, compiled once by the caller.
pub(super) fn policy_drift(
    out: &mut Findings,
    input: &Inputs,
    patterns: &[Option<NamePattern>],
    policy: &ReadPage,
) {
    let url = policy.page.url.to_string();
    let drift = |out: &mut Findings, cookie: Option<&str>, evidence: &str, message: String| {
        out.push(
            Kind::PublishedPolicyDrift,
            Severity::Warning,
            cookie,
            None,
            Some(evidence),
            message,
        );
    };
    if !(200..300).contains(&policy.page.status) {
        drift(
            out,
            None,
            &url,
            format!("the policy page {url} answers HTTP {}", policy.page.status),
        );
        return;
    }
    let Some(rows) = &policy.content.cookie_table else {
        drift(
            out,
            None,
            &url,
            format!("the policy page {url} shows no cookie table"),
        );
        return;
    };
    let site = input.site;
    let decls: Vec<Declared> = input
        .decls
        .iter()
        .zip(patterns)
        .map(|(decl, pattern)| Declared {
            decl,
            name: decl.display_name(),
            pattern: pattern.as_ref(),
        })
        .collect();
    // The row that publishes each declaration.
    let row_of: Vec<Option<&PublishedRow>> = decls
        .iter()
        .map(|d| rows.iter().find(|r| r.names.iter().any(|n| d.names(n))))
        .collect();
    // The page is compared in its own language: `<html lang>` when the site publishes it,
    // else the language whose declared durations the page shows most (the default on a tie).
    let matches_in = |lang: &str| {
        decls
            .iter()
            .zip(&row_of)
            .filter(|(d, row)| {
                row.and_then(|r| r.duration.as_deref())
                    .is_some_and(|published| {
                        normalized(published) == normalized(text_in(&d.decl.duration.text, lang))
                    })
            })
            .count()
    };
    let lang = match policy.content.lang.clone() {
        Some(l) if site.languages.contains(&l) => l,
        _ => {
            let mut best = site.default_language.clone();
            let mut best_count = matches_in(&best);
            for l in &site.languages {
                let count = matches_in(l);
                if count > best_count {
                    (best, best_count) = (l.clone(), count);
                }
            }
            best
        }
    };
    for row in rows {
        for name in &row.names {
            let declared = decls.iter().any(|d| d.names(name));
            if !declared {
                drift(
                    out,
                    Some(name),
                    &row.text,
                    format!("the live policy lists {name}, which the site file does not declare"),
                );
            }
        }
    }
    for (Declared { decl, name, .. }, row) in decls.iter().zip(&row_of) {
        let Some(row) = row else {
            drift(
                out,
                Some(name),
                &url,
                format!("the site file declares {name}, which the live policy does not list"),
            );
            continue;
        };
        if let Some(published) = &row.provider
            && normalized(published) != normalized(&decl.provider)
        {
            drift(
                out,
                Some(name),
                &row.text,
                format!(
                    "the live policy names the provider of {name} {published:?}, the site file {:?}",
                    decl.provider
                ),
            );
        }
        let declared = text_in(&decl.duration.text, &lang);
        if let Some(published) = &row.duration
            && normalized(published) != normalized(declared)
        {
            drift(
                out,
                Some(name),
                &row.text,
                format!(
                    "the live policy gives {name} the duration {published:?}, the site file \
                     {declared:?} ({lang})"
                ),
            );
        }
    }
}
