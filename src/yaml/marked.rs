//! YAML documents as trees that remember where every node sits in the text, for pointing at
//! a key or a value (the manifest editor's diagnostics).
//!
//! The trees are built from libyaml's event stream — the parser `serde_norway` itself runs —
//! so their shape always agrees with what the typed decoders read: the same documents, the
//! same nesting, flow and block style alike. Scalars keep their text as written; they are
//! not resolved to numbers or booleans (the typed decoders do that).
//!
//! Simplified: aliases are kept as leaves (`*name`), not expanded into the anchored node.

use std::mem::MaybeUninit;

use unsafe_libyaml_norway as unsafe_yaml;

/// A place in the text: a byte offset plus the 1-based line and column (in characters) an
/// editor shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    /// Byte offset from the start of the text.
    pub index: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// A stretch of text: `start` up to (not including) `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The first character.
    pub start: Mark,
    /// Just past the last character.
    pub end: Mark,
}

/// One node of a document and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// From the node's first character to just past its last (for a block collection, up to
    /// where the next token starts).
    pub span: Span,
    /// What the node is.
    pub kind: NodeKind,
}

/// The kinds of YAML node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar, with its text as written (quotes removed, escapes applied).
    Scalar {
        /// The scalar's text.
        value: String,
        /// Whether it was written plain (unquoted, not a block scalar): only plain scalars
        /// can mean null, a number or a boolean.
        plain: bool,
    },
    /// A sequence's items, in order.
    Sequence(Vec<Node>),
    /// A mapping's (key, value) pairs, in order.
    Mapping(Vec<(Node, Node)>),
    /// An alias (`*name`) to an anchored node.
    Alias,
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Whether this is an empty document's node or an explicit null (`~`, `null`, or nothing).
    pub fn is_null(&self) -> bool {
        match &self.kind {
            NodeKind::Scalar { value, plain: true } => {
                matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// The value under scalar key `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The (key, value) pair for scalar key `key`, if this is a mapping that has it. With a
    /// repeated key the last one counts, as for the decoders.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Mapping(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }
}

/// One document of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where the document starts: its `---` if it has one, else its first token.
    pub start: Mark,
    /// Whether it opens with an explicit `---`.
    pub explicit_start: bool,
    /// The document's content.
    pub root: Node,
}

/// A syntax error as libyaml reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong, e.g. `did not find expected key`.
    pub problem: String,
    /// Where it was found.
    pub mark: Mark,
    /// What the parser was doing, e.g. `while parsing a block mapping`, and where that began.
    pub context: Option<(String, Mark)>,
}

/// Every document of a stream up to the first syntax error, and that error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stream {
    /// The complete documents before any error, in order.
    pub documents: Vec<Document>,
    /// The first syntax error, if the stream has one.
    pub error: Option<SyntaxError>,
}

/// How deep collections may nest. The typed decoders stop far earlier (serde_norway's
/// recursion limit is 128); past this the tree would only risk the stack when it is dropped.
const MAX_DEPTH: usize = 256;

/// Parses every document of `text`, keeping positions.
pub fn parse(text: &str) -> Stream {
    let mut stream = Stream::default();
    let Some(mut parser) = EventParser::new(text.as_bytes()) else {
        stream.error = Some(SyntaxError {
            problem: "the YAML parser could not start".to_string(),
            mark: Mark {
                index: 0,
                line: 1,
                column: 1,
            },
            context: None,
        });
        return stream;
    };
    let mut builder = Builder::default();
    loop {
        match parser.next() {
            Err(err) => {
                stream.error = Some(err);
                return stream;
            }
            Ok(event) => {
                if let EventKind::StreamEnd = event.kind {
                    return stream;
                }
                if builder.open.len() >= MAX_DEPTH
                    && matches!(
                        event.kind,
                        EventKind::SequenceStart | EventKind::MappingStart
                    )
                {
                    stream.error = Some(SyntaxError {
                        problem: "collections nested too deeply".to_string(),
                        mark: event.span.start,
                        context: None,
                    });
                    return stream;
                }
                if let Some(document) = builder.push(event) {
                    stream.documents.push(document);
                }
            }
        }
    }
}

/// One parser event, copied out of libyaml.
#[derive(Debug)]
struct Event {
    kind: EventKind,
    span: Span,
}

#[derive(Debug)]
enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart { explicit: bool },
    DocumentEnd,
    Alias,
    Scalar { value: String, plain: bool },
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
}

