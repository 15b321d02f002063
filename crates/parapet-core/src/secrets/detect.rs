//! The keyword table and the per-kind matchers.

use crate::placeholder::{is_placeholder, PlaceholderFor};

use super::generic::{
    classify_key, credential_password_ok, entropy_key_ok, eval_value, exchange_id, strong_value,
    weak_body, word_like, KeyClass,
};
use super::util::{
    at, b64_decode, contains, contains_ci, distinct, entropy, is_alnum, is_b64std, is_b64url,
    is_hex, is_lower_hex, is_uuid, is_word, prev, printable_ratio, run, run_back, starts_with_at,
    starts_with_at_ci,
};
use super::{Cand, Confidence, Reason, K, MAX_CANDIDATES};

/// The evidence and confidence of a match of `kind` found by its own matcher (generic and
/// high-entropy matches say theirs explicitly).
fn default_why(kind: K) -> (Reason, Confidence) {
    use Confidence::{Certain, Likely, Possible};
    match kind {
        K::SlackWebhook
        | K::DiscordWebhook
        | K::TeamsWebhook
        | K::LogicAppUrl
        | K::ZapierWebhook
        | K::GoogleChatWebhook => (Reason::WebhookUrl, Certain),
        K::PrivateKey | K::GcpServiceAccount => (Reason::PrivateKey, Certain),
        K::Jwt => (Reason::SignedJwt, Likely),
        K::UrlCredentials => (Reason::UrlPassword, Likely),
        K::BasicAuth => (Reason::BasicAuth, Likely),
        K::Bearer => (Reason::BearerToken, Likely),
        K::AzureStorageKey | K::AzureSharedKey | K::AzureSas => (Reason::ConnectionString, Certain),
        K::AwsSecret => (Reason::KeyPair, Likely),
        K::GenericPassword => (Reason::PasswordField, Likely),
        K::GenericSecret => (Reason::SecretField, Likely),
        K::HighEntropy => (Reason::HighEntropy, Possible),
        // Short or word-like prefixes: the format alone is weaker evidence.
        K::TwilioApiKey
        | K::Mailgun
        | K::Dropbox
        | K::SquareToken
        | K::Notion
        | K::Resend
        | K::Firecrawl
        | K::ElevenLabs
        | K::Infracost
        | K::Sourcegraph => (Reason::TokenFormat, Likely),
        _ => (Reason::TokenFormat, Certain),
    }
}

/// CRC-32 (IEEE), for token checksums.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// GitHub and npm tokens: 30 random base62 characters, then the CRC-32 of those 30 in base62
/// (`0-9A-Za-z`), left-padded with `0` to 6 characters.
pub(super) fn base62_crc_ok(body: &[u8]) -> bool {
    if body.len() != 36 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (data, sum) = body.split_at(30);
    let mut n: u64 = 0;
    for &c in sum {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'Z' => c - b'A' + 10,
            _ => c - b'a' + 36,
        };
        n = n * 62 + u64::from(d);
    }
    n == u64::from(crc32(data))
}

/// Body character sets of prefixed tokens.
#[derive(Clone, Copy)]
enum Cs {
    Alnum,
    /// alnum and `_`
    Word,
    /// alnum, `_`, `-`
    B64Url,
    /// alnum, `_`, `-`, `.`
    Dotted,
    /// alnum and `-`
    AlnumDash,
    Hex,
    LowerHex,
    /// hex and `-`
    HexDash,
    /// A-Z and 2-7
    UpperB32,
    /// A-Z and 0-9
    UpperAlnum,
    /// alnum, `_`, `-`, `=`
    B64UrlEq,
    /// alnum, `+`, `/`, `=`
    B64,
    /// alnum, `+`, `/`, `=`, `_`
    B64Und,
}

impl Cs {
    fn has(self, c: u8) -> bool {
        match self {
            Cs::Alnum => c.is_ascii_alphanumeric(),
            Cs::Word => is_word(c),
            Cs::B64Url => is_b64url(c),
            Cs::Dotted => is_b64url(c) || c == b'.',
            Cs::AlnumDash => c.is_ascii_alphanumeric() || c == b'-',
            Cs::Hex => is_hex(c),
            Cs::LowerHex => is_lower_hex(c),
            Cs::HexDash => is_hex(c) || c == b'-',
            Cs::UpperB32 => c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c),
            Cs::UpperAlnum => c.is_ascii_uppercase() || c.is_ascii_digit(),
            Cs::B64UrlEq => is_b64url(c) || c == b'=',
            Cs::B64 => is_b64std(c),
            Cs::B64Und => is_b64std(c) || c == b'_',
        }
    }
}

/// A token with a fixed public prefix: `kw` (exact case) + body of `cs` with `min..=max` bytes.
struct Pre {
    kw: &'static str,
    kind: K,
    cs: Cs,
    min: usize,
    max: usize,
    check: Option<fn(&[u8]) -> bool>,
}

const fn pre(kw: &'static str, kind: K, cs: Cs, min: usize, max: usize) -> Pre {
    Pre {
        kw,
        kind,
        cs,
        min,
        max,
        check: None,
    }
}
const fn prc(
    kw: &'static str,
    kind: K,
    cs: Cs,
    min: usize,
    max: usize,
    f: fn(&[u8]) -> bool,
) -> Pre {
    Pre {
        kw,
        kind,
        cs,
        min,
        max,
        check: Some(f),
    }
}

fn dashes(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'-').count()
}
fn slack_bot(b: &[u8]) -> bool {
    at(b, 0).is_ascii_digit() && dashes(b) >= 2
}
fn slack_app(b: &[u8]) -> bool {
    at(b, 0).is_ascii_digit() && dashes(b) >= 3
}
fn slack_other(b: &[u8]) -> bool {
    b.iter().any(u8::is_ascii_digit) && (dashes(b) >= 1 || b.contains(&b'.'))
}
fn has_underscore(b: &[u8]) -> bool {
    b.contains(&b'_')
}
fn mixed_case(b: &[u8]) -> bool {
    b.iter().any(u8::is_ascii_uppercase) && b.iter().any(u8::is_ascii_lowercase)
}
fn tavily(b: &[u8]) -> bool {
    let rest = b
        .strip_prefix(b"dev-")
        .or_else(|| b.strip_prefix(b"prod-"))
        .unwrap_or(b);
    rest.len() >= 20 && rest.iter().all(u8::is_ascii_alphanumeric)
}
fn sendgrid(b: &[u8]) -> bool {
    let parts: Vec<&[u8]> = b.split(|&c| c == b'.').collect();
    parts.len() == 2 && parts[0].len() == 22 && parts[1].len() == 43
}
fn airtable(b: &[u8]) -> bool {
    b.len() == 79
        && b[..14].iter().all(u8::is_ascii_alphanumeric)
        && b[14] == b'.'
        && b[15..].iter().all(|&c| is_lower_hex(c))
}
fn uuid_body(b: &[u8]) -> bool {
    is_uuid(b)
}
fn postman(b: &[u8]) -> bool {
    b.len() == 59 && b[24] == b'-' && dashes(b) == 1
}

