//! `diff`, `export --previous` and `check --previous`: two exports of the bundled portals with
//! known edits in between, compared as folders, zips and sites folders; bad inputs; the version
//! rule.

mod common;
#[path = "common/export_cli.rs"]
mod export_cli;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{stderr, stdout};
use serde_json::{Value, json};

const EPOCH: &str = "1790000000";

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policydesk"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run policydesk")
}

fn diff(old: &Path, new: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["diff".as_ref(), old.as_os_str(), new.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(&args)
}

fn diff_json(old: &Path, new: &Path) -> (Option<i32>, Value) {
    let out = diff(old, new, &["--format", "json"]);
    let json = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), json)
}

fn export(sites: &Path, out: &Path, extra: &[&str]) -> Output {
    let output = export_cli::command(sites, &["--all"], out, extra)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run policydesk");
    assert!(output.status.success(), "export: {}", stderr(&output));
    output
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("site file");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// The edits made between the two exports: a cookie added, one removed, a platform cookie's
/// duration overridden, one English sentence reworded; version and review date moved forward.
fn make_edits(sites: &Path, bump: bool) {
    let paris = sites.join("dashboard.paris.ron");
    edit(
        &paris,
        "        Platform(\n            name: \"django_language\",\n        ),\n",
        "        Own(\n            name: \"_pk_id.\",\n            matching: Prefix,\n            \
         provider: \"Matomo\",\n            category: Statistics,\n            purpose: {\"en\": \
         \"Counts visits\", \"fr\": \"Compte les visites\"},\n            duration: (text: \
         {\"en\": \"13 months\", \"fr\": \"13 mois\"}, value: Seconds(34186698)),\n        ),\n",
    );
    edit(
        &paris,
        "        Platform(\n            name: \"csrftoken\",\n        ),\n",
        "        Platform(\n            name: \"csrftoken\",\n            duration_text: {\"en\": \
         \"6 months\", \"fr\": \"6 mois\"},\n            duration_value: Seconds(15778476),\n        ),\n",
    );
    edit(
        &paris,
        "Opendatasoft uses cookies on its website.",
        "Opendatasoft uses a few cookies on its website.",
    );
    if bump {
        edit(&paris, "policy_version: \"1\"", "policy_version: \"2\"");
        edit(
            &paris,
            "last_review: \"2026-11-23\"",
            "last_review: \"2026-11-24\"",
        );
    }
}

struct Setup {
    _temp: tempfile::TempDir,
    before_sites: tempfile::TempDir,
    after_sites: tempfile::TempDir,
    old: PathBuf,
    new_zip: PathBuf,
}

/// Two sites folders (before and after the edits) and an export of each: a folder, then a zip.
fn setup(bump: bool) -> Setup {
    let temp = tempfile::tempdir().expect("temp dir");
    let before_sites = common::copy_of_sites();
    let after_sites = common::copy_of_sites();
    let old = temp.path().join("old");
    export(before_sites.path(), &old, &[]);
    make_edits(after_sites.path(), bump);
    let new_zip = temp.path().join("new.zip");
    export(after_sites.path(), &new_zip, &["--zip"]);
    Setup {
        _temp: temp,
        before_sites,
        after_sites,
        old,
        new_zip,
    }
}

/// (field, lang) of a list of field changes.
fn fields(list: &Value) -> Vec<(String, Option<String>)> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_string(),
                f["lang"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|c| c["display_name"].as_str().unwrap_or_default())
        .collect()
}

