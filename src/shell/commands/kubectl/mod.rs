//! kubectl: the output layer (tables, describe, `-o yaml|json|name|jsonpath|custom-columns`)
//! as pure functions over API objects, mirroring `staging/src/k8s.io/kubectl` and
//! `staging/src/k8s.io/cli-runtime` (v1.34).

pub mod describe;
pub mod gofmt;
pub mod jsonpath;
pub mod objutil;
pub mod output;
pub mod printers;
pub mod tabwriter;
pub mod yaml_out;

#[cfg(test)]
mod fixtures;
