//! One stable sort for the whole crate.
//!
//! The standard library's stable sort is compiled anew for every element type and comparison
//! it is called with (70 copies, about 5 % of the browser module). These functions sort a list
//! of positions through one comparison behind `dyn`, so every caller shares one compiled
//! sort, and then move the elements into place. The order is exactly the standard library's
//! `sort_by`: stable, equal elements keep their relative order.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, as `<[T]>::sort_by` does.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &mut |a, b| compare(&items[a], &items[b]));
    permute(items, &order);
}

/// Sorts `items` stably by the key `key` gives, as `<[T]>::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in ascending order, as `<[T]>::sort` does.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The one compiled sort: positions, compared through `compare`.
#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Moves the elements so that position `k` holds what was at `order[k]`, following each
/// cycle of the permutation once.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            // `from` still holds its original element: every earlier swap of this cycle only
            // carried the element first at `start` along.
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_keep_their_order_as_the_standard_sort_does() {
        let words = [
            "pear", "fig", "apple", "kiwi", "plum", "date", "lime", "banana", "yuzu",
        ];
        let mut ours: Vec<&str> = words.to_vec();
        let mut std_sorted = ours.clone();
        sort_by_key(&mut ours, |w| w.len());
        std_sorted.sort_by_key(|w| w.len());
        assert_eq!(ours, std_sorted);
        assert_eq!(ours[..4], ["fig", "pear", "kiwi", "plum"]);
    }

    #[test]
    fn every_permutation_of_five_sorts_like_the_standard_sort() {
        // Pairs (key, original position): stability shows in the second field.
        let keys = [2, 0, 1, 0, 2];
        let mut order: Vec<usize> = (0..5).collect();
        let mut seen = 0;
        loop {
            let mut items: Vec<(i32, usize)> = order.iter().map(|&i| (keys[i], i)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            sort_by_key(&mut items, |p| p.0);
            assert_eq!(items, expected, "from {order:?}");
            seen += 1;
            if !next_permutation(&mut order) {
                break;
            }
        }
        assert_eq!(seen, 120);
    }

    #[test]
    fn sort_orders_strings_and_leaves_short_lists_alone() {
        let mut names = vec!["b".to_string(), "a".to_string(), "c".to_string()];
        sort(&mut names);
        assert_eq!(names, ["a", "b", "c"]);
        let mut one = [7];
        sort(&mut one);
        assert_eq!(one, [7]);
    }

    fn next_permutation(v: &mut [usize]) -> bool {
        let Some(i) = (1..v.len()).rev().find(|&i| v[i - 1] < v[i]) else {
            return false;
        };
        let j = (i..v.len()).rev().find(|&j| v[j] > v[i - 1]).unwrap_or(i);
        v.swap(i - 1, j);
        v[i..].reverse();
        true
    }
}
