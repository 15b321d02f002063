//! Words for people: a plain-language title per rule, and JSON Pointers turned into field names
//! ("connectors › slack › headers › Authorization") that a citizen developer recognises.
//!
//! Everything here that comes from the manifest (item names, map keys) is checked by the
//! engine's own secret scanner before it is shown, so a token pasted into a name or used as a
//! key is rendered redacted, like the engine's messages.

use parapet_core::unstable::document::Node;
use parapet_core::unstable::secrets::{redact, SecretScanner};

/// A short, plain-language headline for a rule, written for the person building the app: the
/// `title` declared with the rule in `parapet_core`'s rules.
pub fn rule_title(id: &str) -> &'static str {
    parapet_core::Rule::from_id(id).map_or("Policy finding", |r| r.meta().title)
}

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

/// Decodes one RFC 6901 reference token.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Turns JSON Pointers into field names, using the parsed manifest for item names.
pub struct FieldNamer<'a> {
    root: Option<&'a Node>,
    scanner: &'a SecretScanner,
    /// Pointers at which the engine found a secret: never show the value there as a label.
    secret_paths: &'a [&'a str],
}

const MAX_LABEL_CHARS: usize = 48;

impl<'a> FieldNamer<'a> {
    pub fn new(
        root: Option<&'a Node>,
        scanner: &'a SecretScanner,
        secret_paths: &'a [&'a str],
    ) -> Self {
        Self {
            root,
            scanner,
            secret_paths,
        }
    }

    /// `/spec/connectors/1/headers/Authorization` → `connectors › slack › headers › Authorization`.
    pub fn name(&self, pointer: &str) -> String {
        if pointer.is_empty() {
            return "the whole app".to_owned();
        }
        let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
        let mut node = self.root;
        let mut at = String::new();
        let mut parts: Vec<String> = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            let parent = node;
            node = parent.and_then(|n| child(n, token));
            at.push('/');
            at.push_str(&token.replace('~', "~0").replace('/', "~1"));
            if i == 0 && token == "spec" && tokens.len() > 1 {
                continue; // everything interesting is under spec; don't say so each time
            }
            let is_index =
                parent.and_then(Node::as_seq).is_some() && token.parse::<usize>().is_ok();
            if is_index {
                parts.push(self.item_label(node, &at, token));
            } else {
                let word = key_word(token).map(str::to_owned);
                parts.push(word.unwrap_or_else(|| self.safe(token)));
            }
        }
        parts.join(" › ")
    }

    /// An array item: its `name` when it has a safe one, else its position ("#2").
    fn item_label(&self, node: Option<&Node>, at: &str, index: &str) -> String {
        let name = node
            .and_then(|n| n.get("name"))
            .and_then(Node::as_str)
            .filter(|s| !s.trim().is_empty());
        let name_path = format!("{at}/name");
        match name {
            // A finding at `…/name` means the value there is a secret: show the position only.
            Some(name) if !self.secret_paths.iter().any(|p| *p == name_path) => self.safe(name),
            _ => {
                let n = index.parse::<usize>().map(|i| i + 1).unwrap_or(0);
                format!("#{n}")
            }
        }
    }

    /// A manifest-derived label: redacted when the engine's scanner sees a secret in it,
    /// shortened when long.
    fn safe(&self, text: &str) -> String {
        if !self.scanner.scan(text, None).is_empty() {
            return redact(text);
        }
        if text.chars().count() > MAX_LABEL_CHARS {
            let mut s: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
            s.push('…');
            return s;
        }
        text.to_owned()
    }
}

/// Redacts anything the scanner recognises as a secret in `text` (defence in depth for the
/// engine's messages, which quote names and values).
pub fn redact_secrets(scanner: &SecretScanner, text: &str) -> String {
    let mut found = scanner.scan(text, None);
    if found.is_empty() {
        return text.to_owned();
    }
    found.sort_by_key(|m| std::cmp::Reverse(m.start));
    let mut out = text.to_owned();
    let mut limit = out.len();
    for m in found {
        let (start, end) = (m.start, m.end.min(limit));
        if start < end && out.is_char_boundary(start) && out.is_char_boundary(end) {
            out.replace_range(start..end, &redact(&text[start..end]));
            limit = start;
        }
    }
    out
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
    use parapet_core::unstable::document::Limits;
    use parapet_core::unstable::parse::{parse, Syntax};

    fn name(text: &str, pointer: &str, secrets: &[&str]) -> String {
        let parsed = parse(text, Syntax::Auto, &Limits::default()).ok();
        let scanner = SecretScanner::new(Vec::new());
        FieldNamer::new(parsed.as_ref().map(|p| &p.root), &scanner, secrets).name(pointer)
    }

    const DOC: &str = r#"{"spec":{"connectors":[{"name":"workday"},{"name":"slack","headers":{"Authorization":"x"}},{"type":"http"}],"cost":{"budgetMonthly":3}}}"#;

    #[test]
    fn names_items_and_keys() {
        assert_eq!(
            name(DOC, "/spec/connectors/1/headers/Authorization", &[]),
            "connectors › slack › headers › Authorization"
        );
        assert_eq!(name(DOC, "/spec/connectors/2", &[]), "connectors › #3");
        assert_eq!(
            name(DOC, "/spec/cost/budgetMonthly", &[]),
            "cost › monthly budget"
        );
        assert_eq!(name(DOC, "", &[]), "the whole app");
        assert_eq!(name(DOC, "/spec", &[]), "spec");
    }

    #[test]
    fn unparsable_text_still_gets_a_name() {
        assert_eq!(
            name("{{{", "/spec/connectors/0/url", &[]),
            "connectors › 0 › url"
        );
    }

    #[test]
    fn a_name_that_holds_a_secret_is_not_shown() {
        let label = name(DOC, "/spec/connectors/1", &["/spec/connectors/1/name"]);
        assert_eq!(label, "connectors › #2");
        // A secret *value* under a key still names the key: the key is not the secret.
        let key = name(
            DOC,
            "/spec/connectors/1/headers/Authorization",
            &["/spec/connectors/1/headers/Authorization"],
        );
        assert_eq!(key, "connectors › slack › headers › Authorization");
    }

    #[test]
    fn secrets_in_messages_are_redacted() {
        let scanner = SecretScanner::new(Vec::new());
        let token = ["xoxb", "2048", "1234567890123", "Zq8Lm4Np7Rt2Vx5B"].join("-");
        let message = format!("connector \"{token}…\" (weather) sends data outside");
        let safe = redact_secrets(&scanner, &message);
        assert!(!safe.contains(&token), "{safe}");
        assert!(
            safe.starts_with("connector \"xoxb") && safe.ends_with("(weather) sends data outside"),
            "{safe}"
        );
        assert_eq!(redact_secrets(&scanner, "nothing here"), "nothing here");
    }

    #[test]
    fn every_catalogue_rule_has_a_title() {
        for rule in parapet_core::CATALOGUE {
            assert_ne!(rule_title(rule.id), "Policy finding", "{}", rule.id);
        }
    }
}
