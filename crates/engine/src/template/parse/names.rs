//! Interning of the names and literals templates use: a chart repeats `.Values`, `$`,
//! `include` and its strings many times, and shared allocations are cheaper to make and drop.
use crate::template::fnv::FnvHashSet;
use crate::template::node::Name;

/// Room for the distinct names of a typical chart, so the interning set rarely grows.
const NAMES_CAPACITY: usize = 256;

/// The names and literals parses have met, so that repeats (within a template and across
/// the templates of a set) share one allocation.
#[derive(Clone, Debug)]
pub(crate) struct Names(FnvHashSet<Name>);

impl Default for Names {
    fn default() -> Names {
        Names(FnvHashSet::with_capacity_and_hasher(
            NAMES_CAPACITY,
            Default::default(),
        ))
    }
}

impl Names {
    /// The shared allocation of `name`.
    pub(crate) fn intern(&mut self, name: &str) -> Name {
        if let Some(interned) = self.0.get(name) {
            return interned.clone();
        }
        let interned: Name = name.into();
        self.0.insert(interned.clone());
        interned
    }
}
