//! The table library (reference manual §6.6).
//!
//! Every function reads and writes elements as Lua code would, honouring `__index`,
//! `__newindex` and `__len`; a table without a metatable takes a raw fast path. An
//! argument that is not a table is accepted when its metatable has the metamethods the
//! function needs (as Lua's `checktab` does).
//!
//! Work is metered: each element that `concat`, `unpack`, `move`, `insert` and `remove`
//! touch and each comparison `sort` makes costs one unit of fuel, so a huge range ends
//! in "out of fuel" under a fuel limit instead of running on. Results and buffers are
//! bounded before they are allocated ("too many results to unpack", "resulting string
//! too large"), never by the host running out of memory.
//!
//! `sort` is an introsort done in place through the table: quicksort with a median-of-
//! three pivot, switching to heapsort when the recursion gets too deep, so any comparator
//! gets O(n log n) comparisons. Elements stay in the table while the comparator runs; the
//! pivot and values read for a comparison or a swap wait in root slots
//! ([`Vm::root_slot`]), so a comparator that empties the table and triggers a collection
//! cannot free them. An inconsistent
//! comparator that makes a partition scan run past its bounds raises "invalid order
//! function for sorting", as Lua does.
//!
//! Messages follow Lua 5.4.4 (the `lua5.4` the suite compares against), including its
//! `bad argument #1 to 'remove' (position out of bounds)`.

use crate::error::RuntimeError;
use crate::meta::Event;
use crate::number;
use crate::stdlib::{add_functions, Args, LibFn};
use crate::value::Value;
use crate::{RootSlot, Vm};

/// Adds the `table` table to the globals.
pub fn open(vm: &mut Vm) -> Result<(), RuntimeError> {
    let t = vm.new_table()?;
    let functions: &[(&'static str, LibFn)] = &[
        ("concat", concat),
        ("insert", insert),
        ("move", move_),
        ("pack", pack),
        ("remove", remove),
        ("sort", sort),
        ("unpack", unpack),
    ];
    add_functions(vm, t, functions)?;
    vm.set_global("table", Value::Table(t))
}

/// What a function does with its table argument (Lua's `TAB_R`, `TAB_W`, `TAB_L`).
const READ: u8 = 1;
const WRITE: u8 = 2;
const LEN: u8 = 4;

/// Argument `i`: a table, or a value whose metatable has every metamethod `what` needs.
fn check_table(vm: &Vm, a: &Args, i: usize, what: u8) -> Result<Value, RuntimeError> {
    let v = a.get(i);
    if let Value::Table(_) = v {
        return Ok(v);
    }
    if vm.metatable_of(v).is_some() {
        let has = |event| !vm.metamethod(v, event).is_nil();
        if (what & READ == 0 || has(Event::Index))
            && (what & WRITE == 0 || has(Event::NewIndex))
            && (what & LEN == 0 || has(Event::Len))
        {
            return Ok(v);
        }
    }
    Err(a.type_error(vm, i, "table"))
}

/// Whether `t` is a table without a metatable, so raw access is what Lua code would see.
fn raw_table(vm: &Vm, t: Value) -> Option<crate::value::TableRef> {
    match t {
        Value::Table(r) if vm.heap.table(r).metatable.is_none() => Some(r),
        _ => None,
    }
}

/// `#t`, with `__len`, which must give an integer.
fn length(vm: &mut Vm, t: Value) -> Result<i64, RuntimeError> {
    if let Some(r) = raw_table(vm, t) {
        return Ok(vm.heap.table(r).len());
    }
    match vm.len_of(t)? {
        Value::Int(n) => Ok(n),
        Value::Float(f) => number::float_to_int_exact(f)
            .ok_or_else(|| RuntimeError::runtime("object length is not an integer")),
        _ => Err(RuntimeError::runtime("object length is not an integer")),
    }
}

/// `t[i]`, with `__index`.
#[inline]
fn get(vm: &mut Vm, t: Value, i: i64) -> Result<Value, RuntimeError> {
    match raw_table(vm, t) {
        Some(r) => Ok(vm.heap.table(r).get_int(i)),
        None => vm.index(t, Value::Int(i)),
    }
}

/// `t[i] = v`, with `__newindex`.
fn set(vm: &mut Vm, t: Value, i: i64, v: Value) -> Result<(), RuntimeError> {
    match raw_table(vm, t) {
        Some(r) => vm.set_table(r, Value::Int(i), v),
        None => vm.set_index_meta(t, Value::Int(i), v),
    }
}

/// Swaps `t[i]` and `t[j]`. With metamethods, Lua code runs between the reads and the
/// writes, so the values wait in root slots where the collector sees them.
fn swap(
    vm: &mut Vm,
    t: Value,
    i: i64,
    j: i64,
    roots: Option<(RootSlot, RootSlot)>,
) -> Result<(), RuntimeError> {
    if let Some(r) = raw_table(vm, t) {
        let table = vm.heap.table_mut_in_place(r);
        let (x, y) = (table.get_int(i), table.get_int(j));
        // Both keys usually exist (in the array part): then nothing grows and the heap
        // is not charged. A key that holds nil or lives in the hash part with a nil
        // coming takes the general store.
        if table.replace_existing(Value::Int(i), y) && table.replace_existing(Value::Int(j), x) {
            return Ok(());
        }
        vm.set_table(r, Value::Int(i), y)?;
        return vm.set_table(r, Value::Int(j), x);
    }
    let x = get(vm, t, i)?;
    if let Some((rx, _)) = roots {
        vm.set_root(rx, x);
    }
    let y = get(vm, t, j)?;
    if let Some((_, ry)) = roots {
        vm.set_root(ry, y);
    }
    set(vm, t, i, y)?;
    set(vm, t, j, x)
}

fn insert(vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "table.insert", args);
    let t = check_table(vm, &a, 0, READ | WRITE | LEN)?;
    // The first empty position (wrapping as Lua's unsigned arithmetic does).
    let e = length(vm, t)?.wrapping_add(1);
    let (pos, value) = match args.len() {
        2 => (e, args[1]),
        3 => {
            let pos = a.int(vm, 1)?;
            // 1 <= pos <= e, compared unsigned so a negative pos is out of bounds too.
            if (pos as u64).wrapping_sub(1) >= e as u64 {
                return Err(a.error(1, "position out of bounds"));
            }
            if e > pos {
                vm.charge_fuel(e.wrapping_sub(pos) as u64)?;
            }
            let mut i = e;
            while i > pos {
                let v = get(vm, t, i - 1)?;
                set(vm, t, i, v)?;
                i -= 1;
            }
            (pos, args[2])
        }
        _ => return Err(RuntimeError::runtime("wrong number of arguments to 'insert'")),
    };
    set(vm, t, pos, value)
}

