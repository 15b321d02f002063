//! `parapet`: checks micro-app manifests against a tiered policy, for people and for CI.
//! See docs/cli.md for the contract.

mod attest;
mod catalog_cmd;
mod check;
mod cli;
mod frame;
mod out;
mod policy_cmd;
mod render;
mod rules_cmd;
mod style;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, PolicyCommand};
use crate::style::Style;

/// The process exit status (the contract: 0, 1 or 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above `--fail-on`.
    Ok,
    /// Something is at or above `--fail-on`.
    Fail,
    /// Usage, I/O or invalid policy error.
    Error,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(match e {
            Exit::Ok => 0,
            Exit::Fail => 1,
            Exit::Error => 2,
        })
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and --version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            let code = if e.use_stderr() { 2 } else { 0 };
            return ExitCode::from(code);
        }
    };
    let exit = match cli.command {
        Command::Check(args) => check::run(args, cli.color),
        Command::Rules(args) => rules_cmd::run(args, Style::for_stdout(cli.color)),
        Command::Policy(PolicyCommand::Default) => policy_cmd::default(),
        Command::Policy(PolicyCommand::Check { file }) => policy_cmd::check(&file),
        Command::Catalog(args) => catalog_cmd::run(args),
        Command::Attest(args) => attest::attest(args),
        Command::Verify(args) => attest::verify(args),
    };
    exit.into()
}