/// What the diff of the edits must say, and nothing more.
fn assert_exactly_the_edits(changes: &Value, bump: bool) {
    assert_eq!(changes["sites_added"], json!([]), "{changes:#}");
    assert_eq!(changes["sites_removed"], json!([]), "{changes:#}");
    let sites = changes["sites"].as_array().expect("sites");
    assert_eq!(sites.len(), 1, "only dashboard.paris changed: {changes:#}");
    let paris = &sites[0];
    assert_eq!(paris["site"], "dashboard.paris");
    let expected_fields = if bump {
        json!([
            { "field": "policy_version", "lang": null, "old": "1", "new": "2" },
            { "field": "last_review", "lang": null, "old": "2026-11-23", "new": "2026-11-24" },
        ])
    } else {
        json!([])
    };
    assert_eq!(paris["fields"], expected_fields);
    assert_eq!(paris["languages_added"], json!([]));
    assert_eq!(paris["languages_removed"], json!([]));
    assert_eq!(names(&paris["cookies"]["added"]), ["_pk_id.*"]);
    assert_eq!(paris["cookies"]["added"][0]["provider"], "Matomo");
    assert_eq!(names(&paris["cookies"]["removed"]), ["django_language"]);
    let changed = paris["cookies"]["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert_eq!(changed[0]["name"], "csrftoken");
    let csrf = &changed[0]["changes"];
    assert_eq!(
        fields(csrf),
        [
            ("duration".to_string(), None),
            ("duration_text".to_string(), Some("fr".to_string())),
            ("duration_text".to_string(), Some("en".to_string())),
        ],
        "languages in the site's order"
    );
    assert_eq!(csrf[0]["new"], "6 months");
    assert_eq!(csrf[1]["new"], "6 mois");
    assert_eq!(csrf[2]["new"], "6 months");
    let sections = paris["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), 1, "one reworded sentence: {sections:#?}");
    assert_eq!(sections[0]["lang"], "en");
    assert_eq!(sections[0]["change"], "changed");
    assert_eq!(sections[0]["heading"], "Cookies policy");
    let edits: Vec<(&str, &str)> = sections[0]["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter(|w| w["op"] != "equal")
        .map(|w| {
            (
                w["op"].as_str().unwrap_or(""),
                w["text"].as_str().unwrap_or("").trim(),
            )
        })
        .collect();
    assert_eq!(edits, [("insert", "a few")]);
    assert_eq!(paris["content_changed"], true);
}

#[test]
fn diff_between_two_exports_names_exactly_the_edits() {
    let s = setup(true);
    // Folder against zip.
    let (code, changes) = diff_json(&s.old, &s.new_zip);
    assert_eq!(code, Some(1), "changes exit 1");
    assert_exactly_the_edits(&changes, true);
    assert_eq!(changes["sites"][0]["findings"], json!([]));
    assert_eq!(changes["old"]["kind"], "bundle");
    assert_eq!(changes["summary"]["cookies_added"], 1);

    // The same for people.
    let out = diff(&s.old, &s.new_zip, &[]);
    let text = stdout(&out);
    for line in [
        "  policy_version: \"1\" → \"2\"",
        "  + cookie _pk_id.* (Matomo, statistics, 13 months)",
        "  - cookie django_language",
        "  ~ cookie csrftoken",
        "      duration_text (en): \"Token randomly reset between two requests or two sessions. \
         Up to 12 months\" → \"6 months\"",
        "  ~ section (en) \"Cookies policy\"",
        "      Opendatasoft uses {+a few+} cookies on its website.",
    ] {
        assert_line(&text, line);
    }
    assert!(!text.contains("dataviz"), "{text}");

    // Sites folders, and one of each, say the same.
    let (code, folders) = diff_json(s.before_sites.path(), s.after_sites.path());
    assert_eq!(code, Some(1));
    assert_eq!(folders["sites"], changes["sites"]);
    assert_eq!(folders["old"]["kind"], "sites_folder");
    let (_, mixed) = diff_json(&s.old, s.after_sites.path());
    assert_eq!(mixed["sites"], changes["sites"]);

    // Filters: another site has no changes; French shows no text change but the cookies.
    let (code, other) = diff_json_with(&s, &["--site", "dataviz.totalenergies.com"]);
    assert_eq!((code, other["sites"].clone()), (Some(0), json!([])));
    let (_, french) = diff_json_with(&s, &["--lang", "fr"]);
    assert_eq!(french["sites"][0]["sections"], json!([]));
    assert_eq!(
        fields(&french["sites"][0]["cookies"]["changed"][0]["changes"]),
        [
            ("duration".to_string(), None),
            ("duration_text".to_string(), Some("fr".to_string()))
        ]
    );
}

/// `text` has a line starting with `line`.
fn assert_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l.starts_with(line)),
        "no line {line:?} in:\n{text}"
    );
}

fn diff_json_with(s: &Setup, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["--format", "json"];
    args.extend(extra);
    let out = diff(&s.old, &s.new_zip, &args);
    let json = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&out)));
    (out.status.code(), json)
}

#[test]
fn the_same_sites_as_folder_and_zip_have_no_changes() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let (folder, zip) = (temp.path().join("b"), temp.path().join("b.zip"));
    export(sites.path(), &folder, &[]);
    export(sites.path(), &zip, &["--zip"]);
    for (old, new) in [
        (&folder, &zip),
        (&zip, &folder),
        (&folder, &sites.path().to_path_buf()),
    ] {
        let out = diff(old, new, &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(stdout(&out).ends_with("no changes\n"), "{}", stdout(&out));
    }
}

