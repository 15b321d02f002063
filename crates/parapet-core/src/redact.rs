//! The one redaction service. Every text the engine emits (messages, pointers, the app name,
//! waiver fields, class paths, field names) passes through the [`Redactor`] of its evaluation.
//!
//! The walk has already found every secret in the manifest, value and span: the redactor is
//! built from those found values and replaces them (and any part of one cut short by
//! [`crate::text::truncate`]) with their display form, [`crate::secrets::redact`] — one pass
//! over the text, no second detection. Text that does not come from the walked document (a
//! file path read from a sidecar manifest, a signed approval's ticket, free text a host hands
//! in) goes through [`Redactor::redact_foreign`], which also runs the pack's secret scanner over
//! that one input.
//!
//! Matching is leftmost-longest: at the earliest position where a found secret starts, the
//! longest one found there is replaced, and the search goes on after it. An evaluation finds
//! few secrets (none, or a handful), so the redactor costs next to nothing to build: the
//! secrets are kept longest first, and a text is searched by a byte loop that only compares
//! where a secret's first byte occurs. Past [`FEW`] secrets that loop would cost a comparison
//! per secret at each such byte; an Aho-Corasick automaton over them ([`Trie`]) is then built
//! on the first search, whose cost does not grow with the number of secrets.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::secrets::{redact, SecretScanner};

/// Shortest prefix of a known secret that is still redacted when a message cuts the secret
/// short (`truncate` adds `…`): shorter prefixes say nothing about the secret.
const MIN_CUT_PREFIX: usize = 8;

/// Up to this many found secrets, texts are searched without an automaton (see the module
/// docs).
pub(crate) const FEW: usize = 32;

/// A found secret and its display form, made on first use (most found secrets are never
/// quoted by a message: their display form would be a SHA-256 for nothing).
struct Known {
    secret: Box<str>,
    shown: OnceLock<String>,
}

/// Redacts the secrets of one evaluation (see the module docs). Hosts get one from
/// [`crate::Engine::redactor`] for free text (it then knows no values and scans).
pub struct Redactor<'e> {
    scanner: &'e SecretScanner,
    /// The found secrets, distinct and non-empty, longest first (so that the first one found
    /// at a position is the longest there).
    known: Vec<Known>,
    /// The bytes a known secret starts with, as a bit set.
    starts: [u64; 4],
    /// The shortest known secret's length in bytes.
    shortest: usize,
    /// The first character of every known secret, when they all start with one ASCII
    /// character (found secrets are often all of one kind): searched for with `str::find`.
    one_first: Option<char>,
    /// Past [`FEW`] secrets: the automaton over `known`, built on first use.
    automaton: OnceLock<Trie>,
}

impl<'e> Redactor<'e> {
    /// A redactor that knows `found` (the secret strings the walk found) and scans foreign text
    /// with `scanner`.
    pub(crate) fn new<I>(scanner: &'e SecretScanner, found: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut secrets: Vec<Box<str>> = found
            .into_iter()
            .filter(|s| !s.as_ref().is_empty())
            .map(|s| Box::from(s.as_ref()))
            .collect();
        // Longest first, then by content so that duplicates are neighbours (sorting, not a
        // search per secret: linear-logarithmic however many the walk found). Two distinct
        // secrets of one length never match at one position, so their order does not matter.
        crate::sort::sort_by(&mut secrets, |a, b| {
            b.len().cmp(&a.len()).then_with(|| a.cmp(b))
        });
        secrets.dedup();
        let known: Vec<Known> = secrets
            .into_iter()
            .map(|secret| Known {
                secret,
                shown: OnceLock::new(),
            })
            .collect();
        let mut starts = [0u64; 4];
        for k in &known {
            let b = k.secret.as_bytes()[0];
            starts[usize::from(b >> 6)] |= 1 << (b & 63);
        }
        let shortest = known.last().map_or(usize::MAX, |k| k.secret.len());
        let one_first = known
            .first()
            .map(|k| k.secret.as_bytes()[0])
            .filter(|&b| b.is_ascii() && known.iter().all(|k| k.secret.as_bytes()[0] == b))
            .map(char::from);
        Self {
            scanner,
            known,
            starts,
            shortest,
            one_first,
            automaton: OnceLock::new(),
        }
    }

    /// A redactor that knows no values: for text from outside an evaluation.
    pub(crate) fn scanning(scanner: &'e SecretScanner) -> Self {
        Self::new(scanner, std::iter::empty::<&str>())
    }

