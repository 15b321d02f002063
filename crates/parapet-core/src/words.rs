//! Words and word shapes, shared by the placeholder rules, the data classifier and the secret
//! scanner: sorted word lists searched in place, a key's words, and the measures of filler
//! (one dominant byte, a run of sequential bytes, a repeated period). A leaf: it imports nothing
//! from the crate.

/// `w` is one of the words of a word list: words separated by single spaces, sorted
/// (bytewise), no duplicates.
pub(crate) fn listed(list: &str, w: &str) -> bool {
    search(list, |x| cmp_bytes(x, w.as_bytes()))
}

/// `a.cmp(b)` for the short words of the lists, without a call to `memcmp`.
#[inline]
fn cmp_bytes(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Binary search of a word list (see [`listed`]) with `cmp` (the order of a listed word
/// relative to the word looked for), straight on the list's bytes.
pub(crate) fn search(list: &str, cmp: impl Fn(&[u8]) -> std::cmp::Ordering) -> bool {
    let b = list.as_bytes();
    // `lo` is the start of a word, `hi` the end of one (or `lo`): the words left to look at.
    let (mut lo, mut hi) = (0, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = b[lo..mid]
            .iter()
            .rposition(|&c| c == b' ')
            .map_or(lo, |p| lo + p + 1);
        let end = b[mid..hi]
            .iter()
            .position(|&c| c == b' ')
            .map_or(hi, |p| mid + p);
        match cmp(&b[start..end]) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start.saturating_sub(1).max(lo),
        }
    }
    false
}

/// `w`, lowercased, is one of the words of a sorted list (no allocation for ASCII words).
pub(crate) fn listed_lowercase(list: &str, w: &str) -> bool {
    if w.is_ascii() {
        listed_ignore_ascii_case(list, w)
    } else {
        listed(list, &w.to_lowercase())
    }
}

/// [`listed`], ignoring ASCII case (the list is lowercase).
pub(crate) fn listed_ignore_ascii_case(list: &str, w: &str) -> bool {
    let mut buf = [0u8; 32];
    let Some(dst) = buf.get_mut(..w.len()) else {
        return false; // longer than any listed word
    };
    dst.copy_from_slice(w.as_bytes());
    dst.make_ascii_lowercase();
    std::str::from_utf8(dst).is_ok_and(|l| listed(list, l))
}

/// Share of the most frequent byte.
pub(crate) fn dominant_ratio(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    f64::from(max) / s.len() as f64
}

/// Per byte: the lowercase byte that follows it in an ascending run (`0`..`9` then `0`, `a`..`z`,
/// either case), or 0x100 (none).
const SUCC: [u16; 256] = {
    let mut t = [0x100u16; 256];
    let mut c = 0usize;
    while c < 256 {
        let l = (c as u8).to_ascii_lowercase();
        t[c] = match l {
            b'0'..=b'8' | b'a'..=b'y' => l as u16 + 1,
            b'9' => b'0' as u16,
            _ => 0x100,
        };
        c += 1;
    }
    t
};

/// `b` follows `a` in an ascending run, ignoring case (`3` -> `4`, `9` -> `0`, `c` -> `D`).
#[inline]
fn step_up(a: u8, b: u8) -> bool {
    SUCC[usize::from(a)] == u16::from(b.to_ascii_lowercase())
}

/// Share of alphanumeric bytes inside ascending or descending runs of 4 or more
/// (`123456789a1234` -> 0.93, `abcdef...`), i.e. keyboard-filler rather than a secret.
pub(crate) fn sequence_ratio(s: &[u8]) -> f64 {
    let alnum = s.iter().filter(|c| c.is_ascii_alphanumeric()).count();
    if alnum == 0 {
        return 0.0;
    }
    let mut covered = 0usize;
    let mut i = 0;
    while i < s.len() {
        let mut up = i + 1;
        while up < s.len() && step_up(s[up - 1], s[up]) {
            up += 1;
        }
        let mut down = i + 1;
        while down < s.len() && step_up(s[down], s[down - 1]) {
            down += 1;
        }
        let len = up.max(down) - i;
        if len >= 4 {
            covered += len;
            i += len;
        } else {
            i += 1;
        }
    }
    covered as f64 / alnum as f64
}

/// The whole value repeats a unit of at most 4 bytes (`abcabcabc`, `passpass`).
pub(crate) fn periodic(s: &[u8]) -> bool {
    (1..=4).any(|p| s.len() >= 2 * p && s.iter().enumerate().all(|(i, &c)| c == s[i % p]))
}

/// The lowercase words of an identifier or value, as [`code`]s: split on non-alphanumerics
/// and camelCase (`dashboardAuthToken` -> dashboard, auth, token; `APIKey` -> api, key). Looks
/// at no more than the last 128 bytes and keeps at most the last 16 words.
pub(crate) struct Words {
    /// Per word: its [`code`] ([`LONG`] past 16 bytes).
    code: [u128; 16],
    /// Per word: its [`tail`].
    tail: [u128; 16],
    /// Per word: its length.
    len: [usize; 16],
    n: usize,
}

impl Words {
    pub(crate) fn of(s: &[u8]) -> Words {
        let s = &s[s.len().saturating_sub(128)..];
        // A ring of the last 16 words (in order unless there are more).
        let mut ring = Words {
            code: [0; 16],
            tail: [0; 16],
            len: [0; 16],
            n: 0,
        };
        let mut seen = 0usize;
        let mut push = |acc: u128, len: usize| {
            let at = seen % 16;
            ring.code[at] = if len > 16 { LONG } else { acc };
            ring.tail[at] = acc;
            ring.len[at] = len;
            seen += 1;
        };
        // The word being read: its last 16 bytes (lowercase) and its length.
        let mut acc = 0u128;
        let mut len = 0usize;
        for i in 0..s.len() {
            let c = s[i];
            if !c.is_ascii_alphanumeric() {
                if len > 0 {
                    push(acc, len);
                    (acc, len) = (0, 0);
                }
                continue;
            }
            if len > 0 {
                let p = s[i - 1];
                let next_lower = s.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                let boundary = (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                    || (p.is_ascii_uppercase() && c.is_ascii_uppercase() && next_lower);
                if boundary {
                    push(acc, len);
                    (acc, len) = (0, 0);
                }
            }
            acc = acc << 8 | u128::from(c.to_ascii_lowercase());
            len += 1;
        }
        if len > 0 {
            push(acc, len);
        }
        // Past 16 words, the oldest kept one is at `seen % 16`.
        if seen > 16 {
            ring.code.rotate_left(seen % 16);
            ring.tail.rotate_left(seen % 16);
            ring.len.rotate_left(seen % 16);
        }
        ring.n = seen.min(16);
        ring
    }

    /// The words' codes, in order.
    pub(crate) fn codes(&self) -> &[u128] {
        &self.code[..self.n]
    }

    /// One of the words is `w` (a code).
    pub(crate) fn has(&self, w: u128) -> bool {
        self.codes().contains(&w)
    }

    /// Some word ends with one of `suffixes` (see [`suffix_codes`]).
    pub(crate) fn any_ends_with(&self, suffixes: &[(u128, usize)]) -> bool {
        (0..self.n).any(|i| {
            suffixes
                .iter()
                .any(|&s| ends_with_code(self.len[i], self.tail[i], s))
        })
    }
}

/// A word of at most 16 bytes as one integer (its bytes, big-endian), so that a look-up in a
/// word list is a comparison of integers: equal words (no NUL bytes) have equal codes. Longer
/// words get [`LONG`], which is in no list built by [`codes`].
pub(crate) const fn code(w: &[u8]) -> u128 {
    if w.len() > 16 {
        return LONG;
    }
    tail(w)
}

/// The code of a word longer than 16 bytes.
pub(crate) const LONG: u128 = u128::MAX;

/// The last (at most) 16 bytes of `w`, big-endian: `tail(w) & mask(n) == code(s)` when `w`
/// ends with `s` of `n <= 15` bytes.
pub(crate) const fn tail(w: &[u8]) -> u128 {
    let mut x = 0u128;
    let mut i = w.len().saturating_sub(16);
    while i < w.len() {
        x = x << 8 | w[i] as u128;
        i += 1;
    }
    x
}

/// `w` (with its [`tail`]) ends with `suffix`, a word given by its code and length (< 16).
#[inline]
pub(crate) fn ends_with_code(w_len: usize, w_tail: u128, suffix: (u128, usize)) -> bool {
    w_len >= suffix.1 && w_tail & ((1u128 << (8 * suffix.1)) - 1) == suffix.0
}

/// The codes of a word list, sorted, for [`has_code`]. Panics (at compile time, where it is
/// used) on a word longer than 16 bytes or with a NUL byte.
pub(crate) const fn codes<const N: usize>(words: &[&str]) -> [u128; N] {
    let mut out = [0u128; N];
    let mut i = 0;
    while i < N {
        let w = words[i].as_bytes();
        assert!(w.len() <= 16, "word list entries are at most 16 bytes");
        let mut j = 0;
        while j < w.len() {
            assert!(w[j] != 0, "no NUL bytes in word lists");
            j += 1;
        }
        out[i] = code(w);
        i += 1;
    }
    // Insertion sort (const).
    let mut i = 1;
    while i < N {
        let x = out[i];
        let mut j = i;
        while j > 0 && out[j - 1] > x {
            out[j] = out[j - 1];
            j -= 1;
        }
        out[j] = x;
        i += 1;
    }
    out
}

/// Codes and lengths of suffixes, for [`ends_with_code`].
pub(crate) const fn suffix_codes<const N: usize>(words: &[&str]) -> [(u128, usize); N] {
    let mut out = [(0u128, 0usize); N];
    let mut i = 0;
    while i < N {
        let w = words[i].as_bytes();
        assert!(w.len() < 16, "suffixes are shorter than 16 bytes");
        out[i] = (code(w), w.len());
        i += 1;
    }
    out
}

/// `c` is one of the sorted `codes`.
#[inline]
pub(crate) fn has_code(codes: &[u128], c: u128) -> bool {
    c != LONG && codes.binary_search(&c).is_ok()
}

/// A word list searched by code: `word_codes!(NAME = ["a", "b"])` defines `NAME: &[u128]`.
macro_rules! word_codes {
    ($(#[$m:meta])* $name:ident = [$($w:literal),* $(,)?]) => {
        $(#[$m])*
        const $name: &[u128] = &{
            const WORDS: &[&str] = &[$($w),*];
            $crate::words::codes::<{ WORDS.len() }>(WORDS)
        };
    };
}
pub(crate) use word_codes;

/// Some of `needles` (lowercase ASCII, none empty) occurs in `hay`, ignoring ASCII case: one
/// pass, trying only the needles that start with the byte at hand.
pub(crate) fn contains_any_ci(hay: &[u8], needles: &[&str]) -> bool {
    // A bit per possible first byte (ASCII).
    let mut firsts = [0u64; 2];
    for n in needles {
        if let Some(&c) = n.as_bytes().first() {
            firsts[usize::from(c >> 6) & 1] |= 1 << (c & 63);
        }
    }
    (0..hay.len()).any(|i| {
        let c = hay[i].to_ascii_lowercase();
        c < 128
            && firsts[usize::from(c >> 6) & 1] >> (c & 63) & 1 == 1
            && needles.iter().any(|n| {
                let n = n.as_bytes();
                n.first() == Some(&c)
                    && hay
                        .get(i..i + n.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(n))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::{code, codes, ends_with_code, has_code, step_up, suffix_codes, Words, LONG};

    /// [`step_up`] is the rule it replaced, for every pair of bytes.
    #[test]
    fn step_up_is_the_rule_for_every_byte_pair() {
        let rule = |a: u8, b: u8| {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            (a.is_ascii_alphanumeric()
                && b == a.wrapping_add(1)
                && b.is_ascii_alphanumeric()
                && a.is_ascii_digit() == b.is_ascii_digit())
                || (a == b'9' && b == b'0')
        };
        let mut ups = 0;
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(step_up(a, b), rule(a, b), "{a} {b}");
                ups += usize::from(rule(a, b));
            }
        }
        assert!(ups > 60, "{ups}");
    }

    #[test]
    fn words_split_on_case_and_punctuation_and_keep_the_last_sixteen() {
        let w = Words::of(b"dashboardAuthToken");
        assert_eq!(
            w.codes(),
            [code(b"dashboard"), code(b"auth"), code(b"token")]
        );
        let w = Words::of(b"X-APIKey_v2");
        assert_eq!(
            w.codes(),
            [code(b"x"), code(b"api"), code(b"key"), code(b"v2")]
        );
        let many: String = (0..20).map(|i| format!("w{i}_")).collect();
        let w = Words::of(many.as_bytes());
        assert_eq!(w.codes().len(), 16);
        assert_eq!(w.codes()[0], code(b"w4"));
        assert_eq!(w.codes()[15], code(b"w19"));
        assert!(Words::of(b"").codes().is_empty());
    }

    #[test]
    fn long_words_match_no_list_word_but_keep_their_suffix() {
        let w = Words::of(b"averyveryverylongclientsecret");
        assert_eq!(w.codes(), [LONG]);
        const LIST: [u128; 2] = codes(&["secret", "clientsecret"]);
        assert!(!has_code(&LIST, w.codes()[0]));
        const SUF: [(u128, usize); 1] = suffix_codes(&["secret"]);
        assert!(w.any_ends_with(&SUF));
        assert!(!Words::of(b"secrets").any_ends_with(&SUF));
        assert!(ends_with_code(6, code(b"secret"), SUF[0]));
        assert!(has_code(&LIST, code(b"clientsecret")));
        assert!(!has_code(&LIST, code(b"client")));
    }
}
