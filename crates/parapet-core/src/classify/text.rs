//! Free-text scanning: candidates found by hand-written tokenizers, confirmed by validators.

use super::names::Context;
use super::streets::{capitalized, compound_street, lower_is, STREET_PREFIXES, STREET_SUFFIXES};
use super::validate as v;
use super::C;

/// Most matches a scan returns.
pub(crate) const MAX_MATCHES: usize = 64;
/// Most raw candidates kept before overlaps are resolved.
const MAX_RAW: usize = 1024;
/// How far back (bytes) keywords are looked for.
const KEYWORD_WINDOW: usize = 48;

/// What the key a text sits under says (see [`Context`]); keywords in the text add to it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Hints {
    pub phone: bool,
    pub ssn: bool,
    pub card: bool,
    pub dob: bool,
    pub version: bool,
    pub infra: bool,
}

impl Hints {
    /// What the key `ctx` says about the values under it. (`version` and `infra` only matter
    /// for IPv4 candidates.)
    pub(crate) fn from_context(ctx: &Context) -> Self {
        Hints {
            phone: ctx.class == Some(C::Phone),
            ssn: ctx.class == Some(C::UsSsn),
            card: ctx.class == Some(C::PaymentCard),
            dob: ctx.class == Some(C::DateOfBirth),
            version: ctx.version(),
            infra: ctx.infra(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub class: C,
    pub start: usize,
    pub end: usize,
}

/// A byte that glues characters into one token (letters, digits, `_`, any non-ASCII).
fn word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// Separators that glue tokens into a longer identifier when a word byte is on the far side
/// (`SKU-4111...`, `v1.2.3.4`, `/users/123...`).
fn glue_byte(c: u8) -> bool {
    matches!(c, b'-' | b'.' | b'/' | b'\\')
}

fn url_stop(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'\\'
        )
}

/// Byte ranges of URL-like words (anything with `://`).
fn url_ranges(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i + 3 <= b.len() {
        if b[i] == b':' && b[i + 1] == b'/' && b[i + 2] == b'/' {
            let mut l = i;
            while l > 0 && !url_stop(b[l - 1]) {
                l -= 1;
            }
            let mut r = i + 3;
            while r < b.len() && !url_stop(b[r]) {
                r += 1;
            }
            match out.last_mut() {
                Some(last) if last.1 >= l => last.1 = last.1.max(r),
                _ => out.push((l, r)),
            }
            i = r;
        } else {
            i += 1;
        }
    }
    out
}

fn in_url(urls: &[(usize, usize)], pos: usize) -> Option<(usize, usize)> {
    let k = urls.partition_point(|&(_, e)| e <= pos);
    urls.get(k).copied().filter(|&(s, _)| s <= pos)
}

/// The few bytes before `pos`: on the same line, or the line above when the number starts
/// its line (`Phone:\n467 3395`).
fn line_before(text: &str, pos: usize) -> &str {
    let mut start = pos.saturating_sub(KEYWORD_WINDOW);
    while start < pos && !text.is_char_boundary(start) {
        start += 1;
    }
    let window = text.get(start..pos).unwrap_or("");
    let mut lines = window.rsplit('\n');
    let line = lines.next().unwrap_or("");
    if line.bytes().any(|c| c.is_ascii_alphanumeric()) {
        line
    } else {
        lines.next().unwrap_or("")
    }
}

/// The first word after `pos` on the same line (`416 60 039 office`).
fn word_after(text: &str, pos: usize) -> &str {
    let mut end = (pos + 16).min(text.len());
    while end > pos && !text.is_char_boundary(end) {
        end -= 1;
    }
    let line = text
        .get(pos..end)
        .unwrap_or("")
        .split('\n')
        .next()
        .unwrap_or("");
    ascii_words(line).next().unwrap_or("")
}

fn ascii_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

const KW_PHONE: &str =
    "call cell cellphone contact dial fax mob mobile ph phone sms tel telephone whatsapp";
/// Labels written after a phone number.
const KW_PHONE_AFTER: &str = "cell desk fax home landline mobile office phone tel work";
const KW_SSN: &str = "security social ssn ssns";
const KW_CARD: &str = "amex card cards cc credit debit maestro mastercard visa";
const KW_DOB: &str = "birth birthdate birthday born dob";
const KW_VERSION: &str = "build firmware oid release rev revision v ver version";

fn has_kw(text: &str, list: &str) -> bool {
    ascii_words(text).any(|w| crate::words::listed_ignore_ascii_case(list, w))
}

/// Keywords found just before a number (same line): they act as its context.
#[derive(Clone, Copy, Debug, Default)]
struct Keywords {
    phone: bool,
    ssn: bool,
    card: bool,
    dob: bool,
    version: bool,
}

impl Keywords {
    /// Keywords around the number-like run `start..end`.
    fn around(text: &str, start: usize, end: usize) -> Self {
        let kw = line_before(text, start);
        Keywords {
            phone: has_kw(kw, KW_PHONE) || has_kw(word_after(text, end), KW_PHONE_AFTER),
            ssn: has_kw(kw, KW_SSN),
            card: has_kw(kw, KW_CARD),
            dob: has_kw(kw, KW_DOB),
            version: has_kw(kw, KW_VERSION),
        }
    }
}

/// [`Keywords::around`] a run, looked for only when a candidate needs them.
struct LazyKeywords<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    found: Option<Keywords>,
}

impl<'t> LazyKeywords<'t> {
    fn new(text: &'t str, start: usize, end: usize) -> Self {
        LazyKeywords {
            text,
            start,
            end,
            found: None,
        }
    }

