//! The browser engine against pages served on 127.0.0.1 by the test, in the system's Chromium:
//! what scripts, frames and storage leave behind, every supported consent banner answered
//! both ways, consent findings, hostile pages, and a browser that dies mid-audit.
//!
//! Every test but the crash test shares one browser (`browser_support::shared`).

mod audit_support;
mod browser_support;

use std::time::{Duration, Instant};

use audit_support::{Reply, Server};
use browser_support::{needs_consent, options, run, shared, target};
use policydesk::audit::browser::Phase;
use policydesk::audit::{Kind, Observed, SiteReport, Storage};
use policydesk::check::Severity;
use policydesk::model::StorageType;

fn item<'a>(site: &'a SiteReport, storage: Storage, name: &str) -> Option<&'a Observed> {
    site.observed
        .iter()
        .find(|o| o.storage == storage && o.name == name)
}

fn phases_of(site: &SiteReport, storage: Storage, name: &str) -> Vec<String> {
    item(site, storage, name)
        .map(|o| o.phases.clone())
        .unwrap_or_default()
}

fn page(body: &str) -> Reply {
    Reply::html(&format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"></head><body>{body}</body></html>"
    ))
}

#[test]
fn scripts_frames_and_storage_are_seen_as_a_browser_stores_them() {
    let Some(shared) = shared("scripts_frames_and_storage") else {
        return;
    };
    let server = Server::start(move |path| match path {
        "/" => page(
            r#"<script src="/tracker.js"></script>
            <script>
              var k = ["comp", "uted"].join("_");
              document.cookie = k + "=1; max-age=3600; path=/";
              localStorage.setItem("ls_pref", "dark");
              sessionStorage.setItem("ss_tab", "3");
            </script>
            <script>
              // The same server under another site name: a third party.
              document.write('<iframe src="http://localhost:' + location.port + '/frame"></iframe>');
            </script>"#,
        ),
        "/tracker.js" => Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/javascript".into())],
            body: b"document.cookie = 'file_cookie=1; max-age=7200; path=/';".to_vec(),
        },
        "/frame" => page(
            r#"<script>
              document.cookie = "frame_cookie=1; SameSite=None; Secure; max-age=600; path=/";
              localStorage.setItem("frame_ls", "1");
            </script>"#,
        ),
        _ => page("<p>other page</p>"),
    });
    let ws = browser_support::bundled();
    let t = target(&ws, &server.url("/"), vec![]);
    let report = run(shared, &[t], &options(&[Phase::FirstVisit], 3));
    let site = &report.sites[0];
    assert_eq!(site.engine, policydesk::audit::Engine::Browser);
    assert!(site.error.is_none(), "{:?}", site.error);

    let file = item(site, Storage::Cookie, "file_cookie").expect("the script file's cookie");
    assert_eq!(file.domain, "127.0.0.1");
    assert_eq!(file.lifetime_seconds, Some(7200));
    let computed = item(site, Storage::Cookie, "comp_uted").expect("the computed name");
    assert_eq!(computed.lifetime_seconds, Some(3600));
    let frame = item(site, Storage::Cookie, "frame_cookie").expect("the third-party frame's");
    assert_eq!(frame.domain, "localhost");
    assert!(frame.secure);
    assert_eq!(frame.same_site.as_deref(), Some("None"));
    for (storage, name, host) in [
        (Storage::LocalStorage, "ls_pref", "127.0.0.1"),
        (Storage::SessionStorage, "ss_tab", "127.0.0.1"),
        (Storage::LocalStorage, "frame_ls", "localhost"),
    ] {
        let o = item(site, storage, name).unwrap_or_else(|| panic!("{name} in {storage:?}"));
        assert_eq!(o.domain, host);
        assert_eq!(o.phases, ["first_visit"]);
    }
    // Nothing the HTTP engine would have guessed: no `x` cookie, no inferred one.
    assert!(item(site, Storage::Cookie, "x").is_none());
    // Undeclared storage items are findings that name the item in `cookie`.
    let undeclared: Vec<&str> = site
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Undeclared)
        .filter_map(|f| f.cookie.as_deref())
        .collect();
    for name in [
        "file_cookie",
        "comp_uted",
        "frame_cookie",
        "ls_pref",
        "ss_tab",
        "frame_ls",
    ] {
        assert!(undeclared.contains(&name), "{name} in {undeclared:?}");
    }
    assert!(
        site.third_party_hosts.iter().any(|h| h == "localhost"),
        "{:?}",
        site.third_party_hosts
    );
    let frame_request = site
        .requests
        .iter()
        .find(|r| r.url.ends_with("/frame"))
        .expect("the frame's request");
    assert_eq!(frame_request.resource_type.as_deref(), Some("Document"));
    assert_eq!(frame_request.status, 200);
    assert!(
        site.phases[0]
            .screenshot_png
            .as_ref()
            .is_some_and(|png| png.starts_with(b"\x89PNG"))
    );
}

