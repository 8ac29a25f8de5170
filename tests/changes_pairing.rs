//! How `changes::compare` pairs what it compares: sections by heading in order (a heading
//! reworded in place is one section changed), cookies by name and storage and then by name
//! alone, and languages added or removed.

mod common;

use policydesk::changes::diff::{SectionChangeKind, SiteChanges};
use policydesk::changes::{Filter, SiteState, Snapshot, compare};
use policydesk::model::{Block, CookieEntry, Section, Site};
use policydesk::store::load_sites;

/// The bundled Paris portal before and after `edit`, compared.
fn changed(edit: impl FnOnce(&mut Site)) -> SiteChanges {
    let ws = load_sites(&common::bundled_sites());
    let old = Snapshot::of_workspace(&ws, None, std::path::Path::new("old"));
    let mut new = old.clone();
    let file = ws.site("dashboard.paris").expect("bundled site");
    let mut site = file.site.clone();
    edit(&mut site);
    let cookies = site.resolved_cookies(ws.platform_of(&site));
    new.sites
        .insert(site.id.clone(), SiteState::of(&site, &cookies));
    let changes = compare(&old, &new, &Filter::default());
    assert!(changes.sites_added.is_empty() && changes.sites_removed.is_empty());
    let mut sites = changes.sites;
    assert_eq!(sites.len(), 1, "only the edited site: {sites:#?}");
    sites.remove(0)
}

fn sections(changes: &SiteChanges) -> Vec<(String, SectionChangeKind, String, Option<String>)> {
    changes
        .sections
        .iter()
        .map(|s| {
            (
                s.lang.clone(),
                s.change,
                s.heading.clone(),
                s.old_heading.clone(),
            )
        })
        .collect()
}

#[test]
fn sections_pair_by_heading_and_a_reworded_heading_is_one_change() {
    let changes = changed(|site| {
        let en = site.sections.get_mut("en").expect("English");
        en[1].heading = "What is a cookie, exactly?".into();
        en.remove(3);
        en.push(Section {
            level: 2,
            heading: "Contact".into(),
            body: vec![Block::Paragraph("Write to us.".into())],
        });
    });
    use SectionChangeKind::*;
    let en = |kind, heading: &str, old: Option<&str>| {
        (
            "en".to_string(),
            kind,
            heading.to_string(),
            old.map(str::to_string),
        )
    };
    assert_eq!(
        sections(&changes),
        [
            en(
                Changed,
                "What is a cookie, exactly?",
                Some("What is a cookie?")
            ),
            en(Removed, "How do I configure cookies on my browser?", None),
            en(Added, "Contact", None),
        ]
    );
    // A heading reworded with its body as it was has no word changes.
    assert!(changes.sections[0].words.is_empty());
    assert!(changes.content_changed);
    assert!(changes.cookies.added.is_empty() && changes.cookies.changed.is_empty());
}

#[test]
fn a_cookie_whose_storage_changed_is_one_cookie_changed() {
    let changes = changed(|site| {
        let ws = load_sites(&common::bundled_sites());
        let platform = ws.platform_of(site).expect("platform").clone();
        let mut own = platform
            .cookie("django_language")
            .expect("declared")
            .clone();
        own.storage = policydesk::model::StorageType::LocalStorage;
        for entry in &mut site.cookies {
            if entry.name() == "django_language" {
                *entry = CookieEntry::Own(own.clone());
            }
        }
    });
    assert!(changes.cookies.added.is_empty(), "{:#?}", changes.cookies);
    assert!(changes.cookies.removed.is_empty());
    let fields: Vec<&str> = changes.cookies.changed[0]
        .changes
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["storage"]);
    assert_eq!(
        changes.cookies.changed[0].changes[0].new.as_deref(),
        Some("localStorage")
    );
}

#[test]
fn a_language_added_is_one_change_not_every_text() {
    let changes = changed(|site| {
        site.languages.push("de".into());
        let en = site.sections["en"].clone();
        site.sections.insert("de".into(), en);
    });
    assert_eq!(changes.languages_added, ["de"]);
    assert!(changes.sections.is_empty(), "{:#?}", changes.sections);
    assert!(changes.content_changed);
    // Version and date stayed: the rule says so.
    assert_eq!(changes.findings.len(), 2, "{:#?}", changes.findings);
}
