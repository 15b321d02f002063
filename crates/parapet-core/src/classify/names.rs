//! Field names: tokenizer and token-based rules.

use std::sync::OnceLock;

use super::C;
use crate::hash::Map;
#[cfg(test)]
use crate::words::{listed, search};

/// Longest name looked at (bytes); longer names are cut at a character boundary.
const MAX_NAME: usize = 256;
/// Most tokens looked at.
const MAX_TOKENS: usize = 16;

/// Splits a field name into lowercase tokens: on every non-alphanumeric character, at
/// camelCase and PascalCase boundaries (`employeeEmail`, `SSNNumber` -> `ssn`, `number`) and
/// between letters and digits (`address1`, `ipv4`).
#[cfg(test)]
pub(crate) fn tokens(name: &str) -> Vec<String> {
    let t = Tokens::new(name);
    let (list, n) = t.strs();
    list[..n].iter().map(|s| s.to_string()).collect()
}

/// Names up to this many bytes (ASCII) are tokenized without allocating.
const SMALL: usize = 48;

/// The tokens of a name (see [`tokens`]), kept in one buffer: the name itself when it is
/// ASCII without capitals (the tokens are its slices), else inline for a short ASCII name, on
/// the heap for any other.
#[derive(Debug)]
pub(crate) struct Tokens<'a> {
    /// The name, when the spans index it directly.
    borrowed: Option<&'a str>,
    small: [u8; SMALL],
    small_len: usize,
    /// Used instead of `small` when `heap` is set.
    buf: String,
    heap: bool,
    /// Byte ranges of the tokens in the buffer (one spare slot: see [`Tokens::new`]); the
    /// buffer holds at most a few times `MAX_NAME` bytes.
    spans: [(u16, u16); MAX_TOKENS + 1],
    n: usize,
}

impl Default for Tokens<'_> {
    fn default() -> Self {
        Self::empty(0, false)
    }
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(name: &'a str) -> Self {
        let name = cut(name, MAX_NAME);
        if name.is_ascii() {
            Self::split_ascii(name)
        } else {
            Self::split_chars(name)
        }
    }

    fn empty(len: usize, heap: bool) -> Self {
        Tokens {
            borrowed: None,
            small: [0; SMALL],
            small_len: 0,
            buf: if heap {
                String::with_capacity(len)
            } else {
                String::new()
            },
            heap,
            spans: [(0, 0); MAX_TOKENS + 1],
            n: 0,
        }
    }

    /// Bytes in the buffer so far.
    fn len(&self) -> usize {
        if self.heap {
            self.buf.len()
        } else {
            self.small_len
        }
    }

    /// The buffer's text.
    fn text(&self) -> &str {
        if let Some(name) = self.borrowed {
            name
        } else if self.heap {
            &self.buf
        } else {
            std::str::from_utf8(self.small.get(..self.small_len).unwrap_or(&[])).unwrap_or("")
        }
    }

    /// The general tokenizer (any Unicode name).
    fn split_chars(name: &str) -> Self {
        let mut t = Self::empty(name.len(), true);
        let mut cur = 0; // start of the current token in `buf`
                         // `rest` starts right after `c`; `prev` is the character before `c`.
        let mut rest = name.chars();
        let mut prev: Option<char> = None;
        while let Some(c) = rest.next() {
            if !c.is_alphanumeric() {
                t.flush(&mut cur);
            } else {
                if let Some(p) = prev {
                    let next = rest.clone().next();
                    let boundary = p.is_alphanumeric()
                        && ((p.is_lowercase() && c.is_uppercase())
                            || (p.is_numeric() != c.is_numeric())
                            || (p.is_uppercase()
                                && c.is_uppercase()
                                && next.is_some_and(char::is_lowercase)
                                // `SSNs`, `IPs`: a plural s after an acronym stays with it.
                                && (next != Some('s')
                                    || rest.clone().nth(1).is_some_and(char::is_lowercase))));
                    if boundary {
                        t.flush(&mut cur);
                    }
                }
                if c.is_ascii() {
                    t.buf.push(c.to_ascii_lowercase());
                } else {
                    t.buf.extend(c.to_lowercase());
                }
            }
            if t.n >= MAX_TOKENS {
                break; // later tokens are dropped anyway
            }
            prev = Some(c);
        }
        t.flush(&mut cur);
        t.n = t.n.min(MAX_TOKENS);
        t
    }

    /// [`Tokens::new`] for an ASCII name: the same rules on bytes (for ASCII characters the
    /// Unicode predicates are the ASCII ones).
    fn split_ascii(name: &'a str) -> Self {
        let b = name.as_bytes();
        if !b.iter().any(u8::is_ascii_uppercase) {
            return Self::split_lower(name);
        }
        let mut t = Self::empty(b.len(), b.len() > SMALL);
        let mut cur = 0; // start of the current token in the buffer
        for (i, &c) in b.iter().enumerate() {
            if !c.is_ascii_alphanumeric() {
                t.flush(&mut cur);
            } else {
                if let Some(&p) = i.checked_sub(1).and_then(|j| b.get(j)) {
                    let next = b.get(i + 1).copied();
                    let boundary = p.is_ascii_alphanumeric()
                        && ((p.is_ascii_lowercase() && c.is_ascii_uppercase())
                            || (p.is_ascii_digit() != c.is_ascii_digit())
                            || (p.is_ascii_uppercase()
                                && c.is_ascii_uppercase()
                                && next.is_some_and(|n| n.is_ascii_lowercase())
                                // `SSNs`, `IPs`: a plural s after an acronym stays with it.
                                && (next != Some(b's')
                                    || b.get(i + 2).is_some_and(u8::is_ascii_lowercase))));
                    if boundary {
                        t.flush(&mut cur);
                    }
                }
                let lower = c.to_ascii_lowercase();
                if t.heap {
                    t.buf.push(char::from(lower));
                } else if let Some(slot) = t.small.get_mut(t.small_len) {
                    *slot = lower;
                    t.small_len += 1;
                }
            }
            if t.n >= MAX_TOKENS {
                break; // later tokens are dropped anyway
            }
        }
        t.flush(&mut cur);
        t.n = t.n.min(MAX_TOKENS);
        t
    }

    /// [`Tokens::split_ascii`] for an ASCII name without capitals: the same rules (tokens end
    /// at other characters and between letters and digits), the tokens slices of the name.
    fn split_lower(name: &'a str) -> Self {
        let b = name.as_bytes();
        let mut t = Self::empty(0, false);
        t.borrowed = Some(name);
        // The current token is `b[cur..end]` while `open`.
        let (mut cur, mut end, mut open) = (0, 0, false);
        for (i, &c) in b.iter().enumerate() {
            if !c.is_ascii_alphanumeric() {
                if open {
                    t.span(cur, end);
                    open = false;
                }
            } else {
                if !open {
                    (cur, open) = (i, true);
                } else if b[i - 1].is_ascii_digit() != c.is_ascii_digit() {
                    t.span(cur, end);
                    cur = i;
                }
                end = i + 1;
            }
            if t.n >= MAX_TOKENS {
                break; // later tokens are dropped anyway
            }
        }
        if open {
            t.span(cur, end);
        }
        t.n = t.n.min(MAX_TOKENS);
        t
    }

    /// Adds the token `start..end` (a spare slot takes one past the last kept).
    fn span(&mut self, start: usize, end: usize) {
        if let Some(slot) = self.spans.get_mut(self.n) {
            *slot = (start as u16, end as u16);
            self.n += 1;
        }
    }

    /// Ends the current token (if any) at the end of the buffer.
    fn flush(&mut self, cur: &mut usize) {
        let end = self.len();
        if end > *cur {
            if let Some(slot) = self.spans.get_mut(self.n) {
                *slot = (*cur as u16, end as u16);
                self.n += 1;
            }
        }
        *cur = end;
    }

    /// The tokens: the first `n` entries of the array.
    pub(crate) fn strs(&self) -> ([&str; MAX_TOKENS], usize) {
        let mut list = [""; MAX_TOKENS];
        let text = self.text();
        for (slot, &(a, b)) in list.iter_mut().zip(&self.spans[..self.n]) {
            *slot = text.get(usize::from(a)..usize::from(b)).unwrap_or("");
        }
        (list, self.n)
    }
}

