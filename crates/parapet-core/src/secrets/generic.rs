//! Generic detection: which keys name a secret, which values are placeholders, and whether a
//! keyed value is secret-like enough to report.

use super::util::{distinct, entropy, is_b64std, is_lower_hex, is_uuid};
use super::{Confidence, Reason, K};
use crate::placeholder::{is_placeholder, PlaceholderFor};
use crate::words::{
    contains_any_ci, dominant_ratio, has_code, periodic, sequence_ratio, suffix_codes, word_codes,
    Words,
};

/// What a key (or an identifier before `=`/`:` in text) says about its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyClass {
    /// Not a secret name.
    None,
    /// An id, hash, checksum or version: never a secret, and not worth an entropy check either.
    IdLike,
    Password,
    Secret,
    /// Only hints at credentials (`credentials`, `creds`, `auth`): needs a strong value.
    Weak,
    /// `Authorization`-style header: `Scheme value`.
    Auth,
    Aws,
    Datadog,
    Twilio,
    Heroku,
    Atlassian,
    AzureAd,
}

word_codes!(
/// Last words that make a key describe something other than the secret itself.
NEG_LAST = [
    "name",
    "names",
    "type",
    "types",
    "url",
    "uri",
    "urls",
    "endpoint",
    "host",
    "hostname",
    "domain",
    "path",
    "file",
    "filename",
    "dir",
    "len",
    "length",
    "size",
    "count",
    "expiry",
    "expires",
    "expiration",
    "exp",
    "ttl",
    "timeout",
    "at",
    "time",
    "date",
    "hint",
    "label",
    "format",
    "field",
    "policy",
    "header",
    "prefix",
    "suffix",
    "mode",
    "enabled",
    "enable",
    "disabled",
    "required",
    "min",
    "max",
    "limit",
    "kind",
    "status",
    "in",
    "regex",
    "pattern",
    "schema",
    "description",
    "desc",
    "placeholder",
    "example",
    "location",
    "ref",
    "env",
    "var",
    "param",
    "provider",
    "store",
    "rotation",
    "algorithm",
    "alg",
    "method",
    "scope",
    "scopes",
    "usage",
    "index",
    "column",
    "template",
    "source",
    "mask",
    "masked",
    "visible",
    "strength",
    "reset",
    "validation",
    "valid",
    "error",
    "message",
    "id's",
    "policies",
    "rule",
    "rules",
]);

word_codes!(
/// Last words that make a key an identifier, hash or version (also excluded from entropy checks).
ID_LAST = [
    "id",
    "ids",
    "uuid",
    "guid",
    "hash",
    "hashed",
    "digest",
    "sha",
    "sha1",
    "sha256",
    "md5",
    "checksum",
    "etag",
    "fingerprint",
    "thumbprint",
    "integrity",
    "version",
    "nonce",
    "salt",
    "iv",
    "commit",
    "revision",
    "rev",
    "signature",
    "sig",
    "key_id",
    "kid",
]);

word_codes!(
/// First words that make a key about paging, limits or UI, not a secret.
NEG_FIRST = [
    "page",
    "next",
    "skip",
    "continuation",
    "cursor",
    "sync",
    "reply",
    "max",
    "min",
    "total",
    "num",
    "input",
    "output",
    "prompt",
    "completion",
    "csrf",
    "xsrf",
    "is",
    "has",
    "use",
    "show",
    "hide",
    "enable",
    "disable",
    "require",
    "allow",
    "no",
    // Identifiers that vendors call tokens: HubSpot `profile-token`, analytics visitor tokens.
    "profile",
    "tracking",
    "visitor",
]);

const PASSWORD_WORDS: [(u128, usize); 6] =
    suffix_codes(&["password", "passwd", "pwd", "passphrase", "passw", "pword"]);