fn all_lhex(b: &[u8]) -> bool {
    b.iter().all(|&c| is_lower_hex(c))
}
fn dynatrace(b: &[u8]) -> bool {
    b.len() == 89
        && b[24] == b'.'
        && b[..24]
            .iter()
            .chain(&b[25..])
            .all(u8::is_ascii_alphanumeric)
}
fn flutterwave(b: &[u8]) -> bool {
    b.len() == 34 && b[..32].iter().all(u8::is_ascii_hexdigit) && &b[32..] == b"-X"
}
fn grafana_sa(b: &[u8]) -> bool {
    b.len() == 41
        && b[32] == b'_'
        && b[..32].iter().all(u8::is_ascii_alphanumeric)
        && b[33..].iter().all(u8::is_ascii_hexdigit)
}
fn sourcegraph(b: &[u8]) -> bool {
    let hex = |s: &[u8]| s.iter().all(u8::is_ascii_hexdigit);
    match b.len() {
        40 => hex(b),
        46 => b.starts_with(b"local_") && hex(&b[6..]),
        57 => b[16] == b'_' && hex(&b[..16]) && hex(&b[17..]),
        _ => false,
    }
}
fn brevo(b: &[u8]) -> bool {
    b.len() == 81
        && all_lhex(&b[..64])
        && b[64] == b'-'
        && b[65..].iter().all(u8::is_ascii_alphanumeric)
}
fn langsmith(b: &[u8]) -> bool {
    // `pt_` or `sk_`, 32 hex, `_`, 10 hex.
    b.len() == 46
        && (b.starts_with(b"pt_") || b.starts_with(b"sk_"))
        && b[35] == b'_'
        && all_lhex(&b[3..35])
        && all_lhex(&b[36..])
}
fn resend(b: &[u8]) -> bool {
    b.len() >= 30
        && b.len() <= 40
        && b.get(8) == Some(&b'_')
        && b[..8].iter().all(u8::is_ascii_alphanumeric)
        && mixed_case(b)
        && b.iter().any(u8::is_ascii_digit)
}
fn cloudflare_ca(b: &[u8]) -> bool {
    b.len() == 171 && b[24] == b'-' && all_lhex(&b[..24]) && all_lhex(&b[25..])
}
fn has_dot(b: &[u8]) -> bool {
    b.contains(&b'.')
}
fn planetscale(b: &[u8]) -> bool {
    let rest = [&b"tkn_"[..], b"pw_", b"oauth_"]
        .iter()
        .find_map(|p| b.strip_prefix(*p));
    rest.is_some_and(|r| (32..=64).contains(&r.len()))
}
fn live_or_test(b: &[u8]) -> bool {
    b.starts_with(b"live_") || b.starts_with(b"test_")
}
fn pinecone(b: &[u8]) -> bool {
    b.contains(&b'_') && b.iter().any(u8::is_ascii_digit) && mixed_case(b)
}

/// Prefixed tokens. The keyword is the prefix itself (matched case-insensitively by the
/// keyword table, then exactly).
static PREFIXES: &[Pre] = &[
    pre("AKIA", K::AwsKeyId, Cs::UpperB32, 16, 16),
    pre("ASIA", K::AwsKeyId, Cs::UpperB32, 16, 16),
    pre("ABIA", K::AwsKeyId, Cs::UpperB32, 16, 16),
    pre("ACCA", K::AwsKeyId, Cs::UpperB32, 16, 16),
    pre("AIza", K::GcpApiKey, Cs::B64Url, 35, 35),
    pre("GOCSPX-", K::GoogleOauthSecret, Cs::B64Url, 24, 40),
    pre("ya29.", K::GoogleOauthToken, Cs::Dotted, 30, 2048),
    pre("ghp_", K::GithubPat, Cs::Alnum, 36, 255),
    pre("gho_", K::GithubOauth, Cs::Alnum, 36, 255),
    pre("ghu_", K::GithubUser, Cs::Alnum, 36, 255),
    pre("ghs_", K::GithubApp, Cs::Alnum, 36, 255),
    pre("ghr_", K::GithubRefresh, Cs::Alnum, 36, 255),
    prc(
        "github_pat_",
        K::GithubFineGrained,
        Cs::Word,
        70,
        255,
        has_underscore,
    ),
    pre("glpat-", K::GitlabPat, Cs::Dotted, 20, 255),
    pre("gldt-", K::GitlabDeploy, Cs::Dotted, 20, 255),
    pre("glrt-", K::GitlabRunner, Cs::Dotted, 20, 255),
    pre("GR1348941", K::GitlabRunner, Cs::B64Url, 20, 255),
    prc("xoxb-", K::SlackBot, Cs::AlnumDash, 20, 255, slack_bot),
    prc("xoxp-", K::SlackUser, Cs::AlnumDash, 20, 255, slack_bot),
    prc("xapp-", K::SlackApp, Cs::AlnumDash, 20, 255, slack_app),
    prc("xoxa-", K::SlackOther, Cs::AlnumDash, 20, 255, slack_other),
    prc("xoxr-", K::SlackOther, Cs::AlnumDash, 20, 255, slack_other),
    prc("xoxs-", K::SlackOther, Cs::AlnumDash, 20, 255, slack_other),
    prc("xoxo-", K::SlackOther, Cs::AlnumDash, 20, 255, slack_other),
    prc("xoxe.", K::SlackOther, Cs::Dotted, 20, 255, slack_other),
    prc("xoxe-", K::SlackOther, Cs::Dotted, 20, 255, slack_other),
    pre("sk_live_", K::StripeSecret, Cs::Alnum, 20, 255),
    pre("rk_live_", K::StripeRestricted, Cs::Alnum, 20, 255),
    pre("sk_test_", K::StripeTest, Cs::Alnum, 20, 255),
    pre("rk_test_", K::StripeTest, Cs::Alnum, 20, 255),
    pre("whsec_", K::StripeWebhook, Cs::Alnum, 32, 64),
    pre("SK", K::TwilioApiKey, Cs::LowerHex, 32, 32),
    prc("SG.", K::SendGrid, Cs::Dotted, 66, 66, sendgrid),
    pre("key-", K::Mailgun, Cs::LowerHex, 32, 32),
    pre("npm_", K::Npm, Cs::Alnum, 36, 36),
    pre("pypi-AgE", K::PyPi, Cs::B64Url, 50, 1024),
    prc("hf_", K::HuggingFace, Cs::Alnum, 30, 40, mixed_case),
    pre("pplx-", K::Perplexity, Cs::Alnum, 32, 64),
    prc("tvly-", K::Tavily, Cs::AlnumDash, 20, 80, tavily),
    pre("n8n_api_", K::N8n, Cs::Alnum, 32, 128),
    pre("shpat_", K::ShopifyToken, Cs::Hex, 32, 32),
    pre("shpca_", K::ShopifyToken, Cs::Hex, 32, 32),
    pre("shppa_", K::ShopifyToken, Cs::Hex, 32, 32),
    pre("shpss_", K::ShopifySecret, Cs::Hex, 32, 32),
    pre("ATATT3", K::Atlassian, Cs::B64UrlEq, 100, 300),
    pre("sq0atp-", K::SquareToken, Cs::B64Url, 22, 60),
    pre("EAAA", K::SquareToken, Cs::B64Url, 60, 60),
    pre("sq0csp-", K::SquareSecret, Cs::B64Url, 40, 50),
    pre("secret_", K::Notion, Cs::Alnum, 43, 43),
    pre("ntn_", K::Notion, Cs::Alnum, 40, 50),
    prc("pat", K::Airtable, Cs::Dotted, 79, 79, airtable),
    pre("lin_api_", K::Linear, Cs::Alnum, 40, 40),
    pre("sl.", K::Dropbox, Cs::Dotted, 130, 1400),
    pre("HRKU-", K::Heroku, Cs::B64Url, 50, 80),
    pre("dop_v1_", K::DigitalOcean, Cs::LowerHex, 64, 64),
    pre("doo_v1_", K::DigitalOcean, Cs::LowerHex, 64, 64),
    pre("dor_v1_", K::DigitalOcean, Cs::LowerHex, 64, 64),
    prc("pat-na1-", K::HubSpot, Cs::HexDash, 36, 36, uuid_body),
    prc("pat-eu1-", K::HubSpot, Cs::HexDash, 36, 36, uuid_body),
    prc("PMAK-", K::Postman, Cs::HexDash, 59, 59, postman),
    pre("gsk_", K::Groq, Cs::Alnum, 48, 60),
    pre("r8_", K::Replicate, Cs::Alnum, 37, 40),
    pre("AGE-SECRET-KEY-1", K::Age, Cs::UpperAlnum, 58, 58),
    pre("hvs.", K::Vault, Cs::B64Url, 90, 300),
    pre("hvb.", K::Vault, Cs::B64Url, 138, 300),
    // Coverage from the common open rule sets (gitleaks' list as the checklist); formats from
    // the vendors' documentation.
    prc("LTAI", K::AlibabaKeyId, Cs::Alnum, 20, 20, mixed_case),
    pre("AKCp", K::Artifactory, Cs::Alnum, 69, 69),
    pre("cmVmd", K::Artifactory, Cs::Alnum, 59, 59),
    pre("dapi", K::Databricks, Cs::LowerHex, 32, 32),
    pre("dp.pt.", K::Doppler, Cs::Alnum, 43, 43),
    pre("dp.sa.", K::Doppler, Cs::Alnum, 43, 43),
    pre("dp.ct.", K::Doppler, Cs::Alnum, 43, 43),
    prc("dt0c01.", K::Dynatrace, Cs::Dotted, 89, 89, dynatrace),
    pre("EZAK", K::EasyPost, Cs::Alnum, 54, 54),
    pre("EZTK", K::EasyPost, Cs::Alnum, 54, 54),
    prc(
        "FLWSECK_TEST-",
        K::Flutterwave,
        Cs::AlnumDash,
        34,
        34,
        flutterwave,
    ),
    prc(
        "FLWSECK-",
        K::Flutterwave,
        Cs::AlnumDash,
        34,
        34,
        flutterwave,
    ),
    pre("fo1_", K::FlyIo, Cs::B64Url, 43, 43),
    pre("fm2_", K::FlyIo, Cs::B64, 100, 2048),
    pre("fio-u-", K::FrameIo, Cs::B64UrlEq, 64, 64),
    pre("glptt-", K::GitlabOther, Cs::LowerHex, 40, 40),
    pre("glcbt-", K::GitlabOther, Cs::B64Url, 22, 255),
    pre("glimt-", K::GitlabOther, Cs::B64Url, 25, 255),
    pre("gloas-", K::GitlabOther, Cs::B64Url, 64, 255),
    pre("glsoat-", K::GitlabOther, Cs::B64Url, 20, 255),
    pre("glagent-", K::GitlabOther, Cs::B64Url, 50, 255),
    pre("glffct-", K::GitlabOther, Cs::B64Url, 20, 255),
    pre("glft-", K::GitlabOther, Cs::B64Url, 20, 255),
    prc("glsa_", K::Grafana, Cs::Word, 41, 41, grafana_sa),
    pre("glc_", K::Grafana, Cs::B64, 32, 400),
    pre("eyJrIjoi", K::Grafana, Cs::B64, 70, 400),
    pre("api_org_", K::HuggingFace, Cs::Alnum, 34, 34),
    pre("ico-", K::Infracost, Cs::Alnum, 32, 32),
    pre("NRAK-", K::NewRelic, Cs::UpperAlnum, 27, 27),
    pre("sha256~", K::OpenShift, Cs::B64Url, 43, 43),
    prc("pscale_", K::PlanetScale, Cs::Dotted, 35, 70, planetscale),
    pre("pnu_", K::Prefect, Cs::Alnum, 36, 36),
    pre("pul-", K::Pulumi, Cs::LowerHex, 40, 40),
    pre("rdme_", K::Readme, Cs::Alnum, 70, 70),
    pre("rubygems_", K::RubyGems, Cs::LowerHex, 48, 48),
    pre("tk-us-", K::Scalingo, Cs::B64Url, 48, 48),
    prc("xkeysib-", K::Brevo, Cs::AlnumDash, 81, 81, brevo),
    pre("sntryu_", K::Sentry, Cs::LowerHex, 64, 64),
    pre("sntrys_", K::Sentry, Cs::B64Und, 80, 1024),
    prc("shippo_", K::Shippo, Cs::Word, 45, 45, live_or_test),
    prc("sgp_", K::Sourcegraph, Cs::Word, 40, 57, sourcegraph),
    pre("ops_eyJ", K::OnePassword, Cs::B64, 250, 4096),
    pre("p8e-", K::Adobe, Cs::Alnum, 32, 32),
    pre("CLOJARS_", K::Clojars, Cs::Alnum, 60, 60),
    pre("ABSK", K::Bedrock, Cs::B64, 109, 272),
    prc("duffel_", K::Duffel, Cs::B64UrlEq, 48, 48, live_or_test),
    prc("sk.eyJ", K::Mapbox, Cs::Dotted, 60, 400, has_dot),
    pre("EAAB", K::Facebook, Cs::Alnum, 100, 400),
    pre("EAAC", K::Facebook, Cs::Alnum, 100, 400),
    pre("EAAG", K::Facebook, Cs::Alnum, 100, 400),
    pre("EAAM", K::Facebook, Cs::Alnum, 100, 400),
    pre("sk-or-v1-", K::OpenRouter, Cs::LowerHex, 64, 64),
    prc("xai-", K::XAi, Cs::Alnum, 80, 80, mixed_case),
    pre("sk_", K::ElevenLabs, Cs::LowerHex, 48, 48),
    pre("fc-", K::Firecrawl, Cs::LowerHex, 32, 32),
    pre("apify_api_", K::Apify, Cs::Alnum, 36, 36),
    prc("pcsk_", K::Pinecone, Cs::Word, 60, 90, pinecone),
    prc("lsv2_", K::LangSmith, Cs::Word, 46, 46, langsmith),
    pre("sbp_", K::Supabase, Cs::LowerHex, 40, 40),
    prc("sb_secret_", K::Supabase, Cs::B64Url, 31, 40, mixed_case),
    prc("tfp_", K::Typeform, Cs::Dotted, 44, 64, mixed_case),
    prc("re_", K::Resend, Cs::Word, 30, 40, resend),
    prc(
        "v1.0-",
        K::CloudflareCa,
        Cs::HexDash,
        171,
        171,
        cloudflare_ca,
    ),
];

