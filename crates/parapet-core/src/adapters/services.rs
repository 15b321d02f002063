//! The service table, as data: vendor node types and hosts to service ids. The pack extends
//! both (`connectors.nodeTypes`, `connectors.hosts`). A type or host the table does not know is
//! its own service (so the pack's `connectors.unknown` decides), never silently business.

use crate::policy::PolicyPack;

/// Vendor node/module/connector types to service ids. Keys are matched case-insensitively
/// after the vendor prefix is removed (`n8n-nodes-base.`, `@n8n/n8n-nodes-langchain.`,
/// `shared_`, the Make app before `:`); a trailing `Trigger`/`Tool` is ignored.
pub static NODE_TYPES: &[(&str, &str)] = &[
    // n8n (n8n-nodes-base.* and the LangChain package)
    ("slack", "slack"),
    ("googleSheets", "google-sheets"),
    ("googleDrive", "google-drive"),
    ("googleCalendar", "google-calendar"),
    ("googleDocs", "google-docs"),
    ("gmail", "gmail"),
    ("microsoftTeams", "microsoft-teams"),
    ("microsoftSharePoint", "sharepoint"),
    ("microsoftOutlook", "office365-outlook"),
    ("microsoftExcel", "microsoft-excel"),
    ("microsoftOneDrive", "onedrive"),
    ("hubspot", "hubspot"),
    ("salesforce", "salesforce"),
    ("airtable", "airtable"),
    ("notion", "notion"),
    ("telegram", "telegram"),
    ("discord", "discord"),
    ("github", "github"),
    ("gitlab", "gitlab"),
    ("jira", "jira"),
    ("mailgun", "mailgun"),
    ("sendGrid", "sendgrid"),
    ("twilio", "twilio"),
    ("stripe", "stripe"),
    ("postgres", "postgres"),
    ("mySql", "mysql"),
    ("mongoDb", "mongodb"),
    ("redis", "redis"),
    ("awsS3", "aws-s3"),
    ("emailSend", "smtp"),
    ("emailReadImap", "imap"),
    ("openAi", "openai"),
    ("lmChatOpenAi", "openai"),
    ("lmOpenAi", "openai"),
    ("embeddingsOpenAi", "openai"),
    ("lmChatAnthropic", "anthropic"),
    ("lmChatGoogleGemini", "google-gemini"),
    ("lmChatMistralCloud", "mistral"),
    ("embeddingsMistralCloud", "mistral"),
    ("lmChatOllama", "ollama"),
    ("lmOllama", "ollama"),
    ("embeddingsOllama", "ollama"),
    ("vectorStorePinecone", "pinecone"),
    ("vectorStoreQdrant", "qdrant"),
    ("vectorStoreSupabase", "supabase"),
    ("toolSerpApi", "serpapi"),
    ("n8n", "n8n-api"),
    ("wordpress", "wordpress"),
    ("whatsApp", "whatsapp"),
    ("line", "line"),
    ("mautic", "mautic"),
    ("oneSimpleApi", "onesimpleapi"),
    // Power Automate / Logic Apps managed connectors (shared_* api names, connection names)
    ("sharepointonline", "sharepoint"),
    ("teams", "microsoft-teams"),
    ("office365", "office365-outlook"),
    ("office365users", "office365-users"),
    ("outlook", "office365-outlook"),
    ("commondataserviceforapps", "dataverse"),
    ("excelonlinebusiness", "microsoft-excel"),
    ("onedriveforbusiness", "onedrive"),
    ("googlesheet", "google-sheets"),
    ("azureblob", "azure-blob"),
    ("azuretables", "azure-tables"),
    ("eventhubs", "azure-event-hubs"),
    ("servicebus", "azure-service-bus"),
    ("sql", "azure-sql"),
    ("sapodata", "sap-odata"),
    ("approvals", "microsoft-approvals"),
    ("flowpush", "microsoft-notifications"),
    ("sendmail", "office365-outlook"),
    // Make apps (the part before `:`)
    ("google-sheets", "google-sheets"),
    ("google-calendar", "google-calendar"),
    ("google-drive", "google-drive"),
    ("google-email", "gmail"),
    ("microsoft-teams", "microsoft-teams"),
    ("microsoft365-email", "office365-outlook"),
    ("facebook-pages", "facebook"),
    ("twitter", "twitter"),
    ("openai-gpt-3", "openai"),
    ("discord", "discord"),
    ("weather", "openweathermap"),
    // Node-RED contrib nodes
    ("e-mail", "smtp"),
    ("e-mail in", "imap"),
    ("twitter out", "twitter"),
    ("twitter in", "twitter"),
    ("mysql", "mysql"),
    ("MySQLdatabase", "mysql"),
    ("postgresdb", "postgres"),
    ("mongodb", "mongodb"),
    ("box", "box"),
    ("box in", "box"),
    ("box out", "box"),
    ("dropbox", "dropbox"),
];

/// Node-RED (and other) node type prefixes that name a family of nodes of one service.
pub static TYPE_PREFIXES: &[(&str, &str)] = &[("watson-", "ibm-watson")];

