//! The strings of the "Inside the kubelet" pane, in English and Simplified Chinese.

use crate::view::lesson::Locale;

/// The pane's strings in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct InsideText {
    /// The pane's name (tests find the region by it).
    pub title: &'static str,
    /// The button that swaps the Nodes and Pods row for this pane.
    pub open: &'static str,
    /// The button that swaps back.
    pub close: &'static str,
    /// The node tabs' group name.
    pub node_tabs: &'static str,
    /// The diagram's name.
    pub diagram: &'static str,
    /// The text alternative's toggle.
    pub as_list: &'static str,
    /// Box titles.
    pub file_source: &'static str,
    /// The http source box.
    pub http_source: &'static str,
    /// The API source box.
    pub api_source: &'static str,
    /// The mux box.
    pub mux: &'static str,
    /// The sync loop box.
    pub sync_loop: &'static str,
    /// The pod workers box.
    pub workers: &'static str,
    /// The runtime box.
    pub runtime: &'static str,
    /// The API server box.
    pub api: &'static str,
    /// Shown when a source is off.
    pub off: &'static str,
    /// The http source's last fetch worked; `{}` is when.
    pub fetched_ok: &'static str,
    /// No kubelet runs on the node.
    pub stopped: &'static str,
    /// The API server does not answer.
    pub api_down: &'static str,
    /// The timeline's name (tests find the list by it).
    pub timeline: &'static str,
    /// Filter labels.
    pub all_nodes: &'static str,
    /// The node filter.
    pub node: &'static str,
    /// The pod filter.
    pub pod: &'static str,
    /// The search box.
    pub search: &'static str,
    /// The "changed" filter.
    pub changed_only: &'static str,
    /// The kind filter's group.
    pub kinds: &'static str,
    /// Kind names, in `RecordKind::ALL` order.
    pub kind_names: [&'static str; 7],
    /// Resumes following the clock.
    pub follow: &'static str,
    /// The replay scrubber's name.
    pub scrubber: &'static str,
    /// Shown beside the scrubber while the panes show now.
    pub live: &'static str,
    /// Shown while the panes show the past; `{}` is the time since arrival.
    pub viewing_past: &'static str,
    /// Leaves the past.
    pub return_to_now: &'static str,
    /// Older rows not shown; `{}` is how many.
    pub older: &'static str,
    /// The inspector's name.
    pub inspector: &'static str,
    /// Before the upstream function.
    pub mirrors: &'static str,
    /// Closes the inspector.
    pub close_inspector: &'static str,
    /// Nothing recorded yet.
    pub empty: &'static str,
    /// Clicking a box or a row.
    pub hint: &'static str,
}

/// English.
pub const EN: InsideText = InsideText {
    title: "Inside the kubelet",
    open: "Inside the kubelet",
    close: "Nodes and pods",
    node_tabs: "Node",
    diagram: "The kubelet's pipeline",
    as_list: "The pipeline as a list",
    file_source: "file source",
    http_source: "http source",
    api_source: "api source",
    mux: "config mux",
    sync_loop: "sync loop",
    workers: "pod workers",
    runtime: "runtime",
    api: "API server (mirror pods)",
    off: "off",
    fetched_ok: "fetched ok at {}",
    stopped: "no kubelet runs on this node",
    api_down: "not answering",
    timeline: "Timeline",
    all_nodes: "All nodes",
    node: "Node",
    pod: "Pod",
    search: "Search",
    changed_only: "Only what changed something",
    kinds: "Kinds",
    kind_names: [
        "sources",
        "mux",
        "sync loop",
        "workers",
        "runtime",
        "API",
        "kubelet",
    ],
    follow: "Follow the clock",
    scrubber: "Replay history",
    live: "Live",
    viewing_past: "Viewing {} — read-only",
    return_to_now: "Return to now",
    older: "{} older rows match; narrow the filters to see them",
    inspector: "Inspector",
    mirrors: "Mirrors upstream",
    close_inspector: "Close",
    empty: "Nothing recorded yet.",
    hint: "Click a box or a row to inspect what it carried.",
};

/// Simplified Chinese.
pub const ZH_CN: InsideText = InsideText {
    title: "kubelet 内部",
    open: "kubelet 内部",
    close: "节点与 Pod",
    node_tabs: "节点",
    diagram: "kubelet 的处理流程",
    as_list: "以列表查看流程",
    file_source: "文件源",
    http_source: "http 源",
    api_source: "api 源",
    mux: "配置 mux",
    sync_loop: "同步循环",
    workers: "Pod worker",
    runtime: "容器运行时",
    api: "API 服务器（镜像 Pod）",
    off: "未启用",
    fetched_ok: "{} 获取成功",
    stopped: "此节点上没有运行 kubelet",
    api_down: "没有响应",
    timeline: "时间线",
    all_nodes: "所有节点",
    node: "节点",
    pod: "Pod",
    search: "搜索",
    changed_only: "只看产生变化的记录",
    kinds: "类别",
    kind_names: [
        "源",
        "mux",
        "同步循环",
        "worker",
        "运行时",
        "API",
        "kubelet",
    ],
    follow: "跟随时钟",
    scrubber: "回放历史",
    live: "实时",
    viewing_past: "正在查看 {} 时的状态（只读）",
    return_to_now: "回到现在",
    older: "还有 {} 条更早的记录匹配；缩小筛选范围即可查看",
    inspector: "检查器",
    mirrors: "对应上游",
    close_inspector: "关闭",
    empty: "尚无记录。",
    hint: "点击方框或某一行，查看它携带的内容。",
};

/// The strings for `locale`.
pub fn inside_text(locale: Locale) -> &'static InsideText {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}