/// What a keyword hit triggers.
#[derive(Clone, Copy)]
enum Trig {
    Pre(usize),
    Sk,
    ChimpUs,
    TelegramAa,
    Jwt,
    PemBegin,
    Scheme,
    Basic,
    Bearer,
    /// A webhook host: the kind and the length of the keyword.
    Web(K),
    AzAccountKey,
    AzSharedKey,
    AzSig,
    AzQ,
    DiscordHint,
    Word,
    ServiceAccount,
    Pragma,
}

static OTHER: &[(&str, Trig)] = &[
    ("sk-", Trig::Sk),
    ("-us", Trig::ChimpUs),
    (":aa", Trig::TelegramAa),
    ("eyj", Trig::Jwt),
    ("-----begin ", Trig::PemBegin),
    ("://", Trig::Scheme),
    ("basic ", Trig::Basic),
    ("bearer ", Trig::Bearer),
    ("hooks.slack.com/", Trig::Web(K::SlackWebhook)),
    ("discord.com/api/webhooks/", Trig::Web(K::DiscordWebhook)),
    ("discordapp.com/api/webhooks/", Trig::Web(K::DiscordWebhook)),
    ("webhook.office.com/", Trig::Web(K::TeamsWebhook)),
    ("outlook.office.com/webhook", Trig::Web(K::TeamsWebhook)),
    (".logic.azure.com", Trig::Web(K::LogicAppUrl)),
    ("api.powerplatform.com", Trig::Web(K::LogicAppUrl)),
    ("hooks.zapier.com/hooks/catch/", Trig::Web(K::ZapierWebhook)),
    (
        "chat.googleapis.com/v1/spaces/",
        Trig::Web(K::GoogleChatWebhook),
    ),
    ("accountkey=", Trig::AzAccountKey),
    ("sharedaccesskey=", Trig::AzSharedKey),
    ("sig=", Trig::AzSig),
    ("q~", Trig::AzQ),
    ("discord", Trig::DiscordHint),
    ("bot ", Trig::DiscordHint),
    ("pass", Trig::Word),
    ("pwd", Trig::Word),
    ("secret", Trig::Word),
    ("token", Trig::Word),
    ("key", Trig::Word),
    ("credential", Trig::Word),
    ("creds", Trig::Word),
    ("auth", Trig::Word),
    ("service_account", Trig::ServiceAccount),
    ("pragma: allowlist secret", Trig::Pragma),
    ("gitleaks:allow", Trig::Pragma),
];

/// The keywords of [`PREFIXES`] and [`OTHER`] (pattern id = index: prefixes first), searched
/// case-insensitively (ASCII) by their last two bytes. Every occurrence of every keyword is
/// reported, ordered by end position, then longest first, then by pattern id: the order of an
/// overlapping Aho-Corasick search (a test checks that they agree), at a fraction of its cost
/// per byte, since most byte pairs end no keyword.
struct Table {
    /// The keywords, lowercase, one after another.
    text: Vec<u8>,
    /// Per pattern id: offset in `text`, length, trigger.
    kws: Vec<(usize, usize, Trig)>,
    /// Per byte pair (`first << 8 | second`, both cases of each letter): 0, or 1 + the index
    /// in `groups` of the keywords that end with that pair.
    pair: Box<[u8; 1 << 16]>,
    /// Per keyword-ending pair: its range of `order`.
    groups: Vec<(usize, usize)>,
    /// Per keyword-ending pair: a bit per byte (lowercase) that comes before the pair in one
    /// of its keywords; all bits for a two-byte keyword.
    thirds: Vec<[u64; 4]>,
    /// Pattern ids grouped by ending pair; in a group, longest first, then by id.
    order: Vec<usize>,
}

/// `c` and, for a letter, its other case.
fn cases(c: u8) -> [u8; 2] {
    [c.to_ascii_lowercase(), c.to_ascii_uppercase()]
}

