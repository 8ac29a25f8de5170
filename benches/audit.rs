//! Audit speed: 200 sites on a local server that answers every request after 100 ms, against
//! `curl --parallel --parallel-max 8` fetching the same pages; and the audit's own CPU time per
//! site. Run with `cargo bench --bench audit`. The server runs in a child process (this same
//! binary, with `--serve`) so that its CPU time is not counted as the audit's.

#[path = "../tests/audit_support/mod.rs"]
mod audit_support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use audit_support::{Reply, Server, policy_html};
use policydesk::audit::{AuditOptions, Cancel, Target, audit_blocking};
use policydesk::store::load_sites;
use url::Url;

const SITES: usize = 200;
const DELAY: Duration = Duration::from_millis(100);

fn sites_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sites")
}

/// The home page of a portal: scripts, styles, a known service, a cookie written by a script.
fn home_page() -> String {
    let mut page = String::from(
        "<!doctype html><html lang=\"fr\"><head><title>Portail</title>\
         <link rel=\"stylesheet\" href=\"/static/ods-main.css\">\
         <script src=\"/static/ods-widgets.js\"></script>\
         <script async src=\"https://www.googletagmanager.com/gtag/js?id=G-BENCH\"></script>\
         <script>document.cookie = \"cookies_preferences=\" + encodeURIComponent(\"{}\") + \"; max-age=15778476; path=/\";</script>\
         </head><body ng-app=\"ods-widgets\">",
    );
    // About 40 KB of ordinary markup, as a portal's home page has.
    for i in 0..300 {
        page.push_str(&format!(
            "<div class=\"card\"><a href=\"/explore/dataset/set-{i}/\"><img src=\"/img/{i}.png\" alt=\"\">\
             Jeu de données {i}</a></div>"
        ));
    }
    page.push_str("</body></html>");
    page
}

fn serve() {
    let policy = policy_html(&sites_dir(), "dashboard.paris", "fr");
    let home = home_page();
    let server = Server::start(move |path| {
        let reply = if path.contains("/terms/cookies-policy") {
            Reply::html(&policy)
        } else {
            Reply::html(&home)
                .with(
                    "Set-Cookie",
                    "csrftoken=t; Max-Age=31449600; Path=/; SameSite=Lax",
                )
                .with(
                    "Set-Cookie",
                    "sessionid=s; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax",
                )
                .with("Set-Cookie", "django_language=fr; Max-Age=31536000; Path=/")
        };
        Reply::Delayed(DELAY, Box::new(reply))
    });
    println!("{}", server.addr);
    std::io::stdout().flush().ok();
    // Serve until the parent closes our stdin.
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

/// User + system CPU time of this process (Linux), from /proc/self/stat.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // Fields 14 and 15 of the file; 11 and 12 after the command name. 100 ticks a second.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn main() {
    if std::env::args().any(|a| a == "--serve") {
        serve();
        return;
    }
    let exe = std::env::current_exe().expect("own path");
    let mut child = Command::new(exe)
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut addr = String::new();
    BufReader::new(child.stdout.take().expect("server stdout"))
        .read_line(&mut addr)
        .expect("server address");
    let base = format!("http://{}", addr.trim());

    let ws = load_sites(&sites_dir());
    let site = &ws.site("dashboard.paris").expect("bundled site").site;
    let targets: Vec<Target> = (0..SITES)
        .map(|i| {
            let url = Url::parse(&format!("{base}/portal-{i}/")).expect("url");
            let mut t = Target::new(&ws, site, Some(&url));
            t.site.id = format!("portal-{i}");
            t
        })
        .collect();
    let urls: Vec<String> = targets
        .iter()
        .flat_map(|t| t.pages().into_iter().map(|(_, u)| u.to_string()))
        .collect();

    // curl: the same pages, 8 at once.
    let config: String = urls
        .iter()
        .map(|u| format!("url = \"{u}\"\noutput = \"/dev/null\"\n"))
        .collect();
    let config_file = std::env::temp_dir().join("policydesk-audit-bench.curl");
    std::fs::write(&config_file, config).expect("curl config");
    let started = Instant::now();
    let status = Command::new("curl")
        .args(["--silent", "--parallel", "--parallel-max", "8", "--config"])
        .arg(&config_file)
        .stderr(Stdio::null())
        .status();
    let curl = started.elapsed();
    let _ = std::fs::remove_file(&config_file);
    let curl_ok = status.is_ok_and(|s| s.success());

    // The audit, 8 sites at once.
    // Plain HTTP, as curl fetches; the browser engine has its own benchmark.
    let options = AuditOptions {
        engine: policydesk::audit::EngineChoice::Http,
        ..AuditOptions::default()
    };
    let cpu_before = cpu_time();
    let started = Instant::now();
    let report = audit_blocking(&targets, &options, &|_| {}, &Cancel::new()).expect("audit");
    let audit = started.elapsed();
    let cpu = cpu_time() - cpu_before;
    assert!(
        !report.any_site_failed(),
        "a site failed: {:?}",
        report.sites[0].error
    );

    // Parsing alone: the same pages read again, without fetching.
    let home = home_page();
    let home_url = Url::parse(&format!("{base}/")).expect("url");
    let parse_started = Instant::now();
    for _ in 0..SITES {
        std::hint::black_box(policydesk::audit::page::read(&home, &home_url));
    }
    let parse_per_site = parse_started.elapsed() / SITES as u32;

    let _ = child.stdin.take();
    let _ = child.kill();
    let _ = child.wait();

    println!(
        "audit of {SITES} sites ({} pages), server delay {DELAY:?}, 8 at once",
        urls.len()
    );
    println!(
        "  curl --parallel --parallel-max 8: {:.2} s{}",
        curl.as_secs_f64(),
        if curl_ok { "" } else { " (curl failed)" }
    );
    println!(
        "  policydesk audit:                 {:.2} s ({:.2}x curl)",
        audit.as_secs_f64(),
        audit.as_secs_f64() / curl.as_secs_f64()
    );
    println!(
        "  audit CPU time: {:.1} ms per site in all, of which parsing the home page {:.1} ms",
        cpu.as_secs_f64() * 1000.0 / SITES as f64,
        parse_per_site.as_secs_f64() * 1000.0
    );
}
