//! What changed between two published versions: two bundles (folder or zip), two sites folders,
//! or one of each. Per site and language: sites added and removed, cookies added, removed or
//! changed field by field (platform rows resolved), and section texts as word diffs; with the
//! version findings (`check::version`) that say when a site's content changed but its policy
//! version or last review date did not move forward.
//!
//! `diff` prints it, `export --previous` writes it into the new bundle (`CHANGES.md`,
//! `changes.json`), `check --previous` keeps the findings, and the app's preview shows a site's
//! changes since the last export.

pub mod diff;
pub mod report;
pub mod snapshot;
pub mod words;

pub use diff::{Changes, Filter, Side, compare, compare_site};
pub use snapshot::{ReadError, SiteState, Snapshot};

/// The files `export --previous` adds at the top of a bundle.
pub const MARKDOWN_FILE: &str = "CHANGES.md";
pub const JSON_FILE: &str = "changes.json";

/// What changed from `old` to an export of the sites `ids` of `ws` made at `generated_at`
/// (what `export --previous` writes). The new side's path is `.`, the bundle holding the report,
/// so that where the bundle is written does not change its bytes.
pub fn since(
    old: &Snapshot,
    ws: &crate::store::Workspace,
    ids: &[String],
    generated_at: time::OffsetDateTime,
) -> Changes {
    let mut new = Snapshot::of_workspace(ws, Some(ids), std::path::Path::new("."));
    new.kind = snapshot::Kind::Bundle;
    new.generated_at = Some(crate::timestamp::rfc3339(generated_at));
    compare(old, &new, &Filter::default())
}

/// `CHANGES.md` and `changes.json` of `changes`, as `(path in the bundle, bytes)`.
pub fn bundle_files(changes: &Changes) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            MARKDOWN_FILE.to_string(),
            report::markdown(changes).into_bytes(),
        ),
        (JSON_FILE.to_string(), report::json(changes)),
    ]
}
