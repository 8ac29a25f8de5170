//! The consent configurations and the device storage disclosure in a bundle: listed in the
//! manifest, checked by `verify`, and holding every declared cookie of each site.

mod common;
#[path = "common/export_cli.rs"]
mod export_cli;

use common::stdout;
use export_cli::export;
use policydesk::export::manifest::Manifest;
use policydesk::store::load_sites;

#[test]
fn every_site_of_a_bundle_has_its_consent_files_listed_and_verified() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("bundle");
    let run = export(sites.path(), &["--all"], &out, &[]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    let ws = load_sites(sites.path());
    for file in &ws.sites {
        let id = &file.site.id;
        let cookies = ws.cookies_of(&file.site);
        for path in [
            "consent/klaro.js",
            "consent/cookieconsent.js",
            "consent/tarteaucitron.js",
            "device-storage.json",
        ] {
            let path = format!("{id}/{path}");
            assert!(
                manifest.files.iter().any(|f| f.path == path),
                "{path} is not in the manifest"
            );
            let text = std::fs::read_to_string(out.join(&path)).expect("listed file");
            for decl in &cookies {
                assert!(text.contains(&decl.name), "{path} lacks {}", decl.name);
            }
        }
        let disclosure: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(id).join("device-storage.json")).expect("read"),
        )
        .expect("device-storage.json is JSON");
        let identifiers: Vec<&str> = disclosure["disclosures"]
            .as_array()
            .expect("disclosures")
            .iter()
            .map(|d| d["identifier"].as_str().expect("identifier"))
            .collect();
        let declared: Vec<&str> = cookies.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(identifiers.len(), declared.len(), "{id}: {identifiers:?}");
        for name in declared {
            assert!(identifiers.contains(&name), "{id}: {name} not disclosed");
        }
    }

    // A configuration edited after the export is caught by verify.
    let klaro = out.join("dashboard.paris/consent/klaro.js");
    let original = std::fs::read_to_string(&klaro).expect("klaro.js");
    let edited = original.replace(
        "\"cookieExpiresAfterDays\": 182",
        "\"cookieExpiresAfterDays\": 3650",
    );
    assert_ne!(original, edited, "the consent cookie's declared 182 days");
    std::fs::write(&klaro, edited).expect("edit klaro.js");
    let check = common::policydesk(&["verify", out.to_str().expect("utf-8")]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("dashboard.paris/consent/klaro.js"),
        "{}",
        stdout(&check)
    );
}