    fn get(&mut self) -> Keywords {
        let (text, start, end) = (self.text, self.start, self.end);
        *self
            .found
            .get_or_insert_with(|| Keywords::around(text, start, end))
    }
}

/// The class of a number-like candidate, if any. (Each lenient validator runs before the
/// keywords it needs are looked for: the same answers, fewer look-ups.)
fn classify_number(
    cand: &str,
    hints: &Hints,
    kw: &mut LazyKeywords<'_>,
    possible: Possible,
) -> Option<C> {
    let mut n = v::Number::new(cand);
    if possible.card && (n.card_strict() || (n.card_lenient() && (hints.card || kw.get().card))) {
        return Some(C::PaymentCard);
    }
    if possible.ssn && (n.ssn(false) || (n.ssn(true) && (hints.ssn || kw.get().ssn))) {
        return Some(C::UsSsn);
    }
    if let Some(o) = possible.ipv4.then(|| n.ipv4()).flatten() {
        let report = v::ipv4_reportable(o) && !hints.version && !hints.infra && !kw.get().version;
        return report.then_some(C::IpAddress);
    }
    if possible.date && n.birth_date() && (hints.dob || kw.get().dob) {
        return Some(C::DateOfBirth);
    }
    if possible.phone
        && (n.phone_strict() || (n.phone_lenient() && (hints.phone || kw.get().phone)))
    {
        return Some(C::Phone);
    }
    None
}

/// End of a number-like run starting at `i`: digits, `+` (first), `( )`, `x` extensions and
/// single separators (space, `-`, `.`, `/`) between digits.
fn run_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    let mut prev = 0u8;
    while j < b.len() {
        let c = b[j];
        let next = b.get(j + 1).copied().unwrap_or(0);
        let ok = match c {
            b'0'..=b'9' => true,
            b'+' => j == i && (next.is_ascii_digit() || next == b'('),
            b'(' => next.is_ascii_digit(),
            b')' => prev.is_ascii_digit(),
            b' ' => prev != b' ' && prev != 0 && (next.is_ascii_digit() || next == b'('),
            b'-' | b'.' | b'/' => {
                (prev.is_ascii_digit() || prev == b')') && (next.is_ascii_digit() || next == b'(')
            }
            b'x' | b'X' => prev.is_ascii_digit() && next.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            break;
        }
        prev = c;
        j += 1;
    }
    j
}

fn embedded_left(b: &[u8], i: usize) -> bool {
    match i.checked_sub(1).map(|k| b[k]) {
        Some(p) if word_byte(p) || p == b'@' => true,
        Some(p) if glue_byte(p) => i >= 2 && word_byte(b[i - 2]),
        _ => false,
    }
}

fn embedded_right(b: &[u8], j: usize) -> bool {
    match b.get(j).copied() {
        Some(q) if word_byte(q) || q == b'@' => true,
        Some(q) if glue_byte(q) => b.get(j + 1).is_some_and(|&c| word_byte(c)),
        _ => false,
    }
}

