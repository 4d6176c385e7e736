//! The playground as its three faces use it: a booted cluster, a terminal session on the
//! control-plane node, and a clock that reads zero when the learner arrives.

use crate::cluster::Cluster;
use crate::shell::session::Session;
use crate::shell::{execute, CommandResult};
use crate::sim::SimTime;

/// A cluster and a terminal logged in to it.
#[derive(Debug, Clone)]
pub struct Playground {
    cluster: Cluster,
    session: Session,
    /// When the learner arrived (the boot's end).
    start: SimTime,
}

impl Playground {
    /// The default cluster, already up, with a shell on `controlplane`.
    pub fn new(seed: u64) -> Result<Playground, String> {
        let mut cluster = Cluster::boot_default(seed)?;
        let host = cluster
            .host_index(crate::cluster::boot::CONTROL_PLANE.0)
            .ok_or("the default cluster has no control-plane node")?;
        let pid = cluster.node_mut(host).allocate_pid();
        let session = Session::new(host, crate::cluster::boot::CONTROL_PLANE.0, pid);
        let start = cluster.now();
        Ok(Playground {
            cluster,
            session,
            start,
        })
    }

    /// The start state of lesson `id`.
    pub fn for_lesson(id: &str, seed: u64) -> Result<Playground, String> {
        let _ = seed;
        Err(format!(
            "no lesson with ID {id:?}: this build has no lessons yet (run without --lesson for the default cluster)"
        ))
    }

    /// Runs one complete command line.
    pub fn run(&mut self, command: &str) -> CommandResult {
        execute(&mut self.cluster, &mut self.session, command)
    }

    /// Virtual seconds since the learner arrived.
    pub fn clock_secs(&self) -> f64 {
        self.cluster.now().since(self.start).as_secs_f64()
    }

    /// The cluster.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The cluster, for changes from outside the terminal (the UI's editor pane).
    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// The terminal session.
    pub fn session(&self) -> &Session {
        &self.session
    }
}
