//! Corpus tests for data classification.
//!
//! * Presidio's synthetic PII dataset (microsoft/presidio-research `data/synth_dataset_v2.json`,
//!   MIT): 1,500 sentences with labelled spans. Measures, per label, the recall of
//!   `classify_value(span, None)` (validators alone) and of `classify_value(span, context)` with
//!   the field name a micro app would use for such data, the recall and precision of
//!   `classify_values_in_text` over the whole sentences, and the false-positive rate on words
//!   outside labelled spans and on spans of labels that are not PII classes here
//!   (organisations, places, dates, titles, ages, nationalities, URLs). The table is printed
//!   with `cargo test -p parapet-core --test corpus_pii -- --nocapture`.
//! * Real low-code exports: a Mautic form workflow whose pinned data holds an e-mail, a
//!   WhatsApp number and a client IP; two exports that hold no personal data.
//!
//! Thresholds sit a little below the measured figures (see the report of the module's author
//! and the printed table); each can fail on a regression.

use parapet_core::unstable::classify::{
    classes, classify_field_name, classify_value, classify_values_in_text, DataClass,
};
use parapet_core::Sensitivity;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const PRESIDIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/corpus/pii/presidio-synth_dataset_v2.json"
);
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus");

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

struct Span {
    label: String,
    /// Byte range in the sentence (the dataset counts characters).
    start: usize,
    end: usize,
    value: String,
}

struct Sentence {
    text: String,
    spans: Vec<Span>,
}

fn char_to_byte(text: &str, ch: usize) -> usize {
    text.char_indices().nth(ch).map_or(text.len(), |(b, _)| b)
}

fn presidio() -> Vec<Sentence> {
    let root = load(PRESIDIO);
    let items = root.as_array().expect("a JSON array of samples");
    let mut out = Vec::new();
    for item in items {
        let text = item["full_text"].as_str().expect("full_text").to_string();
        let mut spans = Vec::new();
        for s in item["spans"].as_array().expect("spans") {
            let cs = usize::try_from(s["start_position"].as_u64().expect("start")).expect("usize");
            let ce = usize::try_from(s["end_position"].as_u64().expect("end")).expect("usize");
            let (start, end) = (char_to_byte(&text, cs), char_to_byte(&text, ce));
            let value = s["entity_value"]
                .as_str()
                .expect("entity_value")
                .to_string();
            assert_eq!(
                &text[start..end],
                value,
                "span offsets are character offsets"
            );
            spans.push(Span {
                label: s["entity_type"].as_str().expect("entity_type").to_string(),
                start,
                end,
                value,
            });
        }
        out.push(Sentence { text, spans });
    }
    assert_eq!(out.len(), 1500, "dataset size changed");
    out
}

/// Presidio label -> (our class, the field name a micro app would hold it under).
/// Context is part of the design for names, postcodes, address fragments and licences: the
/// context-free column shows what validators alone find.
fn mapping(label: &str) -> Option<(&'static str, &'static str)> {
    Some(match label {
        "EMAIL_ADDRESS" => ("email", "email"),
        "PHONE_NUMBER" => ("phone", "phone_number"),
        "CREDIT_CARD" => ("payment-card", "credit_card_number"),
        "IBAN_CODE" => ("iban", "iban"),
        "US_SSN" => ("us-ssn", "ssn"),
        "IP_ADDRESS" => ("ip-address", "ip_address"),
        "PERSON" => ("person-name", "full_name"),
        "STREET_ADDRESS" => ("postal-address", "street_address"),
        "ZIP_CODE" => ("postal-address", "zip_code"),
        "US_DRIVER_LICENSE" => ("national-id", "drivers_license_number"),
        _ => return None,
    })
}

/// Presidio has no date-of-birth label: a `DATE_TIME` in a sentence about a birth is one.
fn mapping_in(label: &str, sentence: &str) -> Option<(&'static str, &'static str)> {
    if label == "DATE_TIME" && is_birth_sentence(sentence) {
        return Some(("date-of-birth", "date_of_birth"));
    }
    mapping(label)
}

