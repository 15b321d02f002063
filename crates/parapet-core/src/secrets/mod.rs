//! Secret detection: a keyword prefilter before any per-kind pattern, entropy
//! checks for generic assignments, placeholders ignored, and the pack's allow list.
//!
//! Interface (used by the walk, the engine's `Redactor` and `Engine::check_text`):
//! - `SecretScanner::new(allow)` once per policy pack; `scan_with(value, key hint)` per string.
//! - `redact(secret)`, the display form; everything the engine emits goes through its
//!   `Redactor` (`crate::redact`), which uses it.
//!
//! # How a value is scanned
//!
//! 1. One case-insensitive keyword pass (a table of the byte pairs that end a keyword, built
//!    once per process; it reports what an overlapping Aho-Corasick search would) over
//!    the value finds keyword hits: token prefixes (`ghp_`, `xoxb-`, `AKIA`, ...), structural
//!    markers (`-----BEGIN `, `://`, `eyJ`, `Bearer `, webhook hosts, `AccountKey=`, ...) and
//!    secret words (`pass`, `secret`, `token`, `key`, `auth`, `credential`). Only the matchers of the kinds that were hit run, each at its
//!    hit, each bounded (a token is at most a few KB, an identifier 64 bytes), and a matcher never
//!    re-scans bytes it already consumed, so the scan stays linear in the value's length.
//! 2. Hand-written matchers check prefix, charset, length and structure (JWT header decodes to
//!    JSON with `alg`, Basic auth decodes to `user:password`, a Discord bot token's first part
//!    decodes to a numeric id, ...).
//! 3. Generic detection: the `key` argument, or an identifier in the text followed by `=`, `:`,
//!    `=>` or `:=` (`.env` lines, code, YAML, JSON inside a string), names a secret (see
//!    `generic.rs`) and the value passes the value rules below.
//! 4. Candidates overlap-resolve (most specific kind wins), then the allow list and inline
//!    `pragma: allowlist secret` / `gitleaks:allow` markers suppress, and at most
//!    [`MAX_MATCHES`] are returned.
//!
//! # Placeholder and entropy decisions (generic, keyed values)
//!
//! A value under a secret-named key is reported when it is at least 8 characters long, is a
//! single token (no whitespace), contains a letter, has at least 5 distinct characters and a
//! Shannon entropy of at least 2.5 bits per character, and is none of:
//! a reference or expression (`${X}`, `$X`, `%X%`, `{{ ... }}`, `={{ ... }}`, `@parameters(...)`,
//! `@{...}`, `<...>`, `[...]`, `vault:`, `op://`, `env:`, `secret:`, `arn:aws:secretsmanager:`,
//! `secretRef`, `process.env.X`, `ENV_VAR_NAME`, ...); an encrypted blob (`secure:`, `U2FsdGVkX1`,
//! `ENC[`, `$ANSIBLE_VAULT`); masked or filler text (`****`, `xxxx`, a repeated or periodic
//! pattern, ascending/descending runs such as `123456789a1234`); placeholder words (`your`,
//! `example`, `sample`, `dummy`, `changeme`, `placeholder`, `redacted`, `here`, `demo`, ...);
//! word-like (only letters, in word case, pronounceable: `password`, `changeme`, `secretRef`,
//! `HelloWorld`); digits only; a URL, path or e-mail address.
//!
//! Consequences, measured against the corpus: weak but real defaults such as
//! `N8N_ENCRYPTION_KEY=super-secret-key`, `N8N_USER_MANAGEMENT_JWT_SECRET=even-more-secret` and
//! `dashboardAuthToken: n8n-rocks!` ARE reported (they are working plaintext secrets, and weak
//! ones), while `POSTGRES_PASSWORD=password` is not (a single word is indistinguishable from a
//! placeholder or an enum value). Keys that only hint at credentials (`credentials`, `creds`,
//! `auth`) need a stronger value (16+ characters, letters and digits, entropy >= 3.5).
//!
//! Prefixed kinds (e.g. `ghp_`, `AKIA`) are rejected only when their body is filler (`xxxx`,
//! `****`, one dominant character, nothing but ascending runs, `your`, `placeholder`,
//! `redacted`) or a vendor's published documentation example (`example` in the body, as in
//! AWS's `AKIAIOSFODNN7EXAMPLE`; jwt.io's, Stripe's and Slack's documented tokens by hash).
//! The placeholder rules themselves live in `crate::placeholder`.
//!
//! A whole value under a neutral key (one that names no secret and is not an id, hash, URL,
//! path, content or container key such as `value`, `text`, `data`, `body`) can still be a
//! "high-entropy string": one base64/base64url token of 32..=256 characters with upper and lower
//! case letters and at least two digits, entropy >= min(4.5, log2(len) - 0.75), that is not
//! base64 of readable text. Values without a key (sequence items, bare text) and values under
//! container keys are not entropy-checked: document ids (Google Sheets, Drive) look just as
//! random.

