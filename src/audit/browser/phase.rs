//! One phase of a browser audit: a fresh browser context (its own cookie jar and storage), the
//! site's pages loaded one after the other with the network watched, the banner answered as
//! the phase asks, and everything the browser then holds read back.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::network::SetCookieControlsParams;
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, CaptureScreenshotParams, CreateIsolatedWorldParams, FrameTree,
    GetFrameTreeParams, NavigateParams,
};
use chromiumoxide::cdp::browser_protocol::storage::GetCookiesParams;
use chromiumoxide::cdp::browser_protocol::target::CreateTargetParams;
use chromiumoxide::cdp::js_protocol::runtime::{EvaluateParams, ExecutionContextId};
use serde_json::Value;
use url::Url;

mod network;

use super::consent::{self, Action, Outcome};
use super::launch::Session;
use crate::audit::observe::Role;
use crate::audit::report::{Banner, Hop, Observed, PhaseReport, Source, Storage};
use crate::audit::run::Target;
use network::{Net, cookie_name, settle, watch_network};

/// The three phases, each in a fresh profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// Load and wait; no interaction.
    FirstVisit,
    /// Click the banner's reject-all control, then wait.
    AfterReject,
    /// Click the banner's accept-all control, then wait.
    AfterAccept,
}

impl Phase {
    pub const ALL: &'static [Phase] = &[Phase::FirstVisit, Phase::AfterReject, Phase::AfterAccept];

    pub fn name(self) -> &'static str {
        match self {
            Phase::FirstVisit => "first_visit",
            Phase::AfterReject => "after_reject",
            Phase::AfterAccept => "after_accept",
        }
    }

    pub fn parse(name: &str) -> Option<Phase> {
        Phase::ALL.iter().copied().find(|p| p.name() == name)
    }

    fn action(self) -> Action {
        match self {
            Phase::FirstVisit => Action::None,
            Phase::AfterReject => Action::Reject,
            Phase::AfterAccept => Action::Accept,
        }
    }
}

/// Bounds of a phase.
#[derive(Clone, Debug)]
pub struct Bounds {
    /// The most one page may take to load (navigation and network idle together).
    pub page: Duration,
    /// The most the network may stay busy before the page is read anyway.
    pub idle: Duration,
    /// The most bytes of a page's markup kept.
    pub body_cap: usize,
}

/// The most one DevTools call may take: a page whose script never yields cannot hold it.
const CALL: Duration = Duration::from_secs(5);
/// A page's markup as the browser holds it after the phase's wait.
pub struct LoadedPage {
    pub role: Role,
    pub url: Url,
    pub status: u16,
    pub html: String,
}

/// What one phase saw.
pub struct PhaseData {
    pub phase: Phase,
    pub report: PhaseReport,
    pub consent: Outcome,
    /// Cookies and storage items, each marked with this phase.
    pub items: Vec<Observed>,
    pub requests: Vec<Hop>,
    pub pages: Vec<LoadedPage>,
    /// Worth knowing, no failure: a network that never settled.
    pub notes: Vec<String>,
}

/// A JSON string of a protocol enum (`"Document"`, `"script"`).
fn enum_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

async fn call<F: std::future::Future<Output = Result<T, chromiumoxide::error::CdpError>>, T>(
    what: &str,
    future: F,
) -> Result<T, String> {
    match tokio::time::timeout(CALL, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!("{what}: no answer within {} s", CALL.as_secs())),
    }
}

/// Runs `phase` for `target` in a context of its own, which is disposed of afterwards.
pub async fn run(session: &Session, target: &Target, phase: Phase, bounds: &Bounds) -> PhaseData {
    let mut data = PhaseData {
        phase,
        report: PhaseReport {
            name: phase.name().into(),
            ..Default::default()
        },
        consent: Outcome::default(),
        items: Vec::new(),
        requests: Vec::new(),
        pages: Vec::new(),
        notes: Vec::new(),
    };
    let browser = &session.browser;
    let context = match call(
        "creating a browser context",
        browser.create_browser_context(Default::default()),
    )
    .await
    {
        Ok(id) => id,
        Err(e) => {
            data.report.error = Some(e);
            return data;
        }
    };
    let mut params = CreateTargetParams::new("about:blank");
    params.browser_context_id = Some(context.clone());
    match call("opening a page", browser.new_page(params)).await {
        Ok(page) => {
            if let Err(e) = in_page(session, &page, target, &mut data, bounds, &context).await {
                data.report.error = Some(e);
            }
            let _ = tokio::time::timeout(CALL, page.close()).await;
        }
        Err(e) => data.report.error = Some(e),
    }
    // Disposing of the context closes whatever the phase opened (popups included).
    let _ = tokio::time::timeout(CALL, browser.dispose_browser_context(context)).await;
    data
}

