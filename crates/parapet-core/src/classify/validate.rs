//! Validators: hand-written, no regexes (wasm size budget).

use super::names::Context;
use super::C;
use crate::placeholder::{is_placeholder, PlaceholderFor};

// ---------------------------------------------------------------------------------------------
// Payment cards

/// Luhn checksum over ASCII digits.
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut x = u32::from(d - b'0');
        if i % 2 == 1 {
            x *= 2;
            if x > 9 {
                x -= 9;
            }
        }
        sum += x;
    }
    sum % 10 == 0
}

/// Longest card-number shape read, in bytes (so also its most digits).
const MAX_CARD_BYTES: usize = 40;

/// Up to `N` bytes kept on the stack (card digits, phone-number groups): the number scanner
/// tries several candidates at every group of digits, and none of them allocates.
#[derive(Debug)]
pub(crate) struct StackBytes<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Default for StackBytes<N> {
    fn default() -> Self {
        StackBytes {
            buf: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> StackBytes<N> {
    /// Appends `b`; `None` when full.
    fn push(&mut self, b: u8) -> Option<()> {
        *self.buf.get_mut(self.len)? = b;
        self.len += 1;
        Some(())
    }
}

impl<const N: usize> std::ops::Deref for StackBytes<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The digits of a card-number shape.
pub(crate) type Digits = StackBytes<MAX_CARD_BYTES>;

/// The digits of a card-number shape: digits, optionally grouped by single spaces or single
/// dashes (one kind only), groups of 3–7 digits. `None` for any other shape.
pub(crate) fn card_digits(s: &str) -> Option<Digits> {
    let b = s.as_bytes();
    if b.len() > MAX_CARD_BYTES {
        return None;
    }
    let mut sep: Option<u8> = None;
    let mut digits = Digits::default();
    let mut group = 0usize;
    let mut groups = 0usize;
    for &c in b {
        if c.is_ascii_digit() {
            // At most MAX_CARD_BYTES bytes, so as many digits at most.
            digits.push(c)?;
            group += 1;
        } else if c == b' ' || c == b'-' {
            if sep.is_some_and(|s| s != c) || group == 0 {
                return None;
            }
            sep = Some(c);
            if groups > 0 || group > 0 {
                if !(3..=7).contains(&group) {
                    return None;
                }
                groups += 1;
            }
            group = 0;
        } else {
            return None;
        }
    }
    if sep.is_some() && !(3..=7).contains(&group) {
        return None;
    }
    Some(digits)
}

fn prefix_num(d: &[u8], n: usize) -> u32 {
    d.iter()
        .take(n)
        .fold(0u32, |acc, x| acc * 10 + u32::from(x - b'0'))
}

/// Known issuer prefix (IIN) with a length that issuer uses.
pub(crate) fn card_issuer_ok(d: &[u8]) -> bool {
    let len = d.len();
    let p1 = prefix_num(d, 1);
    let p2 = prefix_num(d, 2);
    let p3 = prefix_num(d, 3);
    let p4 = prefix_num(d, 4);
    let p6 = prefix_num(d, 6);
    let l16_19 = (16..=19).contains(&len);
    // Visa
    (p1 == 4 && matches!(len, 13 | 16 | 19))
        // Mastercard
        || ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16
        // American Express
        || matches!(p2, 34 | 37) && len == 15
        // Discover
        || (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622_126..=622_925).contains(&p6))
            && l16_19
        // JCB (and the legacy 15-digit 1800 / 2131 ranges)
        || (3528..=3589).contains(&p4) && l16_19
        || matches!(p4, 1800 | 2131) && len == 15
        // Diners Club
        || ((300..=305).contains(&p3) || p4 == 3095 || matches!(p2, 36 | 38 | 39))
            && (14..=19).contains(&len)
        // UnionPay, Mir, RuPay
        || (p2 == 62 || p2 == 81) && l16_19
        || (2200..=2204).contains(&p4) && l16_19
        || matches!(p2, 60 | 65) && len == 16
        // Maestro (12-digit ones only with a card context, see `card_lenient`)
        || (p2 == 50 || (56..=58).contains(&p2) || p4 == 6304 || p3 == 639 || p2 == 67)
            && (13..=19).contains(&len)
}

/// GTIN (EAN/UPC barcode) check digit: weights 3,1,3,... from the right of the payload.
fn gtin(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 1 { 3 } else { 1 })
        .sum();
    sum % 10 == 0
}

fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

/// A payment card number without context: 13–19 digits, Luhn, known issuer; a 13- or
/// 14-digit number that is also a valid EAN-13/GTIN-14 barcode is taken for the barcode
/// (`4006381333023` is a product, not a Visa card).
fn strict_card(d: &[u8]) -> bool {
    (13..=19).contains(&d.len())
        && !all_same(d)
        && luhn(d)
        && card_issuer_ok(d)
        && !(matches!(d.len(), 13 | 14) && gtin(d))
}

/// A card number where the context says so: 12–19 digits and Luhn, any issuer.
pub(crate) fn card_lenient(s: &str) -> bool {
    card_digits(s).is_some_and(|d| lenient_card(&d))
}

fn lenient_card(d: &[u8]) -> bool {
    (12..=19).contains(&d.len()) && !all_same(d) && luhn(d)
}

// ---------------------------------------------------------------------------------------------
// IBAN

/// IBAN length per country (SWIFT IBAN registry).
static IBAN_LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

pub(crate) fn iban_length(cc: [u8; 2]) -> Option<usize> {
    let cc = [cc[0].to_ascii_uppercase(), cc[1].to_ascii_uppercase()];
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| **c == cc)
        .map(|(_, n)| usize::from(*n))
}