/// A word that ends with one of these names a secret (`clientsecret`, `accesstoken`, `xapikey`).
const SECRET_SUFFIXES: [(u128, usize); 11] = suffix_codes(&[
    "secret",
    "token",
    "apikey",
    "accesskey",
    "secretkey",
    "privatekey",
    "encryptionkey",
    "signingkey",
    "masterkey",
    "accountkey",
    "authkey",
]);
word_codes!(
/// `<qualifier> key` names a secret (`api key`, `encryption key`, ...).
KEY_QUALIFIERS = [
    "api",
    "access",
    "secret",
    "private",
    "encryption",
    "signing",
    "master",
    "account",
    "app",
    "application",
    "client",
    "auth",
    "license",
    "licence",
    "consumer",
    "subscription",
    "shared",
    "webhook",
    "hmac",
    "jwt",
    "crypt",
    "encrypt",
    "decryption",
    "cipher",
    "storage",
    "sas",
    "admin",
    "ingest",
    "ingestion",
    "integration",
    "developer",
    "rest",
    "server",
    "partner",
    "merchant",
    "live",
    "prod",
    "production",
    "service",
    "write",
    "read",
    "mgmt",
    "management",
    "cookie",
    "aes",
    "rsa",
    "ssh",
    "gpg",
    "pgp",
    "x",
]);

word_codes!(
/// Last words of keys whose values are containers, content, ids of documents or encodings:
/// a random-looking value there is no reason to suspect a secret.
CONTAINER_LAST = [
    "value",
    "values",
    "text",
    "content",
    "contents",
    "body",
    "data",
    "payload",
    "message",
    "msg",
    "query",
    "expression",
    "code",
    "script",
    "html",
    "json",
    "xml",
    "yaml",
    "document",
    "doc",
    "sheet",
    "list",
    "default",
    "defaults",
    "item",
    "items",
    "result",
    "results",
    "response",
    "request",
    "input",
    "output",
    "examples",
    "sample",
    "samples",
    "test",
    "fixture",
    "cache",
    "cached",
    "image",
    "icon",
    "logo",
    "avatar",
    "thumbnail",
    "picture",
    "photo",
    "base64",
    "binary",
    "blob",
    "raw",
    "encoded",
    "cipher",
    "ciphertext",
    "encrypted",
    "title",
    "subject",
    "comment",
    "comments",
    "note",
    "notes",
    "tag",
    "tags",
    "color",
    "colour",
]);

/// Whether a whole value under `key` may be reported as a high-entropy string: the key is
/// present, names no secret (those get the generic rules), and is not an id, hash, container,
/// content, path or URL key.
pub(crate) fn entropy_key_ok(key: &str) -> bool {
    // Header names (`X-Gm-Features`, `X-Request-Id` in pinned e-mail or HTTP data) carry
    // signatures and ids; a secret header says so in its name (`X-Api-Key`).
    if key.len() >= 2 && key.as_bytes()[..2].eq_ignore_ascii_case(b"x-") {
        return false;
    }
    let cs = Words::of(key.as_bytes());
    let (Some(&first), Some(&last)) = (cs.codes().first(), cs.codes().last()) else {
        return false;
    };
    classify_codes(&cs) == KeyClass::None
        && !has_code(NEG_LAST, last)
        && !has_code(NEG_FIRST, first)
        && !has_code(CONTAINER_LAST, last)
        && !cs.codes().iter().any(|&w| has_code(RESOURCE_WORDS, w))
}

word_codes!(
/// Words of keys that hold ids of things in a vendor's service (folders, sheets, channels,
/// resource locators): random-looking by design, never secrets.
RESOURCE_WORDS = [
    "folder",
    "folders",
    "calendar",
    "calendars",
    "mailbox",
    "channel",
    "channels",
    "sheet",
    "sheets",
    "spreadsheet",
    "drive",
    "file",
    "files",
    "document",
    "documents",
    "doc",
    "docs",
    "list",
    "lists",
    "board",
    "workspace",
    "page",
    "pages",
    "database",
    "table",
    "base",
    "record",
    "records",
    "row",
    "item",
    "items",
    "thread",
    "threads",
    "label",
    "labels",
    "playlist",
    "video",
    "form",
    "survey",
    "project",
    "repo",
    "repository",
    "branch",
    "model",
    "assistant",
    "vector",
    "collection",
    "namespace",
    "bucket",
    "queue",
    "topic",
    "session",
    "conversation",
    "chat",
    "user",
    "users",
    "account",
    "tenant",
    "site",
    "group",
    "team",
    "category",
    "categories",
    "template",
    "workflow",
    "node",
    "webhook",
    "resource",
    "locator",
    "include",
    "exclude",
    "parent",
    "owner",
    "contact",
    "deal",
    "ticket",
    "task",
    "event",
    "message",
    "messages",
    "email",
    "attachment",
    "cache",
    "request",
    "trace",
    "span",
]);

