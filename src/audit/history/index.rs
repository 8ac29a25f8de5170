//! The index of a site's audit history: `<sites>/.audits/<id>/index.jsonl`, one line per audit
//! (oldest first) holding what the digest and retention read, so that neither parses the audit
//! files themselves: when, which file (none for an audit that could not be made, and why), the
//! items observed with their lifetimes, and the findings of error severity.
//!
//! Lines are appended with one `write` on a file opened for appending, so that two processes
//! never interleave theirs; a reader skips a line it cannot parse (one cut by a crash). The index
//! is derived from the audit files: [`ensure`] rebuilds it when it does not end with the newest
//! file.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::audit::page::registrable_domain;

pub const INDEX_FILE: &str = "index.jsonl";

/// One audit of one site, as the index holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `generated_at` of the audit (RFC 3339, UTC): first, so that a reader finds it cheaply.
    pub at: String,
    /// The audit file's name in the site's history folder; null when the audit could not be
    /// made (then `error` says why).
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorFinding>,
}

impl Entry {
    pub fn failed(&self) -> bool {
        self.file.is_none()
    }
}

/// A cookie or storage item observed, keyed by (storage, name, domain).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Item {
    /// `cookie`, `local_storage` or `session_storage`; `cookie` in reports that predate storage.
    pub storage: String,
    pub name: String,
    pub domain: String,
    /// Seconds; null for a session cookie or a storage item.
    pub lifetime: Option<u64>,
    /// Whether `domain` is the audited site's own (same registrable domain as its address).
    #[serde(default)]
    pub own: bool,
}

/// A finding of error severity, keyed by what it is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ErrorFinding {
    pub kind: String,
    #[serde(default)]
    pub cookie: Option<String>,
    #[serde(default)]
    pub host: Option<String>,
}

/// The entry of one site's audit report (`site` is one element of a report's `sites`), read as
/// plain JSON so that reports of another version (with `storage` and `phases`) read alike.
pub fn summarize(site: &Value, at: &str, file: Option<String>) -> Entry {
    let text = |v: &Value| v.as_str().map(str::to_string);
    let own_domain = site["url"]
        .as_str()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(registrable_domain));
    let mut items: Vec<Item> = Vec::new();
    for o in site["observed"].as_array().into_iter().flatten() {
        let (Some(name), Some(domain)) = (text(&o["name"]), text(&o["domain"])) else {
            continue;
        };
        let storage = text(&o["storage"]).unwrap_or_else(|| "cookie".into());
        let lifetime = o["lifetime_seconds"].as_u64();
        let own = own_domain
            .as_deref()
            .is_some_and(|own| registrable_domain(domain.trim_start_matches('.')) == own);
        // One item seen twice (two paths, two phases) keeps its longest lifetime.
        match items
            .iter_mut()
            .find(|i| i.storage == storage && i.name == name && i.domain == domain)
        {
            Some(i) => i.lifetime = i.lifetime.max(lifetime),
            None => items.push(Item {
                storage,
                name,
                domain,
                lifetime,
                own,
            }),
        }
    }
    items.sort();
    let mut errors: Vec<ErrorFinding> = site["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| {
            Some(ErrorFinding {
                kind: text(&f["kind"])?,
                cookie: text(&f["cookie"]),
                host: text(&f["host"]),
            })
        })
        .collect();
    errors.sort();
    errors.dedup();
    Entry {
        at: at.to_string(),
        error: if file.is_none() {
            Some(text(&site["error"]).unwrap_or_else(|| "could not be audited".into()))
        } else {
            None
        },
        file,
        items,
        errors,
    }
}

fn line(entry: &Entry) -> io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(entry).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Appends `entry` to the index in `dir` in one write.
pub fn append(dir: &Path, entry: &Entry) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(INDEX_FILE))?;
    file.write_all(&line(entry)?)
}

/// Replaces the index in `dir` with `entries`, all at once.
pub fn rewrite(dir: &Path, entries: &[Entry]) -> io::Result<()> {
    let mut bytes = Vec::new();
    for e in entries {
        bytes.extend(line(e)?);
    }
    crate::store::save::write_atomically(&dir.join(INDEX_FILE), &bytes)
}

/// Every entry of the index in `dir`, oldest first; `None` when there is no index.
pub fn read_all(dir: &Path) -> Option<Vec<Entry>> {
    let text = std::fs::read(dir.join(INDEX_FILE)).ok()?;
    Some(
        text.split(|b| *b == b'\n')
            .filter_map(|l| serde_json::from_slice(l).ok())
            .collect(),
    )
}

/// The entries of the index in `dir`, newest first, read from the end of the file in chunks:
/// a reader that needs the last two audits reads a few KiB, whatever the history's length.
pub struct Newest {
    file: File,
    /// Bytes of the file not yet read (those before `pending`).
    unread: u64,
    /// The start of the last line not yet returned, with what follows it read.
    pending: Vec<u8>,
}

const CHUNK: usize = 16 * 1024;

