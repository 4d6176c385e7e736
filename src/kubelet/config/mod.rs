//! Mirrors `pkg/kubelet/config`: the file, URL and API-server pod sources and the mux that
//! merges them (`PodConfig`).
