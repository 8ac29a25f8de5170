//! "Declare this cookie": a site's own declaration drafted from what an audit observed and what
//! the catalog knows, for a person to review (the purpose is theirs to write).

use super::catalog::Catalog;
use super::page::registrable_domain;
use super::report::{Observed, Source, Storage};
use crate::check::patterns::NamePattern;
use crate::knowledge::{Knowledge, MatchInfo, Query};
use crate::model::duration::duration_words;
use crate::model::{
    Category, CookieDecl, Duration, DurationValue, MatchKind, Party, Site, StorageType,
};

/// What the drafted purpose says until someone writes it, per language.
pub fn purpose_placeholder(lang: &str) -> &'static str {
    match lang {
        "fr" => "À COMPLÉTER : à quoi sert ce cookie ?",
        _ => "TO DO: say what this cookie is for",
    }
}

/// A declaration of `observed` for `site`, filled from what the knowledge base knows of it
/// (the classification the audit recorded, else the shipped knowledge): its name (the entry's
/// prefix for a wildcard entry), provider, category, party, storage and English purpose, and a
/// duration with its machine value and a text in each of the site's languages. Several
/// candidates fill nothing: a person chooses.
pub fn declaration(observed: &Observed, site: &Site) -> CookieDecl {
    let known = match observed.known.as_slice() {
        [] => classify_alone(observed, site),
        k => k.to_vec(),
    };
    let entry = match known.as_slice() {
        [one] => Some(one),
        _ => None,
    };
    let (name, matching) = match entry {
        Some(k) => {
            let (name, matching) = k.pattern();
            (name.to_string(), matching)
        }
        None => (observed.name.clone(), MatchKind::Exact),
    };
    // A cookie bound to another domain than the site's is a third party's; every other cookie
    // was set by the pages of the site (its responses or its scripts).
    let third_domain = entry
        .filter(|k| k.domain.is_some())
        .map(|_| observed.domain.clone())
        .filter(|d| !site_hosts(site).contains(&registrable_domain(d)));
    let storage = match (observed.storage, observed.source) {
        (Storage::LocalStorage, _) => StorageType::LocalStorage,
        (Storage::SessionStorage, _) => StorageType::SessionStorage,
        (_, Source::Header) => StorageType::HttpCookie,
        (_, Source::Script) => StorageType::ScriptCookie,
        (_, Source::Inferred) if third_domain.is_some() => StorageType::HttpCookie,
        (_, Source::Inferred) => StorageType::ScriptCookie,
    };
    let value = match observed.lifetime_seconds {
        None => DurationValue::Session,
        Some(s) => DurationValue::Seconds(s),
    };
    let per_lang = |text: &dyn Fn(&str) -> String| {
        site.languages
            .iter()
            .map(|l| (l.clone(), text(l)))
            .collect()
    };
    // The knowledge base's descriptions are English: other languages keep the placeholder.
    let purpose = |lang: &str| match entry {
        Some(k) if lang == "en" && !k.description.is_empty() => k.description.clone(),
        _ => purpose_placeholder(lang).to_string(),
    };
    CookieDecl {
        name,
        matching,
        storage,
        provider: entry.map_or_else(|| site.controller.clone(), |k| k.platform.clone()),
        category: entry.map_or(Category::Unclassified, |k| k.category),
        party: if third_domain.is_some() {
            Party::Third
        } else {
            Party::First
        },
        consent: None,
        domain: third_domain,
        location: Default::default(),
        purpose: per_lang(&purpose),
        duration: Duration {
            text: per_lang(&|l| duration_words(value, l)),
            value,
        },
        ..Default::default()
    }
}

/// What the shipped knowledge says of a cookie observed before the audit classified cookies.
fn classify_alone(observed: &Observed, site: &Site) -> Vec<MatchInfo> {
    let name = Catalog::bundled()
        .cookie_named(&observed.name)
        .filter(|_| observed.source == Source::Inferred)
        .map_or(observed.name.as_str(), |(_, c)| c.example.as_str());
    let query = Query {
        name,
        domain: Some(&observed.domain),
        first_party: site.base_url.host_str(),
        site_platform: Some(site.platform.as_deref()),
        ..Query::name(name)
    };
    Knowledge::bundled().classify(&query).infos()
}

/// The registrable domains of the site's own addresses.
fn site_hosts(site: &Site) -> Vec<String> {
    site.base_url
        .host_str()
        .map(registrable_domain)
        .into_iter()
        .collect()
}

/// Whether a declaration of `decls` covers the observed cookie (as the audit matches them: an
/// inferred `_ga_*` by the catalog's example name).
pub fn is_declared(observed: &Observed, decls: &[CookieDecl]) -> bool {
    let example = Catalog::bundled()
        .cookie_named(&observed.name)
        .filter(|_| observed.source == Source::Inferred)
        .map(|(_, c)| c.example.as_str());
    let name = example.unwrap_or(&observed.name);
    decls
        .iter()
        .any(|d| NamePattern::of(d).is_ok_and(|p| p.matches(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text::text_in;

    fn site() -> Site {
        let text = crate::store::bundled::FILES[1].1;
        crate::store::format::parse(text).expect("bundled site parses")
    }

    fn observed(name: &str, lifetime: Option<u64>, source: Source) -> Observed {
        Observed {
            name: name.into(),
            domain: "dashboard.paris".into(),
            path: "/".into(),
            lifetime_seconds: lifetime,
            secure: true,
            http_only: false,
            same_site: None,
            source,
            service: None,
            known: Vec::new(),
            evidence: String::new(),
            url: "https://dashboard.paris/".into(),
            storage: crate::audit::report::Storage::Cookie,
            phases: Vec::new(),
        }
    }

    #[test]
    fn a_service_cookie_takes_the_catalog_pattern_provider_and_category() {
        let site = site();
        let d = declaration(
            &observed("_ga_ABC123", Some(400 * 86400), Source::Header),
            &site,
        );
        assert_eq!((d.name.as_str(), d.matching), ("_ga_", MatchKind::Prefix));
        assert_eq!(d.category, Category::Statistics);
        assert!(d.provider.contains("Google"), "{}", d.provider);
        assert_eq!(d.party, Party::First);
        assert_eq!(d.duration.value, DurationValue::Seconds(400 * 86400));
        for lang in &site.languages {
            let text = text_in(&d.duration.text, lang);
            assert!(text.starts_with("13 "), "{lang}: {text}");
        }
        // The knowledge base's description is English; French keeps the placeholder.
        let known = Knowledge::bundled().classify(&Query::name("_ga_ABC123"));
        assert_eq!(text_in(&d.purpose, "en"), known.matches[0].description);
        assert!(!known.matches[0].description.is_empty());
        assert_eq!(text_in(&d.purpose, "fr"), purpose_placeholder("fr"));
        assert!(is_declared(
            &observed("_ga_ZZZ", None, Source::Header),
            std::slice::from_ref(&d)
        ));
        assert!(!is_declared(&observed("_gid", None, Source::Header), &[d]));
    }

    #[test]
    fn an_unknown_cookie_is_the_site_s_own_exact_name_left_unclassified() {
        let site = site();
        let d = declaration(&observed("tracker", None, Source::Script), &site);
        assert_eq!((d.name.as_str(), d.matching), ("tracker", MatchKind::Exact));
        assert_eq!(d.category, Category::Unclassified);
        assert_eq!(d.provider, site.controller);
        assert_eq!(d.storage, StorageType::ScriptCookie);
        assert_eq!(d.duration.value, DurationValue::Session);
    }
}
