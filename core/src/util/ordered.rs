//! What [`super::VecMap`] and [`super::ChunkMap`] (and their sets) share: the map API built on four storage
//! primitives each of them has, `find` (where a key is or would go), `slot`/`slot_mut` (the entry at a
//! place), `put` (fill a vacant place, returning where the entry ended up) and `take` (empty a place), plus
//! the set type, the standard trait impls and serde.

/// Implements the shared API for `$map` (with entry type `$entry` and places of type `$at`) and `$set`.
macro_rules! ordered_api {
    ($map:ident, $set:ident, $entry:ident, $at:ty) => {
        impl<K, V> Default for $map<K, V> {
            fn default() -> Self {
                $map::new()
            }
        }

        impl<K: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for $map<K, V> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_map().entries(self.iter()).finish()
            }
        }

        impl<K: Ord, V> $map<K, V> {
            /// The value of `key`.
            pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
            where
                K: std::borrow::Borrow<Q>,
            {
                self.find(key).ok().and_then(|at| self.slot(at)).map(|(_, v)| v)
            }

            /// The stored key and value of `key`.
            pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
            where
                K: std::borrow::Borrow<Q>,
            {
                self.find(key).ok().and_then(|at| self.slot(at)).map(|(k, v)| (k, v))
            }

            /// The value of `key`, mutable.
            pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
            where
                K: std::borrow::Borrow<Q>,
            {
                match self.find(key) {
                    Ok(at) => self.slot_mut(at).map(|(_, v)| v),
                    Err(_) => None,
                }
            }

            /// Whether `key` has a value.
            pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
            where
                K: std::borrow::Borrow<Q>,
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

            /// Removes `key`, returning its value.
            pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
            where
                K: std::borrow::Borrow<Q>,
            {
                self.find(key).ok().and_then(|at| self.take(at)).map(|(_, v)| v)
            }

            /// The place of `key`, to read or fill.
            pub fn entry(&mut self, key: K) -> $entry<'_, K, V> {
                let at = self.find(&key);
                $entry { map: self, key, at }
            }
        }

        /// The place of one key in the map, filled or not.
        pub struct $entry<'a, K, V> {
            map: &'a mut $map<K, V>,
            key: K,
            at: Result<$at, $at>,
        }

        impl<'a, K, V> $entry<'a, K, V> {
            /// The value, inserting `make()` when the key has none.
            pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
                let at = match self.at {
                    Ok(at) => at,
                    Err(at) => self.map.put(at, self.key, make()),
                };
                match self.map.slot_mut(at) {
                    Some((_, v)) => v,
                    None => $crate::util::ordered::unreachable_entry(),
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

        impl<K: Ord, V> Extend<(K, V)> for $map<K, V> {
            fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
                for (k, v) in iter {
                    self.insert(k, v);
                }
            }
        }

        impl<K: Ord, V> FromIterator<(K, V)> for $map<K, V> {
            fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
                let mut map = $map::new();
                map.extend(iter);
                map
            }
        }

        impl<K: Ord, V, const N: usize> From<[(K, V); N]> for $map<K, V> {
            fn from(entries: [(K, V); N]) -> Self {
                entries.into_iter().collect()
            }
        }

        impl<'a, K, V> IntoIterator for &'a $map<K, V> {
            type Item = (&'a K, &'a V);
            type IntoIter = Iter<'a, K, V>;
            fn into_iter(self) -> Self::IntoIter {
                self.iter()
            }
        }

        impl<'a, K, V> IntoIterator for &'a mut $map<K, V> {
            type Item = (&'a K, &'a mut V);
            type IntoIter = IterMut<'a, K, V>;
            fn into_iter(self) -> Self::IntoIter {
                self.iter_mut()
            }
        }

        impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for $map<K, V> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.iter())
            }
        }

        impl<'de, K: serde::Deserialize<'de> + Ord, V: serde::Deserialize<'de>> serde::Deserialize<'de> for $map<K, V> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visit<K, V>(std::marker::PhantomData<(K, V)>);
                impl<'de, K: serde::Deserialize<'de> + Ord, V: serde::Deserialize<'de>> serde::de::Visitor<'de>
                    for Visit<K, V>
                {
                    type Value = $map<K, V>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a map")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                        let mut map = $map::new();
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

        impl<T> Default for $set<T> {
            fn default() -> Self {
                $set::new()
            }
        }

        impl<T: std::fmt::Debug> std::fmt::Debug for $set<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_set().entries(self.map.keys()).finish()
            }
        }

        impl<T> $set<T> {
            /// An empty set.
            pub const fn new() -> Self {
                $set { map: $map::new() }
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

        impl<T: Ord> $set<T> {
            /// Adds `value`; false when it was already there.
            pub fn insert(&mut self, value: T) -> bool {
                self.map.insert(value, ()).is_none()
            }

            /// Whether `value` is a member.
            pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
            where
                T: std::borrow::Borrow<Q>,
            {
                self.map.contains_key(value)
            }

            /// Removes `value`; false when it was not there.
            pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
            where
                T: std::borrow::Borrow<Q>,
            {
                self.map.remove(value).is_some()
            }
        }

        impl<T: Ord> Extend<T> for $set<T> {
            fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
                self.map.extend(iter.into_iter().map(|v| (v, ())));
            }
        }

        impl<T: Ord> FromIterator<T> for $set<T> {
            fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
                let mut set = $set::new();
                set.extend(iter);
                set
            }
        }

        impl<T: Ord, const N: usize> From<[T; N]> for $set<T> {
            fn from(values: [T; N]) -> Self {
                values.into_iter().collect()
            }
        }

        impl<T> IntoIterator for $set<T> {
            type Item = T;
            type IntoIter = std::iter::Map<IntoIter<T, ()>, fn((T, ())) -> T>;
            fn into_iter(self) -> Self::IntoIter {
                self.map.into_iter().map(|(k, ())| k)
            }
        }

        impl<'a, T> IntoIterator for &'a $set<T> {
            type Item = &'a T;
            type IntoIter = Keys<'a, T, ()>;
            fn into_iter(self) -> Self::IntoIter {
                self.iter()
            }
        }

        impl<T: serde::Serialize> serde::Serialize for $set<T> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.iter())
            }
        }
    };
}
pub(crate) use ordered_api;