/// `s` cut to at most `max` bytes, at a character boundary.
pub(crate) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// `tok` is `word` or a regular plural of it (`emails`, `salaries`, `addresses`).
pub(crate) fn word_eq(tok: &str, word: &str) -> bool {
    if tok == word {
        return true;
    }
    if let Some(stem) = tok.strip_suffix('s') {
        if stem == word {
            return true;
        }
        if let Some(stem) = stem.strip_suffix('e') {
            if stem == word && (word.ends_with('s') || word.ends_with('x')) {
                return true;
            }
            if let Some(stem) = stem.strip_suffix('i') {
                return word.strip_suffix('y') == Some(stem);
            }
        }
    }
    false
}

/// `tok` is one of the words of a sorted word list (or a plural of one): [`word_eq`] against
/// every word, by binary search. (The reference [`lists_of_any`] is tested against.)
#[cfg(test)]
fn any_eq(tok: &str, words: &str) -> bool {
    if listed(words, tok) {
        return true;
    }
    let Some(stem) = tok.strip_suffix('s') else {
        return false;
    };
    if listed(words, stem) {
        return true;
    }
    let Some(stem) = stem.strip_suffix('e') else {
        return false;
    };
    if (stem.ends_with('s') || stem.ends_with('x')) && listed(words, stem) {
        return true;
    }
    // `-ies` is the plural of a word in `-y`: look `<stem>y` up without building it.
    let Some(stem) = stem.strip_suffix('i') else {
        return false;
    };
    search(words, |x| {
        x.iter().copied().cmp(stem.bytes().chain(Some(b'y')))
    })
}

/// Checks that each list is a word list [`listed`] can search.
#[cfg(test)]
pub(crate) fn assert_word_lists(lists: &[&str]) {
    for list in lists {
        let words: Vec<&str> = list.split(' ').collect();
        assert!(
            words.iter().all(|w| !w.is_empty()),
            "empty word in {list:?}"
        );
        assert!(
            words.windows(2).all(|p| p[0] < p[1]),
            "unsorted or duplicate: {list:?}"
        );
    }
}