/// An IBAN (compact, case-insensitive): country length and mod-97 == 1.
pub(crate) fn iban_compact_valid(s: &[u8]) -> bool {
    if s.len() < 15 || !s.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    if !(s[0].is_ascii_alphabetic()
        && s[1].is_ascii_alphabetic()
        && s[2].is_ascii_digit()
        && s[3].is_ascii_digit())
    {
        return false;
    }
    if iban_length([s[0], s[1]]) != Some(s.len()) {
        return false;
    }
    let check = prefix_num(&s[2..4], 2);
    if !(2..=98).contains(&check) {
        return false;
    }
    let mut rem = 0u32;
    for &c in s[4..].iter().chain(&s[..4]) {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c.to_ascii_uppercase() - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// An IBAN as written: compact or in groups separated by single spaces.
pub(crate) fn iban_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 50 || b.windows(2).any(|w| w == b"  ") {
        return false;
    }
    let compact: Vec<u8> = b.iter().copied().filter(|&c| c != b' ').collect();
    iban_compact_valid(&compact)
}

// ---------------------------------------------------------------------------------------------
// US SSN

fn ssn_rules(area: u32, group: u32, serial: u32) -> bool {
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        // Numbers voided after being published in advertising.
        && !(area == 78 && group == 5 && serial == 1120)
        && !(area == 219 && group == 9 && serial == 9999)
}

/// `AAA-GG-SSSS` with the area/group/serial rules; with `loose`, also `AAA GG SSSS` and
/// nine plain digits (only where the context names an SSN).
pub(crate) fn ssn(s: &str, loose: bool) -> bool {
    let b = s.as_bytes();
    let mut digits = [0u8; 9];
    match b.len() {
        11 if (b[3] == b'-' && b[6] == b'-') || (loose && b[3] == b' ' && b[6] == b' ') => {
            digits[..3].copy_from_slice(&b[0..3]);
            digits[3..5].copy_from_slice(&b[4..6]);
            digits[5..].copy_from_slice(&b[7..11]);
        }
        9 if loose => digits.copy_from_slice(b),
        _ => return false,
    }
    digits.iter().all(u8::is_ascii_digit)
        && ssn_rules(
            prefix_num(&digits[0..3], 3),
            prefix_num(&digits[3..5], 2),
            prefix_num(&digits[5..9], 4),
        )
}

// ---------------------------------------------------------------------------------------------
// IP addresses

/// A dotted-quad IPv4 address: four decimal octets ≤ 255, no leading zeros.
pub(crate) fn ipv4(s: &str) -> Option<[u8; 4]> {
    // Digits and dots only, at most `255.255.255.255` (most candidates fail here).
    if s.len() > 15 || !s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    let mut out = [0u8; 4];
    let mut n = 0;
    for part in s.split('.') {
        if n == 4 || part.is_empty() || part.len() > 3 || !part.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        if part.len() > 1 && part.starts_with('0') {
            return None;
        }
        let v = part.bytes().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
        out[n] = u8::try_from(v).ok()?;
        n += 1;
    }
    (n == 4).then_some(out)
}

/// An IPv4 address that can point at a person or device: not `0.x.x.x`, loopback, broadcast
/// or a netmask (`255.x.x.x`).
pub(crate) fn ipv4_reportable(octets: [u8; 4]) -> bool {
    !matches!(octets[0], 0 | 127 | 255)
}

/// An IPv6 address (not unspecified or loopback), written with at least two colons and
/// enough hex digits not to be something else (`a::b`).
pub(crate) fn ipv6_reportable(s: &str) -> bool {
    if s.len() < 6 || s.len() > 45 || s.bytes().filter(|&c| c == b':').count() < 2 {
        return false;
    }
    let hex = s.bytes().filter(u8::is_ascii_hexdigit).count();
    match s.parse::<std::net::Ipv6Addr>() {
        Ok(a) => hex >= 5 && !a.is_unspecified() && !a.is_loopback(),
        Err(_) => false,
    }
}

// ---------------------------------------------------------------------------------------------
// E-mail

pub(crate) fn email_local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

pub(crate) fn email_domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// File extensions that are not e-mail top-level domains in practice (`logo@2x.png`).
static FILE_EXTS: &str =
    "bak bin bmp cfg cjs conf css csv dat dll doc docx exe gif gz htm html ico ini java jpeg jpg \
    js json jsx kt less lock log map mjs mp3 mp4 pdf php png py rb rs scss svg tar tif tiff tmp \
    toml ts tsx txt vue wasm wav webp xls xlsx xml yaml yml zip";

/// `local@domain` with a real shape: no leading/trailing/double dots, domain labels of
/// letters/digits/dashes, at least two labels, an alphabetic TLD of 2–24 letters (or `xn--`).
pub(crate) fn email_parts_valid(local: &str, domain: &str) -> bool {
    let lb = local.as_bytes();
    if lb.is_empty()
        || lb.len() > 64
        || !lb.iter().all(|&c| email_local_char(c))
        || lb[0] == b'.'
        || lb[lb.len() - 1] == b'.'
        || lb.windows(2).any(|w| w[0] == b'.' && w[1] == b'.')
    {
        return false;
    }
    if domain.len() < 4 || domain.len() > 253 {
        return false;
    }
    // The labels, checked as they come (no vector): their count and the last one matter.
    let mut labels = 0usize;
    let mut tld = "";
    for l in domain.split('.') {
        let b = l.as_bytes();
        if b.is_empty()
            || b.len() > 63
            || b[0] == b'-'
            || b[b.len() - 1] == b'-'
            || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            return false;
        }
        labels += 1;
        tld = l;
    }
    if labels < 2 {
        return false;
    }
    let tld_ok =
        (tld.len() >= 2 && tld.len() <= 24 && tld.bytes().all(|c| c.is_ascii_alphabetic()))
            || (tld.len() > 4 && tld.starts_with("xn--"));
    if !tld_ok {
        return false;
    }
    if labels == 2 && crate::words::listed_ignore_ascii_case(FILE_EXTS, tld) {
        return false;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Dates

/// `(year, month, day)` if valid in the proleptic Gregorian calendar.
fn ymd(y: u32, m: u32, d: u32) -> Option<(u32, u32, u32)> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (d >= 1 && d <= days).then_some((y, m, d))
}

fn num(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(prefix_num(s, 4))
}

/// A numeric date: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `DD.MM.YYYY`, `DD-MM-YYYY`,
/// `M/D/YYYY` or `D/M/YYYY` (either reading); an optional time after `T` or a space.
/// With `two_digit_year`, also `DD.MM.YY`-style dates (used only to reject phone lookalikes).
pub(crate) fn numeric_date(s: &str, two_digit_year: bool) -> Option<(u32, u32, u32)> {
    let s = s.trim();
    let b = s.as_bytes();
    let date = match b.iter().position(|c| matches!(c, b'T' | b't' | b' ')) {
        Some(i) if i >= 8 => &b[..i],
        _ => b,
    };
    let sep = *date.iter().find(|c| matches!(c, b'-' | b'/' | b'.'))?;
    let mut parts = date.split(|&c| c == sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (na, nb, nc) = (num(a)?, num(b)?, num(c)?);
    if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
        return ymd(na, nb, nc);
    }
    let year_ok = c.len() == 4 || (two_digit_year && c.len() == 2);
    if a.len() <= 2 && b.len() <= 2 && year_ok {
        let y = if c.len() == 2 { 2000 + nc } else { nc };
        return ymd(y, nb, na).or_else(|| ymd(y, na, nb));
    }
    None
}

static MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date written with a month name: `12 March 1985`, `March 12, 1985`, `12-Mar-1985`.
fn named_month_date(s: &str) -> Option<(u32, u32, u32)> {
    // No letter, no month name (the number scanner's candidates mostly).
    if s.len() > 40 || !s.bytes().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let words: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() != 3 {
        return None;
    }
    let (mut month, mut day, mut year) = (None, None, None);
    for w in &words {
        let lw = w.to_ascii_lowercase();
        let lw = lw
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd")
            .trim_end_matches("th");
        if let Some(m) = MONTHS.iter().position(|m| {
            lw.len() >= 3 && lw.starts_with(m) && lw.bytes().all(|c| c.is_ascii_alphabetic())
        }) {
            month = Some(u32::try_from(m).ok()? + 1);
        } else if let Some(n) = num(lw.as_bytes()) {
            if lw.len() == 4 {
                year = Some(n);
            } else if lw.len() <= 2 {
                day = Some(n);
            }
        }
    }
    ymd(year?, month?, day?)
}

/// A plausible date of birth (any written form above, year 1900–2099).
pub(crate) fn birth_date(s: &str) -> bool {
    numeric_date(s, false)
        .or_else(|| named_month_date(s))
        .is_some_and(|(y, _, _)| (1900..=2099).contains(&y))
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

/// Most digit groups a phone-number shape has: each group holds a digit and is followed by a
/// delimiter, in at most 32 bytes.
const MAX_PHONE_GROUPS: usize = 16;

#[derive(Debug, Default)]
struct PhoneShape {
    plus: bool,
    /// Digit groups, in order (`(0)` trunk groups included), without the extension.
    groups: StackBytes<MAX_PHONE_GROUPS>,
    /// Index of the parenthesised group, if any.
    paren: Option<usize>,
    digits: usize,
    first_digit: u8,
    second_digit: u8,
    separated: bool,
}

/// Parses `+`, digits, single separators (space, `-`, `.`, `/`), one `( )` group and an
/// `x123` extension. `None` for anything else.
fn phone_shape(s: &str) -> Option<PhoneShape> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 32 {
        return None;
    }
    let main = match b.iter().position(|&c| c == b'x' || c == b'X') {
        Some(i) => {
            let ext = &b[i + 1..];
            if ext.is_empty() || ext.len() > 6 || !ext.iter().all(u8::is_ascii_digit) {
                return None;
            }
            &b[..i]
        }
        None => b,
    };
    let mut sh = PhoneShape::default();
    let mut i = 0;
    if main.first() == Some(&b'+') {
        sh.plus = true;
        i = 1;
    }
    let mut group = 0u8;
    let mut in_paren = false;
    let mut last_sep = true;
    while i < main.len() {
        let c = main[i];
        match c {
            b'0'..=b'9' => {
                if sh.digits == 0 {
                    sh.first_digit = c;
                } else if sh.digits == 1 {
                    sh.second_digit = c;
                }
                sh.digits += 1;
                group += 1;
                last_sep = false;
            }
            b'(' => {
                if in_paren || sh.paren.is_some() || group != 0 {
                    return None;
                }
                in_paren = true;
                sh.paren = Some(sh.groups.len());
                sh.separated = true;
            }
            b')' => {
                if !in_paren || group == 0 {
                    return None;
                }
                in_paren = false;
                sh.groups.push(group)?;
                group = 0;
                last_sep = true;
            }
            b' ' | b'-' | b'.' | b'/' => {
                if in_paren {
                    return None;
                }
                if last_sep {
                    // Only `) ` may follow a group end; no doubled separators.
                    if !(i > 0 && main[i - 1] == b')' && c == b' ') {
                        return None;
                    }
                } else {
                    sh.groups.push(group)?;
                    group = 0;
                }
                sh.separated = true;
                last_sep = true;
            }
            _ => return None,
        }
        i += 1;
    }
    if in_paren || group == 0 {
        return None;
    }
    sh.groups.push(group)?;
    Some(sh)
}

/// Phone-number lookalikes that are something else: dates, IPv4, versions.
fn not_a_phone(s: &str) -> bool {
    numeric_date(s, true).is_some() || ipv4(s).is_some()
}

/// A phone number without context: E.164 (`+` and 8–15 digits), `00` international with
/// separators, NANP `(AAA) EEE-NNNN` / `AAA-EEE-NNNN` / `AAA.EEE.NNNN` / `1-AAA-EEE-NNNN`,
/// or a trunk-`0` national number with separators (9–11 digits, groups of 2+).
/// The phone-number shape of `s`, unless it reads as something else.
fn phone(s: &str) -> Option<PhoneShape> {
    phone_shape(s).filter(|_| !not_a_phone(s))
}

fn strict_phone(s: &str, sh: &PhoneShape) -> bool {
    let b = s.as_bytes();
    if b.len() == 11 && b[3] == b'-' && b[6] == b'-' {
        // The SSN shape `AAA-GG-SSSS` is not a phone number.
        return false;
    }
    if sh.plus {
        return (8..=15).contains(&sh.digits) && sh.first_digit != b'0';
    }
    if !sh.separated {
        return false;
    }
    let g = &*sh.groups;
    if sh.first_digit == b'0' && sh.second_digit == b'0' {
        return g.len() >= 2 && (10..=17).contains(&sh.digits) && (2..=5).contains(&g[0]);
    }
    // NANP, optionally with a leading country code 1.
    let nanp = match g {
        [3, 3, 4] => true,
        [1, 3, 3, 4] => sh.first_digit == b'1',
        _ => false,
    };
    if nanp {
        let area_first = if g.len() == 4 {
            sh.second_digit
        } else {
            sh.first_digit
        };
        // Area codes never start with 0 or 1 (`083 564 9312` may still be a trunk-0 number).
        if area_first >= b'2' && (g.len() == 4 || sh.paren.is_none_or(|p| p == 0)) {
            return true;
        }
    }
    if sh.first_digit == b'0' {
        let groups_ok = g.len() >= 2
            && g.iter()
                .enumerate()
                .all(|(i, &n)| (2..=8).contains(&n) || (i == 0 && n == 1 && sh.paren == Some(0)));
        return groups_ok && (9..=11).contains(&sh.digits);
    }
    false
}

/// A phone number where the context says so: 7–15 digits in a phone-number shape (separators
/// optional), not a date, not one repeated digit.
pub(crate) fn phone_lenient(s: &str) -> bool {
    phone(s).is_some_and(|sh| lenient_phone(s, &sh))
}

fn lenient_phone(s: &str, sh: &PhoneShape) -> bool {
    if !(7..=15).contains(&sh.digits) {
        return false;
    }
    // Not one digit repeated (the extension aside).
    let mut digits = s
        .bytes()
        .take_while(|&c| c != b'x' && c != b'X')
        .filter(u8::is_ascii_digit);
    let first = digits.next();
    digits.any(|d| Some(d) != first)
}

// ---------------------------------------------------------------------------------------------
// Number-like candidates of the free-text scan

/// A number-like candidate of the free-text scan, asked about by several validators in turn
/// (card, SSN, IPv4, date of birth, phone: the same answers as the functions above): its card
/// digits and its phone-number shape are each read once. The scan tries up to eight
/// candidates at every group of digits, so a run of digit groups costs what these readings
/// cost.
pub(crate) struct Number<'a> {
    s: &'a str,
    card: Option<Option<Digits>>,
    phone: Option<Option<PhoneShape>>,
}

