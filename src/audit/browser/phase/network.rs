//! The network as a phase's page sees it: every request with its response, headers and
//! Set-Cookie lines (bounded for a hostile page), and when it falls quiet.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::Page;
use chromiumoxide::cdp::IntoEventKind;
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent, EventResponseReceived,
    EventResponseReceivedExtraInfo,
};
use chromiumoxide::listeners::EventStream;
use futures_util::StreamExt;
use tokio::task::JoinHandle;

use super::{Phase, call, enum_name};
use crate::audit::fetch::MAX_HEADERS;
use crate::audit::report::Hop;

/// Quiet time that counts as network idle.
const QUIET: Duration = Duration::from_millis(500);
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
    /// Requests sent and not yet ended, and requests whose loading finished or failed. The
    /// ended ones are remembered, not only taken out of the open ones: each event kind is read
    /// by a task of its own, so a request's end may be read before its start (a request left
    /// open forever held every page its whole bound).
    inflight: HashSet<String>,
    ended: HashSet<String>,
    last: Instant,
    order: Vec<String>,
    requests: HashMap<String, Request>,
}

impl Net {
    pub(super) fn new() -> Net {
        Net {
            inflight: HashSet::new(),
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
        !self.inflight.is_empty()
    }

    /// A request was sent (or redirected, which reuses its id).
    fn sent(&mut self, e: &EventRequestWillBeSent) {
        self.touch();
        let id = e.request_id.inner().clone();
        if !self.ended.contains(&id) {
            self.inflight.insert(id.clone());
        }
        if self.requests.len() >= MAX_REQUESTS && !self.requests.contains_key(&id) {
            return;
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
        if let Some(mut previous) = self.requests.remove(&id) {
            if let Some(redirect) = &e.redirect_response {
                previous.status = u16::try_from(redirect.status).unwrap_or(0);
            }
            let key = format!("{id}#{}", self.order.len());
            self.order.push(key.clone());
            self.requests.insert(key, previous);
            if let Some(pos) = self.order.iter().position(|k| *k == id) {
                self.order.remove(pos);
            }
        }
        self.order.push(id.clone());
        self.requests.insert(id, request);
    }

    /// A response's status and headers.
    fn received(&mut self, e: &EventResponseReceived) {
        self.touch();
        if let Some(r) = self.requests.get_mut(e.request_id.inner()) {
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

    /// A response's raw headers: its Set-Cookie lines, which the response event leaves out.
    fn extra_info(&mut self, e: &EventResponseReceivedExtraInfo) {
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
        if let Some(r) = self.requests.get_mut(e.request_id.inner()) {
            r.set_cookie.extend(lines);
            if r.status == 0 {
                r.status = u16::try_from(e.status_code).unwrap_or(0);
            }
        }
    }

    /// A request finished or failed.
    fn end(&mut self, id: &str) {
        self.touch();
        self.ended.insert(id.to_string());
        self.inflight.remove(id);
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
) -> Result<Vec<JoinHandle<()>>, String> {
    let sent = listen::<EventRequestWillBeSent>(page, "requests").await?;
    let received = listen::<EventResponseReceived>(page, "responses").await?;
    let extra = listen::<EventResponseReceivedExtraInfo>(page, "headers").await?;
    let finished = listen::<EventLoadingFinished>(page, "loads").await?;
    let failed = listen::<EventLoadingFailed>(page, "failures").await?;
    Ok(vec![
        apply_each(net, sent, Net::sent),
        apply_each(net, received, Net::received),
        apply_each(net, extra, Net::extra_info),
        apply_each(net, finished, |net, e| net.end(e.request_id.inner())),
        apply_each(net, failed, |net, e| net.end(e.request_id.inner())),
    ])
}

async fn listen<E: IntoEventKind + Unpin>(
    page: &Page,
    what: &str,
) -> Result<EventStream<E>, String> {
    call(&format!("listening to {what}"), page.event_listener::<E>()).await
}

/// A task that applies `apply` to each event of `events` under the lock, until they end.
fn apply_each<E: IntoEventKind + Unpin + Send + Sync + 'static>(
    net: &Arc<Mutex<Net>>,
    mut events: EventStream<E>,
    apply: fn(&mut Net, &E),
) -> JoinHandle<()> {
    let net = net.clone();
    tokio::spawn(async move {
        while let Some(e) = events.next().await {
            let Ok(mut net) = net.lock() else { break };
            apply(&mut net, &e);
        }
    })
}

/// Waits until no request has been open for [`QUIET`], at most `bound`; false when the
/// network never settled.
pub(super) async fn settle(net: &Mutex<Net>, bound: Duration) -> bool {
    let start = Instant::now();
    // A first look only after a moment: the events of what was just started (a navigation, a
    // click) are applied by tasks of their own and may not have been yet.
    let mut step = Duration::from_millis(100);
    loop {
        tokio::time::sleep(step.min(bound.saturating_sub(start.elapsed()))).await;
        // While requests are open, look again soon; once none is, wake when the quiet would end.
        let left = match net.lock() {
            Ok(n) if n.busy() => None,
            Ok(n) => Some(QUIET.saturating_sub(n.last.elapsed())),
            Err(_) => return true,
        };
        if left.is_some_and(|d| d.is_zero()) {
            return true;
        }
        if start.elapsed() >= bound {
            return false;
        }
        step = left.unwrap_or(Duration::from_millis(25));
    }
}