/// The word lists of this module, one bit each in [`lists_of`].
static LISTS: [&str; 22] = [
    META,
    CRED_META,
    BOOLEAN_PREFIX,
    PERSON_QUALIFIERS,
    NAME_SUFFIXES,
    ADDRESS_EMAIL,
    ADDRESS_IP,
    ADDRESS_OTHER,
    ADDR_POSTAL,
    IP_OTHER,
    TOKEN_OTHER,
    PASS_QUALIFIERS,
    HEALTH_OTHER,
    PERSON_ROLES,
    VERSION_WORDS,
    INFRA_WORDS,
    WEAK_NAME_WORDS,
    CVV_WORDS,
    ROUTING_WORDS,
    SPECIAL_WORDS,
    SORT_CODE_WORDS,
    // Filled in by [`lists_index`]: the first words of the [`PHRASES`].
    "",
];
const L_META: u32 = 1;
const L_CRED_META: u32 = 1 << 1;
const L_BOOLEAN_PREFIX: u32 = 1 << 2;
const L_PERSON_QUALIFIERS: u32 = 1 << 3;
const L_NAME_SUFFIXES: u32 = 1 << 4;
const L_ADDRESS_EMAIL: u32 = 1 << 5;
const L_ADDRESS_IP: u32 = 1 << 6;
const L_ADDRESS_OTHER: u32 = 1 << 7;
const L_ADDR_POSTAL: u32 = 1 << 8;
const L_IP_OTHER: u32 = 1 << 9;
const L_TOKEN_OTHER: u32 = 1 << 10;
const L_PASS_QUALIFIERS: u32 = 1 << 11;
const L_HEALTH_OTHER: u32 = 1 << 12;
const L_PERSON_ROLES: u32 = 1 << 13;
const L_VERSION_WORDS: u32 = 1 << 14;
const L_INFRA_WORDS: u32 = 1 << 15;
const L_WEAK_NAME: u32 = 1 << 16;
const L_CVV: u32 = 1 << 17;
const L_ROUTING: u32 = 1 << 18;
const L_SPECIAL: u32 = 1 << 19;
const L_SORT_CODE: u32 = 1 << 20;
/// The first word of a phrase in [`PHRASES`].
const L_PHRASE_START: u32 = 1 << 21;

/// A one-word sort code key (`sortcode`, `sortCodes` is `sort` + `codes`).
static SORT_CODE_WORDS: &str = "sortcode";

/// The words [`special`] looks at (plurals included by [`any_eq`]).
static SPECIAL_WORDS: &str = "addr address name pass token";

/// Every word of [`LISTS`] (and every first word of a phrase) with the lists it is in (built
/// once): one hash look-up answers every list.
fn lists_index() -> &'static Map<&'static str, u32> {
    static INDEX: OnceLock<Map<&'static str, u32>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m: Map<&'static str, u32> = Map::default();
        for (bit, list) in LISTS.iter().enumerate() {
            for w in list.split(' ').filter(|w| !w.is_empty()) {
                *m.entry(w).or_default() |= 1 << bit;
            }
        }
        for (phrase, _) in PHRASES {
            if let Some(first) = phrase.split(' ').next() {
                *m.entry(first).or_default() |= L_PHRASE_START;
            }
        }
        m
    })
}

/// The lists `w` is in (bits of [`LISTS`]).
fn lists_of(w: &str) -> u32 {
    lists_index().get(w).copied().unwrap_or(0)
}

/// The lists `tok` or its singular is in: the bits for which [`any_eq`] holds (`exact`:
/// [`lists_of`] `tok`).
fn lists_of_any(tok: &str, exact: u32) -> u32 {
    let mut bits = exact;
    let Some(stem) = tok.strip_suffix('s') else {
        return bits;
    };
    bits |= lists_of(stem);
    let Some(stem) = stem.strip_suffix('e') else {
        return bits;
    };
    if stem.ends_with('s') || stem.ends_with('x') {
        bits |= lists_of(stem);
    }
    // `-ies` is the plural of a word in `-y`.
    let Some(stem) = stem.strip_suffix('i') else {
        return bits;
    };
    let mut buf = [0u8; 40];
    if let Some(dst) = buf.get_mut(..=stem.len()) {
        dst[..stem.len()].copy_from_slice(stem.as_bytes());
        dst[stem.len()] = b'y';
        if let Ok(w) = std::str::from_utf8(dst) {
            bits |= lists_of(w);
        }
    }
    bits
}

/// The tokens of a name with the lists each is in: exactly, and with plurals ([`any_eq`]).
struct Looked<'a, 't> {
    tokens: &'t [&'a str],
    exact: [u32; MAX_TOKENS],
    any: [u32; MAX_TOKENS],
}

impl<'a, 't> Looked<'a, 't> {
    fn new(tokens: &'t [&'a str]) -> Self {
        let mut l = Looked {
            tokens,
            exact: [0; MAX_TOKENS],
            any: [0; MAX_TOKENS],
        };
        for (i, t) in tokens.iter().enumerate().take(MAX_TOKENS) {
            l.exact[i] = lists_of(t);
            l.any[i] = lists_of_any(t, l.exact[i]);
        }
        l
    }
}

