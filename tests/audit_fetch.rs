//! Fetching: redirects, cookies on every hop, compression, charsets, and hostile servers that
//! must end in a clear error or a capped result, never a hang.

mod audit_support;

use std::time::{Duration, Instant};

use audit_support::{Reply, Server};
use policydesk::audit::{
    AuditOptions, Cancel, EngineChoice, FetchOptions, Fetcher, Report, SiteReport, Source, Target,
    audit_blocking,
};
use policydesk::store::load_sites;
use url::Url;

fn bundled() -> policydesk::store::Workspace {
    load_sites(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sites"))
}

/// Audits `dashboard.paris` at `url` with `timeout`.
fn audit_at(url: &str, timeout: Duration) -> SiteReport {
    audit_many(&[url], timeout).sites.remove(0)
}

fn audit_many(urls: &[&str], timeout: Duration) -> Report {
    let ws = bundled();
    let site = &ws.site("dashboard.paris").expect("bundled site").site;
    let targets: Vec<Target> = urls
        .iter()
        .map(|u| Target::new(&ws, site, Some(&Url::parse(u).unwrap())))
        .collect();
    // These are the HTTP engine's tests; the browser engine has its own.
    let options = http_only().with_timeout(timeout);
    audit_blocking(&targets, &options, &|_| {}, &Cancel::new()).expect("audit runs")
}

fn http_only() -> AuditOptions {
    AuditOptions {
        engine: EngineChoice::Http,
        ..AuditOptions::default()
    }
}

fn fetch(url: &str, options: FetchOptions) -> Result<policydesk::audit::Page, String> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fetcher = Fetcher::new(options).unwrap();
    rt.block_on(fetcher.fetch(&Url::parse(url).unwrap(), &Cancel::new()))
        .map_err(|e| e.to_string())
}

fn observed<'a>(report: &'a SiteReport, name: &str) -> &'a policydesk::audit::Observed {
    report
        .observed
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name} not observed in {:#?}", report.observed))
}

#[test]
fn records_every_redirect_hop_and_the_cookies_set_on_each() {
    let server = Server::start(|path| match path {
        "/" => Reply::redirect(302, "/step").with("Set-Cookie", "first=1; Max-Age=60"),
        "/step" => Reply::redirect(301, "/home/").with("Set-Cookie", "second=2; Path=/step"),
        _ => Reply::html("<p>home</p>")
            .with(
                "Set-Cookie",
                "third=3; Max-Age=3600; Secure; HttpOnly; SameSite=Strict",
            )
            .with(
                "Set-Cookie",
                "fourth=4; Expires=Tue, 03 Jan 2023 00:00:00 GMT",
            )
            .with("Date", "Mon, 02 Jan 2023 00:00:00 GMT"),
    });
    let report = audit_at(&server.url("/"), Duration::from_secs(10));
    assert_eq!(report.error, None);
    let hops: Vec<(u16, &str)> = report
        .requests
        .iter()
        .map(|h| (h.status, h.url.as_str()))
        .collect();
    assert_eq!(hops[0], (302, server.url("/").as_str()));
    assert_eq!(hops[1], (301, server.url("/step").as_str()));
    assert_eq!(hops[2], (200, server.url("/home/").as_str()));
    assert_eq!(report.requests[0].set_cookie, ["first=1; Max-Age=60"]);
    assert_eq!(observed(&report, "first").lifetime_seconds, Some(60));
    assert_eq!(observed(&report, "second").lifetime_seconds, None);
    assert_eq!(observed(&report, "second").path, "/step");
    let third = observed(&report, "third");
    assert!(third.secure && third.http_only);
    assert_eq!(third.same_site.as_deref(), Some("Strict"));
    assert_eq!(third.source, Source::Header);
    // Expires counts from the response's Date: one day.
    assert_eq!(observed(&report, "fourth").lifetime_seconds, Some(86_400));
}

#[test]
fn reports_a_malformed_set_cookie_line_and_keeps_the_others() {
    let server = Server::start(|_| {
        Reply::html("<p>x</p>")
            .with("Set-Cookie", "novalue")
            .with("Set-Cookie", "good=1; Max-Age=10")
    });
    let report = audit_at(&server.url("/"), Duration::from_secs(10));
    let hop = &report.requests[0];
    assert_eq!(hop.set_cookie, ["novalue", "good=1; Max-Age=10"]);
    assert_eq!(hop.rejected_set_cookie.len(), 1);
    assert_eq!(hop.rejected_set_cookie[0].line, "novalue");
    assert!(!hop.rejected_set_cookie[0].reason.is_empty());
    observed(&report, "good");
}

#[test]
fn reads_gzip_and_brotli_pages() {
    let page = |name: &str| {
        format!("<script>document.cookie = \"{name}=1; max-age=120; path=/\";</script>")
    };
    let (gz, br) = (page("zipped"), page("brotlied"));
    let server = Server::start(move |path| match path {
        "/" => Reply::html(&gz).gzip(),
        _ => Reply::html(&br).brotli(),
    });
    let report = audit_at(&server.url("/"), Duration::from_secs(10));
    assert_eq!(report.error, None);
    let zipped = observed(&report, "zipped");
    assert_eq!(
        (zipped.source, zipped.lifetime_seconds),
        (Source::Script, Some(120))
    );
    assert_eq!(observed(&report, "brotlied").source, Source::Script);
}