/// A space-separated group of a number-like run: `start..end`, its digits, whether it is
/// digits only, whether it holds an `x` (a phone extension).
#[derive(Clone, Copy, Default)]
struct Group {
    start: usize,
    end: usize,
    digits: usize,
    plain: bool,
    x: bool,
}

impl Group {
    /// The groups of the run `b[start..end]`, split at its single spaces, to `f` in order.
    fn split(b: &[u8], start: usize, end: usize, mut f: impl FnMut(Group)) {
        let mut gs = start;
        for (k, &c) in b.iter().enumerate().take(end).skip(start) {
            if c == b' ' {
                f(Group::of(b, gs, k));
                gs = k + 1;
            }
        }
        f(Group::of(b, gs, end));
    }

    fn of(b: &[u8], start: usize, end: usize) -> Self {
        let bytes = &b[start..end];
        let digits = bytes.iter().filter(|c| c.is_ascii_digit()).count();
        Group {
            start,
            end,
            digits,
            plain: digits == bytes.len(),
            x: bytes.iter().any(|&c| c == b'x' || c == b'X'),
        }
    }
}

/// Which of [`classify_number`]'s validators could accept a candidate: a bound worked out
/// from its groups, which spares the validators most of the up to eight candidates tried at
/// every group of a long run of digit groups (`4111 4111 4111 …`, `12 12 12 …`), and most of
/// the validators for the rest.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Possible {
    card: bool,
    ssn: bool,
    ipv4: bool,
    date: bool,
    phone: bool,
}

impl Possible {
    const ALL: Possible = Possible {
        card: true,
        ssn: true,
        ipv4: true,
        date: true,
        phone: true,
    };

    /// The validators that could accept the candidate made of `groups` of `b` (`digits` digits
    /// in all), with the phone keywords or hint (`phone_context`) or without. One group: any. Several: a card number
    /// (12–19 digits in groups of 3–7 digits), an SSN (9 or 11 bytes), a date with a time after
    /// a space (`1990-01-02 10:00`: a first group of 8 bytes or more), a phone number in at most
    /// 32 bytes (7–15 digits where the context says so, otherwise 8–17 digits after a `+`, a
    /// `0` or a `(`, or 10–11 digits (NANP); more only with an `x` extension); never an IPv4
    /// address. `number_candidates_are_classified_the_same_within_the_bound` checks the bound
    /// against the validators.
    fn of(groups: &[Group], digits: usize, phone_context: impl FnOnce() -> bool, b: &[u8]) -> Self {
        let [first, .., last] = groups else {
            return Possible::ALL;
        };
        let len = last.end - first.start;
        let phone = len <= 32
            && digits >= 7
            && (groups.iter().any(|g| g.x)
                || (digits <= 17 && matches!(b.get(first.start), Some(b'+' | b'0' | b'(')))
                || digits == 10
                || digits == 11
                || (digits <= 15 && phone_context()));
        Possible {
            card: (12..=19).contains(&digits)
                && groups
                    .iter()
                    .all(|g| g.plain && (3..=7).contains(&g.digits)),
            ssn: len == 9 || len == 11,
            ipv4: false,
            date: first.end - first.start >= 8,
            phone,
        }
    }

    fn any(self) -> bool {
        self.card || self.ssn || self.ipv4 || self.date || self.phone
    }
}