/// Phrases (space-separated tokens) that name a class. Multi-token phrases let `card_number`,
/// `ccNumber` and `cardnumber` all match; matching is per token, never by substring.
/// `name`, `address`, `token` and `pass` are handled in [`special`].
static PHRASES: &[(&str, C)] = &[
    // e-mail
    ("email", C::Email),
    ("e mail", C::Email),
    ("emailaddress", C::Email),
    ("mail", C::Email),
    ("upn", C::Email),
    // phone
    ("phone", C::Phone),
    ("telephone", C::Phone),
    ("tel", C::Phone),
    ("mobile", C::Phone),
    ("cellphone", C::Phone),
    ("cell phone", C::Phone),
    ("cell number", C::Phone),
    ("fax", C::Phone),
    ("whatsapp", C::Phone),
    ("whats app", C::Phone),
    ("msisdn", C::Phone),
    ("phonenumber", C::Phone),
    ("mobilephone", C::Phone),
    ("contact number", C::Phone),
    ("sms number", C::Phone),
    ("telefon", C::Phone),
    ("telefono", C::Phone),
    ("telefone", C::Phone),
    // person name (plus `<qualifier> name`, see `special`)
    ("firstname", C::PersonName),
    ("lastname", C::PersonName),
    ("fullname", C::PersonName),
    ("surname", C::PersonName),
    ("forename", C::PersonName),
    ("givenname", C::PersonName),
    ("familyname", C::PersonName),
    ("middlename", C::PersonName),
    ("maidenname", C::PersonName),
    ("displayname", C::PersonName),
    ("nickname", C::PersonName),
    ("fname", C::PersonName),
    ("lname", C::PersonName),
    ("cardholder", C::PersonName),
    ("card holder", C::PersonName),
    ("vorname", C::PersonName),
    ("nachname", C::PersonName),
    ("apellido", C::PersonName),
    ("prenom", C::PersonName),
    // postal address (plus `address`, see `special`)
    ("street", C::PostalAddress),
    ("streetaddress", C::PostalAddress),
    ("zip", C::PostalAddress),
    ("zipcode", C::PostalAddress),
    ("postcode", C::PostalAddress),
    ("postalcode", C::PostalAddress),
    ("postal code", C::PostalAddress),
    ("post code", C::PostalAddress),
    ("house number", C::PostalAddress),
    ("housenumber", C::PostalAddress),
    ("po box", C::PostalAddress),
    ("pobox", C::PostalAddress),
    ("plz", C::PostalAddress),
    // date of birth
    ("dob", C::DateOfBirth),
    ("birthdate", C::DateOfBirth),
    ("birthday", C::DateOfBirth),
    ("dateofbirth", C::DateOfBirth),
    ("date of birth", C::DateOfBirth),
    ("birth date", C::DateOfBirth),
    ("birth day", C::DateOfBirth),
    ("birth dt", C::DateOfBirth),
    ("birth year", C::DateOfBirth),
    ("born", C::DateOfBirth),
    ("geburtsdatum", C::DateOfBirth),
    // IP address
    ("ip", C::IpAddress),
    ("ipv", C::IpAddress),
    ("ipaddress", C::IpAddress),
    ("ipaddr", C::IpAddress),
    ("forwarded for", C::IpAddress),
    ("remote addr", C::IpAddress),
    ("remoteaddr", C::IpAddress),
    ("remoteaddress", C::IpAddress),
    // government ids
    ("ssn", C::UsSsn),
    ("social security", C::UsSsn),
    ("socialsecurity", C::UsSsn),
    ("socialsecuritynumber", C::UsSsn),
    ("passport", C::Passport),
    ("passportnumber", C::Passport),
    ("passportno", C::Passport),
    ("national id", C::NationalId),
    ("nationalid", C::NationalId),
    ("national identity", C::NationalId),
    ("national identification", C::NationalId),
    ("national insurance", C::NationalId),
    ("national number", C::NationalId),
    ("nino", C::NationalId),
    ("nin", C::NationalId),
    ("tax id", C::NationalId),
    ("taxid", C::NationalId),
    ("tax number", C::NationalId),
    ("tax no", C::NationalId),
    ("tax identification", C::NationalId),
    ("taxpayer id", C::NationalId),
    ("tin", C::NationalId),
    ("itin", C::NationalId),
    ("driver license", C::NationalId),
    ("drivers license", C::NationalId),
    ("driver licence", C::NationalId),
    ("drivers licence", C::NationalId),
    ("driving license", C::NationalId),
    ("driving licence", C::NationalId),
    ("driverlicense", C::NationalId),
    ("driverslicense", C::NationalId),
    ("id card", C::NationalId),
    ("identity card", C::NationalId),
    ("identity number", C::NationalId),
    ("social insurance number", C::NationalId),
    ("aadhaar", C::NationalId),
    ("aadhar", C::NationalId),
    ("cpf", C::NationalId),
    ("nric", C::NationalId),
    ("bsn", C::NationalId),
    ("pesel", C::NationalId),
    ("curp", C::NationalId),
    ("dni", C::NationalId),
    ("personnummer", C::NationalId),
    ("voter id", C::NationalId),
    ("citizen id", C::NationalId),
    // payment card
    ("card number", C::PaymentCard),
    ("cardnumber", C::PaymentCard),
    ("card no", C::PaymentCard),
    ("card num", C::PaymentCard),
    ("card nr", C::PaymentCard),
    ("cc number", C::PaymentCard),
    ("ccnumber", C::PaymentCard),
    ("cc num", C::PaymentCard),
    ("ccnum", C::PaymentCard),
    ("cc no", C::PaymentCard),
    ("credit card", C::PaymentCard),
    ("creditcard", C::PaymentCard),
    ("debit card", C::PaymentCard),
    ("debitcard", C::PaymentCard),
    ("payment card", C::PaymentCard),
    ("card pan", C::PaymentCard),
    ("cvv", C::PaymentCard),
    ("cvc", C::PaymentCard),
    ("ccv", C::PaymentCard),
    ("card verification", C::PaymentCard),
    // bank
    ("iban", C::Iban),
    ("bank account", C::BankAccount),
    ("bankaccount", C::BankAccount),
    ("account number", C::BankAccount),
    ("accountnumber", C::BankAccount),
    ("account no", C::BankAccount),
    ("account num", C::BankAccount),
    ("account nr", C::BankAccount),
    ("acct number", C::BankAccount),
    ("acct no", C::BankAccount),
    ("acct num", C::BankAccount),
    ("acctno", C::BankAccount),
    ("routing number", C::BankAccount),
    ("routing no", C::BankAccount),
    ("routingnumber", C::BankAccount),
    ("aba routing", C::BankAccount),
    ("sort code", C::BankAccount),
    ("sortcode", C::BankAccount),
    ("bsb", C::BankAccount),
    ("bank details", C::BankAccount),
    // health
    ("diagnosis", C::Health),
    ("diagnoses", C::Health),
    ("medical", C::Health),
    ("health record", C::Health),
    ("health condition", C::Health),
    ("health data", C::Health),
    ("health info", C::Health),
    ("health information", C::Health),
    ("health insurance", C::Health),
    ("health history", C::Health),
    ("health issue", C::Health),
    ("health problem", C::Health),
    ("health note", C::Health),
    ("mental health", C::Health),
    ("medication", C::Health),
    ("prescription", C::Health),
    ("allergy", C::Health),
    ("disability", C::Health),
    ("illness", C::Health),
    ("disease", C::Health),
    ("symptom", C::Health),
    ("blood type", C::Health),
    ("blood group", C::Health),
    ("mrn", C::Health),
    ("icd", C::Health),
    ("clinical", C::Health),
    ("vaccination", C::Health),
    ("pregnancy", C::Health),
    ("patient record", C::Health),
    ("patient history", C::Health),
    ("patient note", C::Health),
    // salary
    ("salary", C::Salary),
    ("compensation", C::Salary),
    ("wage", C::Salary),
    ("income", C::Salary),
    ("payroll", C::Salary),
    ("paycheck", C::Salary),
    ("payslip", C::Salary),
    ("remuneration", C::Salary),
    ("earnings", C::Salary),
    ("pay rate", C::Salary),
    ("payrate", C::Salary),
    ("pay grade", C::Salary),
    ("pay scale", C::Salary),
    ("pay band", C::Salary),
    ("base pay", C::Salary),
    ("gross pay", C::Salary),
    ("net pay", C::Salary),
    ("hourly rate", C::Salary),
    ("annual pay", C::Salary),
    // credentials (plus `token` and `pass`, see `special`)
    ("password", C::Credentials),
    ("passwd", C::Credentials),
    ("pwd", C::Credentials),
    ("passphrase", C::Credentials),
    ("passcode", C::Credentials),
    ("pass word", C::Credentials),
    ("secret", C::Credentials),
    ("api key", C::Credentials),
    ("apikey", C::Credentials),
    ("api token", C::Credentials),
    ("access key", C::Credentials),
    ("accesskey", C::Credentials),
    ("secret key", C::Credentials),
    ("secretkey", C::Credentials),
    ("private key", C::Credentials),
    ("privatekey", C::Credentials),
    ("encryption key", C::Credentials),
    ("signing key", C::Credentials),
    ("master key", C::Credentials),
    ("subscription key", C::Credentials),
    ("auth key", C::Credentials),
    ("authorization", C::Credentials),
    ("proxy authorization", C::Credentials),
];

