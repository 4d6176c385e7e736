//! The lesson compiler: a lesson file (YAML with Markdown fields) to the data the app embeds.
//!
//! `build.rs` includes this file by path to compile `lessons/` into the crate, and the native
//! runner's `lesson build` and `lesson test` call it for an author's file, so both see the same
//! errors. Markdown becomes [`Block`]s and [`Inline`]s: the browser renders them as elements and
//! text nodes and carries no Markdown parser. Raw HTML, images and links other than http(s) are
//! refused, so nothing in a lesson reaches the page as markup.

use std::collections::{BTreeMap, BTreeSet};
use std::iter::Peekable;

use pulldown_cmark::{CodeBlockKind, Event, OffsetIter, Options, Parser, Tag, TagEnd};

use super::model::{
    Block, Challenge, Check, Doc, Goal, Inline, Lesson, Locale, Localized, ParamValue, Step,
    LOCALES,
};

/// Compiles the lesson file `file` (named in errors) whose text is `source`.
pub fn compile(file: &str, source: &str) -> Result<Lesson<Doc>, String> {
    let lesson: Lesson<String> =
        serde_norway::from_str(source).map_err(|err| format!("{file}: {err}"))?;
    super::model::check_metadata(&lesson).map_err(|err| format!("{file}: {err}"))?;
    let mut ctx = Ctx { file, source };
    let mut steps = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(idx, step)| ctx.step(idx, step))
        .collect::<Result<Vec<_>, String>>()?;
    let challenge = match &lesson.challenge {
        Some(challenge) => {
            check_placeholders(source, &challenge.params)
                .map_err(|err| format!("{file}: {err}"))?;
            let compiled = ctx.challenge(challenge)?;
            steps.push(task_step(&lesson.title, &compiled));
            Some(compiled)
        }
        None => None,
    };
    Ok(Lesson {
        id: lesson.id,
        title: lesson.title,
        summary: lesson.summary,
        difficulty: lesson.difficulty,
        minutes: lesson.minutes,
        tags: lesson.tags,
        setup: lesson.setup,
        steps,
        challenge,
    })
}

/// A challenge's one step: the task, done when every check passes.
fn task_step(title: &Localized<String>, challenge: &Challenge<Doc>) -> Step<Doc> {
    Step {
        id: "task".to_string(),
        title: title.clone(),
        text: challenge.task.clone(),
        question: None,
        goal: Goal::All(challenge.checks.iter().map(|c| c.goal.clone()).collect()),
        hints: Vec::new(),
        solution: challenge.solution.clone(),
        inside: None,
    }
}

/// Every `{{name}}` or `{{name.field}}` in the file must name a parameter (and a field every
/// value of it has).
fn check_placeholders(
    source: &str,
    params: &BTreeMap<String, Vec<ParamValue>>,
) -> Result<(), String> {
    for (name, values) in params {
        if values.is_empty() {
            return Err(format!("challenge parameter {name:?} has no values"));
        }
    }
    let mut rest = source;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("a `{{` placeholder is not closed with `}}`".to_string());
        };
        let placeholder = after[..end].trim();
        let (name, field) = match placeholder.split_once('.') {
            Some((name, field)) => (name, Some(field)),
            None => (placeholder, None),
        };
        let Some(values) = params.get(name) else {
            let known: Vec<&str> = params.keys().map(String::as_str).collect();
            return Err(format!(
                "placeholder {{{{{placeholder}}}}} names no challenge parameter (there are: {})",
                known.join(", ")
            ));
        };
        let fits = values.iter().all(|value| match (value, field) {
            (ParamValue::Text(_), None) => true,
            (ParamValue::Fields(fields), Some(field)) => fields.contains_key(field),
            _ => false,
        });
        if !fits {
            return Err(format!(
                "placeholder {{{{{placeholder}}}}} does not fit every value of parameter {name:?} \
                 (plain values take `{{{{{name}}}}}`, values with fields `{{{{{name}.FIELD}}}}` \
                 for a field each of them has)"
            ));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

/// Compiles a set of lesson files, given as `(name, text)` in catalogue order, and checks that
/// their IDs are unique.
pub fn compile_all(files: &[(String, String)]) -> Result<Vec<Lesson<Doc>>, String> {
    let mut seen = BTreeSet::new();
    let mut lessons = Vec::new();
    for (file, source) in files {
        let lesson = compile(file, source)?;
        if !seen.insert(lesson.id.clone()) {
            return Err(format!(
                "{file}: lesson ID {:?} is already used by another lesson file",
                lesson.id
            ));
        }
        lessons.push(lesson);
    }
    Ok(lessons)
}

/// Every command block of a compiled text, in order (lists and quotes included).
pub fn commands(doc: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    collect_commands(doc, &mut out);
    out
}

fn collect_commands(doc: &[Block], out: &mut Vec<String>) {
    for block in doc {
        match block {
            Block::Command(text) => out.push(text.clone()),
            Block::List { items, .. } => {
                for item in items {
                    collect_commands(item, out);
                }
            }
            Block::Quote(inner) => collect_commands(inner, out),
            Block::Paragraph(_) | Block::Heading { .. } | Block::Code { .. } | Block::Rule => (),
        }
    }
}

/// Where errors point: the file and its text.
struct Ctx<'a> {
    file: &'a str,
    source: &'a str,
}

