//! Loading a folder: broken files are reported with file:line:column and never stop the others.

mod common;

use std::path::Path;

use policydesk::store::save::site_text;
use policydesk::store::{load_sites, save_site};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn good_site_text() -> String {
    std::fs::read_to_string(common::bundled_sites().join("dashboard.paris.ron")).expect("read")
}

#[test]
fn bundled_sites_load_and_resolve_platform_cookies() {
    let ws = load_sites(&common::bundled_sites());
    assert!(ws.errors.is_empty(), "{:#?}", ws.errors);
    let ids: Vec<&str> = ws.sites.iter().map(|s| s.site.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "dashboard.paris",
            "dataviz.totalenergies.com",
            "tneacademiegrenoble.opendatasoft.com"
        ]
    );
    let paris = ws.site("dashboard.paris").expect("paris");
    let cookies = ws.cookies_of(&paris.site);
    let names: Vec<&str> = cookies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "sessionid",
            "csrftoken",
            "cookies_preferences",
            "django_language"
        ]
    );
    assert_eq!(cookies[0].duration.text["en"], "2 weeks by default");
}

#[test]
fn a_platform_change_reaches_every_site_that_does_not_override_it() {
    let dir = common::copy_of_sites();
    let platform = dir.path().join("platforms/opendatasoft.ron");
    let text = std::fs::read_to_string(&platform).expect("read");
    let changed = text.replace(
        "Authentication: validates the user's identity for each request.",
        "Authentication: keeps you signed in.",
    );
    assert_ne!(text, changed);
    std::fs::write(&platform, changed).expect("write");
    let ws = load_sites(dir.path());
    let purpose = |id: &str| {
        let site = &ws.site(id).expect("site").site;
        ws.cookies_of(site)[0].purpose["en"].clone()
    };
    assert_eq!(
        purpose("dashboard.paris"),
        "Authentication: keeps you signed in."
    );
    assert_eq!(
        purpose("dataviz.totalenergies.com"),
        "To remember the user from one page to another",
        "dataviz overrides the purpose and keeps its own wording"
    );
}

#[test]
fn broken_files_are_reported_with_their_position_and_the_rest_load() {
    let dir = common::copy_of_sites();
    let good = good_site_text();
    write(
        dir.path(),
        "syntax.ron",
        &good.replacen(
            "name: \"Paris dashboard portal\",",
            "name: \"Paris\" oops,",
            1,
        ),
    );
    write(
        dir.path(),
        "unknown-field.ron",
        &good.replacen(
            "    controller:",
            "    colour: \"red\",\n    controller:",
            1,
        ),
    );
    write(
        dir.path(),
        "wrong-type.ron",
        &good.replacen("policy_version: \"1\"", "policy_version: 1", 1),
    );
    write(
        dir.path(),
        "bad-cookie.ron",
        &good.replacen("name: \"csrftoken\"", "name: \"csrftokenn\"", 1),
    );
    write(
        dir.path(),
        "bad-url.ron",
        &good.replacen("https://dashboard.paris/", "not a url", 1),
    );
    write(dir.path(), "bad..id.ron", &good);
    write(dir.path(), "manifest.json.ron", &good);
    std::fs::write(dir.path().join("latin1.ron"), b"(name: \"Caf\xe9\")").expect("write");

    let ws = load_sites(dir.path());
    assert_eq!(ws.sites.len(), 3, "the three good sites still load");
    let error = |name: &str| {
        ws.errors
            .iter()
            .find(|e| e.path.file_name().is_some_and(|n| n == name))
            .unwrap_or_else(|| panic!("no error for {name}: {:#?}", ws.errors))
            .to_string()
    };
    let syntax = error("syntax.ron");
    assert!(syntax.contains("syntax.ron:4:19:"), "{syntax}");
    let unknown = error("unknown-field.ron");
    assert!(
        unknown.contains("unknown-field.ron:7:") && unknown.contains("colour"),
        "{unknown}"
    );
    let wrong = error("wrong-type.ron");
    assert!(
        wrong.contains("wrong-type.ron:15:") && wrong.to_lowercase().contains("string"),
        "{wrong}"
    );
    let cookie = error("bad-cookie.ron");
    assert!(
        cookie.contains("bad-cookie.ron:102:13:") && cookie.contains("csrftokenn"),
        "{cookie}"
    );
    assert!(error("bad-url.ron").contains("bad-url.ron:5:"));
    assert!(error("bad..id.ron").contains("not a safe site id"));
    assert!(
        error("manifest.json.ron").contains("not a safe site id"),
        "an export names its own manifest so"
    );
    assert!(error("latin1.ron").contains("latin1.ron:1:12: the file is not valid UTF-8"));
}