/// A token right after a match that makes the field *about* the data, not the data
/// (`email_template`, `phone_type`, `ip_whitelist`, `mobile_layout`).
static META: &str =
    "allocation allowlist app archive arn available blacklist blocklist body breakpoint btn button \
    category check checker checks checkup cidr client col color colour column complete completed \
    complexity component compression config configuration configured confirmation confirmed \
    consent count device disabled domain done editor enable enabled endpoint error exists failed \
    family field file filename filter flag format forwarding friendly generator header height \
    hint host icon key label layout length limit link lookup mask menu message missing mode \
    monitor nav navigation notification only opt optimized optin option os page path pattern \
    placeholder platform policy pool port preference probe prompt protocol provided provider \
    range ready ref reference regex report required responsive restriction rotation rule schema \
    score screen sent server service setting setup sheet site source spec statement status step \
    strategy strength style subject subnet success support tab template text title type uri url \
    usage valid validated validation validator verification verified verify version view \
    visibility visible web whitelist widget width";

/// After a credential word: facts about a secret, not the secret (`secret_name`, `password_expires`).
static CRED_META: &str =
    "age auth based changed created env expiration expired expires expiry field file flow forgot \
    forgotten form free grant id last less location login manager name protected question \
    recovery required reset rotated scope scopes set storage store type updated var variable \
    vault";

