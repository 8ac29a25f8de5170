//! Running audits: sites fetched concurrently on one shared client, progress reported through a
//! callback, and a cancel flag any thread may raise. The command line and the app both call
//! [`audit`] (async) or [`audit_blocking`].

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use time::OffsetDateTime;
use url::Url;

use super::browser::{self, Bounds, Phase, Session};
use super::catalog::Catalog;
use super::compare::{Inputs, compare};
use super::fetch::{FetchOptions, Fetcher};
use super::observe::{Observation, ReadPage, Role, first_party_domains, observe};
use super::report::{Report, SiteReport};
use crate::check::severity_counts;
use crate::knowledge::Knowledge;
use crate::model::{CookieDecl, Site};
use crate::store::Workspace;
use crate::timestamp::rfc3339;

/// Stops an audit: pages being fetched are abandoned and sites not begun are reported as
/// cancelled (the one cancel type of the crate).
pub use crate::cancel::Cancel;

/// Which engine an audit asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EngineChoice {
    /// The browser when one is found, else HTTP (and the report says so).
    #[default]
    Auto,
    Browser,
    Http,
}

/// How an audit runs.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    pub fetch: FetchOptions,
    /// Sites audited at once; with the browser, also the most phases (pages) open at once.
    pub concurrency: usize,
    /// What classifies the cookies observed: the shipped layers, or a sites folder's
    /// ([`Knowledge::for_workspace`]).
    pub knowledge: Knowledge,
    pub engine: EngineChoice,
    /// The browser to run; else `POLICYDESK_BROWSER`, else one found on `PATH`.
    pub browser: Option<PathBuf>,
    /// The browser phases run, in this order.
    pub phases: Vec<Phase>,
    /// The most a page's network may stay busy before it is read anyway (browser).
    pub idle: Duration,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            fetch: FetchOptions::default(),
            concurrency: 8,
            knowledge: Knowledge::bundled().clone(),
            engine: EngineChoice::Auto,
            browser: None,
            phases: Phase::ALL.to_vec(),
            idle: Duration::from_secs(10),
        }
    }
}

impl AuditOptions {
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.fetch.timeout = timeout;
        self
    }
}

/// A site to audit: its policy as declared, and where to fetch it.
#[derive(Clone, Debug)]
pub struct Target {
    pub site: Site,
    /// The resolved declarations.
    pub decls: Vec<CookieDecl>,
    /// The base address fetched: the site's own, or another copy of it.
    pub url: Url,
}

impl Target {
    /// Site `site` of `ws`, fetched at `url` instead of its base URL when one is given.
    pub fn new(ws: &Workspace, site: &Site, url: Option<&Url>) -> Target {
        Target {
            site: site.clone(),
            decls: ws.cookies_of(site),
            url: url.cloned().unwrap_or_else(|| site.base_url.clone()),
        }
    }

    /// The pages to fetch: the base, the policy page and the extra paths, each once.
    pub fn pages(&self) -> Vec<(Role, Url)> {
        // Paths are joined relative to the base so that a copy served under a folder
        // (`http://staging/portal/`) keeps it.
        let base = if self.url.path().ends_with('/') {
            self.url.clone()
        } else {
            let mut u = self.url.clone();
            u.set_path(&format!("{}/", u.path()));
            u
        };
        let join = |path: &str| base.join(path.trim_start_matches('/')).ok();
        let mut pages = vec![(Role::Base, self.url.clone())];
        pages.extend(join(&self.site.policy_path).map(|u| (Role::Policy, u)));
        pages.extend(
            self.site
                .extra_paths
                .iter()
                .filter_map(|p| join(p).map(|u| (Role::Extra, u))),
        );
        let mut seen = Vec::new();
        pages.retain(|(_, u)| {
            let new = !seen.contains(u);
            seen.push(u.clone());
            new
        });
        pages
    }

    /// What `build` observes given the site's own registrable domains (its addresses and the
    /// pages read), classified in the site's context: its host and its platform. Both engines
    /// observe through it.
    pub(super) fn observation<'c>(
        &self,
        pages: &[ReadPage],
        knowledge: &Knowledge,
        build: impl FnOnce(&[String]) -> Observation<'c>,
    ) -> Observation<'c> {
        let own: Vec<&Url> = [&self.site.base_url, &self.url]
            .into_iter()
            .chain(pages.iter().map(|p| &p.page.url))
            .collect();
        let mut obs = build(&first_party_domains(&own));
        obs.classify(
            knowledge,
            self.url.host_str(),
            self.site.platform.as_deref(),
        );
        obs
    }
}

