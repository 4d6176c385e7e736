//! Every string the app's own chrome shows, in one place so that each language is one value.
//! What the simulation prints (commands, kubelet messages) is not translated: it is what the
//! real tools print.

/// The app's strings in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Text {
    /// The tagline under the name.
    pub tagline: &'static str,
    /// The lesson picker's label.
    pub lesson: &'static str,
    /// The lesson picker's entry for free play.
    pub sandbox: &'static str,
    /// The time controls' group label.
    pub time: &'static str,
    /// Play button.
    pub play: &'static str,
    /// Pause button.
    pub pause: &'static str,
    /// Step button.
    pub step: &'static str,
    /// Step button's description.
    pub step_hint: &'static str,
    /// Speed group label.
    pub speed: &'static str,
    /// Clock readout label.
    pub clock: &'static str,
    /// "since you arrived" after the elapsed virtual time.
    pub since_arrival: &'static str,
    /// Shown while the simulation cannot keep up with the chosen speed; `{}` is the speed.
    pub running_at: &'static str,
    /// Reset button.
    pub reset: &'static str,
    /// Theme toggle when the dark theme shows.
    pub light_theme: &'static str,
    /// Theme toggle when the light theme shows.
    pub dark_theme: &'static str,
    /// Help button.
    pub help: &'static str,
    /// Export button.
    pub export: &'static str,
    /// Import button.
    pub import: &'static str,
    /// Terminal pane heading.
    pub terminal: &'static str,
    /// The scrollback's name.
    pub terminal_output: &'static str,
    /// Shown instead of the prompt while a command runs.
    pub running_hint: &'static str,
    /// Editor pane heading.
    pub editor: &'static str,
    /// The editor's accessible name.
    pub manifest_editor: &'static str,
    /// Save button.
    pub save: &'static str,
    /// Close button.
    pub close: &'static str,
    /// New static pod button.
    pub new_static_pod: &'static str,
    /// Shown when no file is open.
    pub no_file: &'static str,
    /// Marks unsaved changes.
    pub unsaved: &'static str,
    /// Shown while the editor loads.
    pub editor_loading: &'static str,
    /// Shown when the editor bundle could not load (a plain text box is used instead).
    pub editor_fallback: &'static str,
    /// The file path field's label for a new file.
    pub file_path: &'static str,
    /// Nodes pane heading.
    pub nodes: &'static str,
    /// Pods pane heading.
    pub pods: &'static str,
    /// Label before the kubelet's state.
    pub kubelet: &'static str,
    /// Restart kubelet button.
    pub restart_kubelet: &'static str,
    /// Label of the static pod path.
    pub static_pod_path: &'static str,
    /// The static pod source is off.
    pub static_pod_path_off: &'static str,
    /// Config on disk differs; `{}` is the path on disk.
    pub pending_path: &'static str,
    /// The static pod path does not exist.
    pub path_missing: &'static str,
    /// The folder is empty.
    pub folder_empty: &'static str,
    /// Open button.
    pub open: &'static str,
    /// Containers table caption.
    pub containers: &'static str,
    /// No containers.
    pub no_containers: &'static str,
    /// Stop button.
    pub stop: &'static str,
    /// Delete button.
    pub delete: &'static str,
    /// Mirror badge; `{}` is the node.
    pub static_pod_on: &'static str,
    /// The API server does not answer.
    pub api_down: &'static str,
    /// No pods.
    pub no_pods: &'static str,
    /// Badge: a running static pod.
    pub badge_pod: &'static str,
    /// Badge: invalid file.
    pub badge_invalid: &'static str,
    /// Badge: ignored file.
    pub badge_ignored: &'static str,
    /// Badge: not read yet.
    pub badge_not_read: &'static str,
    /// Explanation of the not-read badge.
    pub not_read_hint: &'static str,
    /// Badge: no kubelet watches.
    pub badge_unwatched: &'static str,
    /// An invalid file whose old pod still runs; `{}` is the pod.
    pub still_running: &'static str,
    /// Reset confirmation title.
    pub reset_title: &'static str,
    /// Reset confirmation text.
    pub reset_body: &'static str,
    /// Cancel button.
    pub cancel: &'static str,
    /// Help dialog title.
    pub help_title: &'static str,
    /// Help dialog keyboard section.
    pub help_keys: &'static str,
    /// Restoring progress; `{}` is the percentage.
    pub restoring: &'static str,
    /// Restore failure title.
    pub restore_failed: &'static str,
    /// Start fresh button.
    pub start_fresh: &'static str,
    /// Download the damaged data button.
    pub download_damaged: &'static str,
    /// Storage unavailable notice.
    pub not_saved: &'static str,
    /// Tour: next.
    pub next: &'static str,
    /// Tour: skip / done.
    pub done: &'static str,
    /// Tour steps: (title, body).
    pub tour: [(&'static str, &'static str); 4],
    /// The fast-forward note of a long `sleep`; `{}` is the percentage.
    pub fast_forward: &'static str,
}