/// A stand-in banner: `accept` sets a statistics cookie and the choice, `reject` the choice only.
fn banner_page(markup: &str) -> Reply {
    page(&format!(
        r#"{markup}
        <script>
          function choose(all) {{
            if (all) document.cookie = "_ga=GA1.1.42; max-age=3600; path=/";
            document.cookie = "choice=" + (all ? "all" : "none") + "; max-age=3600; path=/";
            document.querySelectorAll(".banner").forEach(b => b.style.display = "none");
          }}
        </script>"#
    ))
}

const BANNERS: &[(&str, &str, &str)] = &[
    (
        "klaro",
        "Klaro",
        r#"<div class="klaro banner"><div class="cookie-notice"><div class="cn-body"><p>Cookies?</p>
           <div class="cn-ok"><div class="cn-buttons">
           <button class="cm-btn cm-btn-danger cn-decline" onclick="choose(false)">I decline</button>
           <button class="cm-btn cm-btn-success" onclick="choose(true)">That's ok</button>
           </div></div></div></div></div>"#,
    ),
    (
        "cookieconsent",
        "CookieConsent (orestbida)",
        r#"<div id="cc-main" class="banner"><div class="cm"><div class="cm__btns">
           <button class="cm__btn" data-role="all" onclick="choose(true)">Accept all</button>
           <button class="cm__btn" data-role="necessary" onclick="choose(false)">Reject all</button>
           </div></div></div>"#,
    ),
    (
        "tarteaucitron",
        "tarteaucitron",
        r#"<div id="tarteaucitronRoot" class="banner"><div id="tarteaucitronAlertBig">
           <button id="tarteaucitronPersonalize2" onclick="choose(true)">OK, tout accepter</button>
           <button id="tarteaucitronAllDenied2" onclick="choose(false)">Tout refuser</button>
           </div></div>"#,
    ),
    (
        "onetrust",
        "OneTrust",
        r#"<div id="onetrust-banner-sdk" class="banner">
           <button id="onetrust-accept-btn-handler" onclick="choose(true)">Accept All Cookies</button>
           <button id="onetrust-reject-all-handler" onclick="choose(false)">Reject All</button></div>"#,
    ),
    (
        "cookiebot",
        "Cookiebot",
        r#"<div id="CybotCookiebotDialog" class="banner">
           <button id="CybotCookiebotDialogBodyButtonDecline" onclick="choose(false)">Deny</button>
           <button id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll" onclick="choose(true)">Allow all</button>
           </div>"#,
    ),
    (
        "didomi",
        "Didomi",
        r#"<div id="didomi-host" class="banner"><div id="didomi-notice">
           <button id="didomi-notice-disagree-button" onclick="choose(false)">Disagree</button>
           <button id="didomi-notice-agree-button" onclick="choose(true)">Agree and close</button>
           </div></div>"#,
    ),
    (
        "axeptio",
        "Axeptio",
        r#"<div id="axeptio_overlay" class="banner"><div class="axeptio_widget">
           <button id="axeptio_btn_dismiss" onclick="choose(false)">Non merci</button>
           <button id="axeptio_btn_acceptAll" onclick="choose(true)">OK pour moi</button>
           </div></div>"#,
    ),
    (
        "own-selectors",
        "site selectors",
        r#"<div class="my-cmp banner"><p>Cookies?</p>
           <span id="nope" role="button" onclick="choose(false)">Nah</span>
           <span id="yes-please" role="button" onclick="choose(true)">Sure thing</span></div>"#,
    ),
    (
        "generic-fr",
        "generic text",
        r#"<div class="bandeau banner"><p>Nous utilisons des cookies pour mesurer l'audience.</p>
           <a href="/mentions">Mentions légales</a>
           <button onclick="choose(false)">Continuer sans accepter</button>
           <a href="javascript:void 0" onclick="choose(true)">Tout accepter</a></div>"#,
    ),
];