/// What an audit reports while it runs.
#[derive(Clone, Debug)]
pub enum Progress {
    Started {
        site: String,
    },
    Finished {
        site: String,
        /// Sites finished so far, and in all.
        done: usize,
        total: usize,
        errors: usize,
        warnings: usize,
        failed: bool,
    },
}

/// Audits `targets` (at most `options.concurrency` at once) and returns the report, sites in
/// the order given. `progress` is called from the audit's tasks. With the browser engine one
/// browser runs for the whole call and is ended before it returns (or unwinds).
pub async fn audit(
    targets: &[Target],
    options: &AuditOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &Cancel,
) -> Result<Report, String> {
    let mut sites = Vec::with_capacity(targets.len());
    let each = targets.iter().cloned();
    audit_each(each, targets.len(), options, progress, cancel, |site| {
        sites.push(site)
    })
    .await?;
    Ok(Report::new(rfc3339(OffsetDateTime::now_utc()), sites))
}

/// The browser the options ask for, started; with `auto` and no usable browser, none and a note
/// saying why the audit runs over HTTP.
pub async fn start_engine(
    options: &AuditOptions,
) -> Result<(Option<Session>, Option<String>), String> {
    if options.engine == EngineChoice::Http {
        return Ok((None, None));
    }
    let started = match browser::find_browser(options.browser.as_deref()) {
        Ok(path) => Session::launch(&path).await,
        Err(e) => Err(e),
    };
    match (started, options.engine) {
        (Ok(session), _) => Ok((Some(session), None)),
        (Err(e), EngineChoice::Browser) => Err(e),
        (Err(e), _) => Ok((
            None,
            Some(format!(
                "audited over plain HTTP, without a browser ({e}): script cookies and storage \
                 were not seen"
            )),
        )),
    }
}

/// [`audit`] in a browser already running (or over HTTP when `session` is none).
pub async fn audit_with(
    session: Option<&Session>,
    targets: &[Target],
    options: &AuditOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &Cancel,
) -> Result<Report, String> {
    let mut sites = Vec::with_capacity(targets.len());
    let each = targets.iter().cloned();
    audit_each_in(
        session,
        each,
        targets.len(),
        options,
        progress,
        cancel,
        |site| sites.push(site),
    )
    .await?;
    Ok(Report::new(rfc3339(OffsetDateTime::now_utc()), sites))
}

/// Like [`audit`], but hands each site's report to `on_site` as soon as it and those before it
/// are done, in the order given, so that a caller can write it out and forget it: memory stays
/// flat however many sites there are. `targets` is read lazily; `total` is its length.
pub async fn audit_each(
    targets: impl Iterator<Item = Target>,
    total: usize,
    options: &AuditOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &Cancel,
    mut on_site: impl FnMut(SiteReport),
) -> Result<(), String> {
    let (session, fallback) = start_engine(options).await?;
    audit_each_in(
        session.as_ref(),
        targets,
        total,
        options,
        progress,
        cancel,
        |mut site| {
            if let Some(note) = &fallback {
                site.notes.insert(0, note.clone());
            }
            on_site(site)
        },
    )
    .await
}

/// [`audit_each`] in a browser already running (or over HTTP when `session` is none).
async fn audit_each_in(
    session: Option<&Session>,
    targets: impl Iterator<Item = Target>,
    total: usize,
    options: &AuditOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &Cancel,
    mut on_site: impl FnMut(SiteReport),
) -> Result<(), String> {
    let fetcher = Fetcher::new(options.fetch.clone())?;
    let bounds = Bounds {
        page: options.fetch.timeout,
        idle: options.idle,
        body_cap: options.fetch.body_cap,
    };
    // Browser pages open at once, over every site: the browser's memory grows with them.
    let slots = tokio::sync::Semaphore::new(options.concurrency.max(1));
    let done = std::sync::atomic::AtomicUsize::new(0);
    futures_util::stream::iter(targets)
        .map(|target| {
            let (fetcher, done, bounds, slots) = (&fetcher, &done, &bounds, &slots);
            async move {
                progress(Progress::Started {
                    site: target.site.id.clone(),
                });
                let report = match session {
                    Some(session) => {
                        let phases = &options.phases;
                        browser::audit_site(
                            session,
                            &target,
                            phases,
                            &options.knowledge,
                            bounds,
                            slots,
                            cancel,
                        )
                        .await
                    }
                    None => audit_site(fetcher, &target, &options.knowledge, cancel).await,
                };
                let (errors, warnings, _) =
                    severity_counts(report.findings.iter().map(|f| f.severity));
                progress(Progress::Finished {
                    site: report.site.clone(),
                    done: done.fetch_add(1, Ordering::SeqCst) + 1,
                    total,
                    errors,
                    warnings,
                    failed: report.error.is_some(),
                });
                report
            }
        })
        .buffered(options.concurrency.max(1))
        .for_each(|site| {
            on_site(site);
            std::future::ready(())
        })
        .await;
    Ok(())
}