/// An entry's place was lost between finding or filling it and reading it back: a broken invariant of the
/// map, never an input.
#[allow(clippy::panic)]
#[cold]
pub(crate) fn unreachable_entry() -> ! {
    panic!("ordered map entry place out of bounds")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::{ChunkMap, ChunkSet, VecMap, VecSet};

    /// The same behaviour tests for both maps and both sets.
    macro_rules! behaves_like_btree {
        ($m:ident, $map:ident, $set:ident) => {
            mod $m {
                use super::*;

                #[test]
                fn map_keeps_key_order_and_last_value() {
                    let mut m: $map<String, i32> =
                        [("b".to_string(), 1), ("a".to_string(), 2), ("b".to_string(), 3)].into();
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
                    let mut s: $set<i32> = [3, 1, 2, 3].into();
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
                    let m: $map<String, i32> = [("z".to_string(), 1), ("a".to_string(), 2)].into();
                    let b: std::collections::BTreeMap<String, i32> =
                        [("z".to_string(), 1), ("a".to_string(), 2)].into();
                    assert_eq!(serde_json::to_string(&m).ok(), serde_json::to_string(&b).ok());
                    let back: Option<$map<String, i32>> = serde_json::from_str(r#"{"b":1,"a":2,"b":3}"#).ok();
                    assert_eq!(back, Some([("a".to_string(), 2), ("b".to_string(), 3)].into()));
                }

                /// The map behaves like `BTreeMap` under any sequence of inserts, entries and removes.
                #[test]
                fn agrees_with_btree_map() {
                    let mut m = $map::new();
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
                        }
                    }
                    m.retain(|k, _| k % 2 == 0);
                    b.retain(|k, _| k % 2 == 0);
                    assert_eq!(m.len(), b.len());
                    assert_eq!(m.into_iter().collect::<Vec<_>>(), b.into_iter().collect::<Vec<_>>());
                }
            }
        };
    }

    behaves_like_btree!(vec_map, VecMap, VecSet);
    behaves_like_btree!(chunk_map, ChunkMap, ChunkSet);

    #[test]
    fn chunk_map_ranges_like_a_btree_map() {
        let m: ChunkMap<u32, u32> = (0..1000).map(|i| (i * 7 % 1000, i)).collect();
        let b: std::collections::BTreeMap<u32, u32> = (0..1000).map(|i| (i * 7 % 1000, i)).collect();
        for start in [0, 1, 63, 64, 128, 500, 999, 1000] {
            assert!(m.range_from(&start).eq(b.range(start..)), "from {start}");
        }
    }

    /// The chunk map remembers the last place it found (natively): looking the same key up again, a key
    /// next to it, or an absent key around a chunk's ends answers as a search does.
    #[test]
    fn chunk_map_remembered_places_answer_like_a_search() {
        let mut m: ChunkMap<u32, u32> = (0..1000).map(|i| (i * 2, i)).collect();
        let mut b: std::collections::BTreeMap<u32, u32> = (0..1000).map(|i| (i * 2, i)).collect();
        for k in 0..2002u32 {
            for probe in [k, k, k + 1, k.saturating_sub(1), k] {
                assert_eq!(m.get(&probe), b.get(&probe), "get {probe} after {k}");
                assert!(m.range_from(&probe).eq(b.range(probe..)), "from {probe} after {k}");
            }
            if k % 3 == 0 {
                assert_eq!(m.remove(&k), b.remove(&k));
                assert_eq!(m.get(&k), b.get(&k));
                assert_eq!(m.insert(k + 1, k), b.insert(k + 1, k));
                assert_eq!(m.get(&(k + 1)), b.get(&(k + 1)));
            }
        }
        assert!(m.iter().eq(b.iter()));
    }

    /// A place remembered before `retain` shrank its chunk (past the chunk's end now) is not taken for an
    /// answer: keys are still found, and absent ones go where they belong.
    #[test]
    fn chunk_map_remembered_place_survives_retain() {
        let mut m: ChunkMap<u32, u32> = (0..1000).map(|i| (i, i)).collect();
        let mut b: std::collections::BTreeMap<u32, u32> = (0..1000).map(|i| (i, i)).collect();
        for probe in (0..1000).step_by(7) {
            // Remember a place far into a chunk, then shrink the chunk under it.
            assert_eq!(m.get(&(999 - probe)), b.get(&(999 - probe)));
            m.retain(|k, _| k % 5 == 0 || *k < probe / 2);
            b.retain(|k, _| k % 5 == 0 || *k < probe / 2);
            for k in 0..1000 {
                assert_eq!(m.get(&k), b.get(&k), "get {k} after retain at {probe}");
            }
            assert_eq!(m.insert(probe + 1, 0), b.insert(probe + 1, 0));
            assert!(m.iter().eq(b.iter()), "order after an insert at {probe}");
        }
    }
}
