//! One answer to "is this value a stand-in rather than a real one?" (an expression, a
//! reference, a mask, a placeholder word), for the secret scanner and the data classifier. The
//! two ask different questions, so the caller says which: see [`PlaceholderFor`].

use crate::words::{
    contains_any_ci, dominant_ratio, has_code, listed_ignore_ascii_case, periodic, sequence_ratio,
    word_codes, Words,
};

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlaceholderFor {
    /// The secret scanner: references (`vault:`, `env:`, `${VAR}`), expressions, masks and
    /// filler (`****`, `xxxx`), placeholder words anywhere in the value (`your_api_key`,
    /// `changeme`), low-variety or sequential values (`aaaaaaaa`, `12345678`) and
    /// `ENV_VAR_NAME`s are never a plaintext secret.
    Secret,
    /// The data classifier: expressions and references, masks, `<your …>`, `YOUR_…`/`insert…`
    /// prompts and the words that say "no value" (`n/a`, `none`, `true`) are never personal
    /// data; a repetitive value can still be (`5555555555` is a phone number's shape).
    Data,
}

/// Whether `s` is a stand-in rather than a value, as `who` judges it.
pub(crate) fn is_placeholder(s: &str, who: PlaceholderFor) -> bool {
    match who {
        PlaceholderFor::Secret => secret_placeholder(s),
        PlaceholderFor::Data => data_placeholder(s),
    }
}

word_codes!(
    /// Segments of a value, for placeholder words.
    PLACEHOLDER_SEGMENTS = [
    "your",
    "yours",
    "example",
    "examples",
    "sample",
    "samples",
    "dummy",
    "fake",
    "placeholder",
    "changeme",
    "replace",
    "replaceme",
    "insert",
    "enter",
    "here",
    "todo",
    "tbd",
    "fixme",
    "redacted",
    "masked",
    "hidden",
    "demo",
    "mock",
    "foo",
    "baz",
    "lorem",
    "ipsum",
    "notreal",
    "test",
    "testing",
    "my",
    "undefined",
    "null",
    "none",
    "nil",
]
);
/// Substrings (of the lowercase alphanumerics) that mark a placeholder.
const PLACEHOLDER_INFIXES: &[&str] = &[
    "placeholder",
    "example",
    "changeme",
    "replaceme",
    "redacted",
    "dummy",
    "yourapi",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpass",
    "insertyour",
    "enteryour",
    "xxxx",
];
/// Prefixes (lowercase) of references and encrypted values.
const REFERENCE_PREFIXES: &[&str] = &[
    "vault:",
    "secret:",
    "secrets:",
    "env:",
    "op://",
    "arn:aws:secretsmanager",
    "arn:aws:ssm",
    "arn:aws:kms",
    "secretref",
    "keyvault:",
    "akv:",
    "awssm:",
    "sm://",
    "ref+",
    "secure:",
    "enc[",
    "enc:",
    "encrypted:",
    "u2fsdgvkx1",
    "$ansible_vault",
    "process.env",
    "os.environ",
    "import.meta.env",
    "env.",
    "getenv",
    "!ref",
    "!sub",
    "!getatt",
    "file:",
    "sha1-",
    "sha256-",
    "sha384-",
    "sha512-",
    "sha256:",
    "azurekeyvault",
    "@microsoft.keyvault",
    "kms:",
    "gcpsm:",
    "projects/",
    "cipher:",
    "aes:",
    "***",
];

/// For the secret scanner: references, expressions, masks, filler and placeholder words.
fn secret_placeholder(s: &str) -> bool {
    let t = s.trim();
    let b = t.as_bytes();
    let Some(&first) = b.first() else {
        return true;
    };
    let last = b[b.len() - 1];
    if contains_any_ci(b, &["{{", "${", "#{", "<%", "$(", "%(", "{%"]) {
        return true;
    }
    // n8n expressions, Logic Apps / Power Automate expressions, shell/env references.
    if (first == b'=' && (t.contains("{{") || t.contains('$')))
        || (first == b'@' && (t.contains('(') || t.contains('{')))
        || first == b'$'
        || (first == b'%' && last == b'%')
        || (first == b'<' || (t.contains('<') && t.contains('>')))
        || (first == b'[' && last == b']')
        || (first == b'(' && last == b')')
        || (first == b'{' && last == b'}')
    {
        return true;
    }
    if REFERENCE_PREFIXES.iter().any(|p| {
        b.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    }) {
        return true;
    }
    // ENV_VAR_NAME style references (and YOUR_API_KEY).
    if first.is_ascii_uppercase()
        && b.contains(&b'_')
        && b.iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
    {
        return true;
    }
    // Masks and filler.
    let fill = b
        .iter()
        .filter(|&&c| matches!(c, b'*' | b'x' | b'X' | b'#' | b'?' | b'.'))
        .count();
    if fill * 2 >= b.len()
        || b.windows(3).any(|w| w == b"***")
        || (!t.is_ascii() && (t.contains('•') || t.contains('…')))
    {
        return true;
    }
    if dominant_ratio(b) > 0.6 || sequence_ratio(b) >= 0.5 || periodic(b) {
        return true;
    }
    // The infixes are searched in the value's alphanumerics (lowercase, as the infixes).
    let mut small = [0u8; 256];
    let mut large = Vec::new();
    let alnum: &[u8] = if b.len() <= small.len() {
        let mut n = 0;
        for &c in b.iter().filter(|c| c.is_ascii_alphanumeric()) {
            small[n] = c.to_ascii_lowercase();
            n += 1;
        }
        &small[..n]
    } else {
        large.extend(
            b.iter()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(u8::to_ascii_lowercase),
        );
        &large
    };
    if contains_any_ci(alnum, PLACEHOLDER_INFIXES) {
        return true;
    }
    Words::of(b)
        .codes()
        .iter()
        .any(|&w| has_code(PLACEHOLDER_SEGMENTS, w))
}