use regex_lite::Regex;

mod detect;
mod generic;
pub(crate) mod util;

#[cfg(test)]
mod tests;

/// The most matches one value can report.
pub const MAX_MATCHES: usize = 100;
/// Candidates collected per value before overlap resolution (bounds work on hostile input).
const MAX_CANDIDATES: usize = 1000;

/// A kind of secret the scanner knows.
#[derive(Debug)]
pub struct SecretKind {
    /// Stable id, kebab-case (`slack-bot-token`).
    pub id: &'static str,
    /// Human name used in messages ("Slack bot token").
    pub name: &'static str,
}

/// How sure the scanner is that a match is a working secret. Ordered: `Possible < Likely <
/// Certain`; a pack reports a match when its confidence is at least the tier's
/// `secrets.minConfidence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A secret-named field or a high-entropy value whose value is weak or only random-looking.
    Possible,
    /// Structure that is nearly always a secret (a password in a URL, a signed JWT, a strong value
    /// under a secret-named field).
    Likely,
    /// A known token format whose prefix, length and alphabet (and checksum, where the format
    /// has one) all match, a webhook URL carrying its secret, a private key block.
    Certain,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [
        Confidence::Possible,
        Confidence::Likely,
        Confidence::Certain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Possible => "possible",
            Confidence::Likely => "likely",
            Confidence::Certain => "certain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Whether the source line holding byte `at` of `text` carries an inline allow-list marker
/// (`pragma: allowlist secret`, `gitleaks:allow`), e.g. in a YAML comment the value scanner
/// never sees. The line is found through `index` (a binary search, not a scan of the line: a
/// one-line document with many secrets stays linear); lines over 4 KiB are not read.
pub(crate) fn line_allows(text: &str, index: &crate::source::LineIndex, at: usize) -> bool {
    let (s, e) = index.line_range(text, at);
    let Some(line) = text.as_bytes().get(s..e) else {
        return false;
    };
    if line.len() > 4096 {
        return false;
    }
    crate::words::contains_any_ci(line, &["pragma: allowlist secret", "gitleaks:allow"])
}

/// Why a match was reported: the evidence, in words a citizen developer can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A known token format whose built-in checksum is valid.
    TokenChecksum,
    /// A known token format: prefix, length and alphabet match.
    TokenFormat,
    /// A known token format whose checksum does not verify (a typed or edited token).
    TokenBadChecksum,
    /// A webhook URL whose path or signature is the secret.
    WebhookUrl,
    /// A private key block whose body decodes as a key.
    PrivateKey,
    /// A private key header (the body is elsewhere or not checkable).
    PrivateKeyHeader,
    /// A signed JSON Web Token.
    SignedJwt,
    /// A password inside a URL.
    UrlPassword,
    /// `Basic` authorization carrying `user:password`.
    BasicAuth,
    /// `Bearer` authorization with a high-entropy token.
    BearerToken,
    /// A key inside a connection string or a shared access signature.
    ConnectionString,
    /// A value with the vendor's key shape under a field naming that vendor's key.
    VendorField,
    /// A secret right next to the access key id it belongs to.
    KeyPair,
    /// A field named like a password holding a value that is not a placeholder.
    PasswordField,
    /// A field named like a secret, key or token holding a high-entropy value.
    SecretField,
    /// A field named like a secret holding a weak or word-like value (still not a placeholder).
    WeakSecretField,
    /// A value of random-looking characters under a neutral field.
    HighEntropy,
}