/// Leading tokens that make a field a boolean or an action (`is_email`, `send_email`).
static BOOLEAN_PREFIX: &str =
    "allow allowed ask can collect count enable enabled has hide include is must need needs num \
    require required send should show use validate verify with without";

/// `<qualifier> name` is a person's name.
static PERSON_QUALIFIERS: &str =
    "applicant approver assignee attendee author beneficiary billing birth buyer caller candidate \
    cardholder child citizen client consumer contact customer display doctor donor driver \
    emergency employee family father first full given guardian guest holder instructor insured \
    kin landlord last lead legal maiden manager member middle mother next nick nurse owner parent \
    participant passenger patient person personal physician policyholder preferred pupil real \
    recipient reporter requester requestor resident reviewer sender shipping shopper signatory \
    signer speaker spouse staff student subscriber supervisor suspect teacher tenant traveler \
    traveller victim visitor volunteer winner witness worker";

/// `name_<qualifier>` is a person's name (`name_first`, `name_last`).
static NAME_SUFFIXES: &str = "family first full given last middle";

/// `<qualifier> address` that is an e-mail address.
static ADDRESS_EMAIL: &str = "bcc cc e email from mail recipient reply sender to";
/// `<qualifier> address` that is an IP address.
static ADDRESS_IP: &str = "client forwarded ip ipv peer remote";
/// `<qualifier> address` that is neither personal nor postal.
static ADDRESS_OTHER: &str =
    "api balancer base bind bitcoin bluetooth broadcast broker btc callback cluster container \
    contract crypto database db dest destination device dns end endpoint eth ethereum gateway \
    hardware hex host instance link listen load local loopback mac memory mqtt multicast nat \
    network node pod proxy public redirect return router rpc server service site smtp source src \
    start subnet target token url virtual vm vpc wallet web website";
/// `<qualifier> addr` that is postal (a bare `addr` is too ambiguous).
static ADDR_POSTAL: &str =
    "billing contact customer delivery employee home mailing patient postal residential shipping \
    street";
/// `<qualifier> ip` that is infrastructure, not a person's or device's address.
static IP_OTHER: &str =
    "allowed allowlist backend balancer bind blacklist blacklisted blocked blocklist broker \
    cluster container database db default denied dest destination dns egress elastic floating \
    gateway host inbound ingress instance internal lb listen load local mqtt nameserver nat \
    network node ntp origin outbound peer pod private proxy resolver router server service smtp \
    static subnet target trusted upstream vip virtual vm vpn whitelist whitelisted";
/// `<qualifier> token` that is not a credential.
static TOKEN_OTHER: &str =
    "apns bos cancel cancellation color completion continuation csrf cursor delta design device \
    end eos fcm font input lexer mask max next output pad page pagination parse prompt push \
    registration resume skip spacing special start stop style sync theme total unk xsrf";
/// `<qualifier> pass` that is a password (`db_pass`, `smtp_pass`; a bare `pass` also is).
static PASS_QUALIFIERS: &str =
    "account admin amqp api app auth basic bind broker database db ftp http imap ldap login mail \
    mongo mqtt my mysql pg pop postgres proxy rabbit rabbitmq redis root service sftp smtp sql \
    ssh user vnc wifi wp";
/// `health <x>` where health is about a service, not a person.
static HEALTH_OTHER: &str = "check checks endpoint path probe status url";

/// The phrases whose first word starts with one byte: each split into words, in table order.
type PhraseBucket = Vec<(Vec<&'static str>, C)>;

/// [`PHRASES`] split into words, bucketed by first byte (built once).
fn phrase_index() -> &'static [PhraseBucket] {
    static INDEX: OnceLock<Vec<PhraseBucket>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: Vec<PhraseBucket> = (0..256).map(|_| Vec::new()).collect();
        for &(phrase, class) in PHRASES {
            if let Some(&b) = phrase.as_bytes().first() {
                index[usize::from(b)].push((phrase.split(' ').collect(), class));
            }
        }
        index
    })
}

/// A class named by `tokens[i..]`, with the number of tokens it spans.
fn phrase_at(l: &Looked<'_, '_>, i: usize) -> Option<(C, usize)> {
    let tokens = l.tokens;
    if l.any.get(i).is_none_or(|b| b & L_PHRASE_START == 0) {
        return None;
    }
    let first = tokens.get(i)?.as_bytes().first().copied()?;
    let rest = &tokens[i..];
    let mut best: Option<(C, usize)> = None;
    for (words, class) in &phrase_index()[usize::from(first)] {
        let n = words.len();
        let ok = n <= rest.len() && words.iter().zip(rest).all(|(w, t)| word_eq(t, w));
        if ok && best.is_none_or(|(_, len)| n > len) {
            best = Some((*class, n));
        }
    }
    best
}

