//! The kernel every host runs (Ubuntu 24.04's GA kernel): one place for the strings `uname`,
//! `/proc/version`, a container's `uname` (containers share the host's kernel) and the
//! Node's `status.nodeInfo.kernelVersion` all print, so they agree.

/// `uname -r`, and the kubelet's `kernelVersion`.
pub const KERNEL_RELEASE: &str = "6.8.0-87-generic";
/// `uname -v`: the build number and date of that kernel.
pub const KERNEL_VERSION: &str = "#88-Ubuntu SMP PREEMPT_DYNAMIC Sat Oct 11 09:28:41 UTC 2025";

/// The content of `/proc/version` (`linux_banner`: release, builder, compiler, version).
pub fn proc_version() -> String {
    format!(
        "Linux version {KERNEL_RELEASE} (buildd@lcy02-amd64-032) (x86_64-linux-gnu-gcc-13 \
         (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0, GNU ld (GNU Binutils for Ubuntu) 2.42) \
         {KERNEL_VERSION}\n"
    )
}
