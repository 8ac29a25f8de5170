//! What each fuzz target checks of one input, shared by the targets in `fuzz/` and by
//! `tests/fuzz_regressions.rs`, which replays every input that once failed (and the seeds).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

use policydesk::audit::cookies::{Assignment, SetCookie, from_line, script_assignments};
use policydesk::audit::page::read;
use policydesk::audit::report::Source;
use policydesk::export::verify;
use policydesk::model::Platform;
use policydesk::model::duration::{duration_words, parse_duration_text};
use policydesk::store::{self, comments, format, load::load_site, save::site_text_keeping};
use time::OffsetDateTime;
use url::Url;

static PLATFORMS: LazyLock<BTreeMap<String, Platform>> = LazyLock::new(|| {
    let text = store::bundled::FILES
        .iter()
        .find(|(name, _)| name.starts_with("platforms/"))
        .map(|(_, text)| *text)
        .unwrap_or_default();
    let mut platform: Platform = format::parse(text).expect("the bundled platform loads");
    platform.id = "opendatasoft".into();
    BTreeMap::from([(platform.id.clone(), platform)])
});

/// Site-file loading; whatever loads is rewritten keeping its comments, which must keep every
/// comment, change nothing else, and give the same text when done again.
pub fn site_file(data: &[u8]) {
    let path = Path::new("/nonexistent/fuzz.example.ron");
    let Ok(file) = load_site(path, data.to_vec(), &PLATFORMS) else {
        return;
    };
    let text = std::str::from_utf8(data).expect("a loaded file is UTF-8");
    let kept = site_text_keeping(&file.site, text, path).expect("comments are kept");
    let mut before = comments::comments_of(text).expect("a loaded file lexes");
    let mut after = comments::comments_of(&kept).expect("the rewrite lexes");
    before.sort();
    after.sort();
    assert_eq!(before, after, "a comment was lost or changed");
    let again = load_site(path, kept.clone().into_bytes(), &PLATFORMS).expect("the rewrite loads");
    assert_eq!(again.site, file.site, "the rewrite changed the site");
    assert_eq!(
        site_text_keeping(&again.site, &kept, path).expect("comments are kept"),
        kept,
        "a second rewrite moved something"
    );
}

/// The reader of durations written for visitors; what it reads can be worded again.
pub fn duration_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(value) = parse_duration_text(text) {
        let _ = duration_words(value, "fr");
        let _ = duration_words(value, "en");
        let _ = value.agrees_with(value);
        let _ = value.to_string();
    }
}

/// `Set-Cookie` lines and the cookie strings inline scripts assign.
pub fn set_cookie(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let url = Url::parse("https://portal.example/a/b").expect("a valid URL");
    let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("a valid time");
    let readable = script_assignments(text)
        .into_iter()
        .filter_map(|a| match a {
            Assignment::Readable(line) => Some(line),
            Assignment::ComputedName { .. } | Assignment::ComputedLifetime { .. } => None,
        });
    for line in std::iter::once(text.to_string()).chain(readable) {
        if let SetCookie::Set(c) = from_line(&line, &url, now, Source::Header) {
            assert!(!c.name.trim().is_empty());
            assert!(c.path.starts_with('/'));
        }
    }
}

/// The audit's page reader: what it finds to load is always an http(s) address.
pub fn page(data: &[u8]) {
    let html = String::from_utf8_lossy(data);
    let url = Url::parse("https://portal.example/p/").expect("a valid URL");
    for r in &read(&html, &url).resources {
        assert!(matches!(r.url.scheme(), "http" | "https"));
    }
}

/// A published cookie table: the input is the rows under a header naming a cookie-name column.
pub fn policy_table(data: &[u8]) {
    let rows = String::from_utf8_lossy(data);
    let html = format!(
        "<table><tr><th>Nom du fournisseur</th><th>Nom du cookie</th><th>Durée</th></tr>{rows}</table>"
    );
    let url = Url::parse("https://portal.example/p/").expect("a valid URL");
    for row in read(&html, &url).cookie_table.into_iter().flatten() {
        assert!(!row.names.is_empty() && row.names.iter().all(|n| !n.is_empty()));
    }
}

/// A bundle folder whose `manifest.json` is the input, beside two files it may list.
pub fn bundle_folder(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("site")).expect("a folder");
    std::fs::write(dir.path().join("index.html"), "<p>index</p>").expect("a file");
    std::fs::write(dir.path().join("site/policy.en.txt"), "policy").expect("a file");
    std::fs::write(dir.path().join("manifest.json"), data).expect("a file");
    if let Ok(report) = verify(dir.path()) {
        // Only a manifest listing exactly the two files, with their hashes, matches.
        if report.matches() {
            assert_eq!(report.listed, 2);
        }
    }
}

/// A zip bundle: the input is the zip file.
pub fn bundle_zip(data: &[u8]) {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(data).expect("written");
    let _ = verify(file.path());
}

/// Importing a page: whatever the markup, the importer gives a site or an error, and the site
/// it gives is written as a file that loads back as the same site (the import never writes a
/// file PolicyDesk itself refuses); a replace and the quick fixes work on it too.
pub fn import(data: &[u8]) {
    use policydesk::import::{ImportOptions, Source, import_pages};
    let source = Source {
        html: String::from_utf8_lossy(data).into_owned(),
        url: None,
        label: "fuzz.html".into(),
        stem: Some("fuzz".into()),
    };
    let Ok(imported) = import_pages(&source, None, &PLATFORMS, &ImportOptions::default()) else {
        return;
    };
    let text = store::save::site_text(&imported.site).expect("an imported site is written");
    let path = Path::new("/nonexistent/fuzz.ron");
    let mut back = load_site(path, text.into_bytes(), &PLATFORMS)
        .unwrap_or_else(|e| panic!("the imported site does not load back: {e}"));
    // The id is the file's name, not in the file.
    back.site.id.clone_from(&imported.site.id);
    assert_eq!(back.site, imported.site, "the file says something else");
    if let Ok(query) = policydesk::replace::Query::new("e", "é", None) {
        let _ = policydesk::replace::replace_in_site(&back.site, &query);
    }
    let platform = back.site.platform.as_ref().and_then(|p| PLATFORMS.get(p));
    let knowledge = policydesk::knowledge::Knowledge::new(Vec::new(), platform);
    let _ = policydesk::check::fix::fix_site(&back.site, platform, &knowledge, None);
}
