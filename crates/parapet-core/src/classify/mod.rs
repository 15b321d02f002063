//! Data classification: field names (split on `_`, `-`, camelCase) and values (with validators:
//! Luhn, mod-97, SSN area/group rules, e-mail, phone, IP, date of birth).
//!
//! INTERFACE (used by the engine; keep it stable):
//! - `classify_field_name(name)` for data fields, header names and setting keys.
//! - `classify_value(value, context)` for samples, settings and other strings; `context` is the
//!   field name or key the value sits under, if any.

use crate::model::Sensitivity;

/// A class of data, with its sensitivity.
#[derive(Debug, PartialEq, Eq)]
pub struct DataClass {
    /// Stable id used in reports (`email`, `us-ssn`, `payment-card`, ...).
    pub id: &'static str,
    /// Plain-language label ("e-mail address").
    pub label: &'static str,
    pub level: Sensitivity,
}

pub fn classify_field_name(name: &str) -> Option<&'static DataClass> {
    let _ = name;
    None
}

pub fn classify_value(value: &str, context: Option<&str>) -> Option<&'static DataClass> {
    let _ = (value, context);
    None
}

/// Every class the classifier can report.
pub fn classes() -> &'static [DataClass] {
    &[]
}
