//! Lua tables: an array part for the keys `1..=n` and an insertion-ordered hash part.
//!
//! Keys are normalised as the manual says: a float with an integral value is stored as
//! that integer, NaN and nil are rejected. The hash part keeps its entries in insertion
//! order in a vector with an index beside it, so iteration (`next`) is deterministic and
//! stays valid while fields are cleared during a traversal: clearing a field leaves its
//! entry in place with a nil value (a tombstone) until the table is rebuilt on growth.
//!
//! Invariant: when a key `n + 1` is stored, with `n` the array length, it goes to the
//! array part and any following integer keys waiting in the hash part move over too, so
//! the hash part never holds the key `array.len() + 1`.

use std::sync::atomic::{AtomicU16, Ordering};

use hashbrown::HashTable;

use crate::value::{StrRef, TableRef, Value};

/// Why a key cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    Nil,
    NaN,
}

/// `next` was given a key that is not in the table ("invalid key to 'next'").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidKey;

#[derive(Debug, Default)]
pub struct Table {
    array: Vec<Value>,
    entries: Vec<(Value, Value)>,
    /// Positions in `entries` by key hash; only for more than [`LINEAR_ENTRIES`]
    /// entries (smaller tables are searched in order, which is as fast and saves the
    /// index's memory for the many small objects programs build).
    index: Option<Box<Index>>,
    /// One bit ([`str_bit`]) for each string key in `entries`: a string whose bit is
    /// clear is not a key, so a miss (a method looked up on an object before its class,
    /// an absent metamethod) costs a mask test instead of a search. Bits are set on
    /// insertion and only cleared when the entries are rebuilt.
    str_filter: u32,
    pub metatable: Option<TableRef>,
}

/// The hash part's index, with the count of entries whose value is nil (tombstones).
/// Tables without an index have at most [`LINEAR_ENTRIES`] entries and count theirs when
/// asked, which leaves room in [`Table`] for `str_filter`.
#[derive(Debug, Default)]
struct Index {
    map: HashTable<u32>,
    tombstones: u32,
}

/// The bit of `str_filter` that stands for string `s`. Interned strings made one after
/// the other have consecutive ids: a multiplicative hash spreads them over the bits.
#[inline(always)]
fn str_bit(s: StrRef) -> u32 {
    1 << (s.id().wrapping_mul(0x9e37_79b9) >> 27)
}

/// Hash parts of up to this many entries have no index.
const LINEAR_ENTRIES: usize = 8;

// Tables are the most numerous objects: keep them small (Lua's own is 56 bytes).
const _: () = assert!(std::mem::size_of::<Table>() <= 64);

/// Makes room for one more element, doubling as Lua's table parts grow but from one
/// element rather than `Vec`'s four, which would leave most of a small table unused
/// (a two-element array part took 64 bytes for 32).
#[inline]
fn grow_for_push<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() {
        v.reserve_exact(v.len().max(1));
    }
}

/// Normalises a key: integral floats become integers; nil and NaN are refused.
#[inline]
pub fn normalize_key(key: Value) -> Result<Value, KeyError> {
    match key {
        Value::Nil => Err(KeyError::Nil),
        Value::Float(f) if f.is_nan() => Err(KeyError::NaN),
        Value::Float(f) => Ok(match crate::number::float_to_int_exact(f) {
            Some(i) => Value::Int(i),
            None => key,
        }),
        _ => Ok(key),
    }
}

/// Hash of a normalised key. Strings are interned, so their handle identifies them.
#[inline]
fn key_hash(key: Value) -> u64 {
    let (tag, bits): (u64, u64) = match key {
        Value::Nil => (0, 0),
        Value::Bool(b) => (1, b as u64),
        Value::Int(i) => (2, i as u64),
        Value::Float(f) => (3, f.to_bits()),
        Value::Str(s) => (4, u64::from(s.id())),
        Value::Table(t) => (5, u64::from(t.id())),
        Value::Closure(c) => (6, u64::from(c.id())),
        Value::Native(n) => (7, u64::from(n.id())),
        Value::UserData(u) => (8, u64::from(u.id())),
        Value::Thread(t) => (9, u64::from(t.id())),
    };
    // A multiply-xorshift mix: cheap and gives the high bits hashbrown's control bytes use.
    let x = (bits ^ tag.rotate_left(59)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 29)
}

