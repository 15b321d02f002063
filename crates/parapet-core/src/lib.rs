//! Parapet's engine. Takes source text, a policy pack and `now`; returns a [`Report`].
//! No I/O, no clock, no wasm: hosts (CLI, wasm, edge) supply everything.

pub mod classify;
pub mod document;
pub mod model;
pub mod parse;
pub mod report;
pub mod rules;
pub mod secrets;
pub mod source;

pub use model::{Date, Level, Sensitivity, Tier, Verdict};
pub use report::Report;
pub use rules::{Rule, RuleMeta, CATALOGUE};
