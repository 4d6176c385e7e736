//! Mirrors Go's `text/tabwriter` and its fork `github.com/liggitt/tabwriter` (the
//! `RememberWidths` flag), as kubectl configures them in
//! `staging/src/k8s.io/cli-runtime/pkg/printers/tabwriter.go` (tables: minwidth 6, tabwidth 4,
//! padding 3, `RememberWidths`) and `staging/src/k8s.io/kubectl/pkg/describe/describe.go`
//! `tabbedString` (describe: minwidth 0, tabwidth 8, padding 2, no flags).
//!
//! The algorithm is the elastic-tabstop one: text is cut into cells at `\t` (and `\v`), a
//! column block is a run of consecutive lines that have a cell in that column, and every cell
//! of a block is padded to the block's widest cell plus the padding. The last cell of a line
//! is never part of a column, so it is written without trailing padding. A line with a single
//! cell flushes everything buffered so far, which is how `describe` output falls into
//! separately aligned sections.
//!
//! Deliberate simplifications: only the flag combinations kubectl uses are supported (padding
//! with a non-tab character, left alignment, no HTML filtering or escape sequences). Widths
//! are counted in Unicode scalar values, as Go's `utf8.RuneCount` does.

/// How a tab writer pads its columns (`tabwriter.Writer.Init` arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabConfig {
    /// Minimal cell width including any padding.
    pub min_width: usize,
    /// Width of a tab character; only used when padding with tabs, kept for fidelity.
    pub tab_width: usize,
    /// Padding added to a cell before computing its width.
    pub padding: usize,
    /// The padding character (kubectl always uses a space).
    pub pad_char: char,
    /// liggitt/tabwriter's `RememberWidths`: a column never shrinks below a width it had
    /// earlier in the same writer.
    pub remember_widths: bool,
}

impl TabConfig {
    /// `printers.GetNewTabWriter`: what `kubectl get` tables use.
    pub const KUBECTL_TABLE: TabConfig = TabConfig {
        min_width: 6,
        tab_width: 4,
        padding: 3,
        pad_char: ' ',
        remember_widths: true,
    };

    /// `describe.tabbedString`: what `kubectl describe` uses.
    pub const DESCRIBE: TabConfig = TabConfig {
        min_width: 0,
        tab_width: 8,
        padding: 2,
        pad_char: ' ',
        remember_widths: false,
    };
}

/// A streaming tab writer that collects its output in a `String`.
#[derive(Debug, Clone)]
pub struct TabWriter {
    config: TabConfig,
    out: String,
    // Collected text of the buffered lines, excluding tabs and newlines.
    buf: String,
    // The incomplete cell at the end of `buf`.
    cell: Cell,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
    max_widths: Vec<usize>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    // Size in bytes.
    size: usize,
    // Width in runes.
    width: usize,
    // Terminated by a horizontal tab (as opposed to `\v` or a line end).
    htab: bool,
}

impl TabWriter {
    /// A writer with the given configuration.
    pub fn new(config: TabConfig) -> TabWriter {
        TabWriter {
            config,
            out: String::new(),
            buf: String::new(),
            cell: Cell::default(),
            lines: vec![Vec::new()],
            widths: Vec::new(),
            max_widths: Vec::new(),
        }
    }

    /// `Write`: buffers `text`, flushing whenever a line ends that has only one cell.
    pub fn write(&mut self, text: &str) {
        let mut start = 0;
        for (idx, ch) in text.char_indices() {
            if !matches!(ch, '\t' | '\u{b}' | '\n' | '\u{c}') {
                continue;
            }
            self.append(&text[start..idx]);
            start = idx + ch.len_utf8();
            let n_cells = self.terminate_cell(ch == '\t');
            if ch == '\n' || ch == '\u{c}' {
                self.lines.push(Vec::new());
                // A line with only one cell does not affect the formatting of the lines that
                // follow (the last cell of a line is never aligned), so everything so far can
                // be written out.
                if ch == '\u{c}' || n_cells == 1 {
                    self.flush();
                }
            }
        }
        self.append(&text[start..]);
    }

