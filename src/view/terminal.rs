//! The terminal's scrollback: one block per command (prompt, command, output), as the browser
//! shows it. It is derived from the session's inputs, so replaying them rebuilds it.
//!
//! Simplified: the scrollback keeps the last [`MAX_BLOCKS`] blocks and each block's last
//! [`MAX_BLOCK_OUTPUT`] bytes, so a runaway command cannot fill the tab's memory; what was cut
//! is said in the block.

use std::collections::VecDeque;

/// Blocks kept in the scrollback.
pub const MAX_BLOCKS: usize = 500;

/// Bytes of output kept per block (the newest ones).
pub const MAX_BLOCK_OUTPUT: usize = 256 * 1024;

/// Who ran a block's command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The learner typed it.
    Typed,
    /// A pane's row action ran it on the learner's behalf; the text names the pane.
    Pane(String),
}

/// One command and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Unique within the session (stable keys for the UI).
    pub id: u64,
    /// The host whose prompt it was typed at.
    pub host: String,
    /// The command line as typed.
    pub command: String,
    /// What it printed (stdout and stderr in order).
    pub output: String,
    /// `$?`, or `None` while the command still runs (a watch, a follow, a long sleep).
    pub exit_code: Option<i32>,
    /// Who ran it.
    pub origin: Origin,
    /// Bytes dropped from the front of `output` to keep it bounded.
    pub dropped: usize,
    /// The line was abandoned with Ctrl-C at the prompt (bash shows `^C` after it).
    pub cancelled: bool,
}

impl Block {
    /// The prompt as the terminal prints it: `controlplane $ `.
    pub fn prompt(&self) -> String {
        prompt(&self.host)
    }
}

/// The session as plain text, the way the terminal showed it (for a forum post).
pub fn transcript<'a>(blocks: impl IntoIterator<Item = &'a Block>) -> String {
    let mut out = String::new();
    for block in blocks {
        out.push_str(&block.prompt());
        out.push_str(block.command.trim_end_matches('\n'));
        if block.cancelled {
            out.push_str("^C");
        }
        out.push('\n');
        out.push_str(&block.output);
        if !block.output.is_empty() && !block.output.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The prompt of a shell on `host`.
pub fn prompt(host: &str) -> String {
    format!("{host} $ ")
}

/// The scrollback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scrollback {
    blocks: VecDeque<Block>,
    next_id: u64,
    revision: u64,
}

impl Scrollback {
    /// The blocks, oldest first.
    pub fn blocks(&self) -> impl DoubleEndedIterator<Item = &Block> + ExactSizeIterator {
        self.blocks.iter()
    }

    /// The newest block.
    pub fn last(&self) -> Option<&Block> {
        self.blocks.back()
    }

    /// Counts every change, so a reader can tell cheaply whether to redraw.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Records a line abandoned with Ctrl-C at `host`'s prompt.
    pub fn push_cancelled(&mut self, host: &str, line: &str) {
        self.push(host, line, Origin::Typed);
        if let Some(block) = self.blocks.back_mut() {
            block.cancelled = true;
            block.exit_code = Some(130);
        }
    }

    /// Starts a block for `command` typed at `host`; returns its id.
    pub fn push(&mut self, host: &str, command: &str, origin: Origin) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.revision += 1;
        self.blocks.push_back(Block {
            id,
            host: host.to_string(),
            command: command.trim_end_matches('\n').to_string(),
            output: String::new(),
            exit_code: None,
            origin,
            dropped: 0,
            cancelled: false,
        });
        while self.blocks.len() > MAX_BLOCKS {
            self.blocks.pop_front();
        }
        id
    }

    /// Starts a block just above block `above` — a pane's action while a command runs in the
    /// terminal, so the running block stays last, by the prompt — and returns its id; at the
    /// end when `above` is gone.
    pub fn push_above(&mut self, above: u64, host: &str, command: &str, origin: Origin) -> u64 {
        let id = self.push(host, command, origin);
        if let Some(at) = self.blocks.iter().position(|b| b.id == above) {
            if let Some(block) = self.blocks.pop_back() {
                self.blocks.insert(at, block);
            }
        }
        id
    }

    /// Adds output to the newest block.
    pub fn append(&mut self, text: &str) {
        if let Some(id) = self.last().map(|b| b.id) {
            self.append_to(id, text);
        }
    }

    /// Replaces the newest block's output (a `watch` redraw).
    pub fn replace(&mut self, text: &str) {
        if let Some(id) = self.last().map(|b| b.id) {
            self.replace_in(id, text);
        }
    }

    /// Marks the newest block finished with exit status `code`.
    pub fn finish(&mut self, code: i32) {
        if let Some(id) = self.last().map(|b| b.id) {
            self.finish_block(id, code);
        }
    }

    /// Adds output to block `id` (nothing once it scrolled away or the screen was cleared).
    pub fn append_to(&mut self, id: u64, text: &str) {
        self.revision += 1;
        if let Some(block) = self.block_mut(id) {
            block.output.push_str(text);
            bound(block);
        }
    }

    /// Replaces block `id`'s output (a `watch` redraw).
    pub fn replace_in(&mut self, id: u64, text: &str) {
        self.revision += 1;
        if let Some(block) = self.block_mut(id) {
            block.output.clear();
            block.output.push_str(text);
            block.dropped = 0;
            bound(block);
        }
    }

    /// Marks block `id` finished with exit status `code`.
    pub fn finish_block(&mut self, id: u64, code: i32) {
        self.revision += 1;
        if let Some(block) = self.block_mut(id) {
            block.exit_code = Some(code);
        }
    }

    fn block_mut(&mut self, id: u64) -> Option<&mut Block> {
        // The block wanted is nearly always the newest.
        self.blocks.iter_mut().rev().find(|b| b.id == id)
    }

    /// `clear` or Ctrl-L: an empty screen.
    pub fn clear(&mut self) {
        self.revision += 1;
        self.blocks.clear();
    }
}

