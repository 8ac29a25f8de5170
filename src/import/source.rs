//! Where a page comes from: a local HTML file, or a URL fetched with the audit's safe fetcher
//! (redirects followed by hand, timeouts, a body cap).

use std::path::Path;

use url::Url;

use crate::audit::fetch::{FetchOptions, Fetcher, decode};
use crate::cancel::Cancel;
use crate::store::limits::{POLICY_PAGE, read_capped};

/// The largest HTML file read from disk; a policy page is far smaller.
pub const FILE_CAP: u64 = POLICY_PAGE.bytes;

/// A page's HTML and the address it was published at, when known.
#[derive(Clone, Debug)]
pub struct Source {
    pub html: String,
    pub url: Option<Url>,
    /// The file name or URL, for messages.
    pub label: String,
    /// The file's name without its extension, an id of last resort.
    pub stem: Option<String>,
}

/// Reads `source`: an `http(s)://` address is fetched, anything else is a file.
pub fn read_source(source: &str, fetch: &FetchOptions) -> Result<Source, String> {
    if source.starts_with("http://") || source.starts_with("https://") {
        let url = Url::parse(source).map_err(|e| format!("{source}: not a valid address: {e}"))?;
        return fetch_page(&url, fetch);
    }
    let path = Path::new(source);
    let meta = std::fs::metadata(path).map_err(|e| format!("{source}: {e}"))?;
    if meta.len() > FILE_CAP {
        return Err(format!(
            "{source}: {} bytes is more than a policy page ({} MB at most)",
            meta.len(),
            FILE_CAP / 1024 / 1024
        ));
    }
    // Capped as it is read too: a device or a growing file says nothing true in its metadata.
    let bytes = read_capped(path, POLICY_PAGE).map_err(|e| format!("{source}: {e}"))?;
    let (html, _) = decode(&bytes, None);
    Ok(Source {
        html,
        url: None,
        label: source.to_string(),
        stem: path.file_stem().map(|s| s.to_string_lossy().into_owned()),
    })
}

fn fetch_page(url: &Url, options: &FetchOptions) -> Result<Source, String> {
    let fetcher = Fetcher::new(options.clone())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the fetch runtime: {e}"))?;
    let page = runtime
        .block_on(fetcher.fetch(url, &Cancel::new()))
        .map_err(|e| e.to_string())?;
    if page.status >= 400 {
        return Err(format!("{}: the server answered {}", page.url, page.status));
    }
    // Other tools' output (JSON, a consent script) is read by content, whatever its type.
    if !page.is_html() && super::tools::detect_source(&page.body).kind().is_none() {
        return Err(format!(
            "{}: not an HTML page ({})",
            page.url,
            page.content_type.as_deref().unwrap_or("no content type")
        ));
    }
    if page.truncated {
        return Err(format!(
            "{}: the page is larger than {} bytes; nothing was imported",
            page.url, options.body_cap
        ));
    }
    Ok(Source {
        html: page.body,
        label: page.url.to_string(),
        url: Some(page.url),
        stem: None,
    })
}