    /// `Flush`: formats and writes out everything buffered.
    pub fn flush(&mut self) {
        if self.cell.size > 0 {
            self.terminate_cell(false);
        }
        let line_count = self.lines.len();
        self.format(0, 0, line_count);
        self.buf.clear();
        self.cell = Cell::default();
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    /// Flushes and returns everything written.
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    fn append(&mut self, text: &str) {
        self.buf.push_str(text);
        self.cell.size += text.len();
        self.cell.width += text.chars().count();
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = std::mem::take(&mut self.cell);
        // `lines` always holds at least the line being filled.
        match self.lines.last_mut() {
            Some(line) => {
                line.push(cell);
                line.len()
            }
            None => {
                self.lines.push(vec![cell]);
                1
            }
        }
    }

    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // This line has a cell in this column: print the lines above, then find the
            // extent of the column block.
            pos = self.write_lines(pos, line0, this);
            line0 = this;
            let mut width = self.config.min_width;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].width + self.config.padding);
                this += 1;
            }
            if self.config.remember_widths {
                let depth = self.widths.len();
                if self.max_widths.len() < depth {
                    let missing = self.widths[self.max_widths.len()..].to_vec();
                    self.max_widths.extend(missing);
                }
                if self.max_widths.len() == depth {
                    self.max_widths.push(width);
                } else if self.max_widths[depth] > width {
                    width = self.max_widths[depth];
                } else {
                    self.max_widths[depth] = width;
                }
            }
            self.widths.push(width);
            pos = self.format(pos, line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(pos, line0, line1)
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                if cell.size > 0 {
                    let end = (pos + cell.size).min(self.buf.len());
                    self.out.push_str(self.buf.get(pos..end).unwrap_or(""));
                    pos = end;
                }
                if let Some(&column_width) = self.widths.get(j) {
                    let pad = column_width.saturating_sub(cell.width);
                    self.out
                        .extend(std::iter::repeat_n(self.config.pad_char, pad));
                }
            }
            if i + 1 == self.lines.len() {
                // The last buffered line has no newline yet: write the partial cell.
                let end = (pos + self.cell.size).min(self.buf.len());
                self.out.push_str(self.buf.get(pos..end).unwrap_or(""));
                pos = end;
            } else {
                self.out.push('\n');
            }
        }
        pos
    }
}

/// Aligns `text` in one go with the given configuration.
pub fn align(config: TabConfig, text: &str) -> String {
    let mut writer = TabWriter::new(config);
    writer.write(text);
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_use_min_width_and_padding() {
        let got = align(
            TabConfig::KUBECTL_TABLE,
            "NAME\tREADY\tSTATUS\tAGE\nweb\t1/1\tRunning\t5m\nlonger-name\t0/1\tPending\t12s\n",
        );
        assert_eq!(
            got,
            "NAME          READY   STATUS    AGE\n\
             web           1/1     Running   5m\n\
             longer-name   0/1     Pending   12s\n"
        );
    }

    #[test]
    fn short_columns_still_get_min_width() {
        // "A" + padding 3 is 4, below the minimum width 6.
        let got = align(TabConfig::KUBECTL_TABLE, "A\tB\nx\ty\n");
        assert_eq!(got, "A     B\nx     y\n");
    }

    #[test]
    fn last_cell_is_not_padded() {
        let got = align(
            TabConfig::DESCRIBE,
            "Name:\tetcd\nNamespace:\tkube-system\n",
        );
        assert_eq!(got, "Name:       etcd\nNamespace:  kube-system\n");
    }

    #[test]
    fn single_cell_lines_split_blocks() {
        let got = align(
            TabConfig::DESCRIBE,
            "Name:\ta\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tNode/x\n",
        );
        assert_eq!(
            got,
            "Name:  a\nIPs:\n  IP:           10.0.0.1\nControlled By:  Node/x\n"
        );
    }

    #[test]
    fn empty_cells_and_ragged_lines() {
        // Column 1 exists only in the first two lines; the third line ends the block.
        let got = align(TabConfig::DESCRIBE, "a\tbb\tc\n\tx\ty\nlong-line\tz\n");
        assert_eq!(got, "a          bb  c\n           x   y\nlong-line  z\n");
    }

    #[test]
    fn remember_widths_keeps_earlier_widths() {
        // Two blocks in column 0 (split by a line without a second cell); the second keeps
        // the first block's width only when RememberWidths is on.
        let text = "long-first\tx\nsingle\nab\ty\n";
        let remember = align(TabConfig::KUBECTL_TABLE, text);
        assert_eq!(remember, "long-first   x\nsingle\nab           y\n");
        let plain = TabConfig {
            remember_widths: false,
            ..TabConfig::KUBECTL_TABLE
        };
        assert_eq!(align(plain, text), "long-first   x\nsingle\nab    y\n");
    }

    #[test]
    fn counts_runes_not_bytes() {
        let got = align(TabConfig::DESCRIBE, "ä\tx\nab\ty\n");
        assert_eq!(got, "ä   x\nab  y\n");
    }

    #[test]
    fn text_without_newline_is_kept() {
        assert_eq!(align(TabConfig::DESCRIBE, "a\tb"), "a  b");
        assert_eq!(align(TabConfig::DESCRIBE, ""), "");
    }
}
