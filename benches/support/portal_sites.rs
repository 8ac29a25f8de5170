//! Generated site files for the load, check and replace benchmarks: copies of the bundled
//! Paris portal under their own ids, each with 36 more own declarations in English and French.

use std::path::Path;

use policydesk::model::{CookieDecl, CookieEntry, Site, Texts};
use policydesk::store::save::site_text;
use policydesk::store::{load_sites, site_path};

pub fn texts(en: String, fr: String) -> Texts {
    [("en".to_string(), en), ("fr".to_string(), fr)].into()
}

/// Own declaration `i`: its name, provider, and location and purpose in both languages.
pub fn own_cookie(i: usize) -> CookieDecl {
    CookieDecl {
        name: format!("cookie_{i}"),
        provider: format!("Provider {}", i % 7),
        location: texts(
            format!("Widget number {i} on the home page"),
            format!("Le widget numéro {i} de la page d'accueil"),
        ),
        purpose: texts(
            format!("Remembers the state of widget {i} for the visitor"),
            format!("Mémorise l'état du widget {i} pour le visiteur"),
        ),
        ..Default::default()
    }
}

/// Writes `n` sites `portal-NNNNN.example.org` into `dir`, with the Opendatasoft platform:
/// site `s` is named "Portal s" and adds `cookie(s * 3 + i)` for i in 0..36; with `comment`,
/// a comment line heads each file.
pub fn write_sites(dir: &Path, n: usize, cookie: impl Fn(usize) -> CookieEntry, comment: bool) {
    let bundled = load_sites(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sites")));
    let template: Site = bundled
        .site("dashboard.paris")
        .expect("bundled site")
        .site
        .clone();
    std::fs::create_dir_all(dir.join("platforms")).expect("mkdir");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sites/platforms/opendatasoft.ron"
        ),
        dir.join("platforms/opendatasoft.ron"),
    )
    .expect("copy platform");
    for s in 0..n {
        let mut site = template.clone();
        site.name = format!("Portal {s}");
        site.cookies.extend((0..36).map(|i| cookie(s * 3 + i)));
        let mut text = site_text(&site).expect("serialize");
        if comment {
            text.insert_str(0, &format!("// Portal {s}, kept by the data team.\n"));
        }
        let id = format!("portal-{s:05}.example.org");
        std::fs::write(site_path(dir, &id), text).expect("write");
    }
}