/// Keys compare by identity after normalisation (floats here are never integral).
#[inline]
fn key_eq(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits() || x == y,
        _ => a.raw_eq(b),
    }
}

/// The positions in a table's entries where a field-access instruction last found its
/// key, the latest first. Tables built by the same constructor put their fields in the
/// same order, so one instruction's accesses mostly hit the same position: checking that
/// entry first skips hashing. The second position serves sites that see objects of two
/// layouts (a method shared by two classes whose instances add fields in different
/// orders). Positions are kept in 16 bits: a larger one is stored truncated, a guess that
/// misses like any stale one. Atomics only because prototypes are shared (`Arc`);
/// relaxed loads and stores are plain moves.
#[derive(Debug, Default)]
pub struct SlotHint {
    latest: AtomicU16,
    previous: AtomicU16,
}

impl SlotHint {
    #[inline]
    fn get(&self) -> usize {
        usize::from(self.latest.load(Ordering::Relaxed))
    }
    #[inline]
    fn previous(&self) -> usize {
        usize::from(self.previous.load(Ordering::Relaxed))
    }
    /// Records where the key was found; the latest position becomes the previous one.
    #[inline]
    fn set(&self, pos: usize) {
        self.previous.store(self.latest.load(Ordering::Relaxed), Ordering::Relaxed);
        self.latest.store(pos as u16, Ordering::Relaxed)
    }
}

/// Whether `a` and `b` are the same string (interned: the same handle). Callers use it
/// for string keys, where it agrees with [`key_eq`].
#[inline]
fn same_string(a: Value, b: Value) -> bool {
    matches!((a, b), (Value::Str(x), Value::Str(y)) if x == y)
}

impl Table {
    pub fn with_capacity(array: usize, hash: usize) -> Table {
        Table {
            array: Vec::with_capacity(array),
            entries: Vec::with_capacity(hash),
            index: (hash > LINEAR_ENTRIES)
                .then(|| Box::new(Index { map: HashTable::with_capacity(hash), tombstones: 0 })),
            str_filter: 0,
            metatable: None,
        }
    }

    /// Bytes of storage this table owns, for the heap's accounting.
    pub fn payload_bytes(&self) -> usize {
        let index = self.index.as_ref().map_or(0, |i| 64 + i.map.capacity() * 5);
        self.array.capacity() * 16 + self.entries.capacity() * 32 + index
    }

    /// The position of `key` (normalised) in `entries`. String keys, the common kind, are
    /// filtered inline; the rest are searched out of line.
    #[inline(always)]
    fn find(&self, key: Value) -> Option<usize> {
        match key {
            Value::Str(s) => self.find_str(s),
            _ => self.find_other(key),
        }
    }

    #[inline(never)]
    fn find_other(&self, key: Value) -> Option<usize> {
        let entries = &self.entries;
        match (&self.index, key) {
            (_, Value::Str(s)) => self.find_str(s),
            (Some(index), _) => {
                index.map.find(key_hash(key), |&i| key_eq(entries[i as usize].0, key)).map(|&i| i as usize)
            }
            // An integer key (`t[0]`, sparse indices) against each integer.
            (None, Value::Int(i)) => entries.iter().position(|&(k, _)| matches!(k, Value::Int(j) if j == i)),
            (None, _) => entries.iter().position(|&(k, _)| key_eq(k, key)),
        }
    }

    /// The position of string key `s`: the filter first, then a search. Strings compare
    /// by handle alone, kept off `key_eq`'s match.
    #[inline(always)]
    fn find_str(&self, s: StrRef) -> Option<usize> {
        if self.str_filter & str_bit(s) == 0 {
            return None;
        }
        self.search_str(s)
    }

    #[inline(never)]
    fn search_str(&self, s: StrRef) -> Option<usize> {
        let entries = &self.entries;
        let key = Value::Str(s);
        match &self.index {
            Some(index) => index
                .map
                .find(key_hash(key), |&i| entries.get(i as usize).is_some_and(|&(k, _)| same_string(k, key)))
                .map(|&i| i as usize),
            None => entries.iter().position(|&(k, _)| same_string(k, key)),
        }
    }

    /// Entries whose value is nil.
    fn tombstones(&self) -> usize {
        match &self.index {
            Some(index) => index.tombstones as usize,
            None => self.entries.iter().filter(|(_, v)| v.is_nil()).count(),
        }
    }