#[test]
fn list_and_check_go_on_past_a_broken_file() {
    let dir = common::copy_of_sites();
    write(dir.path(), "broken.ron", "(name: \"Broken\", base_url: ");
    let sites = dir.path().to_str().expect("utf-8 path");

    let list = common::policydesk(&["--sites", sites, "list"]);
    assert_eq!(list.status.code(), Some(1));
    let text = common::stdout(&list);
    for id in [
        "dashboard.paris",
        "dataviz.totalenergies.com",
        "tneacademiegrenoble.opendatasoft.com",
    ] {
        assert!(text.contains(id), "{id} missing from {text}");
    }
    assert!(
        text.contains("broken.ron") && text.contains("broken:"),
        "{text}"
    );

    let check = common::policydesk(&["--sites", sites, "check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        common::stderr(&check).contains("broken.ron:1:"),
        "{}",
        common::stderr(&check)
    );
    assert!(common::stdout(&check).contains("3 sites checked, 1 files failed to load"));
}

#[test]
fn saving_an_unchanged_site_gives_the_same_bytes() {
    let dir = common::copy_of_sites();
    let before = load_sites(dir.path());
    for file in &before.sites {
        let on_disk = std::fs::read_to_string(&file.path).expect("read");
        assert_eq!(
            site_text(&file.site).expect("serialize"),
            on_disk,
            "{}",
            file.path.display()
        );
        let mut file = file.clone();
        save_site(&mut file, false).expect("save");
        assert_eq!(std::fs::read_to_string(&file.path).expect("read"), on_disk);
    }
}

#[test]
fn saving_refuses_to_overwrite_another_programs_change() {
    let dir = common::copy_of_sites();
    let ws = load_sites(dir.path());
    let mut file = ws.site("dashboard.paris").expect("site").clone();
    let theirs = good_site_text().replace("Ville de Paris", "Mairie de Paris");
    std::fs::write(&file.path, &theirs).expect("write");
    file.site.controller = "Paris".into();
    match save_site(&mut file, false) {
        Err(policydesk::store::SaveError::Conflict { on_disk, .. }) => assert_eq!(on_disk, theirs),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&file.path).expect("read"),
        theirs,
        "nothing overwritten"
    );
    save_site(&mut file, true).expect("keep mine");
    assert!(
        std::fs::read_to_string(&file.path)
            .expect("read")
            .contains("controller: \"Paris\"")
    );
}

#[test]
fn render_command_writes_each_format() {
    let sites = common::bundled_sites();
    let sites = sites.to_str().expect("utf-8");
    let out = common::policydesk(&[
        "--sites",
        sites,
        "render",
        "dashboard.paris",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::stdout(&out).starts_with("Cookies policy\n\nOpendatasoft uses cookies"));

    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("p.html");
    let out = common::policydesk(&[
        "--sites",
        sites,
        "render",
        "dashboard.paris",
        "--format",
        "html",
        "--out",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let html = std::fs::read_to_string(&file).expect("written");
    assert!(
        html.contains("<html lang=\"fr\">"),
        "default language is French"
    );

    let missing = common::policydesk(&["--sites", sites, "render", "nope.example"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(common::stderr(&missing).contains("no site \"nope.example\""));
    let lang = common::policydesk(&[
        "--sites",
        sites,
        "render",
        "dashboard.paris",
        "--lang",
        "de",
    ]);
    assert_eq!(lang.status.code(), Some(2));
}