impl Newest {
    pub fn open(dir: &Path) -> Option<Newest> {
        let file = File::open(dir.join(INDEX_FILE)).ok()?;
        let unread = file.metadata().ok()?.len();
        Some(Newest {
            file,
            unread,
            pending: Vec::new(),
        })
    }

    /// The next line from the end (without its newline), or `None` at the start of the file.
    fn next_line(&mut self) -> Option<Vec<u8>> {
        loop {
            // A line is whole once a newline before it has been read, or the file's start.
            if let Some(nl) = self.pending.iter().rposition(|b| *b == b'\n') {
                let line = self.pending.split_off(nl + 1);
                self.pending.truncate(nl);
                if !line.is_empty() {
                    return Some(line);
                }
                continue;
            }
            if self.unread == 0 {
                return (!self.pending.is_empty()).then(|| std::mem::take(&mut self.pending));
            }
            let n = (self.unread as usize).min(CHUNK);
            self.unread -= n as u64;
            let mut chunk = vec![0; n];
            let read = self
                .file
                .seek(SeekFrom::Start(self.unread))
                .and_then(|_| self.file.read_exact(&mut chunk));
            if read.is_err() {
                self.unread = 0;
                return None;
            }
            chunk.append(&mut self.pending);
            self.pending = chunk;
        }
    }
}

impl Iterator for Newest {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let line = self.next_line()?;
            if let Ok(entry) = serde_json::from_slice(&line) {
                return Some(entry);
            }
        }
    }
}

/// The entry of an audit file, read in full (what rebuilding the index costs).
pub fn entry_of_file(path: &Path) -> Option<Entry> {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let at = doc["generated_at"].as_str()?;
    let site = doc["sites"].as_array()?.first()?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    Some(summarize(site, at, Some(name)))
}

/// Makes the index in `dir` agree with the audit files `files` (oldest first): when it does not
/// exist, or its newest audit is not the newest file, it is rebuilt from the files, keeping the
/// failed attempts it recorded. Returns the entries, oldest first.
pub fn ensure(dir: &Path, files: &[std::path::PathBuf]) -> io::Result<Vec<Entry>> {
    let existing = read_all(dir);
    let newest_file = files
        .last()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    if let Some(entries) = &existing {
        let newest_indexed = entries.iter().rev().find_map(|e| e.file.clone());
        if newest_indexed == newest_file {
            return Ok(existing.unwrap_or_default());
        }
    }
    let mut entries: Vec<Entry> = files.iter().filter_map(|p| entry_of_file(p)).collect();
    entries.extend(existing.into_iter().flatten().filter(Entry::failed));
    entries.sort_by(|a, b| a.at.cmp(&b.at));
    if !entries.is_empty() {
        rewrite(dir, &entries)?;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: &str) -> Entry {
        Entry {
            at: at.into(),
            file: Some(format!("{at}.json")),
            ..Default::default()
        }
    }

    #[test]
    fn newest_reads_lines_backwards_across_chunks_and_skips_a_torn_one() {
        let dir = tempfile::tempdir().unwrap();
        let many: Vec<Entry> = (0..3000).map(|i| entry(&format!("{i:06}"))).collect();
        for e in &many {
            append(dir.path(), e).unwrap();
        }
        // A crash in the middle of a line.
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.path().join(INDEX_FILE))
            .unwrap();
        f.write_all(b"{\"at\":\"0099").unwrap();
        let back: Vec<Entry> = Newest::open(dir.path()).unwrap().collect();
        let mut expected = many.clone();
        expected.reverse();
        assert_eq!(back, expected);
        assert_eq!(read_all(dir.path()).unwrap(), many);
    }

    #[test]
    fn summaries_key_items_by_storage_and_read_both_report_versions() {
        let site = serde_json::json!({
            "site": "a", "url": "https://www.a.example.org/", "error": null,
            "observed": [
                {"name": "sid", "domain": "www.a.example.org", "lifetime_seconds": 60},
                {"name": "sid", "domain": "www.a.example.org", "lifetime_seconds": 600,
                 "phases": ["after_accept"]},
                {"name": "_ga", "domain": ".google.com", "lifetime_seconds": null},
                {"name": "sid", "domain": "www.a.example.org", "storage": "local_storage",
                 "lifetime_seconds": null}
            ],
            "findings": [
                {"kind": "undeclared", "severity": "error", "cookie": "_ga", "host": null,
                 "phase": "before_consent"},
                {"kind": "not_observed", "severity": "warning", "cookie": "x"}
            ]
        });
        let e = summarize(&site, "2026-11-24T10:00:00Z", Some("f.json".into()));
        let keys: Vec<(&str, &str, Option<u64>, bool)> = e
            .items
            .iter()
            .map(|i| (i.storage.as_str(), i.name.as_str(), i.lifetime, i.own))
            .collect();
        assert_eq!(
            keys,
            [
                ("cookie", "_ga", None, false),
                ("cookie", "sid", Some(600), true),
                ("local_storage", "sid", None, true)
            ]
        );
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.errors[0].cookie.as_deref(), Some("_ga"));
        assert_eq!(e.error, None);
    }
}
