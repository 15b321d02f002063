//! Small byte-level helpers: character classes, entropy, base64, filler detection.

/// The byte at `i`, or 0 past the end (0 is in no character class used here).
pub(super) fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// The byte before `i`, or 0 at the start.
pub(super) fn prev(b: &[u8], i: usize) -> u8 {
    if i == 0 {
        0
    } else {
        at(b, i - 1)
    }
}

/// End of the run of bytes satisfying `f` from `from`, looking at no more than `max` bytes.
pub(super) fn run(b: &[u8], from: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    let lim = from.saturating_add(max).min(b.len());
    let mut i = from.min(lim);
    while i < lim && f(b[i]) {
        i += 1;
    }
    i
}

/// Start of the run of bytes satisfying `f` that ends at `to`, looking back at most `max`.
pub(super) fn run_back(b: &[u8], to: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    let to = to.min(b.len());
    let lim = to.saturating_sub(max);
    let mut i = to;
    while i > lim && f(b[i - 1]) {
        i -= 1;
    }
    i
}

pub(super) fn starts_with_at(b: &[u8], i: usize, pat: &[u8]) -> bool {
    b.get(i..i.saturating_add(pat.len())) == Some(pat)
}

pub(super) fn starts_with_at_ci(b: &[u8], i: usize, pat: &[u8]) -> bool {
    b.get(i..i.saturating_add(pat.len()))
        .is_some_and(|s| s.eq_ignore_ascii_case(pat))
}

pub(super) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

pub(super) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(super) fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}
pub(super) fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}
pub(super) fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}
pub(super) fn is_b64std(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'='
}
pub(super) fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}
pub(crate) fn is_lower_hex(c: u8) -> bool {
    c.is_ascii_digit() || (b'a'..=b'f').contains(&c)
}

/// Shannon entropy in bits per byte.
pub(super) fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

pub(super) fn distinct(s: &[u8]) -> usize {
    let mut seen = [false; 256];
    let mut n = 0;
    for &b in s {
        if !seen[b as usize] {
            seen[b as usize] = true;
            n += 1;
        }
    }
    n
}

/// Decodes standard or URL-safe base64 (padding optional), stopping after `cap` output bytes.
/// `None` if a byte is outside the alphabet or data follows padding.
pub(super) fn b64_decode(s: &[u8], cap: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity((s.len() * 3 / 4).min(cap));
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut pad = false;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                pad = true;
                continue;
            }
            _ => return None,
        };
        if pad {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
            if out.len() >= cap {
                break;
            }
        }
    }
    Some(out)
}

/// Share of printable ASCII (plus tab/newline) in decoded bytes.
pub(super) fn printable_ratio(d: &[u8]) -> f64 {
    if d.is_empty() {
        return 0.0;
    }
    let n = d
        .iter()
        .filter(|&&c| (0x20..0x7f).contains(&c) || c == b'\n' || c == b'\t')
        .count();
    n as f64 / d.len() as f64
}

/// Canonical UUID shape (8-4-4-4-12 hex).
pub(super) fn is_uuid(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                is_hex(c)
            }
        })
}
