//! `secrets/*`: no credential is written into the app.

use super::{declare_rule, Context, RawFinding, Rule};
use std::borrow::Cow;

use crate::schema::display_name;

declare_rule! {
    /// A credential written into the app can be read by anyone who can see or export it, and
    /// lives on in copies, exports and version history.
    PLAINTEXT_SECRET = "secrets/plaintext-secret" {
        title: "A password or token is in plain text",
        summary: "a secret appears in any string value",
        defaults: [Deny, Deny, Deny],
        severity: 9.0,
        precision: High,
        help: "Revoke this credential, store a new one in the platform's credential store and reference it with auth: secretRef.",
        check: Some(plaintext_secret),
    }
}

/// One finding per secret the walk found, in a key or a value.
fn plaintext_secret(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    // `secrets.minConfidence` of the app's tier (every tier's lowest when the tier is unknown).
    let min = cx.pack.secrets_min_confidence(cx.tier);
    for s in &cx.walk.secrets {
        if s.confidence < min {
            continue;
        }
        let message = if s.in_key {
            format!(
                "{} in a key {} ({})",
                s.kind,
                place_of(&s.pointer),
                s.redacted()
            )
        } else {
            format!("{} {} ({})", s.kind, place_of(&s.pointer), s.redacted())
        };
        let mut f = RawFinding::new(
            Rule::SecretsPlaintextSecret,
            message,
            s.pointer.clone(),
            s.span,
        );
        f.secret = Some((s.reason, s.confidence));
        out.push(f);
    }
}

/// Where a string sits, in words a builder understands.
fn place_of(pointer: &str) -> Cow<'static, str> {
    let mut parts = pointer.split('/').skip(1);
    let mut next = || parts.next().unwrap_or("");
    let (top, second, _, fourth) = (next(), next(), next(), next());
    match (top, second) {
        ("spec", "connectors") if fourth == "headers" => "in a connector header".into(),
        ("spec", "connectors") if fourth == "url" => "in a connector URL".into(),
        ("spec", "connectors") => "in a connector".into(),
        ("spec", "settings") => format!(
            "in setting {}",
            display_name(pointer).trim_start_matches("spec.settings.")
        )
        .into(),
        ("spec", "data") => "in a data sample".into(),
        ("spec", "triggers") => "in a trigger".into(),
        ("metadata", _) => "in the app's metadata".into(),
        ("spec", "") | ("", _) => "in the document".into(),
        _ => format!("at {}", display_name(pointer)).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::place_of;

    #[test]
    fn places_in_words() {
        assert_eq!(
            place_of("/spec/connectors/0/headers/Authorization"),
            "in a connector header"
        );
        assert_eq!(
            place_of("/spec/settings/smtp/password"),
            "in setting smtp.password"
        );
        assert_eq!(place_of(""), "in the document");
        assert_eq!(place_of("/x/y"), "at x.y");
    }
}