fn remove(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "table.remove", args);
    let t = check_table(vm, &a, 0, READ | WRITE | LEN)?;
    let size = length(vm, t)?;
    let mut pos = a.opt_int(vm, 1, size)?;
    // `size + 1` is allowed (it removes nothing there); so is `size` when it is 0 or
    // negative (nothing is shifted). Lua 5.4.4 names argument #1 in this message.
    if pos != size && (pos as u64).wrapping_sub(1) > size as u64 {
        return Err(a.error(0, "position out of bounds"));
    }
    let removed = get(vm, t, pos)?;
    if size > pos {
        vm.charge_fuel(size.wrapping_sub(pos) as u64)?;
    }
    while pos < size {
        let next = get(vm, t, pos + 1)?;
        set(vm, t, pos, next)?;
        pos += 1;
    }
    set(vm, t, pos, Value::Nil)?;
    out.push(removed);
    Ok(())
}

fn concat(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "table.concat", args);
    let t = check_table(vm, &a, 0, READ | LEN)?;
    let last = length(vm, t)?;
    let sep = match a.opt_string(vm, 1)? {
        Some(s) => vm.heap.str(s).as_bytes().to_vec(),
        None => Vec::new(),
    };
    let first = a.opt_int(vm, 2, 1)?;
    let last = a.opt_int(vm, 3, last)?;
    // The result must fit in a string and in what is left of the heap.
    let room = vm.limits().max_string.min(vm.heap.limit().saturating_sub(vm.heap.bytes()));
    let mut buf: Vec<u8> = Vec::with_capacity(concat_size_hint(vm, t, sep.len(), first, last).min(room));
    if first <= last {
        let mut i = first;
        loop {
            vm.charge_fuel(1)?;
            let v = get(vm, t, i)?;
            let start = buf.len();
            match v {
                Value::Str(s) => buf.extend_from_slice(vm.heap.str(s).as_bytes()),
                Value::Int(n) => buf.extend_from_slice(number::int_text(n, &mut [0; 20])),
                Value::Float(f) => buf.extend_from_slice(number::format_float(f).as_bytes()),
                other => {
                    return Err(RuntimeError::runtime(format!(
                        "invalid value ({}) at index {i} in table for 'concat'",
                        other.type_name()
                    )))
                }
            }
            if i == last {
                break;
            }
            buf.extend_from_slice(&sep);
            if buf.len() > room {
                buf.truncate(start);
                return Err(RuntimeError::runtime("resulting string too large"));
            }
            i += 1;
        }
    }
    if buf.len() > room {
        return Err(RuntimeError::runtime("resulting string too large"));
    }
    out.push(vm.new_string_owned(buf)?);
    Ok(())
}