impl<'a> Number<'a> {
    pub(crate) fn new(s: &'a str) -> Self {
        Number {
            s,
            card: None,
            phone: None,
        }
    }

    fn card(&mut self) -> Option<&Digits> {
        let s = self.s;
        self.card.get_or_insert_with(|| card_digits(s)).as_ref()
    }

    fn phone(&mut self) -> Option<&PhoneShape> {
        let s = self.s;
        self.phone.get_or_insert_with(|| phone(s)).as_ref()
    }

    pub(crate) fn card_strict(&mut self) -> bool {
        self.card().is_some_and(|d| strict_card(d))
    }

    pub(crate) fn card_lenient(&mut self) -> bool {
        self.card().is_some_and(|d| lenient_card(d))
    }

    pub(crate) fn ssn(&self, loose: bool) -> bool {
        ssn(self.s, loose)
    }

    pub(crate) fn ipv4(&self) -> Option<[u8; 4]> {
        ipv4(self.s)
    }

    pub(crate) fn birth_date(&self) -> bool {
        birth_date(self.s)
    }

    pub(crate) fn phone_strict(&mut self) -> bool {
        let s = self.s;
        self.phone().is_some_and(|sh| strict_phone(s, sh))
    }

    pub(crate) fn phone_lenient(&mut self) -> bool {
        let s = self.s;
        self.phone().is_some_and(|sh| lenient_phone(s, sh))
    }
}