impl Table {
    fn new() -> Option<Table> {
        let mut text = Vec::new();
        let mut kws = Vec::new();
        let all = PREFIXES
            .iter()
            .enumerate()
            .map(|(i, p)| (p.kw, Trig::Pre(i)))
            .chain(OTHER.iter().copied());
        for (kw, trig) in all {
            if kw.len() < 2 || kw.bytes().any(|c| c == 0) {
                return None; // the search needs two non-NUL bytes per keyword
            }
            kws.push((text.len(), kw.len(), trig));
            text.extend(kw.bytes().map(|c| c.to_ascii_lowercase()));
        }
        let key = |id: usize| {
            let (o, n, _) = kws[id];
            (text[o + n - 2], text[o + n - 1])
        };
        let mut order: Vec<usize> = (0..kws.len()).collect();
        let rank = |id: usize| (key(id), usize::MAX - kws[id].1, id);
        super::insertion_sort(&mut order, |&a, &b| rank(a) > rank(b));
        let mut pair = Box::new([0u8; 1 << 16]);
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for (at, &id) in order.iter().enumerate() {
            let (x, y) = key(id);
            if pair[usize::from(x) << 8 | usize::from(y)] == 0 {
                groups.push((at, at + 1));
                let g = u8::try_from(groups.len()).ok()?;
                for x in cases(x) {
                    for y in cases(y) {
                        pair[usize::from(x) << 8 | usize::from(y)] = g;
                    }
                }
            } else if let Some(g) = groups.last_mut() {
                g.1 = at + 1;
            }
        }
        let mut thirds = vec![[0u64; 4]; groups.len()];
        for (g, &(from, to)) in groups.iter().enumerate() {
            for &id in &order[from..to] {
                let (o, n, _) = kws[id];
                if n == 2 {
                    thirds[g] = [u64::MAX; 4];
                } else {
                    let c = text[o + n - 3];
                    thirds[g][usize::from(c >> 6)] |= 1 << (c & 63);
                }
            }
        }
        Some(Table {
            text,
            kws,
            pair,
            groups,
            thirds,
            order,
        })
    }

    /// Calls `f(pattern id, start, trigger, length)` for every keyword occurrence in `b`, in
    /// the order described at [`Table`], until `f` returns false.
    fn hits(&self, b: &[u8], mut f: impl FnMut(usize, usize, Trig, usize) -> bool) {
        // The last two bytes; the first position pairs a NUL (in no keyword) with `b[0]`.
        let mut k = 0u16;
        for (i, &c) in b.iter().enumerate() {
            k = k << 8 | u16::from(c);
            let g = self.pair[usize::from(k)];
            if g == 0 {
                continue;
            }
            // The byte before the pair (NUL before the value's start) can start or continue
            // one of the group's keywords.
            let t = if i >= 2 {
                b[i - 2].to_ascii_lowercase()
            } else {
                0
            };
            let bits = self
                .thirds
                .get(usize::from(g) - 1)
                .map_or(0, |m| m[usize::from(t >> 6)]);
            if bits >> (t & 63) & 1 == 1 && !self.group(g, b, i + 1, &mut f) {
                return;
            }
        }
    }

    /// The keywords of group `g + 1` that end at `end` of `b`, longest first; false when `f`
    /// said to stop.
    #[inline(never)]
    fn group(
        &self,
        g: u8,
        b: &[u8],
        end: usize,
        f: &mut impl FnMut(usize, usize, Trig, usize) -> bool,
    ) -> bool {
        let Some(&(from, to)) = self.groups.get(usize::from(g) - 1) else {
            return true;
        };
        for &id in self.order.get(from..to).unwrap_or(&[]) {
            let (o, n, trig) = self.kws[id];
            // The last two bytes match; most misses differ in the third from last.
            if n > end
                || (n > 2 && b[end - 3].to_ascii_lowercase() != self.text[o + n - 3])
                || !b[end - n..end].eq_ignore_ascii_case(&self.text[o..o + n])
            {
                continue;
            }
            if !f(id, end - n, trig, n) {
                return false;
            }
        }
        true
    }
}

fn table() -> Option<&'static Table> {
    static TABLE: std::sync::OnceLock<Option<Table>> = std::sync::OnceLock::new();
    TABLE.get_or_init(Table::new).as_ref()
}

/// Forces construction of the shared keyword table.
pub(super) fn keyword_table() -> bool {
    table().is_some()
}

fn url_char(c: u8) -> bool {
    (0x21..0x7f).contains(&c)
        && !matches!(
            c,
            b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\' | b'{' | b'}' | b'|' | b'^' | b')' | b']'
        )
}

fn ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

fn is_quote(c: u8) -> bool {
    matches!(c, b'"' | b'\'' | b'`')
}

/// The body of a PEM block decodes as what its label says: DER (`0x30`, a SEQUENCE) for PKCS#1,
/// PKCS#8 and SEC1 keys, `openssh-key-v1` for OpenSSH keys. Armored PGP blocks and legacy
/// encrypted PEM (`Proc-Type:` headers) are not checkable and pass. Escaped line breaks (`\n`
/// inside JSON or code) are skipped.
fn key_body_ok(label: &[u8], body: &[u8]) -> bool {
    if contains(label, b"PGP") || contains(body, b"Proc-Type:") {
        return true;
    }
    let mut b64 = Vec::with_capacity(64);
    let mut i = 0;
    while i < body.len() && b64.len() < 64 {
        let c = body[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if is_b64std(c) && c != b'=' {
            b64.push(c);
        } else if !c.is_ascii_whitespace() {
            return false;
        }
        i += 1;
    }
    let n = b64.len() / 4 * 4;
    let Some(d) = b64_decode(&b64[..n], 48) else {
        return false;
    };
    if contains(label, b"OPENSSH") {
        d.starts_with(b"openssh-key-v1")
    } else {
        d.first() == Some(&0x30)
    }
}

/// Per-value scanning state.
pub(super) struct Scan<'a> {
    v: &'a str,
    b: &'a [u8],
    cands: Vec<Cand>,
    /// Per trigger kind: bytes before this were already consumed by that matcher. A short list
    /// of `(slot, position)` while few matchers ran (most values), a table indexed by slot once
    /// many did.
    skip_list: [(usize, usize); SKIP_LIST],
    skip_len: usize,
    skip: Vec<usize>,
    /// Identifier start of the last generic hit (several keywords in one identifier).
    last_ident: Option<usize>,
    /// Cached search for `-----END `: (searched from, found at).
    pem_end: Option<(usize, Option<usize>)>,
    /// Candidates that are a bare `PRIVATE KEY` block (a service account key if the value
    /// also says `service_account`).
    plain_pem: Vec<usize>,
    service_account: bool,
    discord_hint: bool,
    /// The value is prose (a sticky note, a description): text assignments need a generated value.
    prose: bool,
    pragmas: Vec<usize>,
}

const SKIP_SLOTS: usize = 16;
/// Most matchers tracked in [`Scan::skip_list`] before it becomes a table.
const SKIP_LIST: usize = 8;
const SLOT_SK: usize = 0;
const SLOT_CHIMP: usize = 1;
const SLOT_TG: usize = 2;
const SLOT_JWT: usize = 3;
const SLOT_PEM: usize = 4;
const SLOT_URL: usize = 5;
const SLOT_BASIC: usize = 6;
const SLOT_BEARER: usize = 7;
const SLOT_WEB: usize = 8;
const SLOT_AZKEY: usize = 9;
const SLOT_SIG: usize = 10;
const SLOT_Q: usize = 11;
const SLOT_WORD: usize = 12;

/// The key mentions Discord or a bot (see [`Scan::key_hints`]).
pub(super) fn discord_key(key: &str) -> bool {
    let k = key.as_bytes();
    contains_ci(k, b"discord") || contains_ci(k, b"bot")
}

impl<'a> Scan<'a> {
    pub(super) fn new(v: &'a str) -> Self {
        Scan {
            v,
            b: v.as_bytes(),
            cands: Vec::new(),
            // Allocated on the first skip mark (most values hit no trigger).
            skip_list: [(0, 0); SKIP_LIST],
            skip_len: 0,
            skip: Vec::new(),
            last_ident: None,
            pem_end: None,
            plain_pem: Vec::new(),
            service_account: false,
            discord_hint: false,
            prose: false,
            pragmas: Vec::new(),
        }
    }