/// The length `concat` will make, read ahead from a table without metamethods so the
/// result is allocated once (0 when unknown). The look-ahead stops where the join
/// would fail and after as many elements as there is fuel for, so it never does much
/// more than the join itself is charged for.
fn concat_size_hint(vm: &Vm, t: Value, sep: usize, first: i64, last: i64) -> usize {
    let Some(r) = raw_table(vm, t) else { return 0 };
    let table = vm.heap.table(r);
    let mut size = 0usize;
    let mut i = first;
    let mut budget = vm.fuel();
    while i <= last && budget > 0 {
        size += match table.get_int(i) {
            Value::Str(s) => vm.heap.str(s).len(),
            // Longer than most numbers' text, shorter than any.
            Value::Int(_) | Value::Float(_) => 24,
            _ => break,
        };
        size = size.saturating_add(sep);
        if i == last {
            break;
        }
        budget -= 1;
        i += 1;
    }
    size
}

fn pack(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let t = vm.heap.new_table(args.len(), 1)?;
    for (i, &v) in args.iter().enumerate() {
        vm.set_table(t, Value::Int(i as i64 + 1), v)?;
    }
    vm.set_field(t, "n", Value::Int(args.len() as i64))?;
    out.push(Value::Table(t));
    Ok(())
}

/// Most values `unpack` returns, whatever the stack limit: Lua's own stack limit.
const MAX_UNPACK: usize = 1_000_000;

fn unpack(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "table.unpack", args);
    let t = a.get(0);
    let first = a.opt_int(vm, 1, 1)?;
    let last = if a.is_none_or_nil(2) { length(vm, t)? } else { a.int(vm, 2)? };
    if first > last {
        return Ok(());
    }
    // The count less one: fits in u64 even for the full integer range.
    let n = (last as u64).wrapping_sub(first as u64);
    let room = MAX_UNPACK.min(vm.limits().max_stack.saturating_sub(vm.top)) as u64;
    if n >= room {
        return Err(RuntimeError::runtime("too many results to unpack"));
    }
    vm.charge_fuel(n + 1)?;
    out.reserve(n as usize + 1);
    for i in first..=last {
        out.push(get(vm, t, i)?);
    }
    Ok(())
}

fn move_(vm: &mut Vm, args: &[Value], out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "table.move", args);
    let f = a.int(vm, 1)?;
    let e = a.int(vm, 2)?;
    let t = a.int(vm, 3)?;
    let dest_arg = if a.is_none_or_nil(4) { 0 } else { 4 };
    let src = check_table(vm, &a, 0, READ)?;
    let dest = check_table(vm, &a, dest_arg, WRITE)?;
    if e >= f {
        // Both checks keep `e - f + 1` and `t + n - 1` inside the integers.
        if !(f > 0 || e < i64::MAX + f) {
            return Err(a.error(2, "too many elements to move"));
        }
        let n = e - f + 1;
        if t > i64::MAX - n + 1 {
            return Err(a.error(3, "destination wrap around"));
        }
        vm.charge_fuel(n as u64)?;
        let different = dest_arg != 0 && !vm.equals(src, dest)?;
        if t > e || t <= f || different {
            for i in 0..n {
                let v = get(vm, src, f + i)?;
                set(vm, dest, t + i, v)?;
            }
        } else {
            // Overlapping with the destination above the source: copy from the end.
            for i in (0..n).rev() {
                let v = get(vm, src, f + i)?;
                set(vm, dest, t + i, v)?;
            }
        }
    }
    out.push(dest);
    Ok(())
}

fn sort(vm: &mut Vm, args: &[Value], _out: &mut Vec<Value>) -> Result<(), RuntimeError> {
    let a = Args::lib(vm, "table.sort", args);
    let t = check_table(vm, &a, 0, READ | WRITE | LEN)?;
    let n = length(vm, t)?;
    if n > 1 {
        // Lua's limit (INT_MAX); it also keeps the index arithmetic below far from overflow.
        if n >= i64::from(i32::MAX) {
            return Err(a.error(0, "array too big"));
        }
        let cmp = if a.is_none_or_nil(1) { None } else { Some(a.function(vm, 1)?) };
        // The pivot and the values being swapped are kept reachable while the comparator
        // and metamethods run.
        let roots = (vm.root_slot()?, vm.root_slot()?);
        let pivot_root = vm.root_slot()?;
        let sorter = Sorter { t, cmp, roots, pivot_root };
        // Quicksort gets 2·log2(n) levels before the range falls back to heapsort.
        let depth = 2 * (64 - (n as u64).leading_zeros());
        sorter.quicksort(vm, 1, n, depth)?;
    }
    Ok(())
}

struct Sorter {
    t: Value,
    cmp: Option<Value>,
    roots: (RootSlot, RootSlot),
    pivot_root: RootSlot,
}