// ---------------------------------------------------------------------------------------------
// Names, addresses and other context-only classes

/// Words that make a "name" an organisation, a place, a thing or a placeholder.
static NOT_PERSON_WORDS: &str =
    "& ab account action actions add admin administrator ag agency airlines airways all and \
    anonymous api app apply approval approvals association bakery bank bar bistro bot button bv \
    cafe café calendar capital card cards catch category center centre channel check church \
    clinic cloud club co college column columns company config consulting contact content corp \
    corporation council count create custom daily dashboard data date default delete demo \
    department dept description design details document documents download edit email end energy \
    engineering enterprises error event events everyone example export external field fields file \
    files finally finance flow flows folder foods for form foundation function garden gardens \
    general get global gmbh government grill group handler holdings home homepage hospital hotel \
    house hr http import inc industries info inn input institute internal international it item \
    items kg kitchen lab label labs layout legal list llc ltd mail main market marketing media \
    message messages ministry mock monthly motors my n/a name network networks new node none \
    noreply notification notifications null number nv of office operations ops order organisation \
    organization our output oy page partners pizza pizzeria platform plc portal primary private \
    process processing product project pty public record records reminder reminders remove report \
    reports request requests response restaurant retail row rows run sa sales sample sarl sas \
    schedule scheduled school secondary send server service services set settings sheet shop site \
    slider software solutions spa srl start status stop store string studio studios summary \
    support sync system systems table task tasks tbd team tech technologies technology template \
    templates test text the theme time title todo total trigger try type ui university unknown \
    update upload user users value values ventures view webhook weekly workflow workspace your";

