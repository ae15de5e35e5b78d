//! The simulated cluster as one value: the store, the virtual clock, the seeded RNG and the
//! discrete-event queue. It reads no wall clock and does no IO; time moves only when the
//! caller steps it. Cloning a `World` is a snapshot.

use crate::kinds::{Kind, Object};
use crate::rng::Rng;
use crate::store::{ChangeType, ObjRef, Store};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use std::collections::BTreeMap;

/// Virtual time zero, as Unix milliseconds: 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX_MS: i64 = 1_767_225_600_000;

/// Work the runtime can schedule. Each task has one slot in the queue: scheduling it again
/// moves it earlier, never duplicates it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Task {
    /// Run a controller's reconcile for one object.
    Reconcile(Controller, ObjRef),
}

/// The controllers the runtime drives, in a fixed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Controller {
    /// Deletes dependents whose owners are gone, and finishes foreground deletions.
    GarbageCollector,
    /// Empties and then removes namespaces being deleted.
    Namespace,
}

/// What `run_until_settled` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// The queue holds nothing due before the horizon: the cluster has converged.
    Settled { events: u64 },
    /// The bound on events was reached first; the cluster may still be changing.
    Bounded { events: u64 },
}

/// A write a reconciler asks the API layer to make.
#[derive(Clone, Debug)]
pub enum Write {
    Create(Object),
    Update(Object),
    Delete(ObjRef, crate::api::Propagation),
    /// Remove an object now (finalizers done, grace elapsed).
    Remove(ObjRef),
}

/// What a reconcile returns: writes to make, and when to look at the object again.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub writes: Vec<Write>,
    pub requeue_after_ms: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct World {
    pub(crate) store: Store,
    now_ms: u64,
    pub(crate) rng: Rng,
    seq: u64,
    queue: BTreeMap<(u64, u64), Task>,
    slots: BTreeMap<Task, (u64, u64)>,
    /// Counter for event names, so two events in one millisecond get distinct names.
    pub(crate) event_seq: u64,
    seed: u64,
}

