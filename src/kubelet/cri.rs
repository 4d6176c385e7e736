//! The CRI as the kubelet sees it. The API itself lives with the runtime that serves it
//! (`crate::node::cri`), so the emulated containerd does not depend on the kubelet.

pub use crate::node::cri::*;