/// The previous token that is not a number (`ipv4_address` -> `ipv`), by index.
fn prev_word(tokens: &[&str], i: usize) -> Option<usize> {
    tokens[..i]
        .iter()
        .rposition(|t| !t.bytes().all(|b| b.is_ascii_digit()))
}

/// Rules that need a look at the neighbours.
fn special(l: &Looked<'_, '_>, i: usize) -> Option<(C, usize, usize)> {
    if l.any[i] & L_SPECIAL == 0 {
        return None;
    }
    let tokens = l.tokens;
    let t = tokens[i];
    let prev_at = prev_word(tokens, i);
    let prev = prev_at.map(|p| tokens[p]);
    // The lists the previous word is in (exactly, and with plurals).
    let prev_exact = prev_at.map_or(0, |p| l.exact[p]);
    let prev_any = prev_at.map_or(0, |p| l.any[p]);
    let last = i + 1 == tokens.len();
    if word_eq(t, "name") {
        if prev.is_some() && prev_any & L_PERSON_QUALIFIERS != 0 {
            return Some((C::PersonName, i - 1, i + 1));
        }
        if l.exact.get(i + 1).is_some_and(|b| b & L_NAME_SUFFIXES != 0) && i + 1 < tokens.len() {
            return Some((C::PersonName, i, i + 2));
        }
        return None;
    }
    if word_eq(t, "address") || word_eq(t, "addr") {
        let start = if prev.is_some() { i - 1 } else { i };
        return match prev {
            Some(_) if prev_exact & L_ADDRESS_EMAIL != 0 => Some((C::Email, start, i + 1)),
            Some(_) if prev_exact & L_ADDRESS_IP != 0 => Some((C::IpAddress, start, i + 1)),
            Some(_) if prev_exact & L_ADDRESS_OTHER != 0 => None,
            Some(_) if t.starts_with("addr") && !t.starts_with("address") => {
                (prev_exact & L_ADDR_POSTAL != 0).then_some((C::PostalAddress, start, i + 1))
            }
            None if t == "addr" => None,
            _ => Some((C::PostalAddress, i, i + 1)),
        };
    }
    if t == "token" {
        if prev.is_some() && prev_exact & L_TOKEN_OTHER != 0 {
            return None;
        }
        return Some((C::Credentials, i, i + 1));
    }
    if t == "pass" && last && (prev.is_none() || prev_exact & L_PASS_QUALIFIERS != 0) {
        return Some((C::Credentials, i, i + 1));
    }
    None
}

/// Whether a match of `class` over `tokens[start..end]` stands (not meta, not infrastructure).
fn keep(l: &Looked<'_, '_>, class: C, start: usize, end: usize) -> bool {
    if end < l.tokens.len() {
        let (any, exact) = (l.any[end], l.exact[end]);
        if any & L_META != 0 {
            return false;
        }
        if class == C::Credentials && any & L_CRED_META != 0 {
            return false;
        }
        if class == C::Health && exact & L_HEALTH_OTHER != 0 {
            return false;
        }
    }
    if class == C::IpAddress {
        if let Some(p) = prev_word(l.tokens, start) {
            if l.any[p] & L_IP_OTHER != 0 {
                return false;
            }
        }
    }
    true
}

/// The class a field name names, if any (the most sensitive when several match).
pub(crate) fn field_class(name: &str) -> Option<C> {
    let t = Tokens::new(name);
    let (list, n) = t.strs();
    class_of_tokens(&Looked::new(&list[..n]))
}

fn class_of_tokens(l: &Looked<'_, '_>) -> Option<C> {
    let tokens = l.tokens;
    if tokens.is_empty() {
        return None;
    }
    if l.exact[0] & L_BOOLEAN_PREFIX != 0 && tokens.len() > 1 {
        return None;
    }
    // Browser-generated request metadata (`sec-ch-ua-mobile`, `sec-fetch-site`).
    if tokens[0] == "sec" && tokens.len() > 1 {
        return None;
    }
    let mut best: Option<C> = None;
    let mut i = 0;
    while i < tokens.len() {
        let found = match phrase_at(l, i) {
            Some((c, n)) => Some((c, i, i + n)),
            None => special(l, i),
        };
        let step = match found {
            Some((c, start, end)) => {
                if keep(l, c, start, end) {
                    let better = best.is_none_or(|b| c.class().level > b.class().level);
                    if better {
                        best = Some(c);
                    }
                }
                end.saturating_sub(i).max(1)
            }
            None => 1,
        };
        i += step;
    }
    best
}

/// Words that, as the head of a key, say the value is a person (`owner`, `created_by`).
static PERSON_ROLES: &str =
    "applicant approver assignee attendee author beneficiary buyer by caller candidate contact \
    creator customer driver employee guest holder lead maintainer manager member organiser \
    organizer owner participant passenger patient people person recipient reporter requester \
    requestor reviewer sender signer staff student submitter supervisor teacher tenant user \
    visitor";

/// Words in a key that say its values are versions (an IPv4-shaped `1.2.3.4` is then not an IP).
static VERSION_WORDS: &str = "build firmware fw oid release rev revision semver tag v ver version";