    /// Records that `n` more entries (or fewer, for a negative `n`) hold nil; tables
    /// without an index count when asked.
    #[inline]
    fn add_tombstones(&mut self, n: i32) {
        if let Some(index) = &mut self.index {
            index.tombstones = index.tombstones.wrapping_add_signed(n);
        }
    }

    /// `t[key]` without metamethods.
    #[inline(always)]
    pub fn get(&self, key: Value) -> Value {
        match key {
            Value::Int(i) => self.get_int(i),
            Value::Nil => Value::Nil,
            Value::Float(f) => match crate::number::float_to_int_exact(f) {
                Some(i) => self.get_int(i),
                None if f.is_nan() => Value::Nil,
                None => self.get_hashed(key),
            },
            _ => self.get_hashed(key),
        }
    }

    #[inline(always)]
    pub fn get_int(&self, i: i64) -> Value {
        if i >= 1 && (i as u64) <= self.array.len() as u64 {
            return self.array[(i - 1) as usize];
        }
        match self.find_int(i) {
            Some(pos) => self.entries[pos].1,
            None => Value::Nil,
        }
    }

    /// The position of integer key `i` (outside the array part) in the hash part. A
    /// part without an index is searched inline: it is the usual home of key 0 and of
    /// a few sparse indices, one or two entries that a call would cost more than.
    #[inline(always)]
    fn find_int(&self, i: i64) -> Option<usize> {
        match self.index {
            None => self.entries.iter().position(|&(k, _)| matches!(k, Value::Int(j) if j == i)),
            Some(_) => self.find_other(Value::Int(i)),
        }
    }

    /// The array slot of integer key `i`, if the array part holds it (the value may be
    /// nil). The interpreter copies a hit straight from here into a register.
    #[inline(always)]
    pub fn array_slot(&self, i: i64) -> Option<&Value> {
        // Key 0 and negative keys wrap around to indices no array reaches.
        self.array.get(usize::try_from((i as u64).wrapping_sub(1)).ok()?)
    }

    /// Lookup of a key that is already normalised and not an array index.
    #[inline(never)]
    pub fn get_hashed(&self, key: Value) -> Value {
        if self.entries.is_empty() {
            return Value::Nil;
        }
        match self.find(key) {
            Some(i) => self.entries[i].1,
            None => Value::Nil,
        }
    }

    /// `t[key]` for a string key, trying the entry `hint` remembers first.
    #[inline(always)]
    pub fn get_str_hinted(&self, key: Value, hint: &SlotHint) -> Value {
        // The key's tag is tested once; the entry's key is then one handle compare.
        if let Value::Str(s) = key {
            if let Some(v) = self.hinted_slot(s, hint) {
                return *v;
            }
        }
        self.get_str_and_hint(key, hint)
    }

    /// The value slot of string key `key` if `hint` names its entry (the value may be
    /// nil); `None` when the hint is stale. The interpreter copies a hit straight from
    /// here into a register.
    #[inline(always)]
    pub fn hinted_slot(&self, key: StrRef, hint: &SlotHint) -> Option<&Value> {
        match self.entries.get(hint.get()) {
            Some((Value::Str(k), v)) if *k == key => Some(v),
            _ => None,
        }
    }

    /// [`Table::get_str_hinted`] for a key known to be a string.
    #[inline(always)]
    pub fn get_str(&self, key: StrRef, hint: &SlotHint) -> Value {
        self.get_str_hinted(Value::Str(key), hint)
    }

    /// `t[key]` when the latest hint missed.
    #[inline(always)]
    pub fn get_str_and_hint(&self, key: Value, hint: &SlotHint) -> Value {
        match self.find_and_hint(key, hint) {
            Some(pos) => self.entries[pos].1,
            None => Value::Nil,
        }
    }

    /// The position of `key` when the latest hint missed: the string filter (most
    /// misses are keys the table lacks, a method looked up on its object before its
    /// class), the previous hint, then a search. The hint learns where the key was
    /// found. Inlined but for the search: an outlined wrapper cost more than the
    /// searches the previous hint saves.
    #[inline(always)]
    fn find_and_hint(&self, key: Value, hint: &SlotHint) -> Option<usize> {
        let Value::Str(s) = key else { return self.find(key) };
        if self.str_filter & str_bit(s) == 0 {
            return None;
        }
        let previous = hint.previous();
        let pos = match self.entries.get(previous) {
            Some(&(k, _)) if same_string(k, key) => previous,
            _ => self.search_str(s)?,
        };
        hint.set(pos);
        Some(pos)
    }

