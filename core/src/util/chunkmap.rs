//! Ordered maps and sets for the stores that grow with the fleet (templates, bindings, Works, member
//! objects: 100,000 entries on a large fleet), as lists of sorted chunks.
//!
//! Entries live in sorted vectors of at most twice [`chunk_len`] entries, so an insert or remove moves at most a
//! chunk's entries and the chunk headers, where one sorted vector ([`super::VecMap`]) would move half the
//! store. A B-tree would do too, but each instantiation costs kilobytes of wasm (node splitting, merging,
//! stealing); a chunk list is a few vector operations per type. Iteration is in key order.

use std::borrow::Borrow;
use std::cmp::Ordering;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use super::ordered::ordered_api;

/// Entries per chunk after a split of a map whose entries are `E` (a chunk splits when it grows past twice
/// this): about 4 KB of entries, between 8 and 64. An insert shifts half a chunk on average: with 64 entries
/// of a stored binding (920 bytes) that was 59 KB per insert, 3% of a large fleet's CPU in memmove.
const fn chunk_len<E>() -> usize {
    let n = match 4096usize.checked_div(std::mem::size_of::<E>()) {
        Some(n) => n,
        None => 64,
    };
    if n < 8 {
        8
    } else if n > 64 {
        64
    } else {
        n
    }
}

/// A map ordered by key.
#[derive(Clone)]
pub struct ChunkMap<K, V> {
    chunks: Vec<Vec<(K, V)>>,
    len: usize,
    hint: Hint,
}

/// The place of the last key looked up, found or not: the engine asks a store about one template several
/// times in a row (apply, claim, bind; a Work's schedule, Works and member objects, mostly absent for a new
/// template), and a comparison or two at the remembered place (the key there, or the keys either side of
/// where it would go) answer where a search compared keys 15 times, four strings each (12% of a large
/// fleet's CPU). Only a guess, checked before use: a stale place costs those comparisons.
/// Natively only; the wasm build keeps its size (a no-op).
#[cfg(not(target_arch = "wasm32"))]
struct Hint(AtomicU64);

#[cfg(not(target_arch = "wasm32"))]
impl Hint {
    const fn new() -> Self {
        Hint(AtomicU64::new(0))
    }
    fn get(&self) -> Option<(usize, usize)> {
        let v = self.0.load(Relaxed);
        Some(((v >> 32) as usize, (v & 0xffff_ffff) as usize))
    }
    fn set(&self, (ci, i): (usize, usize)) {
        let v = ((ci as u64) << 32) | (i as u64 & 0xffff_ffff);
        if self.0.load(Relaxed) != v {
            self.0.store(v, Relaxed);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clone for Hint {
    fn clone(&self) -> Self {
        Hint(AtomicU64::new(self.0.load(Relaxed)))
    }
}

#[cfg(target_arch = "wasm32")]
#[derive(Clone)]
struct Hint;

#[cfg(target_arch = "wasm32")]
impl Hint {
    const fn new() -> Self {
        Hint
    }
    fn get(&self) -> Option<(usize, usize)> {
        None
    }
    fn set(&self, _: (usize, usize)) {}
}

/// A set ordered by value.
#[derive(Clone, PartialEq, Eq)]
pub struct ChunkSet<T> {
    map: ChunkMap<T, ()>,
}

impl<K: PartialEq, V: PartialEq> PartialEq for ChunkMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        // Equal maps may be chunked differently.
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<K: Eq, V: Eq> Eq for ChunkMap<K, V> {}

type Chunks<'a, K, V> = std::iter::Flatten<std::slice::Iter<'a, Vec<(K, V)>>>;
/// Iterator over `(&key, &value)` in key order.
pub type Iter<'a, K, V> = std::iter::Map<Chunks<'a, K, V>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
/// Iterator over `(&key, &mut value)` in key order.
pub type IterMut<'a, K, V> =
    std::iter::Map<std::iter::Flatten<std::slice::IterMut<'a, Vec<(K, V)>>>, fn(&'a mut (K, V)) -> (&'a K, &'a mut V)>;
/// Iterator over the keys in order.
pub type Keys<'a, K, V> = std::iter::Map<Chunks<'a, K, V>, fn(&'a (K, V)) -> &'a K>;
/// Iterator over the values in key order.
pub type Values<'a, K, V> = std::iter::Map<Chunks<'a, K, V>, fn(&'a (K, V)) -> &'a V>;
/// Owning iterator over the entries in key order.
pub type IntoIter<K, V> = std::iter::Flatten<std::vec::IntoIter<Vec<(K, V)>>>;

impl<K, V> ChunkMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        ChunkMap { chunks: Vec::new(), len: 0, hint: Hint::new() }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the map has no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.chunks.iter().flatten().map(|(k, v)| (k, v))
    }

    /// Entries in key order, values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        self.chunks.iter_mut().flatten().map(|(k, v)| (&*k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> Keys<'_, K, V> {
        self.chunks.iter().flatten().map(|(k, _)| k)
    }

    /// Values in key order.
    pub fn values(&self) -> Values<'_, K, V> {
        self.chunks.iter().flatten().map(|(_, v)| v)
    }

