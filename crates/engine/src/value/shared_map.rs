//! Go's `map[string]interface {}` is a reference: `set`, `unset` and `merge` change the map
//! every holder of it sees, and charts rely on that (`$_ := set .Values "x" 1` in one
//! template is read by the next). A `MapRef` is such a handle. Cloning it shares the map.
//!
//! Readers take a snapshot (an `Arc` of the map as it is now) and never hold the lock while
//! they work; writers copy the map only when a snapshot of it is still alive. The lock is
//! held for one map operation at a time and never across a call into other code, so two
//! handles of one map (`merge $d $d`) cannot deadlock.
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::{Map, Value};

/// How many nested maps `MapRef::follow` reads in place before it clones and goes on.
const MAX_HELD_LOCKS: usize = 8;

#[derive(Clone)]
pub struct MapRef(Arc<RwLock<Arc<Map>>>, MapKind);

/// The Go type of a map: `map[string]interface {}` for data and most results, or the
/// `map[string]string` Sprig's `split` and `splitn` return, whose elements are strings and
/// which Sprig's dict functions refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum MapKind {
    #[default]
    Any,
    String,
}

impl MapKind {
    /// The Go type of a map of this kind, as `%T` prints it.
    pub fn go_name(self) -> &'static str {
        match self {
            MapKind::Any => "map[string]interface {}",
            MapKind::String => "map[string]string",
        }
    }
}

impl MapRef {
    pub fn new(map: Map) -> MapRef {
        MapRef::with_kind(map, MapKind::Any)
    }

    /// A map of the given Go type; a `MapKind::String` map must hold only strings.
    pub fn with_kind(map: Map, kind: MapKind) -> MapRef {
        MapRef(Arc::new(RwLock::new(Arc::new(map))), kind)
    }

    pub fn kind(&self) -> MapKind {
        self.1
    }

    /// The map as it is now. Later changes through any handle do not affect the snapshot.
    pub fn snapshot(&self) -> Arc<Map> {
        self.read().clone()
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        self.read().get(key).cloned()
    }