fn is_not_person_word(w: &str) -> bool {
    crate::words::listed_lowercase(NOT_PERSON_WORDS, w.trim_end_matches(['.', ',']))
}

fn name_word_chars(w: &str) -> bool {
    let chars: Vec<char> = w.chars().collect();
    // `metaTitle`, `readingTime`: camelCase identifiers (but `McDonald`, `DeVito` are names).
    let camel = chars.first().is_some_and(|c| c.is_lowercase())
        && chars
            .windows(2)
            .any(|p| p[0].is_lowercase() && p[1].is_uppercase());
    !camel
        && chars.iter().any(|c| c.is_alphabetic())
        && chars
            .iter()
            .all(|&c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
}

/// A value under a person-name key: 1–5 words of letters (`'`, `-`, `.` allowed), no digits,
/// no organisation or placeholder words.
pub(crate) fn person_name(s: &str) -> bool {
    if s.len() > 80 {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| name_word_chars(w) && !is_not_person_word(w))
}

/// A value under a role key (`owner`, `author`): 2–4 capitalised words or initials, no
/// organisation or placeholder words.
pub(crate) fn strict_person_name(s: &str) -> bool {
    if s.len() > 80 {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut cs = w.chars();
            let first_upper = cs.next().is_some_and(char::is_uppercase);
            let rest: Vec<char> = cs.collect();
            let initial = rest.is_empty() || rest == ['.'];
            first_upper && (initial || rest.iter().any(|c| c.is_lowercase()))
        })
        && words.iter().any(|w| w.chars().count() > 2)
        && person_name(s)
}

