use std::process::ExitCode;

use clap::Parser;
use policydesk::cli::{Cli, run};

fn main() -> ExitCode {
    run(Cli::parse())
}
