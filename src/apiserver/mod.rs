//! The emulated kube-apiserver and its etcd store, plus the scheduler and controllers that act
//! only while their static pods run.

pub mod admission;
pub mod componentstatus;
pub mod controllers;
pub mod controlplane;
pub mod defaults;
pub mod deletion;
pub mod event_index;
pub mod event_ttl;
pub mod events;
pub mod go_decode;
pub mod helpers;
pub mod json_pointer;
pub mod kubernetes_service;
pub mod leader_election;
pub mod leases;
pub mod pods_by_node;
pub mod podutil;
pub mod printers;
pub mod registry;
pub mod requests;
pub mod scheduler;
pub mod server;
pub mod service;
pub mod store;
#[cfg(test)]
mod testutil;
pub mod validation;

pub use controlplane::{Components, ControlPlane, TickReport};
pub use server::{ApiError, ApiServer, API_SERVER_HOST, API_SERVER_PORT};
