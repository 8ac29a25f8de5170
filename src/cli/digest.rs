use std::path::Path;

use super::{emit, exit, fail};
use crate::monitor::{digest, since};
use crate::timestamp::rfc3339;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compare each site's newest audit with its last audit at or before this moment: a date
    /// (2026-11-01), a date and time (2026-11-01T06:00:00Z) or a time ago (7d, 36h). Default:
    /// each site's newest audit against the one before it.
    #[arg(long, value_name = "DATE|DURATION")]
    since: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Write the digest to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Md,
    Json,
}

/// Exit 1 when the digest lists new findings of error severity.
pub fn run(dir: &Path, args: Args) -> u8 {
    let now = time::OffsetDateTime::now_utc();
    let since = match args
        .since
        .as_deref()
        .map(|s| since::parse(s, now))
        .transpose()
    {
        Ok(s) => s.map(rfc3339),
        Err(e) => return fail(exit::USAGE, &format!("--since: {e}")),
    };
    let d = digest::digest(dir, since.as_deref(), rfc3339(now));
    let text = match args.format {
        Format::Md => digest::markdown::render(&d),
        Format::Json => match serde_json::to_string_pretty(&d) {
            Ok(json) => json + "\n",
            Err(e) => return fail(exit::USAGE, &format!("cannot write the digest: {e}")),
        },
    };
    if let Err(e) = emit(&text, args.out.as_deref()) {
        return fail(exit::USAGE, &e);
    }
    if d.has_new_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
