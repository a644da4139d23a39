//! Small shared helpers.

pub mod chunkmap;
pub mod golower;
mod ordered;
pub mod shared;
pub mod vecmap;

pub use chunkmap::{ChunkMap, ChunkSet};
pub use shared::Shared;
pub use vecmap::{VecMap, VecSet};

use std::cmp::Ordering;

/// A stable sort by binary insertion: O(n log n) comparisons, memmove-cheap moves, and a tiny instantiation
/// per element type (the standard library's sort is several kilobytes of wasm per call site's closure type).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    // Natively (no size budget) the standard library's stable sort: the same order, without the quadratic
    // moves that a hundred-cluster list costs per binding.
    #[cfg(feature = "parallel")]
    if v.len() > 16 {
        v.sort_by(cmp);
        return;
    }
    for i in 1..v.len() {
        let (Some(sorted), Some(item)) = (v.get(..i), v.get(i)) else { return };
        let pos = sorted.partition_point(|x| cmp(x, item) != Ordering::Greater);
        // Adjacent swaps rather than `rotate_right`: the same moves, a fraction of the code per instantiation
        // (the npm package's size budget).
        for j in (pos..i).rev() {
            v.swap(j, j + 1);
        }
    }
}

/// `items.iter().map(f).collect()`: with the `parallel` feature (native) on every core when there are enough
/// items to pay for the hand-off; the results are in the items' order either way.
pub fn map_in_order<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    #[cfg(feature = "parallel")]
    if items.len() >= 64 {
        use rayon::prelude::*;
        return items.par_iter().map(f).collect();
    }
    items.iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::sort_by;

    #[test]
    fn stable_and_ordered() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut e: Vec<u8> = vec![];
        sort_by(&mut e, |a, b| a.cmp(b));
        assert!(e.is_empty());
    }

    #[test]
    fn long_lists_sort_as_the_binary_insertion_does() {
        // Keys with many ties; the second field records the original position.
        let items: Vec<(u32, usize)> = (0..200).map(|i| ((i * 7919 + 13) % 17, i as usize)).collect();
        let mut a = items.clone();
        sort_by(&mut a, |x, y| x.0.cmp(&y.0));
        // What the wasm build's binary insertion gives: each item after the equal ones before it.
        let mut b: Vec<(u32, usize)> = Vec::new();
        for item in items {
            let pos = b.partition_point(|x| x.0 <= item.0);
            b.insert(pos, item);
        }
        assert_eq!(a, b);
        assert!(a.windows(2).all(|w| matches!(w, [x, y] if (x.0, x.1) < (y.0, y.1))));
    }
}
