//! `integration/*`: what the app's connectors talk to, and how.

use super::{declare_rule, Context, RawFinding, Rule};
use crate::manifest::{Connector, Origin};
use crate::policy::{EndpointRule, UnknownService};
#[cfg(test)]
use crate::text::url_host;
use crate::text::{glob_match, truncate, url_parts};

declare_rule! {
    /// The organisation blocks this service or endpoint outright (for example paste sites or
    /// tunnels that expose internal data).
    BLOCKED_CONNECTOR = "integration/blocked-connector" {
        title: "Connects to a blocked service",
        summary: "a connector's service is in `blocked`, or its host hits a `deny` endpoint rule",
        defaults: [Deny, Deny, Deny],
        severity: 8.0,
        precision: VeryHigh,
        help: "Remove this connector or replace it with an approved service.",
        check: Some(blocked_connector),
    }
    /// Sending data to a service outside the approved business group moves it beyond the
    /// organisation's contracts and controls (like Power Platform DLP's non-business group).
    EXTERNAL_CONNECTOR = "integration/external-connector" {
        title: "Sends data to an outside service",
        summary: "an outbound connector to a service outside `business`",
        defaults: [Deny, Approval, Approval],
        severity: 6.0,
        precision: VeryHigh,
        help: "Use an approved business connector, or request approval for this external service.",
        check: Some(external_connector),
    }
    /// Plain `http://`, `ws://`, `ftp://` and MQTT without TLS send data and credentials
    /// unencrypted across the network.
    INSECURE_TRANSPORT = "integration/insecure-transport" {
        title: "Connection isn't encrypted",
        summary: "an `http://`, `ws://`, `ftp://` or plaintext `mqtt://` URL (or MQTT broker without TLS) to a non-loopback host",
        defaults: [Warn, Deny, Deny],
        severity: 6.5,
        precision: VeryHigh,
        help: "Use https:// for this endpoint.",
        check: Some(insecure_transport),
    }
    /// With certificate checks off, anyone on the network path can impersonate the server and
    /// read or change everything sent to it, credentials included: TLS without verification
    /// is encryption to an unknown party.
    TLS_VERIFICATION_DISABLED = "integration/tls-verification-disabled" {
        title: "Certificate checks are switched off",
        summary: "certificate checks are off (Node-RED `tls-config.verifyservercert: false`, n8n `allowUnauthorizedCerts`, Make `rejectUnauthorized: false`)",
        defaults: [Warn, Deny, Deny],
        severity: 7.0,
        precision: VeryHigh,
        help: "Turn certificate verification back on; if the server uses a private certificate authority, trust that authority instead.",
        check: Some(tls_verification_disabled),
    }
}

/// `host` (in any case) is the machine itself.
fn is_loopback(host: &str) -> bool {
    let b = host.as_bytes();
    host.eq_ignore_ascii_case("localhost")
        || (b.len() >= 10 && b[b.len() - 10..].eq_ignore_ascii_case(b".localhost"))
        || host == "::1"
        || host.starts_with("127.")
}

/// `connector "NAME" (SERVICE)` as messages say it (with room for `more` bytes after it).
fn label(cx: &Context<'_>, c: &Connector, more: usize) -> String {
    let service = c.service.as_deref();
    let mut s = String::with_capacity(16 + c.name.len() + service.map_or(0, str::len) + more);
    s.push_str("connector \"");
    cx.push_shown(&mut s, &c.name);
    s.push('"');
    if let Some(service) = service {
        s.push_str(" (");
        cx.push_shown(&mut s, service);
        s.push(')');
    }
    s
}

/// What the pack says about a connector's service and host.
#[derive(Clone, Copy)]
pub(crate) enum Standing<'p> {
    /// The service is blocked (listed, or unknown services are blocked).
    BlockedService,
    /// The host matches a `deny` endpoint rule (the pattern).
    BlockedHost(&'p str),
    /// Not blocked; whether it counts as a business connector.
    Open { business: bool },
}

/// A connector's URL (scheme and host, as written) and its standing with the pack.
pub(crate) struct Reach<'p> {
    url: Option<(&'p str, &'p str)>,
    standing: Standing<'p>,
}