impl Reason {
    /// Stable id (kebab-case), for JSON and SARIF.
    pub fn id(self) -> &'static str {
        match self {
            Reason::TokenChecksum => "token-checksum",
            Reason::TokenFormat => "token-format",
            Reason::TokenBadChecksum => "token-bad-checksum",
            Reason::WebhookUrl => "webhook-url",
            Reason::PrivateKey => "private-key",
            Reason::PrivateKeyHeader => "private-key-header",
            Reason::SignedJwt => "signed-jwt",
            Reason::UrlPassword => "url-password",
            Reason::BasicAuth => "basic-auth",
            Reason::BearerToken => "bearer-token",
            Reason::ConnectionString => "connection-string",
            Reason::VendorField => "vendor-field",
            Reason::KeyPair => "key-pair",
            Reason::PasswordField => "password-field",
            Reason::SecretField => "secret-field",
            Reason::WeakSecretField => "weak-secret-field",
            Reason::HighEntropy => "high-entropy",
        }
    }

    /// One sentence for people.
    pub fn text(self) -> &'static str {
        match self {
            Reason::TokenChecksum => "a known token format with a valid checksum",
            Reason::TokenFormat => "a known token format: prefix, length and characters match",
            Reason::TokenBadChecksum => {
                "a known token format whose checksum does not verify (edited or made up?)"
            }
            Reason::WebhookUrl => "a webhook URL whose path or signature is the secret",
            Reason::PrivateKey => "a private key block",
            Reason::PrivateKeyHeader => "a private key header",
            Reason::SignedJwt => "a signed JSON Web Token",
            Reason::UrlPassword => "a password inside a URL",
            Reason::BasicAuth => "Basic authorization with a user name and password",
            Reason::BearerToken => "Bearer authorization with a high-entropy token",
            Reason::ConnectionString => "an account key in a connection string or signature",
            Reason::VendorField => "a vendor key field holding a value of that vendor's key shape",
            Reason::KeyPair => "a secret key next to its access key id",
            Reason::PasswordField => "a password field with a value that is not a placeholder",
            Reason::SecretField => "a secret-named field with a high-entropy value",
            Reason::WeakSecretField => "a secret-named field with a weak but literal value",
            Reason::HighEntropy => "a high-entropy value under a neutral field",
        }
    }
}

/// One secret found inside a string value.
#[derive(Debug, Clone, Copy)]
pub struct SecretMatch {
    pub kind: &'static SecretKind,
    /// Byte range of the secret inside the scanned value.
    pub start: usize,
    pub end: usize,
    pub reason: Reason,
    pub confidence: Confidence,
}

macro_rules! kinds {
    ($($v:ident = $id:literal, $name:literal, $prio:literal;)*) => {
        /// Index of a kind in [`KINDS`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum K { $($v,)* }
        static KINDS: &[SecretKind] = &[$(SecretKind { id: $id, name: $name },)*];
        /// Specificity: on overlap the higher one wins.
        static PRIO: &[u8] = &[$($prio,)*];
    };
}

