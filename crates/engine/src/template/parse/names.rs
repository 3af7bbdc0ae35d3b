//! Interning of the string literals templates use: a chart repeats its template names and
//! separators many times, and shared allocations are cheaper to make and drop. (Names and
//! other literals are spans of the source, which need no allocation at all.)
use std::sync::Arc;

use crate::template::fnv::FnvHashSet;

/// Room for the distinct strings of a typical chart, so the interning set rarely grows.
const NAMES_CAPACITY: usize = 128;

/// The string literals parses have met, so that repeats (within a template and across the
/// templates of a set) share one allocation.
#[derive(Clone, Debug)]
pub(crate) struct Names(FnvHashSet<Arc<str>>);

impl Default for Names {
    fn default() -> Names {
        Names(FnvHashSet::with_capacity_and_hasher(
            NAMES_CAPACITY,
            Default::default(),
        ))
    }
}

impl Names {
    /// The shared allocation of `text`.
    pub(crate) fn intern(&mut self, text: &str) -> Arc<str> {
        if let Some(interned) = self.0.get(text) {
            return interned.clone();
        }
        let interned: Arc<str> = text.into();
        self.0.insert(interned.clone());
        interned
    }
}