/// A collection under construction.
#[derive(Debug)]
enum Open {
    Sequence {
        start: Mark,
        items: Vec<Node>,
    },
    Mapping {
        start: Mark,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// Turns the event stream into documents.
#[derive(Debug, Default)]
struct Builder {
    document: Option<(Mark, bool)>,
    open: Vec<Open>,
    root: Option<Node>,
}

impl Builder {
    /// Takes one event; returns a document when one is complete.
    fn push(&mut self, event: Event) -> Option<Document> {
        match event.kind {
            EventKind::StreamStart | EventKind::StreamEnd => None,
            EventKind::DocumentStart { explicit } => {
                self.document = Some((event.span.start, explicit));
                self.open.clear();
                self.root = None;
                None
            }
            EventKind::DocumentEnd => {
                let (start, explicit_start) = self.document.take()?;
                let root = self.root.take()?;
                Some(Document {
                    start,
                    explicit_start,
                    root,
                })
            }
            EventKind::Alias => {
                self.add(Node {
                    span: event.span,
                    kind: NodeKind::Alias,
                });
                None
            }
            EventKind::Scalar { value, plain } => {
                self.add(Node {
                    span: event.span,
                    kind: NodeKind::Scalar { value, plain },
                });
                None
            }
            EventKind::SequenceStart => {
                self.open.push(Open::Sequence {
                    start: event.span.start,
                    items: Vec::new(),
                });
                None
            }
            EventKind::MappingStart => {
                self.open.push(Open::Mapping {
                    start: event.span.start,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            EventKind::SequenceEnd | EventKind::MappingEnd => {
                let node = match self.open.pop()? {
                    Open::Sequence { start, items } => Node {
                        span: Span {
                            start,
                            end: event.span.end,
                        },
                        kind: NodeKind::Sequence(items),
                    },
                    Open::Mapping { start, entries, .. } => Node {
                        span: Span {
                            start,
                            end: event.span.end,
                        },
                        kind: NodeKind::Mapping(entries),
                    },
                };
                self.add(node);
                None
            }
        }
    }

    /// Puts a finished node where it belongs: a sequence item, a mapping key or value, or the
    /// document's root.
    fn add(&mut self, node: Node) {
        match self.open.last_mut() {
            None => self.root = Some(node),
            Some(Open::Sequence { items, .. }) => items.push(node),
            Some(Open::Mapping { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

/// libyaml's event parser over a borrowed input.
struct EventParser<'a> {
    /// Boxed so its address stays fixed: libyaml keeps pointers into it.
    raw: Box<unsafe_yaml::yaml_parser_t>,
    /// The parser reads this through a raw pointer; the borrow keeps it alive and unchanged.
    _input: &'a [u8],
}

impl<'a> EventParser<'a> {
    fn new(input: &'a [u8]) -> Option<EventParser<'a>> {
        let mut raw = Box::<unsafe_yaml::yaml_parser_t>::new_uninit();
        // SAFETY: `yaml_parser_initialize` fully initialises the parser it is given (it zeroes
        // it, then allocates its buffers); only after it succeeds is the box treated as
        // initialised. The input pointer stays valid for 'a, which outlives the parser.
        unsafe {
            if unsafe_yaml::yaml_parser_initialize(raw.as_mut_ptr()).fail {
                return None;
            }
            let mut raw = raw.assume_init();
            unsafe_yaml::yaml_parser_set_encoding(&mut *raw, unsafe_yaml::YAML_UTF8_ENCODING);
            unsafe_yaml::yaml_parser_set_input_string(
                &mut *raw,
                input.as_ptr(),
                input.len() as u64,
            );
            Some(EventParser { raw, _input: input })
        }
    }

    fn next(&mut self) -> Result<Event, SyntaxError> {
        // A failed parser stays failed; libyaml must not be asked again.
        if self.raw.error != unsafe_yaml::YAML_NO_ERROR {
            return Err(syntax_error(&self.raw));
        }
        let parser: *mut unsafe_yaml::yaml_parser_t = &mut *self.raw;
        let mut event = MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
        // SAFETY: `parser` is initialised and owned by `self`. `yaml_parser_parse` fills
        // `event` when it succeeds; the event is read only then, its strings are copied out,
        // and it is freed exactly once with `yaml_event_delete`.
        unsafe {
            if unsafe_yaml::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                return Err(syntax_error(&*parser));
            }
            let event = event.as_mut_ptr();
            let converted = convert(&*event);
            unsafe_yaml::yaml_event_delete(event);
            Ok(converted)
        }
    }
}

impl Drop for EventParser<'_> {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised in `new` and is deleted once, here.
        unsafe { unsafe_yaml::yaml_parser_delete(&mut *self.raw) }
    }
}

fn mark(m: unsafe_yaml::yaml_mark_t) -> Mark {
    Mark {
        index: m.index as usize,
        line: m.line as usize + 1,
        column: m.column as usize + 1,
    }
}

/// Copies what the tree needs out of a libyaml event.
///
/// # Safety
/// `event` must be an event `yaml_parser_parse` filled and that has not been deleted.
unsafe fn convert(event: &unsafe_yaml::yaml_event_t) -> Event {
    let span = Span {
        start: mark(event.start_mark),
        end: mark(event.end_mark),
    };
    let kind = match event.type_ {
        unsafe_yaml::YAML_STREAM_START_EVENT => EventKind::StreamStart,
        unsafe_yaml::YAML_DOCUMENT_START_EVENT => EventKind::DocumentStart {
            // SAFETY: a document-start event carries `document_start` data.
            explicit: !unsafe { event.data.document_start.implicit },
        },
        unsafe_yaml::YAML_DOCUMENT_END_EVENT => EventKind::DocumentEnd,
        unsafe_yaml::YAML_ALIAS_EVENT => EventKind::Alias,
        unsafe_yaml::YAML_SCALAR_EVENT => {
            // SAFETY: a scalar event carries `scalar` data whose `value` points at `length`
            // bytes owned by the event.
            let (bytes, plain) = unsafe {
                let scalar = event.data.scalar;
                let bytes: &[u8] = if scalar.value.is_null() {
                    &[]
                } else {
                    std::slice::from_raw_parts(scalar.value, scalar.length as usize)
                };
                (bytes, scalar.style == unsafe_yaml::YAML_PLAIN_SCALAR_STYLE)
            };
            EventKind::Scalar {
                value: String::from_utf8_lossy(bytes).into_owned(),
                plain,
            }
        }
        unsafe_yaml::YAML_SEQUENCE_START_EVENT => EventKind::SequenceStart,
        unsafe_yaml::YAML_SEQUENCE_END_EVENT => EventKind::SequenceEnd,
        unsafe_yaml::YAML_MAPPING_START_EVENT => EventKind::MappingStart,
        unsafe_yaml::YAML_MAPPING_END_EVENT => EventKind::MappingEnd,
        // No other event is produced by a successful parse; treat anything else as the end.
        _ => EventKind::StreamEnd,
    };
    Event { kind, span }
}

/// The parser's error, read through the public error fields it dereferences to.
fn syntax_error(parser: &unsafe_yaml::yaml_parser_t) -> SyntaxError {
    let text = |ptr: *const std::ffi::c_char| -> Option<String> {
        if ptr.is_null() {
            return None;
        }
        // SAFETY: libyaml's `problem` and `context` are null or point at static
        // NUL-terminated strings.
        let text = unsafe { std::ffi::CStr::from_ptr(ptr) };
        Some(text.to_string_lossy().into_owned())
    };
    SyntaxError {
        problem: text(parser.problem).unwrap_or_else(|| "the YAML parser failed".to_string()),
        mark: mark(parser.problem_mark),
        context: text(parser.context).map(|c| (c, mark(parser.context_mark))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(node: &Node) -> (usize, usize, usize, usize) {
        (
            node.span.start.line,
            node.span.start.column,
            node.span.end.line,
            node.span.end.column,
        )
    }

    #[test]
    fn keys_and_values_keep_their_places() {
        let text = "apiVersion: v1\nspec:\n  containers:\n  - name: web\n    image: \"nginx\"\n";
        let stream = parse(text);
        assert_eq!(stream.error, None);
        let root = &stream.documents[0].root;
        let containers = root.get("spec").unwrap().get("containers").unwrap();
        let NodeKind::Sequence(items) = &containers.kind else {
            panic!("{containers:?}")
        };
        let (key, value) = items[0].entry("image").unwrap();
        assert_eq!(at(key), (5, 5, 5, 10));
        assert_eq!(at(value), (5, 12, 5, 19));
        assert_eq!(value.as_str(), Some("nginx"));
        assert_eq!(&text[key.span.start.index..key.span.end.index], "image");
    }

    #[test]
    fn flow_collections_and_columns_count_characters() {
        let stream = parse("labels: {é: \"ü\", b: [x, y]}\n");
        let root = &stream.documents[0].root;
        let labels = root.get("labels").unwrap();
        let (key, _) = labels.entry("b").unwrap();
        assert_eq!(at(key), (1, 18, 1, 19));
        assert_eq!(key.span.start.index, 19);
        let NodeKind::Sequence(items) = &labels.get("b").unwrap().kind else {
            panic!()
        };
        assert_eq!(at(&items[1]), (1, 25, 1, 26));
    }

    #[test]
    fn documents_and_the_first_error() {
        let stream = parse("a: 1\n---\nb: 2\n---\nc: [\n");
        assert_eq!(stream.documents.len(), 2);
        assert!(!stream.documents[0].explicit_start);
        assert!(stream.documents[1].explicit_start);
        assert_eq!(stream.documents[1].start.line, 2);
        let err = stream.error.unwrap();
        assert_eq!(err.problem, "did not find expected node content");
        assert_eq!((err.mark.line, err.mark.column), (6, 1));
        let (context, mark) = err.context.unwrap();
        assert_eq!(context, "while parsing a flow node");
        assert_eq!(mark.line, 6);
    }

    #[test]
    fn bad_indentation_is_reported_where_it_is() {
        let stream = parse("metadata:\n  name: x\n labels: {}\n");
        let err = stream.error.unwrap();
        assert_eq!(err.problem, "did not find expected key");
        assert_eq!((err.mark.line, err.mark.column), (3, 2));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let stream = parse(&deep);
        assert!(stream.documents.is_empty());
        let err = stream.error.unwrap();
        assert_eq!(err.problem, "collections nested too deeply");
        assert_eq!((err.mark.line, err.mark.column), (1, MAX_DEPTH + 1));
    }

    #[test]
    fn empty_text_has_no_documents() {
        let stream = parse("");
        assert_eq!(stream, Stream::default());
        let stream = parse("# only a comment\n");
        assert!(stream.documents.is_empty());
    }
}
