use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{emit, exit, fail, find_site};
use crate::render::{Format, build_document};
use crate::store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site id (its file name without `.ron`).
    site: String,
    /// The language (default: the site's default language).
    #[arg(long)]
    lang: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Txt)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(dir: &Path, args: Args) -> u8 {
    let ws = store::load_sites(dir);
    let file = match find_site(&ws, &args.site) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let site = &file.site;
    let lang = args.lang.unwrap_or_else(|| site.default_language.clone());
    if !site.languages.contains(&lang) {
        return fail(
            exit::USAGE,
            &format!(
                "{} is not published in {lang:?} (languages: {})",
                site.id,
                site.languages.join(", ")
            ),
        );
    }
    if args.format == Format::Pdf && args.out.is_none() && std::io::stdout().is_terminal() {
        return fail(
            exit::USAGE,
            "a PDF is not shown on a terminal: write it with --out FILE (or redirect the output)",
        );
    }
    let doc = build_document(site, &ws.cookies_of(site), &lang);
    let bytes = match args.format.render(&doc) {
        Ok(bytes) => bytes,
        Err(e) => return fail(exit::USAGE, &format!("{}: {e}", site.id)),
    };
    match emit(&bytes, args.out.as_deref()) {
        Ok(()) => exit::OK,
        Err(e) => fail(exit::USAGE, &e),
    }
}
