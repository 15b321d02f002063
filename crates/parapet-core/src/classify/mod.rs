//! Data classification: field names (split on `_`, `-`, `.`, spaces and camelCase) and values
//! (with validators: Luhn + issuer prefixes, IBAN mod-97, SSN area/group rules, e-mail, phone,
//! IP, date of birth).
//!
//! Entry points:
//! - `classify_field_name(name)`: data fields, header names and setting keys (the walk,
//!   `walk.rs`, calls it once per distinct key).
//! - `KeyContext::new(key)` once per distinct key, then `classify_value_in(value, context)` per
//!   string under it: what the walk uses for samples, settings and other strings.
//! - `classify_value(value, key)`: the same without a cached context (tests and tooling).
//! - `classify_values_in_text(text)`: the classes found inside free text, with byte ranges.
//! - `classes()` lists every class.
//!
//! # Design (what needs context)
//!
//! Precision first: a false positive costs a citizen developer an approval round-trip.
//!
//! * **Field names** are matched token by token, never by substring (`zipper`, `description`,
//!   `shipping_method`, `ipsum`, `recipe` match nothing). A match is dropped when the next token
//!   says the field is *about* the data rather than the data itself (`email_template`,
//!   `email_verified`, `phone_type`, `password_policy`, `secret_ref`), or when the name starts
//!   with a boolean/action prefix (`is_`, `has_`, `send_`, `enable_`...). Identifiers (`id`,
//!   `user_id`, `employee_id`, `username`, `user_name`) are pseudonymous keys, not a class here.
//!   `name` alone is not a person name (too often a product, app or node name); it is one with
//!   a person qualifier (`first_name`, `display_name`, `customer_name`, `surname`...), never with
//!   another one (`app_name`, `company_name`, `file_name`, `host_name`). `password`, `secret`,
//!   `api_key`, `*_token`, `Authorization` name credentials; a key named `credentials` does not
//!   (in n8n, CORS or Backstage exports it holds references or a flag), and browser metadata
//!   headers (`sec-ch-ua-mobile`) are skipped.
//! * **Values without context** are reported only when a validator says so: e-mail (real shape,
//!   alphabetic TLD that is not a file extension), payment card (13–19 digits, Luhn, known issuer
//!   prefix and length, not embedded in a longer token, not a 13/14-digit number that is also a
//!   valid EAN/GTIN barcode), IBAN (country length table + mod-97),
//!   US SSN (dashed `AAA-GG-SSSS` with the area/group/serial rules), IP (IPv4 with octets
//!   ≤ 255, IPv6; not unspecified, loopback, broadcast or netmask; not the host of a URL; not
//!   after the word "version"), phone (`+`/`00` international with 8–15 digits, NANP
//!   `(AAA) EEE-NNNN` shapes, or trunk-`0` national numbers with separators; never a date, a
//!   version or a bare integer) and street addresses (house number + street-type word such as
//!   `Street`, `Ave`, `Road`, `Strasse`, or `Rue`/`Rua`/`Calle`... + number).
//! * **Values with context** (the key or field name they sit under): when the context names a
//!   class, a value of a plausible shape for it is that class. Only this way are found: person
//!   names, dates of birth, postcodes and address fragments, passport and national ids, bank
//!   account and routing numbers, health, salary and credentials, as well as phone numbers in
//!   other national formats (7–15 digits, e.g. `467 3395` under `phone`), undashed SSNs
//!   (`ssn: 123456789`) and 12-digit Maestro cards. Expressions and placeholders
//!   (`{{ $json.email }}`, `${PASSWORD}`, `<your key>`, `xxxx`) are never a value. A role
//!   context (`owner`, `author`, `customer`, `contact`, ...) makes a strictly name-shaped value
//!   (2–4 capitalised words, no company words) a person name; `restaurant: Thai Garden` or
//!   `company: Acme Corp` never are. `displayName`/`nickname` are also every UI label's key, so
//!   under them only strictly name-shaped values count (`Janelle Dawe`, not `slug`). A version context (`version: 1.2.3.4`) or an
//!   infrastructure context (`dns_server: 8.8.8.8`) keeps IPs from being reported.
//! * **Free text** is scanned with the same validators; keywords just before a number (same
//!   line, or the line above when the number starts its line: `phone`, `call`, `ssn`, `born`,
//!   `card`...) or a label right after it (`office`, `fax`, `mobile`) play the role of the
//!   context. Inside URLs only the query string is looked at (for e-mail addresses).
//! * If a value holds several classes, the most sensitive is returned (ties: the first found).

use crate::model::Sensitivity;

mod names;
mod streets;
mod text;
mod validate;

#[cfg(test)]
mod tests;

