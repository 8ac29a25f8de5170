//! A sites folder of portals served by one loopback server, each at `/portal-N/`, for the
//! monitoring tests and benchmark: the bundled Paris portal's policy under generated ids.
#![allow(dead_code)]

use std::path::Path;

use policydesk::store::{self, PLATFORMS_DIR};

/// The id of portal `i`.
pub fn id(i: usize) -> String {
    format!("portal-{i:05}.example.org")
}

/// Writes `count` site files into `dir` (with the bundled platforms) whose base URL is
/// `{base}/portal-{i}/`.
pub fn write(dir: &Path, count: usize, base: &str) {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("sites");
    let ws = store::load_sites(&bundled);
    let mut site = ws
        .site("dashboard.paris")
        .expect("bundled site")
        .site
        .clone();
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
    for i in 0..count {
        site.base_url = url::Url::parse(&format!("{base}/portal-{i}/")).expect("base url");
        let text = store::save::site_text(&site).expect("serialise the site");
        std::fs::write(dir.join(format!("{}.ron", id(i))), text).expect("write a site");
    }
}
