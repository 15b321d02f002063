//! Vendor exports from `tests/corpus`, reviewed by hand: for each file, the format it must be
//! detected as, the findings a security reviewer expects (rule, vendor node, line), and the
//! false-positive traps that must stay quiet (credential references, expressions, `$env`,
//! loopback URLs, placeholders, `http://` inside licence text). Default pack, built-in tier
//! (sandbox), `now` 2026-11-28.

use parapet_core::report::Finding;
use parapet_core::{Date, Engine, EvaluateOptions, Level, Report};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus");

struct Case {
    file: &'static str,
    format: &'static str,
    /// (rule, node name or id, line): each must be reported, on that node, at that line.
    expect: &'static [(&'static str, &'static str, u32)],
    /// Rules that must not fire above `info` anywhere in the file.
    quiet: &'static [&'static str],
}

const SECRET: &str = "secrets/plaintext-secret";
const OPEN: &str = "config/unauthenticated-trigger";
const EXT: &str = "integration/external-connector";
const HTTP: &str = "integration/insecure-transport";
const CORS: &str = "config/cors-wildcard";
const DATA: &str = "data/sensitive-data-in-tier";
const EXEC: &str = "config/code-execution";
const TLS: &str = "integration/tls-verification-disabled";

const CASES: &[Case] = &[
    // ---- n8n ----------------------------------------------------------------------------
    Case {
        file: "n8n/webhook-basicauth-exec-command-mailgun.json",
        format: "n8n",
        // The webhook has basic auth (an expression naming the credential): not open.
        // The dig commands interpolate the webhook's query string: command injection.
        expect: &[
            (EXT, "Mail CloudFlare", 81),
            (EXT, "Mail Steam", 101),
            (EXEC, "Add bind-tools", 34),
            (EXEC, "dig check CF", 52),
            (EXEC, "dig check if domain is valid", 130),
        ],
        quiet: &[OPEN, SECRET, HTTP, TLS],
    },
    Case {
        file: "n8n/ai-summarizer-webhook-openai.json",
        format: "n8n",
        expect: &[(OPEN, "Webhook", 6), (EXT, "OpenAI (opcional)", 41)],
        // `http://<SEU_N8N>` in a sticky note is documentation, not a connector.
        quiet: &[SECRET, HTTP],
    },
    Case {
        file: "n8n/bitrix24-client-secret-in-body.json",
        format: "n8n",
        expect: &[
            (OPEN, "Bitrix24 Handler", 26),
            (SECRET, "Extract Credentials", 64),
            (SECRET, "Set Settings Data", 390),
        ],
        quiet: &[],
    },
    Case {
        file: "n8n/function-only-no-findings.json",
        format: "n8n",
        expect: &[],
        quiet: &[SECRET, OPEN, EXT, HTTP, DATA, EXEC],
    },
    Case {
        file: "n8n/github-stats-plain-http-lan-token.json",
        format: "n8n",
        // HTTP Request URLs are `{{ $env.BASE_URL }}`: unknown hosts, never secrets.
        expect: &[
            (SECRET, "Dashboard Configuration", 42),
            (EXT, "Retrieve Docker Data", 77),
            (EXT, "GitHub", 516),
        ],
        quiet: &[OPEN],
    },
    Case {
        file: "n8n/gitlab-placeholder-glpat-tokens.json",
        format: "n8n",
        // `glpat-xxxx…` placeholders are not tokens.
        expect: &[(EXT, "Comment Back on MR", 195)],
        quiet: &[SECRET, OPEN],
    },
    Case {
        file: "n8n/hubspot-sample-contact-in-function.json",
        format: "n8n",
        // A hard-coded sample contact (names, e-mail) in a Function node. Its profile token is
        // left to the secret scanner's confidence threshold (not asserted either way here).
        expect: &[(DATA, "Mock data", 53)],
        quiet: &[OPEN],
    },
    Case {
        file: "n8n/hubspot-trigger-slack-alert.json",
        format: "n8n",
        // Slack is a business connector; credentials are references only.
        expect: &[
            (EXT, "Get contact email address", 31),
            (EXT, "validate the email", 58),
        ],
        quiet: &[SECRET, OPEN, HTTP],
    },
    Case {
        file: "n8n/line-webhook-noauth-placeholder-bearer.json",
        format: "n8n",
        // `Bearer YOUR_LINE_BOT_TOKEN` is a placeholder.
        expect: &[
            (OPEN, "Receive a Line Webhook", 25),
            (EXT, "Send Back an Image through Line", 115),
        ],
        quiet: &[SECRET],
    },
    Case {
        file: "n8n/mautic-form-webhook-pindata-pii.json",
        format: "n8n",
        // pinData holds a real form submission: e-mail, phone, client IP.
        expect: &[
            (OPEN, "WordpressForm", 90),
            (EXT, "CreateContactMautic", 189),
            (DATA, "WordpressForm", 257),
            (DATA, "WordpressForm", 259),
        ],
        quiet: &[SECRET],
    },
    Case {
        file: "n8n/perplexity-inline-bearer-key.json",
        format: "n8n",
        expect: &[
            (SECRET, "Create Perplexity Content", 49),
            (EXT, "Create Perplexity Content", 37),
        ],
        quiet: &[OPEN],
    },
    Case {
        file: "n8n/pindata-n8n-auth-session-cookie.json",
        format: "n8n",
        expect: &[
            (OPEN, "Receive Vectors", 26),
            (SECRET, "Receive Vectors", 176),
        ],
        quiet: &[],
    },
    Case {
        file: "n8n/remote-instances-n8n-api-key.json",
        format: "n8n",
        expect: &[
            (SECRET, "Settings", 133),
            (OPEN, "On form submission", 409),
            (EXEC, "Export Credentials", 150),
        ],
        quiet: &[],
    },
    Case {
        file: "n8n/respond-to-webhook-cors-wildcard.json",
        format: "n8n",
        expect: &[
            (OPEN, "Receive form submission from Webflow", 193),
            (CORS, "Send result to Webflow", 224),
            (EXT, "Enrich with Datagma", 140),
        ],
        quiet: &[SECRET],
    },
    Case {
        file: "n8n/salesforce-googlesheets-sync.json",
        format: "n8n",
        expect: &[(EXT, "Search Salesforce accounts", 38)],
        quiet: &[SECRET, OPEN, HTTP],
    },
    Case {
        file: "n8n/starter-kit-demo-chat-ollama.json",
        format: "n8n",
        // An untouched n8n export: credential references only; the chat is not public.
        expect: &[(EXT, "Ollama Chat Model", 37)],
        quiet: &[SECRET, OPEN],
    },
    Case {
        file: "n8n/starter-kit-credential-ollama-encrypted.json",
        format: "unknown",
        // An n8n credential export: the encrypted blob is not a plaintext secret.
        expect: &[],
        quiet: &[SECRET],
    },
    Case {
        file: "n8n/tavily-api-key-in-json-body.json",
        format: "n8n",
        expect: &[(SECRET, "Tavily", 142)],
        quiet: &[OPEN],
    },
    // ---- Node-RED -----------------------------------------------------------------------
    Case {
        file: "node-red/heating-mqtt-mysql-http-flows.json",
        format: "node-red",
        // One line. The MQTT broker and MySQL are on localhost: not external, not plaintext.
        expect: &[
            (EXT, "8996ae35.76695", 1),
            (HTTP, "8996ae35.76695", 1),
            (HTTP, "2255190f.ddaae6", 1),
            (OPEN, "2d929de8.d26d62", 1),
            (OPEN, "438054e8.bc7fac", 1),
        ],
        quiet: &[SECRET],
    },
    Case {
        file: "node-red/http-in-create-endpoint.json",
        format: "node-red",
        // `http://localhost:1880/hello`: loopback, neither external nor insecure.
        expect: &[(OPEN, "7f10afe.b1faa5", 14)],
        quiet: &[HTTP, SECRET],
    },
    Case {
        file: "node-red/http-in-request-headers.json",
        format: "node-red",
        expect: &[(OPEN, "1ccc20e.71730df", 4)],
        quiet: &[HTTP, SECRET, EXT],
    },
    Case {
        file: "node-red/dashboard-context-api-endpoints.json",
        format: "node-red",
        expect: &[
            (OPEN, "node-red-http-in-store-context", 12),
            (OPEN, "node-red-http-in-reset-context", 60),
        ],
        quiet: &[SECRET, EXT],
    },
    Case {
        file: "node-red/dashboard-layouts-no-findings.json",
        format: "node-red",
        expect: &[],
        quiet: &[SECRET, OPEN, EXT, HTTP, DATA, EXEC],
    },
    Case {
        file: "node-red/watson-aide-inline-service-password.json",
        format: "node-red",
        expect: &[
            (SECRET, "aefa1cbc.01b0a", 27),
            (EXT, "aefa1cbc.01b0a", 15),
            (OPEN, "be8ce067.dc5bb", 106),
        ],
        quiet: &[],
    },
    Case {
        file: "node-red/watson-conversation-lab.json",
        format: "node-red",
        // `http://` appears only in the Apache licence comment.
        expect: &[(OPEN, "BOT REST API", 58), (EXT, "My Bot", 5)],
        quiet: &[HTTP, SECRET],
    },
    Case {
        file: "node-red/watson-video-translation-http.json",
        format: "node-red",
        expect: &[(SECRET, "744da3d7.48cfcc", 1), (OPEN, "c6718d8e.2dd4c", 1)],
        quiet: &[],
    },
    Case {
        file: "node-red/watson-visual-training-inline-creds.json",
        format: "node-red",
        expect: &[(SECRET, "5d81488e.970588", 1), (EXT, "3e78d77e.da48d8", 1)],
        quiet: &[],
    },
    Case {
        file: "node-red/http-in-cookies.json",
        format: "node-red",
        expect: &[(OPEN, "c362b989.954ae8", 4)],
        quiet: &[SECRET, EXT, HTTP],
    },
    Case {
        file: "node-red/exec-spawn-shell-loop.json",
        format: "node-red",
        expect: &[(EXEC, "Repeat message output", 1)],
        quiet: &[SECRET, OPEN, EXT],
    },
    Case {
        file: "node-red/websocket-listener-client.json",
        format: "node-red",
        // `ws://localhost:1880/ws1`: loopback.
        expect: &[(OPEN, "89db22b6.9aa36", 85)],
        quiet: &[HTTP, EXT, SECRET],
    },
    Case {
        file: "node-red/heating-flows-cred-plaintext.json",
        format: "unknown",
        // A flows_cred.json saved unencrypted: the password is found all the same.
        expect: &[(SECRET, "", 1)],
        quiet: &[],
    },
    // ---- Power Automate / Logic Apps ------------------------------------------------------
    Case {
        file: "power-automate/graph-users-inline-aad-client-secret.json",
        format: "power-automate",
        expect: &[
            (OPEN, "manual", 1),
            (SECRET, "Get_Organization_Users_-_Skip_Token", 1),
        ],
        quiet: &[HTTP],
    },
    Case {
        file: "power-automate/site-design-apply-template-http-trigger.json",
        format: "power-automate",
        expect: &[(OPEN, "manual", 1)],
        quiet: &[SECRET, EXT],
    },
    Case {
        file: "power-automate/teams-adaptive-card-reminders.json",
        format: "power-automate",
        // `http://adaptivecards.io/schemas/...` is a schema id, not a connector.
        expect: &[],
        quiet: &[HTTP, SECRET, OPEN, EXT],
    },
    Case {
        file: "power-automate/try-catch-finally-no-findings.json",
        format: "power-automate",
        expect: &[],
        quiet: &[HTTP, SECRET, OPEN, EXT, DATA],
    },
    Case {
        file: "power-automate/dataverse-create-sp-group-users.json",
        format: "power-automate",
        // SharePoint is a business connector; the button trigger is not public.
        expect: &[(DATA, "Initialize_variable_-_varMemberEmailAddress", 114)],
        quiet: &[OPEN, EXT, SECRET],
    },
    Case {
        file: "logic-apps/receive-request-send-response.json",
        format: "logic-apps",
        expect: &[(OPEN, "When_a_HTTP_request_is_received", 17)],
        quiet: &[SECRET, EXT],
    },
    Case {
        file: "logic-apps/request-trigger-http-call-any-uri.json",
        format: "logic-apps",
        expect: &[
            (OPEN, "When_a_HTTP_request_is_received", 5),
            (EXT, "HTTP", 40),
        ],
        quiet: &[SECRET],
    },
    Case {
        file: "logic-apps/sap-odata-apikey-parameter-blob.json",
        format: "logic-apps",
        // The API key header is `@parameters(...)`: a reference.
        expect: &[
            (EXT, "Query_SAP_Sales_Orders", 83),
            (EXT, "Upload_blob_to_storage_container", 122),
        ],
        quiet: &[SECRET, OPEN],
    },
    Case {
        file: "logic-apps/tool-send-email-outlook.json",
        format: "logic-apps",
        expect: &[
            (OPEN, "When_a_HTTP_request_is_received", 5),
            (EXT, "Send_an_email_", 28),
        ],
        quiet: &[SECRET],
    },
    Case {
        file: "logic-apps/avs-logs-to-log-server.json",
        format: "logic-apps",
        expect: &[(EXT, "HTTP-Trigger-to-Log-Destination", 16)],
        quiet: &[SECRET, OPEN],
    },
    // ---- Make ---------------------------------------------------------------------------
    Case {
        file: "make/google-calendar-swaig-webhook.json",
        format: "make",
        expect: &[
            (OPEN, "gateway:CustomWebHook #1", 6),
            (EXT, "google-calendar:getACalendar #22", 305),
            (DATA, "google-calendar:getACalendar #22", 311),
        ],
        // `__IMTCONN__` ids and `{{1.x}}` mappings are references.
        quiet: &[SECRET],
    },
    Case {
        file: "make/router-facebook-twitter.json",
        format: "make",
        expect: &[
            (EXT, "facebook-pages:CreatePost #7", 13),
            (EXT, "twitter:createATweet #20", 29),
        ],
        quiet: &[SECRET, OPEN],
    },
    Case {
        file: "make/webhook-to-google-sheets.json",
        format: "make",
        // Google Sheets is a business connector.
        expect: &[(OPEN, "Webhook Trigger", 6)],
        quiet: &[SECRET, EXT],
    },
    Case {
        file: "make/ai-agent-weather-discord.json",
        format: "make",
        expect: &[(OPEN, "gateway:CustomWebHook #1", 6)],
        quiet: &[SECRET],
    },
    Case {
        file: "make/simple-calendar-blueprint.json",
        format: "make",
        expect: &[(OPEN, "gateway:CustomWebHook #1", 7)],
        quiet: &[SECRET],
    },
    Case {
        file: "make/generic-api-shell-subscenario.json",
        format: "make",
        expect: &[],
        quiet: &[SECRET],
    },
    // ---- Backstage ----------------------------------------------------------------------
    Case {
        file: "backstage/demo-catalog-info.yaml",
        format: "backstage",
        expect: &[],
        quiet: &[SECRET, DATA],
    },
    Case {
        file: "backstage/acme-team-a-group-users.yaml",
        format: "backstage",
        // A directory of people is not data an app handles.
        expect: &[],
        quiet: &[SECRET, DATA],
    },
    Case {
        file: "backstage/demo-mcp-server-api.yaml",
        format: "backstage",
        expect: &[],
        quiet: &[SECRET],
    },
];

