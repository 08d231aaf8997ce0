//! What the VM keeps for its embedding host: pinned values, the queue through which
//! dropped host handles give their pins back, typed host data, and the interrupt flag.
//!
//! A [`Value`] handed to the host is a bare handle: it is valid only until the VM next
//! runs code or collects garbage. A host that wants to keep one longer **pins** it: a pin
//! is a slot in a list the collector treats as a root, so the object stays alive (and
//! its handle valid) until the pin is released. Pins are released by [`Vm::unpin`], or,
//! from anywhere (another thread, a `Drop` that has no access to the VM), through the
//! VM's [`ReleaseQueue`], which the VM drains before every collection and whenever the
//! host asks ([`Vm::drain_released`]).
//!
//! **Temporaries** are a second, stack-shaped root list for values the host holds only
//! for the length of one operation (results being converted, arguments being built):
//! the host notes [`Vm::temps_len`], pushes, and truncates back to the mark.
//!
//! Every VM has a process-unique [`Vm::id`], so a host handle can say which VM it
//! belongs to and a handle used with another VM is refused instead of reading the wrong
//! object.
//!
//! The interrupt flag ([`Vm::interrupt_flag`]) may be set from any thread; the
//! interpreter looks at it on its fuel check's cold path (see `hook`), which it takes
//! at least once every [`crate::vm::FUEL_SLICE`] instructions, and library functions
//! look at it when they charge fuel. A call it stops fails with
//! [`crate::ErrorKind::Interrupted`]; the flag is cleared when that error reaches the
//! host.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::RuntimeError;
use crate::value::{TableRef, UserDataRef, Value};
use crate::vm::Vm;

/// A pinned value's slot (see [`Vm::pin`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PinSlot(u32);

impl PinSlot {
    /// The slot's index, stable while the pin is held.
    pub fn index(self) -> u32 {
        self.0
    }
}

/// Pins released from outside the VM, waiting to be freed. Shareable across threads.
#[derive(Debug, Default)]
pub struct ReleaseQueue {
    /// Set when `slots` may be non-empty, so draining an empty queue takes no lock.
    pending: AtomicBool,
    slots: Mutex<Vec<u32>>,
}

impl ReleaseQueue {
    /// Queues `slot` to be unpinned the next time its VM drains the queue.
    pub fn release(&self, slot: PinSlot) {
        let mut slots = self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        slots.push(slot.0);
        self.pending.store(true, Ordering::Release);
    }

    fn take(&self) -> Vec<u32> {
        if !self.pending.swap(false, Ordering::Acquire) {
            return Vec::new();
        }
        let mut slots = self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::take(&mut *slots)
    }
}

static NEXT_VM_ID: AtomicU64 = AtomicU64::new(1);

/// The host's part of a VM's state.
pub(crate) struct HostState {
    id: u64,
    pins: Vec<Value>,
    free: Vec<u32>,
    temps: Vec<Value>,
    released: Arc<ReleaseQueue>,
    data: HashMap<TypeId, Box<dyn Any + Send>>,
    pub(crate) interrupt: Arc<AtomicBool>,
}

impl Default for HostState {
    fn default() -> Self {
        HostState {
            id: NEXT_VM_ID.fetch_add(1, Ordering::Relaxed),
            pins: Vec::new(),
            free: Vec::new(),
            temps: Vec::new(),
            released: Arc::default(),
            data: HashMap::new(),
            interrupt: Arc::default(),
        }
    }
}

impl std::fmt::Debug for HostState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostState").field("id", &self.id).field("pins", &self.pins.len()).finish()
    }
}

impl HostState {
    /// Every value pinned or held as a temporary (collector roots).
    pub(crate) fn roots(&self) -> impl Iterator<Item = Value> + '_ {
        self.pins.iter().chain(self.temps.iter()).copied()
    }
}

impl Vm {
    /// A number no other VM in this process has: host handles carry it so that a handle
    /// used with the wrong VM is recognised.
    pub fn id(&self) -> u64 {
        self.host.id
    }

