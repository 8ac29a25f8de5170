//! `policydesk lookup NAME... [--domain HOST] [--format text|json]`: what the knowledge base
//! knows about cookie or storage names, and from which layer.

use std::path::Path;

use serde_json::json;

use super::{Format, emit, exit, fail, load_reporting};
use crate::knowledge::{ATTRIBUTION, Answer, Knowledge, Query};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Cookie or storage names, as a browser shows them (`_ga_Q8RZ2X1`, `sessionid`).
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,
    /// The host the names live on: entries bound to another domain then do not apply.
    #[arg(long, value_name = "HOST")]
    domain: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Exit 0 when every name is known, 1 when some is not (or a team file failed to load).
pub fn run(dir: &Path, args: Args) -> u8 {
    let ws = load_reporting(dir);
    let knowledge = Knowledge::for_workspace(&ws);
    let team_dir = ws.dir.join(crate::knowledge::team::CATALOG_DIR);
    let team_broken = ws.errors.iter().any(|e| e.path.starts_with(&team_dir));
    let domain = args
        .domain
        .as_deref()
        .map(|d| d.trim().trim_start_matches('.').to_ascii_lowercase());
    let answers: Vec<(&str, Answer)> = args
        .names
        .iter()
        .map(|name| {
            let query = Query {
                domain: domain.as_deref(),
                ..Query::name(name)
            };
            (name.as_str(), knowledge.classify(&query))
        })
        .collect();
    let text = match args.format {
        Format::Json => {
            let one = |(name, a): &(&str, Answer)| {
                json!({
                    "name": name,
                    "matches": a.infos(),
                    "overridden": a.overridden.iter().map(|e| e.info()).collect::<Vec<_>>(),
                    "other_domains": a.elsewhere.iter().map(|e| e.info()).collect::<Vec<_>>(),
                })
            };
            let value = match answers.as_slice() {
                [single] => one(single),
                many => many.iter().map(one).collect(),
            };
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Text => {
            let mut out: String = answers.iter().map(|(n, a)| text_of(n, a)).collect();
            out.push_str(&format!("\n{ATTRIBUTION}\n"));
            out
        }
    };
    if let Err(e) = emit(&text, None) {
        return fail(exit::USAGE, &e);
    }
    let all_known = answers.iter().all(|(_, a)| !a.matches.is_empty());
    if all_known && !team_broken {
        exit::OK
    } else {
        exit::FINDINGS
    }
}

fn text_of(name: &str, answer: &Answer) -> String {
    let mut out = format!("{name}\n");
    match answer.matches.len() {
        0 => out.push_str("  unknown to the knowledge base\n"),
        1 => {}
        n => out.push_str(&format!(
            "  {n} candidates, the knowledge base cannot tell which:\n"
        )),
    }
    for e in &answer.matches {
        let retention = match e.retention_text() {
            t if t.is_empty() => "retention not given".to_string(),
            t => format!("retention {t}"),
        };
        out.push_str(&format!(
            "  {} — {}, {retention} [{}{}]\n",
            e.platform,
            e.category,
            e.layer,
            if e.wildcard {
                format!(", prefix {}", e.display_name())
            } else {
                String::new()
            }
        ));
        if !e.domain.is_empty() {
            out.push_str(&format!("    domain: {}\n", e.domain));
        }
        if !e.description.is_empty() {
            out.push_str(&format!("    {}\n", e.description));
        }
    }
    for e in &answer.overridden {
        out.push_str(&format!(
            "  (overridden: {} — {} [{}])\n",
            e.platform, e.category, e.layer
        ));
    }
    for e in &answer.elsewhere {
        out.push_str(&format!(
            "  (not applied: {}'s {} lives on {})\n",
            e.platform,
            e.display_name(),
            e.domain
        ));
    }
    out
}