    /// Where the matcher of `slot` may next start (0 if it never ran).
    fn skip_at(&self, slot: usize) -> usize {
        if self.skip.is_empty() {
            self.skip_list[..self.skip_len]
                .iter()
                .find(|(s, _)| *s == slot)
                .map_or(0, |&(_, to)| to)
        } else {
            self.skip.get(slot).copied().unwrap_or(0)
        }
    }

    fn set_skip(&mut self, slot: usize, to: usize) {
        if self.skip.is_empty() {
            let list = &mut self.skip_list[..self.skip_len];
            if let Some(x) = list.iter_mut().find(|(s, _)| *s == slot) {
                x.1 = to;
                return;
            }
            if let Some(x) = self.skip_list.get_mut(self.skip_len) {
                *x = (slot, to);
                self.skip_len += 1;
                return;
            }
            // Many matchers ran: a table keeps each look-up constant.
            self.skip = vec![0; SKIP_SLOTS + PREFIXES.len()];
            for &(s, t) in &self.skip_list {
                if let Some(x) = self.skip.get_mut(s) {
                    *x = t;
                }
            }
        }
        if let Some(x) = self.skip.get_mut(slot) {
            *x = to;
        }
    }

    fn full(&self) -> bool {
        self.cands.len() >= MAX_CANDIDATES
    }

    fn push(&mut self, kind: K, start: usize, end: usize) {
        let (reason, confidence) = default_why(kind);
        self.push_why(kind, start, end, reason, confidence);
    }

    fn push_why(
        &mut self,
        kind: K,
        start: usize,
        end: usize,
        reason: Reason,
        confidence: Confidence,
    ) {
        // Ranges always fall on ASCII bytes; check anyway so a slice can never panic later.
        if start < end && self.v.get(start..end).is_some() && !self.full() {
            self.cands.push(Cand {
                kind,
                start,
                end,
                reason,
                confidence,
            });
        }
    }

    /// One keyword pass; each hit runs its matcher.
    pub(super) fn run_keywords(&mut self) {
        let Some(t) = table() else { return };
        t.hits(self.b, |_, s, trig, len| {
            if self.full() {
                return false;
            }
            match trig {
                Trig::Pre(i) => self.prefixed(i, s),
                Trig::Sk => self.sk_dash(s),
                Trig::ChimpUs => self.mailchimp(s),
                Trig::TelegramAa => self.telegram(s),
                Trig::Jwt => self.jwt(s),
                Trig::PemBegin => self.pem(s),
                Trig::Scheme => self.url_credentials(s),
                Trig::Basic => self.basic(s),
                Trig::Bearer => self.bearer(s),
                Trig::Web(kind) => self.webhook(kind, s, len),
                Trig::AzAccountKey => self.azure_key(K::AzureStorageKey, s, len),
                Trig::AzSharedKey => self.azure_key(K::AzureSharedKey, s, len),
                Trig::AzSig => self.azure_sig(s),
                Trig::AzQ => self.azure_q(s),
                Trig::DiscordHint => self.discord_hint = true,
                Trig::Word => self.word(s),
                Trig::ServiceAccount => self.service_account = true,
                Trig::Pragma => {
                    if self.pragmas.len() < 16 {
                        self.pragmas.push(s);
                    }
                }
            }
            true
        });
    }

    /// Candidates after the per-value post-processing (service account upgrade, Discord bot
    /// tokens, pragma suppression).
    pub(super) fn finish(&mut self) -> Vec<Cand> {
        if self.service_account {
            for &i in &self.plain_pem {
                if let Some(c) = self.cands.get_mut(i) {
                    c.kind = K::GcpServiceAccount;
                }
            }
        }
        if self.discord_hint {
            self.discord_bot_tokens();
        }
        if !self.pragmas.is_empty() {
            let lines: Vec<(usize, usize)> = self
                .pragmas
                .iter()
                .map(|&p| {
                    let s = self.b[..p]
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |i| i + 1);
                    let e = self.b[p..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(self.b.len(), |i| p + i);
                    (s, e)
                })
                .collect();
            self.cands
                .retain(|c| !lines.iter().any(|&(s, e)| c.start >= s && c.start <= e));
        }
        std::mem::take(&mut self.cands)
    }

    // ---- prefixed tokens -------------------------------------------------------------------

    fn prefixed(&mut self, i: usize, s: usize) {
        let Some(p) = PREFIXES.get(i) else { return };
        let slot = SKIP_SLOTS + i;
        if s < self.skip_at(slot) {
            return;
        }
        let b = self.b;
        let kw = p.kw.as_bytes();
        if !starts_with_at(b, s, kw) || is_alnum(prev(b, s)) {
            return;
        }
        let bs = s + kw.len();
        let e = run(b, bs, p.max + 1, |c| p.cs.has(c));
        self.set_skip(slot, e);
        let n = e - bs;
        if n < p.min || n > p.max || is_alnum(at(b, e)) {
            return;
        }
        let body = &b[bs..e];
        if p.check.is_some_and(|f| !f(body)) || weak_body(body) {
            return;
        }
        if matches!(
            p.kind,
            K::GithubPat
                | K::GithubOauth
                | K::GithubUser
                | K::GithubApp
                | K::GithubRefresh
                | K::Npm
        ) && body.len() == 36
        {
            if base62_crc_ok(body) {
                self.push_why(p.kind, s, e, Reason::TokenChecksum, Confidence::Certain);
            } else {
                self.push_why(p.kind, s, e, Reason::TokenBadChecksum, Confidence::Possible);
            }
        } else {
            self.push(p.kind, s, e);
        }
        if p.kind == K::AwsKeyId {
            self.aws_secret_after(e);
        }
    }

    /// An AWS secret access key right after a key id (`AKIA...:secret`, CSV, `key secret`).
    fn aws_secret_after(&mut self, from: usize) {
        let b = self.b;
        let lim = (from + 100).min(b.len());
        let mut i = from;
        while i < lim {
            if is_b64std(b[i]) && !is_b64std(prev(b, i)) {
                let e = run(b, i, 41, |c| is_b64std(c) && c != b'=');
                let tok = &b[i..e];
                if e - i == 40
                    && !is_b64std(at(b, e))
                    && tok.iter().any(u8::is_ascii_uppercase)
                    && tok.iter().any(u8::is_ascii_lowercase)
                    && tok.iter().any(u8::is_ascii_digit)
                    && !weak_body(tok)
                {
                    self.push(K::AwsSecret, i, e);
                    return;
                }
                i = e.max(i + 1);
            } else {
                i += 1;
            }
        }
    }

    /// `sk-` keys: Anthropic (`sk-ant-`) and OpenAI (`sk-proj-`, `sk-svcacct-`, `sk-admin-`,
    /// legacy 48 alphanumerics or the `T3BlbkFJ` marker).
    fn sk_dash(&mut self, s: usize) {
        let b = self.b;
        if s < self.skip_at(SLOT_SK) || !starts_with_at(b, s, b"sk-") || is_alnum(prev(b, s)) {
            return;
        }
        let bs = s + 3;
        let e = run(b, bs, 301, is_b64url);
        self.set_skip(SLOT_SK, e);
        let body = &b[bs..e];
        if body.len() > 300 {
            return;
        }
        let after = |p: &[u8]| body.strip_prefix(p).map_or(0, <[u8]>::len);
        let kind = if body.starts_with(b"ant-") {
            (after(b"ant-") >= 32).then_some(K::Anthropic)
        } else if [&b"proj-"[..], b"svcacct-", b"admin-", b"None-"]
            .iter()
            .any(|p| after(p) >= 32)
            || (body.len() == 48 && body.iter().all(u8::is_ascii_alphanumeric))
            || contains(body, b"T3BlbkFJ")
        {
            Some(K::OpenAi)
        } else {
            None
        };
        if let Some(kind) = kind {
            if !weak_body(body) {
                self.push(kind, s, e);
            }
        }
    }

    /// Mailchimp: 32 lowercase hex, `-us`, a datacenter number.
    fn mailchimp(&mut self, p: usize) {
        let b = self.b;
        if p < self.skip_at(SLOT_CHIMP) || !starts_with_at(b, p, b"-us") || p < 32 {
            return;
        }
        let d = run(b, p + 3, 3, |c| c.is_ascii_digit());
        self.set_skip(SLOT_CHIMP, d);
        let s = p - 32;
        let nd = d - (p + 3);
        if !(1..=2).contains(&nd)
            || is_alnum(at(b, d))
            || !b[s..p].iter().all(|&c| is_lower_hex(c))
            || is_alnum(prev(b, s))
            || weak_body(&b[s..p])
        {
            return;
        }
        self.push(K::Mailchimp, s, d);
    }