#[test]
fn decodes_the_declared_charset_and_replaces_invalid_utf8() {
    let server = Server::start(|path| match path {
        "/" => Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: b"<p>caf\xff\xfe</p><script>document.cookie='ok=1'</script>".to_vec(),
        },
        _ => Reply::Full {
            status: 200,
            headers: vec![(
                "Content-Type".into(),
                "text/html; charset=iso-8859-1".into(),
            )],
            body: b"<p>caf\xe9</p>".to_vec(),
        },
    });
    let report = audit_at(&server.url("/"), Duration::from_secs(10));
    assert_eq!(report.error, None);
    observed(&report, "ok");
    assert!(
        report.notes.iter().any(|n| n.contains("not valid UTF-8")),
        "{:?}",
        report.notes
    );
    let latin = fetch(&server.url("/other"), FetchOptions::default()).unwrap();
    assert!(latin.body.contains("café"));
    assert_eq!(latin.decode_errors, None);
}

#[test]
fn stops_a_redirect_loop_after_ten_hops() {
    let server = Server::start(|path| match path {
        "/a" => Reply::redirect(302, "/b"),
        _ => Reply::redirect(302, "/a"),
    });
    let started = Instant::now();
    let report = audit_at(&server.url("/a"), Duration::from_secs(10));
    let error = report.error.expect("a loop is an error");
    assert!(error.contains("more than 10 redirects"), "{error}");
    assert!(error.contains(&server.url("/")), "{error}");
    assert_eq!(report.requests.len(), 11);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn refuses_a_redirect_to_a_file_url() {
    let server = Server::start(|_| Reply::redirect(302, "file:///etc/passwd"));
    let report = audit_at(&server.url("/"), Duration::from_secs(10));
    let error = report.error.expect("refused");
    assert!(error.contains("file:///etc/passwd"), "{error}");
    assert!(error.contains("not http or https"), "{error}");
}

#[test]
fn caps_an_endless_body() {
    let server = Server::start(|_| Reply::Endless);
    let options = FetchOptions {
        body_cap: 256 * 1024,
        ..FetchOptions::default()
    };
    let page = fetch(&server.url("/"), options).expect("a capped page");
    assert!(page.truncated);
    assert_eq!(page.body.len(), 256 * 1024);
    // Through the audit, with the default cap: a note, no error.
    let report = audit_at(&server.url("/"), Duration::from_secs(20));
    assert_eq!(report.error, None);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("cut at 5242880 bytes")),
        "{:?}",
        report.notes
    );
}

#[test]
fn times_out_a_server_that_drips_one_byte_at_a_time() {
    let server = Server::start(|_| Reply::Drip(Duration::from_millis(700)));
    let started = Instant::now();
    let report = audit_at(&server.url("/"), Duration::from_secs(2));
    let error = report.error.expect("a drip is an error");
    assert!(error.contains("timed out after 2 s"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn refuses_thousands_of_headers_with_a_clear_error() {
    let server = Server::start(|_| Reply::ManyHeaders(5000));
    let report = audit_at(&server.url("/"), Duration::from_secs(10));
    let error = report.error.expect("too many headers");
    assert!(error.contains(&server.url("/")), "{error}");
    assert!(error.to_lowercase().contains("header"), "{error}");
}

#[test]
fn one_site_failing_does_not_stop_the_others() {
    let server = Server::start(|_| Reply::html("<p>fine</p>"));
    // A port nothing listens on: bind one, then free it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let report = audit_many(&[&dead, &server.url("/")], Duration::from_secs(10));
    let error = report.sites[0].error.as_deref().expect("refused");
    assert!(
        error.contains(&dead) && error.contains("connect"),
        "{error}"
    );
    assert_eq!(report.sites[1].error, None);
    assert!(report.any_site_failed());
}

#[test]
fn cancelling_stops_a_slow_audit_at_once() {
    let server = Server::start(|_| Reply::Drip(Duration::from_millis(500)));
    let ws = bundled();
    let site = &ws.site("dashboard.paris").unwrap().site;
    let url = Url::parse(&server.url("/")).unwrap();
    let targets = vec![Target::new(&ws, site, Some(&url)); 3];
    let cancel = Cancel::new();
    let trigger = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        trigger.cancel();
    });
    let started = Instant::now();
    let report = audit_blocking(&targets, &http_only(), &|_| {}, &cancel).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        report
            .sites
            .iter()
            .all(|s| s.error.as_deref().is_some_and(|e| e.contains("cancelled")))
    );
}

#[test]
fn pathological_markup_is_audited_within_the_time_bound() {
    let mut markup = String::from("<html><body>");
    markup.push_str(&"<div>".repeat(100_000));
    markup.push_str(&"<table><tr><td>".repeat(5_000));
    for i in 0..20_000 {
        markup.push_str(&format!("<b id=b{i}><i class=c{i}>x"));
    }
    let attributes: Vec<String> = (0..50_000).map(|i| format!("a{i}=\"1\"")).collect();
    markup.push_str(&format!("<p {}>end</p>", attributes.join(" ")));
    let server = Server::start(move |path| {
        if path == "/" {
            Reply::html(&markup).with("Set-Cookie", "sessionid=s; Max-Age=1209600; HttpOnly")
        } else {
            Reply::html("<p>plain</p>")
        }
    });
    let start = Instant::now();
    let report = audit_at(&server.url("/"), Duration::from_secs(5));
    let took = start.elapsed();
    // Three pages, each bounded by the 5 s timeout, parsing included.
    assert!(took < Duration::from_secs(16), "took {took:?}");
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(
        observed(&report, "sessionid").lifetime_seconds,
        Some(1_209_600)
    );
}