/// A postcode made of digits only: `12345`, `394 13`, `75534-030`, `12345-6789`.
fn numeric_postcode(s: &str) -> bool {
    let groups: Vec<&str> = s.split([' ', '-']).collect();
    if !groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    match groups.as_slice() {
        [a] => (3..=6).contains(&a.len()),
        [a, b] => {
            ((2..=5).contains(&a.len()) && (2..=3).contains(&b.len()))
                || (a.len() == 5 && b.len() == 4 && s.contains('-'))
        }
        _ => false,
    }
}

/// A value under an address key: an address line or a fragment of one (`Suite 318`,
/// `Main Street`), or a postcode (`75534-030`, `B0J 2H0`, `7412 SL`). Not a name, a phone
/// number or an id.
fn postal_fragment(s: &str) -> bool {
    if s.len() > 300
        || s.contains("://")
        || s.contains('@')
        || ipv4(s).is_some()
        || ipv6_reportable(s)
    {
        return false;
    }
    let has_digit = s.bytes().any(|c| c.is_ascii_digit());
    let has_alpha = s.chars().any(char::is_alphabetic);
    if !has_digit {
        // Only with a street word after a name (`Main Street`, `Berg Hills`; not
        // `Dr. Jennifer Holst`), a leading prefix (`Rue de Tanger`) or a compound (`Koskikatu`).
        let words: Vec<&str> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        return words.iter().enumerate().any(|(i, w)| {
            (i > 0 && super::streets::street_word(w))
                || (i == 0 && super::streets::street_prefix(w))
        });
    }
    if !has_alpha {
        return numeric_postcode(s);
    }
    // Letters and digits: an address line (several words) or a short alphanumeric postcode.
    s.split_whitespace().count() >= 2 || s.chars().filter(char::is_ascii_alphanumeric).count() <= 8
}