async fn in_page(
    session: &Session,
    page: &Page,
    target: &Target,
    data: &mut PhaseData,
    bounds: &Bounds,
    context: &chromiumoxide::cdp::browser_protocol::browser::BrowserContextId,
) -> Result<(), String> {
    let net = Arc::new(Mutex::new(Net::new()));
    // A fresh context is off the record, where Chromium blocks third-party cookies; a
    // visitor's ordinary profile does not, and the audit must see what it stores.
    call(
        "allowing third-party cookies",
        page.execute(SetCookieControlsParams::new(false, false, false)),
    )
    .await?;
    let watchers = watch_network(page, &net).await?;
    let result = load_pages(session, page, target, data, bounds, &net).await;
    for w in watchers {
        w.abort();
    }
    // The jar holds every cookie of the context: all domains, third-party frames included.
    let params = GetCookiesParams {
        browser_context_id: Some(context.clone()),
    };
    let cookies = call("reading the cookies", session.browser.execute(params))
        .await
        .map(|r| r.result.cookies.clone());
    let net = net.lock().map_err(|_| "the network record was poisoned")?;
    let requests = net.requests();
    data.requests = requests.iter().map(|r| r.hop(data.phase)).collect();
    let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos() as f64 / 1e9;
    let base = target.url.to_string();
    for c in cookies? {
        let header = requests.iter().find_map(|r| {
            r.set_cookie
                .iter()
                .find(|line| cookie_name(line) == Some(c.name.as_str()))
                .map(|line| (line.clone(), r.url.clone()))
        });
        let (source, evidence, url) = match header {
            Some((line, url)) => (Source::Header, line, url),
            None => (
                Source::Script,
                "set by a script: no response header carried it".to_string(),
                base.clone(),
            ),
        };
        let lifetime = (!c.session && c.expires > now).then(|| whole_lifetime(c.expires - now));
        data.items.push(Observed {
            name: c.name.clone(),
            domain: c.domain.trim_start_matches('.').to_ascii_lowercase(),
            path: c.path.clone(),
            lifetime_seconds: lifetime,
            secure: c.secure,
            http_only: c.http_only,
            same_site: c.same_site.as_ref().map(enum_name),
            source,
            service: None,
            evidence,
            url,
            storage: Storage::Cookie,
            phases: vec![data.phase.name().into()],
            known: Vec::new(),
        });
    }
    result
}

/// A lifetime read back from an expiry date: the moment the cookie was set is a little
/// before now, so a lifetime of some minutes or more is rounded to the minute it was given in.
fn whole_lifetime(seconds: f64) -> u64 {
    let s = seconds.round() as u64;
    if s >= 600 { s.div_ceil(60) * 60 } else { s }
}

async fn load_pages(
    session: &Session,
    page: &Page,
    target: &Target,
    data: &mut PhaseData,
    bounds: &Bounds,
    net: &Mutex<Net>,
) -> Result<(), String> {
    let mut notes = Vec::new();
    for (role, url) in target.pages() {
        if !session.is_alive() {
            return Err("the browser ended unexpectedly".into());
        }
        if let Ok(mut n) = net.lock() {
            n.touch();
        }
        // Navigation answers once the response starts (a body that never ends cannot hold it
        // longer than the page bound).
        let navigated = tokio::time::timeout(
            bounds.page,
            page.execute(NavigateParams::new(url.to_string())),
        )
        .await;
        let error_text = match navigated {
            Ok(Ok(r)) => r.result.error_text.clone(),
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some(format!("no answer within {} s", bounds.page.as_secs_f64())),
        };
        if let Some(error) = error_text {
            let message = format!("{url}: {error}");
            if role == Role::Base {
                return Err(message);
            }
            notes.push(message);
            continue;
        }
        let idle = settle(net, bounds.idle.min(bounds.page)).await;
        if !idle {
            data.notes.push(format!(
                "{url}: the network was still busy after {} s; read as it was",
                bounds.idle.min(bounds.page).as_secs_f64()
            ));
        }
        if role == Role::Base {
            let action = data.phase.action();
            data.consent = answer_banner(page, action, target).await;
            data.report.banner = Banner {
                found: data.consent.found,
                clicked: data.consent.clicked.clone(),
                how: Some(data.consent.how(action)),
            };
            if data.consent.clicked.is_some() {
                settle(net, bounds.idle.min(bounds.page)).await;
            }
            data.report.screenshot_png = screenshot(page).await.ok();
        }
        read_storage(page, data).await;
        match read_markup(page, bounds.body_cap).await {
            Ok((final_url, html)) => {
                let final_url = Url::parse(&final_url).unwrap_or(url.clone());
                let status = net
                    .lock()
                    .ok()
                    .and_then(|n| n.document_status(final_url.as_str()))
                    .unwrap_or(200);
                data.pages.push(LoadedPage {
                    role,
                    url: final_url,
                    status,
                    html,
                });
            }
            Err(e) => notes.push(format!("{url}: cannot read the page: {e}")),
        }
    }
    if !notes.is_empty() {
        data.report.error = Some(notes.join("; "));
    }
    Ok(())
}

/// Evaluates `expression` (which returns a string) in `context`, or the main world.
async fn evaluate(
    page: &Page,
    expression: String,
    context: Option<ExecutionContextId>,
) -> Result<String, String> {
    let mut params = EvaluateParams::new(expression);
    params.return_by_value = Some(true);
    params.context_id = context;
    params.silent = Some(true);
    let reply = call("running a script", page.execute(params)).await?;
    if let Some(e) = &reply.result.exception_details {
        return Err(e.text.clone());
    }
    match &reply.result.result.value {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err("the script returned nothing".into()),
    }
}