    /// Overwrites the value of a string key already present with a non-nil value, by a
    /// non-nil `value`: the store that needs no metamethod, no accounting and no
    /// bookkeeping. Returns `false`, changing nothing, in every other case.
    #[inline(always)]
    pub fn replace_str_hinted(&mut self, key: Value, value: Value, hint: &SlotHint) -> bool {
        if let Value::Str(s) = key {
            if let Some((k, slot)) = self.entries.get_mut(hint.get()) {
                if matches!(*k, Value::Str(ks) if ks == s) && !slot.is_nil() && !value.is_nil() {
                    *slot = value;
                    return true;
                }
            }
        }
        self.replace_str_and_hint(key, value, hint)
    }

    #[inline(never)]
    fn replace_str_and_hint(&mut self, key: Value, value: Value, hint: &SlotHint) -> bool {
        if value.is_nil() {
            return false;
        }
        let pos = match self.entries.get(hint.get()) {
            Some(&(k, _)) if same_string(k, key) => hint.get(),
            _ => match self.find_and_hint(key, hint) {
                Some(pos) => pos,
                None => return false,
            },
        };
        let slot = &mut self.entries[pos].1;
        if slot.is_nil() {
            return false;
        }
        *slot = value;
        true
    }

    /// Stores `value` under `key` when that is a plain overwrite: an index inside the
    /// array part (with no metatable, or an old value that is not nil), or a key already
    /// in the hash part with a value, replaced by a non-nil value. Such a store cannot
    /// call `__newindex`, grow the table or change its bookkeeping. Returns `false`,
    /// changing nothing, in every other case.
    #[inline(always)]
    pub fn replace_existing(&mut self, key: Value, value: Value) -> bool {
        if let Value::Int(i) = key {
            if i >= 1 && (i as u64) <= self.array.len() as u64 {
                let slot = &mut self.array[(i - 1) as usize];
                if self.metatable.is_none() || !slot.is_nil() {
                    *slot = value;
                    return true;
                }
                return false;
            }
        }
        if value.is_nil() || self.entries.is_empty() {
            return false;
        }
        if let Value::Int(i) = key {
            return match self.find_int(i) {
                Some(pos) if !self.entries[pos].1.is_nil() => {
                    self.entries[pos].1 = value;
                    true
                }
                _ => false,
            };
        }
        self.replace_existing_hashed(key, value)
    }

    /// Stores `value` at key `len + 1`, the end of the array part, when that needs no
    /// new storage and nothing else: spare capacity, an empty hash part (so no keys wait
    /// there to move over after it), no metatable (no `__newindex` to consult) and a
    /// non-nil value. Storage bytes are unchanged, so no accounting either. Returns
    /// `false`, changing nothing, in every other case.
    #[inline(always)]
    pub fn append_in_place(&mut self, i: i64, value: Value) -> bool {
        let len = self.array.len();
        if i as u64 == len as u64 + 1
            && len < self.array.capacity()
            && self.entries.is_empty()
            && self.metatable.is_none()
            && !value.is_nil()
        {
            self.array.push(value);
            true
        } else {
            false
        }
    }

    /// `t.key = value` for a non-nil `value` when the key is absent (the field
    /// assignment the hinted replace leaves over), as long as that needs no new
    /// storage: a nil entry for the key is filled again, or a new entry goes into spare
    /// capacity of an unindexed hash part. Storage bytes are unchanged, so no accounting
    /// either. The caller has made sure no `__newindex` applies. Returns `false`,
    /// changing nothing, in every other case.
    #[inline(always)]
    pub fn set_str_in_place(&mut self, key: StrRef, value: Value, hint: &SlotHint) -> bool {
        if value.is_nil() {
            return false;
        }
        if self.may_have_str(key) {
            return self.refill_str(key, value, hint);
        }
        let len = self.entries.len();
        if len < self.entries.capacity() && len < LINEAR_ENTRIES && self.index.is_none() {
            self.entries.push((Value::Str(key), value));
            self.str_filter |= str_bit(key);
            true
        } else {
            false
        }
    }