/// Alphanumeric id with optional separators (` `, `-`, `.`, `/`), `min_alnum..=max_alnum`
/// characters of which at least `min_digits` are digits.
fn id_like(s: &str, min_alnum: usize, max_alnum: usize, min_digits: usize) -> bool {
    let mut alnum = 0;
    let mut digits = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            alnum += 1;
        } else if c.is_ascii_alphabetic() {
            alnum += 1;
        } else if !matches!(c, ' ' | '-' | '.' | '/') {
            return false;
        }
    }
    (min_alnum..=max_alnum).contains(&alnum) && digits >= min_digits
}

/// ABA routing number checksum (3-7-1 weights).
fn aba_routing(s: &str) -> bool {
    let d: Vec<u32> = s
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|c| u32::from(c - b'0'))
        .collect();
    if d.len() != 9
        || s.bytes()
            .any(|c| !c.is_ascii_digit() && c != b' ' && c != b'-')
    {
        return false;
    }
    let w = [3, 7, 1, 3, 7, 1, 3, 7, 1];
    d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 10 == 0 && d.iter().any(|&x| x != 0)
}

/// A money amount (`85000`, `$85,000`, `85k`, `EUR 4.200 / month`).
fn amount(s: &str) -> bool {
    if s.len() > 40 || !s.bytes().any(|c| c.is_ascii_digit()) || numeric_date(s, false).is_some() {
        return false;
    }
    let words = s
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .count();
    words <= 3
        && s.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | ','
                        | '.'
                        | '\''
                        | '/'
                        | '-'
                        | '–'
                        | '$'
                        | '€'
                        | '£'
                        | '¥'
                        | '₹'
                        | '+'
                        | '~'
                )
        })
}