/// A class of data, with its sensitivity.
#[derive(Debug, PartialEq, Eq)]
pub struct DataClass {
    /// Stable id used in reports (`email`, `us-ssn`, `payment-card`, ...).
    pub id: &'static str,
    /// Plain-language label ("e-mail address").
    pub label: &'static str,
    pub level: Sensitivity,
}

const fn class(id: &'static str, label: &'static str, level: Sensitivity) -> DataClass {
    DataClass { id, label, level }
}

use Sensitivity::{Confidential, Restricted};

/// Every class, in a fixed order (indices below).
static CLASSES: [DataClass; 15] = [
    class("email", "e-mail address", Confidential),
    class("phone", "phone number", Confidential),
    class("person-name", "person's name", Confidential),
    class("postal-address", "postal address", Confidential),
    class("date-of-birth", "date of birth", Confidential),
    class("ip-address", "IP address", Confidential),
    class("us-ssn", "US social security number", Restricted),
    class("passport", "passport number", Restricted),
    class("national-id", "national identity or tax number", Restricted),
    class("payment-card", "payment card number", Restricted),
    class("iban", "IBAN", Restricted),
    class("bank-account", "bank account number", Restricted),
    class("health", "health information", Restricted),
    class("salary", "salary or compensation", Restricted),
    class("credentials", "credentials", Restricted),
];

/// Indices into [`CLASSES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum C {
    Email = 0,
    Phone,
    PersonName,
    PostalAddress,
    DateOfBirth,
    IpAddress,
    UsSsn,
    Passport,
    NationalId,
    PaymentCard,
    Iban,
    BankAccount,
    Health,
    Salary,
    Credentials,
}

impl C {
    pub(crate) fn class(self) -> &'static DataClass {
        &CLASSES[self as usize]
    }
}

/// Keeps the more sensitive of two classes (the first on a tie).
pub(crate) fn more_sensitive(
    a: Option<&'static DataClass>,
    b: Option<&'static DataClass>,
) -> Option<&'static DataClass> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.level > x.level { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Every class the classifier can report.
pub fn classes() -> &'static [DataClass] {
    &CLASSES
}

/// The class a data field name, header name or setting key names, if any.
pub fn classify_field_name(name: &str) -> Option<&'static DataClass> {
    names::field_class(name).map(C::class)
}

/// The most sensitive class found in `value`; `context` is the field name or key it sits under.
pub fn classify_value(value: &str, context: Option<&str>) -> Option<&'static DataClass> {
    let ctx = context.map(KeyContext::new);
    classify_value_in(value, ctx.as_ref())
}

/// What a key says about the values under it, computed once and reused for every value under
/// the same key (the engine keeps one per distinct key while it walks a document).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyContext(names::Context);

impl KeyContext {
    pub fn new(key: &str) -> Self {
        KeyContext(names::Context::new(key))
    }

    /// [`classify_field_name`] of the key (computed with the context: one tokenization serves
    /// both).
    pub fn field_class(&self) -> Option<&'static DataClass> {
        self.0.class.map(C::class)
    }
}

/// [`classify_value`] with a precomputed key context.
pub fn classify_value_in(value: &str, context: Option<&KeyContext>) -> Option<&'static DataClass> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    // (The empty context is only built for a value without a key.)
    let default;
    let ctx = match context {
        Some(c) => &c.0,
        None => {
            default = names::Context::default();
            &default
        }
    };
    let mut best = None;
    if let Some(c) = ctx.class {
        if validate::fits(c, v, ctx) {
            best = Some(c.class());
        }
    } else if context.is_some() && ctx.person_role() && validate::strict_person_name(v) {
        best = Some(C::PersonName.class());
    }
    if best.is_some_and(|b| b.level == Sensitivity::Restricted) {
        return best;
    }
    let hints = text::Hints::from_context(ctx);
    for m in text::scan(v, &hints, text::MAX_MATCHES) {
        best = more_sensitive(best, Some(m.class.class()));
        if m.class.class().level == Sensitivity::Restricted {
            break;
        }
    }
    best
}

/// Most matches [`classify_values_in_text`] returns.
pub const MAX_TEXT_MATCHES: usize = text::MAX_MATCHES;

/// The classes found inside free text, with their byte ranges (`start..end`), in text order;
/// at most [`MAX_TEXT_MATCHES`]. Only classes a validator can recognise without a field name
/// are found (see the module documentation); keywords just before a number act as context.
pub fn classify_values_in_text(text: &str) -> Vec<(&'static DataClass, usize, usize)> {
    text::scan(text, &text::Hints::default(), text::MAX_MATCHES)
        .into_iter()
        .map(|m| (m.class.class(), m.start, m.end))
        .collect()
}
