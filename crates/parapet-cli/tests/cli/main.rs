//! Integration tests: run the built `parapet` binary on the examples and on temporary files.

mod check;
mod commands;
mod common;
mod formats;
mod hostile;
mod secrets;
mod sidecar;
mod signed;
