//! Field names: tokenizer and token-based rules.

use super::C;

/// Longest name looked at (bytes); longer names are cut at a character boundary.
const MAX_NAME: usize = 256;
/// Most tokens looked at.
const MAX_TOKENS: usize = 16;

/// Splits a field name into lowercase tokens: on every non-alphanumeric character, at
/// camelCase and PascalCase boundaries (`employeeEmail`, `SSNNumber` -> `ssn`, `number`) and
/// between letters and digits (`address1`, `ipv4`).
pub(crate) fn tokens(name: &str) -> Vec<String> {
    let name = cut(name, MAX_NAME);
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut cur, &mut out);
            continue;
        }
        if let Some(&p) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let boundary = if p.is_alphanumeric() {
                (p.is_lowercase() && c.is_uppercase())
                    || (p.is_numeric() != c.is_numeric())
                    || (p.is_uppercase()
                        && c.is_uppercase()
                        && next.is_some_and(char::is_lowercase)
                        // `SSNs`, `IPs`: a plural s after an acronym stays with it.
                        && (next != Some('s')
                            || chars.get(i + 2).copied().is_some_and(char::is_lowercase)))
            } else {
                false
            };
            if boundary {
                flush(&mut cur, &mut out);
            }
        }
        cur.extend(c.to_lowercase());
    }
    flush(&mut cur, &mut out);
    out.truncate(MAX_TOKENS);
    out
}