/// Every connector's URL parts and standing, in the model's order (computed on first use).
fn standings<'a, 'p>(cx: &'a Context<'p>) -> &'a [Reach<'p>] {
    cx.standings.get_or_init(|| {
        cx.manifest
            .map(|m| {
                m.connectors
                    .iter()
                    .map(|c| {
                        let url = c.url.as_ref().and_then(|u| url_parts(&u.value));
                        Reach {
                            url,
                            standing: standing(cx, c, url),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

fn standing<'p>(cx: &Context<'p>, c: &Connector, host: Option<(&str, &str)>) -> Standing<'p> {
    let pack = cx.pack;
    // The host as written: the glob match and the loopback check ignore ASCII case.
    let endpoint = host.as_ref().and_then(|(_, h)| {
        pack.endpoints
            .iter()
            .find(|rule| glob_match(rule.pattern(), h))
    });
    let listed = |list: &[String]| {
        c.service
            .as_deref()
            .is_some_and(|s| list.iter().any(|b| b.eq_ignore_ascii_case(s)))
    };
    let in_business = listed(&pack.business);
    let in_blocked = listed(&pack.blocked);
    let unknown = !in_business && !in_blocked;
    if in_blocked || (unknown && pack.unknown == UnknownService::Blocked) {
        return Standing::BlockedService;
    }
    match endpoint {
        Some(EndpointRule::Deny(p)) => Standing::BlockedHost(p),
        _ => Standing::Open {
            // A service on the app's own host (loopback) is not outside the organisation.
            business: in_business
                || host.as_ref().is_some_and(|(_, h)| is_loopback(h))
                || (unknown && pack.unknown == UnknownService::Business)
                || matches!(endpoint, Some(EndpointRule::Allow(_))),
        },
    }
}

fn blocked_connector(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for (c, reach) in m.connectors.iter().zip(standings(cx)) {
        match reach.standing {
            Standing::BlockedService => {
                const SAYS: &str = " uses a service the organisation blocks";
                let mut message = label(cx, c, SAYS.len());
                message.push_str(SAYS);
                out.push(RawFinding::at(
                    Rule::IntegrationBlockedConnector,
                    message,
                    &c.origin,
                ));
            }
            Standing::BlockedHost(p) => {
                let origin: &Origin = c.url.as_ref().map_or(&c.origin, |u| &u.origin);
                out.push(RawFinding::at(
                    Rule::IntegrationBlockedConnector,
                    format!(
                        "{} calls a host the organisation blocks (matches \"{}\")",
                        label(cx, c, 0),
                        truncate(p, 60)
                    ),
                    origin,
                ));
            }
            Standing::Open { .. } => {}
        }
    }
}

fn external_connector(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for (c, reach) in m.connectors.iter().zip(standings(cx)) {
        let outbound = !c.inbound;
        if let Standing::Open { business: false } = reach.standing {
            if outbound {
                const SAYS: &str =
                    " sends data to a service outside the approved business connectors";
                let mut message = label(cx, c, SAYS.len());
                message.push_str(SAYS);
                out.push(RawFinding::at(
                    Rule::IntegrationExternalConnector,
                    message,
                    &c.origin,
                ));
            }
        }
    }
}

fn insecure_transport(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for (c, reach) in m.connectors.iter().zip(standings(cx)) {
        let (Some(url), Some((scheme, h))) = (&c.url, reach.url) else {
            continue;
        };
        let plain = ["http", "ws", "ftp", "mqtt"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s));
        if plain && !is_loopback(h) {
            let (scheme, h) = (scheme.to_ascii_lowercase(), h.to_ascii_lowercase());
            out.push(RawFinding::at(
                Rule::IntegrationInsecureTransport,
                format!(
                    "{} uses unencrypted {scheme}:// to {}",
                    label(cx, c, 0),
                    truncate(&h, 60)
                ),
                &url.origin,
            ));
        }
    }
}

fn tls_verification_disabled(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for t in &m.tls_off {
        out.push(RawFinding::at(
            Rule::IntegrationTlsVerificationDisabled,
            format!(
                "\"{}\" does not check the server's certificate ({})",
                cx.shown(&t.name),
                t.setting
            ),
            &t.origin,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_without_credentials_or_ports() {
        assert_eq!(
            url_host("HTTP://user:pw@Api.Example.com:8080/x?y"),
            Some(("http".into(), "api.example.com".into()))
        );
        assert_eq!(
            url_host("ws://[::1]:9000/socket"),
            Some(("ws".into(), "::1".into()))
        );
        assert_eq!(url_host("no scheme"), None);
        assert_eq!(url_host("https:///path"), None);
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("localhost") && is_loopback("127.0.0.2") && is_loopback("::1"));
        assert!(!is_loopback("example.com"));
    }
}
