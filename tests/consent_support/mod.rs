//! For the consent-configuration tests: a sites folder whose Paris portal declares cookies of
//! every kind (prefix, regex, localStorage, a third-party domain, hostile text), its export, the
//! consent libraries installed by `.ci/setup` (`tests/consent_libs/node_modules`), a loopback
//! server for pages that load a library with a generated configuration, and a browser tab in a
//! context of its own.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, CaptureScreenshotParams,
};
use chromiumoxide::cdp::browser_protocol::storage::GetCookiesParams;
use chromiumoxide::cdp::browser_protocol::target::CreateTargetParams;
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use policydesk::model::duration::{DAY, MONTH};
use policydesk::model::{
    Category, Consent, CookieDecl, CookieEntry, Duration as Lifetime, DurationValue, MatchKind,
    Party, StorageType, Texts,
};
use policydesk::store;

use crate::audit_support::{Reply, Server};
use crate::browser_support::Shared;

/// Text that would run script if a generator or a library failed to escape it.
pub const HOSTILE: &str = "Ads \"</script><img src=x onerror=\"window.pwned=1\">";

fn texts(en: &str, fr: &str) -> Texts {
    Texts::from([
        ("en".to_string(), en.to_string()),
        ("fr".to_string(), fr.to_string()),
    ])
}

#[allow(clippy::too_many_arguments)]
fn own(
    name: &str,
    matching: MatchKind,
    storage: StorageType,
    provider: &str,
    category: Category,
    purpose: (&str, &str),
    duration: (&str, &str, DurationValue),
    domain: Option<&str>,
) -> CookieDecl {
    CookieDecl {
        name: name.into(),
        matching,
        storage,
        provider: provider.into(),
        category,
        party: if domain.is_some() {
            Party::Third
        } else {
            Party::First
        },
        consent: Some(Consent::Required),
        domain: domain.map(str::to_string),
        purpose: texts(purpose.0, purpose.1),
        duration: Lifetime {
            text: texts(duration.0, duration.1),
            value: duration.2,
        },
        ..Default::default()
    }
}

/// The declarations the fixture adds to the Paris portal's four platform cookies.
pub fn extra_cookies() -> Vec<CookieDecl> {
    vec![
        own(
            "_pk_id.",
            MatchKind::Prefix,
            StorageType::ScriptCookie,
            "Matomo",
            Category::Statistics,
            (
                "Identifies the visitor for audience statistics.",
                "Identifie le visiteur pour les statistiques d'audience.",
            ),
            ("13 months", "13 mois", DurationValue::Seconds(13 * MONTH)),
            None,
        ),
        own(
            "_pk_ses.",
            MatchKind::Prefix,
            StorageType::ScriptCookie,
            "Matomo",
            Category::Statistics,
            (
                "Groups the pages of one visit.",
                "Regroupe les pages d'une même visite.",
            ),
            ("30 minutes", "30 minutes", DurationValue::Seconds(30 * 60)),
            None,
        ),
        own(
            "_hjSession_[0-9]+",
            MatchKind::Regex,
            StorageType::ScriptCookie,
            "Hotjar",
            Category::Statistics,
            (
                "Holds the current session of the heatmap tool.",
                "Conserve la session en cours de l'outil de cartes de chaleur.",
            ),
            ("30 minutes", "30 minutes", DurationValue::Seconds(30 * 60)),
            None,
        ),
        own(
            "player_volume",
            MatchKind::Exact,
            StorageType::LocalStorage,
            "Video player",
            Category::Preferences,
            (
                "Remembers the volume you chose.",
                "Mémorise le volume choisi.",
            ),
            (
                "until deleted",
                "jusqu'à suppression",
                DurationValue::Unknown,
            ),
            None,
        ),
        own(
            "ad_id",
            MatchKind::Exact,
            StorageType::HttpCookie,
            HOSTILE,
            Category::Marketing,
            (
                "Measures <b>ad</b> clicks & views.",
                "Mesure les clics et vues des <b>annonces</b>.",
            ),
            ("90 days", "90 jours", DurationValue::Seconds(90 * DAY)),
            Some(".ads.example.net"),
        ),
    ]
}