kinds! {
    AwsKeyId = "aws-access-key-id", "AWS access key id", 90;
    AwsSecret = "aws-secret-access-key", "AWS secret access key", 80;
    GcpApiKey = "gcp-api-key", "Google Cloud API key", 90;
    GcpServiceAccount = "gcp-service-account-key", "Google Cloud service account private key", 96;
    GoogleOauthSecret = "google-oauth-client-secret", "Google OAuth client secret", 90;
    GoogleOauthToken = "google-oauth-access-token", "Google OAuth access token", 90;
    AzureStorageKey = "azure-storage-account-key", "Azure storage account key", 88;
    AzureSharedKey = "azure-shared-access-key", "Azure Service Bus / Event Hubs shared access key", 88;
    AzureSas = "azure-sas-token", "Azure shared access signature", 86;
    AzureAdSecret = "azure-ad-client-secret", "Azure AD (Entra ID) client secret", 84;
    GithubPat = "github-pat", "GitHub personal access token", 90;
    GithubOauth = "github-oauth-token", "GitHub OAuth access token", 90;
    GithubUser = "github-user-token", "GitHub user-to-server token", 90;
    GithubApp = "github-app-token", "GitHub app installation token", 90;
    GithubRefresh = "github-refresh-token", "GitHub refresh token", 90;
    GithubFineGrained = "github-fine-grained-pat", "GitHub fine-grained personal access token", 91;
    GitlabPat = "gitlab-pat", "GitLab personal access token", 90;
    GitlabDeploy = "gitlab-deploy-token", "GitLab deploy token", 90;
    GitlabRunner = "gitlab-runner-token", "GitLab runner token", 90;
    SlackBot = "slack-bot-token", "Slack bot token", 90;
    SlackUser = "slack-user-token", "Slack user token", 90;
    SlackApp = "slack-app-token", "Slack app-level token", 90;
    SlackOther = "slack-workspace-token", "Slack workspace, refresh or configuration token", 90;
    SlackWebhook = "slack-webhook-url", "Slack incoming webhook URL", 95;
    DiscordWebhook = "discord-webhook-url", "Discord webhook URL", 95;
    DiscordBot = "discord-bot-token", "Discord bot token", 90;
    TeamsWebhook = "teams-webhook-url", "Microsoft Teams incoming webhook URL", 95;
    LogicAppUrl = "logic-app-sas-url", "Logic Apps / Power Automate workflow URL with signature", 95;
    ZapierWebhook = "zapier-webhook-url", "Zapier webhook URL", 95;
    GoogleChatWebhook = "google-chat-webhook-url", "Google Chat webhook URL", 95;
    StripeSecret = "stripe-secret-key", "Stripe live secret key", 90;
    StripeRestricted = "stripe-restricted-key", "Stripe live restricted key", 90;
    StripeTest = "stripe-test-key", "Stripe test secret key", 90;
    StripeWebhook = "stripe-webhook-secret", "Stripe webhook signing secret", 90;
    TwilioApiKey = "twilio-api-key", "Twilio API key", 90;
    TwilioAuthToken = "twilio-auth-token", "Twilio auth token", 84;
    SendGrid = "sendgrid-api-key", "SendGrid API key", 90;
    Mailgun = "mailgun-api-key", "Mailgun API key", 90;
    Mailchimp = "mailchimp-api-key", "Mailchimp API key", 90;
    OpenAi = "openai-api-key", "OpenAI API key", 90;
    Anthropic = "anthropic-api-key", "Anthropic API key", 91;
    Npm = "npm-token", "npm access token", 90;
    PyPi = "pypi-token", "PyPI upload token", 90;
    HuggingFace = "huggingface-token", "Hugging Face access token", 90;
    Perplexity = "perplexity-api-key", "Perplexity API key", 90;
    Tavily = "tavily-api-key", "Tavily API key", 90;
    N8n = "n8n-api-key", "n8n API key", 90;
    ShopifyToken = "shopify-access-token", "Shopify access token", 90;
    ShopifySecret = "shopify-shared-secret", "Shopify shared secret", 90;
    Atlassian = "atlassian-api-token", "Atlassian API token", 88;
    Datadog = "datadog-api-key", "Datadog API or application key", 84;
    SquareToken = "square-access-token", "Square access token", 90;
    SquareSecret = "square-oauth-secret", "Square OAuth secret", 90;
    Telegram = "telegram-bot-token", "Telegram bot token", 90;
    Notion = "notion-token", "Notion integration token", 90;
    Airtable = "airtable-pat", "Airtable personal access token", 90;
    Linear = "linear-api-key", "Linear API key", 90;
    Dropbox = "dropbox-access-token", "Dropbox access token", 90;
    Heroku = "heroku-api-key", "Heroku API key", 88;
    DigitalOcean = "digitalocean-token", "DigitalOcean token", 90;
    HubSpot = "hubspot-private-app-token", "HubSpot private app token", 90;
    Postman = "postman-api-key", "Postman API key", 90;
    Groq = "groq-api-key", "Groq API key", 90;
    Replicate = "replicate-api-token", "Replicate API token", 90;
    Age = "age-secret-key", "age secret key", 90;
    AlibabaKeyId = "alibaba-access-key-id", "Alibaba Cloud AccessKey id", 90;
    Artifactory = "artifactory-token", "JFrog Artifactory API key or reference token", 90;
    Databricks = "databricks-token", "Databricks access token", 90;
    Doppler = "doppler-token", "Doppler token", 90;
    Dynatrace = "dynatrace-token", "Dynatrace API token", 90;
    EasyPost = "easypost-api-key", "EasyPost API key", 90;
    Flutterwave = "flutterwave-secret-key", "Flutterwave secret key", 90;
    FlyIo = "flyio-token", "Fly.io access token", 90;
    FrameIo = "frameio-token", "Frame.io API token", 90;
    GitlabOther = "gitlab-token", "GitLab token (pipeline trigger, job, OAuth, agent, feed, SCIM)", 90;
    Grafana = "grafana-token", "Grafana API, cloud or service account token", 90;
    Infracost = "infracost-api-key", "Infracost API key", 90;
    NewRelic = "newrelic-api-key", "New Relic user API key", 90;
    OpenShift = "openshift-token", "OpenShift user token", 90;
    PlanetScale = "planetscale-token", "PlanetScale token or password", 90;
    Prefect = "prefect-api-key", "Prefect API key", 90;
    Pulumi = "pulumi-access-token", "Pulumi access token", 90;
    Readme = "readme-api-key", "ReadMe API key", 90;
    RubyGems = "rubygems-api-key", "RubyGems API key", 90;
    Scalingo = "scalingo-token", "Scalingo API token", 90;
    Brevo = "brevo-api-key", "Brevo (Sendinblue) API key", 90;
    Sentry = "sentry-token", "Sentry auth token", 90;
    Shippo = "shippo-api-key", "Shippo API key", 90;
    Sourcegraph = "sourcegraph-token", "Sourcegraph access token", 90;
    OnePassword = "1password-service-account-token", "1Password service account token", 90;
    Adobe = "adobe-client-secret", "Adobe client secret", 90;
    Clojars = "clojars-token", "Clojars deploy token", 90;
    Bedrock = "aws-bedrock-api-key", "Amazon Bedrock API key", 90;
    Duffel = "duffel-token", "Duffel API token", 90;
    Mapbox = "mapbox-secret-token", "Mapbox secret token", 90;
    Facebook = "facebook-access-token", "Facebook / Meta access token", 90;
    OpenRouter = "openrouter-api-key", "OpenRouter API key", 91;
    XAi = "xai-api-key", "xAI API key", 90;
    ElevenLabs = "elevenlabs-api-key", "ElevenLabs API key", 90;
    Firecrawl = "firecrawl-api-key", "Firecrawl API key", 90;
    Apify = "apify-token", "Apify API token", 90;
    Pinecone = "pinecone-api-key", "Pinecone API key", 90;
    LangSmith = "langsmith-api-key", "LangSmith API key", 90;
    Supabase = "supabase-token", "Supabase access token or secret key", 90;
    Typeform = "typeform-token", "Typeform personal access token", 90;
    Resend = "resend-api-key", "Resend API key", 90;
    CloudflareCa = "cloudflare-origin-ca-key", "Cloudflare Origin CA key", 90;
    Vault = "vault-token", "HashiCorp Vault token", 90;
    Jwt = "jwt", "JSON Web Token", 85;
    PrivateKey = "private-key", "Private key", 95;
    UrlCredentials = "url-credentials", "URL password", 70;
    BasicAuth = "basic-auth", "Basic auth credentials", 65;
    Bearer = "bearer-token", "Bearer token", 60;
    GenericPassword = "generic-password", "Password", 40;
    GenericSecret = "generic-secret", "Secret or API key", 40;
    HighEntropy = "high-entropy-string", "High-entropy secret string", 20;
}

