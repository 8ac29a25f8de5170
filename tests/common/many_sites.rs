//! A sites folder of many generated portals, for the export tests and benchmark.
#![allow(dead_code)]

use std::path::Path;

use policydesk::model::duration::MONTH;
use policydesk::model::{Category, CookieDecl, CookieEntry, Duration, DurationValue, Texts};
use policydesk::store::{self, PLATFORMS_DIR};

fn texts(en: String, fr: String) -> Texts {
    Texts::from([("en".to_string(), en), ("fr".to_string(), fr)])
}

/// Writes `sites` portals of `cookies` declarations each, in English and French, into `dir`
/// (with the bundled platform), modelled on the bundled Paris portal.
pub fn write(dir: &Path, sites: usize, cookies: usize) {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("sites");
    let ws = store::load_sites(&bundled);
    let mut site = ws
        .site("dashboard.paris")
        .expect("bundled site")
        .site
        .clone();
    site.cookies = (0..cookies)
        .map(|k| {
            CookieEntry::Own(CookieDecl {
                name: format!("cookie_{k}"),
                provider: "Example analytics".into(),
                category: Category::Statistics,
                location: texts(format!("Audience {k}"), format!("Audience {k}")),
                purpose: texts(
                    format!("Measures visits to page group {k} & their sources."),
                    format!("Mesure les visites du groupe de pages {k} et leur provenance."),
                ),
                duration: Duration {
                    text: texts("6 months".into(), "6 mois".into()),
                    value: DurationValue::Seconds(6 * MONTH),
                },
                ..Default::default()
            })
        })
        .collect();
    let text = store::save::site_text(&site).expect("serialise the site");
    std::fs::create_dir_all(dir.join(PLATFORMS_DIR)).expect("create the sites folder");
    for entry in std::fs::read_dir(bundled.join(PLATFORMS_DIR))
        .expect("platforms")
        .flatten()
    {
        std::fs::copy(
            entry.path(),
            dir.join(PLATFORMS_DIR).join(entry.file_name()),
        )
        .expect("copy a platform");
    }
    for i in 0..sites {
        std::fs::write(dir.join(format!("portal-{i:04}.example.org.ron")), &text)
            .expect("write a site");
    }
}