    /// Whether `text` holds one of the found secrets.
    pub fn knows_secret_in(&self, text: &str) -> bool {
        self.find_at(text, 0).is_some() || self.cut_secret(text).is_some()
    }

    /// The display form of the first found secret in `text`, if any.
    pub(crate) fn first_known(&self, text: &str) -> Option<&str> {
        self.find_at(text, 0).map(|(_, _, i)| self.shown(i))
    }

    /// `text` with every found secret in it (whole, or cut short before `…`) replaced by its
    /// display form. For text built from the walked document.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.known.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out: Cow<'t, str> = Cow::Borrowed(text);
        let mut s = String::new();
        let mut at = 0;
        while let Some((start, end, i)) = self.find_at(text, at) {
            if at == 0 {
                s.reserve(text.len());
            }
            s.push_str(&text[at..start]);
            s.push_str(self.shown(i));
            at = end;
        }
        // Matches are never empty: `at` moved iff something was replaced.
        if at > 0 {
            s.push_str(&text[at..]);
            out = Cow::Owned(s);
        }
        while let Some((start, end)) = self.cut_secret(&out) {
            let shown = redact(&out[start..end]);
            let mut s = String::with_capacity(out.len());
            s.push_str(&out[..start]);
            s.push_str(&shown);
            s.push_str(&out[end..]);
            out = Cow::Owned(s);
        }
        out
    }

    /// [`Redactor::redact`], then the pack's secret scanner over what is left: for text that
    /// did not come from the walked document.
    pub fn redact_foreign(&self, text: &str) -> String {
        let known = self.redact(text);
        let found = self.scanner.scan(&known, None);
        if found.is_empty() {
            return known.into_owned();
        }
        let mut out = String::with_capacity(known.len());
        let mut at = 0;
        for m in found {
            if m.start < at {
                continue;
            }
            out.push_str(known.get(at..m.start).unwrap_or(""));
            out.push_str(&redact(known.get(m.start..m.end).unwrap_or("")));
            at = m.end;
        }
        out.push_str(known.get(at..).unwrap_or(""));
        out
    }

    /// The display form of `known[i]`.
    fn shown(&self, i: usize) -> &str {
        let k = &self.known[i];
        k.shown.get_or_init(|| redact(&k.secret))
    }

    /// The leftmost-longest found secret in `text` that starts at or after byte `from` (a char
    /// boundary): its byte range and its index in `known`.
    fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize, usize)> {
        let hay = text.as_bytes();
        // Also when `known` is empty (`shortest` is then `usize::MAX`).
        if hay.len().saturating_sub(from) < self.shortest {
            return None;
        }
        if self.known.len() > FEW {
            return self
                .automaton
                .get_or_init(|| Trie::new(self.known.iter().map(|k| k.secret.as_bytes())))
                .find_at(hay, from);
        }
        // The last position a secret can start at.
        let last = hay.len() - self.shortest;
        if let Some(c) = self.one_first {
            let mut at = from;
            // `at` stays a char boundary: `from` is one, and `c` is one byte long.
            while let Some(p) = text[at..].find(c) {
                let p = at + p;
                if p > last {
                    return None;
                }
                if let Some(m) = self.match_at(hay, p) {
                    return Some(m);
                }
                at = p + 1;
            }
            return None;
        }
        (from..=last).find_map(|at| {
            let b = hay[at];
            if self.starts[usize::from(b >> 6)] & (1 << (b & 63)) == 0 {
                return None;
            }
            self.match_at(hay, at)
        })
    }

    /// The longest known secret that starts at byte `at` of `hay`.
    fn match_at(&self, hay: &[u8], at: usize) -> Option<(usize, usize, usize)> {
        let b = hay[at];
        // Longest first: the first secret that matches here is the longest.
        self.known.iter().enumerate().find_map(|(i, k)| {
            let s = k.secret.as_bytes();
            (s[0] == b && hay[at..].starts_with(s)).then(|| (at, at + s.len(), i))
        })
    }

    /// A known secret cut short by `truncate`: the byte range of a prefix of it (at least
    /// [`MIN_CUT_PREFIX`] characters, not the whole secret) that ends right before a `…`. At
    /// the first `…` after such a prefix, the longest such prefix.
    fn cut_secret(&self, text: &str) -> Option<(usize, usize)> {
        let longest = self.known.first()?.secret.len();
        text.match_indices('…')
            .find_map(|(end, _)| self.cut_before(text.as_bytes(), end, longest))
    }

    /// The longest prefix of a known secret (as [`Redactor::cut_secret`] takes them) that
    /// ends at byte `end` of `hay`: the earliest start of one, as a byte range.
    fn cut_before(&self, hay: &[u8], end: usize, longest: usize) -> Option<(usize, usize)> {
        // A prefix is at least `MIN_CUT_PREFIX` bytes long (as it is characters long) and at
        // most all but a secret's last byte.
        let latest = end.checked_sub(MIN_CUT_PREFIX)?;
        let earliest = end.saturating_sub(longest - 1);
        for p in earliest..=latest {
            let b = hay[p];
            if self.starts[usize::from(b >> 6)] & (1 << (b & 63)) == 0 {
                continue;
            }
            let (cut, tail) = (end - p, &hay[p..end]);
            // Longest first: the secrets long enough to have a prefix of `cut` bytes.
            let Some(k) = self
                .known
                .iter()
                .take_while(|k| k.secret.len() > cut)
                .find(|k| k.secret.as_bytes().starts_with(tail))
            else {
                continue;
            };
            // `hay[p]` is a secret's first byte, so a char boundary: the prefix is whole
            // characters. Every later start leaves fewer of them, for any secret: this is
            // the only candidate.
            return (k.secret[..cut].chars().count() >= MIN_CUT_PREFIX).then_some((p, end));
        }
        None
    }
}

