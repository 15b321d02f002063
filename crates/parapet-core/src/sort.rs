//! One stable sort for the crate.
//!
//! Every `sort_by`/`sort_by_key`/`sort_unstable*` call on a new element type or with a new
//! comparator makes the compiler emit another copy of the standard library's sort (driftsort
//! or ipnsort: several KB of wasm each, which gzip barely shrinks since the copies differ in
//! their element moves). [`sort_by`] instead sorts the slice's *indices* through a single,
//! non-generic instantiation, [`sort_indices`], whose comparator is a `&dyn Fn`, then moves the
//! elements into place: each element moves at most once (by swaps along the permutation's
//! cycles), which is also cheaper for the large structs the crate sorts.
//!
//! The sort is stable, like `slice::sort_by`: code that relied on equal elements keeping their
//! order still may.

use std::cmp::Ordering;

/// Sorts `v` stably by `compare`, with the crate's one instantiation of the standard library's
/// stable sort (see the module's documentation).
pub(crate) fn sort_by<T>(v: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &|a, b| compare(&v[a], &v[b]));
    permute(v, &mut order);
}

/// Sorts `v` stably by the key `key` returns (as `slice::sort_by_key`: the key is computed
/// per comparison).
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The one instantiation of `slice::sort_by`: indices, compared through a trait object.
/// `inline(never)` keeps it one function however many callers the optimiser sees.
#[inline(never)]
fn sort_indices(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Rearranges `v` so that position `i` holds what was at `order[i]`, following the
/// permutation's cycles with swaps (no second buffer, no `T: Clone`). `order` is used up as
/// the visited marks: a position is done once `order[i] == i`.
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // Pairs sorted by their first half only: stability shows in the second.
        let mut seed = 0x2545_f491_u32;
        for len in 0..64 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    ((seed % 7) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "len {len}");
            let mut ours = v.clone();
            sort_by_key(&mut ours, |a| std::cmp::Reverse(a.0));
            let mut std = v;
            std.sort_by_key(|a| std::cmp::Reverse(a.0));
            assert_eq!(ours, std, "len {len}");
        }
    }

    #[test]
    fn moves_owned_values() {
        let mut v: Vec<String> = ["d", "b", "a", "c", "b"].map(String::from).to_vec();
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, ["a", "b", "b", "c", "d"]);
    }
}
