//! Street words: the vocabulary of street addresses, shared by the free-text scanner
//! (`text.rs`) and the value validators (`validate.rs`), so neither imports the other.

pub(super) const STREET_SUFFIXES: &str =
    "allee alley av ave avenue blvd boulevard circle close court crescent ct dr drive gade gasse \
    gatan gracht highway hwy laan lane ln parkway pkwy pl place plaza rd road sq square st str \
    straat strasse straße street terrace trail veien vej vägen way weg";
const STREET_COMPOUNDS: &str =
    "allee gade gasse gata gatan gracht katu kuja laan polku straat strasse straße tie vegen vegur \
    veien vej väg vägen weg";
/// [`STREET_COMPOUNDS`] as words (checked equal by a test).
const STREET_COMPOUND_WORDS: [&str; 21] = [
    "allee", "gade", "gasse", "gata", "gatan", "gracht", "katu", "kuja", "laan", "polku", "straat",
    "strasse", "straße", "tie", "vegen", "vegur", "veien", "vej", "väg", "vägen", "weg",
];
pub(super) const STREET_PREFIXES: &str =
    "avenida calle carrer largo piazza rambla rua rue travessa ul ulica via viale vicolo";

/// More street-type words (USPS suffixes), only trusted where the key names an address.
pub(super) const MORE_STREET_SUFFIXES: &str =
    "bridge brook bypass canyon cape causeway cliff common corner course cove creek crossing dale \
    estate estates expressway falls ferry field fields flat flats forest fort freeway gardens \
    gateway gatve glen green grove harbor harbour haven heights hill hills hollow iela island \
    isle junction knoll lake landing lodge loop mall manor meadow meadows mews mill motorway \
    mount orchard oval park parks pass path pike point port prairie quay ranch ridge rise river \
    route row run shore shores spring springs square stream summit tee trace track tunnel \
    turnpike tér ulice utca vale valley view village ville vista walk wells wharf woods wynd út";

/// A street-type word (`Street`, `Rd`, `Rue`, `Hills`) or a compound street name
/// (`Koskikatu`), for values under an address key.
pub(crate) fn street_word(w: &str) -> bool {
    !w.is_empty()
        && (lower_is(w, STREET_SUFFIXES)
            || lower_is(w, MORE_STREET_SUFFIXES)
            || lower_is(w, STREET_PREFIXES)
            || compound_street(w))
}

/// A street word that comes first (`Rue`, `Via`) or a compound street name (`Koskikatu`).
pub(crate) fn street_prefix(w: &str) -> bool {
    lower_is(w, STREET_PREFIXES) || compound_street(w)
}

pub(super) fn capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

pub(super) fn lower_is(w: &str, list: &str) -> bool {
    crate::words::listed_lowercase(list, w)
}

pub(super) fn compound_street(w: &str) -> bool {
    if !capitalized(w) {
        return false;
    }
    if w.is_ascii() {
        // ASCII lowercasing keeps byte lengths: compare the ends in place (a non-ASCII
        // compound cannot end an ASCII word).
        let b = w.as_bytes();
        return STREET_COMPOUND_WORDS.iter().any(|s| {
            b.len() >= s.len() + 3 && b[b.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes())
        });
    }
    let lw = w.to_lowercase();
    STREET_COMPOUNDS
        .split(' ')
        .any(|s| lw.ends_with(s) && lw.chars().count() >= s.chars().count() + 3)
}

#[cfg(test)]
#[test]
fn compound_words_are_the_list() {
    let words: Vec<&str> = STREET_COMPOUNDS.split(' ').collect();
    assert_eq!(words, STREET_COMPOUND_WORDS);
}
