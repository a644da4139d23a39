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
}
