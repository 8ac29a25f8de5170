//! The network as a phase's page sees it: every request with its response, headers and
//! Set-Cookie lines (bounded for a hostile page), and when it falls quiet.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent, EventResponseReceived,
    EventResponseReceivedExtraInfo,
};
use futures_util::StreamExt;

use super::{Phase, call, enum_name};
use crate::audit::report::Hop;

/// Quiet time that counts as network idle.
const QUIET: Duration = Duration::from_millis(500);
/// Response headers kept per request, as the HTTP engine keeps them.
const MAX_HEADERS: usize = 256;
/// Requests kept per phase: enough for any real page, bounded for a hostile one.
const MAX_REQUESTS: usize = 2000;

#[derive(Default)]
pub(super) struct Request {
    pub(super) url: String,
    pub(super) kind: String,
    pub(super) initiator: String,
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) set_cookie: Vec<String>,
}

/// The network as the phase's page sees it.
pub(super) struct Net {
    /// Requests sent, and requests whose loading finished or failed. Kept apart, not one set
    /// of open requests: each event kind is read by a task of its own, so a request's end may
    /// be read before its start (a request left open forever held every page its whole bound).
    started: HashSet<String>,
    ended: HashSet<String>,
    last: Instant,
    order: Vec<String>,
    requests: HashMap<String, Request>,
}

impl Net {
    pub(super) fn new() -> Net {
        Net {
            started: HashSet::new(),
            ended: HashSet::new(),
            last: Instant::now(),
            order: Vec::new(),
            requests: HashMap::new(),
        }
    }

    /// The status of the last document request for `url`.
    pub(super) fn document_status(&self, url: &str) -> Option<u16> {
        self.order.iter().rev().find_map(|id| {
            let r = self.requests.get(id)?;
            (r.kind == "Document" && r.url == url).then_some(r.status)
        })
    }

    /// The requests in the order they were sent.
    pub(super) fn requests(&self) -> Vec<&Request> {
        self.order
            .iter()
            .filter_map(|id| self.requests.get(id))
            .collect()
    }

    pub(super) fn touch(&mut self) {
        self.last = Instant::now();
    }

    /// Whether a request sent has not yet finished or failed.
    fn busy(&self) -> bool {
        self.started.iter().any(|id| !self.ended.contains(id))
    }
}

impl Request {
    /// The request as the report keeps it, marked with `phase`.
    pub(super) fn hop(&self, phase: Phase) -> Hop {
        Hop {
            url: self.url.clone(),
            status: self.status,
            headers: self.headers.clone(),
            set_cookie: self.set_cookie.clone(),
            rejected_set_cookie: Vec::new(),
            resource_type: Some(self.kind.clone()).filter(|k| !k.is_empty()),
            initiator: Some(self.initiator.clone()).filter(|i| !i.is_empty()),
            phase: Some(phase.name().into()),
        }
    }
}

/// The name a `Set-Cookie` line sets.
pub(super) fn cookie_name(line: &str) -> Option<&str> {
    line.split(';')
        .next()?
        .split_once('=')
        .map(|(n, _)| n.trim())
}

pub(super) async fn watch_network(
    page: &Page,
    net: &Arc<Mutex<Net>>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, String> {
    let listen = |what| format!("listening to {what}");
    let mut sent = call(
        &listen("requests"),
        page.event_listener::<EventRequestWillBeSent>(),
    )
    .await?;
    let mut received = call(
        &listen("responses"),
        page.event_listener::<EventResponseReceived>(),
    )
    .await?;
    let mut extra = call(
        &listen("headers"),
        page.event_listener::<EventResponseReceivedExtraInfo>(),
    )
    .await?;
    let mut finished = call(
        &listen("loads"),
        page.event_listener::<EventLoadingFinished>(),
    )
    .await?;
    let mut failed = call(
        &listen("failures"),
        page.event_listener::<EventLoadingFailed>(),
    )
    .await?;
    let mut tasks = Vec::new();
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = sent.next().await {
            let Ok(mut net) = n.lock() else { break };
            net.touch();
            let id = e.request_id.inner().clone();
            net.started.insert(id.clone());
            if net.requests.len() >= MAX_REQUESTS && !net.requests.contains_key(&id) {
                continue;
            }
            let initiator = e
                .initiator
                .url
                .clone()
                .or_else(|| {
                    e.initiator
                        .stack
                        .as_ref()
                        .and_then(|s| s.call_frames.first().map(|f| f.url.clone()))
                })
                .filter(|u| !u.is_empty());
            let kind = enum_name(&e.initiator.r#type);
            let request = Request {
                url: e.request.url.clone(),
                kind: e.r#type.as_ref().map(enum_name).unwrap_or_default(),
                initiator: match initiator {
                    Some(url) => format!("{kind} {url}"),
                    None => kind,
                },
                ..Default::default()
            };
            // A redirect reuses the id: the hop before it is kept under a fresh key.
            if let Some(mut previous) = net.requests.remove(&id) {
                if let Some(redirect) = &e.redirect_response {
                    previous.status = u16::try_from(redirect.status).unwrap_or(0);
                }
                let key = format!("{id}#{}", net.order.len());
                net.order.push(key.clone());
                net.requests.insert(key, previous);
                if let Some(pos) = net.order.iter().position(|k| *k == id) {
                    net.order.remove(pos);
                }
            }
            net.order.push(id.clone());
            net.requests.insert(id, request);
        }
    }));
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = received.next().await {
            let Ok(mut net) = n.lock() else { break };
            net.touch();
            if let Some(r) = net.requests.get_mut(e.request_id.inner()) {
                r.status = u16::try_from(e.response.status).unwrap_or(0);
                r.headers = e
                    .response
                    .headers
                    .inner()
                    .as_object()
                    .into_iter()
                    .flatten()
                    .take(MAX_HEADERS)
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect();
            }
        }
    }));
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = extra.next().await {
            let Ok(mut net) = n.lock() else { break };
            let lines: Vec<String> = e
                .headers
                .inner()
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
                .filter_map(|(_, v)| v.as_str())
                .flat_map(|v| v.split('\n').map(str::to_string).collect::<Vec<_>>())
                .collect();
            if let Some(r) = net.requests.get_mut(e.request_id.inner()) {
                r.set_cookie.extend(lines);
                if r.status == 0 {
                    r.status = u16::try_from(e.status_code).unwrap_or(0);
                }
            }
        }
    }));
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = finished.next().await {
            let Ok(mut net) = n.lock() else { break };
            net.touch();
            net.ended.insert(e.request_id.inner().clone());
        }
    }));
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = failed.next().await {
            let Ok(mut net) = n.lock() else { break };
            net.touch();
            net.ended.insert(e.request_id.inner().clone());
        }
    }));
    Ok(tasks)
}

/// Waits until no request has been open for [`QUIET`], at most `bound`; false when the
/// network never settled.
pub(super) async fn settle(net: &Mutex<Net>, bound: Duration) -> bool {
    let start = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let quiet = net
            .lock()
            .map(|n| !n.busy() && n.last.elapsed() >= QUIET)
            .unwrap_or(true);
        if quiet {
            return true;
        }
        if start.elapsed() >= bound {
            return false;
        }
    }
}