    /// Telegram bot token: 8-10 digits, `:`, 35 characters starting with `AA`.
    fn telegram(&mut self, p: usize) {
        let b = self.b;
        if p < self.skip_at(SLOT_TG) || !starts_with_at(b, p, b":AA") {
            return;
        }
        let s = run_back(b, p, 11, |c| c.is_ascii_digit());
        let nd = p - s;
        let e = run(b, p + 1, 36, is_b64url);
        self.set_skip(SLOT_TG, e);
        let after_bot = s >= 3 && b[s - 3..s].eq_ignore_ascii_case(b"bot");
        if !(8..=10).contains(&nd)
            || (is_alnum(prev(b, s)) && !after_bot)
            || e - (p + 1) != 35
            || weak_body(&b[p + 1..e])
        {
            return;
        }
        self.push(K::Telegram, s, e);
    }

    /// `eyJ...` `.` `eyJ...` `.` signature, whose header decodes to JSON naming an `alg`.
    /// Unsigned tokens and Supabase-style public `anon` keys are not reported.
    fn jwt(&mut self, s: usize) {
        let b = self.b;
        if s < self.skip_at(SLOT_JWT) || !starts_with_at(b, s, b"eyJ") {
            return;
        }
        let pb = prev(b, s);
        if is_b64url(pb) || pb == b'.' {
            return;
        }
        let e1 = run(b, s, 8192, is_b64url);
        self.set_skip(SLOT_JWT, e1);
        if e1 - s < 10 || at(b, e1) != b'.' || !starts_with_at(b, e1 + 1, b"eyJ") {
            return;
        }
        let s2 = e1 + 1;
        let e2 = run(b, s2, 65536, is_b64url);
        self.set_skip(SLOT_JWT, e2);
        if e2 - s2 < 10 || at(b, e2) != b'.' {
            return;
        }
        let e3 = run(b, e2 + 1, 8192, is_b64url);
        self.set_skip(SLOT_JWT, e3);
        if e3 - (e2 + 1) < 10 {
            return;
        }
        let header = b64_decode(&b[s..e1], 512).unwrap_or_default();
        if !contains(&header, b"\"alg\"") {
            return;
        }
        let payload = b64_decode(&b[s2..e2], 8192).unwrap_or_default();
        let compact: Vec<u8> = payload
            .into_iter()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        if contains(&compact, b"\"role\":\"anon\"") {
            return;
        }
        self.push(K::Jwt, s, e3);
    }

    /// First `-----END ` at or after `from` (cached, so many BEGINs stay linear).
    fn find_pem_end(&mut self, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.pem_end {
            match found {
                Some(p) if p >= from && searched <= from => return Some(p),
                None if searched <= from => return None,
                _ => {}
            }
        }
        let found = self
            .v
            .get(from..)
            .and_then(|rest| rest.find("-----END "))
            .map(|i| from + i);
        self.pem_end = Some((from, found));
        found
    }

