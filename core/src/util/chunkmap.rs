//! Ordered maps and sets for the stores that grow with the fleet (templates, bindings, Works, member
//! objects: 100,000 entries on a large fleet), as lists of sorted chunks.
//!
//! Entries live in sorted vectors of at most `2 * CHUNK` entries, so an insert or remove moves at most a
//! chunk's entries and the chunk headers, where one sorted vector ([`super::VecMap`]) would move half the
//! store. A B-tree would do too, but each instantiation costs kilobytes of wasm (node splitting, merging,
//! stealing); a chunk list is a few vector operations per type. Iteration is in key order.

use std::borrow::Borrow;
use std::fmt;

/// Entries per chunk after a split (a chunk splits when it grows past twice this).
const CHUNK: usize = 64;

/// A map ordered by key.
#[derive(Clone)]
pub struct ChunkMap<K, V> {
    chunks: Vec<Vec<(K, V)>>,
    len: usize,
}

/// A set ordered by value.
#[derive(Clone, PartialEq, Eq)]
pub struct ChunkSet<T> {
    map: ChunkMap<T, ()>,
}

impl<K, V> Default for ChunkMap<K, V> {
    fn default() -> Self {
        ChunkMap::new()
    }
}

impl<T> Default for ChunkSet<T> {
    fn default() -> Self {
        ChunkSet { map: ChunkMap::default() }
    }
}

impl<K: PartialEq, V: PartialEq> PartialEq for ChunkMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        // Equal maps may be chunked differently.
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<K: Eq, V: Eq> Eq for ChunkMap<K, V> {}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for ChunkMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: fmt::Debug> fmt::Debug for ChunkSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.map.keys()).finish()
    }
}

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
        ChunkMap { chunks: Vec::new(), len: 0 }
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
    fn put(&mut self, (ci, i): (usize, usize), key: K, value: V) -> (usize, usize) {
        self.len += 1;
        let Some(chunk) = self.chunks.get_mut(ci) else {
            self.chunks.push(vec![(key, value)]);
            return (self.chunks.len() - 1, 0);
        };
        chunk.insert(i.min(chunk.len()), (key, value));
        if chunk.len() <= 2 * CHUNK {
            return (ci, i);
        }
        let tail = chunk.split_off(CHUNK);
        self.chunks.insert(ci + 1, tail);
        if i < CHUNK {
            (ci, i)
        } else {
            (ci + 1, i - CHUNK)
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

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|at| self.slot(at)).map(|(_, v)| v)
    }

    /// The stored key and value of `key`.
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|at| self.slot(at)).map(|(k, v)| (k, v))
    }

    /// The value of `key`, mutable.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(at) => self.slot_mut(at).map(|(_, v)| v),
            Err(_) => None,
        }
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets the value of `key`, returning the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => self.slot_mut(at).map(|(_, v)| std::mem::replace(v, value)),
            Err(at) => {
                self.put(at, key, value);
                None
            }
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

    /// Removes `key`, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|at| self.take(at)).map(|(_, v)| v)
    }

    /// The place of `key`, to read or fill.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.find(&key);
        Entry { map: self, key, at }
    }
}

/// The place of one key in a [`ChunkMap`], filled or not.
pub struct Entry<'a, K, V> {
    map: &'a mut ChunkMap<K, V>,
    key: K,
    at: Result<(usize, usize), (usize, usize)>,
}

impl<'a, K, V> Entry<'a, K, V> {
    /// The value, inserting `make()` when the key has none.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let at = match self.at {
            Ok(at) => at,
            Err(at) => self.map.put(at, self.key, make()),
        };
        match self.map.slot_mut(at) {
            Some((_, v)) => v,
            None => unreachable_entry(),
        }
    }

    /// The value, inserting `value` when the key has none.
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    /// The value, inserting the default when the key has none.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    /// Changes the value when the key has one.
    pub fn and_modify(self, change: impl FnOnce(&mut V)) -> Self {
        if let Ok(at) = self.at {
            if let Some((_, v)) = self.map.slot_mut(at) {
                change(v);
            }
        }
        self
    }
}

#[allow(clippy::panic)]
#[cold]
pub(super) fn unreachable_entry() -> ! {
    // Entries return the place they filled or found: reaching this is a broken invariant, never an input.
    panic!("ChunkMap entry place out of bounds")
}

impl<K: Ord, V> Extend<(K, V)> for ChunkMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for ChunkMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = ChunkMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for ChunkMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K, V> IntoIterator for ChunkMap<K, V> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.into_iter().flatten()
    }
}

impl<'a, K, V> IntoIterator for &'a ChunkMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut ChunkMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T> ChunkSet<T> {
    /// An empty set.
    pub const fn new() -> Self {
        ChunkSet { map: ChunkMap::new() }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Members in order.
    pub fn iter(&self) -> Keys<'_, T, ()> {
        self.map.keys()
    }

    /// The smallest member.
    pub fn first(&self) -> Option<&T> {
        self.map.first_key_value().map(|(k, _)| k)
    }

    /// The largest member.
    pub fn last(&self) -> Option<&T> {
        self.map.last_key_value().map(|(k, _)| k)
    }

    /// Keeps the members for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.map.retain(|k, _| keep(k));
    }

    /// Removes every member.
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

