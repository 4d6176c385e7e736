//! Every string the app's own chrome shows, in one place so that each language is one value.
//! What the simulation prints (commands, kubelet messages) is not translated: it is what the
//! real tools print.

pub mod inside;

/// The app's strings in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Text {
    /// The tagline under the name.
    pub tagline: &'static str,
    /// The language picker's label.
    pub language: &'static str,
    /// The pane tabs' group name.
    pub panes: &'static str,
    /// Heading of a table's action column.
    pub actions: &'static str,
    /// After a command a pane ran; `{}` is the pane's name.
    pub from_pane: &'static str,
    /// Output cut from a block; `{}` is the byte count.
    pub dropped: &'static str,
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
    /// How to leave the editor with the keyboard.
    pub editor_hint: &'static str,
    /// The file path field's label for a new file.
    pub file_path: &'static str,
    /// Before the save preview.
    pub on_save: &'static str,
    /// The problem list's name.
    pub problems: &'static str,
    /// Severity words.
    pub error: &'static str,
    /// Severity words.
    pub warning: &'static str,
    /// Severity words.
    pub info: &'static str,
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
    /// The simulation's storm guard stepped in.
    pub storm: &'static str,
    /// Tour: next.
    pub next: &'static str,
    /// Tour: skip / done.
    pub done: &'static str,
    /// Tour steps: (title, body).
    pub tour: [(&'static str, &'static str); 4],
    /// The fast-forward note of a long `sleep`; `{}` is the percentage.
    pub fast_forward: &'static str,
    /// The lesson panel's heading.
    pub lesson_pane: &'static str,
    /// The lesson picker's description.
    pub choose_lesson: &'static str,
    /// The checklist's name.
    pub steps_label: &'static str,
    /// Above the open step; `{n}` and `{of}` are numbers.
    pub step_of: &'static str,
    /// A lesson's length; `{}` is a number.
    pub minutes: &'static str,
    /// Difficulty.
    pub beginner: &'static str,
    /// Difficulty.
    pub intermediate: &'static str,
    /// Difficulty.
    pub advanced: &'static str,
    /// Runs a command block.
    pub run: &'static str,
    /// A command block's run button, for screen readers; `{}` is the command.
    pub run_label: &'static str,
    /// Copies a command block.
    pub copy: &'static str,
    /// After copying.
    pub copied: &'static str,
    /// The question's heading.
    pub predict: &'static str,
    /// After a right answer.
    pub right: &'static str,
    /// After a wrong answer.
    pub not_quite: &'static str,
    /// Shows the first hint.
    pub show_hint: &'static str,
    /// Shows one more hint.
    pub another_hint: &'static str,
    /// When no hint applies to the state now.
    pub no_hint: &'static str,
    /// When every hint that applies is shown.
    pub no_more_hints: &'static str,
    /// Shows the reference solution.
    pub show_solution: &'static str,
    /// Hides it again.
    pub hide_solution: &'static str,
    /// How the solution is offered.
    pub solution_note: &'static str,
    /// Puts a solution command on the command line.
    pub to_line: &'static str,
    /// Opens a solution file in the editor.
    pub to_editor: &'static str,
    /// A solution file; `{path}` and `{host}`.
    pub file_on: &'static str,
    /// Restarts the open step.
    pub restart_step: &'static str,
    /// Restarts the lesson.
    pub restart_lesson: &'static str,
    /// Announced when a step completes; `{}` is its title.
    pub step_done: &'static str,
    /// Shown when every step is done.
    pub lesson_done: &'static str,
    /// Under it.
    pub lesson_done_body: &'static str,
    /// Goes to the next lesson; `{}` is its title.
    pub next_lesson: &'static str,
    /// Leaves the lesson for the sandbox.
    pub to_sandbox: &'static str,
    /// A finished lesson in the picker.
    pub done_mark: &'static str,
    /// The reset dialog's text during a lesson.
    pub restart_lesson_body: &'static str,
    /// Title when a lesson cannot start.
    pub start_failed: &'static str,
    /// An author's lesson's origin; `{}` is it.
    pub from_origin: &'static str,
    /// A new release was downloaded.
    pub update_ready: &'static str,
    /// Reloads into the new version.
    pub reload: &'static str,
    /// Opens the share dialog.
    pub share: &'static str,
    /// The share dialog's title.
    pub share_title: &'static str,
    /// What a share link does.
    pub share_body: &'static str,
    /// The link field's label; `{}` is its length.
    pub link_label: &'static str,
    /// Copies the link.
    pub copy_link: &'static str,
    /// Copies the terminal session as text.
    pub copy_transcript: &'static str,
    /// Downloads it.
    pub download_transcript: &'static str,
    /// In an embedded playground: the same session in the full page.
    pub open_full: &'static str,
    /// Marks an exam-style challenge.
    pub challenge_badge: &'static str,
    /// A challenge's remaining time; `{}` is m:ss.
    pub time_left: &'static str,
    /// A challenge's limit; `{}` is minutes.
    pub time_limit: &'static str,
    /// When a challenge's time ran out.
    pub time_up: &'static str,
    /// Shows a challenge's result.
    pub check_work: &'static str,
    /// Hides the result again.
    pub keep_working: &'static str,
    /// The result's heading.
    pub results_title: &'static str,
    /// The score; `{n}` and `{of}` are numbers.
    pub score: &'static str,
    /// A check that passes, for screen readers.
    pub passed: &'static str,
    /// A check that fails, for screen readers.
    pub missed: &'static str,
    /// Draws another variant of the challenge.
    pub new_challenge: &'static str,
    /// Starts the same challenge over.
    pub retry: &'static str,
}

