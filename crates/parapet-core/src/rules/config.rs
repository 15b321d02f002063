//! `config/*`: who may call the app, and with what access.

use super::{declare_rule, Context, RawFinding, Rule};
use crate::text::truncate;

declare_rule! {
    /// `*` lets any website call the app from a visitor's browser.
    CORS_WILDCARD = "config/cors-wildcard" {
        title: "Any website may call this app",
        summary: "`allowOrigins` contains `*`",
        defaults: [Warn, Deny, Deny],
        severity: 5.5,
        precision: VeryHigh,
        help: "List the exact origins that may call the app instead of *.",
        check: Some(cors_wildcard),
    }
    /// Wildcard grants give the app far more access than it needs (least privilege).
    IAM_WILDCARD = "config/iam-wildcard" {
        title: "Permissions are too broad",
        summary: "a grant with `*` in actions or resources",
        defaults: [Warn, Approval, Deny],
        severity: 7.0,
        precision: VeryHigh,
        help: "Grant only the specific actions and resources the app uses.",
        check: Some(iam_wildcard),
    }
    /// A public trigger without authentication lets anyone on the internet run the app.
    UNAUTHENTICATED_TRIGGER = "config/unauthenticated-trigger" {
        title: "Anyone on the internet can start this app",
        summary: "a public webhook/form trigger with `auth: none`",
        defaults: [Warn, Deny, Deny],
        severity: 7.5,
        precision: VeryHigh,
        help: "Require a token, an HMAC signature or SSO on this trigger, or make it non-public.",
        check: Some(unauthenticated_trigger),
    }
    /// A node that runs shell commands or code on a host (n8n Execute Command and SSH,
    /// Node-RED exec) can do anything the host's account can: read files and credentials,
    /// reach internal systems. Built from incoming data, it lets whoever sends that data choose
    /// what runs (command injection).
    CODE_EXECUTION = "config/code-execution" {
        title: "Runs commands on a server",
        summary: "a node runs shell commands or code on a host (n8n Execute Command, SSH; Node-RED exec); the message says when the command is built from incoming data",
        defaults: [Warn, Approval, Approval],
        severity: 8.0,
        precision: High,
        help: "Use a dedicated node or an API instead of a shell command; if it must stay, never build the command from incoming data, and have it approved.",
        check: Some(code_execution),
    }
}

fn cors_wildcard(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for o in &m.cors_origins {
        if o.value.trim() == "*" {
            out.push(RawFinding::at(
                Rule::ConfigCorsWildcard,
                "CORS allows every origin (*): any website can call this app from a visitor's browser".into(),
                &o.origin,
            ));
        }
    }
}

fn iam_wildcard(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for g in &m.grants {
        if g.effect != "allow" {
            continue;
        }
        if let Some(w) = &g.wildcard {
            out.push(RawFinding::at(
                Rule::ConfigIamWildcard,
                format!(
                    "a permission grants a wildcard (\"{}\")",
                    truncate(&w.value, 60)
                ),
                &w.origin,
            ));
        }
    }
}

fn unauthenticated_trigger(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for t in &m.triggers {
        let open_kind = t.kind == "webhook" || t.kind == "form";
        let no_auth = t.auth.as_deref().is_none_or(|a| a == "none");
        if open_kind && t.public && no_auth {
            out.push(RawFinding::at(
                Rule::ConfigUnauthenticatedTrigger,
                format!(
                    "public {} trigger \"{}\" accepts requests from anyone (no authentication)",
                    t.kind,
                    cx.shown(&t.name)
                ),
                &t.origin,
            ));
        }
    }
}

fn code_execution(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for e in &m.code_exec {
        let command = e
            .command
            .as_deref()
            .map(|c| format!(" `{}`", cx.shown(&truncate(c.trim(), 60))))
            .unwrap_or_default();
        let message = if e.from_input {
            format!(
                "{} \"{}\" runs a shell command built from incoming data{command}: whoever sends that data chooses what runs on the host",
                e.what,
                cx.shown(&e.name)
            )
        } else {
            format!(
                "{} \"{}\" runs a shell command on the host{command}",
                e.what,
                cx.shown(&e.name)
            )
        };
        out.push(RawFinding::at(
            Rule::ConfigCodeExecution,
            message,
            &e.origin,
        ));
    }
}