/// One cookie as a visitor should find it in a banner's list: its name as shown, its purpose
/// in each language.
pub struct Expected {
    pub shown: String,
    pub purpose_en: String,
    pub purpose_fr: String,
}

/// What every banner must list: the platform's four cookies and [`extra_cookies`].
pub fn expected() -> Vec<Expected> {
    let ws = store::load_sites(&crate::common::bundled_sites());
    let site = &ws.site("dashboard.paris").expect("bundled site").site;
    let mut all = ws.cookies_of(site);
    all.extend(extra_cookies());
    all.iter()
        .map(|d| Expected {
            shown: d.display_name(),
            purpose_en: d.purpose["en"].clone(),
            purpose_fr: d.purpose["fr"].clone(),
        })
        .collect()
}

/// A copy of the bundled sites whose Paris portal also declares [`extra_cookies`], exported
/// with the `policydesk` binary; the folder of the portal in the bundle.
pub struct Fixture {
    _sites: tempfile::TempDir,
    out: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let sites = crate::common::copy_of_sites();
        let path = sites.path().join("dashboard.paris.ron");
        let text = std::fs::read_to_string(&path).expect("read the Paris portal");
        let mut site: policydesk::model::Site =
            store::format::parse(&text).expect("parse the Paris portal");
        site.cookies
            .extend(extra_cookies().into_iter().map(CookieEntry::Own));
        std::fs::write(&path, store::save::site_text(&site).expect("serialise"))
            .expect("write the Paris portal");
        let out = tempfile::tempdir().expect("temp dir");
        let bundle = out.path().join("bundle");
        let done = crate::export_cli::export(sites.path(), &["dashboard.paris"], &bundle, &[]);
        assert!(
            done.status.success(),
            "export failed: {}",
            String::from_utf8_lossy(&done.stderr)
        );
        Fixture { _sites: sites, out }
    }

    pub fn site_dir(&self) -> PathBuf {
        self.out.path().join("bundle").join("dashboard.paris")
    }
}

/// `tests/consent_libs/node_modules`, or none (skipped loudly; a failure under `CI=true`).
pub fn libraries_or_skip(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consent_libs/node_modules");
    let wanted = [
        "klaro/dist/klaro.js",
        "vanilla-cookieconsent/dist/cookieconsent.umd.js",
        "tarteaucitronjs/tarteaucitron.js",
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if missing.is_empty() {
        return Some(dir);
    }
    let why = format!(
        "{} lacks {} (run `npm ci` in tests/consent_libs, as .ci/setup does)",
        dir.display(),
        missing.join(", ")
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true and the consent-library tests cannot run: {why}");
    }
    eprintln!(
        "\n==================== SKIPPED {test} ====================\n{why}\n\
         ========================================================\n"
    );
    None
}

/// The pages of one library: `/page/<lang>.html` loads it with the generated configuration.
pub struct Library {
    /// The configuration's file in the site's folder of the bundle (`consent/klaro.js`).
    pub config: &'static str,
    /// What goes in `<head>` before the configuration (`/lib/…` is node_modules).
    pub before: &'static str,
    /// What goes after it.
    pub after: &'static str,
}

/// Serves `/lib/…` from `libs`, `/site/…` from `site_dir` and `/page/<lang>.html` for `library`.
pub fn serve(libs: PathBuf, site_dir: PathBuf, library: Library) -> Server {
    Server::start(move |path| {
        let path = path.split('?').next().unwrap_or("");
        if path.split('/').any(|part| part == "..") {
            return status(400);
        }
        if let Some(lang) = path
            .strip_prefix("/page/")
            .and_then(|p| p.strip_suffix(".html"))
        {
            return Reply::html(&format!(
                "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
                 <title>Consent test</title>\
                 <script>window.errors = []; window.addEventListener('error', e => window.errors.push(e.message));</script>\
                 {}<script src=\"/site/{}\"></script>{}</head>\
                 <body><main><h1>Portal</h1><p>Page content.</p></main></body></html>",
                library.before, library.config, library.after
            ));
        }
        let file = if let Some(rest) = path.strip_prefix("/lib/") {
            libs.join(rest)
        } else if let Some(rest) = path.strip_prefix("/site/") {
            site_dir.join(rest)
        } else {
            return status(404);
        };
        match std::fs::read(&file) {
            Ok(body) => {
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    Some("json") => "application/json",
                    _ => "application/octet-stream",
                };
                Reply::Full {
                    status: 200,
                    headers: vec![("Content-Type".into(), kind.into())],
                    body,
                }
            }
            Err(_) => status(404),
        }
    })
}