#[test]
fn bad_inputs_are_refused_naming_the_path() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let (folder, zip) = (temp.path().join("b"), temp.path().join("b.zip"));
    export(sites.path(), &folder, &[]);
    export(sites.path(), &zip, &["--zip"]);
    let refused = |old: &Path, new: &Path, says: &str| {
        let out = diff(old, new, &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
        assert!(err.contains(says), "{says:?} not in {err}");
    };

    let missing = temp.path().join("nowhere");
    refused(
        &missing,
        &zip,
        &format!("{}: No such file", missing.display()),
    );

    // A zip cut in half.
    let bytes = std::fs::read(&zip).expect("zip");
    let cut = temp.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    refused(
        &folder,
        &cut,
        &format!("{}: neither a folder nor a zip", cut.display()),
    );

    // A zip whose site file was changed after export.
    let tampered = temp.path().join("tampered.zip");
    common::rewrite_zip(&zip, &tampered, |entries| {
        for (name, bytes) in entries.iter_mut() {
            if name == "dashboard.paris/site.ron" {
                let text = String::from_utf8_lossy(bytes)
                    .replace("Paris dashboard portal", "Paris dashboard portaL");
                *bytes = text.into_bytes();
            }
        }
    });
    refused(
        &tampered,
        &folder,
        &format!(
            "{}: the bundle does not match its manifest (changed: dashboard.paris/site.ron)",
            tampered.display()
        ),
    );

    // A folder that is neither a bundle nor a sites folder.
    let stray = temp.path().join("stray");
    std::fs::create_dir(&stray).expect("mkdir");
    std::fs::write(stray.join("notes.txt"), "hello").expect("write");
    refused(
        &stray,
        &folder,
        &format!("{}: neither a bundle", stray.display()),
    );

    // A sites folder with a broken file: an error, not a site removed.
    let broken = common::copy_of_sites();
    edit(
        &broken.path().join("dashboard.paris.ron"),
        "layout: WithDurations",
        "layout: Wide",
    );
    refused(
        broken.path(),
        &folder,
        "dashboard.paris.ron:14:13: Unexpected variant named `Wide`",
    );

    // Filters that name nothing.
    let out = diff(&folder, &zip, &["--site", "nope.example"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no site \"nope.example\""),
        "{}",
        stderr(&out)
    );
    let out = diff(&folder, &zip, &["--lang", "de"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("publishes \"de\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_team_catalog_file_does_not_stop_comparing_a_sites_folder() {
    // The catalog is the team's cookie knowledge: it publishes nothing, so a diff of the sites
    // folder against its own export still finds no change (the checks report the file).
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let folder = temp.path().join("b");
    export(sites.path(), &folder, &[]);
    std::fs::create_dir_all(sites.path().join("catalog")).expect("mkdir");
    std::fs::write(sites.path().join("catalog/team.ron"), "( entries: [ (").expect("write");
    let out = diff(sites.path(), &folder, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A broken site file still stops it.
    edit(
        &sites.path().join("dashboard.paris.ron"),
        "layout: WithDurations",
        "layout: Wide",
    );
    assert_eq!(diff(sites.path(), &folder, &[]).status.code(), Some(2));
}

#[test]
fn a_group_heading_and_a_cell_of_the_pages_own_columns_are_changes() {
    let sites = common::copy_of_sites();
    let temp = tempfile::tempdir().expect("temp dir");
    let before = temp.path().join("before");
    export(sites.path(), &before, &[]);
    // The page's rows under a heading, and a "Type" column of its own for the session cookie.
    edit(
        &sites.path().join("dashboard.paris.ron"),
        "        Platform(\n            name: \"sessionid\",\n        ),\n",
        "        Platform(\n            name: \"sessionid\",\n            \
         other_cells: {1: {\"en\": \"HTTP\"}},\n            \
         group: {\"en\": \"Strictly necessary\"},\n        ),\n",
    );
    let (code, json) = diff_json(&before, sites.path());
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(json["sites"][0]["site"], "dashboard.paris", "{json:#}");
    let changed = &json["sites"][0]["cookies"]["changed"];
    let session = changed
        .as_array()
        .and_then(|list| list.iter().find(|c| c["name"] == "sessionid"))
        .unwrap_or_else(|| panic!("sessionid unchanged: {json:#}"));
    assert_eq!(
        session["changes"],
        json!([
            { "field": "group", "lang": "en", "old": null, "new": "Strictly necessary" },
            { "field": "other column 2", "lang": "en", "old": null, "new": "HTTP" },
        ]),
        "{json:#}"
    );
}

#[test]
fn export_with_previous_writes_the_changes_into_the_bundle() {
    let s = setup(true);
    let temp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (temp.path().join("a.zip"), temp.path().join("b.zip"));
    for out in [&a, &b] {
        export(
            s.after_sites.path(),
            out,
            &["--zip", "--previous", s.old.to_str().expect("utf-8")],
        );
    }
    // Reproducible, and verified like every other file.
    assert!(
        std::fs::read(&a).expect("a") == std::fs::read(&b).expect("b"),
        "two exports with --previous are byte-identical"
    );
    let verified = common::policydesk(&["verify", a.to_str().expect("utf-8")]);
    assert!(verified.status.success(), "{}", stdout(&verified));

    let folder = temp.path().join("folder");
    export(
        s.after_sites.path(),
        &folder,
        &["--previous", s.old.to_str().expect("utf-8")],
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).expect("manifest"))
            .expect("json");
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(
        listed.contains(&"CHANGES.md") && listed.contains(&"changes.json"),
        "{listed:?}"
    );

    let written: Value =
        serde_json::from_slice(&std::fs::read(folder.join("changes.json")).expect("changes.json"))
            .expect("json");
    assert_exactly_the_edits(&written, true);
    assert_eq!(
        written["new"],
        json!({ "path": ".", "kind": "bundle", "generated_at": "2026-09-21T14:13:20Z" })
    );
    let (_, printed) = diff_json(&s.old, &s.new_zip);
    assert_eq!(written["sites"], printed["sites"]);

    let markdown = std::fs::read_to_string(folder.join("CHANGES.md")).expect("CHANGES.md");
    for line in [
        "## dashboard.paris",
        "- Cookie added: **\\_pk\\_id.\\*** (Matomo, statistics, 13 months)",
        "- Cookie removed: **django\\_language**",
        "- Cookie changed: **csrftoken**: duration: up to 1 year → 6 months;",
        "- Section changed (en) \"Cookies policy\": Opendatasoft uses **a few** cookies on its website.",
    ] {
        assert_line(&markdown, line);
    }
    assert!(!markdown.contains("dataviz"), "{markdown}");

    // A previous bundle that cannot be read stops the export before anything is written.
    let out = export_cli::export(
        s.after_sites.path(),
        &["--all"],
        &temp.path().join("never"),
        &["--previous", "/no/such/bundle"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such/bundle"), "{}", stderr(&out));
    assert!(!temp.path().join("never").exists());
}

fn check_previous(sites: &Path, previous: &Path) -> Output {
    run(&[
        "--sites".as_ref(),
        sites.as_os_str(),
        "check".as_ref(),
        "--previous".as_ref(),
        previous.as_os_str(),
    ])
}

const RULE: &str = "version-not-advanced";

#[test]
fn version_not_advanced_fires_when_content_changed_without_a_new_version() {
    let s = setup(false);
    // check --previous: the edited site, only it, for both its version and its date.
    let out = check_previous(s.after_sites.path(), &s.old);
    let text = stdout(&out);
    let fired: Vec<&str> = text.lines().filter(|l| l.contains(RULE)).collect();
    assert_eq!(
        fired,
        [
            "error[version-not-advanced] dashboard.paris: the published content changed but \
             policy_version is still \"1\"",
            "error[version-not-advanced] dashboard.paris: the published content changed but \
             last_review is still \"2026-11-23\"",
        ],
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
    // Plain check knows nothing of it.
    let plain = run(&[
        "--sites".as_ref(),
        s.after_sites.path().as_os_str(),
        "check".as_ref(),
    ]);
    assert!(!stdout(&plain).contains(RULE), "{}", stdout(&plain));
    // diff and export --previous say it too.
    let (_, changes) = diff_json(&s.old, &s.new_zip);
    assert_exactly_the_edits(&changes, false);
    let rules: Vec<&str> = changes["sites"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, [RULE, RULE]);
    let folder = s._temp.path().join("with-previous");
    let out = export(
        s.after_sites.path(),
        &folder,
        &["--previous", s.old.to_str().expect("utf-8")],
    );
    assert!(stderr(&out).contains(RULE), "{}", stderr(&out));
    let markdown = std::fs::read_to_string(folder.join("CHANGES.md")).expect("CHANGES.md");
    assert!(markdown.contains("- **error** `version-not-advanced`: the published content changed"));
}

#[test]
fn version_not_advanced_is_quiet_when_versions_moved_or_nothing_changed() {
    // Moved forward with the edits.
    let s = setup(true);
    let out = check_previous(s.after_sites.path(), &s.old);
    assert!(!stdout(&out).contains(RULE), "{}", stdout(&out));
    // Nothing changed at all.
    let out = check_previous(s.before_sites.path(), &s.old);
    assert!(!stdout(&out).contains(RULE), "{}", stdout(&out));
    // A version moved back is said even with nothing else changed.
    let back = common::copy_of_sites();
    edit(
        &back.path().join("dashboard.paris.ron"),
        "last_review: \"2026-11-23\"",
        "last_review: \"2026-10-01\"",
    );
    let out = check_previous(back.path(), &s.old);
    let text = stdout(&out);
    let fired: Vec<&str> = text.lines().filter(|l| l.contains(RULE)).collect();
    assert_eq!(
        fired,
        [
            "error[version-not-advanced] dashboard.paris: last_review went back from 2026-11-23 to 2026-10-01"
        ],
        "{text}"
    );
}