fn invalid_order() -> RuntimeError {
    RuntimeError::runtime("invalid order function for sorting")
}

impl Sorter {
    /// `x < y` by the comparator or by Lua's `<`; one unit of fuel.
    #[inline(always)]
    fn less(&self, vm: &mut Vm, x: Value, y: Value) -> Result<bool, RuntimeError> {
        vm.charge_fuel(1)?;
        match self.cmp {
            Some(f) => Ok(vm.call_first(f, &[x, y])?.is_truthy()),
            None => vm.less_than(x, y),
        }
    }

    /// Whether `t[i] < t[j]`.
    fn less_at(&self, vm: &mut Vm, i: i64, j: i64) -> Result<bool, RuntimeError> {
        let x = get(vm, self.t, i)?;
        vm.set_root(self.roots.0, x);
        let y = get(vm, self.t, j)?;
        self.less(vm, x, y)
    }

    /// Sorts `t[lo..=hi]`. Recurses into the smaller part and loops on the larger, so
    /// the Rust stack holds at most log2(n) frames.
    fn quicksort(&self, vm: &mut Vm, mut lo: i64, mut hi: i64, mut depth: u32) -> Result<(), RuntimeError> {
        while lo < hi {
            if depth == 0 {
                return self.heapsort(vm, lo, hi);
            }
            depth -= 1;
            // Order t[lo], t[mid], t[hi]; the median goes to mid.
            if self.less_at(vm, hi, lo)? {
                swap(vm, self.t, lo, hi, Some(self.roots))?;
            }
            if hi - lo == 1 {
                return Ok(());
            }
            let mid = lo + (hi - lo) / 2;
            if self.less_at(vm, mid, lo)? {
                swap(vm, self.t, mid, lo, Some(self.roots))?;
            } else if self.less_at(vm, hi, mid)? {
                swap(vm, self.t, mid, hi, Some(self.roots))?;
            }
            if hi - lo == 2 {
                return Ok(());
            }
            // The pivot waits at hi-1; t[lo] <= pivot <= t[hi] bound the scans.
            let pivot = get(vm, self.t, mid)?;
            vm.set_root(self.pivot_root, pivot);
            swap(vm, self.t, mid, hi - 1, Some(self.roots))?;
            let (mut i, mut j) = (lo, hi - 1);
            loop {
                // Up while t[i] < pivot. With a consistent order the pivot itself stops
                // the scan; reaching it with "less" still true means the order is not one.
                loop {
                    i += 1;
                    let v = get(vm, self.t, i)?;
                    if !self.less(vm, v, pivot)? {
                        break;
                    }
                    if i >= hi - 1 {
                        return Err(invalid_order());
                    }
                }
                // Down while pivot < t[j]; passing i means t[j] was found both below and
                // above the pivot.
                loop {
                    j -= 1;
                    let v = get(vm, self.t, j)?;
                    if !self.less(vm, pivot, v)? {
                        break;
                    }
                    if j < i {
                        return Err(invalid_order());
                    }
                }
                if j < i {
                    break;
                }
                swap(vm, self.t, i, j, Some(self.roots))?;
            }
            // The pivot to its place, between the two parts.
            swap(vm, self.t, hi - 1, i, Some(self.roots))?;
            if i - lo < hi - i {
                self.quicksort(vm, lo, i - 1, depth)?;
                lo = i + 1;
            } else {
                self.quicksort(vm, i + 1, hi, depth)?;
                hi = i - 1;
            }
        }
        Ok(())
    }

    /// Heapsort of `t[lo..=hi]`: O(n log n) comparisons whatever the comparator does.
    fn heapsort(&self, vm: &mut Vm, lo: i64, hi: i64) -> Result<(), RuntimeError> {
        let n = hi - lo + 1;
        for root in (0..n / 2).rev() {
            self.sift_down(vm, lo, root, n)?;
        }
        for end in (1..n).rev() {
            swap(vm, self.t, lo, lo + end, Some(self.roots))?;
            self.sift_down(vm, lo, 0, end)?;
        }
        Ok(())
    }

    /// Restores the max-heap below `root` among the first `n` elements from `lo`.
    fn sift_down(&self, vm: &mut Vm, lo: i64, mut root: i64, n: i64) -> Result<(), RuntimeError> {
        loop {
            let mut child = 2 * root + 1;
            if child >= n {
                return Ok(());
            }
            if child + 1 < n && self.less_at(vm, lo + child, lo + child + 1)? {
                child += 1;
            }
            if !self.less_at(vm, lo + root, lo + child)? {
                return Ok(());
            }
            swap(vm, self.t, lo + root, lo + child, Some(self.roots))?;
            root = child;
        }
    }
}