/// Microsoft Graph / Exchange item and folder ids are base64 of a structure that starts with
/// these bytes (`AAMk...`, `AQMk...`).
pub(crate) fn exchange_id(b: &[u8]) -> bool {
    [&b"AAMk"[..], b"AQMk", b"AAkA", b"AAQk", b"AQQk", b"AAKk"]
        .iter()
        .any(|p| b.starts_with(p))
}

word_codes!(
    /// Last words of keys whose values are prose (sticky notes, descriptions, prompts): an
    /// example assignment in documentation text needs a value that looks generated, not typed.
    PROSE_LAST = [
        "content",
        "notes",
        "note",
        "description",
        "markdown",
        "html",
        "help",
        "instructions",
        "documentation",
        "readme",
        "comment",
        "comments",
        "text",
        "message",
        "prompt",
        "sticky",
    ]
);

/// [`classify_key`] of `key` and whether it holds prose (see `PROSE_LAST`), from one split
/// into words.
pub(crate) fn key_facts(key: &str) -> (KeyClass, bool) {
    let cs = Words::of(key.as_bytes());
    let prose = cs.codes().last().is_some_and(|&l| has_code(PROSE_LAST, l));
    (classify_codes(&cs), prose)
}

/// Classifies a key or identifier (see [`KeyClass`]).
pub(crate) fn classify_key(key: &str) -> KeyClass {
    classify_codes(&Words::of(key.as_bytes()))
}

/// Codes of the single words [`classify_codes`] looks for.
mod w {
    use crate::words::code;
    macro_rules! words {
        ($($name:ident = $w:literal;)*) => { $(pub(super) const $name: u128 = code($w);)* };
    }
    words! {
        KEY = b"key"; TOKEN = b"token"; SECRET = b"secret"; APIKEY = b"apikey"; PASS = b"pass";
        AWS = b"aws"; SECRETACCESSKEY = b"secretaccesskey"; ACCESS = b"access";
        DATADOG = b"datadog"; DD = b"dd"; TWILIO = b"twilio"; AUTH = b"auth"; HEROKU = b"heroku";
        ATLASSIAN = b"atlassian"; JIRA = b"jira"; CONFLUENCE = b"confluence";
        AZURE = b"azure"; AAD = b"aad"; ENTRA = b"entra"; MSAL = b"msal"; ARM = b"arm";
        AUTHORIZATION = b"authorization"; CREDENTIAL = b"credential";
        CREDENTIALS = b"credentials"; CREDS = b"creds"; CRED = b"cred";
    }
}

/// [`classify_key`] on the codes of the key's words.
fn classify_codes(cs: &Words) -> KeyClass {
    let ws: &[u128] = cs.codes();
    let (Some(&first), Some(&last)) = (ws.first(), ws.last()) else {
        return KeyClass::None;
    };
    if has_code(ID_LAST, last) {
        return KeyClass::IdLike;
    }
    if has_code(NEG_LAST, last) || has_code(NEG_FIRST, first) {
        return KeyClass::None;
    }
    let has = |x: u128| cs.has(x);
    let secretish = cs.any_ends_with(&SECRET_SUFFIXES)
        || ws
            .windows(2)
            .any(|p| p[1] == w::KEY && has_code(KEY_QUALIFIERS, p[0]));
    let passwordish = cs.any_ends_with(&PASSWORD_WORDS) || last == w::PASS;
    let keyish = has(w::KEY) || has(w::TOKEN) || has(w::SECRET) || has(w::APIKEY);
    if has(w::AWS) && (has(w::SECRET) || has(w::SECRETACCESSKEY))
        || ws
            .windows(3)
            .any(|p| p[0] == w::SECRET && p[1] == w::ACCESS && p[2] == w::KEY)
    {
        return KeyClass::Aws;
    }
    if (has(w::DATADOG) || first == w::DD) && keyish {
        return KeyClass::Datadog;
    }
    if has(w::TWILIO) && (keyish || has(w::AUTH)) {
        return KeyClass::Twilio;
    }
    if has(w::HEROKU) && keyish {
        return KeyClass::Heroku;
    }
    if [w::ATLASSIAN, w::JIRA, w::CONFLUENCE].into_iter().any(has) && keyish {
        return KeyClass::Atlassian;
    }
    if [w::AZURE, w::AAD, w::ENTRA, w::MSAL, w::ARM]
        .into_iter()
        .any(has)
        && has(w::SECRET)
    {
        return KeyClass::AzureAd;
    }
    if passwordish {
        return KeyClass::Password;
    }
    if last == w::AUTHORIZATION {
        return KeyClass::Auth;
    }
    if secretish {
        return KeyClass::Secret;
    }
    if [w::CREDENTIAL, w::CREDENTIALS, w::CREDS, w::CRED, w::AUTH].contains(&last) {
        return KeyClass::Weak;
    }
    KeyClass::None
}