/// A Markdown error at a byte offset of the Markdown text.
struct Fail {
    offset: usize,
    message: String,
}

type Events<'a> = Peekable<OffsetIter<'a>>;

impl Ctx<'_> {
    fn step(&mut self, idx: usize, step: &Step<String>) -> Result<Step<Doc>, String> {
        let name = format!("step {} ({:?})", idx + 1, step.id);
        let text = self.markdown(&format!("{name} text"), &step.text)?;
        let en = commands(&text.en);
        let zh = commands(&text.zh_cn);
        if en != zh {
            return Err(format!(
                "{}: {name}: the command blocks differ between locales (en: {en:?}, zh-CN: {zh:?}); \
                 translate the prose, not the commands",
                self.file
            ));
        }
        let question = match &step.question {
            Some(q) => Some(super::model::Question {
                prompt: self.markdown(&format!("{name} question"), &q.prompt)?,
                choices: q
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(n, c)| {
                        Ok(super::model::Choice {
                            text: self.markdown(&format!("{name} choice {}", n + 1), &c.text)?,
                            correct: c.correct,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?,
                explanation: self.markdown(&format!("{name} explanation"), &q.explanation)?,
            }),
            None => None,
        };
        let hints = step
            .hints
            .iter()
            .enumerate()
            .map(|(n, h)| {
                if h.when.is_none() && !h.reach.is_empty() {
                    return Err(format!(
                        "{}: {name} hint {}: `reach` shows how a hint's condition comes to hold; \
                         this hint has no `when`",
                        self.file,
                        n + 1
                    ));
                }
                Ok(super::model::Hint {
                    when: h.when.clone(),
                    text: self.markdown(&format!("{name} hint {}", n + 1), &h.text)?,
                    reach: h.reach.clone(),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Step {
            id: step.id.clone(),
            title: step.title.clone(),
            text,
            question,
            goal: step.goal.clone(),
            hints,
            solution: step.solution.clone(),
            inside: step.inside.clone(),
        })
    }

    fn challenge(&mut self, challenge: &Challenge<String>) -> Result<Challenge<Doc>, String> {
        let checks = challenge
            .checks
            .iter()
            .enumerate()
            .map(|(n, check)| {
                Ok(Check {
                    title: check.title.clone(),
                    goal: check.goal.clone(),
                    miss: self.markdown(&format!("check {} miss", n + 1), &check.miss)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Challenge {
            params: challenge.params.clone(),
            task: self.markdown("challenge task", &challenge.task)?,
            checks,
            solution: challenge.solution.clone(),
        })
    }

    fn markdown(&self, what: &str, text: &Localized<String>) -> Result<Localized<Doc>, String> {
        let mut out = Vec::new();
        for locale in LOCALES {
            let md = text.get(locale);
            if md.trim().is_empty() {
                return Err(format!(
                    "{}: {what}: the {} text is empty",
                    self.file,
                    locale.tag()
                ));
            }
            let mut events = Parser::new_ext(md, Options::empty())
                .into_offset_iter()
                .peekable();
            match blocks(&mut events, None) {
                Ok(doc) => out.push(doc),
                Err(fail) => {
                    let place = match self.line_of(md, fail.offset) {
                        Some(line) => format!("{}:{line}", self.file),
                        None => self.file.to_string(),
                    };
                    return Err(format!(
                        "{place}: {what} ({}): {}",
                        locale_name(locale),
                        fail.message
                    ));
                }
            }
        }
        let zh_cn = out.pop().unwrap_or_default();
        let en = out.pop().unwrap_or_default();
        Ok(Localized { en, zh_cn })
    }

    /// The line of the lesson file that holds the Markdown line at `offset` (the first line
    /// of the file with that text: a YAML block scalar keeps each line as written).
    fn line_of(&self, md: &str, offset: usize) -> Option<usize> {
        let start = md[..offset.min(md.len())].rfind('\n').map_or(0, |i| i + 1);
        let end = md[start..].find('\n').map_or(md.len(), |i| start + i);
        let needle = md[start..end].trim();
        if needle.is_empty() {
            return None;
        }
        self.source
            .lines()
            .position(|line| line.contains(needle))
            .map(|idx| idx + 1)
    }
}

fn locale_name(locale: Locale) -> &'static str {
    locale.tag()
}

fn fail(offset: usize, message: impl Into<String>) -> Fail {
    Fail {
        offset,
        message: message.into(),
    }
}

fn is_inline(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::InlineMath(_)
            | Event::Start(
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. }
            )
    )
}

/// Blocks until the end tag `until` (or the end of the text).
fn blocks(events: &mut Events<'_>, until: Option<TagEnd>) -> Result<Vec<Block>, Fail> {
    let mut out = Vec::new();
    loop {
        let Some((event, range)) = events.peek().cloned() else {
            return match until {
                None => Ok(out),
                Some(_) => Err(fail(0, "the Markdown ends inside a block")),
            };
        };
        if is_inline(&event) {
            out.push(Block::Paragraph(inlines(events, None)?));
            continue;
        }
        events.next();
        match event {
            Event::End(end) if Some(end) == until => return Ok(out),
            Event::Start(Tag::Paragraph) => {
                out.push(Block::Paragraph(inlines(events, Some(TagEnd::Paragraph))?));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let content = inlines(events, Some(TagEnd::Heading(level)))?;
                out.push(Block::Heading {
                    level: level as u8,
                    content,
                });
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                out.push(Block::Quote(blocks(
                    events,
                    Some(TagEnd::BlockQuote(kind)),
                )?));
            }
            Event::Start(Tag::List(start)) => {
                let mut items = Vec::new();
                loop {
                    match events.next() {
                        Some((Event::Start(Tag::Item), _)) => {
                            items.push(blocks(events, Some(TagEnd::Item))?);
                        }
                        Some((Event::End(TagEnd::List(_)), _)) => break,
                        _ => return Err(fail(range.start, "a list holds something unexpected")),
                    }
                }
                out.push(Block::List { start, items });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let mut text = String::new();
                loop {
                    match events.next() {
                        Some((Event::Text(t), _)) => text.push_str(&t),
                        Some((Event::End(TagEnd::CodeBlock), _)) => break,
                        _ => return Err(fail(range.start, "a code block ends unexpectedly")),
                    }
                }
                if lang == "sh" {
                    let command = text.trim_end_matches('\n').to_string();
                    if command.trim().is_empty() {
                        return Err(fail(range.start, "an `sh` command block is empty"));
                    }
                    out.push(Block::Command(command));
                } else {
                    out.push(Block::Code { lang, text });
                }
            }
            Event::Rule => out.push(Block::Rule),
            Event::Start(Tag::HtmlBlock) | Event::Html(_) => {
                return Err(fail(
                    range.start,
                    "raw HTML is not allowed in lesson text (write Markdown instead)",
                ));
            }
            other => {
                return Err(fail(
                    range.start,
                    format!("this Markdown is not supported in lessons: {other:?}"),
                ));
            }
        }
    }
}

/// Inline content until the end tag `until`, or (when `None`) until a block-level event.
fn inlines(events: &mut Events<'_>, until: Option<TagEnd>) -> Result<Vec<Inline>, Fail> {
    let mut out = Vec::new();
    loop {
        let Some((event, range)) = events.peek().cloned() else {
            return match until {
                None => Ok(out),
                Some(_) => Err(fail(0, "the Markdown ends inside a paragraph")),
            };
        };
        if until.is_none() && !is_inline(&event) {
            return Ok(out);
        }
        events.next();
        match event {
            Event::End(end) if Some(end) == until => return Ok(out),
            Event::Text(text) => push_text(&mut out, &text),
            Event::Code(code) => out.push(Inline::Code(code.to_string())),
            Event::SoftBreak => {
                // A line break in the source is a space between words, but none between two
                // Chinese characters.
                let cjk = match out.last() {
                    Some(Inline::Text(t)) => t.chars().last().is_some_and(|c| c > '\u{2e7f}'),
                    _ => false,
                };
                if !cjk {
                    push_text(&mut out, " ");
                }
            }
            Event::HardBreak => out.push(Inline::Break),
            Event::Start(Tag::Emphasis) => {
                out.push(Inline::Emphasis(inlines(events, Some(TagEnd::Emphasis))?));
            }
            Event::Start(Tag::Strong) => {
                out.push(Inline::Strong(inlines(events, Some(TagEnd::Strong))?));
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if !(dest_url.starts_with("https://") || dest_url.starts_with("http://")) {
                    return Err(fail(
                        range.start,
                        format!(
                            "link target {dest_url:?}: only http:// and https:// links are allowed"
                        ),
                    ));
                }
                let content = inlines(events, Some(TagEnd::Link))?;
                out.push(Inline::Link {
                    href: dest_url.to_string(),
                    content,
                });
            }
            Event::InlineHtml(html) => {
                return Err(fail(
                    range.start,
                    format!(
                        "raw HTML is not allowed in lesson text: {:?} (write Markdown, or put it in `code`)",
                        html.as_ref()
                    ),
                ));
            }
            Event::Start(Tag::Image { .. }) => {
                return Err(fail(range.start, "images are not supported in lessons"));
            }
            other => {
                return Err(fail(
                    range.start,
                    format!("this Markdown is not supported in lessons: {other:?}"),
                ));
            }
        }
    }
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(last)) = out.last_mut() {
        last.push_str(text);
        return;
    }
    out.push(Inline::Text(text.to_string()));
}
