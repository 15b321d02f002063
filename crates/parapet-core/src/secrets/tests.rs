//! Unit tests. Test tokens are generated at run time from a seeded PRNG (no literal
//! credential-shaped strings in the source, so push-protection scanners stay quiet).

use super::*;

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";
const LHEX: &str = "0123456789abcdef";
const UPB32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BECH32: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

fn alnum() -> String {
    format!("{UPPER}{LOWER}{DIGITS}")
}
fn b64url() -> String {
    format!("{UPPER}{LOWER}{DIGITS}_-")
}
fn b64() -> String {
    format!("{UPPER}{LOWER}{DIGITS}+/")
}

/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn s(&mut self, n: usize, alphabet: &str) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| chars[(self.next() % chars.len() as u64) as usize])
            .collect()
    }
    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.s(8, LHEX),
            self.s(4, LHEX),
            self.s(4, LHEX),
            self.s(4, LHEX),
            self.s(12, LHEX)
        )
    }
}

fn b64_encode(data: &[u8], url: bool) -> String {
    let alphabet: Vec<char> = if url { b64url() } else { b64() }.chars().collect();
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=n {
            out.push(alphabet[((v >> (18 - 6 * i)) & 63) as usize]);
        }
        if !url {
            for _ in n..3 {
                out.push('=');
            }
        }
    }
    out
}

/// A PEM body that decodes like a key of `label`: DER (`MII...`) or `openssh-key-v1`, then
/// random base64, in 64-character lines.
fn key_body(label: &str, r: &mut Rng) -> String {
    let head = if label.contains("OPENSSH") {
        b64_encode(b"openssh-key-v1\0\0\0\0\x04none", false)
            .trim_end_matches('=')
            .to_string()
    } else {
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC".to_string()
    };
    let all = format!("{head}{}", r.s(256 - head.len(), &b64()));
    all.as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn scanner() -> SecretScanner {
    SecretScanner::new(Vec::new())
}

fn ids(ms: &[SecretMatch]) -> Vec<&'static str> {
    ms.iter().map(|m| m.kind.id).collect()
}

/// A positive case: `value` scanned under `key` must yield a match of `kind` covering exactly
/// `secret` (or, when `secret` is empty, any range).
struct Pos {
    kind: &'static str,
    value: String,
    key: Option<&'static str>,
    secret: String,
}

fn pos(kind: &'static str, value: String, secret: &str) -> Pos {
    Pos {
        kind,
        value,
        key: None,
        secret: secret.to_string(),
    }
}
fn pos_k(kind: &'static str, key: &'static str, value: String, secret: &str) -> Pos {
    Pos {
        kind,
        value,
        key: Some(key),
        secret: secret.to_string(),
    }
}