fn scan_numbers(text: &str, urls: &[(usize, usize)], hints: &Hints, out: &mut Vec<Match>) {
    let b = text.as_bytes();
    let mut i = 0;
    // Reused for every run of digits.
    let mut small = [Group::default(); 16];
    let mut bounds: Vec<Group> = Vec::new();
    while i < b.len() && out.len() < MAX_RAW {
        let c = b[i];
        let starts = c.is_ascii_digit()
            || (matches!(c, b'+' | b'(')
                && b.get(i + 1)
                    .is_some_and(|&n| n.is_ascii_digit() || n == b'('));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = run_end(b, i);
        // A closing parenthesis without an opening one belongs to the prose.
        while j > i && b[j - 1] == b')' && !b[i..j].contains(&b'(') {
            j -= 1;
        }
        if j <= i {
            i += 1;
            continue;
        }
        if embedded_left(b, i) || embedded_right(b, j) || in_url(urls, i).is_some() {
            i = j;
            continue;
        }
        // Groups separated by single spaces; try the longest candidate first at each group.
        // (Most runs have a few groups: they stay in `small`.)
        let mut n = 0;
        Group::split(b, i, j, |g| {
            match small.get_mut(n) {
                Some(slot) => *slot = g,
                None => {
                    if n == small.len() {
                        bounds.clear();
                        bounds.extend_from_slice(&small);
                    }
                    bounds.push(g);
                }
            }
            n += 1;
        });
        let bounds: &[Group] = if n <= small.len() {
            &small[..n]
        } else {
            &bounds
        };
        let mut kw = LazyKeywords::new(text, i, j);
        let mut g = 0;
        // (One run can hold many matches: `1.2.3.4 1.2.3.4 …`.)
        while g < bounds.len() && out.len() < MAX_RAW {
            let mut found = None;
            let max_end = bounds.len().min(g + 8);
            for e in (g + 1..=max_end).rev() {
                let (cs, ce) = (bounds[g].start, bounds[e - 1].end);
                // No validator accepts more than 40 bytes or fewer than 4 digits.
                let digits = bounds[g..e].iter().map(|g| g.digits).sum::<usize>();
                if ce - cs > 40 || digits < 4 {
                    continue;
                }
                let possible =
                    Possible::of(&bounds[g..e], digits, || hints.phone || kw.get().phone, b);
                if !possible.any() {
                    continue;
                }
                let Some(cand) = text.get(cs..ce) else {
                    continue;
                };
                if let Some(class) = classify_number(cand, hints, &mut kw, possible) {
                    found = Some((class, cs, ce, e));
                    break;
                }
            }
            match found {
                Some((class, start, end, e)) => {
                    out.push(Match { class, start, end });
                    g = e;
                }
                None => g += 1,
            }
        }
        i = j;
    }
}

fn scan_emails(text: &str, urls: &[(usize, usize)], out: &mut Vec<Match>) {
    let b = text.as_bytes();
    let n = b.len();
    for k in 0..n {
        if b[k] != b'@' || out.len() >= MAX_RAW {
            continue;
        }
        let mut l = k;
        while l > 0 && v::email_local_char(b[l - 1]) && k - l <= 64 {
            l -= 1;
        }
        if k - l > 64 || (l > 0 && b[l - 1] >= 0x80) {
            continue;
        }
        while l < k && b[l] == b'.' {
            l += 1;
        }
        let mut r = k + 1;
        while r < n && v::email_domain_char(b[r]) && r - k <= 254 {
            r += 1;
        }
        while r > k + 1 && matches!(b[r - 1], b'.' | b'-') {
            r -= 1;
        }
        if l == k || r == k + 1 {
            continue;
        }
        if let Some(&q) = b.get(r) {
            if q >= 0x80 || q == b'@' || q == b'_' {
                continue;
            }
            // `git@github.com:org/repo.git` is an SSH remote, not an e-mail address.
            if q == b':'
                && b.get(r + 1)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'/' || c == b'~')
            {
                continue;
            }
        }
        let (Some(local), Some(domain)) = (text.get(l..k), text.get(k + 1..r)) else {
            continue;
        };
        if !v::email_parts_valid(local, domain) {
            continue;
        }
        // In a URL, only the query or fragment holds e-mail addresses (not `user@host`).
        if let Some((us, _)) = in_url(urls, k) {
            let before = text.get(us..l).unwrap_or("");
            if !before.contains(['?', '#', '=']) {
                continue;
            }
        }
        out.push(Match {
            class: C::Email,
            start: l,
            end: r,
        });
    }
}

fn scan_ibans(text: &str, out: &mut Vec<Match>) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i + 4 <= n && out.len() < MAX_RAW {
        let head = b[i].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit()
            && (i == 0 || !word_byte(b[i - 1]));
        let Some(len) = head.then(|| v::iban_length([b[i], b[i + 1]])).flatten() else {
            i += 1;
            continue;
        };
        let mut compact: Vec<u8> = Vec::with_capacity(len);
        let mut j = i;
        while j < n && compact.len() < len {
            let c = b[j];
            if c.is_ascii_alphanumeric() {
                compact.push(c);
                j += 1;
            } else if c == b' '
                && compact.len() % 4 == 0
                && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                j += 1;
            } else {
                break;
            }
        }
        if compact.len() == len
            && !b.get(j).is_some_and(|&c| word_byte(c))
            && v::iban_compact_valid(&compact)
        {
            out.push(Match {
                class: C::Iban,
                start: i,
                end: j,
            });
            i = j;
        } else {
            i += 1;
        }
    }
}