/// English.
pub const EN: Text = Text {
    tagline: "Static pods, the kubelet and its sync loop — in your browser.",
    language: "Language",
    panes: "Panes",
    actions: "Actions",
    from_pane: "(from the {} pane)",
    dropped: "[{} earlier bytes of output not kept]",
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
    editor_hint: "Tab indents. To leave the editor, press Escape, then Tab. Ctrl-S saves.",
    file_path: "File path",
    on_save: "On save:",
    problems: "Problems",
    error: "error",
    warning: "warning",
    info: "note",
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
    storm: "The simulation got stuck at one instant and moved on a second later. This is a bug in kubelet-playground: journalctl -u kubelet-playground has the details; please export your session and report it.",
    next: "Next",
    done: "Got it",
    tour: [
        ("Terminal", "A shell on the control-plane node: kubectl, crictl, systemctl, journalctl and the usual tools. ssh node01 reaches the worker."),
        ("Editor", "Edit manifests with the kubelet's own errors as you type. Saving writes the file, so the kubelet's watch sees it."),
        ("Nodes", "Each node's kubelet, its static pod folder and what the kubelet made of every file, and the containers the runtime runs."),
        ("Pods", "What the API server lists. Mirror pods stand for static pods; delete one and watch the kubelet put it back."),
    ],
    fast_forward: "fast-forwarding… {}%",
    lesson_pane: "Lesson",
    choose_lesson: "Pick a lesson, or the sandbox to play freely",
    steps_label: "Steps",
    step_of: "Step {n} of {of}",
    minutes: "{} min",
    beginner: "beginner",
    intermediate: "intermediate",
    advanced: "advanced",
    run: "Run",
    run_label: "Run: {}",
    copy: "Copy",
    copied: "Copied",
    predict: "Predict first",
    right: "Right.",
    not_quite: "Not quite.",
    show_hint: "Show a hint",
    another_hint: "Another hint",
    no_hint: "No hint fits what the cluster looks like right now. Try the step's commands, or show the solution.",
    no_more_hints: "That is every hint for now.",
    show_solution: "Show the solution",
    hide_solution: "Hide the solution",
    solution_note: "Each command goes onto the terminal's command line; press Enter there to run it.",
    to_line: "Put on the command line",
    to_editor: "Open in the editor",
    file_on: "Save {path} on {host}:",
    restart_step: "Restart step",
    restart_lesson: "Restart lesson",
    step_done: "Step done: {}",
    lesson_done: "Lesson complete",
    lesson_done_body: "Every step's goal held in the cluster. Keep exploring here, or go on.",
    next_lesson: "Next: {}",
    to_sandbox: "Back to the sandbox",
    done_mark: "done",
    restart_lesson_body: "Restart this lesson from its start? What you did in it is lost (export the session first to keep it).",
    start_failed: "The lesson could not start",
    from_origin: "An author's lesson from {}",
    update_ready: "A new version of kubelet-playground is ready. Your session is saved; reload to use it.",
    reload: "Reload",
    share: "Share",
    share_title: "Share this session",
    share_body: "Whoever opens this link gets your session replayed from its start: the same lesson, the same commands, the same cluster. It holds everything you typed, so share it only where that is fine.",
    link_label: "Link ({} characters)",
    copy_link: "Copy link",
    copy_transcript: "Copy transcript",
    download_transcript: "Download transcript",
    open_full: "Open in the full playground",
    challenge_badge: "Challenge",
    time_left: "{} left",
    time_limit: "{} min limit",
    time_up: "Time is up",
    check_work: "Check my work",
    keep_working: "Keep working",
    results_title: "Result",
    score: "{n} of {of} checks pass",
    passed: "passed",
    missed: "missed",
    new_challenge: "New challenge",
    retry: "Start this one over",
};