    /// Values in key order, mutable.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.chunks.iter_mut().flatten().map(|(_, v)| v)
    }

    /// Values in key order, owned.
    pub fn into_values(self) -> impl Iterator<Item = V> {
        self.chunks.into_iter().flatten().map(|(_, v)| v)
    }

    /// Keys in order, owned.
    pub fn into_keys(self) -> impl Iterator<Item = K> {
        self.chunks.into_iter().flatten().map(|(k, _)| k)
    }

    /// The entry with the smallest key.
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.chunks.first().and_then(|c| c.first()).map(|(k, v)| (k, v))
    }

    /// The entry with the largest key.
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.chunks.last().and_then(|c| c.last()).map(|(k, v)| (k, v))
    }

    /// Keeps the entries for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        for chunk in &mut self.chunks {
            chunk.retain_mut(|(k, v)| keep(k, v));
        }
        self.chunks.retain(|c| !c.is_empty());
        self.len = self.chunks.iter().map(Vec::len).sum();
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.len = 0;
    }

    fn slot(&self, at: (usize, usize)) -> Option<&(K, V)> {
        self.chunks.get(at.0).and_then(|c| c.get(at.1))
    }

    fn slot_mut(&mut self, at: (usize, usize)) -> Option<&mut (K, V)> {
        self.chunks.get_mut(at.0).and_then(|c| c.get_mut(at.1))
    }

    /// Puts an entry at a vacant place found by `find`; returns where it is now (after a split).
    fn put(&mut self, at: (usize, usize), key: K, value: V) -> (usize, usize) {
        let now = self.put_at(at, key, value);
        self.hint.set(now);
        now
    }

    fn put_at(&mut self, (ci, i): (usize, usize), key: K, value: V) -> (usize, usize) {
        self.len += 1;
        let Some(chunk) = self.chunks.get_mut(ci) else {
            self.chunks.push(vec![(key, value)]);
            return (self.chunks.len() - 1, 0);
        };
        chunk.insert(i.min(chunk.len()), (key, value));
        let half = chunk_len::<(K, V)>();
        if chunk.len() <= 2 * half {
            return (ci, i);
        }
        let tail = chunk.split_off(half);
        self.chunks.insert(ci + 1, tail);
        if i < half {
            (ci, i)
        } else {
            (ci + 1, i - half)
        }
    }

    /// Removes the entry at an occupied place.
    fn take(&mut self, (ci, i): (usize, usize)) -> Option<(K, V)> {
        let chunk = self.chunks.get_mut(ci)?;
        if i >= chunk.len() {
            return None;
        }
        let entry = chunk.remove(i);
        if chunk.is_empty() {
            self.chunks.remove(ci);
        }
        self.len -= 1;
        Some(entry)
    }
}

impl<K: Ord, V> ChunkMap<K, V> {
    /// Where `key` is (`Ok`) or would go (`Err`), as (chunk, index in chunk).
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<(usize, usize), (usize, usize)>
    where
        K: Borrow<Q>,
    {
        if let Some(known) = self.hint.get().and_then(|at| self.check(at, key)) {
            return known;
        }
        let found = self.search(key);
        self.hint.set(found.unwrap_or_else(|at| at));
        found
    }