fn positives() -> Vec<Pos> {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let an = alnum();
    let bu = b64url();
    let bs = b64();
    let mut v = Vec::new();

    let t = format!("AKIA{}", r.s(16, UPB32));
    v.push(pos(
        "aws-access-key-id",
        format!("aws_access_key_id = {t}"),
        &t,
    ));
    let t = format!("ASIA{}", r.s(16, UPB32));
    v.push(pos_k("aws-access-key-id", "value", t.clone(), &t));
    let sec = format!("{}a1B", r.s(37, &bs));
    v.push(pos_k(
        "aws-secret-access-key",
        "aws_secret_access_key",
        sec.clone(),
        &sec,
    ));
    v.push(pos(
        "aws-secret-access-key",
        format!("AWS_SECRET_ACCESS_KEY={sec}"),
        &sec,
    ));
    let id = format!("AKIA{}", r.s(16, UPB32));
    v.push(pos("aws-secret-access-key", format!("{id},{sec}"), &sec));
    let t = format!("AIza{}", r.s(35, &bu));
    v.push(pos(
        "gcp-api-key",
        format!("https://maps.googleapis.com/maps/api?key={t}&x=1"),
        &t,
    ));
    let block = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----",
        key_body("PRIVATE KEY", &mut r)
    );
    v.push(pos(
        "gcp-service-account-key",
        format!(
            "{{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key\": \"{}\"}}",
            block.replace('\n', "\\n")
        ),
        "",
    ));
    let t = format!("GOCSPX-{}", r.s(28, &bu));
    v.push(pos_k(
        "google-oauth-client-secret",
        "client_secret",
        t.clone(),
        &t,
    ));
    let t = format!("ya29.{}", r.s(120, &bu));
    v.push(pos(
        "google-oauth-access-token",
        format!("Authorization: Bearer {t}"),
        &t,
    ));
    let k = format!("{}==", r.s(86, &bs));
    v.push(pos(
        "azure-storage-account-key",
        format!("DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey={k};EndpointSuffix=core.windows.net"),
        &k,
    ));
    let k = format!("{}=", r.s(43, &bs));
    v.push(pos(
        "azure-shared-access-key",
        format!("Endpoint=sb://ns1.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={k}"),
        &k,
    ));
    let sig = format!("{}%3D", r.s(43, &an));
    v.push(pos(
        "azure-sas-token",
        format!("https://acct1.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig={sig}"),
        &sig,
    ));
    let t = format!(
        "{}8Q~{}",
        r.s(3, &an),
        r.s(34, &format!("{an}_~.-")).replace(['~', '.', '-'], "_")
    );
    v.push(pos(
        "azure-ad-client-secret",
        format!("\"clientSecret\": \"{t}\""),
        &t,
    ));
    let t = format!("{}{}", r.s(20, &an), r.s(14, "._-~"));
    let t = format!("{}.{}", &t[..20], r.s(12, &an));
    v.push(pos_k(
        "azure-ad-client-secret",
        "AZURE_CLIENT_SECRET",
        t.clone(),
        &t,
    ));
    for (id, p) in [
        ("github-pat", "ghp_"),
        ("github-oauth-token", "gho_"),
        ("github-user-token", "ghu_"),
        ("github-app-token", "ghs_"),
        ("github-refresh-token", "ghr_"),
    ] {
        let t = format!("{p}{}", r.s(36, &an));
        v.push(pos(id, format!("GITHUB_TOKEN={t}"), &t));
    }
    let t = format!("github_pat_{}_{}", r.s(22, &an), r.s(59, &an));
    v.push(pos("github-fine-grained-pat", format!("token: {t}"), &t));
    let t = format!("glpat-{}", r.s(20, &bu));
    v.push(pos("gitlab-pat", format!("PRIVATE-TOKEN: {t}"), &t));
    let t = format!("gldt-{}", r.s(20, &bu));
    v.push(pos("gitlab-deploy-token", t.clone(), &t));
    let t = format!("glrt-{}", r.s(20, &bu));
    v.push(pos("gitlab-runner-token", t.clone(), &t));
    let t = format!("GR1348941{}", r.s(20, &bu));
    v.push(pos(
        "gitlab-runner-token",
        format!("--registration-token {t}"),
        &t,
    ));
    let t = format!(
        "xoxb-{}-{}-{}",
        r.s(11, DIGITS),
        r.s(13, DIGITS),
        r.s(24, &an)
    );
    v.push(pos("slack-bot-token", format!("SLACK_BOT_TOKEN={t}"), &t));
    let t = format!(
        "xoxp-{}-{}-{}-{}",
        r.s(11, DIGITS),
        r.s(11, DIGITS),
        r.s(13, DIGITS),
        r.s(32, LHEX)
    );
    v.push(pos_k("slack-user-token", "token", t.clone(), &t));
    let t = format!(
        "xapp-1-A{}-{}-{}",
        r.s(10, &format!("{UPPER}{DIGITS}")),
        r.s(13, DIGITS),
        r.s(64, LHEX)
    );
    v.push(pos("slack-app-token", t.clone(), &t));
    let t = format!("xoxe.xoxp-1-{}", r.s(120, &an));
    v.push(pos("slack-workspace-token", t.clone(), &t));
    let t = format!("xoxr-{}-{}", r.s(12, DIGITS), r.s(40, &an));
    v.push(pos("slack-workspace-token", t.clone(), &t));
    let u = format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        r.s(8, &format!("{UPPER}{DIGITS}")),
        r.s(10, &format!("{UPPER}{DIGITS}")),
        r.s(24, &an)
    );
    v.push(pos("slack-webhook-url", format!("\"url\": \"{u}\""), &u));
    let u = format!(
        "https://discord.com/api/webhooks/{}/{}",
        r.s(18, DIGITS),
        r.s(68, &bu)
    );
    v.push(pos("discord-webhook-url", u.clone(), &u));
    let uid = format!("1{}", r.s(17, DIGITS));
    let t = format!(
        "{}.{}.{}",
        b64_encode(uid.as_bytes(), true),
        r.s(6, &bu),
        r.s(38, &bu)
    );
    v.push(pos(
        "discord-bot-token",
        format!("Authorization: Bot {t}"),
        &t,
    ));
    v.push(pos_k(
        "discord-bot-token",
        "discord",
        format!("token={t}"),
        &t,
    ));
    let u = format!(
        "https://contoso.webhook.office.com/webhookb2/{}@{}/IncomingWebhook/{}/{}/V2{}",
        r.uuid(),
        r.uuid(),
        r.s(32, LHEX),
        r.uuid(),
        r.s(40, &bu)
    );
    v.push(pos("teams-webhook-url", u.clone(), &u));
    let u = format!(
        "https://outlook.office.com/webhook/{}@{}/IncomingWebhook/{}/{}",
        r.uuid(),
        r.uuid(),
        r.s(32, LHEX),
        r.uuid()
    );
    v.push(pos("teams-webhook-url", u.clone(), &u));
    let u = format!(
        "https://prod-12.westeurope.logic.azure.com:443/workflows/{}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={}",
        r.s(32, LHEX),
        r.s(43, &bu)
    );
    v.push(pos("logic-app-sas-url", format!("POST {u} HTTP/1.1"), &u));
    let u = format!(
        "https://hooks.zapier.com/hooks/catch/{}/{}/",
        r.s(7, DIGITS),
        r.s(6, "abcdefghijklmnopqrstuvwxyz0123456789")
    );
    v.push(pos("zapier-webhook-url", u.clone(), &u));
    let u = format!(
        "https://chat.googleapis.com/v1/spaces/AAAA{}/messages?key=AIza{}&token={}",
        r.s(7, &an),
        r.s(35, &bu),
        r.s(43, &bu)
    );
    v.push(pos("google-chat-webhook-url", u.clone(), &u));
    let t = format!("sk_live_{}", r.s(24, &an));
    v.push(pos(
        "stripe-secret-key",
        format!("Stripe::api_key = '{t}'"),
        &t,
    ));
    let t = format!("rk_live_{}", r.s(24, &an));
    v.push(pos("stripe-restricted-key", t.clone(), &t));
    let t = format!("sk_test_{}", r.s(24, &an));
    v.push(pos("stripe-test-key", t.clone(), &t));
    let t = format!("whsec_{}", r.s(32, &an));
    v.push(pos("stripe-webhook-secret", t.clone(), &t));
    let t = format!("SK{}", r.s(32, LHEX));
    v.push(pos("twilio-api-key", format!("TWILIO_API_KEY={t}"), &t));
    let t = r.s(32, LHEX);
    v.push(pos_k(
        "twilio-auth-token",
        "TWILIO_AUTH_TOKEN",
        t.clone(),
        &t,
    ));
    let t = format!("SG.{}.{}", r.s(22, &bu), r.s(43, &bu));
    v.push(pos("sendgrid-api-key", format!("\"apiKey\": \"{t}\""), &t));
    let t = format!("key-{}", r.s(32, LHEX));
    v.push(pos("mailgun-api-key", format!("api:{t}"), &t));
    let t = format!("{}-us{}", r.s(32, LHEX), r.s(1, "123456789"));
    v.push(pos("mailchimp-api-key", format!("MAILCHIMP_KEY={t}"), &t));
    let t = format!("sk-proj-{}", r.s(120, &bu));
    v.push(pos("openai-api-key", format!("OPENAI_API_KEY={t}"), &t));
    let t = format!("sk-{}T3BlbkFJ{}", r.s(20, &an), r.s(20, &an));
    v.push(pos("openai-api-key", t.clone(), &t));
    let t = format!("sk-ant-api03-{}AA", r.s(93, &bu));
    v.push(pos("anthropic-api-key", format!("x-api-key: {t}"), &t));
    let t = format!("npm_{}", r.s(36, &an));
    v.push(pos(
        "npm-token",
        format!("//registry.npmjs.org/:_authToken={t}"),
        &t,
    ));
    let t = format!("pypi-AgEIcHlwaS5vcmc{}", r.s(120, &bu));
    v.push(pos("pypi-token", format!("password = {t}"), &t));
    let t = format!("hf_{}", r.s(34, &format!("{UPPER}{LOWER}")));
    v.push(pos("huggingface-token", t.clone(), &t));
    let t = format!("pplx-{}", r.s(48, &an));
    v.push(pos(
        "perplexity-api-key",
        format!("{{\"Authorization\": \"Bearer {t}\"}}"),
        &t,
    ));
    let t = format!("tvly-dev-{}", r.s(32, &an));
    v.push(pos(
        "tavily-api-key",
        format!("{{\"api_key\": \"{t}\"}}"),
        &t,
    ));
    let t = format!("n8n_api_{}", r.s(80, LHEX));
    v.push(pos("n8n-api-key", format!("\"apiKey\": \"{t}\""), &t));
    let t = format!("shpat_{}", r.s(32, LHEX));
    v.push(pos(
        "shopify-access-token",
        format!("X-Shopify-Access-Token: {t}"),
        &t,
    ));
    let t = format!("shpss_{}", r.s(32, LHEX));
    v.push(pos("shopify-shared-secret", t.clone(), &t));
    let t = format!("ATATT3{}", r.s(186, &bu));
    v.push(pos(
        "atlassian-api-token",
        format!("JIRA_API_TOKEN={t}"),
        &t,
    ));
    let t = format!("{}{}", r.s(22, &an), r.s(2, DIGITS));
    v.push(pos_k(
        "atlassian-api-token",
        "jira_api_token",
        t.clone(),
        &t,
    ));
    let t = r.s(32, LHEX);
    v.push(pos_k("datadog-api-key", "DD_API_KEY", t.clone(), &t));
    v.push(pos(
        "datadog-api-key",
        format!("DATADOG_APP_KEY: {}", r.s(40, LHEX)),
        "",
    ));
    let t = format!("EAAA{}", r.s(60, &bu));
    v.push(pos("square-access-token", t.clone(), &t));
    let t = format!("sq0atp-{}", r.s(22, &bu));
    v.push(pos("square-access-token", t.clone(), &t));
    let t = format!("sq0csp-{}", r.s(43, &bu));
    v.push(pos("square-oauth-secret", t.clone(), &t));
    let t = format!("{}:AA{}", r.s(10, DIGITS), r.s(33, &bu));
    v.push(pos("telegram-bot-token", format!("TELEGRAM_TOKEN={t}"), &t));
    v.push(pos(
        "telegram-bot-token",
        format!("https://api.telegram.org/bot{t}/sendMessage"),
        &t,
    ));
    let t = format!("secret_{}", r.s(43, &an));
    v.push(pos("notion-token", format!("Bearer {t}"), &t));
    let t = format!("ntn_{}{}", r.s(11, DIGITS), r.s(35, &an));
    v.push(pos("notion-token", t.clone(), &t));
    let t = format!("pat{}.{}", r.s(14, &an), r.s(64, LHEX));
    v.push(pos(
        "airtable-pat",
        format!("Authorization: Bearer {t}"),
        &t,
    ));
    let t = format!("lin_api_{}", r.s(40, &an));
    v.push(pos("linear-api-key", t.clone(), &t));
    let t = format!("sl.{}", r.s(140, &bu));
    v.push(pos(
        "dropbox-access-token",
        format!("\"access_token\": \"{t}\""),
        &t,
    ));
    let t = format!("HRKU-{}", r.s(60, &bu));
    v.push(pos("heroku-api-key", t.clone(), &t));
    let t = r.uuid();
    v.push(pos_k("heroku-api-key", "HEROKU_API_KEY", t.clone(), &t));
    let t = format!("dop_v1_{}", r.s(64, LHEX));
    v.push(pos("digitalocean-token", t.clone(), &t));
    let t = format!("pat-na1-{}", r.uuid());
    v.push(pos("hubspot-private-app-token", t.clone(), &t));
    let t = format!("PMAK-{}-{}", r.s(24, LHEX), r.s(34, LHEX));
    v.push(pos("postman-api-key", t.clone(), &t));
    let t = format!("gsk_{}", r.s(52, &an));
    v.push(pos("groq-api-key", t.clone(), &t));
    let t = format!("r8_{}", r.s(37, &an));
    v.push(pos("replicate-api-token", t.clone(), &t));
    let t = format!("AGE-SECRET-KEY-1{}", r.s(58, BECH32));
    v.push(pos("age-secret-key", t.clone(), &t));
    let t = format!("hvs.{}", r.s(95, &bu));
    v.push(pos("vault-token", format!("VAULT_TOKEN={t}"), &t));
    let jwt = format!(
        "{}.{}.{}",
        b64_encode(br#"{"alg":"HS256","typ":"JWT"}"#, true),
        b64_encode(br#"{"sub":"8f2c","name":"svc","iat":1700000000}"#, true),
        r.s(43, &bu)
    );
    v.push(pos("jwt", format!("n8n-auth={jwt}; rl_session=abc"), &jwt));
    for label in [
        "RSA PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "EC PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
    ] {
        let block = format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----",
            key_body(label, &mut r)
        );
        v.push(pos("private-key", format!("key: |\n{block}\n"), &block));
    }
    v.push(pos(
        "private-key",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----".to_string(),
        "-----BEGIN PGP PRIVATE KEY BLOCK-----",
    ));
    let pw = format!("{}{}", r.s(10, &an), r.s(2, DIGITS));
    v.push(pos(
        "url-credentials",
        format!("postgres://app:{pw}@db.internal:5432/app"),
        &pw,
    ));
    v.push(pos(
        "url-credentials",
        format!("redis://:{pw}@cache:6379"),
        &pw,
    ));
    let cred = b64_encode(format!("svc:{pw}").as_bytes(), false);
    v.push(pos(
        "basic-auth",
        format!("Authorization: Basic {cred}"),
        &cred,
    ));
    v.push(pos_k(
        "basic-auth",
        "Authorization",
        format!("Basic {cred}"),
        &cred,
    ));
    let t = format!("{}{}", r.s(38, &bu), r.s(2, DIGITS));
    v.push(pos(
        "bearer-token",
        format!("Authorization: Bearer {t}"),
        &t,
    ));
    v.push(pos_k("bearer-token", "headers", format!("Bearer {t}"), &t));
    let pw = format!("{}!{}", r.s(9, &an), r.s(2, DIGITS));
    v.push(pos_k("generic-password", "password", pw.clone(), &pw));
    v.push(pos("generic-password", format!("DB_PASSWORD={pw}"), &pw));
    v.push(pos(
        "generic-password",
        format!("{{\"user\": \"a\", \"passwd\": \"{pw}\"}}"),
        &pw,
    ));
    v.push(pos(
        "generic-password",
        format!("spring.datasource.password: '{pw}'"),
        &pw,
    ));
    let t = format!("{}{}", r.s(22, &an), r.s(2, DIGITS));
    v.push(pos("generic-secret", format!("API_KEY={t}"), &t));
    v.push(pos_k("generic-secret", "x-api-key", t.clone(), &t));
    v.push(pos_k(
        "generic-secret",
        "C_REST_CLIENT_SECRET",
        t.clone(),
        &t,
    ));
    v.push(pos_k(
        "generic-secret",
        "dashboardAuthToken",
        "n8n-rocks!".to_string(),
        "n8n-rocks!",
    ));
    v.push(pos(
        "generic-secret",
        "N8N_ENCRYPTION_KEY=super-secret-key".to_string(),
        "super-secret-key",
    ));
    v.push(pos(
        "generic-secret",
        format!("$config['secret_key'] => \"{t}\";"),
        &t,
    ));
    v.push(pos(
        "generic-secret",
        format!("{{\\\"token\\\": \\\"{t}\\\"}}"),
        &t,
    ));
    v.push(pos_k(
        "generic-secret",
        "credentials",
        format!("{}{}", r.s(22, &an), r.s(3, DIGITS)),
        "",
    ));
    let t = format!("{}9Kq", r.s(37, &bs));
    v.push(pos_k("high-entropy-string", "mimi", t.clone(), &t));
    v.push(pos_k(
        "high-entropy-string",
        "signingMaterial",
        t.clone(),
        &t,
    ));
    for (kind, t) in coverage_tokens(&mut r) {
        v.push(pos(kind, format!("token: \"{t}\""), &t));
    }
    v
}

