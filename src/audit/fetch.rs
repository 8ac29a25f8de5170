//! Fetching one page the way an audit must: redirects followed by hand (every hop recorded),
//! http and https only, timeouts, a body size cap, gzip and brotli, and honest charset decoding.

use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION, SET_COOKIE};
use url::Url;

use super::report::Hop;
use super::run::Cancel;

/// Limits of one page fetch.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// The most a page may take, redirects and body included.
    pub timeout: Duration,
    /// The most body bytes kept (after decompression); the rest is not read.
    pub body_cap: usize,
    pub max_redirects: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            body_cap: 5 * 1024 * 1024,
            max_redirects: 10,
        }
    }
}

/// Headers kept per response: enough for any real site, bounded for a hostile one.
pub(crate) const MAX_HEADERS: usize = 256;
/// A connection or a single read that takes longer than this is stalled.
const STALL: Duration = Duration::from_secs(10);

/// A page, after its redirects.
#[derive(Clone, Debug)]
pub struct Page {
    /// Where the last redirect led.
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
    /// Every response, redirects first.
    pub hops: Vec<Hop>,
    /// The body reached the cap and the rest was not read.
    pub truncated: bool,
    /// Bytes that did not decode in the page's charset were replaced.
    pub decode_errors: Option<&'static str>,
}

impl Page {
    /// Whether the body is worth parsing as HTML.
    pub fn is_html(&self) -> bool {
        self.content_type
            .as_deref()
            .is_none_or(|t| t.to_ascii_lowercase().contains("html"))
    }
}

/// A page that could not be fetched: the address, why, and the responses received before.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{url}: {reason}")]
pub struct FetchError {
    pub url: String,
    pub reason: String,
    pub hops: Vec<Hop>,
}

/// An HTTP client set up for audits; one is shared by every site of a run.
#[derive(Clone, Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    options: FetchOptions,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Fetcher, String> {
        // reqwest is built without a default crypto provider; ours is ring. Installing twice
        // is harmless, so the error is ignored.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let stall = STALL.min(options.timeout);
        let client = reqwest::Client::builder()
            .user_agent(concat!(
                "PolicyDesk/",
                env!("CARGO_PKG_VERSION"),
                " (cookie audit)"
            ))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(stall)
            .read_timeout(stall)
            .gzip(true)
            .brotli(true)
            .http1_max_headers(MAX_HEADERS)
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))?;
        Ok(Fetcher { client, options })
    }

    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Fetches `url`, following redirects, within the total timeout; stops when `cancel` fires.
    pub async fn fetch(&self, url: &Url, cancel: &Cancel) -> Result<Page, FetchError> {
        let mut hops = Vec::new();
        let limit = self.options.timeout;
        let outcome = tokio::select! {
            r = tokio::time::timeout(limit, self.follow(url.clone(), &mut hops)) => {
                r.map_err(|_| format!("timed out after {} s", limit.as_secs_f64()))
            }
            () = cancel.cancelled() => Err("cancelled".to_string()),
        };
        let outcome = match outcome {
            Ok(page) => page,
            // A timeout or a cancel: blame the last address reached.
            Err(reason) => Err((
                hops.last()
                    .map_or_else(|| url.to_string(), |h| h.url.clone()),
                reason,
            )),
        };
        outcome.map_err(|(url, reason)| FetchError { url, reason, hops })
    }

    async fn follow(&self, mut url: Url, hops: &mut Vec<Hop>) -> Result<Page, (String, String)> {
        loop {
            let fail = |url: &Url, reason: String| (url.to_string(), reason);
            if !matches!(url.scheme(), "http" | "https") {
                return Err(fail(
                    &url,
                    "only http and https addresses are fetched".into(),
                ));
            }
            let mut response = self
                .client
                .get(url.clone())
                .send()
                .await
                .map_err(|e| fail(&url, describe(&e)))?;
            let status = response.status();
            hops.push(hop(&url, status.as_u16(), response.headers()));
            if status.is_redirection()
                && let Some(location) = response.headers().get(LOCATION)
            {
                let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
                let next = url.join(location.trim()).map_err(|e| {
                    fail(
                        &url,
                        format!("redirects to an invalid address {location:?}: {e}"),
                    )
                })?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(fail(
                        &url,
                        format!("redirects to {next}, which is not http or https; not followed"),
                    ));
                }
                if hops.len() > self.options.max_redirects {
                    return Err(fail(
                        &url,
                        format!("more than {} redirects", self.options.max_redirects),
                    ));
                }
                url = next;
                continue;
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let (bytes, truncated) = read_capped(&mut response, self.options.body_cap)
                .await
                .map_err(|e| fail(&url, format!("while reading the body: {}", describe(&e))))?;
            let (body, decode_errors) = decode(&bytes, content_type.as_deref());
            return Ok(Page {
                url,
                status: status.as_u16(),
                content_type,
                body,
                hops: std::mem::take(hops),
                truncated,
                decode_errors,
            });
        }
    }
}

fn hop(url: &Url, status: u16, headers: &HeaderMap) -> Hop {
    let text =
        |v: &reqwest::header::HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
    Hop {
        url: url.to_string(),
        status,
        headers: headers
            .iter()
            .take(MAX_HEADERS)
            .map(|(k, v)| (k.as_str().to_string(), text(v)))
            .collect(),
        set_cookie: headers.get_all(SET_COOKIE).iter().map(text).collect(),
        rejected_set_cookie: Vec::new(),
        resource_type: None,
        initiator: None,
        phase: None,
    }
}

/// Reads the body in chunks, keeping at most `cap` bytes.
async fn read_capped(
    response: &mut reqwest::Response,
    cap: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)"#)
        .expect("the meta charset pattern is a valid regex")
});

/// Decodes a body as a browser would pick its charset: a byte order mark, then the
/// `Content-Type` charset, then a `<meta>` charset in the first 1024 bytes, else UTF-8.
/// Returns the text and, when some bytes did not decode, the name of the charset used.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, Option<&'static str>) {
    let label = content_type.and_then(charset_param).or_else(|| {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).into_owned();
        META_CHARSET.captures(&head).map(|c| c[1].to_string())
    });
    let encoding = label
        .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, used, had_errors) = encoding.decode(bytes);
    (text.into_owned(), had_errors.then_some(used.name()))
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// A reqwest error in words: what failed and the innermost cause.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "the connection stalled: nothing received in time".into();
    }
    let mut cause = chain(e);
    if cause.contains("message head is too large") {
        cause.push_str(&format!(
            " (over {MAX_HEADERS} headers, or headers too long); not read"
        ));
    }
    if e.is_connect() {
        format!("cannot connect: {cause}")
    } else {
        cause
    }
}

/// The messages of an error and its sources, without the repeats.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        // reqwest's outer message repeats the URL, which the caller reports already.
        let text = match text.find(" for url (") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_by_header_meta_and_reports_bad_bytes() {
        let latin1 = b"caf\xe9";
        assert_eq!(
            decode(latin1, Some("text/html; charset=ISO-8859-1")),
            ("café".to_string(), None)
        );
        let meta = b"<meta charset=\"windows-1252\"><p>caf\xe9";
        assert!(decode(meta, Some("text/html")).0.ends_with("café"));
        let (text, bad) = decode(b"ok \xff\xfe done", Some("text/html; charset=utf-8"));
        assert_eq!(text, "ok \u{fffd}\u{fffd} done");
        assert_eq!(bad, Some("UTF-8"));
    }
}