fn scan_ipv6(text: &str, urls: &[(usize, usize)], out: &mut Vec<Match>) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n && out.len() < MAX_RAW {
        let c = b[i];
        let starts = (c.is_ascii_hexdigit() || c == b':')
            && (i == 0 || !(word_byte(b[i - 1]) || matches!(b[i - 1], b':' | b'.')));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && (b[j].is_ascii_hexdigit() || b[j] == b':' || b[j] == b'.') && j - i <= 45 {
            j += 1;
        }
        let mut e = j;
        while e > i && b[e - 1] == b'.' {
            e -= 1;
        }
        let colons = b[i..e].iter().filter(|&&c| c == b':').count();
        if colons >= 2
            && !b.get(j).is_some_and(|&c| word_byte(c))
            && in_url(urls, i).is_none()
            && text.get(i..e).is_some_and(v::ipv6_reportable)
        {
            out.push(Match {
                class: C::IpAddress,
                start: i,
                end: e,
            });
        }
        i = j.max(i + 1);
    }
}

// --- street addresses -------------------------------------------------------------------------

const CONNECTORS: &str =
    "da das de del della delle den der des di do dos du e la le of the van von y";

struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// Only spaces or tabs since the previous word.
    simple_gap: bool,
}

fn words<'a>(text: &'a str) -> Vec<Word<'a>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut gap_start = 0;
    let mut simple = true;
    let push = |out: &mut Vec<Word<'a>>, s: usize, e: usize, simple: bool| {
        if let Some(t) = text.get(s..e) {
            let t = t.trim_end_matches(['.', '-', '\'', '’']);
            if !t.is_empty() {
                out.push(Word {
                    text: t,
                    start: s,
                    end: s + t.len(),
                    simple_gap: simple,
                });
            }
        }
    };
    for (i, c) in text.char_indices() {
        let in_word =
            c.is_alphanumeric() || (start.is_some() && matches!(c, '\'' | '’' | '-' | '.'));
        match (in_word, start) {
            (true, None) => {
                let gap = text.get(gap_start..i).unwrap_or("");
                simple = gap.chars().all(|g| g == ' ' || g == '\t')
                    || gap.trim_matches([' ', '\t']) == ".";
                start = Some(i);
            }
            (false, Some(s)) => {
                push(&mut out, s, i, simple);
                start = None;
                gap_start = i;
            }
            _ => {}
        }
        if out.len() >= MAX_RAW * 8 {
            break;
        }
    }
    if let Some(s) = start {
        push(&mut out, s, text.len(), simple);
    }
    out
}

fn house_number(w: &str) -> bool {
    let b = w.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=5).contains(&digits) {
        return false;
    }
    let rest = &b[digits..];
    rest.is_empty()
        || (rest.len() == 1 && rest[0].is_ascii_alphabetic())
        || (rest.len() >= 2
            && rest[0] == b'-'
            && rest[1..].iter().all(u8::is_ascii_digit)
            && rest.len() <= 5)
}