/// One generated token per kind added from the open rule sets (gitleaks' list as the checklist).
fn coverage_tokens(r: &mut Rng) -> Vec<(&'static str, String)> {
    let an = alnum();
    let bu = b64url();
    let bs = b64();
    let lower_an = format!("{LOWER}{DIGITS}");
    let mixed =
        |r: &mut Rng, n: usize| format!("a{}Z9{}", r.s(n / 2 - 3, &an), r.s(n - n / 2, &an));
    vec![
        ("alibaba-access-key-id", format!("LTAI{}", mixed(r, 20))),
        ("artifactory-token", format!("AKCp{}", r.s(69, &an))),
        ("artifactory-token", format!("cmVmd{}", r.s(59, &an))),
        ("databricks-token", format!("dapi{}", r.s(32, LHEX))),
        ("doppler-token", format!("dp.pt.{}", r.s(43, &an))),
        (
            "dynatrace-token",
            format!("dt0c01.{}.{}", r.s(24, UPPER), r.s(64, &an)),
        ),
        ("easypost-api-key", format!("EZAK{}", r.s(54, &an))),
        (
            "flutterwave-secret-key",
            format!("FLWSECK_TEST-{}-X", r.s(32, LHEX)),
        ),
        ("flyio-token", format!("fo1_{}", r.s(43, &bu))),
        ("flyio-token", format!("fm2_{}", r.s(140, &bs))),
        ("frameio-token", format!("fio-u-{}", r.s(64, &bu))),
        ("gitlab-token", format!("glptt-{}", r.s(40, LHEX))),
        ("gitlab-token", format!("gloas-{}", r.s(64, &an))),
        (
            "grafana-token",
            format!("glsa_{}_{}", r.s(32, &an), r.s(8, LHEX)),
        ),
        ("grafana-token", format!("glc_{}", r.s(120, &bs))),
        ("huggingface-token", format!("api_org_{}", r.s(34, LOWER))),
        ("infracost-api-key", format!("ico-{}", r.s(32, &an))),
        (
            "newrelic-api-key",
            format!("NRAK-{}", r.s(27, &format!("{UPPER}{DIGITS}"))),
        ),
        ("openshift-token", format!("sha256~{}", r.s(43, &bu))),
        ("planetscale-token", format!("pscale_tkn_{}", r.s(43, &bu))),
        ("prefect-api-key", format!("pnu_{}", r.s(36, &an))),
        ("pulumi-access-token", format!("pul-{}", r.s(40, LHEX))),
        ("readme-api-key", format!("rdme_{}", r.s(70, &lower_an))),
        ("rubygems-api-key", format!("rubygems_{}", r.s(48, LHEX))),
        ("scalingo-token", format!("tk-us-{}", r.s(48, &bu))),
        (
            "brevo-api-key",
            format!("xkeysib-{}-{}", r.s(64, LHEX), r.s(16, &an)),
        ),
        ("sentry-token", format!("sntryu_{}", r.s(64, LHEX))),
        ("shippo-api-key", format!("shippo_live_{}", r.s(40, LHEX))),
        (
            "sourcegraph-token",
            format!("sgp_{}_{}", r.s(16, LHEX), r.s(40, LHEX)),
        ),
        (
            "1password-service-account-token",
            format!("ops_eyJ{}", r.s(300, &bs)),
        ),
        ("adobe-client-secret", format!("p8e-{}", r.s(32, &an))),
        ("clojars-token", format!("CLOJARS_{}", r.s(60, &lower_an))),
        ("aws-bedrock-api-key", format!("ABSK{}", r.s(140, &bs))),
        ("duffel-token", format!("duffel_live_{}", r.s(43, &bu))),
        (
            "mapbox-secret-token",
            format!("sk.eyJ{}.{}", r.s(60, &bu), r.s(22, &bu)),
        ),
        ("facebook-access-token", format!("EAAG{}", r.s(160, &an))),
        ("openrouter-api-key", format!("sk-or-v1-{}", r.s(64, LHEX))),
        ("xai-api-key", format!("xai-{}", mixed(r, 80))),
        ("elevenlabs-api-key", format!("sk_{}", r.s(48, LHEX))),
        ("firecrawl-api-key", format!("fc-{}", r.s(32, LHEX))),
        ("apify-token", format!("apify_api_{}", r.s(36, &an))),
        (
            "pinecone-api-key",
            format!("pcsk_{}_{}", r.s(6, &an), mixed(r, 64)),
        ),
        (
            "langsmith-api-key",
            format!("lsv2_pt_{}_{}", r.s(32, LHEX), r.s(10, LHEX)),
        ),
        ("supabase-token", format!("sbp_{}", r.s(40, LHEX))),
        ("supabase-token", format!("sb_secret_{}", mixed(r, 31))),
        ("typeform-token", format!("tfp_{}", mixed(r, 50))),
        (
            "resend-api-key",
            format!("re_{}_{}", r.s(8, &an), mixed(r, 24)),
        ),
        (
            "cloudflare-origin-ca-key",
            format!("v1.0-{}-{}", r.s(24, LHEX), r.s(146, LHEX)),
        ),
        ("vault-token", format!("hvb.{}", r.s(150, &bu))),
    ]
}

