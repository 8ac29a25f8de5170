//! Finding the system's Chromium and running one for an audit: started in a process group of
//! its own with a throwaway profile, connected over the DevTools protocol, and always ended
//! (the whole group is killed when the [`Session`] is dropped: after the run, on cancel, on a
//! timeout, on a panic).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chromiumoxide::handler::HandlerConfig;
use futures_util::StreamExt;

/// The environment variable naming the browser to use.
pub const BROWSER_ENV: &str = "POLICYDESK_BROWSER";
/// The names looked for on `PATH`, in order. Chromium's headless shell comes first: the same
/// engine (Blink, V8, the network stack) without the browser window's machinery, it needs about
/// two thirds of the memory and less time (see BENCHMARKS.md); Playwright uses it for headless
/// runs for the same reason.
pub const BROWSER_NAMES: &[&str] = &[
    "chromium-headless-shell",
    "chrome-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
];
/// How to get a browser, for messages.
pub const HOW_TO_GET_ONE: &str = "install Chromium (Debian/Ubuntu: `apt-get install chromium`, \
     or the lighter `chromium-headless-shell`) or name one with --browser PATH or the \
     POLICYDESK_BROWSER variable";

/// How long Chromium may take to open its DevTools endpoint.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Flags for a quiet, headless browser on a closed network: no first-run UI, no background
/// calls to Google's hosts, no GPU. Site isolation is off so that third-party frames live in
/// the page's own process, where the page's session sees their requests and storage.
const FLAGS: &[&str] = &[
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--metrics-recording-only",
    "--no-pings",
    "--mute-audio",
    "--password-store=basic",
    "--use-mock-keychain",
    "--disable-dev-shm-usage",
    "--disable-site-isolation-trials",
    // Besides the page's own renderer, each context would get a spare renderer and the
    // omnibox popup's WebUI renderers (headless Chromium builds the whole browser window), and
    // a page left by navigation would stay in the back-forward cache: together about twice the
    // memory per open phase, for nothing an audit uses.
    "--disable-features=IsolateOrigins,site-per-process,Translate,MediaRouter,OptimizationHints,InterestFeedContentSuggestions,BackForwardCache,SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,PreloadTopChromeWebUI",
    "--window-size=1280,800",
    // Processes fewer: the (software) compositor and the network service run inside the
    // browser process, and no window (with its own renderer) opens before the phases' pages.
    "--in-process-gpu",
    "--enable-features=NetworkServiceInProcess2",
    "--no-startup-window",
    "--remote-debugging-port=0",
];

/// Profile preferences: cookie controls off (0 = allow third-party cookies, also off the record).
const PREFERENCES: &str =
    r#"{"profile":{"cookie_controls_mode":0,"block_third_party_cookies":false}}"#;

/// The browser to run: `explicit` (from `--browser`), else `POLICYDESK_BROWSER`, else the first
/// of [`BROWSER_NAMES`] on `PATH`.
pub fn find_browser(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return usable(path).map_err(|e| format!("--browser {}: {e}", path.display()));
    }
    if let Some(path) = std::env::var_os(BROWSER_ENV).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        return usable(&path).map_err(|e| format!("{BROWSER_ENV}={}: {e}", path.display()));
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    for name in BROWSER_NAMES {
        for dir in &dirs {
            let candidate = dir.join(name);
            if usable(&candidate).is_ok() {
                return Ok(candidate);
            }
        }
    }
    Err(format!(
        "no browser found: none of {} is on PATH; {HOW_TO_GET_ONE}",
        BROWSER_NAMES.join(", ")
    ))
}

fn usable(path: &Path) -> Result<PathBuf, String> {
    // A bare name is looked up on PATH, as a shell would.
    if path.components().count() == 1
        && let Some(found) = std::env::var_os("PATH").and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(path))
                .find(|c| c.is_file())
        })
    {
        return Ok(found);
    }
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot use it: {e}"))?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o111 == 0 {
            return Err("not executable".into());
        }
    }
    Ok(path.to_path_buf())
}

/// Kills the browser's whole process group when dropped, then reaps it.
struct ProcessGuard {
    child: Child,
    reaper: Option<Child>,
}

