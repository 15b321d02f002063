//! Backstage catalog entities: `apiVersion: backstage.io/...` with a `kind`. They give the
//! app's name, owner and lifecycle (the lifecycle suggests a tier). Entities describe people
//! and systems, not data an app handles: nothing in them is classified, only secrets are
//! looked for.

use super::{AdaptCx, Adapted, Adapter, At};
use crate::document::Node;
use crate::manifest::Located;
use crate::model::Tier;

pub(crate) struct Backstage;

impl Adapter for Backstage {
    const FORMAT: &'static str = "backstage";

    fn detect(root: &Node) -> bool {
        root.get("apiVersion")
            .and_then(Node::as_str)
            .is_some_and(|v| {
                v.starts_with("backstage.io/") || v.starts_with("scaffolder.backstage.io/")
            })
            && root.get("kind").and_then(Node::as_str).is_some()
    }

    fn adapt(root: &Node, _cx: &AdaptCx<'_>) -> Adapted {
        let top = At::root(root);
        let mut a = Adapted::new(Self::FORMAT);
        a.classify_samples_only = true;
        a.model.root = Some(top.origin());
        if let Some(meta) = top.get("metadata") {
            a.model.name = meta.located_str("name");
        }
        let kind = top.str("kind").unwrap_or("");
        let name = a
            .model
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_default();
        a.add_node("", &name, &name, kind);
        if let Some(spec) = top.get("spec") {
            a.model.owner = spec.located_str("owner");
            if let Some(l) = spec.located_str("lifecycle") {
                let tier = match l.value.as_str() {
                    "production" => Some(Tier::Production),
                    "experimental" => Some(Tier::Sandbox),
                    "development" | "staging" => Some(Tier::Controlled),
                    _ => None,
                };
                a.own_tier = tier.map(|t| Located {
                    value: t,
                    origin: l.origin,
                });
            }
        }
        a
    }
}