fn flush(cur: &mut String, out: &mut Vec<String>) {
    if !cur.is_empty() {
        out.push(std::mem::take(cur));
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

/// `tok` is one of the words of a space-separated list (or a plural of one).
fn any_eq(tok: &str, words: &str) -> bool {
    words.split(' ').any(|w| word_eq(tok, w))
}

/// `w` is one of the words of a space-separated list.
pub(crate) fn listed(list: &str, w: &str) -> bool {
    list.split(' ').any(|x| x == w)
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
    "template subject body enabled enable disabled verified verification verify confirmed \
    confirmation flag count type format status provider server host port config \
    configuration setting sent optin opt consent notification preference validation valid \
    validated validator regex pattern length mask field label placeholder column hint policy \
    strategy style color colour visible visibility required mode option version icon url \
    link uri endpoint ref reference arn path file filename rule error message prompt title \
    text button btn tab page view screen step widget component domain client service limit \
    usage app layout menu breakpoint width height friendly device os platform only nav \
    navigation web site support optimized responsive whitelist allowlist blocklist blacklist \
    range cidr filter restriction family protocol forwarding pool allocation subnet archive \
    compression lookup check checker checkup checks endpoint probe score monitor generator \
    strength complexity rotation template source col sheet tab header key schema spec editor \
    statement report category setup completed complete configured done exists missing \
    provided available ready success failed";

/// After a credential word: facts about a secret, not the secret (`secret_name`, `password_expires`).
static CRED_META: &str =
    "name id changed updated reset expires expiry expiration expired rotated age last set \
    manager store vault env variable var created required less free protected based auth \
    login scope scopes type grant flow form field storage location file question recovery \
    forgot forgotten";

/// Leading tokens that make a field a boolean or an action (`is_email`, `send_email`).
static BOOLEAN_PREFIX: &str =
    "is has use enable enabled allow allowed show hide send validate verify require required \
    can should must need needs ask collect include with without num count";

/// `<qualifier> name` is a person's name.
static PERSON_QUALIFIERS: &str =
    "first last given family full middle maiden display legal real birth preferred nick \
    contact customer client employee person personal patient member student teacher owner \
    author applicant candidate recipient sender holder cardholder guest passenger parent \
    guardian spouse child manager supervisor driver tenant landlord buyer billing shipping \
    father mother doctor physician nurse assignee reporter requester requestor approver \
    reviewer signer signatory beneficiary insured policyholder subscriber attendee \
    participant volunteer donor lead emergency next kin caller visitor traveler traveller \
    worker staff instructor pupil resident citizen consumer shopper winner speaker witness \
    victim suspect";

/// `name_<qualifier>` is a person's name (`name_first`, `name_last`).
static NAME_SUFFIXES: &str = "first last given family full middle";

/// `<qualifier> address` that is an e-mail address.
static ADDRESS_EMAIL: &str = "email mail e from to reply sender recipient cc bcc";
/// `<qualifier> address` that is an IP address.
static ADDRESS_IP: &str = "ip ipv remote client peer forwarded";
/// `<qualifier> address` that is neither personal nor postal.
static ADDRESS_OTHER: &str =
    "mac server host bind listen base wallet contract web memory network broker gateway proxy \
    node device bluetooth hardware url endpoint target destination dest local public smtp \
    rpc multicast broadcast loopback virtual start end source src callback redirect crypto \
    btc eth bitcoin ethereum hex token api service website site link vpc subnet dns nat \
    router return mqtt db database cluster pod container instance vm load balancer";
/// `<qualifier> addr` that is postal (a bare `addr` is too ambiguous).
static ADDR_POSTAL: &str =
    "home street postal mailing billing shipping delivery residential customer employee \
    patient contact";
/// `<qualifier> ip` that is infrastructure, not a person's or device's address.
static IP_OTHER: &str =
    "server host bind listen local gateway dns proxy nat router allowed trusted blocked \
    denied whitelist whitelisted allowlist blacklist blacklisted blocklist static subnet \
    network broker db database smtp mqtt node cluster load balancer lb vm instance container \
    pod service floating elastic private internal virtual vip ntp upstream backend origin \
    target destination dest default ingress egress outbound inbound vpn peer resolver \
    nameserver";
/// `<qualifier> token` that is not a credential.
static TOKEN_OTHER: &str =
    "page next continuation sync cursor pagination csrf xsrf max input output prompt \
    completion total cancellation cancel lexer parse design color theme style spacing font \
    delta push device registration fcm apns resume start end stop special eos bos pad unk \
    mask skip";
/// `<qualifier> pass` that is a password (`db_pass`, `smtp_pass`; a bare `pass` also is).
static PASS_QUALIFIERS: &str =
    "db database user smtp mqtt ftp sftp admin root login auth proxy redis mysql postgres pg \
    mail imap pop ldap vnc wifi ssh basic http account my sql mongo amqp rabbit rabbitmq \
    broker wp bind service api app";
/// `health <x>` where health is about a service, not a person.
static HEALTH_OTHER: &str = "check checks status endpoint probe url path";

/// A class named by `tokens[i..]`, with the number of tokens it spans.
fn phrase_at(tokens: &[String], i: usize) -> Option<(C, usize)> {
    let first = tokens.get(i)?.as_bytes().first().copied()?;
    let mut best: Option<(C, usize)> = None;
    for (phrase, class) in PHRASES {
        if phrase.as_bytes().first() != Some(&first) {
            continue;
        }
        let mut n = 0;
        let mut ok = true;
        for w in phrase.split(' ') {
            match tokens.get(i + n) {
                Some(t) if word_eq(t, w) => n += 1,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && best.is_none_or(|(_, len)| n > len) {
            best = Some((*class, n));
        }
    }
    best
}

/// The previous token that is not a number (`ipv4_address` -> `ipv`).
fn prev_word(tokens: &[String], i: usize) -> Option<&str> {
    tokens[..i]
        .iter()
        .rev()
        .find(|t| !t.bytes().all(|b| b.is_ascii_digit()))
        .map(String::as_str)
}

/// Rules that need a look at the neighbours.
fn special(tokens: &[String], i: usize) -> Option<(C, usize, usize)> {
    let t = tokens[i].as_str();
    let prev = prev_word(tokens, i);
    let next = tokens.get(i + 1).map(String::as_str);
    let last = i + 1 == tokens.len();
    if word_eq(t, "name") {
        if let Some(p) = prev {
            if any_eq(p, PERSON_QUALIFIERS) {
                return Some((C::PersonName, i - 1, i + 1));
            }
        }
        if let Some(n) = next {
            if listed(NAME_SUFFIXES, n) {
                return Some((C::PersonName, i, i + 2));
            }
        }
        return None;
    }
    if word_eq(t, "address") || word_eq(t, "addr") {
        let start = if prev.is_some() { i - 1 } else { i };
        return match prev {
            Some(p) if listed(ADDRESS_EMAIL, p) => Some((C::Email, start, i + 1)),
            Some(p) if listed(ADDRESS_IP, p) => Some((C::IpAddress, start, i + 1)),
            Some(p) if listed(ADDRESS_OTHER, p) => None,
            Some(p) if t.starts_with("addr") && !t.starts_with("address") => {
                listed(ADDR_POSTAL, p).then_some((C::PostalAddress, start, i + 1))
            }
            None if t == "addr" => None,
            _ => Some((C::PostalAddress, i, i + 1)),
        };
    }
    if t == "token" {
        if prev.is_some_and(|p| listed(TOKEN_OTHER, p)) {
            return None;
        }
        return Some((C::Credentials, i, i + 1));
    }
    if t == "pass" && last && prev.is_none_or(|p| listed(PASS_QUALIFIERS, p)) {
        return Some((C::Credentials, i, i + 1));
    }
    None
}

/// Whether a match of `class` over `tokens[start..end]` stands (not meta, not infrastructure).
fn keep(tokens: &[String], class: C, start: usize, end: usize) -> bool {
    if let Some(next) = tokens.get(end) {
        if any_eq(next, META) {
            return false;
        }
        if class == C::Credentials && any_eq(next, CRED_META) {
            return false;
        }
        if class == C::Health && listed(HEALTH_OTHER, next) {
            return false;
        }
    }
    if class == C::IpAddress {
        if let Some(p) = prev_word(tokens, start) {
            if any_eq(p, IP_OTHER) {
                return false;
            }
        }
    }
    true
}

/// The class a field name names, if any (the most sensitive when several match).
pub(crate) fn field_class(name: &str) -> Option<C> {
    class_of_tokens(&tokens(name))
}

fn class_of_tokens(tokens: &[String]) -> Option<C> {
    if tokens.is_empty() {
        return None;
    }
    if listed(BOOLEAN_PREFIX, &tokens[0]) && tokens.len() > 1 {
        return None;
    }
    // Browser-generated request metadata (`sec-ch-ua-mobile`, `sec-fetch-site`).
    if tokens[0] == "sec" && tokens.len() > 1 {
        return None;
    }
    let mut best: Option<C> = None;
    let mut i = 0;
    while i < tokens.len() {
        let found = match phrase_at(tokens, i) {
            Some((c, n)) => Some((c, i, i + n)),
            None => special(tokens, i),
        };
        let step = match found {
            Some((c, start, end)) => {
                if keep(tokens, c, start, end) {
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
    "owner author assignee contact customer employee patient manager recipient requester \
    requestor reporter approver reviewer applicant candidate member student teacher guest \
    driver tenant buyer attendee participant signer beneficiary user person people by sender \
    caller visitor supervisor lead staff organizer organiser creator maintainer submitter \
    holder passenger";

/// Words in a key that say its values are versions (an IPv4-shaped `1.2.3.4` is then not an IP).
static VERSION_WORDS: &str = "version ver v release build revision rev firmware fw tag semver oid";

/// Words in a key that say its IPs are infrastructure, not personal data.
static INFRA_WORDS: &str =
    "server host hostname dns gateway proxy broker bind listen endpoint url uri subnet cidr \
    mask netmask route router nameserver resolver upstream origin target node cluster \
    allowlist whitelist blocklist blacklist allowed trusted range ntp smtp db database redis \
    mqtt vpn nat lb backend ingress egress base";

/// What a key or field name says about the values under it. Flags are computed on demand
/// (most values never need them).
#[derive(Debug, Default)]
pub(crate) struct Context {
    toks: Vec<String>,
    /// The class the key names.
    pub class: Option<C>,
}

impl Context {
    pub(crate) fn new(key: &str) -> Self {
        let toks = tokens(key);
        let class = class_of_tokens(&toks);
        Context { toks, class }
    }

    fn has(&self, words: &str) -> bool {
        self.toks.iter().any(|t| any_eq(t, words))
    }

    /// The key names a person's role (`owner`, `created_by`): a strictly name-shaped value
    /// is a person's name.
    pub(crate) fn person_role(&self) -> bool {
        self.class.is_none()
            && self.toks.last().is_some_and(|t| any_eq(t, PERSON_ROLES))
            && !(self.toks.len() == 1 && self.toks[0] == "by")
    }

    /// Values are versions: IPv4 shapes are not IPs.
    pub(crate) fn version(&self) -> bool {
        self.has(VERSION_WORDS)
    }

    /// Values are infrastructure addresses: IPs are not personal data.
    pub(crate) fn infra(&self) -> bool {
        self.class != Some(C::IpAddress) && self.has(INFRA_WORDS)
    }

    /// A person-name key that is often a UI label too (`displayName`, `nickname`): only a
    /// strictly name-shaped value is a person's name.
    pub(crate) fn weak_name(&self) -> bool {
        self.has("display displayname nick nickname")
    }

    /// `cvv`/`cvc`: a 3–4 digit value is card data.
    pub(crate) fn cvv(&self) -> bool {
        self.has("cvv cvc ccv verification")
    }

    /// `routing_number`: an ABA routing number (checksum).
    pub(crate) fn routing(&self) -> bool {
        self.has("routing aba")
    }

    /// `sort_code`.
    pub(crate) fn sort_code(&self) -> bool {
        self.toks
            .windows(2)
            .any(|w| w[0] == "sort" && w[1] == "code")
            || self.has("sortcode")
    }
}