    /// `-----BEGIN ... PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK).
    /// With its END line the whole block is the match (and a placeholder body is ignored);
    /// without one (a line-by-line scan) the BEGIN line is.
    fn pem(&mut self, s: usize) {
        let b = self.b;
        if s < self.skip_at(SLOT_PEM) || !starts_with_at(b, s, b"-----BEGIN ") {
            return;
        }
        let ls = s + 11;
        let le = run(b, ls, 48, |c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' '
        });
        let label = &b[ls..le];
        if !starts_with_at(b, le, b"-----")
            || !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK"))
        {
            return;
        }
        let he = le + 5;
        let end = self.find_pem_end(he).filter(|&p| p - he <= 65536);
        let stop = match end {
            Some(ep) => {
                let body = &b[he..ep];
                let b64 = body.iter().filter(|&&c| is_b64std(c)).count();
                if b64 < 32
                    || contains_ci(body, b"xxxx")
                    || contains_ci(body, b"your")
                    || contains(body, b"...")
                    || contains(body, b"<")
                    || contains(body, b"{{")
                    || contains(body, b"${")
                {
                    self.set_skip(SLOT_PEM, ep);
                    return;
                }
                if !key_body_ok(label, body) {
                    self.set_skip(SLOT_PEM, ep);
                    return;
                }
                let after = ep + 9;
                let close = run(b, after, 64, |c| c != b'-' && c != b'\n');
                if starts_with_at(b, close, b"-----") {
                    close + 5
                } else {
                    after
                }
            }
            None => {
                let next = run(b, he, 64, |c| c.is_ascii_whitespace() || c == b'\\');
                if matches!(at(b, next), b'<' | b'{' | b'$' | b'*' | b'[')
                    || starts_with_at(b, next, b"...")
                {
                    return;
                }
                he
            }
        };
        self.set_skip(SLOT_PEM, stop);
        if label == b"PRIVATE KEY" {
            self.plain_pem.push(self.cands.len());
        }
        if end.is_some() {
            self.push(K::PrivateKey, s, stop);
        } else {
            self.push_why(
                K::PrivateKey,
                s,
                stop,
                Reason::PrivateKeyHeader,
                Confidence::Likely,
            );
        }
    }

    /// `scheme://user:password@host`: the password.
    fn url_credentials(&mut self, p: usize) {
        let b = self.b;
        if p < self.skip_at(SLOT_URL) || !starts_with_at(b, p, b"://") {
            return;
        }
        let ss = run_back(b, p, 32, |c| {
            c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-')
        });
        if p - ss < 2 || !at(b, ss).is_ascii_alphabetic() {
            return;
        }
        let as_ = p + 3;
        let ae = run(b, as_, 513, |c| {
            c > 0x20
                && !matches!(
                    c,
                    b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`' | b'{' | b'}'
                )
        });
        self.set_skip(SLOT_URL, ae);
        if ae - as_ > 512 {
            return;
        }
        let auth = &b[as_..ae];
        let Some(at_) = auth.iter().rposition(|&c| c == b'@') else {
            return;
        };
        let host = &auth[at_ + 1..];
        if !host
            .first()
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'[')
        {
            return;
        }
        let Some(colon) = auth[..at_].iter().position(|&c| c == b':') else {
            return;
        };
        let (ps, pe) = (as_ + colon + 1, as_ + at_);
        let (Some(user), Some(pass)) = (self.v.get(as_..as_ + colon), self.v.get(ps..pe)) else {
            return;
        };
        if credential_password_ok(pass, user) {
            self.push(K::UrlCredentials, ps, pe);
        }
    }

    /// `Basic base64(user:password)`.
    fn basic(&mut self, p: usize) {
        let b = self.b;
        if p < self.skip_at(SLOT_BASIC)
            || !starts_with_at_ci(b, p, b"basic ")
            || is_alnum(prev(b, p))
        {
            return;
        }
        let ts = run(b, p + 6, 4, |c| c == b' ');
        let te = run(b, ts, 1025, |c| is_b64std(c) || c == b'-' || c == b'_');
        self.set_skip(SLOT_BASIC, te);
        if !(8..=1024).contains(&(te - ts)) || b[ts..te].iter().all(u8::is_ascii_alphabetic) {
            return;
        }
        let Some(decoded) = b64_decode(&b[ts..te], 1024) else {
            return;
        };
        let Ok(text) = std::str::from_utf8(&decoded) else {
            return;
        };
        if text.chars().any(char::is_control) {
            return;
        }
        let Some((user, pass)) = text.split_once(':') else {
            return;
        };
        if credential_password_ok(pass, user) {
            self.push(K::BasicAuth, ts, te);
        }
    }

    /// `Bearer <token>` with a secret-looking token (long, varied, not a placeholder).
    fn bearer(&mut self, p: usize) {
        let b = self.b;
        if p < self.skip_at(SLOT_BEARER)
            || !starts_with_at_ci(b, p, b"bearer ")
            || is_alnum(prev(b, p))
        {
            return;
        }
        let ts = run(b, p + 7, 4, |c| c == b' ');
        let te = run(b, ts, 4097, |c| {
            c.is_ascii_alphanumeric() || b"._~+/=-".contains(&c)
        });
        self.set_skip(SLOT_BEARER, te);
        let tok = &b[ts..te];
        let Some(text) = self.v.get(ts..te) else {
            return;
        };
        if !(20..=4096).contains(&tok.len())
            || is_placeholder(text, PlaceholderFor::Secret)
            || word_like(tok)
            || distinct(tok) < 10
            || entropy(tok) < 3.5
            || !(tok.iter().any(u8::is_ascii_digit)
                || (tok.iter().any(u8::is_ascii_uppercase)
                    && tok.iter().any(u8::is_ascii_lowercase)))
        {
            return;
        }
        self.push(K::Bearer, ts, te);
    }

    /// Secret-bearing webhook URLs; the whole URL is the match.
    fn webhook(&mut self, kind: K, h: usize, kw_len: usize) {
        let b = self.b;
        if h < self.skip_at(SLOT_WEB) {
            return;
        }
        let hs = run_back(b, h, 253, |c| {
            c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
        });
        let start = if hs >= 3 && &b[hs - 3..hs] == b"://" {
            run_back(b, hs - 3, 10, |c| c.is_ascii_alphabetic())
        } else {
            hs
        };
        let e = run(b, h, 2048, url_char);
        self.set_skip(SLOT_WEB, e);
        let url = &b[start..e];
        let rest = &b[(h + kw_len).min(e)..e];
        let param = |name: &[u8]| -> usize {
            let Some(i) = url.windows(name.len()).position(|w| w == name) else {
                return 0;
            };
            let from = i + name.len();
            run(url, from, 512, |c| {
                c.is_ascii_alphanumeric() || matches!(c, b'%' | b'_' | b'-')
            }) - from
        };
        let ok = match kind {
            K::SlackWebhook => {
                let tail = [&b"services/"[..], b"workflows/", b"triggers/"]
                    .iter()
                    .find_map(|p| rest.strip_prefix(*p));
                tail.is_some_and(|t| t.len() >= 20 && t.contains(&b'/'))
            }
            K::DiscordWebhook => {
                let id = run(rest, 0, 22, |c| c.is_ascii_digit());
                let tok = run(rest, id + 1, 100, is_b64url) - (id + 1).min(rest.len());
                (15..=21).contains(&id) && at(rest, id) == b'/' && tok >= 60
            }
            K::TeamsWebhook => contains(url, b"IncomingWebhook/") && rest.len() >= 60,
            K::LogicAppUrl => contains(url, b"/workflows/") && param(b"sig=") >= 20,
            K::ZapierWebhook => {
                let id = run(rest, 0, 20, |c| c.is_ascii_digit());
                let tok =
                    run(rest, id + 1, 64, |c| c.is_ascii_alphanumeric()) - (id + 1).min(rest.len());
                id >= 3 && at(rest, id) == b'/' && tok >= 5
            }
            K::GoogleChatWebhook => param(b"token=") >= 20,
            _ => false,
        };
        if ok
            && !contains_ci(rest, b"xxxx")
            && !contains_ci(rest, b"your")
            && !contains(rest, b"...")
        {
            self.push(kind, start, e);
        }
    }

    /// `AccountKey=` / `SharedAccessKey=` in Azure connection strings.
    fn azure_key(&mut self, kind: K, p: usize, kw_len: usize) {
        let b = self.b;
        if p < self.skip_at(SLOT_AZKEY) || is_alnum(prev(b, p)) {
            return;
        }
        let vs = p + kw_len;
        let ve = run(b, vs, 201, is_b64std);
        self.set_skip(SLOT_AZKEY, ve);
        let val = &b[vs..ve];
        if !(40..=200).contains(&val.len()) || weak_body(val) || !val.iter().any(u8::is_ascii_digit)
        {
            return;
        }
        self.push(kind, vs, ve);
    }

    /// `sig=` of a shared access signature (with `sv=` and `se=`/`sp=` in the same URL/string).
    fn azure_sig(&mut self, p: usize) {
        let b = self.b;
        if p < self.skip_at(SLOT_SIG) || !matches!(prev(b, p), b'?' | b'&' | b';') {
            return;
        }
        let vs = p + 4;
        let ve = run(b, vs, 257, |c| {
            c.is_ascii_alphanumeric() || b"%+/=_-".contains(&c)
        });
        self.set_skip(SLOT_SIG, ve);
        let val = &b[vs..ve];
        let cs = run_back(b, p, 2048, url_char);
        let ctx = &b[cs..p];
        if !(20..=256).contains(&val.len())
            || !contains(ctx, b"sv=")
            || !(contains(ctx, b"se=") || contains(ctx, b"sp="))
            || weak_body(val)
        {
            return;
        }
        self.push(K::AzureSas, vs, ve);
    }

    /// Azure AD client secret in the current format: 3 characters, a digit, `Q~`, 31-34 more.
    fn azure_q(&mut self, p: usize) {
        let b = self.b;
        let aad = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'~' | b'.' | b'-');
        if p < self.skip_at(SLOT_Q) || !starts_with_at(b, p, b"Q~") || p < 4 {
            return;
        }
        let s = p - 4;
        let e = run(b, p + 2, 35, aad);
        self.set_skip(SLOT_Q, e);
        let n = e - (p + 2);
        if !b[p - 1].is_ascii_digit()
            || !b[s..p - 1].iter().all(|&c| aad(c))
            || aad(prev(b, s))
            || !(31..=34).contains(&n)
            || aad(at(b, e))
            || weak_body(&b[p + 2..e])
        {
            return;
        }
        self.push(K::AzureAdSecret, s, e);
    }

    /// Discord bot tokens (only when the value mentions Discord or a `Bot ` header): three
    /// dot-separated parts whose first decodes to a numeric user id.
    fn discord_bot_tokens(&mut self) {
        let b = self.b;
        let mut i = 0;
        while i < b.len() && !self.full() {
            let tok = |c: u8| is_b64url(c) || c == b'.';
            if !tok(b[i]) {
                i += 1;
                continue;
            }
            let e = run(b, i, b.len(), tok);
            let t = &b[i..e];
            let dots = t.iter().filter(|&&c| c == b'.').count();
            if !(58..=80).contains(&t.len()) || dots != 2 {
                i = e;
                continue;
            }
            let parts: Vec<&[u8]> = t.split(|&c| c == b'.').collect();
            if parts.len() == 3
                && (23..=28).contains(&parts[0].len())
                && matches!(parts[0][0], b'M' | b'N' | b'O')
                && (6..=7).contains(&parts[1].len())
                && (27..=40).contains(&parts[2].len())
            {
                let id = b64_decode(parts[0], 32).unwrap_or_default();
                if (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit) {
                    self.push(K::DiscordBot, i, e);
                }
            }
            i = e;
        }
    }

    // ---- generic assignments -----------------------------------------------------------------

    /// A secret word inside an identifier followed by `=`, `:`, `=>` or `:=` and a value.
    fn word(&mut self, h: usize) {
        let b = self.b;
        if h < self.skip_at(SLOT_WORD) {
            return;
        }
        let s = run_back(b, h, 65, ident_char);
        let e = run(b, h, 65, ident_char);
        if e - s > 64 || self.last_ident == Some(s) {
            return;
        }
        self.last_ident = Some(s);
        // Closing quote of a quoted key (possibly escaped: JSON inside a JSON string).
        let mut i = e;
        if at(b, i) == b'\\' && is_quote(at(b, i + 1)) {
            i += 2;
        } else if is_quote(at(b, i)) {
            i += 1;
        }
        // `$config['secret_key'] = ...`, `ENV["TOKEN"] = ...`
        if at(b, i) == b']' {
            i += 1;
        }
        i = run(b, i, 8, |c| c == b' ' || c == b'\t');
        match (at(b, i), at(b, i + 1)) {
            (b':', b'=') | (b'=', b'>') => i += 2,
            (b':', c) if c != b':' => i += 1,
            (b'=', c) if c != b'=' => i += 1,
            _ => return,
        }
        i = run(b, i, 8, |c| c == b' ' || c == b'\t');
        let (vs, ve, quoted) = if at(b, i) == b'\\' && is_quote(at(b, i + 1)) {
            let q = b[i + 1];
            let vs = i + 2;
            let mut j = vs;
            while j < b.len()
                && j - vs <= 1024
                && !(b[j] == b'\\' && at(b, j + 1) == q)
                && b[j] != b'\n'
            {
                j += 1;
            }
            if at(b, j) != b'\\' {
                self.set_skip(SLOT_WORD, j);
                return;
            }
            (vs, j, true)
        } else if is_quote(at(b, i)) {
            let q = b[i];
            let vs = i + 1;
            let mut j = vs;
            while j < b.len() && j - vs <= 1024 && b[j] != q && b[j] != b'\n' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            if at(b, j) != q {
                self.set_skip(SLOT_WORD, j.min(b.len()));
                return;
            }
            (vs, j, true)
        } else {
            // A YAML tag (`!!binary`, `!secret`) is not the value: the token after it is.
            if at(b, i) == b'!' {
                let t = run(b, i, 32, |c| !c.is_ascii_whitespace());
                let after = run(b, t, 8, |c| c == b' ' || c == b'\t');
                if after > t {
                    i = after;
                }
            }
            let j = run(b, i, 1025, |c| {
                !c.is_ascii_whitespace()
                    && !matches!(
                        c,
                        b',' | b';'
                            | b'"'
                            | b'\''
                            | b'`'
                            | b'<'
                            | b'>'
                            | b')'
                            | b']'
                            | b'}'
                            | b'&'
                            | b'\\'
                    )
            });
            (i, j, false)
        };
        self.set_skip(SLOT_WORD, ve);
        if ve - vs > 1024 || ve - vs < 8 {
            return;
        }
        let (Some(ident), Some(val)) = (self.v.get(s..e), self.v.get(vs..ve)) else {
            return;
        };
        let class = classify_key(ident);
        if matches!(class, KeyClass::None | KeyClass::IdLike | KeyClass::Auth) {
            return;
        }
        // Documentation text (`Value : PVEAPIToken=root@pam!n8n=1234`): only a value that
        // looks generated is a secret.
        if self.prose
            && !(strong_value(val.as_bytes())
                && val
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"-_.+/=".contains(&c)))
        {
            return;
        }
        if let Some((kind, reason, conf)) = eval_value(val, class, quoted) {
            self.push_why(kind, vs, ve, reason, conf);
        }
    }

    /// The key mentions Discord or a bot ([`discord_key`]): look for Discord bot tokens too.
    pub(super) fn key_hints(&mut self, discord: bool, prose: bool) {
        if discord {
            self.discord_hint = true;
        }
        self.prose = prose;
    }

    /// The whole value under a secret-named key; `class` is the [`classify_key`] class of
    /// the value's key.
    pub(super) fn keyed(&mut self, class: KeyClass) {
        if matches!(class, KeyClass::None | KeyClass::IdLike) {
            return;
        }
        let (mut s, mut e) = trimmed(self.b);
        if e - s >= 2 && is_quote(self.b[s]) && self.b[e - 1] == self.b[s] {
            s += 1;
            e -= 1;
        }
        if e - s > 1024 {
            return;
        }
        // An n8n expression-mode literal (`=value` without `{{ }}`) evaluates to `value`.
        if at(self.b, s) == b'=' && !self.v.contains("{{") {
            s += 1;
        }
        if class == KeyClass::Auth {
            // `Scheme credentials`: look at the credentials. Basic and Bearer have their own
            // matchers (which decode or entropy-check them); other schemes and raw values get
            // the generic rules.
            let scheme = run(self.b, s, 13, |c| c.is_ascii_alphabetic());
            if scheme > s && at(self.b, scheme) == b' ' {
                let name = &self.b[s..scheme];
                if name.eq_ignore_ascii_case(b"basic") || name.eq_ignore_ascii_case(b"bearer") {
                    return;
                }
                s = run(self.b, scheme, 8, |c| c == b' ');
            }
        }
        let Some(val) = self.v.get(s..e) else { return };
        if let Some((kind, reason, conf)) = eval_value(val, class, true) {
            self.push_why(kind, s, e, reason, conf);
        }
    }

    /// A whole value that is one long random base64 token (see the module docs).
    pub(super) fn high_entropy(&mut self, key: Option<&str>) {
        if key.is_none() {
            return;
        }
        let (s, e) = trimmed(self.b);
        let t = &self.b[s..e];
        let body_len = t.len() - t.iter().rev().take_while(|&&c| c == b'=').count();
        let body = &t[..body_len];
        if !(32..=256).contains(&t.len())
            || t.len() - body_len > 2
            || !body
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-'))
            || !body.iter().any(u8::is_ascii_uppercase)
            || !body.iter().any(u8::is_ascii_lowercase)
            || body.iter().filter(|c| c.is_ascii_digit()).count() < 2
        {
            return;
        }
        // The key check costs more than the shape checks above, which most values fail.
        if !key.is_some_and(entropy_key_ok) {
            return;
        }
        let threshold = (4.5f64).min((body.len() as f64).log2() - 0.75);
        if entropy(body) < threshold {
            return;
        }
        let Some(text) = self.v.get(s..e) else { return };
        if is_placeholder(text, PlaceholderFor::Secret) || weak_body(body) || exchange_id(body) {
            return;
        }
        // Base64 of readable text is an encoding, not a key.
        if let Some(d) = b64_decode(t, 256) {
            if printable_ratio(&d) >= 0.9 {
                return;
            }
        }
        self.push(K::HighEntropy, s, e);
    }
}

