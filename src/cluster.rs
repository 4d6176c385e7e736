//! Wires nodes, kubelets and the API server into one world that the UI, the runner and the
//! tests drive.