/// Every coverage kind: filler, `EXAMPLE` and truncated look-alikes of its token are not
/// reported, and the token glued inside a longer word is not either.
#[test]
fn coverage_kinds_ignore_look_alikes() {
    let sc = scanner();
    let mut r = Rng(99);
    let mut failures = Vec::new();
    for (kind, t) in coverage_tokens(&mut r) {
        let body_at = t.len() - t.len() / 2;
        let (head, tail) = t.split_at(body_at);
        let filler: String = tail
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { 'x' } else { c })
            .collect();
        let example = format!("{head}EXAMPLE{}", &tail[7..]);
        let glued = format!("abc{t}");
        let mut look_alikes = vec![format!("{head}{filler}"), example, glued];
        // Fixed-length formats: four characters short is not the token.
        let variable = [
            "flyio-token",
            "gitlab-token",
            "grafana-token",
            "planetscale-token",
            "1password-service-account-token",
            "aws-bedrock-api-key",
            "mapbox-secret-token",
            "facebook-access-token",
            "pinecone-api-key",
            "supabase-token",
            "typeform-token",
            "resend-api-key",
            "vault-token",
        ];
        if !variable.contains(&kind) {
            look_alikes.push(t[..t.len() - 4].to_string());
        }
        for v in look_alikes {
            let ms = sc.scan(&format!("token: \"{v}\""), None);
            if ms.iter().any(|m| m.kind.id == kind) {
                failures.push(format!("{kind}: look-alike reported ({})", redact(&v)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_has_a_positive_sample() {
    let sc = scanner();
    let cases = positives();
    let mut failures = Vec::new();
    for c in &cases {
        let ms = sc.scan(&c.value, c.key);
        let hit = ms.iter().any(|m| {
            m.kind.id == c.kind
                && (c.secret.is_empty() || c.value.get(m.start..m.end) == Some(c.secret.as_str()))
        });
        if !hit {
            let got: Vec<String> = ms
                .iter()
                .map(|m| format!("{} {}", m.kind.id, redact(&c.value[m.start..m.end])))
                .collect();
            failures.push(format!("{} (key {:?}): got {:?}", c.kind, c.key, got));
        }
    }
    assert!(
        failures.is_empty(),
        "positives failed:\n{}",
        failures.join("\n")
    );
    for k in SecretScanner::kinds() {
        assert!(
            cases.iter().any(|c| c.kind == k.id),
            "kind {} has no positive sample",
            k.id
        );
    }
}

#[test]
fn kinds_table_is_sane() {
    let kinds = SecretScanner::kinds();
    assert!(kinds.len() >= 40, "only {} kinds", kinds.len());
    let mut seen = std::collections::HashSet::new();
    for k in kinds {
        assert!(seen.insert(k.id), "duplicate id {}", k.id);
        assert!(
            !k.id.is_empty()
                && k.id
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                && !k.id.starts_with('-')
                && !k.id.ends_with('-'),
            "id not kebab-case: {}",
            k.id
        );
        assert!(!k.name.is_empty());
    }
    assert_eq!(PRIO.len(), kinds.len());
}

#[test]
fn scanner_is_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<SecretScanner>();
}

#[test]
fn placeholders_and_words_are_not_secrets() {
    let sc = scanner();
    let mut r = Rng(42);
    let unkeyed: Vec<String> = vec![
        "glpat-xxxxxxxxxxxxxxxxxxxxxxxxxxxx".into(),
        "Bearer glpatdemo -1234567890abcdef1234567890demo".into(),
        format!("ghp_{}", "x".repeat(36)),
        format!("ghp_{}", "1234567890abcdefghijklmnopqrstuvwxyz"),
        "AKIAXXXXXXXXXXXXXXXX".into(),
        format!("sk_live_{}", "0".repeat(24)),
        format!("xoxb-{}", "x".repeat(40)),
        "Authorization: Bearer YOUR_LINE_BOT_TOKEN".into(),
        "Authorization: Bearer <Enter Product Hunt token here>".into(),
        "Authorization: Bearer {{ $json.token }}".into(),
        "Authorization: Bearer ${TOKEN}".into(),
        "https://user:password@example.com".into(),
        "https://user:${DB_PASS}@example.com".into(),
        "https://user:{{password}}@example.com".into(),
        "postgres://postgres:postgres@localhost:5432/db".into(),
        "https://user@example.com/path".into(),
        "http://localhost:1880/hello".into(),
        format!("Authorization: Basic {}", b64_encode(b"user:password", false)),
        "Basic authentication is required".into(),
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----".into(),
        "-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----".into(),
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----".into(),
        "-----BEGIN CERTIFICATE-----".into(),
        "password: password".into(),
        "POSTGRES_PASSWORD=password".into(),
        "password = changeme".into(),
        "token: true".into(),
        "api_key: YOUR_API_KEY".into(),
        "api_key = \"<your-api-key>\"".into(),
        "secret: ${CLIENT_SECRET}".into(),
        "SECRET=$CLIENT_SECRET".into(),
        "password: '{{ $credentials.password }}'".into(),
        "token: \"={{ $json.body.access_token }}\"".into(),
        "APIKey: \"@{parameters('odata-api-key')}\"".into(),
        "client_secret: vault:secret/data/app#client_secret".into(),
        "token = op://Private/GitHub/token".into(),
        "password = secure:thequickbrownfoxjumpsoverthelazydog".into(),
        "password = %DB_PASSWORD%".into(),
        "api_key = xxxxxxxxxxxxxxxxxxxxxxxx".into(),
        "api_key = ************************".into(),
        "password = 123456789a1234".into(),
        "aws_secret_key = 23456789a1".into(),
        "password = aaaaaaaaaaaa".into(),
        "secret = abcdefghijklmnop".into(),
        "api_key = example-api-key-value".into(),
        "token = dummy-token-1234".into(),
        "secret = sample_secret_987".into(),
        "password = replace-me-please".into(),
        "password = os.getenv(\"DB_PASSWORD\")".into(),
        "token = config.github.token".into(),
        "const apiKey = settings.apiKey;".into(),
        "secretName: db-credentials-2024".into(),
        "tokenUrl: https://login.example.com/oauth2/v2.0/token".into(),
        "max_tokens: 60000".into(),
        "foreign_key_id = vh987tyw9ehy8ghis7vwyhiwbwitefy7w3ASDGYDGUASDG".into(),
        "private_key_file = ./keys/service-account.pem".into(),
        "Replace Authorization token with your GitLab API key.".into(),
        "The password must be at least 12 characters long.".into(),
        "uuid_should_be_ignored: '203db13e-70c7-462b-9a3d-bf32640cb0be'".into(),
        "red_herring = 'DEADBEEF'".into(),
        "U2FsdGVkX18BVmjQBCdNKSrjr0GhmcTwMgG/rSWhncWtqOLPT62WnCIktky8RgM1PhH7vMkMc5EuUFIQA/eEZA==".into(),
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf".into(),
        "https://hooks.slack.com/services/XXXXXXXXX/XXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX".into(),
        "https://hooks.slack.com/services/{{ $env.SLACK_PATH }}".into(),
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.".into(),
        // A Supabase-style public anon key is a JWT meant to be public.
        format!(
            "{}.{}.{}",
            b64_encode(br#"{"alg":"HS256","typ":"JWT"}"#, true),
            b64_encode(br#"{"iss":"supabase","role":"anon","exp":1900000000}"#, true),
            r.s(43, &b64url())
        ),
        "sha512-3Y0Dk+pQqyGBe5KbbL4Y0o4YBKcSpAEa+H0PThjPqWrT1ixnCRUZkyb+BHhvdhIm4vKhQlx1FMmyhVRmHt0U1g==".into(),
        "The key: value pairs are documented in the README.".into(),
        "key: C_REST_CLIENT_ID".into(),
        "AccountKey=<storage-key>".into(),
        "telegram 12345678:AA is not a token".into(),
    ];
    let mut failures = Vec::new();
    for v in &unkeyed {
        let ms = sc.scan(v, None);
        if !ms.is_empty() {
            failures.push(format!("{:?} -> {:?}", redact(v), ids(&ms)));
        }
    }
    // Unkeyed random tokens are not entropy-checked either.
    let doc_id = format!("1{}", r.s(43, &b64url()));
    assert!(sc.scan(&doc_id, None).is_empty());
    let keyed: Vec<(&str, String)> = vec![
        ("password", "password".into()),
        ("password", "".into()),
        ("password", "changeme".into()),
        ("password", "Password".into()),
        ("password", "mysecretpassword".into()),
        ("password", "12345678901234".into()),
        ("password", "83749201".into()),
        ("token", "true".into()),
        ("api_key", "YOUR_API_KEY".into()),
        ("apiKey", "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into()),
        ("secret", "${SECRET}".into()),
        ("client_secret", "{{ $credentials.clientSecret }}".into()),
        ("Authorization", "Bearer {{ $json.token }}".into()),
        ("Authorization", "Bearer YOUR_LINE_BOT_TOKEN".into()),
        ("password_policy", "min-8-chars-1-digit".into()),
        ("foreign_key_id", "vh987tyw9ehy8ghis7vwyhiwbwitefy7w3ASDGYDGUASDG".into()),
        ("allowlisted_id", "ToCynx5Se4e2PtoZxEhW7lUJcOX15c54".into()),
        ("tokenUrl", "https://login.example.com/oauth2/token".into()),
        ("secretName", "db-credentials-2024".into()),
        ("private_key", "./keys/service.pem".into()),
        ("auth", "oauth2".into()),
        ("auth", "secretRef".into()),
        ("credentials", "my-gcp-creds".into()),
        ("apiKey", "apiKeyFromSettings".into()),
        ("data", "U2FsdGVkX18BVmjQBCdNKSrjr0GhmcTwMgG/rSWhncWtqOLPT62WnCIktky8RgM1PhH7vMkMc5EuUFIQA/eEZA==".into()),
        ("integrity", "sha512-3Y0Dk+pQqyGBe5KbbL4Y0o4YBKcSpAEa+H0PThjPqWrT1ixnCRUZkyb+BHhvdhIm4vKhQlx1FMmyhVRmHt0U1g==".into()),
        ("sha", "8b1118b376c313ed420e5133ba91307817ed52c2".into()),
        ("id", "YW1pYWx3YXlzZ2VuZXJhdGluZ3BheWxvYWRzd2hlbmltaHVuZ3J5b3JhbWlhbHdheXNodW5ncnk".into()),
        ("webhookId", r.uuid()),
        ("username", r.uuid()),
        ("description", "Uses a token: see https://example.com/docs for the password policy".into()),
        ("secret", "secret:prod/db".into()),
        ("password", "env:DB_PASSWORD".into()),
        ("token", "arn:aws:secretsmanager:us-east-1:123456789012:secret:tok".into()),
        ("password", "•••••••••".into()),
        ("api_token", "insert-your-token-here".into()),
        ("jwt_secret", "placeholder".into()),
        ("password", "user@example.com".into()),
        ("value", "203db13e-70c7-462b-9a3d-bf32640cb0be".into()),
        ("Authorization", format!("Basic {}", b64_encode(b"user:password", false))),
        ("Authorization", "Bearer short-tok".into()),
        // Document ids look random: not entropy-checked under container or id keys, or unkeyed.
        ("value", format!("1{}", r.s(43, &b64url()))),
        ("documentId", format!("1{}", r.s(43, &b64url()))),
        ("text", format!("1{}", r.s(43, &b64url()))),
        // Base64 of readable text is an encoding, not a random key.
        ("payload", b64_encode(b"this is just a long readable sentence, nothing secret", false)),
    ];
    for (k, v) in &keyed {
        let ms = sc.scan(v, Some(k));
        if !ms.is_empty() {
            failures.push(format!("key {k}: {:?} -> {:?}", redact(v), ids(&ms)));
        }
    }
    assert!(
        failures.is_empty(),
        "false positives:\n{}",
        failures.join("\n")
    );
}

#[test]
fn most_specific_kind_wins_and_each_secret_is_reported_once() {
    let sc = scanner();
    let mut r = Rng(7);
    let slack = format!(
        "xoxb-{}-{}-{}",
        r.s(11, DIGITS),
        r.s(13, DIGITS),
        r.s(24, &alnum())
    );
    let ms = sc.scan(&format!("token={slack}"), None);
    assert_eq!(ids(&ms), vec!["slack-bot-token"]);
    let ms = sc.scan(&slack, Some("token"));
    assert_eq!(ids(&ms), vec!["slack-bot-token"]);

    let jwt = format!(
        "{}.{}.{}",
        b64_encode(br#"{"alg":"RS256","kid":"k1"}"#, true),
        b64_encode(br#"{"sub":"svc","aud":"api"}"#, true),
        r.s(86, &b64url())
    );
    let ms = sc.scan(&format!("Authorization: Bearer {jwt}"), None);
    assert_eq!(ids(&ms), vec!["jwt"]);
    let ms = sc.scan(&format!("Bearer {jwt}"), Some("Authorization"));
    assert_eq!(ids(&ms), vec!["jwt"]);
    assert_eq!(&format!("Bearer {jwt}")[ms[0].start..ms[0].end], jwt);

    let gh = format!("ghp_{}", r.s(36, &alnum()));
    let ms = sc.scan(
        &format!("https://x-access-token:{gh}@github.com/org/repo.git"),
        None,
    );
    assert_eq!(ids(&ms), vec!["github-pat"]);

    let openai = format!("sk-proj-{}", r.s(100, &b64url()));
    let ms = sc.scan(&openai, Some("api_key"));
    assert_eq!(ids(&ms), vec!["openai-api-key"]);

    // A Logic Apps URL carries a SAS signature: one finding, the URL.
    let u = format!(
        "https://prod-01.westus.logic.azure.com:443/workflows/{}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={}",
        r.s(32, LHEX),
        r.s(43, &b64url())
    );
    assert_eq!(ids(&sc.scan(&u, Some("uri"))), vec!["logic-app-sas-url"]);

    // Two different secrets in one value: both, in order.
    let aws = format!("AKIA{}", r.s(16, UPB32));
    let v = format!("a={gh} b={aws}");
    let ms = sc.scan(&v, None);
    assert_eq!(ids(&ms), vec!["github-pat", "aws-access-key-id"]);
}

#[test]
fn repository_example_tokens_are_reported() {
    // The Slack token used by the examples and spec cases: partly sequential, still a token.
    let sc = scanner();
    let t = ["xoxb", "2048", "1234567890123", "AbCdEfGhIjKlMnOpQrStUvWx"].join("-");
    let v = format!("Bearer {t}");
    let ms = sc.scan(&v, Some("Authorization"));
    assert_eq!(ids(&ms), vec!["slack-bot-token"]);
    assert_eq!(&v[ms[0].start..ms[0].end], t);
    // ... but a body that is nothing but a run is filler.
    let filler = [
        "xoxb",
        "1234567890",
        "1234567890",
        "abcdefghijklmnopqrstuvwx",
    ]
    .join("-");
    assert!(sc.scan(&filler, None).is_empty());
}

#[test]
fn n8n_expression_literal_excludes_the_equals_sign() {
    let sc = scanner();
    let t = Rng(11).s(50, &alnum());
    let v = format!("={t}");
    let ms = sc.scan(&v, Some("CLIENT_SECRET"));
    assert_eq!(ids(&ms), vec!["generic-secret"]);
    assert_eq!(&v[ms[0].start..ms[0].end], t);
}

#[test]
fn yaml_tag_is_skipped_in_text_assignments() {
    let sc = scanner();
    let t = Rng(12).s(40, &alnum());
    let v = format!("low_entropy_binary_secret: !!binary {t}");
    let ms = sc.scan(&v, None);
    assert_eq!(ids(&ms), vec!["generic-secret"]);
    assert_eq!(&v[ms[0].start..ms[0].end], t);
}

#[test]
fn allow_list_suppresses_matching_secrets_only() {
    let aws_doc = format!("AKIA{}EXAMPLE", "IOSFODNN7");
    let mut r = Rng(3);
    let other = format!("AKIA{}", r.s(16, UPB32));
    let allow = vec![
        Regex::new("^AKIA.*EXAMPLE$").expect("regex"),
        Regex::new("^dummy").expect("regex"),
    ];
    let sc = SecretScanner::new(allow);
    assert!(sc.scan(&aws_doc, None).is_empty());
    assert_eq!(ids(&sc.scan(&other, None)), vec!["aws-access-key-id"]);
    // Without the allow list the documented example key is a placeholder too.
    assert!(scanner().scan(&aws_doc, None).is_empty());
    // A suppressed specific match does not fall back to a generic one over the same bytes.
    let v = format!("aws_access_key_id={aws_doc}");
    assert!(sc.scan(&v, None).is_empty());
}

#[test]
fn inline_pragma_suppresses_its_line_only() {
    let sc = scanner();
    let mut r = Rng(5);
    let a = format!("{}{}", r.s(30, &alnum()), r.s(2, DIGITS));
    let b = format!("{}{}", r.s(30, &alnum()), r.s(2, DIGITS));
    let v = format!("api_key = '{a}'  # pragma: allowlist secret\nother_token = '{b}'\n");
    let ms = sc.scan(&v, None);
    assert_eq!(ms.len(), 1);
    assert_eq!(&v[ms[0].start..ms[0].end], b);
    let v = format!("password={a} # gitleaks:allow");
    assert!(sc.scan(&v, None).is_empty());
}

#[test]
fn matches_are_capped_and_sorted() {
    let sc = scanner();
    let mut r = Rng(99);
    let v: Vec<String> = (0..400)
        .map(|_| format!("ghp_{}", r.s(36, &alnum())))
        .collect();
    let v = v.join(" ");
    let ms = sc.scan(&v, None);
    assert_eq!(ms.len(), MAX_MATCHES);
    assert!(ms.windows(2).all(|w| w[0].end <= w[1].start));
    assert!(ms.iter().all(|m| m.kind.id == "github-pat"));
}

#[test]
fn hostile_megabyte_values_finish_with_bounded_results() {
    let sc = scanner();
    let inputs = [
        "password=".repeat(120_000),
        "key=\"".repeat(200_000),
        "eyJ".repeat(350_000),
        "eyJhbGciOi.".repeat(100_000),
        "-----BEGIN PRIVATE KEY-----".repeat(40_000),
        "sl.".repeat(350_000),
        "http://a:".repeat(120_000),
        "Bearer ".repeat(150_000),
        "Basic ".repeat(170_000),
        ":AA".repeat(350_000),
        "0123456789".repeat(100_000),
        "a".repeat(1_000_000),
        "é".repeat(500_000),
        format!("token: \"{}", "x".repeat(1_000_000)),
        "sig=".repeat(250_000),
        "discord ".repeat(120_000),
    ];
    for v in &inputs {
        let ms = sc.scan(v, Some("password"));
        assert!(ms.len() <= MAX_MATCHES);
        for m in &ms {
            assert!(v.get(m.start..m.end).is_some());
        }
    }
}

#[test]
fn arbitrary_input_never_panics_and_ranges_are_char_boundaries() {
    let sc = scanner();
    let mut r = Rng(0xdead_beef);
    let pieces = [
        "ghp_",
        "xoxb-",
        "AKIA",
        "eyJ",
        ".",
        "-----BEGIN ",
        "PRIVATE KEY-----",
        "-----END ",
        "://",
        "@",
        ":",
        "=",
        "\"",
        "'",
        "\\",
        "\\\"",
        "Bearer ",
        "Basic ",
        "password",
        "token",
        "key",
        "secret",
        "é",
        "日本",
        "🙂",
        "\n",
        " ",
        "sk-",
        "-us",
        ":AA",
        "Q~",
        "sig=",
        "sv=",
        "se=",
        "AccountKey=",
        "hooks.slack.com/services/",
        "discord",
        "bot ",
        "pat",
        "sl.",
        "SG.",
        "!!",
        "{{",
        "${",
        "pragma: allowlist secret",
        "service_account",
        "0",
        "9",
        "A",
        "z",
        "_",
        "-",
    ];
    for _ in 0..4000 {
        let n = (r.next() % 60) as usize;
        let mut v = String::new();
        for _ in 0..n {
            let p = pieces[(r.next() % pieces.len() as u64) as usize];
            v.push_str(p);
            if r.next() % 3 == 0 {
                let n = (r.next() % 50) as usize;
                v.push_str(&r.s(n, &format!("{}é+/=", alnum())));
            }
        }
        let key = match r.next() % 4 {
            0 => None,
            1 => Some("password"),
            2 => Some("Authorization"),
            _ => Some("aws_secret_access_key"),
        };
        for m in sc.scan(&v, key) {
            assert!(
                m.start < m.end && v.get(m.start..m.end).is_some(),
                "bad range in {v:?}"
            );
        }
    }
}

#[test]
fn redact_shows_little_and_is_stable() {
    let mut r = Rng(1);
    let slack = format!(
        "xoxb-{}-{}-{}",
        r.s(11, DIGITS),
        r.s(13, DIGITS),
        r.s(24, &alnum())
    );
    let red = redact(&slack);
    assert!(red.starts_with("xoxb-…"), "{red}");
    assert_eq!(red, redact(&slack));
    let hex = red.rsplit('…').next().unwrap_or("");
    assert_eq!(hex.len(), 4);
    assert!(hex.bytes().all(|c| c.is_ascii_hexdigit()));
    assert!(redact(&format!("AKIA{}", r.s(16, UPB32))).starts_with("AKIA…"));
    assert!(redact(&format!("ghp_{}", r.s(36, &alnum()))).starts_with("ghp_…"));
    // Unknown shapes: at most len/8 (and at most 4) characters; under 16 characters, none.
    assert!(redact("hunter2!").starts_with('…'));
    for len in [1usize, 3, 8, 12, 16, 20, 24, 40, 200] {
        let s = r.s(len, &alnum());
        let red = redact(&s);
        let shown = red.split('…').next().unwrap_or("").chars().count();
        assert!(shown <= 5 && shown * 4 <= len, "{len}: {shown}");
        assert!(s.starts_with(red.split('…').next().unwrap_or("")));
    }
    // Multi-byte secrets are cut on characters.
    assert!(redact("ééééééééééééééééééééééééé").starts_with("ééé…"));
}

#[test]
fn short_and_empty_values_are_cheap_and_clean() {
    let sc = scanner();
    assert!(sc.scan("", None).is_empty());
    assert!(sc.scan("", Some("password")).is_empty());
    assert!(sc.scan("abc", Some("password")).is_empty());
}

#[test]
fn key_classification() {
    use generic::{classify_key, KeyClass as C};
    let cases = [
        ("password", C::Password),
        ("POSTGRES_PASSWORD", C::Password),
        ("db_pass", C::Password),
        ("dbPassword", C::Password),
        ("N8N_ENCRYPTION_KEY", C::Secret),
        ("N8N_USER_MANAGEMENT_JWT_SECRET", C::Secret),
        ("dashboardAuthToken", C::Secret),
        ("C_REST_CLIENT_SECRET", C::Secret),
        ("APIKey", C::Secret),
        ("x-api-key", C::Secret),
        ("apikey", C::Secret),
        ("access_token", C::Secret),
        ("real_secret_which_isnt_an_i_d", C::Secret),
        ("aws_secret_access_key", C::Aws),
        ("secretAccessKey", C::Aws),
        ("DD_API_KEY", C::Datadog),
        ("TWILIO_AUTH_TOKEN", C::Twilio),
        ("AZURE_CLIENT_SECRET", C::AzureAd),
        ("Authorization", C::Auth),
        ("credentials", C::Weak),
        ("foreign_key_id", C::IdLike),
        ("password_hash", C::IdLike),
        ("max_tokens", C::None),
        ("tokenLimit", C::None),
        ("Skip Token", C::None),
        ("secretName", C::None),
        ("tokenUrl", C::None),
        ("key", C::None),
        ("keyA", C::None),
        ("monkey", C::None),
        ("secretary", C::None),
        ("passenger", C::None),
        ("", C::None),
    ];
    for (k, want) in cases {
        assert_eq!(classify_key(k), want, "{k}");
    }
}

#[test]
fn word_likeness_and_placeholders() {
    use crate::placeholder::{is_placeholder, PlaceholderFor};
    use generic::word_like;
    for w in [
        "password",
        "changeme",
        "secretRef",
        "HelloWorld",
        "PASSWORD",
        "Password",
    ] {
        assert!(word_like(w.as_bytes()), "{w}");
    }
    for w in [
        "fnbfMNIziSYi",
        "N8L8TPxlPzyN",
        "kqzvmxrtpl",
        "super-secret-key",
        "n8n-rocks!",
    ] {
        assert!(!word_like(w.as_bytes()), "{w}");
    }
    for p in [
        "{{ $env.X }}",
        "${X}",
        "$X",
        "%X%",
        "<x>",
        "YOUR_TOKEN",
        "xxxx-xxxx",
        "****",
        "op://a/b",
        "1234567890",
        "abcabcabc",
    ] {
        assert!(is_placeholder(p, PlaceholderFor::Secret), "{p}");
    }
    for p in [
        "n8n-rocks!",
        "super-secret-key",
        "8ae31cacf141669ddfb5da",
        "qGC56S0yr2kB",
    ] {
        assert!(!is_placeholder(p, PlaceholderFor::Secret), "{p}");
    }
}
