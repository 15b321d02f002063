//! Line splitting shared by the corpus secret tests (`corpus_secrets`, `secrets_ledger`),
//! which scan `.env`, `.ini` and similar files line by line.

/// `key=value`, `key: value` or `key:` split (first `=`, or first `:` followed by a space or
/// the end of the line); the value loses one pair of surrounding quotes.
pub fn split_kv(line: &str) -> Option<(&str, &str)> {
    let eq = line.find('=');
    let colon = line
        .char_indices()
        .find(|&(i, c)| c == ':' && line[i + 1..].chars().next().is_none_or(|n| n == ' '))
        .map(|(i, _)| i);
    let i = match (eq, colon) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let key = line[..i]
        .trim()
        .trim_start_matches("- ")
        .trim_matches(|c| c == '"' || c == '\'');
    let mut value = line[i + 1..].trim();
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            value = &value[1..value.len() - 1];
        }
    }
    (!key.is_empty()).then_some((key, value))
}