/// [`audit_each`] on a runtime of its own, for callers without one.
pub fn audit_each_blocking(
    targets: impl Iterator<Item = Target>,
    total: usize,
    options: &AuditOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &Cancel,
    on_site: impl FnMut(SiteReport),
) -> Result<(), String> {
    runtime()?.block_on(audit_each(
        targets, total, options, progress, cancel, on_site,
    ))
}

/// [`audit`] on a runtime of its own, for callers without one (a GUI thread, a test).
pub fn audit_blocking(
    targets: &[Target],
    options: &AuditOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &Cancel,
) -> Result<Report, String> {
    runtime()?.block_on(audit(targets, options, progress, cancel))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the audit runtime: {e}"))
}

/// Fetches a site's pages one after the other and compares what they set with its policy.
pub async fn audit_site(
    fetcher: &Fetcher,
    target: &Target,
    knowledge: &Knowledge,
    cancel: &Cancel,
) -> SiteReport {
    let mut report = SiteReport {
        site: target.site.id.clone(),
        url: target.url.to_string(),
        ..Default::default()
    };
    let mut hops = Vec::new();
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    for (role, url) in target.pages() {
        if cancel.is_cancelled() {
            errors.push(format!("{url}: cancelled"));
            break;
        }
        // The page's whole work, parsing included, stops at the timeout.
        let deadline = std::time::Instant::now() + fetcher.options().timeout;
        match fetcher.fetch(&url, cancel).await {
            Ok(mut page) => {
                hops.append(&mut page.hops);
                if page.truncated {
                    report.notes.push(format!(
                        "{}: the body was cut at {} bytes",
                        page.url,
                        fetcher.options().body_cap
                    ));
                }
                if let Some(charset) = page.decode_errors {
                    report.notes.push(format!(
                        "{}: some bytes are not valid {charset}; they were replaced",
                        page.url
                    ));
                }
                let page_url = page.url.clone();
                match ReadPage::read_off_thread(role, page, deadline).await {
                    Ok((read, complete)) => {
                        if !complete {
                            report.notes.push(format!(
                                "{page_url}: reading the page stopped at the timeout; only its \
                                 beginning was read"
                            ));
                        }
                        pages.push(read);
                    }
                    Err(e) => errors.push(format!("{page_url}: {e}")),
                }
            }
            Err(mut e) => {
                hops.append(&mut e.hops);
                errors.push(e.to_string());
                // Without the base page there is nothing to compare; stop here.
                if role == Role::Base {
                    break;
                }
            }
        }
    }
    if !errors.is_empty() {
        report.error = Some(errors.join("; "));
    }
    let fetched_base = pages.iter().any(|p| p.role == Role::Base);
    let obs = target.observation(&pages, knowledge, |first_party| {
        observe(
            &mut hops,
            &pages,
            first_party,
            Catalog::bundled(),
            OffsetDateTime::now_utc(),
        )
    });
    if fetched_base {
        report.findings = compare(&Inputs {
            site: &target.site,
            decls: &target.decls,
            obs: &obs,
            pages: &pages,
            complete: report.error.is_none(),
            engine: super::report::Engine::Http,
            unreadable: &obs.unreadable,
        });
    }
    report.notes.extend(obs.notes);
    report.observed = obs.seen.into_iter().map(|s| s.observed).collect();
    report.third_party_hosts = obs.third_party.into_keys().collect();
    report.requests = hops;
    report
}
