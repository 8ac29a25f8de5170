use std::path::Path;

use super::{exit, fail, load_reporting};
use crate::store::limits::{SITE_FILE, read_capped};
use crate::store::save::{SaveError, save_if_changed, site_text_keeping};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// List the files that are not in canonical form, and change nothing.
    #[arg(long)]
    check: bool,
}

/// Rewrites every site file in canonical form, keeping its comments. A file changed by another
/// program since it was read is left as it is, and named (exit 2).
pub fn run(dir: &Path, args: Args) -> u8 {
    let ws = load_reporting(dir);
    wait_for_test_signal();
    let mut differing = 0;
    let mut refused = 0;
    for file in &ws.sites {
        if args.check {
            let canonical = read_capped(&file.path, SITE_FILE)
                .map_err(|e| e.to_string())
                .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
                .and_then(|on_disk| {
                    site_text_keeping(&file.site, &on_disk, &file.path)
                        .map(|text| text == on_disk)
                        .map_err(|e| e.to_string())
                });
            match canonical {
                Ok(true) => {}
                Ok(false) => {
                    differing += 1;
                    println!("{}", file.path.display());
                }
                Err(e) => return fail(exit::USAGE, &format!("{}: {e}", file.path.display())),
            }
            continue;
        }
        match save_if_changed(&mut file.clone(), false) {
            Ok(_) => {}
            Err(SaveError::Conflict { path, .. }) => {
                refused += 1;
                fail(
                    exit::USAGE,
                    &format!(
                        "{path} changed on disk since fmt read it; it was left as it is (run fmt again)"
                    ),
                );
            }
            Err(e) => return fail(exit::USAGE, &e.to_string()),
        }
    }
    if refused > 0 {
        exit::USAGE
    } else if !ws.errors.is_empty() || (args.check && differing > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// A seam for the test of two writers at once: with `POLICYDESK_TEST_FMT_WAIT=<file>`, fmt says
/// so on stderr once it has read the files, then waits (at most a minute) for that file to
/// exist before writing, so the test can change a file in between.
fn wait_for_test_signal() {
    let Some(signal) = std::env::var_os("POLICYDESK_TEST_FMT_WAIT") else {
        return;
    };
    eprintln!(
        "policydesk: fmt read the files; waiting for {}",
        Path::new(&signal).display()
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !Path::new(&signal).exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