fn scan_addresses(text: &str, out: &mut Vec<Match>) {
    let ws = words(text);
    let push = |out: &mut Vec<Match>, a: &Word<'_>, z: &Word<'_>| {
        if out.len() < MAX_RAW {
            out.push(Match {
                class: C::PostalAddress,
                start: a.start,
                end: z.end,
            });
        }
    };
    let mut k = 0;
    while k < ws.len() {
        let w = &ws[k];
        let mut matched_to = None;
        if house_number(w.text) {
            // `12 Baker Street`, `363 52 Huntly Street`, `6750 Koskikatu`, `29 Rue de Tanger`.
            let mut names = 0;
            for m in k + 1..ws.len().min(k + 7) {
                let x = &ws[m];
                if !x.simple_gap {
                    break;
                }
                if compound_street(x.text) || (names >= 1 && lower_is(x.text, STREET_SUFFIXES)) {
                    matched_to = Some(m);
                    break;
                }
                if names == 0 && capitalized(x.text) && lower_is(x.text, STREET_PREFIXES) {
                    if ws.get(m + 1).is_some_and(|y| {
                        y.simple_gap && (capitalized(y.text) || lower_is(y.text, CONNECTORS))
                    }) {
                        matched_to = Some(m + 1);
                    }
                    break;
                }
                if capitalized(x.text) && x.text.chars().any(char::is_alphabetic) {
                    names += 1;
                } else if !(lower_is(x.text, CONNECTORS) || house_number(x.text)) {
                    break;
                }
            }
        } else if capitalized(w.text)
            && (lower_is(w.text, STREET_PREFIXES) || compound_street(w.text))
        {
            // `Rua João Pessoa 1636`, `Vicolo Calcirelli 13`, `Wingertweg 126`.
            let prefix = lower_is(w.text, STREET_PREFIXES);
            for (m, x) in ws.iter().enumerate().take(k + 6).skip(k + 1) {
                if !x.simple_gap {
                    break;
                }
                if house_number(x.text) {
                    if !prefix || m >= k + 2 {
                        matched_to = Some(m);
                    }
                    break;
                }
                if !(prefix && (capitalized(x.text) || lower_is(x.text, CONNECTORS))) {
                    break;
                }
            }
        } else if (w.text.eq_ignore_ascii_case("po") || w.text.eq_ignore_ascii_case("p.o"))
            && ws
                .get(k + 1)
                .is_some_and(|x| x.simple_gap && x.text.eq_ignore_ascii_case("box"))
            && ws
                .get(k + 2)
                .is_some_and(|x| x.simple_gap && house_number(x.text))
        {
            matched_to = Some(k + 2);
        }
        match matched_to {
            Some(m) => {
                push(out, w, &ws[m]);
                k = m + 1;
            }
            None => k += 1,
        }
    }
}

/// What one pass over a text says about which scanners can find anything in it.
#[derive(Default)]
struct Features {
    digit: bool,
    at: bool,
    colons: usize,
    /// Two letters then two digits at the start of a word (where [`scan_ibans`] looks).
    iban_head: bool,
    /// A word of [`words`] may start with a digit: a digit at the start or after a byte that is
    /// not ASCII alphanumeric. Every address has a house or box number, a word that starts with
    /// a digit, so [`scan_addresses`] finds nothing without one.
    digit_word: bool,
    /// A digit that is not glued to a word on its left (see [`embedded_left`]): where every
    /// number-like run that [`scan_numbers`] looks at has its first digit.
    free_digit: bool,
    /// An ASCII capital, a non-ASCII byte (a capital outside ASCII) or `po`/`p.`: every
    /// address [`scan_addresses`] finds has a capitalised word or a `PO Box`.
    address_word: bool,
}

/// Byte classes for [`Features::of`] (bits of [`BYTE_CLASS`]).
const K_DIGIT: u8 = 1;
/// ASCII letter or digit.
const K_ALNUM: u8 = 1 << 1;
/// [`word_byte`].
const K_WORD: u8 = 1 << 2;
const K_AT: u8 = 1 << 3;
const K_COLON: u8 = 1 << 4;
/// An ASCII capital or a non-ASCII byte (part of a character that may be a capital).
const K_CAPITAL: u8 = 1 << 5;
/// [`glue_byte`].
const K_GLUE: u8 = 1 << 6;
const K_ALPHA: u8 = 1 << 7;

/// The class bits of every byte.
static BYTE_CLASS: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut k = 0;
        if c.is_ascii_digit() {
            k |= K_DIGIT | K_ALNUM | K_WORD;
        }
        if c.is_ascii_alphabetic() {
            k |= K_ALPHA | K_ALNUM | K_WORD;
        }
        if c.is_ascii_uppercase() {
            k |= K_CAPITAL;
        }
        if c == b'_' {
            k |= K_WORD;
        }
        if c >= 0x80 {
            k |= K_WORD | K_CAPITAL;
        }
        if c == b'@' {
            k |= K_AT;
        }
        if c == b':' {
            k |= K_COLON;
        }
        if matches!(c, b'-' | b'.' | b'/' | b'\\') {
            k |= K_GLUE;
        }
        t[i] = k;
        i += 1;
    }
    t
}

