//! Benchmark inputs shared by the benches: the generated typical manifests and the Rego policy.

/// A typical micro app: 60 fields, 20 connectors, secrets and PII sprinkled in.
pub const TYPICAL: &str = include_str!("../../parapet-core/benches/data/typical.json");
/// The same app, ten times larger.
pub const TYPICAL_X10: &str = include_str!("../../parapet-core/benches/data/typical-x10.json");
/// Seven of Parapet's rules written in Rego, for the regorus baseline.
pub const POLICY_REGO: &str = include_str!("../policy.rego");
