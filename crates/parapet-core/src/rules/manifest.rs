//! `manifest/*`: the text must be YAML/JSON, and the document a Parapet manifest v1.

use crate::hash::Set;

use super::{declare_rule, Context, RawFinding, Rule};
use crate::document::{push_index, push_pointer, Node};
use crate::manifest::{API_VERSION, KIND, MANIFEST};
use crate::model::Level;
use crate::schema::{focus_span, validate, IssueKind};
use crate::source::Span;
use crate::text::truncate;

declare_rule! {
    /// The manifest could not be read as YAML or JSON, so nothing else in it can be checked.
    /// Also fires for input too large or too deeply nested to check safely, duplicate keys
    /// (the value is ambiguous), and text that is not valid UTF-8.
    SYNTAX = "manifest/syntax" {
        title: "The app definition can't be read",
        summary: "the text is not valid YAML/JSON",
        defaults: [Deny, Deny, Deny],
        severity: 5.0,
        precision: VeryHigh,
        help: "Fix the syntax error at the marked position; export the app again if the file was edited by hand.",
        // Unreadable input is reported by the engine (it has no document to check); duplicate
        // keys here.
        check: Some(duplicate_keys),
    }
    /// The document is valid YAML/JSON but not a Parapet manifest v1: wrong `apiVersion` or
    /// `kind`, a missing required field or a value of the wrong type. Unknown fields are
    /// reported at `warn` so that a typo such as `conectors` never silently hides a section.
    SCHEMA = "manifest/schema" {
        title: "Something in the app definition is missing or misspelt",
        summary: "wrong apiVersion/kind, missing required field, wrong type (unknown fields: warn)",
        defaults: [Deny, Deny, Deny],
        severity: 4.0,
        precision: VeryHigh,
        help: "Correct the field as described; see the manifest v1 reference for the expected shape.",
        check: Some(schema),
    }
}

fn duplicate_keys(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    for d in &cx.parsed.duplicates {
        let (line, _) = cx.index.line_col(cx.text, d.first.start);
        out.push(RawFinding::new(
            Rule::ManifestSyntax,
            format!(
                "duplicate key \"{}\" (first defined on line {line}); the value is ambiguous",
                truncate(&d.name, 60)
            ),
            String::new(),
            d.span,
        ));
    }
}

/// Whether the document is a Parapet manifest at all: a mapping with the right apiVersion or
/// kind. Other documents get one schema finding, not one per field, and no model.
pub(crate) fn is_manifest(root: &Node) -> bool {
    root.as_map().is_some()
        && (root.get("apiVersion").and_then(Node::as_str) == Some(API_VERSION)
            || root.get("kind").and_then(Node::as_str) == Some(KIND))
}

fn schema(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    for w in &cx.parsed.warnings {
        out.push(
            RawFinding::new(
                Rule::ManifestSchema,
                w.message.clone(),
                String::new(),
                w.span,
            )
            .capped(Level::Warn),
        );
    }
    // A vendor export is not checked against the manifest schema: its adapter reports what is
    // wrong with its structure (nodes not a list, a node without a type, ...).
    if let Some(a) = cx.adapted {
        for (message, origin) in &a.problems {
            out.push(RawFinding::at(
                Rule::ManifestSchema,
                message.clone(),
                origin,
            ));
        }
        return;
    }
    let root = &cx.parsed.root;
    let Some(entries) = root.as_map() else {
        out.push(RawFinding::new(
            Rule::ManifestSchema,
            format!(
                "a manifest must be a mapping with apiVersion, kind, metadata and spec, not {}",
                root.type_name()
            ),
            String::new(),
            focus_span(root, None),
        ));
        return;
    };
    if !is_manifest(root) {
        let api = root.get_entry("apiVersion");
        let span = api
            .map(|(_, v)| v.span)
            .or_else(|| entries.first().map(|(k, _)| k.span))
            .unwrap_or_default();
        let found = match api.and_then(|(_, v)| v.as_str()) {
            Some(v) => format!("apiVersion is \"{}\"", truncate(v, 40)),
            None => "it has no apiVersion".to_string(),
        };
        out.push(RawFinding::new(
            Rule::ManifestSchema,
            format!("not a Parapet manifest: {found}; expected apiVersion: {API_VERSION} and kind: {KIND}"),
            if api.is_some() { "/apiVersion".into() } else { String::new() },
            span,
        ));
        return;
    }
    let mut issues = Vec::new();
    validate(root, &MANIFEST, "", None, &mut issues);
    for i in issues {
        let f = RawFinding::new(Rule::ManifestSchema, i.message, i.pointer, i.span);
        out.push(if i.kind == IssueKind::Unknown {
            f.capped(Level::Warn)
        } else {
            f
        });
    }
    // Connector names must be unique within the app.
    if let Some(items) = root
        .get("spec")
        .and_then(|s| s.get("connectors"))
        .and_then(Node::as_seq)
    {
        let mut seen: Set<&str> = Set::default();
        for (i, c) in items.iter().enumerate() {
            if let Some((k, n)) = c.get_entry("name") {
                if let Some(name) = n.as_str() {
                    if !seen.insert(name) {
                        out.push(RawFinding::new(
                            Rule::ManifestSchema,
                            format!(
                                "connector name \"{}\" is used twice; names must be unique",
                                truncate(name, 40)
                            ),
                            push_pointer(&push_index("/spec/connectors", i), "name"),
                            Span::new(k.span.start, n.span.end),
                        ));
                    }
                }
            }
        }
    }
}