/// For the classifier: an expression, reference or placeholder rather than a value: `{{ $json.email }}`, `=...`
/// (n8n), `${VAR}`, `@{...}`/`@parameters(...)` (Logic Apps), `<your key>`, `xxxx`, `****`,
/// `YOUR_API_KEY`, `null`...
fn data_placeholder(s: &str) -> bool {
    let s = s.trim();
    if s.chars().count() < 2 || no_value_word(s) {
        return true;
    }
    const MARKERS: [&str; 14] = [
        "{{",
        "}}",
        "${",
        "$(",
        "<%",
        "%>",
        "process.env",
        "$env",
        "env(",
        "@parameters(",
        "[parameters(",
        "xxxx",
        "****",
        "keyvault",
    ];
    let b = s.as_bytes();
    // One pass over the value, ignoring ASCII case, trying only the markers that start with
    // the byte at hand (as `to_ascii_lowercase().contains(marker)` for each marker).
    let has_marker = (0..b.len()).any(|i| {
        let c = b[i].to_ascii_lowercase();
        matches!(
            c,
            b'{' | b'}' | b'$' | b'<' | b'%' | b'p' | b'e' | b'@' | b'[' | b'x' | b'*' | b'k'
        ) && MARKERS.iter().any(|m| {
            m.as_bytes()[0] == c
                && b.get(i..i + m.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(m.as_bytes()))
        })
    });
    if has_marker || (!s.is_ascii() && (s.contains("•••") || s.contains('…'))) {
        return true;
    }
    if s.starts_with('=')
        || s.starts_with("@{")
        || (s.starts_with('$') && s.len() > 1 && s.as_bytes()[1].is_ascii_alphabetic())
    {
        return true;
    }
    if (s.starts_with('<') && s.ends_with('>')) || (s.starts_with('%') && s.ends_with('%')) {
        return true;
    }
    let starts = |p: &str| {
        b.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    starts("your") || starts("<your") || starts("insert") || starts("enter ") || starts("replace")
}

pub(crate) static NO_VALUE_WORDS: &str =
    "*** - ? changeme_placeholder empty example false hidden n/a na nil no none null placeholder \
    redacted sample string tbd test todo true undefined unknown xxx yes";

/// One of the words that say "no value" (`n/a`, `none`, `null`, `tbd`, ...), any case.
pub(crate) fn no_value_word(s: &str) -> bool {
    listed_ignore_ascii_case(NO_VALUE_WORDS, s)
}

#[cfg(test)]
mod tests {
    use super::{is_placeholder, PlaceholderFor};

    #[test]
    fn both_callers_agree_on_references_and_masks() {
        for s in [
            "${SLACK_TOKEN}",
            "{{ $json.email }}",
            "****",
            "<your key>",
            "YOUR_API_KEY",
        ] {
            assert!(is_placeholder(s, PlaceholderFor::Secret), "{s}");
            assert!(is_placeholder(s, PlaceholderFor::Data), "{s}");
        }
        for s in ["Wq9xT2vLp7Rz", "Jane Doe"] {
            assert!(!is_placeholder(s, PlaceholderFor::Secret), "{s}");
            assert!(!is_placeholder(s, PlaceholderFor::Data), "{s}");
        }
    }

    #[test]
    fn they_differ_where_the_question_differs() {
        // A sequential run is no secret, but it is a plausible account or phone number.
        assert!(is_placeholder("12345678", PlaceholderFor::Secret));
        assert!(!is_placeholder("12345678", PlaceholderFor::Data));
    }
}