/// Byte offsets of the value without surrounding ASCII whitespace.
fn trimmed(b: &[u8]) -> (usize, usize) {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    (s, e.max(s))
}

#[cfg(test)]
mod keyword_order {
    use super::{table, OTHER, PREFIXES};
    use aho_corasick::automaton::Automaton;
    use aho_corasick::nfa::contiguous::NFA;
    use aho_corasick::{Input, MatchKind};

    /// The keyword hits as an overlapping, case-insensitive Aho-Corasick search reports them.
    fn reference(nfa: &NFA, b: &[u8]) -> Vec<(usize, usize)> {
        nfa.try_find_overlapping_iter(Input::new(b))
            .expect("unanchored search")
            .map(|m| (m.pattern().as_usize(), m.start()))
            .collect()
    }

    fn ours(b: &[u8]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        table().expect("table").hits(b, |id, s, _, _| {
            out.push((id, s));
            true
        });
        out
    }

    /// The keyword search finds exactly the hits of an Aho-Corasick automaton over the same
    /// keywords, in the same order (the matchers keep state between hits, so order matters).
    #[test]
    fn keyword_hits_match_aho_corasick_in_order() {
        let pats: Vec<&str> = PREFIXES
            .iter()
            .map(|p| p.kw)
            .chain(OTHER.iter().map(|(k, _)| *k))
            .collect();
        let nfa = NFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&pats)
            .expect("automaton");
        let mut inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"k".to_vec(),
            b"password=secret_token_key AUTH creds".to_vec(),
            b"SK-sk_live_sk_test_RK_LIVE_xoxb-xoxp-ghp_GHO_github_pat_".to_vec(),
            b"https://user:pass@hooks.slack.com/services/x discord.com/api/webhooks/1/2".to_vec(),
            b"-----BEGIN PRIVATE KEY-----\nservice_account pragma: allowlist secret gitleaks:allow"
                .to_vec(),
            b"DefaultEndpointsProtocol=https;AccountKey=abc;SharedAccessKey=x;sig=y q~ Bearer Basic bot "
                .to_vec(),
            "ünïcødé key→token ß pass".as_bytes().to_vec(),
        ];
        // Every keyword, alone, doubled, overlapping with itself and in both cases.
        for p in &pats {
            inputs.push(p.as_bytes().to_vec());
            inputs.push(format!("{p}{p}x{}", p.to_ascii_uppercase()).into_bytes());
            inputs.push(format!("a{}{}", &p[..p.len() - 1], p).into_bytes());
        }
        // Pseudo-random strings over an alphabet rich in keyword bytes.
        let alphabet = b"skSK_-eyJaAtTpPwWdDoOrRcCnN:/. =~qQgGhHbBxXlLiIuU019";
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for len in [3usize, 8, 17, 64, 300, 2000] {
            for _ in 0..200 {
                let mut v = Vec::with_capacity(len);
                for _ in 0..len {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    v.push(alphabet[(x % alphabet.len() as u64) as usize]);
                }
                inputs.push(v);
            }
        }
        // Keywords glued together at random.
        for _ in 0..2000 {
            let mut v = Vec::new();
            for _ in 0..6 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let p = pats[(x % pats.len() as u64) as usize];
                let cut = (x >> 20) as usize % p.len();
                v.extend_from_slice(&p.as_bytes()[cut..]);
                if x & 1 == 0 {
                    v.make_ascii_uppercase();
                }
            }
            inputs.push(v);
        }
        let mut total = 0;
        for b in &inputs {
            let want = reference(&nfa, b);
            total += want.len();
            assert_eq!(ours(b), want, "{:?}", String::from_utf8_lossy(b));
        }
        assert!(total > 3_000, "the inputs hit keywords ({total})");
    }
}