/// Free text that says something (a diagnosis, a condition): letters, not a yes/no or a
/// placeholder.
fn meaningful_text(s: &str) -> bool {
    s.chars().count() >= 2
        && s.chars().any(char::is_alphabetic)
        && !crate::placeholder::no_value_word(s)
}

/// A credential value: a single token (or `Bearer`/`Basic`/`Token` + token), not a reference.
fn credential_value(s: &str) -> bool {
    if s.len() < 3 || s.len() > 4096 {
        return false;
    }
    let token = match s.split_once(' ') {
        Some((scheme, rest)) => {
            if !["bearer", "basic", "token", "digest", "apikey"]
                .iter()
                .any(|p| scheme.eq_ignore_ascii_case(p))
            {
                return false;
            }
            rest.trim()
        }
        None => s,
    };
    if token.len() < 3
        || token.contains(char::is_whitespace)
        || is_placeholder(token, PlaceholderFor::Data)
    {
        return false;
    }
    // `API_KEY`, `MY_SECRET`: the name of an environment variable, not its value.
    let env_name = token.contains('_')
        && token
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_');
    let b = token.as_bytes();
    !env_name && !all_same(b)
}

// ---------------------------------------------------------------------------------------------
// Placeholders

// ---------------------------------------------------------------------------------------------

/// Whether `v` (trimmed, non-empty) is a plausible value of class `c`, the class its key
/// names. Classes found by a validator in any case (e-mail, IP, IBAN) are left to the scan.
pub(crate) fn fits(c: C, v: &str, ctx: &Context) -> bool {
    // Found by the scan only, never by context (before the placeholder check: it costs more).
    if matches!(c, C::Email | C::IpAddress | C::Iban) {
        return false;
    }
    if is_placeholder(v, PlaceholderFor::Data) {
        return false;
    }
    match c {
        C::Email | C::IpAddress | C::Iban => false,
        C::Phone => phone_lenient(v),
        C::PersonName if ctx.weak_name() => strict_person_name(v),
        C::PersonName => person_name(v),
        C::PostalAddress => postal_fragment(v),
        C::DateOfBirth => birth_date(v),
        C::UsSsn => ssn(v, true),
        C::Passport => id_like(v, 6, 12, 4),
        C::NationalId => id_like(v, 5, 24, 4),
        C::PaymentCard => {
            if ctx.cvv() {
                (3..=4).contains(&v.len()) && v.bytes().all(|c| c.is_ascii_digit())
            } else {
                card_lenient(v)
            }
        }
        C::BankAccount => {
            if ctx.routing() {
                aba_routing(v)
            } else if ctx.sort_code() {
                let d: Vec<u8> = v.bytes().filter(u8::is_ascii_digit).collect();
                d.len() == 6
                    && v.bytes()
                        .all(|c| c.is_ascii_digit() || c == b'-' || c == b' ')
            } else {
                // A valid IBAN is reported as such by the scan.
                id_like(v, 6, 34, 6) && !iban_valid(v)
            }
        }
        C::Health => meaningful_text(v),
        C::Salary => amount(v),
        C::Credentials => credential_value(v),
    }
}

#[cfg(test)]
#[test]
fn word_lists_are_sorted() {
    super::names::assert_word_lists(&[
        FILE_EXTS,
        NOT_PERSON_WORDS,
        crate::placeholder::NO_VALUE_WORDS,
    ]);
}