impl K {
    pub(crate) fn kind(self) -> &'static SecretKind {
        &KINDS[self as usize]
    }
    fn prio(self) -> u8 {
        PRIO[self as usize]
    }
}

/// A candidate before overlap resolution.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cand {
    pub kind: K,
    pub start: usize,
    pub end: usize,
    pub reason: Reason,
    pub confidence: Confidence,
}

/// What a key says about the values under it (see [`SecretScanner::key_hint`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyHint {
    class: generic::KeyClass,
    discord: bool,
    prose: bool,
}

pub struct SecretScanner {
    allow: Vec<Regex>,
}

impl SecretScanner {
    /// `allow`: the pack's regexes for known-fake values; a match on the secret is ignored.
    pub fn new(allow: Vec<Regex>) -> Self {
        // Build the shared keyword table now rather than on the first value.
        let _ = detect::keyword_table();
        Self { allow }
    }

    /// Scans one string value. `key` is the mapping key it sits under, if any (for generic
    /// `password: value` detection).
    pub fn scan(&self, value: &str, key: Option<&str>) -> Vec<SecretMatch> {
        match key {
            Some(key) if value.len() >= 8 => {
                self.scan_with(value, Some((key, &Self::key_hint(key))))
            }
            _ => self.scan_with(value, None),
        }
    }