#[test]
fn every_supported_banner_is_found_and_accept_and_reject_change_what_is_stored() {
    let Some(shared) = shared("every_supported_banner") else {
        return;
    };
    let server = Server::start(|path| {
        let kind = path.trim_start_matches('/').split('/').next().unwrap_or("");
        match BANNERS.iter().find(|(k, ..)| *k == kind) {
            Some((_, _, markup)) if path == format!("/{kind}/") => banner_page(markup),
            _ => page("<p>policy</p>"),
        }
    });
    let ws = browser_support::bundled();
    let ga = needs_consent("_ga", StorageType::ScriptCookie);
    let choice = policydesk::model::CookieDecl {
        category: policydesk::model::Category::Necessary,
        consent: None,
        ..needs_consent("choice", StorageType::ScriptCookie)
    };
    let targets: Vec<_> = BANNERS
        .iter()
        .map(|(kind, ..)| {
            let mut t = target(
                &ws,
                &server.url(&format!("/{kind}/")),
                vec![ga.clone(), choice.clone()],
            );
            if *kind == "own-selectors" {
                // A banner no rule knows, named by the site file.
                t.site.consent = Some(policydesk::model::ConsentSelectors {
                    accept: Some("#yes-please".into()),
                    reject: Some("#nope".into()),
                });
            }
            t
        })
        .collect();
    let report = run(
        shared,
        &targets,
        &options(&[Phase::AfterReject, Phase::AfterAccept], 3),
    );
    for ((kind, manager, _), site) in BANNERS.iter().zip(&report.sites) {
        assert!(site.error.is_none(), "{kind}: {:?}", site.error);
        let phase = |name: &str| {
            site.phases
                .iter()
                .find(|p| p.name == name)
                .unwrap_or_else(|| panic!("{kind}: no phase {name}"))
        };
        for (name, clicked) in [("after_reject", "reject"), ("after_accept", "accept")] {
            let banner = &phase(name).banner;
            assert!(banner.found, "{kind} {name}: {banner:?}");
            assert_eq!(banner.clicked.as_deref(), Some(clicked), "{kind} {name}");
            let how = banner.how.as_deref().unwrap_or_default();
            assert!(how.starts_with(manager), "{kind}: {how}");
        }
        assert_eq!(
            phases_of(site, Storage::Cookie, "_ga"),
            ["after_accept"],
            "{kind}: the statistics cookie only after accept"
        );
        let choice = phases_of(site, Storage::Cookie, "choice");
        assert_eq!(choice, ["after_reject", "after_accept"], "{kind}");
        let consent_errors: Vec<_> = site
            .findings
            .iter()
            .filter(|f| matches!(f.kind, Kind::SetAfterReject | Kind::SetBeforeConsent))
            .collect();
        assert!(consent_errors.is_empty(), "{kind}: {consent_errors:#?}");
    }
}

#[test]
fn stored_before_consent_or_after_reject_and_missing_or_one_sided_banners_are_findings() {
    let Some(shared) = shared("consent_findings") else {
        return;
    };
    let server = Server::start(|path| match path {
        // Statistics before any choice, still there after reject.
        "/eager/" => platform_cookies(page(
            r#"<script>
                 document.cookie = "_ga=GA1.1.7; max-age=3600; path=/";
                 localStorage.setItem("stat_ls", "1");
               </script>
               <div id="onetrust-banner-sdk">
               <button id="onetrust-accept-btn-handler">Accept</button>
               <button id="onetrust-reject-all-handler" onclick="this.parentNode.remove()">Reject all</button></div>"#,
        )),
        // No banner at all.
        "/silent/" => platform_cookies(page("<p>Welcome</p>")),
        // Accept only.
        "/one-sided/" => platform_cookies(page(
            r#"<div><p>We use cookies.</p><button onclick="this.parentNode.remove()">Accept all</button></div>"#,
        )),
        _ => page("<p>policy</p>"),
    });
    let ws = browser_support::bundled();
    let extra = vec![
        needs_consent("_ga", StorageType::ScriptCookie),
        needs_consent("stat_ls", StorageType::LocalStorage),
    ];
    let targets: Vec<_> = ["/eager/", "/silent/", "/one-sided/"]
        .iter()
        .map(|p| target(&ws, &server.url(p), extra.clone()))
        .collect();
    let report = run(shared, &targets, &options(Phase::ALL, 3));
    let kinds = |site: &SiteReport| -> Vec<(Kind, Severity, Option<String>, Option<String>)> {
        site.findings
            .iter()
            .map(|f| (f.kind, f.severity, f.cookie.clone(), f.phase.clone()))
            .collect()
    };
    let eager = kinds(&report.sites[0]);
    for (kind, name, phase) in [
        (Kind::SetBeforeConsent, "_ga", "first_visit"),
        (Kind::SetBeforeConsent, "stat_ls", "first_visit"),
        (Kind::SetAfterReject, "_ga", "after_reject"),
        (Kind::SetAfterReject, "stat_ls", "after_reject"),
    ] {
        assert!(
            eager.contains(&(kind, Severity::Error, Some(name.into()), Some(phase.into()))),
            "{kind} {name} {phase} in {eager:#?}"
        );
    }
    // The declared platform cookies are strictly necessary: no finding names them.
    for site in &report.sites {
        for f in &site.findings {
            let platform = [
                "csrftoken",
                "sessionid",
                "django_language",
                "cookies_preferences",
            ];
            assert!(
                f.severity == Severity::Info
                    || !f.cookie.as_deref().is_some_and(|c| platform.contains(&c)),
                "a false alarm on a declared platform cookie: {f}"
            );
        }
    }
    let silent = kinds(&report.sites[1]);
    assert!(
        silent.iter().any(|(k, s, _, p)| *k == Kind::BannerNotFound
            && *s == Severity::Warning
            && p.as_deref() == Some("after_reject")),
        "{silent:#?}"
    );
    let one_sided = kinds(&report.sites[2]);
    assert!(
        one_sided
            .iter()
            .any(|(k, _, _, p)| *k == Kind::NoRejectOption && p.as_deref() == Some("after_reject")),
        "{one_sided:#?}"
    );
    assert!(!one_sided.iter().any(|(k, ..)| *k == Kind::BannerNotFound));
    let one_sided_reject = &report.sites[2].phases[1];
    assert_eq!(one_sided_reject.name, "after_reject");
    assert!(one_sided_reject.banner.found && one_sided_reject.banner.clicked.is_none());
}

