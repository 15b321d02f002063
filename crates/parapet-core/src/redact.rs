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

use std::borrow::Cow;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Input, MatchKind};

use crate::secrets::{redact, SecretScanner};

/// Shortest prefix of a known secret that is still redacted when a message cuts the secret
/// short (`truncate` adds `…`): shorter prefixes say nothing about the secret.
const MIN_CUT_PREFIX: usize = 8;

/// Redacts the secrets of one evaluation (see the module docs). Hosts get one from
/// [`crate::Engine::redactor`] for free text (it then knows no values and scans).
pub struct Redactor<'e> {
    scanner: &'e SecretScanner,
    /// The found secrets, each with its display form.
    known: Vec<(Box<str>, String)>,
    /// Leftmost-longest matcher over `known`: the contiguous NFA used directly, as in
    /// `secrets::detect` (`AhoCorasick` links every automaton kind, its prefilters and their
    /// search loops into the wasm build: +45 KB).
    automaton: Option<NFA>,
}

impl<'e> Redactor<'e> {
    /// A redactor that knows `found` (the secret strings the walk found) and scans foreign text
    /// with `scanner`.
    pub(crate) fn new<I>(scanner: &'e SecretScanner, found: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut known: Vec<(Box<str>, String)> = Vec::new();
        for s in found {
            let s = s.as_ref();
            if s.is_empty() || known.iter().any(|(k, _)| &**k == s) {
                continue;
            }
            known.push((s.into(), redact(s)));
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
        Self {
            scanner,
            known,
            automaton,
        }
    }

    /// A redactor that knows no values: for text from outside an evaluation.
    pub(crate) fn scanning(scanner: &'e SecretScanner) -> Self {
        Self::new(scanner, std::iter::empty::<&str>())
    }

    /// Whether `text` holds one of the found secrets.
    pub fn knows_secret_in(&self, text: &str) -> bool {
        self.automaton
            .as_ref()
            .is_some_and(|a| matches!(a.try_find(&Input::new(text)), Ok(Some(_))))
            || self.cut_secret(text).is_some()
    }

    /// The display form of the first found secret in `text`, if any.
    pub(crate) fn first_known(&self, text: &str) -> Option<&str> {
        let m = self
            .automaton
            .as_ref()?
            .try_find(&Input::new(text))
            .ok()??;
        self.known
            .get(m.pattern().as_usize())
            .map(|(_, r)| r.as_str())
    }

    /// `text` with every found secret in it (whole, or cut short before `…`) replaced by its
    /// display form. For text built from the walked document.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out: Cow<'t, str> = Cow::Borrowed(text);
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

    /// A known secret cut short by `truncate`: the byte range of a prefix of it (at least
    /// [`MIN_CUT_PREFIX`] characters) that ends right before a `…`.
    fn cut_secret(&self, text: &str) -> Option<(usize, usize)> {
        if self.known.is_empty() {
            return None;
        }
        for (end, _) in text.match_indices('…') {
            let before = &text[..end];
            let mut best: Option<usize> = None;
            for (secret, _) in &self.known {
                // The longest prefix of `secret` that `before` ends with. `chars` counts the
                // prefix's characters as it shrinks (counting each prefix anew was quadratic
                // in the secret's length).
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