impl Features {
    fn of(b: &[u8]) -> Self {
        let mut f = Features::default();
        // A first pass without branches: most values have no digit, `@` or `:` at all.
        let mut any = 0u8;
        for &c in b {
            any |= BYTE_CLASS[usize::from(c)];
        }
        f.at = any & K_AT != 0;
        if any & K_COLON != 0 {
            f.colons = b.iter().filter(|&&c| c == b':').count();
        }
        if any & K_DIGIT == 0 {
            return f;
        }
        f.digit = true;
        // The classes of the two bytes before `c` (none before the start).
        let (mut prev, mut prev2) = (0u8, 0u8);
        for (i, &c) in b.iter().enumerate() {
            let k = BYTE_CLASS[usize::from(c)];
            if k & K_DIGIT != 0 {
                if prev & K_ALNUM == 0 {
                    f.digit_word = true;
                }
                // Not glued on the left ([`embedded_left`]).
                if prev & (K_WORD | K_AT) == 0 && !(prev & K_GLUE != 0 && prev2 & K_WORD != 0) {
                    f.free_digit = true;
                }
            } else if k & K_ALPHA != 0
                && prev & K_WORD == 0
                && !f.iban_head
                && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                && b.get(i + 2).is_some_and(u8::is_ascii_digit)
                && b.get(i + 3).is_some_and(u8::is_ascii_digit)
            {
                f.iban_head = true;
            }
            prev2 = prev;
            prev = k;
        }
        // Only read with `digit_word` (see [`scan`]).
        f.address_word = f.digit_word
            && (any & K_CAPITAL != 0
                || b.windows(2)
                    .any(|w| w[0] == b'p' && matches!(w[1], b'o' | b'O' | b'.')));
        f
    }
}

/// Every class found in `text`, sorted by position, overlaps resolved (the more sensitive
/// wins), at most `max`.
pub(crate) fn scan(text: &str, hints: &Hints, max: usize) -> Vec<Match> {
    let f = Features::of(text.as_bytes());
    // Which scanners can find anything: e-mail needs `@`, IBANs and numbers a digit (where
    // they start), IPv6 two colons, addresses a word starting with a digit and a capital.
    let emails = f.at;
    let ibans = f.digit && f.iban_head;
    let numbers = f.digit && f.free_digit;
    let ipv6 = f.colons >= 2;
    let addresses = f.digit_word && f.address_word;
    if !(emails || ibans || numbers || ipv6 || addresses) {
        return Vec::new();
    }
    // URLs matter to the scanners that skip them (no allocation when there is no `://`).
    let urls = if f.colons > 0 && (emails || numbers || ipv6) {
        url_ranges(text.as_bytes())
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    if emails {
        scan_emails(text, &urls, &mut out);
    }
    if ibans {
        scan_ibans(text, &mut out);
    }
    if numbers {
        scan_numbers(text, &urls, hints, &mut out);
    }
    if ipv6 {
        scan_ipv6(text, &urls, &mut out);
    }
    if addresses {
        scan_addresses(text, &mut out);
    }
    // Insertion sort (by start, longer first): `out` is a few sorted runs, and a library sort
    // costs kilobytes of wasm.
    let key = |m: &Match| (m.start, usize::MAX - m.end);
    for i in 1..out.len() {
        let mut j = i;
        while j > 0 && key(&out[j - 1]) > key(&out[j]) {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut kept: Vec<Match> = Vec::new();
    for m in out {
        match kept.last_mut() {
            Some(last) if m.start < last.end => {
                if m.class.class().level > last.class.class().level {
                    *last = m;
                }
            }
            _ => kept.push(m),
        }
    }
    kept.truncate(max);
    kept
}

#[cfg(test)]
#[test]
fn word_lists_are_sorted() {
    super::names::assert_word_lists(&[
        KW_PHONE,
        KW_PHONE_AFTER,
        KW_SSN,
        KW_CARD,
        KW_DOB,
        KW_VERSION,
        STREET_SUFFIXES,
        STREET_PREFIXES,
        CONNECTORS,
        super::streets::MORE_STREET_SUFFIXES,
    ]);
}

/// [`Features::of`] as first written (one byte at a time, no table): the table must agree.
#[cfg(test)]
fn features_reference(b: &[u8]) -> Features {
    let mut f = Features::default();
    let mut prev = 0u8;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            f.digit = true;
            if i == 0 || !prev.is_ascii_alphanumeric() {
                f.digit_word = true;
            }
            if !embedded_left(b, i) {
                f.free_digit = true;
            }
        } else if c.is_ascii_uppercase()
            || c >= 0x80
            || (c == b'p' && matches!(b.get(i + 1), Some(b'o' | b'O' | b'.')))
        {
            f.address_word = true;
        } else if c == b'@' {
            f.at = true;
        } else if c == b':' {
            f.colons += 1;
        }
        if c.is_ascii_alphabetic()
            && (i == 0 || !word_byte(prev))
            && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
            && b.get(i + 3).is_some_and(u8::is_ascii_digit)
        {
            f.iban_head = true;
        }
        prev = c;
    }
    f
}

#[cfg(test)]
#[test]
fn byte_table_features_agree_with_the_reference() {
    let alphabet: &[u8] = b"aZpPoO.-/\\_@: 09+(x\xc3\xa9GB";
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..50_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 10) as usize;
        let mut r = seed;
        let mut b = Vec::new();
        for _ in 0..n {
            r = r
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            b.push(alphabet[((r >> 33) % alphabet.len() as u64) as usize]);
        }
        let (x, y) = (Features::of(&b), features_reference(&b));
        let ok = x.at == y.at && x.colons == y.colons && x.digit == y.digit;
        // Without a digit the digit-based features are never used: they stay off.
        let ok = ok
            && (!y.digit
                || (x.iban_head == y.iban_head
                    && x.digit_word == y.digit_word
                    && x.free_digit == y.free_digit
                    // (read only together with `digit_word`)
                    && (x.digit_word && x.address_word) == (y.digit_word && y.address_word)));
        assert!(ok, "{:?}", String::from_utf8_lossy(&b));
    }
}

