//! Field names for people: a finding's JSON Pointer as the words a builder recognises
//! (`/spec/connectors/1/headers/Authorization` → `connectors`, `slack`, `headers`,
//! `Authorization`), computed from the already-parsed document when
//! [`crate::EvaluateOptions::field_names`] asks for them. Every label that comes from the
//! manifest passes the evaluation's [`Redactor`]; an item whose `name` is a secret is shown by
//! its position (`#2`).

use crate::hash::Set;

use crate::document::{append_token, pointer_tokens, Node};
use crate::redact::Redactor;

/// Longest label shown, in characters (longer ones are cut, with `…`).
pub const MAX_LABEL_CHARS: usize = 48;

/// Friendlier words for a few manifest keys; anything else is shown as written.
fn key_word(key: &str) -> Option<&'static str> {
    Some(match key {
        "dataClassification" => "data classification",
        "allowOrigins" => "allowed origins",
        "allowCredentials" => "allow credentials",
        "budgetMonthly" => "monthly budget",
        "estimateMonthly" => "monthly estimate",
        "actualMonthly" => "monthly actual",
        "responseHours" => "response hours",
        "lastReviewed" => "last reviewed",
        "retireBy" => "retire by",
        "apiVersion" => "API version",
        _ => return None,
    })
}

/// Names fields of one evaluated document.
pub(crate) struct FieldNamer<'a> {
    root: Option<&'a Node>,
    redactor: &'a Redactor<'a>,
    /// Pointers of values the walk found to be secrets: never shown as a label.
    secret_paths: Set<&'a str>,
}

impl<'a> FieldNamer<'a> {
    pub fn new(
        root: Option<&'a Node>,
        redactor: &'a Redactor<'a>,
        secret_paths: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Self {
            root,
            redactor,
            secret_paths: secret_paths.into_iter().collect(),
        }
    }

    /// The name segments of `pointer`: none for the whole document; `spec` is left out when
    /// something under it is named; list items by their `name` (or `#n`, 1-based).
    pub fn name(&self, pointer: &str, root: bool) -> Vec<String> {
        let root = if root { self.root } else { None };
        let tokens: Vec<_> = pointer_tokens(pointer).collect();
        let mut node = root;
        let mut at = String::new();
        let mut parts = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            let parent = node;
            node = parent.and_then(|n| child(n, token));
            append_token(&mut at, token);
            if i == 0 && token == "spec" && tokens.len() > 1 {
                continue; // everything interesting is under spec; don't say so each time
            }
            let is_index =
                parent.and_then(Node::as_seq).is_some() && token.parse::<usize>().is_ok();
            if is_index {
                parts.push(self.item_label(node, &at, token));
            } else {
                parts.push(key_word(token).map_or_else(|| self.safe(token), str::to_owned));
            }
        }
        parts
    }

    /// A list item: its `name` when it has a safe one, else its position (`#2`).
    fn item_label(&self, node: Option<&Node>, at: &str, index: &str) -> String {
        let name = node
            .and_then(|n| n.get("name"))
            .and_then(Node::as_str)
            .filter(|s| !s.trim().is_empty());
        let name_path = format!("{at}/name");
        match name {
            Some(name) if !self.secret_paths.contains(name_path.as_str()) => self.safe(name),
            _ => {
                let n = index.parse::<usize>().map(|i| i + 1).unwrap_or(0);
                format!("#{n}")
            }
        }
    }

    /// A manifest-derived label: redacted whole when it holds a found secret, cut when long.
    fn safe(&self, text: &str) -> String {
        if self.redactor.knows_secret_in(text) {
            return crate::secrets::redact(text);
        }
        if text.chars().count() > MAX_LABEL_CHARS {
            let mut s: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
            s.push('…');
            return s;
        }
        text.to_owned()
    }
}

fn child<'n>(node: &'n Node, token: &str) -> Option<&'n Node> {
    if let Some(seq) = node.as_seq() {
        return token.parse::<usize>().ok().and_then(|i| seq.get(i));
    }
    node.get(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Limits;
    use crate::parse::{parse, Syntax};
    use crate::secrets::SecretScanner;

    fn name(text: &str, pointer: &str, secrets: &[&str], found: &[&str]) -> String {
        let parsed = parse(text, Syntax::Auto, &Limits::default()).ok();
        let scanner = SecretScanner::new(Vec::new());
        let redactor = Redactor::new(&scanner, found.iter().copied());
        FieldNamer::new(
            parsed.as_ref().map(|p| &p.root),
            &redactor,
            secrets.iter().copied(),
        )
        .name(pointer, true)
        .join(" › ")
    }

    const DOC: &str = r#"{"spec":{"connectors":[{"name":"workday"},{"name":"slack","headers":{"Authorization":"x"}},{"type":"http"}],"cost":{"budgetMonthly":3}}}"#;

    #[test]
    fn names_items_and_keys() {
        assert_eq!(
            name(DOC, "/spec/connectors/1/headers/Authorization", &[], &[]),
            "connectors › slack › headers › Authorization"
        );
        assert_eq!(name(DOC, "/spec/connectors/2", &[], &[]), "connectors › #3");
        assert_eq!(
            name(DOC, "/spec/cost/budgetMonthly", &[], &[]),
            "cost › monthly budget"
        );
        assert_eq!(name(DOC, "", &[], &[]), "");
        assert_eq!(name(DOC, "/spec", &[], &[]), "spec");
        assert_eq!(name(DOC, "/spec/a~1b~0c", &[], &[]), "a/b~c");
    }

    #[test]
    fn unparsable_text_still_gets_a_name() {
        assert_eq!(
            name("{{{", "/spec/connectors/0/url", &[], &[]),
            "connectors › 0 › url"
        );
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "n".repeat(60);
        let doc = format!(r#"{{"spec":{{"connectors":[{{"name":"{long}"}}]}}}}"#);
        let label = name(&doc, "/spec/connectors/0", &[], &[]);
        assert_eq!(label.chars().count(), "connectors › ".chars().count() + 48);
        assert!(label.ends_with('…'));
    }

    #[test]
    fn a_name_that_holds_a_secret_is_not_shown() {
        let label = name(DOC, "/spec/connectors/1", &["/spec/connectors/1/name"], &[]);
        assert_eq!(label, "connectors › #2");
        // A secret *value* under a key still names the key: the key is not the secret.
        let key = name(
            DOC,
            "/spec/connectors/1/headers/Authorization",
            &["/spec/connectors/1/headers/Authorization"],
            &[],
        );
        assert_eq!(key, "connectors › slack › headers › Authorization");
        // A key the walk found to be a secret is redacted.
        let token = ["xoxb", "2048", "1234567890123", "Zq8Lm4Np7Rt2Vx5B"].join("-");
        let doc = format!(r#"{{"spec":{{"settings":{{"{token}":1}}}}}}"#);
        let label = name(&doc, &format!("/spec/settings/{token}"), &[], &[&token]);
        assert!(!label.contains(&token), "{label}");
        assert!(label.starts_with("settings › xoxb"), "{label}");
    }
}