    /// Follows `keys` (their texts given by `text`) through nested maps while each is
    /// present, from this map down, and returns a clone of the value reached with the
    /// number of keys it took (`None` when the first key is missing). Intermediate maps are
    /// read in place, under their locks, rather than cloned: field chains like
    /// `.Values.a.b` are most of a template's work.
    pub fn follow<'k, K>(
        &self,
        keys: &[K],
        text: impl Fn(&K) -> &'k str + Copy,
    ) -> Option<(Value, usize)> {
        self.descend(keys, text, |map_ref, map, rest, taken| {
            let first = rest.first()?;
            match map.get(text(first)) {
                Some(value) => Some((value.clone(), taken + 1)),
                None => (taken > 0).then(|| (Value::Map(map_ref.clone()), taken)),
            }
        })
    }

    /// Looks at the value `keys` lead to in place, without cloning it: `look` gets it, or
    /// `None` when only the last key is missing, while the maps on the way stay read-locked
    /// (so it must not touch any map). `None` when an earlier key is missing or names no
    /// map, when the path meets a map twice or goes deeper than `MAX_HELD_LOCKS`, or when
    /// `look` gives `None`.
    pub fn inspect<'k, K, R>(
        &self,
        keys: &[K],
        text: impl Fn(&K) -> &'k str + Copy,
        look: impl FnOnce(Option<&Value>) -> Option<R>,
    ) -> Option<R> {
        self.descend(keys, text, |_, map, rest, _| match rest {
            [last] => look(map.get(text(last))),
            _ => None,
        })
    }

    /// Walks `keys` down through nested maps, each read-locked in place, while another key
    /// follows and the current one names a map; then calls `at` with the map it stopped
    /// at, its handle, the keys left (the first to look up there) and how many it took.
    fn descend<'k, K, R>(
        &self,
        keys: &[K],
        text: impl Fn(&K) -> &'k str + Copy,
        at: impl FnOnce(&MapRef, &Map, &[K], usize) -> Option<R>,
    ) -> Option<R> {
        let mut held = [std::ptr::null(); MAX_HELD_LOCKS];
        held[0] = Arc::as_ptr(&self.0);
        self.descend_held(keys, text, &mut held, 0, at)
    }

    /// `descend` with the maps whose read locks this thread holds in `held[..=depth]`. A
    /// map met again (a map that contains itself) is not locked twice: a second read lock
    /// on one thread can deadlock behind a waiting writer. The walk stops there, and at
    /// `MAX_HELD_LOCKS`.
    fn descend_held<'k, K, R>(
        &self,
        keys: &[K],
        text: impl Fn(&K) -> &'k str + Copy,
        held: &mut [*const RwLock<Arc<Map>>; MAX_HELD_LOCKS],
        depth: usize,
        at: impl FnOnce(&MapRef, &Map, &[K], usize) -> Option<R>,
    ) -> Option<R> {
        let map = self.read();
        if let [first, _, ..] = keys
            && let Some(Value::Map(next)) = map.get(text(first))
            && depth + 1 < MAX_HELD_LOCKS
        {
            let ptr = Arc::as_ptr(&next.0);
            if !held[..=depth].contains(&ptr) {
                held[depth + 1] = ptr;
                return next.descend_held(&keys[1..], text, held, depth + 1, at);
            }
        }
        // Each level took one key.
        at(self, &map, keys, depth)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.read().contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// Sets `key` in the shared map: every handle sees the change.
    pub fn insert(&self, key: String, value: Value) -> Option<Value> {
        self.update(|map| map.insert(key, value))
    }

    /// Deletes `key` from the shared map: every handle sees the change.
    pub fn remove(&self, key: &str) -> Option<Value> {
        self.update(|map| map.remove(key))
    }

    /// Changes the shared map in place. `change` must not touch any `MapRef`: it runs
    /// under the map's lock.
    pub fn update<R>(&self, change: impl FnOnce(&mut Map) -> R) -> R {
        let mut guard = self.write();
        change(Arc::make_mut(&mut guard))
    }

    /// The map itself, without copying when this is its only handle and no snapshot lives.
    pub fn into_map(self) -> Map {
        match Arc::try_unwrap(self.0) {
            Ok(lock) => Arc::unwrap_or_clone(lock.into_inner().unwrap_or_else(|p| p.into_inner())),
            Err(shared) => MapRef(shared, self.1).snapshot().as_ref().clone(),
        }
    }

    /// Whether both handles reach the same map (Go's pointer identity of a map).
    pub fn ptr_eq(&self, other: &MapRef) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The map's identity as a number, for `%p`.
    pub fn addr(&self) -> usize {
        Arc::as_ptr(&self.0) as *const u8 as usize
    }

    // A panic elsewhere cannot leave a map half-changed (`update` changes it with one call),
    // so a poisoned lock still guards a consistent map.
    fn read(&self) -> RwLockReadGuard<'_, Arc<Map>> {
        self.0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Arc<Map>> {
        self.0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for MapRef {
    fn default() -> MapRef {
        MapRef::new(Map::new())
    }
}

impl From<Map> for MapRef {
    fn from(map: Map) -> MapRef {
        MapRef::new(map)
    }
}

impl fmt::Debug for MapRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.snapshot().iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_changes() {
        let a = MapRef::default();
        let b = a.clone();
        a.insert("k".to_owned(), Value::int(1));
        assert_eq!(b.get("k"), Some(Value::int(1)));
        b.remove("k");
        assert!(a.is_empty());
        assert!(a.ptr_eq(&b));
    }

    #[test]
    fn snapshots_do_not_see_later_changes() {
        let a = MapRef::default();
        let before = a.snapshot();
        a.insert("k".to_owned(), Value::int(1));
        assert!(before.is_empty());
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn into_map_of_a_shared_map_copies() {
        let a = MapRef::default();
        let b = a.clone();
        let mut owned = a.into_map();
        owned.insert("k".to_owned(), Value::Nil);
        assert!(b.is_empty());
    }
}