/// Hosts (or their parent domains) to service ids, for generic HTTP nodes.
pub static HOSTS: &[(&str, &str)] = &[
    ("slack.com", "slack"),
    ("hooks.slack.com", "slack"),
    ("sheets.googleapis.com", "google-sheets"),
    ("graph.microsoft.com", "microsoft-graph"),
    ("sharepoint.com", "sharepoint"),
    ("api.hubapi.com", "hubspot"),
    ("api.openai.com", "openai"),
    ("api.anthropic.com", "anthropic"),
    ("api.perplexity.ai", "perplexity"),
    ("api.tavily.com", "tavily"),
    ("api.github.com", "github"),
    ("gitlab.com", "gitlab"),
    ("api.telegram.org", "telegram"),
    ("discord.com", "discord"),
    ("api.line.me", "line"),
    ("bitrix24.com", "bitrix24"),
    ("api.sap.com", "sap"),
    ("salesforce.com", "salesforce"),
    ("api.notion.com", "notion"),
    ("api.airtable.com", "airtable"),
    ("api.mailgun.net", "mailgun"),
    ("api.sendgrid.com", "sendgrid"),
    ("api.twilio.com", "twilio"),
    ("api.stripe.com", "stripe"),
];

fn bare(kind: &str) -> &str {
    let k = kind
        .strip_prefix("n8n-nodes-base.")
        .or_else(|| kind.strip_prefix("@n8n/n8n-nodes-langchain."))
        .or_else(|| kind.strip_prefix("shared_"))
        .unwrap_or(kind);
    // A community package `n8n-nodes-x.y`: the node part.
    let k = if k.starts_with("n8n-nodes-") || k.starts_with('@') {
        k.rsplit('.').next().unwrap_or(k)
    } else {
        k
    };
    k.strip_suffix("Trigger")
        .or_else(|| k.strip_suffix("Tool"))
        .filter(|s| !s.is_empty())
        .unwrap_or(k)
}

/// The service id of a vendor node type: the pack's `connectors.nodeTypes` (full type, then the
/// bare one), the built-in table, then the type itself in kebab case (its own service).
pub fn service_for_type(pack: &PolicyPack, kind: &str) -> String {
    if let Some(s) = pack.node_types.get(kind) {
        return s.clone();
    }
    let b = bare(kind);
    if let Some(s) = pack.node_types.get(b) {
        return s.clone();
    }
    if let Some((_, s)) = NODE_TYPES.iter().find(|(k, _)| k.eq_ignore_ascii_case(b)) {
        return (*s).to_string();
    }
    if let Some((_, s)) = TYPE_PREFIXES.iter().find(|(p, _)| b.starts_with(p)) {
        return (*s).to_string();
    }
    kebab(b)
}

/// The service id of a host: the pack's `connectors.hosts`, then the table (exact host or a
/// parent domain), then the host itself.
pub fn service_for_host(pack: &PolicyPack, host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let lookup = |h: &str| -> Option<String> {
        if let Some(s) = pack.hosts.get(h) {
            return Some(s.clone());
        }
        HOSTS
            .iter()
            .find(|(k, _)| *k == h)
            .map(|(_, s)| (*s).to_string())
    };
    let mut h = host.as_str();
    loop {
        if let Some(s) = lookup(h) {
            return s;
        }
        match h.split_once('.') {
            Some((_, parent)) if parent.contains('.') => h = parent,
            _ => return host,
        }
    }
}

/// `googleSheets` → `google-sheets`, `Some Node` → `some-node`.
fn kebab(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            prev_lower = false;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_through_the_table_then_to_their_own_service() {
        let p = PolicyPack::default();
        assert_eq!(service_for_type(&p, "n8n-nodes-base.slack"), "slack");
        assert_eq!(
            service_for_type(&p, "n8n-nodes-base.googleSheets"),
            "google-sheets"
        );
        assert_eq!(
            service_for_type(&p, "n8n-nodes-base.hubspotTrigger"),
            "hubspot"
        );
        assert_eq!(service_for_type(&p, "shared_teams"), "microsoft-teams");
        assert_eq!(
            service_for_type(&p, "shared_sharepointonline"),
            "sharepoint"
        );
        assert_eq!(service_for_type(&p, "google-sheets"), "google-sheets");
        assert_eq!(service_for_type(&p, "watson-conversation-v1"), "ibm-watson");
        // Unknown: its own service, never a business one.
        assert_eq!(service_for_type(&p, "n8n-nodes-base.myCrm"), "my-crm");
        assert_eq!(service_for_type(&p, "n8n-nodes-acme.fooBar"), "foo-bar");
    }

    #[test]
    fn hosts_map_by_parent_domain_then_to_themselves() {
        let p = PolicyPack::default();
        assert_eq!(service_for_host(&p, "hooks.slack.com"), "slack");
        assert_eq!(service_for_host(&p, "acme.sharepoint.com"), "sharepoint");
        assert_eq!(service_for_host(&p, "api.perplexity.ai"), "perplexity");
        assert_eq!(service_for_host(&p, "jjroman.net"), "jjroman.net");
        assert_eq!(service_for_host(&p, "EXAMPLE.org."), "example.org");
    }

    #[test]
    fn the_pack_extends_both_tables() {
        let p = PolicyPack::from_text(
            "connectors:\n  nodeTypes: { \"n8n-nodes-base.myCrm\": crm }\n  hosts: { \"api.hubapi.com\": hub, \"crm.corp.example\": crm }\n",
        )
        .expect("valid pack");
        assert_eq!(service_for_type(&p, "n8n-nodes-base.myCrm"), "crm");
        assert_eq!(service_for_host(&p, "api.hubapi.com"), "hub");
        assert_eq!(service_for_host(&p, "eu.crm.corp.example"), "crm");
    }
}