/// English.
pub const EN: Text = Text {
    tagline: "Static pods, the kubelet and its sync loop — in your browser.",
    lesson: "Lesson",
    sandbox: "Sandbox",
    time: "Virtual time",
    play: "Play",
    pause: "Pause",
    step: "Step",
    step_hint: "Run to the next thing that happens",
    speed: "Speed",
    clock: "Clock",
    since_arrival: "since you arrived",
    running_at: "running at {}",
    reset: "Reset",
    light_theme: "Light theme",
    dark_theme: "Dark theme",
    help: "Help",
    export: "Export session",
    import: "Import session",
    terminal: "Terminal",
    terminal_output: "Terminal output",
    running_hint: "Running — press Ctrl-C to stop",
    editor: "Editor",
    manifest_editor: "Manifest editor",
    save: "Save",
    close: "Close",
    new_static_pod: "New static pod",
    no_file: "Open a file from a node card, type vi FILE in the terminal, or start a new static pod.",
    unsaved: "unsaved",
    editor_loading: "Loading the editor…",
    editor_fallback: "The code editor could not load; this plain text box works the same.",
    file_path: "File path",
    nodes: "Nodes",
    pods: "Pods",
    kubelet: "kubelet",
    restart_kubelet: "Restart kubelet",
    static_pod_path: "staticPodPath",
    static_pod_path_off: "(empty: no static pods from files)",
    pending_path: "config.yaml on disk says {} — takes effect on systemctl restart kubelet",
    path_missing: "does not exist",
    folder_empty: "empty folder",
    open: "Open",
    containers: "Containers (crictl ps -a)",
    no_containers: "No containers",
    stop: "Stop",
    delete: "Delete",
    static_pod_on: "static pod on {}",
    api_down: "The API server is not answering — kubectl fails the same way. Showing its last answer.",
    no_pods: "No resources found",
    badge_pod: "running",
    badge_invalid: "invalid",
    badge_ignored: "ignored",
    badge_not_read: "not read yet",
    not_read_hint: "the kubelet's next relist (every 20 s) will read it",
    badge_unwatched: "no kubelet",
    still_running: "{} keeps running until the next relist",
    reset_title: "Start over?",
    reset_body: "Reset boots a fresh cluster. Everything you did in this session is lost (export it first to keep it).",
    cancel: "Cancel",
    help_title: "What the terminal understands",
    help_keys: "Keys: Enter runs a command; ↑/↓ history; Tab completes; Ctrl-R searches history; Ctrl-C stops a command; Ctrl-L clears; Esc then Tab leaves the terminal. In the editor, Ctrl-S saves.",
    restoring: "Restoring your session… {}%",
    restore_failed: "Your last session could not be restored",
    start_fresh: "Start fresh",
    download_damaged: "Download the saved data",
    not_saved: "Your work is not being saved: this browser does not allow storage here.",
    next: "Next",
    done: "Got it",
    tour: [
        ("Terminal", "A shell on the control-plane node: kubectl, crictl, systemctl, journalctl and the usual tools. ssh node01 reaches the worker."),
        ("Editor", "Edit manifests with the kubelet's own errors as you type. Saving writes the file, so the kubelet's watch sees it."),
        ("Nodes", "Each node's kubelet, its static pod folder and what the kubelet made of every file, and the containers the runtime runs."),
        ("Pods", "What the API server lists. Mirror pods stand for static pods; delete one and watch the kubelet put it back."),
    ],
    fast_forward: "fast-forwarding… {}%",
};
