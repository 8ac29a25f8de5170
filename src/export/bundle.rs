//! The files of one site in a bundle, built in memory: its policy in every language and format,
//! its declarations, its source, its check findings and its last audit.

use serde::Serialize;

use super::{ExportError, audit_page, consent, cookies};
use crate::check::{Finding, check_site_with, summary_counts};
use crate::knowledge::Knowledge;
use crate::render::{Format, build_document};
use crate::store::{SiteFile, Workspace, is_safe_id, load::hash_bytes};

/// What the index says about a site.
#[derive(Clone, Debug)]
pub struct SiteSummary {
    pub id: String,
    pub name: String,
    pub languages: Vec<String>,
    pub cookies: usize,
    /// (errors, warnings, info)
    pub counts: (usize, usize, usize),
    /// When the last saved audit ran (its `generated_at`), if there is one.
    pub audit: Option<String>,
}

/// A file of the bundle: its `/`-separated path and its bytes.
pub type BundleFile = (String, Vec<u8>);

/// `(path in the bundle, bytes)` of every file of `file`'s site, and its summary for the index.
pub fn site_files(
    ws: &Workspace,
    knowledge: &Knowledge,
    file: &SiteFile,
) -> Result<(SiteSummary, Vec<BundleFile>), ExportError> {
    let site = &file.site;
    if !is_safe_id(&site.id) {
        return Err(ExportError::UnsafeId(site.id.clone()));
    }
    let dir = &site.id;
    let cookies = ws.cookies_of(site);
    let mut files = Vec::with_capacity(site.languages.len() * 4 + 11);
    for lang in &site.languages {
        let doc = build_document(site, &cookies, lang);
        for format in [Format::Html, Format::Md, Format::Txt, Format::Pdf] {
            let path = format!("{dir}/policy.{lang}.{}", format.extension());
            let bytes = format
                .render(&doc)
                .map_err(|e| ExportError::io(std::path::Path::new(&path), e))?;
            files.push((path, bytes));
        }
    }
    files.push((
        format!("{dir}/cookies.csv"),
        cookies::csv(&site.languages, &cookies).map_err(|e| ExportError::io(&file.path, e))?,
    ));
    files.push((
        format!("{dir}/cookies.json"),
        cookies::json(&site.id, &site.languages, &cookies),
    ));
    let platform = ws.platform_of(site);
    let plan = consent::Plan::new(site, platform, &cookies);
    for kind in consent::Kind::ALL {
        files.push((
            format!("{dir}/{}", kind.path()),
            kind.write(&plan).into_bytes(),
        ));
    }

    // The source exactly as saved, and only if it is still what was loaded and checked.
    let source = crate::store::limits::read_capped(&file.path, crate::store::limits::SITE_FILE)
        .map_err(|e| ExportError::io(&file.path, e))?;
    if hash_bytes(&source) != file.disk_hash {
        return Err(ExportError::SiteChanged(file.path.clone()));
    }
    files.push((format!("{dir}/site.ron"), source));

    let findings = check_site_with(site, platform, knowledge);
    let counts = summary_counts(&findings);
    let check = CheckReport {
        tool: crate::TOOL,
        version: crate::VERSION,
        site: &site.id,
        summary: Summary {
            errors: counts.0,
            warnings: counts.1,
            info: counts.2,
        },
        findings: &findings,
    };
    files.push((format!("{dir}/check.json"), pretty_json(&check)));

    let mut audit = None;
    if let Some(last) = audit_page::last_audit(&ws.dir, &site.id)? {
        audit = Some(last.generated_at.clone());
        files.push((format!("{dir}/audit.html"), last.html.into_bytes()));
        files.push((format!("{dir}/audit.json"), last.json));
        // Beside audit.json, under the names it gives them.
        for (name, png) in last.screenshots {
            files.push((format!("{dir}/{name}"), png));
        }
    }
    Ok((
        SiteSummary {
            id: site.id.clone(),
            name: site.name.clone(),
            languages: site.languages.clone(),
            cookies: cookies.len(),
            counts,
            audit,
        },
        files,
    ))
}

/// `check.json`: the findings of `check_site`, with their counts.
#[derive(Serialize)]
struct CheckReport<'a> {
    tool: &'a str,
    version: &'a str,
    site: &'a str,
    summary: Summary,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    info: usize,
}

/// Indented JSON with a final newline; the same value always gives the same bytes.
pub fn pretty_json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