    /// `find`'s answer when `key` is at `(ci, i)` or would go there (the keys either side of it are below
    /// and above it); `None` when the place says nothing about `key`.
    fn check<Q: Ord + ?Sized>(&self, (ci, i): (usize, usize), key: &Q) -> Option<Result<(usize, usize), (usize, usize)>>
    where
        K: Borrow<Q>,
    {
        // A place past its chunk's end (the chunk shrank since: `retain`) says nothing.
        let chunk = self.chunks.get(ci).filter(|c| i <= c.len())?;
        match chunk.get(i).map(|(k, _)| k.borrow().cmp(key)) {
            Some(Ordering::Equal) => return Some(Ok((ci, i))),
            Some(Ordering::Less) => return None,
            // At a chunk's end the next key is the next chunk's first.
            None if self.chunks.get(ci + 1).and_then(|c| c.first()).is_some_and(|(k, _)| k.borrow() <= key) => {
                return None;
            }
            _ => {}
        }
        let before = match i.checked_sub(1) {
            Some(p) => chunk.get(p),
            None => ci.checked_sub(1).and_then(|p| self.chunks.get(p)).and_then(|c| c.last()),
        };
        match before {
            Some((k, _)) if k.borrow() >= key => None,
            _ => Some(Err((ci, i))),
        }
    }

    fn search<Q: Ord + ?Sized>(&self, key: &Q) -> Result<(usize, usize), (usize, usize)>
    where
        K: Borrow<Q>,
    {
        // The first chunk whose last key is not below `key`; past the end, append to the last chunk.
        let ci = self.chunks.partition_point(|c| c.last().is_some_and(|(k, _)| k.borrow() < key));
        match self.chunks.get(ci) {
            Some(chunk) => chunk.binary_search_by(|(k, _)| k.borrow().cmp(key)).map(|i| (ci, i)).map_err(|i| (ci, i)),
            None => Err(match self.chunks.last() {
                Some(last) => (self.chunks.len() - 1, last.len()),
                None => (0, 0),
            }),
        }
    }

    /// Entries whose key is at least `start`, in key order.
    pub fn range_from<Q: Ord + ?Sized>(&self, start: &Q) -> impl Iterator<Item = (&K, &V)>
    where
        K: Borrow<Q>,
    {
        let (ci, i) = self.find(start).unwrap_or_else(|at| at);
        let first = self.chunks.get(ci).and_then(|c| c.get(i..)).unwrap_or(&[]);
        let rest = self.chunks.get(ci + 1..).unwrap_or(&[]);
        first.iter().chain(rest.iter().flatten()).map(|(k, v)| (k, v))
    }
}

impl<K, V> IntoIterator for ChunkMap<K, V> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.into_iter().flatten()
    }
}

ordered_api!(ChunkMap, ChunkSet, Entry, (usize, usize));

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Big entries get short chunks (about 4 KB each); the map still orders, finds and removes like a B-tree.
    #[test]
    fn big_entries_split_into_short_chunks() {
        assert_eq!(chunk_len::<(u32, u32)>(), 64);
        assert_eq!(chunk_len::<(u32, [u8; 600])>(), 8);
        let mut m: ChunkMap<u32, [u8; 600]> = ChunkMap::new();
        let mut b = std::collections::BTreeMap::new();
        for i in 0..1000u32 {
            let k = i.wrapping_mul(7919) % 1000;
            m.insert(k, [(k % 251) as u8; 600]);
            b.insert(k, [(k % 251) as u8; 600]);
        }
        assert!(m.chunks.len() >= 1000 / 16 && m.chunks.iter().all(|c| c.len() <= 16));
        assert!(m.iter().eq(b.iter()));
        for k in (0..1000).step_by(3) {
            assert_eq!(m.remove(&k), b.remove(&k));
        }
        assert!(m.keys().eq(b.keys()));
        assert_eq!(m.get(&1).map(|v| v[0]), Some(1));
    }
}