    /// Keeps `value` alive until [`Vm::unpin`] (or the [`ReleaseQueue`]) releases the
    /// slot. Pins are few and host-controlled, so they are not charged to the heap.
    pub fn pin(&mut self, value: Value) -> PinSlot {
        match self.host.free.pop() {
            Some(i) => {
                self.host.pins[i as usize] = value;
                PinSlot(i)
            }
            None => {
                self.host.pins.push(value);
                PinSlot((self.host.pins.len() - 1) as u32)
            }
        }
    }

    /// The value in a pin slot; `None` for a slot this VM never handed out.
    pub fn pinned(&self, slot: PinSlot) -> Option<Value> {
        self.host.pins.get(slot.0 as usize).copied()
    }

    /// Releases a pin: its value may be collected and the slot reused.
    pub fn unpin(&mut self, slot: PinSlot) {
        if let Some(v) = self.host.pins.get_mut(slot.0 as usize) {
            *v = Value::Nil;
            self.host.free.push(slot.0);
        }
    }

    /// Number of pins held (for tests and diagnostics).
    pub fn pin_count(&self) -> usize {
        self.host.pins.len() - self.host.free.len()
    }

    /// The queue through which pins can be released without access to the VM.
    pub fn release_queue(&self) -> Arc<ReleaseQueue> {
        self.host.released.clone()
    }

    /// Frees the pins released through the queue so far.
    pub fn drain_released(&mut self) {
        for slot in self.host.released.take() {
            self.unpin(PinSlot(slot));
        }
    }

    /// The number of temporaries held: a mark to truncate back to.
    pub fn temps_len(&self) -> usize {
        self.host.temps.len()
    }

    /// Keeps `value` alive until the temporaries are truncated below it.
    pub fn push_temp(&mut self, value: Value) {
        self.host.temps.push(value);
    }

    /// Drops the temporaries above `mark`.
    pub fn truncate_temps(&mut self, mark: usize) {
        self.host.temps.truncate(mark);
    }

    /// The host's value of type `T`, if it stored one with [`Vm::set_host_data`].
    pub fn host_data<T: Any + Send>(&mut self) -> Option<&mut T> {
        self.host.data.get_mut(&TypeId::of::<T>()).and_then(|b| b.downcast_mut::<T>())
    }

    /// Stores a value of type `T` for the host (one per type), replacing any before.
    pub fn set_host_data<T: Any + Send>(&mut self, data: T) {
        self.host.data.insert(TypeId::of::<T>(), Box::new(data));
    }

    /// A flag that stops the running call when set, from any thread: the call fails
    /// with [`crate::ErrorKind::Interrupted`] within [`crate::vm::FUEL_SLICE`]
    /// instructions (sooner inside library functions that charge fuel). The flag is
    /// cleared when the interrupted call returns to the host; set while nothing runs,
    /// it stops the next call.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.host.interrupt.clone()
    }

    /// Whether an interrupt is waiting to be delivered.
    #[inline]
    pub(crate) fn interrupt_requested(&self) -> bool {
        self.host.interrupt.load(Ordering::Relaxed)
    }

    /// Forgets a delivered interrupt.
    pub(crate) fn clear_interrupt(&mut self) {
        self.host.interrupt.store(false, Ordering::Relaxed);
    }

    /// A full userdata holding `payload` (charged as `size` bytes) with `metatable`.
    pub fn new_userdata(
        &mut self,
        payload: Box<dyn Any + Send>,
        size: usize,
        metatable: Option<TableRef>,
    ) -> Result<Value, RuntimeError> {
        let u = self.heap.new_userdata(payload, size)?;
        self.heap.userdata.get_mut(u).metatable = metatable;
        Ok(Value::UserData(u))
    }

    /// The payload of a live userdata, to inspect, borrow or swap out.
    pub fn userdata_payload_mut(&mut self, u: UserDataRef) -> &mut Box<dyn Any + Send> {
        &mut self.heap.userdata.get_mut(u).payload
    }
}