    /// [`Table::set_str_in_place`] for a key the filter lets through: stores into its
    /// entry if it has one (usually a field set to nil before).
    #[inline(never)]
    fn refill_str(&mut self, key: StrRef, value: Value, hint: &SlotHint) -> bool {
        let Some(pos) = self.find_and_hint(Value::Str(key), hint) else { return false };
        let slot = &mut self.entries[pos].1;
        let was_nil = slot.is_nil();
        *slot = value;
        if was_nil {
            self.add_tombstones(-1);
        }
        true
    }

    /// Whether string key `key` may be in the table (`false`: it is certainly not).
    #[inline(always)]
    pub fn may_have_str(&self, key: StrRef) -> bool {
        self.str_filter & str_bit(key) != 0
    }

    #[inline(never)]
    fn replace_existing_hashed(&mut self, key: Value, value: Value) -> bool {
        let Ok(key) = normalize_key(key) else { return false };
        match self.find(key) {
            Some(pos) if !self.entries[pos].1.is_nil() => {
                self.entries[pos].1 = value;
                true
            }
            _ => false,
        }
    }

    /// `t[key] = value` without metamethods.
    pub fn set(&mut self, key: Value, value: Value) -> Result<(), KeyError> {
        let key = normalize_key(key)?;
        match key {
            Value::Int(i) => self.set_int(i, value),
            _ => self.set_hashed(key, value),
        }
        Ok(())
    }

    /// `t[start + i] = values[i]` for every `i`, as a constructor's list stores them.
    pub fn set_list(&mut self, start: i64, values: &[Value]) {
        let end = start.saturating_add(values.len() as i64 - 1);
        if start >= 1 && start as u64 <= self.array.len() as u64 + 1 && end as u64 > self.array.len() as u64 {
            self.array.reserve_exact((end as u64 - self.array.len() as u64) as usize);
        }
        for (i, &v) in values.iter().enumerate() {
            self.set_int(start.saturating_add(i as i64), v);
        }
    }

    pub fn set_int(&mut self, i: i64, value: Value) {
        let len = self.array.len() as u64;
        if i >= 1 && (i as u64) <= len {
            self.array[(i - 1) as usize] = value;
        } else if i >= 1 && (i as u64) == len + 1 {
            if value.is_nil() {
                // Not present in the array; might be nothing at all (hash never holds n+1).
                return;
            }
            grow_for_push(&mut self.array);
            self.array.push(value);
            self.migrate_from_hash();
        } else {
            self.set_hashed(Value::Int(i), value);
        }
    }

    /// Moves keys `n+1, n+2, …` from the hash part into the array part.
    fn migrate_from_hash(&mut self) {
        if self.entries.is_empty() || self.entries.len() == self.tombstones() {
            return;
        }
        loop {
            let next = Value::Int(self.array.len() as i64 + 1);
            let Some(pos) = self.find(next) else { break };
            let value = std::mem::take(&mut self.entries[pos].1);
            if value.is_nil() {
                break;
            }
            self.add_tombstones(1);
            grow_for_push(&mut self.array);
            self.array.push(value);
        }
    }

    fn set_hashed(&mut self, key: Value, value: Value) {
        if let Some(pos) = self.find(key) {
            let slot = &mut self.entries[pos].1;
            let delta = match (slot.is_nil(), value.is_nil()) {
                (false, true) => 1,
                (true, false) => -1,
                _ => 0,
            };
            *slot = value;
            self.add_tombstones(delta);
            return;
        }
        if value.is_nil() {
            return;
        }
        if self.entries.len() == self.entries.capacity() && self.tombstones() > self.entries.len() / 2 {
            self.compact();
        }
        let pos = self.entries.len() as u32;
        grow_for_push(&mut self.entries);
        self.entries.push((key, value));
        if let Value::Str(s) = key {
            self.str_filter |= str_bit(s);
        }
        let entries = &self.entries;
        match &mut self.index {
            Some(index) => {
                index.map.insert_unique(key_hash(key), pos, |&i| key_hash(entries[i as usize].0));
            }
            None if entries.len() > LINEAR_ENTRIES => self.rebuild_index(),
            None => {}
        }
    }