fn report(file: &str) -> (String, Report) {
    let text = std::fs::read_to_string(format!("{CORPUS}/{file}")).expect("corpus file");
    let r = Engine::default().evaluate(
        &text,
        &EvaluateOptions {
            now: Date::parse("2026-11-28"),
            ..Default::default()
        },
    );
    (text, r)
}

fn on_node(f: &Finding, who: &str) -> bool {
    match &f.node {
        Some(n) => n.name == who || n.id == who || (!who.is_empty() && n.name.starts_with(who)),
        None => who.is_empty(),
    }
}

#[test]
fn every_reviewed_export_gives_the_expected_findings() {
    let mut failures = Vec::new();
    for c in CASES {
        let (_, r) = report(c.file);
        if r.input.format != c.format {
            failures.push(format!(
                "{}: format {} (expected {})",
                c.file, r.input.format, c.format
            ));
        }
        for (rule, who, line) in c.expect {
            let hit = r.findings.iter().any(|f| {
                f.rule == *rule
                    && f.level > Level::Info
                    && f.location.line == *line
                    && on_node(f, who)
            });
            if !hit {
                failures.push(format!(
                    "{}: missing {rule} on \"{who}\" at line {line}; got {:?}",
                    c.file,
                    r.findings
                        .iter()
                        .map(|f| (
                            f.rule,
                            f.location.line,
                            f.node.as_ref().map(|n| n.name.clone())
                        ))
                        .collect::<Vec<_>>()
                ));
            }
        }
        for rule in c.quiet {
            for f in r
                .findings
                .iter()
                .filter(|f| f.rule == *rule && f.level > Level::Info)
            {
                failures.push(format!(
                    "{}: false positive {rule} at line {}: {}",
                    c.file, f.location.line, f.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_vendor_file_in_the_corpus_is_reviewed() {
    let mut missing = Vec::new();
    for dir in [
        "n8n",
        "node-red",
        "power-automate",
        "logic-apps",
        "make",
        "backstage",
    ] {
        for e in std::fs::read_dir(format!("{CORPUS}/{dir}"))
            .expect("corpus dir")
            .flatten()
        {
            let name = format!("{dir}/{}", e.file_name().to_string_lossy());
            let reviewed = CASES.iter().any(|c| c.file == name);
            let config = name == "backstage/demo-app-config.yaml"
                || name == "backstage/demo-ai-resources.yaml"
                || name == "backstage/springboot-grpc-template.yaml";
            if !reviewed && !config {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "not reviewed: {missing:?}");
}

/// Findings on a one-line Node-RED export point at the node's own text on that line.
#[test]
fn single_line_exports_have_exact_columns() {
    let (text, r) = report("node-red/heating-mqtt-mysql-http-flows.json");
    assert_eq!(text.lines().count(), 1);
    let line: Vec<char> = text.chars().collect();
    let at = |f: &Finding| -> String {
        line[f.location.column as usize - 1..f.location.end_column as usize - 1]
            .iter()
            .collect()
    };
    let http = r
        .findings
        .iter()
        .find(|f| f.rule == HTTP && on_node(f, "8996ae35.76695"))
        .expect("plaintext endpoint");
    assert_eq!(
        at(http),
        "\"http://jjroman.net/mimosaT/dataSync.php?action=GETMAX\""
    );
    let open = r
        .findings
        .iter()
        .find(|f| f.rule == OPEN && on_node(f, "2d929de8.d26d62"))
        .expect("open endpoint");
    assert_eq!(at(open), "\"type\":\"http in\"");
    // The path of a finding on a node is under the node's pointer: the url of node 20.
    assert_eq!(http.path, "/20/url");
    assert!(text.contains("\"id\":\"8996ae35.76695\""));
}

#[test]
fn the_vendor_rules_are_in_the_catalogue() {
    for id in [EXEC, TLS] {
        assert!(parapet_core::Rule::from_id(id).is_some(), "{id}");
    }
}

/// The code-execution message says when the command is built from incoming data.
#[test]
fn code_execution_says_when_the_command_comes_from_incoming_data() {
    let (_, r) = report("n8n/webhook-basicauth-exec-command-mailgun.json");
    let msg = |who: &str| {
        r.findings
            .iter()
            .find(|f| f.rule == EXEC && on_node(f, who))
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    assert!(
        msg("dig check CF").contains("built from incoming data"),
        "{}",
        msg("dig check CF")
    );
    assert!(
        !msg("Add bind-tools").contains("incoming data"),
        "{}",
        msg("Add bind-tools")
    );
}