/// Keeps the newest [`MAX_BLOCK_OUTPUT`] bytes of `block`'s output, cut at a line start.
fn bound(block: &mut Block) {
    if block.output.len() <= MAX_BLOCK_OUTPUT {
        return;
    }
    let mut cut = block.output.len() - MAX_BLOCK_OUTPUT;
    while !block.output.is_char_boundary(cut) {
        cut += 1;
    }
    if let Some(newline) = block.output[cut..].find('\n') {
        cut += newline + 1;
    }
    block.output.drain(..cut);
    block.dropped += cut;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_bounded_and_keep_the_newest_output() {
        let mut scrollback = Scrollback::default();
        for n in 0..MAX_BLOCKS + 3 {
            scrollback.push("controlplane", &format!("echo {n}"), Origin::Typed);
        }
        assert_eq!(scrollback.blocks().len(), MAX_BLOCKS);
        assert_eq!(scrollback.blocks().next().unwrap().command, "echo 3");
        let line = "x".repeat(99) + "\n";
        for _ in 0..(MAX_BLOCK_OUTPUT / 100 + 10) {
            scrollback.append(&line);
        }
        scrollback.append("the end\n");
        let last = scrollback.last().unwrap();
        assert!(last.output.len() <= MAX_BLOCK_OUTPUT);
        assert!(last.output.ends_with("the end\n"));
        assert!(last.output.starts_with('x'), "cut at a line start");
        assert!(last.dropped > 0);
    }

    #[test]
    fn a_block_pushed_above_the_running_one_leaves_it_last() {
        let mut scrollback = Scrollback::default();
        let running = scrollback.push("controlplane", "kubectl get pods -w", Origin::Typed);
        scrollback.append("NAME\n");
        let action = scrollback.push_above(
            running,
            "node01",
            "crictl stop abc",
            Origin::Pane("Nodes".into()),
        );
        scrollback.append_to(action, "abc\n");
        scrollback.finish_block(action, 0);
        scrollback.append_to(running, "web\n");
        let blocks: Vec<(&str, &str, Option<i32>)> = scrollback
            .blocks()
            .map(|b| (b.command.as_str(), b.output.as_str(), b.exit_code))
            .collect();
        assert_eq!(
            blocks,
            [
                ("crictl stop abc", "abc\n", Some(0)),
                ("kubectl get pods -w", "NAME\nweb\n", None)
            ]
        );
        scrollback.replace_in(running, "redrawn\n");
        assert_eq!(scrollback.last().unwrap().output, "redrawn\n");
    }

    #[test]
    fn clear_empties_the_screen_and_ids_keep_counting() {
        let mut scrollback = Scrollback::default();
        let first = scrollback.push("controlplane", "ls", Origin::Typed);
        scrollback.clear();
        assert_eq!(scrollback.blocks().len(), 0);
        let next = scrollback.push("node01", "ls", Origin::Typed);
        assert!(next > first, "ids stay unique for the UI's keys");
        assert_eq!(scrollback.last().unwrap().prompt(), "node01 $ ");
    }
}
