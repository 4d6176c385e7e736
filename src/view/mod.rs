//! View models: what each pane of the browser app shows, computed from the simulation as
//! plain data and tested natively. The UI renders these and nothing else.

pub mod clock;
pub mod editor;
pub mod kubelet;
pub mod lesson;
pub mod nodes;
pub mod pods;
pub mod terminal;

use crate::cluster::Cluster;
use crate::sim::SimTime;

pub use clock::ClockView;
pub use nodes::NodeView;
pub use pods::PodsView;

/// Everything the live panes show at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The top bar's clock.
    pub clock: ClockView,
    /// The Pods pane.
    pub pods: PodsView,
    /// The Nodes pane, one card per node.
    pub nodes: Vec<NodeView>,
}

/// The panes for `cluster` as a learner who arrived at `start` sees them.
pub fn view(cluster: &Cluster, start: SimTime) -> View {
    View {
        clock: clock::clock_view(cluster.now(), start),
        pods: pods::pods_view(cluster),
        nodes: nodes::nodes_view(cluster),
    }
}