/// A world of our own in `frame`: the page's scripts cannot change what it reads.
async fn isolated_world(page: &Page, frame: &str) -> Result<ExecutionContextId, String> {
    let mut params = CreateIsolatedWorldParams::new(frame.to_string());
    params.world_name = Some("policydesk".into());
    let reply = call("entering a frame", page.execute(params)).await?;
    Ok(reply.result.execution_context_id)
}

async fn main_frame(page: &Page) -> Result<FrameTree, String> {
    let reply = call(
        "reading the frames",
        page.execute(GetFrameTreeParams::default()),
    )
    .await?;
    Ok(reply.result.frame_tree.clone())
}

/// Looks for the banner (a few times, while it may still be appearing) and acts as asked.
async fn answer_banner(page: &Page, action: Action, target: &Target) -> Outcome {
    let script = consent::script(action, consent::site_selectors(&target.site));
    let mut last = Outcome::default();
    for attempt in 0..4 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        let Ok(frame) = main_frame(page).await else {
            continue;
        };
        let Ok(world) = isolated_world(page, frame.frame.id.inner()).await else {
            continue;
        };
        match evaluate(page, script.clone(), Some(world)).await {
            Ok(json) => {
                if let Ok(outcome) = serde_json::from_str::<Outcome>(&json) {
                    let done = outcome.found;
                    last = outcome;
                    if done {
                        break;
                    }
                }
            }
            Err(_) => continue,
        }
    }
    last
}

const READ_STORAGE: &str = r#"(() => {
  const r = { origin: location.origin, l: [], s: [] };
  const take = (name, out) => {
    try {
      const st = window[name];
      for (let i = 0; i < st.length && i < 500; i++) {
        const k = st.key(i);
        out.push([k, String(st.getItem(k) ?? '').slice(0, 120)]);
      }
    } catch (e) {}
  };
  take('localStorage', r.l); take('sessionStorage', r.s);
  return JSON.stringify(r);
})()"#;

/// Reads localStorage and sessionStorage of every frame of the page.
async fn read_storage(page: &Page, data: &mut PhaseData) {
    let Ok(tree) = main_frame(page).await else {
        return;
    };
    let mut frames = Vec::new();
    let mut stack = vec![&tree];
    while let Some(node) = stack.pop() {
        frames.push((node.frame.id.inner().clone(), node.frame.url.clone()));
        stack.extend(node.child_frames.iter().flatten());
    }
    for (id, frame_url) in frames.into_iter().take(50) {
        if !frame_url.starts_with("http") {
            continue;
        }
        let Ok(world) = isolated_world(page, &id).await else {
            continue;
        };
        let Ok(json) = evaluate(page, READ_STORAGE.into(), Some(world)).await else {
            continue;
        };
        #[derive(serde::Deserialize)]
        struct Items {
            origin: String,
            l: Vec<(String, String)>,
            s: Vec<(String, String)>,
        }
        let Ok(items) = serde_json::from_str::<Items>(&json) else {
            continue;
        };
        let host = Url::parse(&items.origin)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let kinds = [
            (Storage::LocalStorage, items.l),
            (Storage::SessionStorage, items.s),
        ];
        for (storage, entries) in kinds {
            for (key, value) in entries {
                let known = data
                    .items
                    .iter()
                    .any(|o| o.storage == storage && o.name == key && o.domain == host);
                if known {
                    continue;
                }
                data.items.push(Observed {
                    name: key.clone(),
                    domain: host.clone(),
                    path: "/".into(),
                    lifetime_seconds: None,
                    secure: false,
                    http_only: false,
                    same_site: None,
                    source: Source::Script,
                    service: None,
                    evidence: format!("{} {}: {key}={value}", storage.label(), items.origin),
                    url: frame_url.clone(),
                    storage,
                    phases: vec![data.phase.name().into()],
                    known: Vec::new(),
                });
            }
        }
    }
}

async fn read_markup(page: &Page, cap: usize) -> Result<(String, String), String> {
    let expression = format!(
        "JSON.stringify([location.href, document.documentElement ? \
         document.documentElement.outerHTML.slice(0, {cap}) : ''])"
    );
    let frame = main_frame(page).await?;
    let world = isolated_world(page, frame.frame.id.inner()).await?;
    let json = evaluate(page, expression, Some(world)).await?;
    serde_json::from_str::<(String, String)>(&json).map_err(|e| e.to_string())
}

async fn screenshot(page: &Page) -> Result<Vec<u8>, String> {
    let params = CaptureScreenshotParams {
        format: Some(CaptureScreenshotFormat::Png),
        ..Default::default()
    };
    let reply = call("taking a screenshot", page.execute(params)).await?;
    base64::engine::general_purpose::STANDARD
        .decode(AsRef::<str>::as_ref(&reply.result.data))
        .map_err(|e| e.to_string())
}
