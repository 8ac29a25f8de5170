//! Joining the JSON reports of disjoint shards into the report one `audit --all` would have
//! written: same header, sites in id order, each site's JSON as its shard wrote it (fields this
//! version does not know included). Reports are read one at a time and their sites spooled to a
//! temporary file, so memory holds one report and the list of ids.

use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::audit::document::{Spool, site_text_of_raw};

#[derive(Deserialize)]
struct Document<'a> {
    tool: String,
    version: String,
    generated_at: String,
    #[serde(borrow)]
    sites: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct SiteId<'a> {
    #[serde(borrow)]
    site: Cow<'a, str>,
}

/// Where one site's text is in the spool, and which report it came from.
struct Placed {
    id: String,
    report: usize,
    offset: u64,
    len: usize,
}

/// The merged report, ready to be written with [`Spool::write_document`].
pub struct Merged {
    pub spool: Spool,
    /// The newest `generated_at` of the reports: when the last shard finished.
    pub generated_at: String,
    pub sites: usize,
}

/// Merges the reports at `paths`. `on_site(id, site_text, generated_at of its report)` is called
/// for each site in id order (to save it in the history). Refuses, naming the file: a report
/// that cannot be read or is not a PolicyDesk audit report, reports of different versions (of
/// each other or of this program), and a site in two reports.
pub fn merge(
    paths: &[PathBuf],
    mut on_site: impl FnMut(&str, &str, &str) -> Result<(), String>,
) -> Result<Merged, String> {
    let mut store = tempfile::tempfile().map_err(|e| format!("cannot make a spool file: {e}"))?;
    let mut placed: Vec<Placed> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut offset = 0u64;
    for (report, path) in paths.iter().enumerate() {
        let shown = path.display();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        let doc: Document = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{shown}:{}:{}: not a complete audit report: {e}",
                e.line(),
                e.column()
            )
        })?;
        if doc.tool != crate::TOOL {
            return Err(format!(
                "{shown}: written by {:?}, not a {} audit report",
                doc.tool,
                crate::TOOL
            ));
        }
        if let Some((first, (version, _))) = paths.first().zip(headers.first())
            && *version != doc.version
        {
            return Err(format!(
                "{shown} was written by {} {}, but {} by {} {version}: merge reports of one version",
                crate::TOOL,
                doc.version,
                first.display(),
                crate::TOOL
            ));
        }
        if doc.version != crate::VERSION {
            return Err(format!(
                "{shown} was written by {} {}; this is {}: merge with the version that audited",
                crate::TOOL,
                doc.version,
                crate::VERSION
            ));
        }
        for (i, raw) in doc.sites.iter().enumerate() {
            let id = serde_json::from_str::<SiteId>(raw.get())
                .map_err(|e| format!("{shown}: site {} has no \"site\" id: {e}", i + 1))?
                .site
                .into_owned();
            let site = site_text_of_raw(raw.get()).map_err(|e| format!("{shown}: {id}: {e}"))?;
            store
                .write_all(site.as_bytes())
                .map_err(|e| format!("cannot write the spool file: {e}"))?;
            placed.push(Placed {
                id,
                report,
                offset,
                len: site.len(),
            });
            offset += site.len() as u64;
        }
        headers.push((doc.version, doc.generated_at));
    }
    placed.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(pair) = placed.windows(2).find(|w| w[0].id == w[1].id) {
        let (a, b) = (&paths[pair[0].report], &paths[pair[1].report]);
        return Err(if a == b {
            format!("{}: site {} is in it twice", a.display(), pair[0].id)
        } else {
            format!(
                "site {} is in both {} and {}: merge reports of disjoint shards",
                pair[0].id,
                a.display(),
                b.display()
            )
        });
    }
    let mut spool = Spool::new().map_err(|e| format!("cannot make a spool file: {e}"))?;
    let mut text = Vec::new();
    for p in &placed {
        text.resize(p.len, 0);
        store
            .seek(SeekFrom::Start(p.offset))
            .and_then(|_| store.read_exact(&mut text))
            .map_err(|e| format!("cannot read the spool file: {e}"))?;
        let site = String::from_utf8_lossy(&text);
        on_site(&p.id, &site, &headers[p.report].1)?;
        spool
            .push(&site)
            .map_err(|e| format!("cannot write the spool file: {e}"))?;
    }
    let generated_at = headers
        .iter()
        .map(|(_, at)| at.clone())
        .max()
        .unwrap_or_else(|| crate::timestamp::rfc3339(time::OffsetDateTime::now_utc()));
    Ok(Merged {
        spool,
        generated_at,
        sites: placed.len(),
    })
}