/// Whole values (lowercase) that are placeholders or trivial defaults in URLs and Basic auth.
const TRIVIAL_PASSWORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "changeme",
    "changeit",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "test",
    "testing",
    "token",
    "apikey",
    "mypassword",
    "yourpassword",
    "letmein",
    "qwerty",
    "redacted",
    "none",
    "null",
    "default",
    "xxx",
    "pw",
    "user",
    "username",
];

/// Filler inside the body of a prefixed token (`glpat-xxxxxxxx...`, `ghp_123456789...`). Unlike
/// [`is_placeholder`], words such as `EXAMPLE` or `TEST` do not count, and ascending runs only
/// when they make up (nearly) the whole body: `xoxb-2048-1234567890123-AbCdEfGhIjKl...` (the
/// repository's own example token) is still reported.
pub(crate) fn weak_body(b: &[u8]) -> bool {
    // `example`: vendors' documentation examples (`AKIAIOSFODNN7EXAMPLE`, `...EXAMPLEKEY`).
    contains_any_ci(
        b,
        &["xxxx", "****", "your", "placeholder", "redacted", "example"],
    ) || dominant_ratio(b) > 0.6
        || sequence_ratio(b) >= 0.95
        || periodic(b)
}

/// Letters only, in word case (lower, UPPER, Capitalized or camelCase with no one-letter
/// humps), and pronounceable (vowels, no long consonant clusters): `password`, `secretRef`.
pub(crate) fn word_like(b: &[u8]) -> bool {
    if b.is_empty() || !b.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    // Camel segments must be >= 2 letters and cased like words.
    let mut seg_start = 0;
    for i in 1..=b.len() {
        let boundary = i == b.len()
            || (b[i - 1].is_ascii_lowercase() && b[i].is_ascii_uppercase())
            || (b[i - 1].is_ascii_uppercase()
                && b[i].is_ascii_uppercase()
                && b.get(i + 1).is_some_and(u8::is_ascii_lowercase));
        if boundary {
            let seg = &b[seg_start..i];
            let cased = seg[1..].iter().all(u8::is_ascii_lowercase)
                || seg.iter().all(u8::is_ascii_uppercase);
            if seg.len() < 2 || !cased {
                return false;
            }
            seg_start = i;
        }
    }
    let vowel = |c: &u8| {
        matches!(
            c.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    let vowels = b.iter().filter(|c| vowel(c)).count();
    let mut run = 0;
    let mut max_run = 0;
    for c in b {
        if vowel(c) {
            run = 0;
        } else {
            run += 1;
            max_run = max_run.max(run);
        }
    }
    vowels * 4 >= b.len() && max_run <= 4
}

fn looks_like_email(b: &[u8]) -> bool {
    let Some(at) = b.iter().position(|&c| c == b'@') else {
        return false;
    };
    let domain = &b[at + 1..];
    let Some(dot) = domain.iter().rposition(|&c| c == b'.') else {
        return false;
    };
    let tld = &domain[dot + 1..];
    at > 0 && dot > 0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
}

fn looks_like_path(t: &str) -> bool {
    const EXT: &[&str] = &[
        ".pem",
        ".key",
        ".json",
        ".txt",
        ".p12",
        ".pfx",
        ".crt",
        ".cer",
        ".der",
        ".jks",
        ".yaml",
        ".yml",
        ".env",
        ".keystore",
        ".asc",
        ".gpg",
        ".ppk",
    ];
    let lower = t.to_ascii_lowercase();
    t.starts_with('/')
        || t.starts_with("./")
        || t.starts_with("../")
        || t.starts_with("~/")
        || t.contains('\\')
        || EXT.iter().any(|e| lower.ends_with(e))
}

/// Unquoted code references: `config.password`, `self.token`, `None`, `getToken()`.
fn code_reference(b: &[u8]) -> bool {
    if b.contains(&b'(') {
        return true;
    }
    let ident = |seg: &[u8]| {
        seg.first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'$')
            && seg
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
    };
    b.contains(&b'.') && b.split(|&c| c == b'.').all(ident)
}

/// The password part of a URL or Basic auth value: placeholders, trivial defaults and a
/// password equal to the user name are not reported; no entropy rule (a URL password is
/// explicit).
pub(crate) fn credential_password_ok(pass: &str, user: &str) -> bool {
    let lower = pass.to_ascii_lowercase();
    pass.len() >= 3
        && pass.len() <= 256
        && !pass.eq_ignore_ascii_case(user)
        && !TRIVIAL_PASSWORDS.contains(&lower.as_str())
        && !is_placeholder(pass, PlaceholderFor::Secret)
}

/// The base shape every generic value needs (see the module docs).
fn generic_ok(v: &str, quoted: bool) -> bool {
    let b = v.as_bytes();
    let n = v.chars().count();
    n >= 8
        && b.len() <= 1024
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && b.iter().any(u8::is_ascii_alphabetic)
        && (quoted || !code_reference(b))
        && !v.contains("://")
        && !looks_like_path(v)
        && !looks_like_email(b)
        && !word_like(b)
        && distinct(b) >= 5
        && entropy(b) >= 2.5
        && !is_placeholder(v, PlaceholderFor::Secret)
}

fn is_40_b64(b: &[u8]) -> bool {
    b.len() == 40
        && b.iter().all(|&c| is_b64std(c) && c != b'=')
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
}

/// A value strong enough to be a generated secret: 16+ characters, letters and digits, and an
/// entropy of at least 3.5 bits per character.
pub(crate) fn strong_value(b: &[u8]) -> bool {
    b.len() >= 16
        && entropy(b) >= 3.5
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().any(u8::is_ascii_alphabetic)
}

/// A password that mixes letters with digits or symbols and is not a joined list of words.
fn mixed_password(b: &[u8]) -> bool {
    let letters = b.iter().any(u8::is_ascii_alphabetic);
    let others = b.iter().any(|c| !c.is_ascii_alphabetic());
    let words = b
        .split(|c| matches!(c, b'-' | b'_' | b'.'))
        .all(|w| w.is_empty() || word_like(w));
    letters && others && !words && entropy(b) >= 3.0
}

/// Decides whether a keyed value is a secret: its kind, the evidence and the confidence.
pub(crate) fn eval_value(
    v: &str,
    class: KeyClass,
    quoted: bool,
) -> Option<(K, Reason, Confidence)> {
    let b = v.as_bytes();
    let shaped = |kind: K, ok: bool| {
        (ok && !weak_body(b)).then_some((kind, Reason::VendorField, Confidence::Likely))
    };
    let special = match class {
        KeyClass::None | KeyClass::IdLike => return None,
        KeyClass::Aws => shaped(K::AwsSecret, is_40_b64(b)),
        KeyClass::Datadog => shaped(
            K::Datadog,
            (b.len() == 32 || b.len() == 40) && b.iter().all(|&c| is_lower_hex(c)),
        ),
        KeyClass::Twilio => shaped(
            K::TwilioAuthToken,
            b.len() == 32 && b.iter().all(|&c| is_lower_hex(c)),
        ),
        KeyClass::Heroku => shaped(K::Heroku, is_uuid(b)),
        KeyClass::Atlassian => shaped(
            K::Atlassian,
            b.len() == 24
                && b.iter().all(u8::is_ascii_alphanumeric)
                && b.iter().any(u8::is_ascii_digit),
        ),
        _ => None,
    };
    if special.is_some() {
        return special;
    }
    if !generic_ok(v, quoted) {
        return None;
    }
    let strong = strong_value(b);
    let secret = |kind: K| {
        if strong {
            (kind, Reason::SecretField, Confidence::Likely)
        } else {
            (kind, Reason::WeakSecretField, Confidence::Possible)
        }
    };
    match class {
        KeyClass::Password => Some(if strong || mixed_password(b) {
            (
                K::GenericPassword,
                Reason::PasswordField,
                Confidence::Likely,
            )
        } else {
            (
                K::GenericPassword,
                Reason::PasswordField,
                Confidence::Possible,
            )
        }),
        KeyClass::AzureAd => Some(secret(K::AzureAdSecret)),
        KeyClass::Weak => strong.then(|| secret(K::GenericSecret)),
        _ => Some(secret(K::GenericSecret)),
    }
}
