//! systemd's command-line tools on the simulated hosts: `systemctl` (units: status, start,
//! stop, restart, cat, enable, ...) and `journalctl` (the journal: kubelet's klog lines and
//! systemd's own), mirroring systemd 255 as Ubuntu 24.04 ships it.

mod catalog;
mod journalctl;
mod lines;
mod options;
mod status;
mod systemctl;
mod time;

pub use journalctl::{journalctl, usage as journalctl_usage, JournalFollow, FOLLOW_FOR};
pub use systemctl::{systemctl, usage as systemctl_usage};
