//! Small text helpers shared by messages.

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    // No more bytes than `max`: no more characters either (most names, ids and types).
    if s.len() <= max {
        return s.to_string();
    }
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

/// Levenshtein distance, bounded to short inputs (field names).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Case-insensitive glob match where `*` matches any run of characters (including none).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        // ASCII lowercasing maps one byte to one byte: match the bytes, without allocating.
        let p: &[u8] = pattern.as_bytes();
        let t: &[u8] = text.as_bytes();
        return glob_match_by(
            p,
            t,
            |a, b| a.eq_ignore_ascii_case(b) || *a == b'?',
            |c| *c == b'*',
        );
    }
    let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    glob_match_by(&p, &t, |a, b| a == b || *a == '?', |c| *c == '*')
}

/// The glob matcher of [`glob_match`] over lowercased characters: `eq(p, t)` matches one
/// pattern character, `is_star(p)` tells a `*`.
fn glob_match_by<T>(
    p: &[T],
    t: &[T],
    eq: impl Fn(&T, &T) -> bool,
    is_star: impl Fn(&T) -> bool,
) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && eq(&p[pi], &t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && is_star(&p[pi]) {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && is_star(&p[pi]) {
        pi += 1;
    }
    pi == p.len()
}

/// Scheme and host of an absolute URL, lowercased, without port or credentials.
pub(crate) fn url_host(url: &str) -> Option<(String, String)> {
    url_parts(url).map(|(scheme, host)| (scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// [`url_host`] as written (not lowercased), borrowed from `url`.
pub(crate) fn url_parts(url: &str) -> Option<(&str, &str)> {
    let t = url.trim();
    // The first `://` (a byte search: no substring searcher to set up for one short URL).
    let b = t.as_bytes();
    let at = (0..b.len().saturating_sub(2))
        .find(|&i| b[i] == b':' && b[i + 1] == b'/' && b[i + 2] == b'/')?;
    let (scheme, rest) = (t.get(..at)?, t.get(at + 3..)?);
    // Every cut below is at an ASCII byte: a character boundary.
    let upto =
        |s: &str, stop: fn(u8) -> bool| -> usize { s.bytes().position(stop).unwrap_or(s.len()) };
    let authority = rest.get(..upto(rest, |c| matches!(c, b'/' | b'?' | b'#')))?;
    let hostport = match authority.bytes().rposition(|c| c == b'@') {
        Some(i) => authority.get(i + 1..)?,
        None => authority,
    };
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.get(..upto(v6, |c| c == b']'))?
    } else {
        hostport.get(..upto(hostport, |c| c == b':'))?
    };
    if host.is_empty() || scheme.is_empty() {
        return None;
    }
    Some((scheme, host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.corp.example", "api.corp.example"));
        assert!(!glob_match("*.corp.example", "corp.example.evil.io"));
        assert!(glob_match(
            "integration/*",
            "integration/external-connector"
        ));
        assert!(glob_match("*", "anything"));
        assert!(!glob_match("*.ngrok.io", "ngrok.io.example"));
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("conectors", "connectors"), 1);
        assert_eq!(truncate("abcdef", 3), "abc…");
    }

    #[test]
    fn truncation_counts_characters_not_bytes() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("", 0), "");
        // More bytes than the limit, not more characters: kept whole.
        assert_eq!(truncate("ééé", 3), "ééé");
        assert_eq!(truncate("éééé", 3), "ééé…");
        assert_eq!(truncate("a😀b", 2), "a😀…");
    }
}