fn status(code: u16) -> Reply {
    Reply::Full {
        status: code,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

/// A tab in a browser context of its own (its own cookies), closed with the context on drop.
pub struct Tab<'a> {
    shared: &'a Shared,
    pub page: Page,
    context: chromiumoxide::cdp::browser_protocol::browser::BrowserContextId,
}

const WAIT: Duration = Duration::from_secs(20);

impl<'a> Tab<'a> {
    pub fn open(shared: &'a Shared, url: &str) -> Tab<'a> {
        let browser = shared.session.browser();
        shared.runtime.block_on(async {
            let context =
                tokio::time::timeout(WAIT, browser.create_browser_context(Default::default()))
                    .await
                    .expect("a browser context in time")
                    .expect("a browser context");
            let mut params = CreateTargetParams::new("about:blank");
            params.browser_context_id = Some(context.clone());
            let page = tokio::time::timeout(WAIT, browser.new_page(params))
                .await
                .expect("a tab in time")
                .expect("a tab");
            tokio::time::timeout(WAIT, page.goto(url))
                .await
                .expect("the page loads in time")
                .expect("the page loads");
            Tab {
                shared,
                page,
                context,
            }
        })
    }

    /// Runs `script` (an expression) in the page and returns its value as JSON.
    pub fn eval(&self, script: &str) -> serde_json::Value {
        self.shared.runtime.block_on(async {
            let mut params = EvaluateParams::new(script);
            params.return_by_value = Some(true);
            params.await_promise = Some(true);
            let reply = tokio::time::timeout(WAIT, self.page.execute(params))
                .await
                .expect("the script answers in time")
                .expect("the script runs");
            if let Some(e) = &reply.result.exception_details {
                panic!("{script}: {e:?}");
            }
            reply.result.result.value.clone().unwrap_or_default()
        })
    }

    /// Waits until `selector` matches a visible element; panics with the page's text if not.
    pub fn wait_visible(&self, selector: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.is_visible(selector) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "{selector} never showed; the page reads: {}; its errors: {}",
            self.eval("document.body.innerText"),
            self.eval("window.errors")
        );
    }

    /// Clicks `control` until `shown` is visible: a library may draw its banner before it listens
    /// to the banner's buttons.
    pub fn open_with(&self, control: &str, shown: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            assert_eq!(self.click_all(control), 1, "one {control}");
            for _ in 0..10 {
                if self.is_visible(shown) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        panic!(
            "{shown} never showed after clicking {control}; the page reads: {}",
            self.eval("document.body.innerText")
        );
    }

    fn is_visible(&self, selector: &str) -> bool {
        let script = format!(
            "(() => {{ const e = document.querySelector({}); \
             return !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'; }})()",
            serde_json::Value::String(selector.into())
        );
        self.eval(&script) == serde_json::Value::Bool(true)
    }

    /// Clicks every element `selector` matches, in document order; how many.
    pub fn click_all(&self, selector: &str) -> u64 {
        let script = format!(
            "(() => {{ const all = [...document.querySelectorAll({})]; all.forEach(e => e.click()); return all.length; }})()",
            serde_json::Value::String(selector.into())
        );
        self.eval(&script).as_u64().unwrap_or(0)
    }

    /// The visible text of `selector` (its `innerText`).
    pub fn text(&self, selector: &str) -> String {
        let script = format!(
            "(() => {{ const e = document.querySelector({}); return e ? e.innerText : ''; }})()",
            serde_json::Value::String(selector.into())
        );
        self.eval(&script).as_str().unwrap_or_default().to_string()
    }

    /// Saves a screenshot as `<dir>/<name>.png` when `CONSENT_SHOTS=dir` is set.
    pub fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("CONSENT_SHOTS") else {
            return;
        };
        // Past the libraries' fade-in.
        std::thread::sleep(Duration::from_millis(800));
        let png = self.shared.runtime.block_on(async {
            let params = CaptureScreenshotParams {
                format: Some(CaptureScreenshotFormat::Png),
                ..Default::default()
            };
            let reply = tokio::time::timeout(WAIT, self.page.execute(params))
                .await
                .expect("a screenshot in time")
                .expect("a screenshot");
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(AsRef::<str>::as_ref(&reply.result.data))
                .expect("PNG data")
        });
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).expect("save screenshot");
    }

    /// Scrolls `selector` and every scrolling box inside it to its end, for a second screenshot.
    pub fn scroll_to_end(&self, selector: &str) {
        let script = format!(
            "(() => {{ const root = document.querySelector({}); if (!root) return 0; \
             const all = [root, ...root.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight); \
             all.forEach(e => e.scrollTop = e.scrollHeight); return all.length; }})()",
            serde_json::Value::String(selector.into())
        );
        self.eval(&script);
    }

    /// Seconds from now until the cookie `name` expires (None: no such cookie, or a session one).
    pub fn cookie_lifetime(&self, name: &str) -> Option<f64> {
        let cookies = self.shared.runtime.block_on(async {
            let params = GetCookiesParams {
                browser_context_id: Some(self.context.clone()),
            };
            tokio::time::timeout(WAIT, self.shared.session.browser().execute(params))
                .await
                .expect("cookies in time")
                .expect("cookies")
                .result
                .cookies
                .clone()
        });
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs_f64();
        cookies
            .iter()
            .find(|c| c.name == name && !c.session)
            .map(|c| c.expires - now)
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        let browser = self.shared.session.browser();
        let context = self.context.clone();
        self.shared.runtime.block_on(async {
            let _ = tokio::time::timeout(WAIT, browser.dispose_browser_context(context)).await;
        });
    }
}

/// Asserts that `text` (a banner's visible text in `lang`) lists every expected cookie with its
/// purpose in that language, and that no hostile markup ran.
pub fn assert_lists_every_cookie(library: &str, lang: &str, text: &str, tab: &Tab) {
    let text = crate::common::collapse(text);
    for cookie in expected() {
        assert!(
            text.contains(&cookie.shown),
            "{library} ({lang}) does not list {}:\n{text}",
            cookie.shown
        );
        let purpose = if lang == "fr" {
            &cookie.purpose_fr
        } else {
            &cookie.purpose_en
        };
        let purpose = crate::common::collapse(purpose);
        assert!(
            text.contains(&purpose),
            "{library} ({lang}) lacks the purpose of {}: {purpose:?}\n{text}",
            cookie.shown
        );
    }
    assert!(
        text.contains(HOSTILE),
        "{library} ({lang}) does not show the provider's name as text:\n{text}"
    );
    assert_eq!(
        tab.eval("typeof window.pwned"),
        serde_json::json!("undefined"),
        "{library} ({lang}): markup from the site file ran"
    );
}