/// The four platform cookies, as the platform file declares them.
fn platform_cookies(reply: Reply) -> Reply {
    reply
        .with(
            "Set-Cookie",
            "csrftoken=t; Max-Age=31449600; Path=/; SameSite=Lax",
        )
        .with(
            "Set-Cookie",
            "sessionid=s; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax",
        )
        .with("Set-Cookie", "django_language=fr; Max-Age=31536000; Path=/")
}

#[test]
fn hostile_pages_never_hang_the_audit() {
    let Some(shared) = shared("hostile_pages") else {
        return;
    };
    let server = Server::start(|path| match path {
        // Never reaches network idle: a request every 100 ms, each answered slowly.
        "/busy/" => page(
            r#"<script>setInterval(() => fetch("/busy/ping?" + Math.random()), 100);</script>"#,
        ),
        p if p.starts_with("/busy/ping") => {
            Reply::Delayed(Duration::from_millis(300), Box::new(page("pong")))
        }
        // Opens popups, again and again.
        "/popups/" => page(
            r#"<script>
                 for (let i = 0; i < 10; i++) window.open("/popups/p" + i);
                 setInterval(() => window.open("/popups/again"), 200);
                 document.cookie = "popup_parent=1; path=/";
               </script>"#,
        ),
        // Reloads itself for ever.
        "/reload/" => page(
            r#"<script>document.cookie = "reloads=1; path=/"; setTimeout(() => location.reload(), 30);</script>"#,
        ),
        _ => page("<p>plain</p>"),
    });
    let ws = browser_support::bundled();
    let targets: Vec<_> = ["/busy/", "/popups/", "/reload/"]
        .iter()
        .map(|p| target(&ws, &server.url(p), vec![]))
        .collect();
    let start = Instant::now();
    let mut opts = options(&[Phase::FirstVisit, Phase::AfterAccept], 2);
    opts.fetch.timeout = Duration::from_secs(6);
    let report = run(shared, &targets, &opts);
    let took = start.elapsed();
    // Two phases of three pages, each bounded by the 2 s idle wait and the 6 s page bound.
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let busy = &report.sites[0];
    assert!(
        busy.notes.iter().any(|n| n.contains("still busy")),
        "{:?}",
        busy.notes
    );
    assert_eq!(busy.phases.len(), 2);
    assert!(phases_of(&report.sites[1], Storage::Cookie, "popup_parent").len() == 2);
    let reload = &report.sites[2];
    assert_eq!(reload.phases.len(), 2, "{reload:#?}");
    assert!(
        item(reload, Storage::Cookie, "reloads").is_some() || reload.error.is_some(),
        "{reload:#?}"
    );
    // The browser survived and still audits a plain page.
    assert!(shared.session.is_alive());
    let plain = run(
        shared,
        &[target(&ws, &server.url("/plain/"), vec![])],
        &options(&[Phase::FirstVisit], 2),
    );
    assert!(plain.sites[0].error.is_none(), "{:?}", plain.sites[0].error);
}
