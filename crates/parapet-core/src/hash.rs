//! The engine's hash maps and sets: foldhash, seeded per process (hashbrown's own default).
//! std's SipHash cost ~5% of an evaluation, hashing keys the manifest's author chose; foldhash
//! is several times faster and, with its random seed, still minimally resistant to keys crafted
//! to collide (the hostile-input tests keep time linear).

pub(crate) type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type Set<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
