//! The browser engine: a real Chromium, driven over the DevTools protocol, audits each site in
//! phases (first visit, after reject, after accept), each in a fresh browser context, and the
//! phases are compared with the policy together.

pub mod consent;
pub mod launch;
pub mod phase;

use std::time::Duration;

pub use launch::{BROWSER_ENV, HOW_TO_GET_ONE, Session, find_browser};
pub use phase::{Bounds, Phase};

use super::catalog::Catalog;
use super::compare::{Inputs, compare};
use super::fetch::Page;
use super::observe::{ReadPage, observe_browser};
use super::phased::{BannerSeen, consent_findings, merge};
use super::report::{Engine, PhaseReport, SiteReport};
use super::run::{Cancel, Target};
use crate::knowledge::Knowledge;

/// Audits one site in `phases`, one after the other, in `session`'s browser.
pub async fn audit_site(
    session: &Session,
    target: &Target,
    phases: &[Phase],
    knowledge: &Knowledge,
    bounds: &Bounds,
    slots: &tokio::sync::Semaphore,
    cancel: &Cancel,
) -> SiteReport {
    let mut report = SiteReport {
        site: target.site.id.clone(),
        url: target.url.to_string(),
        engine: Engine::Browser,
        ..Default::default()
    };
    // Every page twice the page bound (load, then the banner's wait), and a margin.
    let pages = target.pages().len() as u32;
    let phase_limit = bounds.page * (2 * pages + 1) + Duration::from_secs(10);
    // The phases are independent (each its own context), so they run at once, each holding
    // one of the run's page slots while it runs.
    let runs = phases.iter().map(|&phase| async move {
        if cancel.is_cancelled() {
            return (phase, Err("cancelled".to_string()));
        }
        let Ok(_slot) = slots.acquire().await else {
            return (phase, Err("the audit was stopped".to_string()));
        };
        if !session.is_alive() {
            return (phase, Err("the browser ended unexpectedly".to_string()));
        }
        let run = phase::run(session, target, phase, bounds);
        let outcome = tokio::select! {
            r = tokio::time::timeout(phase_limit, run) => r.map_err(|_| {
                format!("did not finish within {} s", phase_limit.as_secs())
            }),
            () = cancel.cancelled() => Err("cancelled".to_string()),
        };
        (phase, outcome)
    });
    let mut done = Vec::new();
    let mut errors = Vec::new();
    for (phase, outcome) in futures_util::future::join_all(runs).await {
        match outcome {
            Ok(mut data) => {
                // A phase whose browser died midway is not a complete phase either.
                if !session.is_alive() && data.report.error.is_none() {
                    data.report.error = Some("the browser ended unexpectedly".into());
                }
                if let Some(e) = &data.report.error {
                    errors.push(format!("{}: {e}", phase.name()));
                }
                report.notes.extend(
                    data.notes
                        .drain(..)
                        .map(|n| format!("{}: {n}", phase.name())),
                );
                done.push(data);
            }
            Err(why) => {
                errors.push(format!("{}: {why}", phase.name()));
                report.phases.push(PhaseReport {
                    name: phase.name().into(),
                    error: Some(why),
                    ..Default::default()
                });
            }
        }
    }
    for data in &done {
        report.phases.push(data.report.clone());
    }
    report
        .phases
        .sort_by_key(|p| Phase::parse(&p.name).map_or(usize::MAX, |p| p as usize));
    if !errors.is_empty() {
        // A dead browser shows first as lost protocol messages; say what happened.
        let lost = !session.is_alive() || errors.iter().any(|e| e.contains("receiver is gone"));
        let joined = errors.join("; ");
        report.error = Some(if lost {
            format!("the browser ended unexpectedly ({joined})")
        } else {
            joined
        });
    }

    // The pages as the first phase that loaded them saw them (the policy page is the same
    // in every phase), read like fetched pages.
    let pages: Vec<ReadPage> = done
        .iter()
        .find(|d| !d.pages.is_empty())
        .map(|d| {
            d.pages
                .iter()
                .map(|p| {
                    let truncated = p.html.len() >= bounds.body_cap;
                    ReadPage::new(
                        p.role,
                        Page {
                            url: p.url.clone(),
                            status: p.status,
                            content_type: Some("text/html".into()),
                            body: p.html.clone(),
                            hops: Vec::new(),
                            truncated,
                            decode_errors: None,
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let banners: Vec<BannerSeen> = done
        .iter()
        .map(|d| BannerSeen {
            phase: d.phase.name(),
            found: d.consent.found,
            clicked: d.consent.clicked.as_deref(),
            accept_offered: d.consent.accept.is_some(),
            reject_offered: d.consent.reject.is_some(),
        })
        .collect();
    let requests: Vec<_> = done.iter().flat_map(|d| d.requests.clone()).collect();
    let items = merge(done.iter().map(|d| d.items.clone()).collect());
    let obs = target.observation(&pages, knowledge, |first_party| {
        observe_browser(items, &requests, &pages, first_party, Catalog::bundled())
    });
    if !pages.is_empty() {
        report.findings = compare(&Inputs {
            site: &target.site,
            decls: &target.decls,
            obs: &obs,
            pages: &pages,
            complete: report.error.is_none(),
            engine: Engine::Browser,
            unreadable: &[],
        });
        let observed: Vec<_> = obs.seen.iter().map(|s| s.observed.clone()).collect();
        report.findings.extend(consent_findings(
            &target.site.id,
            &target.decls,
            &observed,
            &banners,
        ));
    }
    report.observed = obs.seen.into_iter().map(|s| s.observed).collect();
    report.third_party_hosts = obs.third_party.into_keys().collect();
    report.requests = requests;
    report
}