    /// What `key` tells the scanner, for [`SecretScanner::scan_with`]: computed once per
    /// distinct key and reused for every value under it.
    pub fn key_hint(key: &str) -> KeyHint {
        let (class, prose) = generic::key_facts(key);
        KeyHint {
            class,
            discord: detect::discord_key(key),
            prose,
        }
    }

    /// [`SecretScanner::scan`] with the key's hint precomputed by [`SecretScanner::key_hint`]
    /// (`hint` must be the hint of that key).
    pub fn scan_with(&self, value: &str, key: Option<(&str, &KeyHint)>) -> Vec<SecretMatch> {
        if value.len() < 8 {
            return Vec::new();
        }
        let mut scan = detect::Scan::new(value);
        if let Some((_, hint)) = key {
            scan.key_hints(hint.discord, hint.prose);
        }
        scan.run_keywords();
        if let Some((_, hint)) = key {
            scan.keyed(hint.class);
        }
        scan.high_entropy(key.map(|(k, _)| k));
        let cands = scan.finish();
        if cands.is_empty() {
            return Vec::new(); // most values
        }
        let accepted = resolve(cands);
        let mut out: Vec<SecretMatch> = accepted
            .into_iter()
            .filter(|c| {
                let secret = value.get(c.start..c.end).unwrap_or("");
                !self.allow.iter().any(|re| re.is_match(secret)) && !doc_example(secret)
            })
            .map(|c| SecretMatch {
                kind: c.kind.kind(),
                start: c.start,
                end: c.end,
                reason: c.reason,
                confidence: c.confidence,
            })
            .collect();
        insertion_sort(&mut out, |a, b| (a.start, a.end) > (b.start, b.end));
        out.truncate(MAX_MATCHES);
        out
    }

    /// Every kind this scanner detects.
    pub fn kinds() -> &'static [SecretKind] {
        KINDS
    }
}

/// The first 8 bytes of the SHA-256 of tokens that vendors publish in their documentation
/// (jwt.io's sample token, Stripe's and Slack's documented test keys). They are placeholders
/// wherever they appear. (Hashes, so that the source holds no credential-shaped literal; AWS's
/// documented keys end in `EXAMPLE` and are recognised by that.)
const DOC_EXAMPLES: &[u64] = &[
    0x7f75_367e_7881_2551,
    0x2caf_c097_0149_a84f,
    0xf2d6_ca16_5150_33e5,
    0x2ddc_147f_3a3b_5a17,
];

fn doc_example(secret: &str) -> bool {
    use sha2::{Digest, Sha256};
    if !(20..=512).contains(&secret.len()) {
        return false;
    }
    let h = Sha256::digest(secret.as_bytes());
    let mut head = [0u8; 8];
    head.copy_from_slice(&h[..8]);
    DOC_EXAMPLES.contains(&u64::from_be_bytes(head))
}

