//! kubeplay-sim: a deterministic simulation of a small k3s cluster's control plane. Pure:
//! no wall clock, no IO, one seeded RNG, ordered maps only. Time is an input.

pub mod affinity;
pub mod api;
pub mod autoscaler;
pub mod bench;
mod boot;
pub mod decode;
pub mod defaults;
pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod errors;
pub mod events;
pub mod files;
mod gc;
pub mod images;
pub mod jobs;
pub mod kinds;
pub mod kubelet;
pub mod limits;
pub mod metrics;
pub mod names;
pub mod net;
pub mod nodes;
pub mod quantity;
pub mod quota;
pub mod replicaset;
pub mod resize;
pub mod resources;
pub mod rng;
pub mod scheduler;
pub mod selectors;
pub mod servicelb;
pub mod services;
pub mod shell;
pub mod storage;
pub mod store;
pub mod topology;
pub mod validate;
pub mod workloads;
pub mod world;

pub use api::{ApplyResult, DeleteOptions, Propagation};
pub use errors::{ApiError, FieldError, Reason};
pub use kinds::{Kind, Object};
pub use store::{ObjRef, Store};
pub use world::{Settled, World};
