//! Command-line arguments (the CLI contract in docs/cli.md).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use parapet_core::{Date, Level};

#[derive(Debug, Parser)]
#[command(
    name = "parapet",
    version,
    about = "Guardrails for low-code micro apps: checks manifests against a tiered policy.",
    after_help = "Exit codes: 0 nothing at or above --fail-on; 1 something is; 2 usage, I/O or invalid policy error."
)]
pub struct Cli {
    /// When to colour text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests against the policy.
    Check(CheckArgs),
    /// List the rule catalogue, or show one rule's documentation.
    Rules(RulesArgs),
    /// Print or validate a policy pack.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Write a Backstage Component entity (catalog-info.yaml) per manifest or vendor export.
    Catalog(CatalogArgs),
    /// Check a manifest and print a signed validation attestation (in-toto Statement v1 in a
    /// DSSE envelope, Ed25519). Exits 0 whatever the verdict: the attestation records it.
    Attest(AttestArgs),
    /// Verify a manifest against its attestation: the signature with a trusted key, the
    /// statement, and that it is about exactly this file. Exit 1 when it does not hold.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Manifest or vendor-export files, or directories (searched recursively for *.yaml,
    /// *.yml, *.json).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Write one `<name>.yaml` per app into this directory (created if missing) instead of
    /// printing the entities to standard output as a multi-document YAML stream.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// A policy pack (YAML or JSON) merged over the built-in default.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Today's date (the verdict's dated rules and the last-scanned annotation).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub now: Option<Date>,
}

#[derive(Debug, Args)]
pub struct AttestArgs {
    /// The manifest to check and attest.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The Ed25519 private key, PKCS#8 PEM (`openssl genpkey -algorithm ed25519`).
    #[arg(long, value_name = "KEY.pem")]
    pub key: PathBuf,

    /// Key id written in the signature (default: the key's RFC 7638 JWK thumbprint).
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,

    /// A policy pack merged over the built-in default.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Today's date for dated rules (default: the system clock's date, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub now: Option<Date>,

    /// Write the envelope here instead of standard output.
    #[arg(long, short, value_name = "ATT.json")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The manifest the attestation is about.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The DSSE envelope written by `parapet attest` or `POST /v1/attestations`.
    #[arg(long, value_name = "ATT.json")]
    pub attestation: PathBuf,

    /// The trusted public key: SPKI PEM, a JWKS (e.g. saved from the edge's /v1/keys) or a JWK.
    #[arg(long, value_name = "PUB.pem|JWKS")]
    pub key: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Manifest files or directories (searched recursively for *.yaml, *.yml, *.json), or `-`
    /// for standard input. Defaults to the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A policy pack (YAML or JSON) merged over the built-in default.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Output format. `json`: one report when a single file is named, otherwise an array.
    /// `sarif` levels: deny = error, approval and warn = warning, info = note. `github`:
    /// findings at or above --fail-on are errors, other warn/approval warnings, info notices.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Exit 1 when any finding is at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Approval)]
    pub fail_on: FailOn,

    /// Today's date for dated rules (review cadence, retirement, exception expiry).
    /// Defaults to the system clock's date (UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub now: Option<Date>,

    /// The file name to show for standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// The tier of vendor exports (n8n, Node-RED, Power Automate, Logic Apps, Make), which
    /// state none themselves. A manifest's own spec.tier is not overridden. Default: the
    /// export's `parapet:tier=` tag, else the pack's defaults.tier (built-in: sandbox).
    #[arg(long, value_enum)]
    pub tier: Option<TierArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    Sandbox,
    Controlled,
    Production,
}

impl TierArg {
    pub fn tier(self) -> parapet_core::Tier {
        match self {
            TierArg::Sandbox => parapet_core::Tier::Sandbox,
            TierArg::Controlled => parapet_core::Tier::Controlled,
            TierArg::Production => parapet_core::Tier::Production,
        }
    }
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule id (`group/name`); without it, the whole catalogue.
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// Show the levels in force under this policy pack instead of the catalogue defaults.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the built-in policy pack.
    Default,
    /// Validate a policy pack: `ok` and a summary, or each error as FILE:LINE:COL: message.
    Check {
        /// The pack file, or `-` for standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warn,
    Approval,
    Deny,
}

impl FailOn {
    pub fn level(self) -> Level {
        match self {
            FailOn::Warn => Level::Warn,
            FailOn::Approval => Level::Approval,
            FailOn::Deny => Level::Deny,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_date(s: &str) -> Result<Date, String> {
    if s.trim().len() != 10 {
        return Err(format!("expected a date as YYYY-MM-DD, got `{s}`"));
    }
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a valid calendar date (YYYY-MM-DD)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dates_must_be_real_calendar_dates() {
        assert!(parse_date("2026-11-28").is_ok());
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("28/11/2026").is_err());
        assert!(parse_date("2026-11-28T10:00:00Z").is_err());
    }
}