/// An Aho-Corasick automaton over distinct non-empty byte strings, searched leftmost-longest
/// (as [`Redactor::find_at`] searches few secrets). A byte trie: each state has its children
/// as a list (the root a table), a failure link to the state of its longest proper suffix in the
/// trie, and the longest string that ends there.
struct Trie {
    states: Vec<State>,
    /// The root's child for each byte (0: none, the root itself).
    root: Box<[u32; 256]>,
    /// Each string's length, by its index.
    lens: Vec<usize>,
}

/// One state of a [`Trie`] (0 is the root; no state's child is the root, so 0 also ends lists).
#[derive(Clone, Copy, Default)]
struct State {
    /// First child, and the next sibling in its parent's list.
    child: u32,
    sibling: u32,
    byte: u8,
    fail: u32,
    /// The number of bytes from the root.
    depth: u32,
    /// The index of the longest string that ends here (this state's own, else its failure
    /// state's), plus one; 0 for none.
    out: u32,
}

impl Trie {
    fn new<'a>(strings: impl Iterator<Item = &'a [u8]>) -> Self {
        let mut t = Trie {
            states: vec![State::default()],
            root: Box::new([0; 256]),
            lens: Vec::new(),
        };
        for (i, s) in strings.enumerate() {
            let mut at = 0;
            for &b in s {
                at = match t.child(at, b) {
                    Some(c) => c,
                    None => t.add(at, b),
                };
            }
            t.lens.push(s.len());
            t.states[at as usize].out = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        // Failure links breadth first: a state's failure state is shallower, so done before it.
        let mut queue = std::collections::VecDeque::new();
        let mut c = t.states[0].child;
        while c != 0 {
            queue.push_back(c);
            c = t.states[c as usize].sibling;
        }
        while let Some(u) = queue.pop_front() {
            let mut v = t.states[u as usize].child;
            while v != 0 {
                let b = t.states[v as usize].byte;
                let fail = t.next(t.states[u as usize].fail, b);
                let inherited = t.states[fail as usize].out;
                let st = &mut t.states[v as usize];
                st.fail = fail;
                if st.out == 0 {
                    st.out = inherited;
                }
                queue.push_back(v);
                v = st.sibling;
            }
        }
        t
    }

    fn child(&self, at: u32, b: u8) -> Option<u32> {
        if at == 0 {
            return Some(self.root[usize::from(b)]).filter(|&c| c != 0);
        }
        let mut c = self.states[at as usize].child;
        while c != 0 {
            let st = &self.states[c as usize];
            if st.byte == b {
                return Some(c);
            }
            c = st.sibling;
        }
        None
    }

    fn add(&mut self, at: u32, b: u8) -> u32 {
        let id = u32::try_from(self.states.len()).unwrap_or(u32::MAX);
        let parent = self.states[at as usize];
        self.states.push(State {
            child: 0,
            sibling: parent.child,
            byte: b,
            fail: 0,
            depth: parent.depth + 1,
            out: 0,
        });
        self.states[at as usize].child = id;
        if at == 0 {
            self.root[usize::from(b)] = id;
        }
        id
    }

    /// The state after reading `b` in state `at`.
    fn next(&self, mut at: u32, b: u8) -> u32 {
        loop {
            if let Some(c) = self.child(at, b) {
                return c;
            }
            if at == 0 {
                return 0;
            }
            at = self.states[at as usize].fail;
        }
    }

    /// The leftmost-longest string in `hay` starting at or after `from`: its byte range and
    /// index.
    fn find_at(&self, hay: &[u8], from: usize) -> Option<(usize, usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        let mut at = 0;
        for (i, &b) in hay.iter().enumerate().skip(from) {
            at = self.next(at, b);
            let st = &self.states[at as usize];
            // Every string still to be found here or later starts at or after `i + 1 - depth`.
            let earliest = i + 1 - st.depth as usize;
            if let Some(m) = best {
                if earliest > m.0 {
                    return best;
                }
            }
            if st.out != 0 {
                let idx = st.out as usize - 1;
                let start = i + 1 - self.lens[idx];
                // Earlier, or as early and longer.
                if best.is_none_or(|m| start <= m.0) {
                    best = Some((start, i + 1, idx));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::automaton::Automaton;
    use aho_corasick::nfa::contiguous::NFA;
    use aho_corasick::{Input, MatchKind};

    fn token() -> String {
        ["xoxb", "2048", "1234567890123", "Zq8Lm4Np7Rt2Vx5B"].join("-")
    }

    #[test]
    fn known_values_are_replaced_by_their_display_form() {
        let scanner = SecretScanner::new(Vec::new());
        let t = token();
        let r = Redactor::new(&scanner, [t.as_str()]);
        let msg = format!("connector \"{t}\" sends data to {t}");
        let out = r.redact(&msg);
        assert!(!out.contains(&t), "{out}");
        assert_eq!(out.matches(&redact(&t)).count(), 2, "{out}");
        assert!(matches!(r.redact("nothing here"), Cow::Borrowed(_)));
        assert!(r.knows_secret_in(&msg));
        assert!(!r.knows_secret_in("nothing here"));
    }

    #[test]
    fn a_known_secret_cut_short_is_still_redacted() {
        let scanner = SecretScanner::new(Vec::new());
        let t = token();
        let r = Redactor::new(&scanner, [t.as_str()]);
        let cut = crate::text::truncate(&t, 20);
        let msg = format!("connector \"{cut}\" is unknown");
        let out = r.redact(&msg);
        assert!(!out.contains(&t[..20]), "{out}");
        assert!(out.starts_with("connector \"xoxb"), "{out}");
    }

    #[test]
    fn foreign_text_is_scanned() {
        let scanner = SecretScanner::new(Vec::new());
        let t = token();
        let r = Redactor::scanning(&scanner);
        // Not known: `redact` leaves it, `redact_foreign` finds it.
        assert!(r.redact(&t).contains(&t));
        let out = r.redact_foreign(&format!("ticket {t}"));
        assert!(!out.contains(&t), "{out}");
        assert_eq!(r.redact_foreign("CHG-42"), "CHG-42");
    }

    /// The exact replacements: leftmost first, the longest of those starting there, then on
    /// after it; a cut-short prefix of at least `MIN_CUT_PREFIX` characters (never the whole
    /// secret, never less) right before `…`, the longest one there.
    #[test]
    fn matches_are_leftmost_longest_and_cut_prefixes_exact() {
        let scanner = SecretScanner::new(Vec::new());
        let r = Redactor::new(&scanner, ["abcdef", "abcdefgh", "cdefghij", "", "abcdef"]);
        let d = |s: &str| redact(s);
        // Leftmost wins over longer later; at one position the longest wins.
        assert_eq!(
            r.redact("xabcdefghij"),
            format!("x{}ij", d("abcdefgh")),
            "leftmost, then longest"
        );
        assert_eq!(r.redact("abcdefg"), format!("{}g", d("abcdef")));
        assert_eq!(
            r.redact("abcdefabcdef"),
            format!("{}{}", d("abcdef"), d("abcdef"))
        );
        // After a match the search goes on from its end: "cdefghij" overlapping the first
        // match is not replaced.
        assert_eq!(r.redact("abcdefghij"), format!("{}ij", d("abcdefgh")));
        assert_eq!(r.first_known("..cdefghij.."), Some(d("cdefghij").as_str()));
        assert_eq!(r.first_known("..abcde.."), None);

        let long = "sk_live_0123456789abcdef";
        let r = Redactor::new(&scanner, [long]);
        // 8 characters before `…`: redacted; 7: left; the whole secret then `…`: the whole
        // secret is replaced (by its own display form), not treated as a cut.
        assert_eq!(r.redact("k=sk_live_…"), format!("k={}…", d("sk_live_")));
        assert_eq!(r.redact("k=sk_live…"), "k=sk_live…");
        assert!(!r.knows_secret_in("k=sk_live…"));
        assert!(r.knows_secret_in("k=sk_live_0…"));
        assert_eq!(r.redact(&format!("{long}…")), format!("{}…", d(long)));
        // Prefixes are counted in characters (é is 2 bytes): 7 characters (14 bytes) are too
        // few.
        let r = Redactor::new(&scanner, ["éééééééxyz"]);
        assert_eq!(r.redact("=éééééééx…"), format!("={}…", d("éééééééx")));
        assert_eq!(r.redact("=ééééééé…"), "=ééééééé…");
        // A whole secret is replaced first; what is left is then judged as a cut.
        let r = Redactor::new(&scanner, ["éééééééxyz", "ééééééé"]);
        assert_eq!(r.redact("éééééééx…"), format!("{}x…", d("ééééééé")));
        // Of two secrets' prefixes before one `…`, the longer is replaced.
        let r = Redactor::new(&scanner, ["12345678abc", "0012345678ab"]);
        assert_eq!(r.redact("=0012345678a…"), format!("={}…", d("0012345678a")));
    }

    #[test]
    fn many_secrets_match_as_few_do() {
        let scanner = SecretScanner::new(Vec::new());
        let many: Vec<String> = (0..FEW + 8).map(|i| format!("tok{i:02}-secret")).collect();
        let r = Redactor::new(&scanner, many.iter());
        let msg = format!("a {} b {}c", many[3], many[FEW + 5]);
        assert_eq!(
            r.redact(&msg),
            format!("a {} b {}c", redact(&many[3]), redact(&many[FEW + 5]))
        );
        assert!(r.automaton.get().is_some(), "built on the first search");
        // Overlapping strings with shared prefixes and suffixes: the leftmost, then the
        // longest there, then on after it.
        let overlapping: Vec<String> = ["abcd", "bcdefg", "bc", "cdefgh", "abcdex", "e", "fgh"]
            .iter()
            .map(|s| s.to_string())
            .chain((0..FEW).map(|i| format!("filler{i:02}")))
            .collect();
        let r = Redactor::new(&scanner, overlapping.iter());
        let d = |s: &str| redact(s);
        assert_eq!(
            r.redact("abcdefgh"),
            format!("{}{}{}", d("abcd"), d("e"), d("fgh"))
        );
        assert_eq!(r.redact("xbcdefgh"), format!("x{}h", d("bcdefg")));
        assert_eq!(r.redact("abcdexbc"), format!("{}{}", d("abcdex"), d("bc")));
        assert_eq!(r.redact("zzcdefgh!"), format!("zz{}!", d("cdefgh")));
        let few = Redactor::new(&scanner, many[..FEW].iter());
        assert!(few.redact(&msg).contains(&many[FEW + 5]));
        assert!(
            few.automaton.get().is_none(),
            "no automaton for few secrets"
        );
    }

    /// The redactor as it was before the byte-loop search (an Aho-Corasick automaton over every
    /// evaluation's secrets, built on construction; display forms made up front): the new one
    /// must replace exactly the same substrings.
    struct Reference {
        known: Vec<(Box<str>, String)>,
        automaton: Option<NFA>,
    }

    impl Reference {
        fn new(found: &[String]) -> Self {
            let mut known: Vec<(Box<str>, String)> = Vec::new();
            for s in found {
                if s.is_empty() || known.iter().any(|(k, _)| **k == **s) {
                    continue;
                }
                known.push((s.as_str().into(), redact(s)));
            }
            let automaton = (!known.is_empty())
                .then(|| {
                    NFA::builder()
                        .match_kind(MatchKind::LeftmostLongest)
                        .prefilter(false)
                        .build(known.iter().map(|(k, _)| k.as_bytes()))
                        .ok()
                })
                .flatten();
            Self { known, automaton }
        }

        fn knows_secret_in(&self, text: &str) -> bool {
            self.automaton
                .as_ref()
                .is_some_and(|a| matches!(a.try_find(&Input::new(text)), Ok(Some(_))))
                || self.cut_secret(text).is_some()
        }

        fn first_known(&self, text: &str) -> Option<&str> {
            let m = self
                .automaton
                .as_ref()?
                .try_find(&Input::new(text))
                .ok()??;
            self.known
                .get(m.pattern().as_usize())
                .map(|(_, r)| r.as_str())
        }

        fn redact(&self, text: &str) -> String {
            let mut out: Cow<'_, str> = Cow::Borrowed(text);
            if let Some(Ok(matches)) = self
                .automaton
                .as_ref()
                .map(|a| a.try_find_iter(Input::new(text)))
            {
                let mut s = String::new();
                let mut at = 0;
                for m in matches {
                    s.push_str(&text[at..m.start()]);
                    s.push_str(&self.known[m.pattern().as_usize()].1);
                    at = m.end();
                }
                if at > 0 {
                    s.push_str(&text[at..]);
                    out = Cow::Owned(s);
                }
            }
            while let Some((start, end)) = self.cut_secret(&out) {
                let shown = redact(&out[start..end]);
                let mut s = String::with_capacity(out.len());
                s.push_str(&out[..start]);
                s.push_str(&shown);
                s.push_str(&out[end..]);
                out = Cow::Owned(s);
            }
            out.into_owned()
        }

        fn cut_secret(&self, text: &str) -> Option<(usize, usize)> {
            if self.known.is_empty() {
                return None;
            }
            for (end, _) in text.match_indices('…') {
                let before = &text[..end];
                let mut best: Option<usize> = None;
                for (secret, _) in &self.known {
                    let mut chars = secret.chars().count();
                    for (cut, _) in secret.char_indices().rev() {
                        chars -= 1;
                        if cut == 0 || chars < MIN_CUT_PREFIX {
                            break;
                        }
                        let prefix = &secret[..cut];
                        if before.ends_with(prefix) {
                            best = Some(best.map_or(cut, |b: usize| b.max(cut)));
                            break;
                        }
                    }
                }
                if let Some(len) = best {
                    return Some((end - len, end));
                }
            }
            None
        }
    }

    mod same_as_reference {
        use super::*;
        use proptest::prelude::*;

        /// Secrets and texts over a small alphabet (so that they overlap, share prefixes and
        /// first bytes), with a multi-byte letter and the `…` that marks a cut.
        fn piece() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop_oneof![
                    8 => proptest::sample::select(vec!['a', 'b', 'c']),
                    1 => Just('é'),
                    1 => Just('-'),
                ],
                0..14,
            )
            .prop_map(|v| v.into_iter().collect())
        }

        /// A text made of secrets, their prefixes (often cut with `…`), filler and `…`.
        fn text(secrets: Vec<String>) -> impl Strategy<Value = String> {
            let n = secrets.len().max(1);
            proptest::collection::vec((0..n, 0usize..20, 0u8..6, piece()), 0..8).prop_map(
                move |parts| {
                    let mut t = String::new();
                    for (i, cut, how, filler) in parts {
                        let s = secrets.get(i).map_or("", String::as_str);
                        match how {
                            0 | 1 => t.push_str(s),
                            2 | 3 => {
                                let c: String = s.chars().take(cut).collect();
                                t.push_str(&c);
                                t.push('…');
                            }
                            4 => t.push('…'),
                            _ => t.push_str(&filler),
                        }
                        if how % 2 == 1 {
                            t.push_str(&filler);
                        }
                    }
                    t
                },
            )
        }

        fn case(count: std::ops::Range<usize>) -> impl Strategy<Value = (Vec<String>, String)> {
            proptest::collection::vec(piece(), count)
                .prop_flat_map(|secrets| (Just(secrets.clone()), text(secrets)))
        }

        fn check(secrets: &[String], text: &str) -> Result<(), TestCaseError> {
            let scanner = SecretScanner::new(Vec::new());
            let new = Redactor::new(&scanner, secrets.iter());
            let old = Reference::new(secrets);
            prop_assert_eq!(new.redact(text).into_owned(), old.redact(text));
            prop_assert_eq!(new.knows_secret_in(text), old.knows_secret_in(text));
            prop_assert_eq!(new.first_known(text), old.first_known(text));
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]
            #[test]
            fn few_secrets((secrets, text) in case(0..6)) {
                check(&secrets, &text)?;
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]
            #[test]
            fn many_secrets((secrets, text) in case(FEW - 2..FEW + 6)) {
                check(&secrets, &text)?;
            }
        }
    }
}