/// Words in a key that say its IPs are infrastructure, not personal data.
static INFRA_WORDS: &str =
    "allowed allowlist backend base bind blacklist blocklist broker cidr cluster database db dns \
    egress endpoint gateway host hostname ingress lb listen mask mqtt nameserver nat netmask node \
    ntp origin proxy range redis resolver route router server smtp subnet target trusted upstream \
    uri url vpn whitelist";

/// Words of a key that say a person name under it may be a UI label.
static WEAK_NAME_WORDS: &str = "display displayname nick nickname";
/// Words of a key that name a card verification code.
static CVV_WORDS: &str = "ccv cvc cvv verification";
/// Words of a key that name a routing number.
static ROUTING_WORDS: &str = "aba routing";

/// What a key or field name says about the values under it: the class and every flag,
/// computed from one tokenization (the tokens are not kept: the context stays small).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Context {
    /// The class the key names.
    pub class: Option<C>,
    /// The lists (bits of [`LISTS`]) any token is in, plurals included ([`any_eq`]).
    any: u32,
    /// The key names a person's role (see [`Context::person_role`]).
    person_role: bool,
    /// See [`Context::sort_code`].
    sort_code: bool,
}

impl Context {
    pub(crate) fn new(key: &str) -> Self {
        let toks = Tokens::new(key);
        let (list, n) = toks.strs();
        let looked = Looked::new(&list[..n]);
        let class = class_of_tokens(&looked);
        let any = looked.any[..n].iter().fold(0, |a, b| a | b);
        let person_role = class.is_none()
            && n > 0
            && looked.any[n - 1] & L_PERSON_ROLES != 0
            && !(n == 1 && list[0] == "by");
        let sort_code = list[..n]
            .windows(2)
            .any(|w| w[0] == "sort" && w[1] == "code")
            || any & L_SORT_CODE != 0;
        Context {
            class,
            any,
            person_role,
            sort_code,
        }
    }

    /// The key names a person's role (`owner`, `created_by`): a strictly name-shaped value
    /// is a person's name.
    pub(crate) fn person_role(&self) -> bool {
        self.person_role
    }

    /// Values are versions: IPv4 shapes are not IPs.
    pub(crate) fn version(&self) -> bool {
        self.any & L_VERSION_WORDS != 0
    }

    /// Values are infrastructure addresses: IPs are not personal data.
    pub(crate) fn infra(&self) -> bool {
        self.class != Some(C::IpAddress) && self.any & L_INFRA_WORDS != 0
    }

    /// A person-name key that is often a UI label too (`displayName`, `nickname`): only a
    /// strictly name-shaped value is a person's name.
    pub(crate) fn weak_name(&self) -> bool {
        self.any & L_WEAK_NAME != 0
    }

    /// `cvv`/`cvc`: a 3–4 digit value is card data.
    pub(crate) fn cvv(&self) -> bool {
        self.any & L_CVV != 0
    }

    /// `routing_number`: an ABA routing number (checksum).
    pub(crate) fn routing(&self) -> bool {
        self.any & L_ROUTING != 0
    }

    /// `sort_code`.
    pub(crate) fn sort_code(&self) -> bool {
        self.sort_code
    }
}

#[cfg(test)]
#[test]
fn ascii_tokenizer_agrees_with_the_general_one() {
    let parts = [
        "a", "B", "ab", "AB", "Ab", "aB", "s", "S", "1", "42", "_", "-", ".", " ", "SSNs", "IPs",
        "ipv4", "x9Y", "zz", "Q",
    ];
    let mut seed = 12345u64;
    for _ in 0..20_000 {
        let mut name = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 12) as usize;
        let mut r = seed;
        for _ in 0..n {
            r = r
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            name.push_str(parts[((r >> 33) % parts.len() as u64) as usize]);
        }
        let a = Tokens::split_ascii(&name);
        let b = Tokens::split_chars(&name);
        let (la, na) = a.strs();
        let (lb, nb) = b.strs();
        assert_eq!(&la[..na], &lb[..nb], "{name:?}");
    }
}

#[cfg(test)]
#[test]
fn word_lists_are_sorted() {
    // Every list of [`LISTS`] but the last, which `lists_index` fills in.
    assert_word_lists(&LISTS[..LISTS.len() - 1]);
}

#[cfg(test)]
#[test]
fn word_index_agrees_with_the_word_lists() {
    for (bit, list) in LISTS.iter().enumerate() {
        for w in list.split(' ').filter(|w| !w.is_empty()) {
            let stem_y = w.strip_suffix('y').map(|s| format!("{s}ies"));
            let forms = [
                w.to_string(),
                format!("{w}s"),
                format!("{w}es"),
                format!("{w}x"),
                stem_y.unwrap_or_default(),
            ];
            for f in forms.iter().filter(|f| !f.is_empty()) {
                let exact = lists_of(f);
                assert_eq!(
                    exact & (1 << bit) != 0,
                    listed(list, f),
                    "{f:?} in list {bit}"
                );
                let any = lists_of_any(f, exact);
                assert_eq!(any & (1 << bit) != 0, any_eq(f, list), "{f:?} ~ list {bit}");
            }
        }
    }
}
