//! Where things are in the text being edited: the key or value at a field path of the first
//! YAML document, the nearest field that exists when the path does not, and sensible ranges
//! for the parser's line-and-column errors.
//!
//! Paths are looked up in the position-keeping tree of `yaml::marked`, which is built from the
//! same parser the decoders run, so a path the decoder or the validator names is found where
//! that parser found it.

use crate::apiserver::validation::Step;
use crate::view::editor::Position;
use crate::yaml::marked::{self, Document, Mark, Node, NodeKind, SyntaxError};

/// A range of the text: `from` up to, not including, `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// The first character.
    pub from: Position,
    /// Just past the last character.
    pub to: Position,
}

/// The text being edited, with its first document parsed for positions.
#[derive(Debug)]
pub struct Located<'t> {
    lines: Vec<&'t str>,
    document: Option<Document>,
    syntax_error: Option<SyntaxError>,
}

impl<'t> Located<'t> {
    /// Splits `text` into lines and parses it for positions.
    pub fn new(text: &'t str) -> Located<'t> {
        let mut stream = marked::parse(text);
        let document = match stream.documents.is_empty() {
            true => None,
            false => Some(stream.documents.swap_remove(0)),
        };
        Located {
            lines: text.split('\n').collect(),
            document,
            syntax_error: stream.error,
        }
    }

    /// The first document's root node, if the text has a document the parser completed.
    pub fn root(&self) -> Option<&Node> {
        self.document.as_ref().map(|d| &d.root)
    }

    /// Where the document's content starts (its first line, to the end of that line); the
    /// first line when there is no document.
    pub fn start(&self) -> Range {
        match self.root() {
            Some(root) if !is_empty(root) => self.first_line(root.span.start),
            _ => self.at(1, 1),
        }
    }

    /// The key written at `path` (for a list item, the item), if the text has it.
    pub fn key(&self, path: &[Step]) -> Option<Range> {
        let (matched, key, value) = self.walk(path)?;
        if matched < path.len() {
            return None;
        }
        Some(match key {
            Some(key) => self.range(key.span.start, key.span.end),
            None => self.item(value),
        })
    }

    /// The field at `path` as written, key and value (`image: nginx`), or the deepest field
    /// on the way to it that the text has (for a field that is missing); the document start
    /// when not even the first step is there.
    pub fn field_or_parent(&self, path: &[Step]) -> Range {
        let Some((_, key, value)) = self.walk(path) else {
            return self.start();
        };
        match key {
            Some(key) => {
                let to = match &value.kind {
                    _ if value.span.start == value.span.end => key.span.end,
                    NodeKind::Scalar { .. } | NodeKind::Alias => value.span.end,
                    _ if value.span.start.line == value.span.end.line => value.span.end,
                    _ => key.span.end,
                };
                self.clip_to_line(key.span.start, to)
            }
            None => self.item(value),
        }
    }

    /// The scalar written at `path`, as written (quotes removed), if the text has one there.
    pub fn scalar(&self, path: &[Step]) -> Option<&str> {
        let (matched, _, value) = self.walk(path)?;
        if matched < path.len() {
            return None;
        }
        value.as_str()
    }

    /// The first key (in the order the text has them) below `under` whose name is one of
    /// `names`.
    pub fn first_key_named(&self, under: &[Step], names: &[&str]) -> Option<Range> {
        let (matched, _, node) = self.walk(under)?;
        if matched < under.len() {
            return None;
        }
        let key = first_key(node, names)?;
        Some(self.range(key.span.start, key.span.end))
    }

    /// From line `line`, column `column` (1-based) to the end of that line's text; the
    /// position is clamped into the text.
    pub fn at(&self, line: usize, column: usize) -> Range {
        let line = line.clamp(1, self.lines.len().max(1));
        let text = self.lines.get(line - 1).copied().unwrap_or_default();
        let end = text.trim_end().chars().count() + 1;
        let column = column.clamp(1, text.chars().count() + 1);
        let from = position(line, column);
        if column < end {
            return Range {
                from,
                to: position(line, end),
            };
        }
        // Nothing left on the line: mark the character before, if there is one.
        if column > 1 {
            return Range {
                from: position(line, column - 1),
                to: from,
            };
        }
        Range { from, to: from }
    }

    /// Columns `from` up to `to` of line `line` (all 1-based).
    pub fn columns(&self, line: usize, from: usize, to: usize) -> Range {
        Range {
            from: position(line, from),
            to: position(line, to.max(from)),
        }
    }

    /// A sensible range for a syntax error the decoder reported at `line`, `column`: the rest
    /// of that line, or, when the parser only noticed the problem at the end of the text (an
    /// unclosed quote or bracket), the construct it was reading.
    pub fn syntax_error(&self, line: usize, column: usize) -> Range {
        let here = self.at(line, column);
        let nothing_here = self
            .lines
            .get(line.saturating_sub(1))
            .is_none_or(|l| l.trim().is_empty());
        if nothing_here {
            if let Some(err) = &self.syntax_error {
                if (err.mark.line, err.mark.column) == (line, column) {
                    if let Some((_, mark)) = &err.context {
                        return self.at(mark.line, mark.column);
                    }
                }
            }
        }
        here
    }

    /// The `---` that starts a second document with content, if the text has one: the kubelet
    /// reads only the first.
    pub fn next_document(&self) -> Option<Range> {
        let after = match self.root() {
            Some(root) => root.span.end.line.max(1) - 1,
            None => return None,
        };
        let mut separator = None;
        for (idx, line) in self.lines.iter().enumerate().skip(after) {
            let marker = is_marker(line, "---") || is_marker(line, "...");
            match separator {
                None if marker => separator = Some(idx),
                None => (),
                Some(_) if marker => (),
                Some(at) => {
                    let content = line.trim();
                    if !content.is_empty() && !content.starts_with('#') {
                        return Some(self.at(at + 1, 1));
                    }
                }
            }
        }
        // A content line after `--- ` on the separator line itself counts too.
        let at = separator?;
        let rest = self.lines[at].get(3..).unwrap_or_default().trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            return Some(self.at(at + 1, 1));
        }
        None
    }