impl<T: Ord> ChunkSet<T> {
    /// Adds `value`; false when it was already there.
    pub fn insert(&mut self, value: T) -> bool {
        self.map.insert(value, ()).is_none()
    }

    /// Whether `value` is a member.
    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.contains_key(value)
    }

    /// Removes `value`; false when it was not there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.remove(value).is_some()
    }
}

impl<T: Ord> Extend<T> for ChunkSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.map.extend(iter.into_iter().map(|v| (v, ())));
    }
}

impl<T: Ord> FromIterator<T> for ChunkSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = ChunkSet::new();
        set.extend(iter);
        set
    }
}

impl<T: Ord, const N: usize> From<[T; N]> for ChunkSet<T> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

impl<T> IntoIterator for ChunkSet<T> {
    type Item = T;
    type IntoIter = std::iter::Map<IntoIter<T, ()>, fn((T, ())) -> T>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter().map(|(k, ())| k)
    }
}

impl<'a, T> IntoIterator for &'a ChunkSet<T> {
    type Item = &'a T;
    type IntoIter = Keys<'a, T, ()>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for ChunkMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<T: serde::Serialize> serde::Serialize for ChunkSet<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, K: serde::Deserialize<'de> + Ord, V: serde::Deserialize<'de>> serde::Deserialize<'de> for ChunkMap<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: serde::Deserialize<'de> + Ord, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visit<K, V> {
            type Value = ChunkMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = ChunkMap::new();
                // A repeated key keeps its last value, as in a B-tree map.
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::{ChunkMap, ChunkSet};

    #[test]
    fn map_keeps_key_order_and_last_value() {
        let mut m: ChunkMap<String, i32> = [("b".to_string(), 1), ("a".to_string(), 2), ("b".to_string(), 3)].into();
        assert_eq!(m.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), vec![("a", 2), ("b", 3)]);
        assert_eq!(m.insert("c".into(), 4), None);
        assert_eq!(m.insert("a".into(), 5), Some(2));
        assert_eq!(m.get("a"), Some(&5));
        assert_eq!(m.remove("b"), Some(3));
        assert_eq!(m.remove("b"), None);
        *m.entry("d".into()).or_default() += 7;
        *m.entry("a".into()).or_insert(0) += 1;
        assert_eq!(m.keys().cloned().collect::<Vec<_>>(), vec!["a", "c", "d"]);
        assert_eq!(m.values().copied().collect::<Vec<_>>(), vec![6, 4, 7]);
        m.retain(|k, _| k != "c");
        assert_eq!(m.len(), 2);
        assert_eq!(m.first_key_value().map(|(k, _)| k.as_str()), Some("a"));
        assert_eq!(m.last_key_value().map(|(k, _)| k.as_str()), Some("d"));
    }

    #[test]
    fn set_is_ordered_and_unique() {
        let mut s: ChunkSet<i32> = [3, 1, 2, 3].into();
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![1, 2, 3]);
        assert!(!s.insert(2));
        assert!(s.insert(0));
        assert!(s.remove(&3));
        assert!(!s.contains(&3));
        assert_eq!(s.first(), Some(&0));
        assert_eq!(s.into_iter().collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn serde_round_trip_matches_a_btree_map() {
        let m: ChunkMap<String, i32> = [("z".to_string(), 1), ("a".to_string(), 2)].into();
        let b: std::collections::BTreeMap<String, i32> = [("z".to_string(), 1), ("a".to_string(), 2)].into();
        assert_eq!(serde_json::to_string(&m).ok(), serde_json::to_string(&b).ok());
        let back: Option<ChunkMap<String, i32>> = serde_json::from_str(r#"{"b":1,"a":2,"b":3}"#).ok();
        assert_eq!(back, Some([("a".to_string(), 2), ("b".to_string(), 3)].into()));
    }

    /// The map behaves like `BTreeMap` under any sequence of inserts and removes.
    #[test]
    fn agrees_with_btree_map() {
        let mut m = ChunkMap::new();
        let mut b = std::collections::BTreeMap::new();
        let mut x: u32 = 12345;
        for step in 0..20_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            // Grow past many chunk splits, then shrink: removes outnumber inserts in the second half.
            let key = (x >> 16) % 1009;
            let remove = if step < 10_000 { (x >> 8) % 5 == 0 } else { (x >> 8) % 5 != 0 };
            if remove {
                assert_eq!(m.remove(&key), b.remove(&key));
            } else if (x >> 8) % 7 == 0 {
                *m.entry(key).or_insert(0) += 1;
                *b.entry(key).or_insert(0) += 1;
            } else {
                assert_eq!(m.insert(key, x), b.insert(key, x));
            }
            assert_eq!(m.len(), b.len());
            assert_eq!(m.get(&key), b.get(&key));
            if step % 1000 == 0 {
                assert!(m.iter().eq(b.iter()));
                assert!(m.range_from(&500).eq(b.range(500..)));
            }
        }
        m.retain(|k, _| k % 2 == 0);
        b.retain(|k, _| k % 2 == 0);
        assert_eq!(m.len(), b.len());
        assert_eq!(m.into_iter().collect::<Vec<_>>(), b.into_iter().collect::<Vec<_>>());
    }
}
