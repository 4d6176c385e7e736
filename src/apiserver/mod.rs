//! The emulated kube-apiserver and its etcd store, plus the scheduler and controllers that act
//! only while their static pods run.

pub mod defaults;
pub mod podutil;
pub mod printers;
pub mod server;
pub mod store;
pub mod validation;

pub use server::{ApiError, ApiServer, API_SERVER_HOST, API_SERVER_PORT};