    /// Builds the index from scratch (or drops it if the entries now fit a linear search).
    fn rebuild_index(&mut self) {
        if self.entries.len() <= LINEAR_ENTRIES {
            self.index = None;
            return;
        }
        let tombstones = self.tombstones() as u32;
        let mut index = self.index.take().unwrap_or_default();
        index.map.clear();
        let entries = &self.entries;
        index.map.reserve(entries.len(), |&i| key_hash(entries[i as usize].0));
        for (pos, &(key, _)) in entries.iter().enumerate() {
            index.map.insert_unique(key_hash(key), pos as u32, |&i| key_hash(entries[i as usize].0));
        }
        index.tombstones = tombstones;
        self.index = Some(index);
    }

    /// Drops tombstones and rebuilds the index and the string filter. Only on insertion
    /// of a new key, which the manual says invalidates a traversal anyway.
    fn compact(&mut self) {
        self.entries.retain(|(_, v)| !v.is_nil());
        if let Some(index) = &mut self.index {
            index.tombstones = 0;
        }
        self.str_filter = self.entries.iter().fold(0, |f, &(k, _)| match k {
            Value::Str(s) => f | str_bit(s),
            _ => f,
        });
        self.rebuild_index();
    }

    /// The border `#t` (a border of the array part; see the module invariant).
    pub fn len(&self) -> i64 {
        let n = self.array.len();
        if n > 0 && self.array[n - 1].is_nil() {
            // Binary search for a border inside the array: array[lo-1] non-nil (or lo=0),
            // array[hi-1] nil.
            let (mut lo, mut hi) = (0usize, n);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if self.array[mid - 1].is_nil() {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return lo as i64;
        }
        n as i64
    }

    pub fn is_empty(&self) -> bool {
        self.array.iter().all(|v| v.is_nil()) && self.entries.len() == self.tombstones()
    }

    /// The entry after `key` in traversal order (`next`): array part first, then the hash
    /// part in insertion order. `Err` if `key` is not in the table.
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, InvalidKey> {
        let start_hash = match key {
            Value::Nil => {
                if let Some(found) = self.next_in_array(0) {
                    return Ok(Some(found));
                }
                0
            }
            _ => {
                let key = normalize_key(key).map_err(|_| InvalidKey)?;
                match key {
                    Value::Int(i) if i >= 1 && (i as u64) <= self.array.len() as u64 => {
                        if let Some(found) = self.next_in_array(i as usize) {
                            return Ok(Some(found));
                        }
                        0
                    }
                    _ => self.find(key).ok_or(InvalidKey)? + 1,
                }
            }
        };
        Ok(self.entries[start_hash.min(self.entries.len())..].iter().find(|(_, v)| !v.is_nil()).copied())
    }

    fn next_in_array(&self, from: usize) -> Option<(Value, Value)> {
        (from..self.array.len())
            .find(|&i| !self.array[i].is_nil())
            .map(|i| (Value::Int(i as i64 + 1), self.array[i]))
    }

    /// Clears the entries of a weak table whose key (`keys`) or value (`values`) is
    /// `dead`; cleared entries stay as tombstones, so a traversal in progress goes on.
    pub fn clear_dead(&mut self, keys: bool, values: bool, dead: impl Fn(Value) -> bool) {
        if values {
            for v in self.array.iter_mut() {
                if dead(*v) {
                    *v = Value::Nil;
                }
            }
        }
        let mut cleared = 0;
        for (k, v) in self.entries.iter_mut() {
            if !v.is_nil() && ((keys && dead(*k)) || (values && dead(*v))) {
                *v = Value::Nil;
                cleared += 1;
            }
        }
        self.add_tombstones(cleared);
    }

    /// Calls `f` with each live entry's key and value (array part keys are integers).
    pub fn for_each_entry(&self, mut f: impl FnMut(Value, Value)) {
        for (i, &v) in self.array.iter().enumerate() {
            if !v.is_nil() {
                f(Value::Int(i as i64 + 1), v);
            }
        }
        for &(k, v) in &self.entries {
            if !v.is_nil() {
                f(k, v);
            }
        }
    }

    /// Every key and value, for the collector.
    pub fn for_each_value(&self, mut f: impl FnMut(Value)) {
        self.array.iter().for_each(|&v| f(v));
        for &(k, v) in &self.entries {
            if !v.is_nil() {
                f(k);
                f(v);
            }
        }
    }
}