/// Simplified Chinese.
pub const ZH_CN: Text = Text {
    tagline: "静态 Pod、kubelet 与它的同步循环——就在你的浏览器里。",
    language: "语言",
    panes: "面板",
    actions: "操作",
    from_pane: "（来自{}面板）",
    dropped: "[之前的 {} 字节输出未保留]",
    lesson: "课程",
    sandbox: "自由练习",
    time: "虚拟时间",
    play: "播放",
    pause: "暂停",
    step: "单步",
    step_hint: "运行到下一件发生的事",
    speed: "速度",
    clock: "时钟",
    since_arrival: "自你进入以来",
    running_at: "实际速度 {}",
    reset: "重置",
    light_theme: "浅色主题",
    dark_theme: "深色主题",
    help: "帮助",
    export: "导出会话",
    import: "导入会话",
    terminal: "终端",
    terminal_output: "终端输出",
    running_hint: "正在运行——按 Ctrl-C 停止",
    editor: "编辑器",
    manifest_editor: "清单编辑器",
    save: "保存",
    close: "关闭",
    new_static_pod: "新建静态 Pod",
    no_file: "从节点卡片打开一个文件，在终端里输入 vi 文件名，或者新建一个静态 Pod。",
    unsaved: "未保存",
    editor_loading: "正在加载编辑器……",
    editor_fallback: "代码编辑器未能加载；这个纯文本框的用法完全相同。",
    editor_hint: "Tab 用于缩进。要离开编辑器，先按 Esc 再按 Tab。Ctrl-S 保存。",
    file_path: "文件路径",
    on_save: "保存后：",
    problems: "问题",
    error: "错误",
    warning: "警告",
    info: "提示",
    nodes: "节点",
    pods: "Pod",
    kubelet: "kubelet",
    restart_kubelet: "重启 kubelet",
    static_pod_path: "staticPodPath",
    static_pod_path_off: "（为空：不从文件创建静态 Pod）",
    pending_path: "磁盘上的 config.yaml 写的是 {}——执行 systemctl restart kubelet 后才生效",
    path_missing: "不存在",
    folder_empty: "空目录",
    open: "打开",
    containers: "容器（crictl ps -a）",
    no_containers: "没有容器",
    stop: "停止",
    delete: "删除",
    static_pod_on: "{} 上的静态 Pod",
    api_down: "API Server 没有响应——kubectl 也会同样失败。下面显示的是它最后一次的应答。",
    no_pods: "没有找到资源",
    badge_pod: "运行中",
    badge_invalid: "无效",
    badge_ignored: "已忽略",
    badge_not_read: "尚未读取",
    not_read_hint: "kubelet 下一次重新列举（每 20 秒）时会读取它",
    badge_unwatched: "无 kubelet",
    still_running: "{} 会一直运行到下一次重新列举",
    reset_title: "从头开始？",
    reset_body: "重置会启动一个全新的集群，本次会话中的所有操作都会丢失（想保留的话请先导出）。",
    cancel: "取消",
    help_title: "终端支持的命令",
    help_keys: "按键：Enter 运行命令；↑/↓ 历史记录；Tab 补全；Ctrl-R 搜索历史；Ctrl-C 中止命令；Ctrl-L 清屏；先按 Esc 再按 Tab 可离开终端。在编辑器中按 Ctrl-S 保存。",
    restoring: "正在恢复你的会话…… {}%",
    restore_failed: "无法恢复你上次的会话",
    start_fresh: "重新开始",
    download_damaged: "下载已保存的数据",
    not_saved: "你的操作没有被保存：这个浏览器不允许在此处存储数据。",
    storm: "模拟在同一时刻卡住了，已推迟一秒继续运行。这是 kubelet-playground 的缺陷：详情见 journalctl -u kubelet-playground；请导出你的会话并报告此问题。",
    next: "下一步",
    done: "知道了",
    tour: [
        ("终端", "控制平面节点上的一个 shell：kubectl、crictl、systemctl、journalctl 以及常用工具。用 ssh node01 登录工作节点。"),
        ("编辑器", "编辑清单时，kubelet 自己的报错会随着输入实时显示。保存会写入文件，kubelet 的 watch 随即就能看到。"),
        ("节点", "每个节点的 kubelet、它的静态 Pod 目录、kubelet 对每个文件的处理结果，以及容器运行时正在运行的容器。"),
        ("Pod", "API Server 列出的 Pod。镜像 Pod 代表静态 Pod；删除一个，看 kubelet 怎样把它放回来。"),
    ],
    fast_forward: "快进中…… {}%",
    lesson_pane: "课程",
    choose_lesson: "选择一节课程，或选择自由练习随意操作",
    steps_label: "步骤",
    step_of: "第 {n} 步，共 {of} 步",
    minutes: "{} 分钟",
    beginner: "入门",
    intermediate: "进阶",
    advanced: "高级",
    run: "运行",
    run_label: "运行：{}",
    copy: "复制",
    copied: "已复制",
    predict: "先预测一下",
    right: "答对了。",
    not_quite: "不太对。",
    show_hint: "显示提示",
    another_hint: "再给一条提示",
    no_hint: "当前的集群状态没有对应的提示。试试这一步给出的命令，或者查看参考答案。",
    no_more_hints: "目前的提示就这些了。",
    show_solution: "查看参考答案",
    hide_solution: "隐藏参考答案",
    solution_note: "每条命令都会填到终端的命令行上，在那里按 Enter 运行。",
    to_line: "填到命令行",
    to_editor: "在编辑器中打开",
    file_on: "在 {host} 上保存 {path}：",
    restart_step: "重做这一步",
    restart_lesson: "重新开始本课",
    step_done: "完成一步：{}",
    lesson_done: "本课完成",
    lesson_done_body: "每一步的目标都已在集群中达成。你可以继续在这里探索，或者进入下一课。",
    next_lesson: "下一课：{}",
    to_sandbox: "回到自由练习",
    done_mark: "已完成",
    restart_lesson_body: "要从头重新开始本课吗？你在本课中做的操作都会丢失（想保留的话请先导出会话）。",
    start_failed: "课程无法开始",
    from_origin: "来自 {} 的作者课程",
    update_ready: "kubelet-playground 的新版本已就绪。你的会话已保存，重新加载即可使用新版本。",
    reload: "重新加载",
    share: "分享",
    share_title: "分享本次会话",
    share_body: "打开这个链接的人会从头重放你的会话：同样的课程、同样的命令、同样的集群。链接里包含你输入的所有内容，请只在合适的地方分享。",
    link_label: "链接（{} 个字符）",
    copy_link: "复制链接",
    copy_transcript: "复制终端记录",
    download_transcript: "下载终端记录",
    open_full: "在完整的 playground 中打开",
    challenge_badge: "挑战",
    time_left: "剩余 {}",
    time_limit: "限时 {} 分钟",
    time_up: "时间到",
    check_work: "检查我的答案",
    keep_working: "继续做题",
    results_title: "结果",
    score: "通过 {n} 项检查，共 {of} 项",
    passed: "通过",
    missed: "未通过",
    new_challenge: "换一道题",
    retry: "重做这道题",
};