#[cfg(test)]
#[test]
fn number_candidates_are_classified_the_same_within_the_bound() {
    // Candidates of 2–8 space-separated groups, as the number scanner makes them: digits with
    // separators, parentheses, a leading `+` or `(`, an `x` extension; random and known ones.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % n).unwrap_or(0)
    };
    let mut cands: Vec<String> = [
        "4111 1111 1111 1111",
        "3782 822463 10005",
        "+44 20 7946 0958",
        "+1 (555) 010-0000",
        "555 010 0000",
        "1 555 010 0000",
        "(555) 010-0000 x123",
        "020 7946 0958",
        "0044 20 7946 0958",
        "123 45 6789",
        "1990-01-02 10:00",
        "1990-1-2 10:00",
        "1990-1-2 1234 5678 9012 3456",
        "078 05 1120",
        "12 34 56 78 90",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    for _ in 0..60_000 {
        let mut c = String::new();
        match next(6) {
            0 => c.push('+'),
            1 => c.push('('),
            _ => {}
        }
        for g in 0..2 + next(7) {
            if g > 0 {
                c.push(' ');
            }
            let n = 1 + next(7);
            for k in 0..n {
                c.push(char::from(b'0' + u8::try_from(next(10)).unwrap_or(0)));
                if k + 1 < n && next(5) == 0 {
                    c.push(['-', '.', '/', ')', 'x'][next(5)]);
                }
            }
        }
        if c.len() <= 40 {
            cands.push(c);
        }
    }
    let (mut classified, mut skipped) = (0, 0);
    for cand in &cands {
        let b = cand.as_bytes();
        let mut groups = Vec::new();
        Group::split(b, 0, b.len(), |g| groups.push(g));
        let digits = groups.iter().map(|g| g.digits).sum();
        for phone in [false, true] {
            let hints = Hints {
                phone,
                ssn: true,
                card: true,
                dob: true,
                version: false,
                infra: false,
            };
            let mut kw = LazyKeywords::new(cand, 0, cand.len());
            let class = classify_number(cand, &hints, &mut kw, Possible::ALL);
            let possible = Possible::of(&groups, digits, || phone, b);
            assert_eq!(
                classify_number(cand, &hints, &mut kw, possible),
                class,
                "{cand:?} (phone context {phone}) within {possible:?}"
            );
            classified += usize::from(class.is_some());
            skipped += usize::from(!possible.any());
        }
    }
    // The search reaches both sides of the bound.
    assert!(
        classified > 1_000 && skipped > 10_000,
        "{classified} classified, {skipped} skipped"
    );
}
