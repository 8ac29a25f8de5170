//! One Chromium shared by every test of a test binary (it is launched once, on first use, and
//! killed with its whole process group when the binary exits), and audits run in it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use policydesk::audit::browser::{Phase, Session, find_browser};
use policydesk::audit::{AuditOptions, Cancel, EngineChoice, Report, Target, audit_with};
use policydesk::model::{Category, Consent, CookieDecl, CookieEntry, Site};
use policydesk::store::{Workspace, load_sites};
use url::Url;

/// The browser to test with. With `CI=true` a missing browser fails the test; elsewhere the
/// test says loudly that it was skipped.
pub fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match find_browser(None) {
        Ok(path) => Some(path),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true and the browser tests cannot run: {e}")
        }
        Err(e) => {
            eprintln!(
                "\n==================== SKIPPED {test} ====================\n\
                 no browser for the browser tests: {e}\n\
                 ========================================================\n"
            );
            None
        }
    }
}

pub struct Shared {
    pub runtime: tokio::runtime::Runtime,
    pub session: Session,
}

static SHARED: OnceLock<Option<Shared>> = OnceLock::new();
static GROUP: OnceLock<i32> = OnceLock::new();

extern "C" fn end_browser() {
    if let Some(&group) = GROUP.get() {
        // SAFETY: kill(2) on the browser's own process group; no memory is touched.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
}

/// The browser shared by this test binary, or none (skipped) when there is no browser.
pub fn shared(test: &str) -> Option<&'static Shared> {
    let path = browser_or_skip(test)?;
    SHARED
        .get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("test runtime");
            let session = runtime
                .block_on(Session::launch(&path))
                .unwrap_or_else(|e| panic!("the browser does not start: {e}"));
            // A static is never dropped: end the browser when the test binary exits.
            let _ = GROUP.set(session.pid() as i32);
            // SAFETY: registers a plain function with no captured state.
            unsafe {
                libc::atexit(end_browser);
            }
            Some(Shared { runtime, session })
        })
        .as_ref()
}

/// Audit options for tests: short bounds, the phases asked.
pub fn options(phases: &[Phase], idle_secs: u64) -> AuditOptions {
    AuditOptions {
        engine: EngineChoice::Browser,
        phases: phases.to_vec(),
        idle: Duration::from_secs(idle_secs),
        concurrency: 4,
        ..AuditOptions::default()
    }
    .with_timeout(Duration::from_secs(15))
}

pub fn run(shared: &Shared, targets: &[Target], options: &AuditOptions) -> Report {
    shared
        .runtime
        .block_on(audit_with(
            Some(&shared.session),
            targets,
            options,
            &|_| {},
            &Cancel::new(),
        ))
        .expect("the audit runs")
}

pub fn bundled() -> Workspace {
    load_sites(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sites"))
}

/// dashboard.paris as bundled, plus own declarations of `extra`, audited at `url`.
pub fn target(ws: &Workspace, url: &str, extra: Vec<CookieDecl>) -> Target {
    let mut site: Site = ws
        .site("dashboard.paris")
        .expect("bundled site")
        .site
        .clone();
    site.cookies.extend(extra.into_iter().map(CookieEntry::Own));
    let decls = ws.cookies_of(&site);
    Target {
        site,
        decls,
        url: Url::parse(url).expect("test url"),
    }
}

/// A declaration of a statistics cookie (or storage item) that needs consent.
pub fn needs_consent(name: &str, storage: policydesk::model::StorageType) -> CookieDecl {
    CookieDecl {
        name: name.into(),
        storage,
        provider: "Test".into(),
        category: Category::Statistics,
        consent: Some(Consent::Required),
        ..Default::default()
    }
}