/// Most specific first, then longest, then leftmost; drops anything overlapping an accepted one.
fn resolve(mut cands: Vec<Cand>) -> Vec<Cand> {
    let rank = |c: &Cand| {
        (
            u8::MAX - c.kind.prio(),
            usize::MAX - (c.end - c.start),
            c.start,
        )
    };
    insertion_sort(&mut cands, |a, b| rank(a) > rank(b));
    let mut accepted: Vec<Cand> = Vec::new();
    for c in cands {
        if accepted.len() >= MAX_MATCHES * 2 {
            break;
        }
        if accepted
            .iter()
            .all(|a| c.end <= a.start || c.start >= a.end)
        {
            accepted.push(c);
        }
    }
    accepted
}

/// Stable in-place sort; `after(a, b)` says `a` belongs after `b`. Lists are short (at most
/// [`MAX_CANDIDATES`]), and this keeps the wasm build free of a full sort implementation.
fn insertion_sort<T: Copy>(v: &mut [T], after: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && after(&v[j - 1], &x) {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// Public prefixes that may be shown in a redaction (at most 5 characters are ever shown).
const PUBLIC_PREFIXES: &[&str] = &[
    "github_pat_",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "xoxe",
    "xapp-",
    "glpat-",
    "gldt-",
    "glrt-",
    "sk_live_",
    "rk_live_",
    "sk_test_",
    "rk_test_",
    "whsec_",
    "sk-ant-",
    "sk-proj-",
    "sk-",
    "pplx-",
    "tvly-",
    "n8n_api_",
    "shpat_",
    "shpss_",
    "shpca_",
    "shppa_",
    "npm_",
    "pypi-",
    "hf_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "AKIA",
    "ASIA",
    "AIza",
    "GOCSPX-",
    "ya29.",
    "SG.",
    "key-",
    "secret_",
    "ntn_",
    "lin_api_",
    "dop_v1_",
    "doo_v1_",
    "dor_v1_",
    "HRKU-",
    "pat-",
    "PMAK-",
    "gsk_",
    "r8_",
    "AGE-S",
    "LTAI",
    "AKCp",
    "cmVmd",
    "dapi",
    "dp.pt.",
    "dt0c0",
    "EZAK",
    "EZTK",
    "FLWSECK",
    "fo1_",
    "fm2_",
    "fio-u-",
    "glptt-",
    "glcbt-",
    "glimt-",
    "gloas-",
    "glsoat-",
    "glagent-",
    "glffct-",
    "glft-",
    "glsa_",
    "glc_",
    "api_org_",
    "ico-",
    "NRAK-",
    "sha256~",
    "pscale_",
    "pnu_",
    "pul-",
    "rdme_",
    "rubygems_",
    "tk-us-",
    "xkeysib-",
    "sntryu_",
    "sntrys_",
    "shippo_",
    "sgp_",
    "ops_",
    "p8e-",
    "CLOJARS_",
    "ABSK",
    "duffel_",
    "sk.eyJ",
    "EAA",
    "sk-or-v1-",
    "xai-",
    "sk_",
    "fc-",
    "apify_api_",
    "pcsk_",
    "lsv2_",
    "sbp_",
    "sb_secret_",
    "tfp_",
    "re_",
    "v1.0-",
    "hvb.",
    "hvs.",
    "ATATT",
    "sq0",
    "EAAA",
    "eyJ",
    "-----",
    "https",
    "http:",
];

/// A short, non-reversible rendering: a short known prefix, an ellipsis and four hex digits of
/// the SHA-256 of the value, e.g. `xoxb-…3f9a`. Never more than 5 characters of the secret and
/// never more than a quarter of it; a secret without a known public prefix shows nothing when
/// shorter than 16 characters, else `len / 8` (at most 4) of its first characters.
pub fn redact(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(secret.as_bytes());
    let total = secret.chars().count();
    // The first byte first: most prefixes are told apart without a comparison call.
    let first = secret.as_bytes().first();
    let known = PUBLIC_PREFIXES
        .iter()
        .filter(|p| p.as_bytes().first() == first && secret.starts_with(**p))
        .map(|p| p.chars().count())
        .max();
    let shown = match known {
        Some(n) => n.min(5).min(total / 4),
        None if total >= 16 => (total / 8).min(4),
        None => 0,
    };
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…{:02x}{:02x}", hash[0], hash[1])
}
