//! The catalog of known services (`assets/services.ron`): how to recognise what a page loads,
//! and the cookies each service sets.

use std::sync::LazyLock;

use serde::Deserialize;
use url::Url;

use crate::check::patterns::NamePattern;
use crate::model::{Category, CookieDecl, MatchKind};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    /// Who runs it, as a policy would name the provider.
    pub provider: String,
    #[serde(default)]
    pub loads: Vec<String>,
    #[serde(default)]
    pub markers: Vec<String>,
    #[serde(default)]
    pub headers: Vec<String>,
    /// The platform (a `sites/platforms/` id) whose own cookies these are: they name a cookie
    /// only on a site of that platform (a portal's own `sessionid` is not Opendatasoft's
    /// elsewhere), and that platform's declarations say so better.
    #[serde(default)]
    pub platform: Option<String>,
    pub cookies: Vec<ServiceCookie>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCookie {
    pub name: String,
    #[serde(default)]
    pub matching: MatchKind,
    /// A name the cookie takes, to test a declaration's pattern against.
    pub example: String,
    /// Seconds; none for a session cookie.
    #[serde(default)]
    pub lifetime: Option<u64>,
    pub category: Category,
    /// Set on the service's own domain (a third-party cookie), else on the site's.
    #[serde(default)]
    pub domain: Option<String>,
}

impl ServiceCookie {
    fn decl(&self) -> CookieDecl {
        CookieDecl {
            name: self.name.clone(),
            matching: self.matching,
            ..Default::default()
        }
    }

    /// The name as a visitor reads it: `_ga_*` for a prefix.
    pub fn display_name(&self) -> String {
        self.decl().display_name()
    }
}

/// The catalog, with its cookie patterns compiled.
pub struct Catalog {
    pub services: Vec<Service>,
    patterns: Vec<Vec<NamePattern>>,
}

const SOURCE: &str = include_str!("../../assets/services.ron");

static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::parse(SOURCE).expect("assets/services.ron is a valid catalog"));

impl Catalog {
    /// The bundled catalog.
    pub fn bundled() -> &'static Catalog {
        &CATALOG
    }

    pub fn parse(text: &str) -> Result<Catalog, String> {
        let services: Vec<Service> = ron::from_str(text).map_err(|e| e.to_string())?;
        let patterns = services
            .iter()
            .map(|s| {
                s.cookies
                    .iter()
                    .map(|c| {
                        NamePattern::of(&c.decl())
                            .map_err(|e| format!("{}: cookie {}: {e}", s.id, c.name))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Catalog { services, patterns })
    }

    /// The service a loaded address belongs to.
    pub fn service_loaded_from(&self, url: &Url) -> Option<&Service> {
        let host = url.host_str()?.to_ascii_lowercase();
        let path = url.path();
        self.services
            .iter()
            .find(|s| s.loads.iter().any(|l| loads_match(l, &host, path)))
    }

    /// The services whose markers appear in `text` (an inline script, or a whole page).
    pub fn services_marked_in(&self, text: &str) -> Vec<&Service> {
        self.services
            .iter()
            .filter(|s| s.markers.iter().any(|m| text.contains(m.as_str())))
            .collect()
    }

    /// The services a response header shows.
    pub fn services_in_headers(&self, names: &[String]) -> Vec<&Service> {
        self.services
            .iter()
            .filter(|s| {
                s.headers
                    .iter()
                    .any(|h| names.iter().any(|n| n.eq_ignore_ascii_case(h)))
            })
            .collect()
    }

    /// The catalog entry of a cookie name, when a known service sets it wherever it is used
    /// (a platform's own cookies are named by its declarations, on its sites only).
    pub fn cookie_named(&self, name: &str) -> Option<(&Service, &ServiceCookie)> {
        self.services
            .iter()
            .zip(&self.patterns)
            .filter(|(service, _)| service.platform.is_none())
            .find_map(|(service, patterns)| {
                service
                    .cookies
                    .iter()
                    .zip(patterns)
                    .find(|(_, p)| p.matches(name))
                    .map(|(c, _)| (service, c))
            })
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
}

/// `host[/path-prefix]` or `/path-part`, against a host (already lowercase) and a path.
fn loads_match(pattern: &str, host: &str, path: &str) -> bool {
    if pattern.starts_with('/') {
        return path.contains(pattern);
    }
    let (want_host, want_path) = match pattern.find('/') {
        Some(i) => (&pattern[..i], &pattern[i..]),
        None => (pattern, ""),
    };
    let host_ok = host == want_host
        || host
            .strip_suffix(want_host)
            .is_some_and(|rest| rest.ends_with('.'));
    host_ok && path.starts_with(want_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_loads_and_has_the_services_the_audit_promises() {
        let c = Catalog::bundled();
        for id in [
            "google-analytics",
            "google-tag-manager",
            "matomo",
            "hotjar",
            "hubspot",
            "meta-pixel",
            "linkedin-insight",
            "youtube",
            "google-maps",
            "vimeo",
            "cloudflare",
            "opendatasoft",
        ] {
            assert!(c.service(id).is_some(), "{id} missing");
        }
        for s in &c.services {
            for cookie in &s.cookies {
                let found = c.cookie_named(&cookie.example).map(|(s, _)| s.id.as_str());
                let expected = s.platform.is_none().then_some(s.id.as_str());
                assert_eq!(found, expected, "{} example", cookie.name);
            }
        }
    }

    #[test]
    fn recognises_loaded_addresses() {
        let c = Catalog::bundled();
        let id = |u: &str| {
            c.service_loaded_from(&Url::parse(u).unwrap())
                .map(|s| s.id.clone())
        };
        assert_eq!(
            id("https://www.googletagmanager.com/gtag/js?id=G-1").as_deref(),
            Some("google-analytics")
        );
        assert_eq!(
            id("https://www.googletagmanager.com/gtm.js?id=GTM-1").as_deref(),
            Some("google-tag-manager")
        );
        assert_eq!(
            id("https://stats.example.org/matomo.js").as_deref(),
            Some("matomo")
        );
        assert_eq!(
            id("https://www.youtube.com/embed/xyz").as_deref(),
            Some("youtube")
        );
        assert_eq!(id("https://notyoutube.com/embed/xyz"), None);
    }
}