/// The languages the app speaks: (tag, name in that language, strings).
pub const LANGUAGES: [(&str, &str, &Text); 2] =
    [("en", "English", &EN), ("zh-CN", "简体中文", &ZH_CN)];

/// The strings for a BCP 47 tag: `zh`, `zh-CN`, `zh-Hans` and the like get Chinese, anything
/// else English.
pub fn for_tag(tag: &str) -> (&'static str, &'static Text) {
    let lower = tag.to_ascii_lowercase();
    if lower == "zh"
        || lower.starts_with("zh-cn")
        || lower.starts_with("zh-hans")
        || lower.starts_with("zh-sg")
    {
        ("zh-CN", &ZH_CN)
    } else {
        ("en", &EN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_choose_a_language() {
        assert_eq!(for_tag("zh-CN").0, "zh-CN");
        assert_eq!(for_tag("zh-Hans-CN").0, "zh-CN");
        assert_eq!(for_tag("zh").0, "zh-CN");
        assert_eq!(for_tag("en-GB").0, "en");
        assert_eq!(
            for_tag("zh-TW").0,
            "en",
            "Traditional Chinese is not offered"
        );
        assert_eq!(for_tag("").0, "en");
    }

    #[test]
    fn placeholders_survive_translation() {
        for (_, _, text) in LANGUAGES {
            for template in [
                text.running_at,
                text.pending_path,
                text.static_pod_on,
                text.still_running,
                text.restoring,
                text.fast_forward,
                text.from_pane,
                text.dropped,
            ] {
                assert_eq!(template.matches("{}").count(), 1, "{template}");
            }
            assert!(text
                .tour
                .iter()
                .all(|(title, body)| !title.is_empty() && !body.is_empty()));
        }
    }
}
