//! The app without a browser: the audit view says how to get one instead of failing silently.
//! (Its own test binary: it sets POLICYDESK_BROWSER for the whole process.)
#![cfg(feature = "gui")]

mod app_support;
mod common;

use app_support::{click, has_containing, open};
use common::copy_of_sites;

#[test]
fn without_a_browser_the_audit_view_says_how_to_get_one() {
    // SAFETY: the only test of this binary sets the variable before any thread reads it.
    unsafe {
        std::env::set_var("POLICYDESK_BROWSER", "/nonexistent/chromium");
    }
    let sites = copy_of_sites();
    let mut app = open(sites.path());
    click(&mut app, "Sites: dashboard.paris");
    click(&mut app, "Toolbar: Audit");
    assert!(has_containing(&app, "No browser found"));
    assert!(has_containing(&app, "apt-get install chromium"));
}