impl World {
    /// An empty cluster: the four namespaces k3s has at boot, nothing else.
    pub fn new(seed: u64) -> World {
        let mut w = World {
            store: Store::default(),
            now_ms: 0,
            rng: Rng::new(seed),
            seq: 0,
            queue: BTreeMap::new(),
            slots: BTreeMap::new(),
            event_seq: 0,
            seed,
        };
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            let obj = Object::Namespace(k8s_openapi::api::core::v1::Namespace {
                metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                    name: Some(ns.into()),
                    ..Default::default()
                },
                ..Default::default()
            });
            // Boot objects are valid by construction; a failure here would be a bug caught by tests.
            let _ = w.create(obj);
        }
        w.drain_changes();
        w
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Virtual milliseconds since the cluster booted.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The current virtual time as an API timestamp.
    pub fn now_time(&self) -> Time {
        time_at(self.now_ms)
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        self.store.get(kind, namespace, name)
    }

    /// Schedules `task` at `due_ms` (absolute). An already queued task keeps the earlier time.
    pub fn schedule(&mut self, task: Task, due_ms: u64) {
        if let Some(&(t, s)) = self.slots.get(&task) {
            if t <= due_ms {
                return;
            }
            self.queue.remove(&(t, s));
        }
        self.seq += 1;
        let slot = (due_ms.max(self.now_ms), self.seq);
        self.queue.insert(slot, task.clone());
        self.slots.insert(task, slot);
    }

    /// The time of the next queued task, if any.
    pub fn next_deadline(&self) -> Option<u64> {
        self.queue.keys().next().map(|&(t, _)| t)
    }

    /// Runs the earliest queued task, jumping the clock to its time. Returns false when the
    /// queue is empty.
    pub fn step(&mut self) -> bool {
        let Some((&slot, _)) = self.queue.iter().next() else {
            return false;
        };
        let Some(task) = self.queue.remove(&slot) else {
            return false;
        };
        self.slots.remove(&task);
        self.now_ms = self.now_ms.max(slot.0);
        self.run_task(task);
        true
    }

    /// Advances virtual time by `duration_ms`, running every task due on the way.
    /// Returns how many tasks ran. At most `max_events` run; the clock still ends at the target.
    pub fn run_for(&mut self, duration_ms: u64, max_events: u64) -> u64 {
        let target = self.now_ms.saturating_add(duration_ms);
        let mut n = 0;
        while n < max_events {
            match self.next_deadline() {
                Some(t) if t <= target => {
                    self.step();
                    n += 1;
                }
                _ => break,
            }
        }
        self.now_ms = target;
        n
    }

    /// Runs tasks until none is queued, or until `max_events` have run. Periodic work that
    /// never ends (none yet) would be reported as `Bounded`.
    pub fn run_until_settled(&mut self, max_events: u64) -> Settled {
        let mut n = 0;
        while n < max_events {
            if !self.step() {
                return Settled::Settled { events: n };
            }
            n += 1;
        }
        if self.queue.is_empty() {
            Settled::Settled { events: n }
        } else {
            Settled::Bounded { events: n }
        }
    }

    fn run_task(&mut self, task: Task) {
        let outcome = match &task {
            Task::Reconcile(c, r) => match c {
                Controller::GarbageCollector => crate::gc::reconcile(self, r),
                Controller::Namespace => crate::gc::reconcile_namespace(self, r),
            },
        };
        self.apply_writes(outcome.writes);
        if let Some(after) = outcome.requeue_after_ms {
            self.schedule(task, self.now_ms + after);
        }
        self.drain_changes();
    }

    pub(crate) fn apply_writes(&mut self, writes: Vec<Write>) {
        for w in writes {
            // A controller write that the API rejects is dropped, as a failed request would
            // be; level-triggered reconciles retry from the new state.
            let _ = match w {
                Write::Create(o) => self.create(o).map(|_| ()),
                Write::Update(o) => self.update(o).map(|_| ()),
                Write::Delete(r, p) => {
                    self.delete(&r, crate::api::DeleteOptions { propagation: p, grace_period_seconds: None }).map(|_| ())
                }
                Write::Remove(r) => {
                    self.remove_now(&r);
                    Ok(())
                }
            };
        }
    }

    /// Routes the store's new changes to the controllers that watch them (level-triggered:
    /// each change only enqueues keys).
    pub(crate) fn drain_changes(&mut self) {
        // Bounded: each pass handles what earlier writes produced; writes happen only in
        // tasks, so one pass suffices.
        let changes = self.store.take_changes();
        let now = self.now_ms;
        for c in changes {
            if c.object.kind == Kind::Namespace {
                self.schedule(Task::Reconcile(Controller::Namespace, c.object.clone()), now);
            }
            // Objects whose owners may be gone, and owners finishing a foreground deletion.
            self.schedule(Task::Reconcile(Controller::GarbageCollector, c.object.clone()), now);
            if c.change == ChangeType::Deleted {
                // Dependents of a removed owner must be looked at.
                let deps: Vec<ObjRef> = self.store.dependents_of(&c.uid).cloned().collect();
                for d in deps {
                    self.schedule(Task::Reconcile(Controller::GarbageCollector, d), now);
                }
            }
        }
    }

    /// A canonical hash of the whole cluster state: every object in key order, the clock and
    /// the queue. Equal worlds give equal hashes on every platform.
    pub fn state_hash(&self) -> u64 {
        use std::hash::Hasher;
        let mut h = fnv::FnvHasher::default();
        h.write(&self.now_ms.to_le_bytes());
        h.write(&self.store.resource_version().to_le_bytes());
        for obj in self.store.all() {
            let text = serde_json::to_string(&obj.to_value()).unwrap_or_default();
            h.write(text.as_bytes());
            h.write(&[0]);
        }
        for ((t, s), task) in &self.queue {
            h.write(&t.to_le_bytes());
            h.write(&s.to_le_bytes());
            h.write(format!("{task:?}").as_bytes());
        }
        h.finish()
    }
}

/// The API timestamp `ms` virtual milliseconds after boot.
pub fn time_at(ms: u64) -> Time {
    let unix_ms = EPOCH_UNIX_MS.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX / 2));
    Time(k8s_openapi::jiff::Timestamp::from_millisecond(unix_ms).unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH))
}

/// Virtual milliseconds since boot of an API timestamp (0 for times before boot).
pub fn ms_of(t: &Time) -> u64 {
    u64::try_from(t.0.as_millisecond() - EPOCH_UNIX_MS).unwrap_or(0)
}