/// Starts a process that kills the process group `group` once this process ends, however it
/// ends (SIGKILL runs no destructor): it waits for the end of a pipe that only this process
/// holds. Unlike the kernel's parent-death signal, this also reaches a browser started by a
/// wrapper script that does not `exec` it (Debian's `chromium-headless-shell`). It leads a
/// group of its own, so a terminal's Ctrl-C does not end it before it has done its work.
fn spawn_reaper(group: u32) -> std::io::Result<Child> {
    let mut command = Command::new("/bin/sh");
    command
        .args(["-c", r#"read line; kill -s KILL -- "-$1" 2>/dev/null"#])
        .args(["policydesk-reaper", &group.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    command.spawn()
}

impl Drop for ProcessGuard {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        {
            // The browser leads its own group (see `launch`): this ends its helpers too.
            let group = self.child.id() as libc::pid_t;
            // SAFETY: kill(2) with a negative pid signals a process group; no memory is touched.
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        if let Some(mut reaper) = self.reaper.take() {
            // Closing its pipe lets it end (its kill finds the group already gone). Before the
            // browser is reaped: until then its unreaped process keeps the group's number from
            // being given to another.
            drop(reaper.stdin.take());
            let _ = reaper.wait();
        }
        let _ = self.child.wait();
    }
}

/// A running browser for one audit run.
pub struct Session {
    pub(crate) browser: chromiumoxide::Browser,
    /// Lowered when the DevTools connection ends: the browser crashed or was killed.
    alive: Arc<AtomicBool>,
    handler: tokio::task::JoinHandle<()>,
    pub executable: PathBuf,
    pub version: String,
    // Dropped in this order: the process group is killed before its profile is removed.
    guard: ProcessGuard,
    _profile: tempfile::TempDir,
}

impl Session {
    /// Starts `executable` headless and connects to it. Must run inside a tokio runtime, which
    /// must outlive the session.
    pub async fn launch(executable: &Path) -> Result<Session, String> {
        let profile = tempfile::Builder::new()
            .prefix("policydesk-browser-")
            .tempdir()
            .map_err(|e| format!("cannot create a browser profile folder: {e}"))?;
        // An ordinary visitor's profile allows third-party cookies; the contexts each phase opens
        // are off the record, where Chromium would block them unless the profile says not to.
        let defaults = profile.path().join("Default");
        std::fs::create_dir_all(&defaults)
            .and_then(|()| std::fs::write(defaults.join("Preferences"), PREFERENCES))
            .map_err(|e| format!("cannot prepare the browser profile: {e}"))?;
        let mut command = Command::new(executable);
        command
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if running_as_root() {
            // Chromium's sandbox refuses to run as root.
            command.arg("--no-sandbox");
        }
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", executable.display()))?;
        let mut guard = ProcessGuard {
            child,
            reaper: None,
        };
        // A killed audit must not leave its browser running (see `spawn_reaper`).
        let reaper = spawn_reaper(guard.child.id())
            .map_err(|e| format!("cannot start the browser's reaper (/bin/sh): {e}"))?;
        guard.reaper = Some(reaper);
        let stderr = guard.child.stderr.take();
        let ws = devtools_address(stderr)
            .await
            .map_err(|e| format!("{}: {e}", executable.display()))?;
        let config = HandlerConfig {
            request_timeout: Duration::from_secs(30),
            ..HandlerConfig::default()
        };
        let (browser, mut handler) = chromiumoxide::Browser::connect_with_config(ws, config)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", executable.display()))?;
        let alive = Arc::new(AtomicBool::new(true));
        let flag = alive.clone();
        let handler = tokio::spawn(async move {
            // Messages the typed protocol cannot read are skipped by the handler
            // (`ignore_invalid_messages`); any other error is the connection failing.
            while let Some(event) = handler.next().await {
                if event.is_err() && matches!(event, Err(chromiumoxide::error::CdpError::Ws(_))) {
                    break;
                }
            }
            flag.store(false, Ordering::SeqCst);
        });
        let version = browser
            .version()
            .await
            .map(|v| v.product)
            .unwrap_or_else(|_| "Chromium".into());
        Ok(Session {
            browser,
            alive,
            handler,
            executable: executable.to_path_buf(),
            version,
            guard,
            _profile: profile,
        })
    }

    /// Whether the browser still answers.
    pub fn is_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst) && !self.handler.is_finished()
    }

    /// The DevTools connection, for tests that drive pages of their own.
    pub fn browser(&self) -> &chromiumoxide::Browser {
        &self.browser
    }

    /// The browser's process id, for tests that end it on purpose.
    pub fn pid(&self) -> u32 {
        self.guard.child.id()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.handler.abort();
    }
}

/// Reads Chromium's stderr until it prints its DevTools address, then keeps draining it on a
/// thread so the browser never blocks on a full pipe.
async fn devtools_address(stderr: Option<std::process::ChildStderr>) -> Result<String, String> {
    let stderr = stderr.ok_or("no stderr to read the DevTools address from")?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        let mut last = Vec::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(at) = line.find("ws://") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(Ok(line[at..].trim().to_string()));
                }
            } else if tx.is_some() {
                last.push(line);
                if last.len() > 5 {
                    last.remove(0);
                }
            }
        }
        if let Some(tx) = tx.take() {
            let said = last.join(" | ");
            let _ = tx.send(Err(if said.is_empty() {
                "the browser exited before opening its DevTools endpoint".to_string()
            } else {
                format!("the browser exited before opening its DevTools endpoint: {said}")
            }));
        }
    });
    match tokio::time::timeout(START_TIMEOUT, rx).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err("the browser's output ended unexpectedly".into()),
        Err(_) => Err(format!(
            "the browser did not open its DevTools endpoint within {} s",
            START_TIMEOUT.as_secs()
        )),
    }
}

fn running_as_root() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: geteuid(2) cannot fail and touches no memory.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}
