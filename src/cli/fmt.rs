use std::path::Path;

use super::{exit, fail, load_reporting};
use crate::store::save::{site_text, write_atomically};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// List the files that are not in canonical form, and change nothing.
    #[arg(long)]
    check: bool,
}

pub fn run(dir: &Path, args: Args) -> u8 {
    let ws = load_reporting(dir);
    let mut differing = 0;
    for file in &ws.sites {
        let canonical = match site_text(&file.site) {
            Ok(text) => text,
            Err(e) => return fail(exit::USAGE, &format!("{}: {e}", file.path.display())),
        };
        if std::fs::read(&file.path).is_ok_and(|b| b == canonical.as_bytes()) {
            continue;
        }
        differing += 1;
        if args.check {
            println!("{}", file.path.display());
        } else if let Err(e) = write_atomically(&file.path, canonical.as_bytes()) {
            return fail(
                exit::USAGE,
                &format!("cannot write {}: {e}", file.path.display()),
            );
        }
    }
    if !ws.errors.is_empty() || (args.check && differing > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
