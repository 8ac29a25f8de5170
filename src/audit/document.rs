//! The JSON report document written one site at a time: the same bytes as
//! `serde_json::to_string_pretty(&Report)`, without holding every site in memory. Sites are kept
//! as JSON text, so fields this version does not know (from a newer report) pass through.

use std::io::{self, Seek, Write};

use serde::Serialize;

/// `value` as pretty JSON, indented to sit inside the `sites` list of a report.
pub fn site_text(value: &impl Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|text| indent(&text))
        .map_err(|e| format!("cannot write a site's report: {e}"))
}

/// The JSON text `raw` (compact or pretty, fields in their order) re-written as [`site_text`]
/// does, every value and field kept.
pub fn site_text_of_raw(raw: &str) -> Result<String, String> {
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_str(raw);
    serde_transcode::transcode(&mut de, &mut serde_json::Serializer::pretty(&mut out))
        .map_err(|e| format!("cannot re-write a site's report: {e}"))?;
    let text = String::from_utf8(out).map_err(|e| e.to_string())?;
    Ok(indent(&text))
}

/// Pretty JSON never holds a raw newline inside a string, so every newline starts a line to
/// indent by the two levels of `{"sites": [`.
fn indent(text: &str) -> String {
    text.replace('\n', "\n    ")
}

/// Collects site texts into a spool file, then writes the whole document.
pub struct Spool {
    file: std::fs::File,
    count: usize,
}

impl Spool {
    pub fn new() -> io::Result<Spool> {
        Ok(Spool {
            file: tempfile::tempfile()?,
            count: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Appends one site, as given by [`site_text`] or [`site_text_of_raw`].
    pub fn push(&mut self, site_text: &str) -> io::Result<()> {
        let separator = if self.count == 0 { "\n    " } else { ",\n    " };
        self.file.write_all(separator.as_bytes())?;
        self.file.write_all(site_text.as_bytes())?;
        self.count += 1;
        Ok(())
    }

    /// Writes the document (header, every site in the order pushed, end) to `out`.
    pub fn write_document(
        &mut self,
        generated_at: &str,
        out: &mut (impl Write + ?Sized),
    ) -> io::Result<()> {
        let quote = |s: &str| serde_json::to_string(s).map_err(io::Error::other);
        write!(
            out,
            "{{\n  \"tool\": {},\n  \"version\": {},\n  \"generated_at\": {},\n  \"sites\": [",
            quote(crate::TOOL)?,
            quote(crate::VERSION)?,
            quote(generated_at)?
        )?;
        if self.count > 0 {
            self.file.flush()?;
            self.file.rewind()?;
            io::copy(&mut self.file, out)?;
            self.file.seek(io::SeekFrom::End(0))?;
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"]\n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::report::{Hop, Observed, Report, SiteReport, Source};

    fn site(id: &str) -> SiteReport {
        SiteReport {
            site: id.into(),
            url: format!("https://{id}/"),
            requests: vec![Hop {
                url: format!("https://{id}/"),
                status: 200,
                headers: vec![("x".into(), "a \"quoted\"\nline".into())],
                set_cookie: vec!["a=1".into()],
                rejected_set_cookie: vec![],
                ..Default::default()
            }],
            observed: vec![Observed {
                name: "a".into(),
                domain: id.into(),
                path: "/".into(),
                lifetime_seconds: Some(60),
                secure: false,
                http_only: true,
                same_site: None,
                source: Source::Header,
                service: None,
                evidence: "a=1".into(),
                url: String::new(),
                known: vec![],
                storage: Default::default(),
                phases: vec![],
            }],
            ..Default::default()
        }
    }

    fn spooled(sites: &[SiteReport], raw: bool) -> String {
        let mut spool = Spool::new().unwrap();
        for s in sites {
            let text = if raw {
                site_text_of_raw(&serde_json::to_string(s).unwrap()).unwrap()
            } else {
                site_text(s).unwrap()
            };
            spool.push(&text).unwrap();
        }
        let mut out = Vec::new();
        spool
            .write_document("2026-11-24T10:00:00Z", &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_spooled_document_is_the_report_serde_writes() {
        for n in [0, 1, 3] {
            let sites: Vec<SiteReport> = (0..n).map(|i| site(&format!("s{i}.org"))).collect();
            let report = Report::new("2026-11-24T10:00:00Z".into(), sites.clone());
            let expected = serde_json::to_string_pretty(&report).unwrap();
            assert_eq!(spooled(&sites, false), expected, "{n} sites");
            // From compact text, as another tool may have written it.
            assert_eq!(spooled(&sites, true), expected, "{n} sites from raw JSON");
        }
    }

    #[test]
    fn unknown_fields_pass_through_in_their_order() {
        let raw = r#"{"site":"a","zeta":{"phases":["before","after"]},"alpha":1.5}"#;
        let text = site_text_of_raw(raw).unwrap();
        let z = text.find("zeta").unwrap();
        assert!(z < text.find("alpha").unwrap(), "{text}");
        assert!(text.contains("1.5") && text.contains("\"after\""), "{text}");
    }
}
