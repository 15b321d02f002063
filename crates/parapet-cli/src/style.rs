//! ANSI colours for text output, on only when asked for or when stdout is a terminal and
//! `NO_COLOR` is not set.

use std::io::IsTerminal;

use parapet_core::{Level, Verdict};

use crate::cli::ColorChoice;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
pub const BOLD: &str = "\x1b[1m";
pub const RED: &str = "\x1b[1;31m";
pub const GREEN: &str = "\x1b[1;32m";
pub const YELLOW: &str = "\x1b[1;33m";
pub const BLUE: &str = "\x1b[1;34m";
pub const MAGENTA: &str = "\x1b[1;35m";
pub const CYAN: &str = "\x1b[1;36m";

impl Style {
    pub fn for_stdout(choice: ColorChoice) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        Self { color }
    }

    #[cfg(test)]
    pub fn plain() -> Self {
        Self { color: false }
    }

    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    pub fn level_code(level: Level) -> &'static str {
        match level {
            Level::Deny => RED,
            Level::Approval => MAGENTA,
            Level::Warn => YELLOW,
            Level::Info | Level::Off => CYAN,
        }
    }

    pub fn verdict_code(verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Deny => RED,
            Verdict::Approval => MAGENTA,
            Verdict::Warn => YELLOW,
            Verdict::Allow => GREEN,
        }
    }
}