    /// Follows `path` from the root: how many steps matched, and the key node (for a mapping
    /// entry) and value node of the last one.
    fn walk(&self, path: &[Step]) -> Option<(usize, Option<&Node>, &Node)> {
        let mut node = self.root()?;
        let mut key = None;
        let mut matched = 0;
        for step in path {
            let next = match (step, &node.kind) {
                (Step::Key(name), NodeKind::Mapping(_)) => {
                    node.entry(name).map(|(k, v)| (Some(k), v))
                }
                (Step::Index(idx), NodeKind::Sequence(items)) => {
                    items.get(*idx).map(|item| (None, item))
                }
                _ => None,
            };
            let Some((next_key, next_node)) = next else {
                break;
            };
            key = next_key;
            node = next_node;
            matched += 1;
        }
        Some((matched, key, node))
    }

    /// A list item: a scalar as written, a collection's first line.
    fn item(&self, node: &Node) -> Range {
        match node.kind {
            NodeKind::Scalar { .. } | NodeKind::Alias
                if node.span.start.line == node.span.end.line =>
            {
                self.range(node.span.start, node.span.end)
            }
            _ => self.first_line(node.span.start),
        }
    }

    fn first_line(&self, start: Mark) -> Range {
        self.at(start.line, start.column)
    }

    /// `from` to `to`, cut at the end of `from`'s line.
    fn clip_to_line(&self, from: Mark, to: Mark) -> Range {
        if to.line == from.line {
            return self.range(from, to);
        }
        self.first_line(from)
    }

    fn range(&self, from: Mark, to: Mark) -> Range {
        Range {
            from: position(from.line, from.column),
            to: position(to.line, to.column),
        }
    }
}

fn position(line: usize, column: usize) -> Position {
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

/// Whether `node` is the empty scalar an empty document holds.
fn is_empty(node: &Node) -> bool {
    node.span.start == node.span.end
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
}

fn first_key<'n>(node: &'n Node, names: &[&str]) -> Option<&'n Node> {
    match &node.kind {
        NodeKind::Mapping(entries) => entries.iter().find_map(|(key, value)| {
            if key.as_str().is_some_and(|k| names.contains(&k)) {
                return Some(key);
            }
            first_key(value, names)
        }),
        NodeKind::Sequence(items) => items.iter().find_map(|item| first_key(item, names)),
        _ => None,
    }
}
