//! The emulated kube-apiserver and its etcd store, plus the scheduler and controllers that act
//! only while their static pods run.

pub mod defaults;
pub mod podutil;
pub mod validation;