fn is_birth_sentence(s: &str) -> bool {
    let l = s.to_lowercase();
    l.contains("born") || l.contains("birth")
}

fn label_name(label: &str, sentence: &str) -> String {
    if label == "DATE_TIME" && is_birth_sentence(sentence) {
        "DATE_TIME(birth)".to_string()
    } else {
        label.to_string()
    }
}

/// Labels that are not PII classes here: no value of theirs may be reported.
const NON_PII_LABELS: [&str; 7] = [
    "ORGANIZATION",
    "GPE",
    "DATE_TIME",
    "TITLE",
    "AGE",
    "NRP",
    "DOMAIN_NAME",
];

fn luhn(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                if x * 2 > 9 {
                    x * 2 - 9
                } else {
                    x * 2
                }
            } else {
                x
            }
        })
        .sum();
    !d.is_empty() && sum % 10 == 0
}

#[derive(Default)]
struct Tally {
    n: usize,
    bare: usize,
    ctx: usize,
    text: usize,
}

fn ratio(a: usize, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        a as f64 / n as f64
    }
}

fn id(c: Option<&'static DataClass>) -> Option<&'static str> {
    c.map(|c| c.id)
}

#[test]
fn presidio_recall_and_precision() {
    let data = presidio();
    let mut per_label: BTreeMap<String, Tally> = BTreeMap::new();
    let mut missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut missed_bare: BTreeMap<String, Vec<String>> = BTreeMap::new();

    // Text-scan precision: every match must overlap a labelled span of a label that maps to
    // the same class.
    let mut text_matches = 0usize;
    let mut text_false: Vec<String> = Vec::new();

    for s in &data {
        let found = classify_values_in_text(&s.text);
        for &(c, a, b) in &found {
            assert!(
                a < b
                    && b <= s.text.len()
                    && s.text.is_char_boundary(a)
                    && s.text.is_char_boundary(b)
            );
            text_matches += 1;
            let ok = s.spans.iter().any(|sp| {
                sp.start < b
                    && a < sp.end
                    && mapping_in(&sp.label, &s.text).is_some_and(|(cls, _)| cls == c.id)
            });
            if !ok {
                text_false.push(format!("{} {:?} in {:?}", c.id, &s.text[a..b], s.text));
            }
        }
        for sp in &s.spans {
            let Some((want, ctx)) = mapping_in(&sp.label, &s.text) else {
                continue;
            };
            if sp.label == "CREDIT_CARD" && !luhn(&sp.value) {
                continue; // a synthetic number that is not a card number at all
            }
            let name = label_name(&sp.label, &s.text);
            let t = per_label.entry(name.clone()).or_default();
            t.n += 1;
            if id(classify_value(&sp.value, None)) == Some(want) {
                t.bare += 1;
            } else if matches!(sp.label.as_str(), "CREDIT_CARD" | "PHONE_NUMBER") {
                missed_bare
                    .entry(name.clone())
                    .or_default()
                    .push(sp.value.clone());
            }
            if id(classify_value(&sp.value, Some(ctx))) == Some(want) {
                t.ctx += 1;
            } else {
                missed.entry(name).or_default().push(sp.value.clone());
            }
            if found
                .iter()
                .any(|&(c, a, b)| c.id == want && sp.start < b && a < sp.end)
            {
                t.text += 1;
            }
        }
    }

    // False positives on words outside labelled spans.
    let mut words = 0usize;
    let mut word_false: Vec<String> = Vec::new();
    for s in &data {
        let mut pos = 0;
        for w in s.text.split_whitespace() {
            let start = s.text[pos..].find(w).map_or(pos, |i| pos + i);
            let end = start + w.len();
            pos = end;
            if s.spans.iter().any(|sp| sp.start < end && start < sp.end) {
                continue;
            }
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.is_empty() {
                continue;
            }
            words += 1;
            if let Some(c) = classify_value(w, None) {
                word_false.push(format!("{} {w:?}", c.id));
            }
        }
    }

    // False positives on spans of labels that are not PII classes here (no context, and under a
    // field name such data would have in an app).
    let mut other = 0usize;
    let mut other_false: Vec<String> = Vec::new();
    for s in &data {
        for sp in &s.spans {
            if !NON_PII_LABELS.contains(&sp.label.as_str())
                || mapping_in(&sp.label, &s.text).is_some()
            {
                continue;
            }
            let ctx = match sp.label.as_str() {
                "ORGANIZATION" => "company_name",
                "GPE" => "city",
                "DATE_TIME" => "created_at",
                "TITLE" => "job_title",
                "AGE" => "age",
                "NRP" => "nationality",
                _ => "website",
            };
            for c in [None, Some(ctx)] {
                other += 1;
                if let Some(found) = classify_value(&sp.value, c) {
                    other_false.push(format!("{} {:?} ({}, {c:?})", found.id, sp.value, sp.label));
                }
            }
        }
    }

    // Context precision: a value of one class under a field name of another class must not
    // take the field's class (`context` is trusted only for values of a plausible shape).
    let contexts = [
        ("email", "email"),
        ("phone", "phone_number"),
        ("payment-card", "credit_card_number"),
        ("iban", "iban"),
        ("us-ssn", "ssn"),
        ("ip-address", "ip_address"),
        ("person-name", "full_name"),
        ("postal-address", "street_address"),
        ("date-of-birth", "date_of_birth"),
    ];
    let mut confusion: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let mut confusion_examples: Vec<String> = Vec::new();
    for s in &data {
        for sp in &s.spans {
            let Some((own, _)) = mapping_in(&sp.label, &s.text) else {
                continue;
            };
            for (class, ctx) in contexts {
                if class == own {
                    continue;
                }
                let e = confusion.entry((own, class)).or_default();
                e.0 += 1;
                if id(classify_value(&sp.value, Some(ctx))) == Some(class) {
                    e.1 += 1;
                    if confusion_examples.len() < 2000 {
                        confusion_examples.push(format!("{own} {:?} under {ctx}", sp.value));
                    }
                }
            }
        }
    }
    let mut by_ctx: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((_, ctx), (n, k)) in &confusion {
        let e = by_ctx.entry(ctx).or_default();
        e.0 += n;
        e.1 += k;
    }

    eprintln!("\nPresidio synth_dataset_v2 (1,500 sentences) — recall per label");
    eprintln!(
        "{:<18} {:>5}  {:>9}  {:>12}  {:>9}   context used",
        "label", "n", "no ctx", "with ctx", "in text"
    );
    for (label, t) in &per_label {
        let ctx = if label == "DATE_TIME(birth)" {
            "date_of_birth"
        } else {
            mapping(label).map_or("", |m| m.1)
        };
        eprintln!(
            "{label:<18} {:>5}  {:>9.3}  {:>12.3}  {:>9.3}   {ctx}",
            t.n,
            ratio(t.bare, t.n),
            ratio(t.ctx, t.n),
            ratio(t.text, t.n)
        );
    }
    eprintln!(
        "text scan precision: {:.4} ({} of {} matches overlap a span of the same class)",
        ratio(text_matches - text_false.len(), text_matches),
        text_matches - text_false.len(),
        text_matches
    );
    eprintln!(
        "false-positive rate, words outside spans: {:.4} ({} of {words})",
        ratio(word_false.len(), words),
        word_false.len()
    );
    eprintln!(
        "false-positive rate, non-PII label spans (bare + typical context): {:.4} ({} of {other})",
        ratio(other_false.len(), other),
        other_false.len()
    );
    eprintln!("context precision: share of other classes' values taken for the context's class");
    for (ctx, (n, k)) in &by_ctx {
        eprintln!(
            "  under a {ctx:<15} field: {:.3} ({k} of {n})",
            ratio(*k, *n)
        );
    }
    for ((own, ctx), (n, k)) in &confusion {
        if *k > 0 {
            eprintln!("    {own} -> {ctx}: {k} of {n}");
        }
    }
    for (what, list) in [
        ("text", &text_false),
        ("word", &word_false),
        ("other-label", &other_false),
    ] {
        for f in list.iter().take(40) {
            eprintln!("  {what} FP: {f}");
        }
    }
    for e in confusion_examples.iter().take(60) {
        eprintln!("  context FP: {e}");
    }
    for (label, list) in &missed_bare {
        eprintln!(
            "  missed without context {label} ({}): {:?}",
            list.len(),
            &list[..list.len().min(40)]
        );
    }
    for (label, list) in &missed {
        eprintln!(
            "  missed with context {label}: {:?}",
            &list[..list.len().min(12)]
        );
    }

    let recall = |label: &str, which: fn(&Tally) -> usize| {
        let t = &per_label[label];
        ratio(which(t), t.n)
    };
    let bare = |t: &Tally| t.bare;
    let ctx = |t: &Tally| t.ctx;
    let text = |t: &Tally| t.text;
    // Measured (see the printed table): e-mail, IBAN, SSN, IP 1.000 in all three columns;
    // card 0.860 / 1.000 / 1.000; phone 0.630 / 1.000 / 0.826; street address 0.269 / 1.000 /
    // 0.380; person 0.000 / 1.000 / 0.000; date of birth - / 1.000 / 1.000.
    // Validators alone (no context): the classes a validator can confirm.
    assert!(recall("EMAIL_ADDRESS", bare) >= 0.98);
    assert!(recall("IBAN_CODE", bare) >= 0.95);
    assert!(recall("US_SSN", bare) >= 0.95);
    assert!(recall("IP_ADDRESS", bare) >= 0.95);
    // Luhn-valid synthetic cards: 12-digit Maestro numbers, 35xx numbers outside the real JCB
    // range (3528–3589) and one GTIN-14 lookalike are not reported without context.
    assert!(recall("CREDIT_CARD", bare) >= 0.84);
    // Phones without context: only international, NANP and trunk-0 national shapes
    // (`467 3395` or `9498777106` need a phone field or a keyword).
    assert!(recall("PHONE_NUMBER", bare) >= 0.6);
    // Street addresses without context: house number + street word only.
    assert!(recall("STREET_ADDRESS", bare) >= 0.25);
    // Names are never guessed without context.
    assert!(recall("PERSON", bare) <= 0.01);
    // With the field name the data would sit under.
    for label in [
        "EMAIL_ADDRESS",
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_SSN",
        "IP_ADDRESS",
        "PHONE_NUMBER",
        "PERSON",
        "STREET_ADDRESS",
        "ZIP_CODE",
        "DATE_TIME(birth)",
    ] {
        assert!(recall(label, ctx) >= 0.98, "{label} with context");
    }
    // Inside sentences (keywords such as "call", "card" or "born" act as context).
    assert!(recall("EMAIL_ADDRESS", text) >= 0.98);
    assert!(recall("CREDIT_CARD", text) >= 0.95);
    assert!(recall("IBAN_CODE", text) >= 0.95);
    assert!(recall("IP_ADDRESS", text) >= 0.95);
    assert!(recall("US_SSN", text) >= 0.95);
    assert!(recall("PHONE_NUMBER", text) >= 0.78);
    assert!(recall("STREET_ADDRESS", text) >= 0.35);
    assert!(recall("DATE_TIME(birth)", text) >= 0.9);
    // Precision.
    assert!(
        ratio(text_matches - text_false.len(), text_matches) >= 0.98,
        "text precision"
    );
    assert!(
        ratio(word_false.len(), words) <= 0.001,
        "words outside spans"
    );
    assert!(
        ratio(other_false.len(), other) <= 0.005,
        "non-PII label spans"
    );
    for (ctx, (n, k)) in &by_ctx {
        assert!(
            ratio(*k, *n) <= 0.02,
            "context precision under a {ctx} field"
        );
    }
}

/// Every string in a JSON document with the key it sits under (array items keep the key of
/// their array); keys are returned too.
fn strings(
    v: &Value,
    key: Option<&str>,
    ptr: &str,
    out: &mut Vec<(String, Option<String>, String)>,
    keys: &mut Vec<(String, String)>,
) {
    match v {
        Value::String(s) => out.push((ptr.to_string(), key.map(str::to_string), s.clone())),
        Value::Array(items) => {
            for (i, it) in items.iter().enumerate() {
                strings(it, key, &format!("{ptr}/{i}"), out, keys);
            }
        }
        Value::Object(map) => {
            for (k, it) in map {
                let p = format!("{ptr}/{k}");
                keys.push((p.clone(), k.clone()));
                strings(it, Some(k), &p, out, keys);
            }
        }
        _ => {}
    }
}

/// `(JSON pointer, class id)` pairs.
type Hits = Vec<(String, &'static str)>;

/// Classes found in a corpus file: by value (with its key as context) and by key.
fn classify_file(rel: &str) -> (Hits, Hits) {
    let doc = load(&format!("{CORPUS}/{rel}"));
    let (mut vals, mut keys) = (Vec::new(), Vec::new());
    strings(&doc, None, "", &mut vals, &mut keys);
    assert!(!vals.is_empty(), "{rel} has strings");
    let by_value = vals
        .iter()
        .filter_map(|(p, k, s)| classify_value(s, k.as_deref()).map(|c| (p.clone(), c.id)))
        .collect();
    let by_key = keys
        .iter()
        .filter_map(|(p, k)| classify_field_name(k).map(|c| (p.clone(), c.id)))
        .collect();
    (by_value, by_key)
}

#[test]
fn mautic_form_pin_data_holds_pii() {
    let (values, keys) = classify_file("n8n/mautic-form-webhook-pindata-pii.json");
    eprintln!("mautic values: {values:?}\nmautic keys: {keys:?}");
    let found: BTreeSet<&str> = values.iter().map(|(_, c)| *c).collect();
    for want in ["email", "phone", "ip-address"] {
        assert!(found.contains(want), "{want} not found in {values:?}");
    }
    let at = |p: &str| values.iter().find(|(q, _)| q == p).map(|(_, c)| *c);
    assert_eq!(
        at("/pinData/WordpressForm/0/json/body/E-mail"),
        Some("email")
    );
    assert_eq!(
        at("/pinData/WordpressForm/0/json/body/WhatsApp"),
        Some("phone")
    );
    assert_eq!(
        at("/pinData/WordpressForm/0/json/headers/x-forwarded-for"),
        Some("ip-address")
    );
    // Expressions under PII keys (`={{ $json.email }}`) are not values.
    assert_eq!(at("/nodes/7/parameters/email"), None);
    assert_eq!(
        at("/nodes/0/parameters/assignments/assignments/2/value"),
        None
    );
    // Nothing restricted in this file.
    assert!(values.iter().all(|(_, c)| !restricted(c)), "{values:?}");
    // Keys name the same data.
    let key_classes: BTreeSet<&str> = keys.iter().map(|(_, c)| *c).collect();
    for want in ["email", "phone", "ip-address"] {
        assert!(
            key_classes.contains(want),
            "{want} key not found in {keys:?}"
        );
    }
}

fn restricted(id: &str) -> bool {
    classes()
        .iter()
        .any(|c| c.id == id && c.level == Sensitivity::Restricted)
}

#[test]
fn exports_without_personal_data_find_nothing() {
    for rel in [
        "n8n/function-only-no-findings.json",
        "node-red/dashboard-layouts-no-findings.json",
        "power-automate/try-catch-finally-no-findings.json",
    ] {
        let (values, keys) = classify_file(rel);
        let restricted_hits: Vec<_> = values
            .iter()
            .chain(&keys)
            .filter(|(_, c)| restricted(c))
            .collect();
        assert!(restricted_hits.is_empty(), "{rel}: {restricted_hits:?}");
        // Stronger: no value is personal data at all. (Keys may name a class: Power Automate's
        // `displayName` is a person-name key by design, though here it holds a flow's name.)
        assert!(values.is_empty(), "{rel}: {values:?}");
    }
}
