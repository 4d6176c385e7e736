//! The terminal's line editing as pure functions over text, so it is tested natively: which
//! typed or pasted lines are complete commands, Tab completion's insertion, bash's listing of
//! several candidates, and Ctrl-R's search through history.

use crate::playground::{completeness, Completeness, IncompleteReason};

/// Splits `buffer` (what the line editor holds, pasted lines included) into the complete
/// commands to run now, in order, and what stays in the editor. A command is complete at a
/// newline when the shell would run it there (or report its syntax error); a heredoc or an
/// open quote keeps reading, as bash shows `> `.
pub fn take_complete(buffer: &str) -> (Vec<String>, String) {
    let mut commands = Vec::new();
    let mut start = 0;
    let mut search = 0;
    // Why the command so far is incomplete: a pasted heredoc's body lines skip the parser.
    let mut waiting: Option<IncompleteReason> = None;
    while let Some(offset) = buffer[search..].find('\n') {
        let end = search + offset + 1;
        let line = &buffer[search..end - 1];
        search = end;
        if waiting.as_ref().is_some_and(|w| !w.may_end_with(line)) {
            continue;
        }
        let candidate = &buffer[start..end];
        match completeness(candidate) {
            Completeness::Incomplete(reason) => waiting = Some(reason),
            _ => {
                commands.push(candidate.to_string());
                start = end;
                waiting = None;
            }
        }
    }
    (commands, buffer[start..].to_string())
}

/// Whether pressing Enter after `line` runs it (rather than asking for more lines).
pub fn runs_on_enter(line: &str) -> bool {
    !matches!(
        completeness(&format!("{line}\n")),
        Completeness::Incomplete(_)
    )
}

/// The byte where the word under `cursor` starts (the part completion replaces).
pub fn word_start(line: &str, cursor: usize) -> usize {
    let cursor = cursor.min(line.len());
    line[..cursor]
        .rfind(|c: char| c.is_whitespace() || matches!(c, '|' | ';' | '&' | '(' | '<' | '>'))
        .map_or(0, |idx| idx + 1)
}

/// What Tab does with `candidates` for the word at `cursor` of `line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completed {
    /// Nothing matches: bash rings the bell.
    Nothing,
    /// The line changed: the new text and cursor.
    Inserted(String, usize),
    /// Several match and typing cannot go further: list them.
    List(Vec<String>),
}

/// Applies Tab's answer: one candidate is inserted whole (with a space unless it is a
/// directory), several are narrowed to their common prefix, or listed when that adds nothing.
pub fn apply_completion(line: &str, cursor: usize, candidates: &[String]) -> Completed {
    let cursor = cursor.min(line.len());
    let start = word_start(line, cursor);
    let partial = &line[start..cursor];
    let replacement = match candidates {
        [] => return Completed::Nothing,
        [only] if only.ends_with('/') => only.clone(),
        [only] => format!("{only} "),
        several => {
            let prefix = common_prefix(several);
            if prefix.len() <= partial.len() {
                return Completed::List(several.to_vec());
            }
            prefix
        }
    };
    let mut text = String::with_capacity(line.len() + replacement.len());
    text.push_str(&line[..start]);
    text.push_str(&replacement);
    let new_cursor = text.len();
    text.push_str(&line[cursor..]);
    Completed::Inserted(text, new_cursor)
}

fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut end = first.len();
    for word in &words[1..] {
        end = end.min(
            first
                .char_indices()
                .zip(word.chars())
                .find(|((_, a), b)| a != b)
                .map_or(first.len().min(word.len()), |((idx, _), _)| idx),
        );
    }
    first[..end].to_string()
}

/// Bash's listing of several candidates: columns filled top to bottom, as wide as the
/// longest name plus two spaces, in a terminal `width` characters wide.
pub fn columns(candidates: &[String], width: usize) -> String {
    let longest = candidates
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let column = longest + 2;
    let per_line = (width / column).max(1);
    let rows = candidates.len().div_ceil(per_line);
    let mut out = String::new();
    for row in 0..rows {
        let mut line = String::new();
        for col in 0..per_line {
            let Some(word) = candidates.get(col * rows + row) else {
                break;
            };
            line.push_str(word);
            line.push_str(&" ".repeat(column - word.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Ctrl-R: the newest history entry before index `before` (exclusive; `history.len()` to
/// start) that contains `query`, and its index.
pub fn search_back<'h>(
    history: &'h [String],
    query: &str,
    before: usize,
) -> Option<(usize, &'h str)> {
    history[..before.min(history.len())]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, entry)| entry.contains(query))
        .map(|(idx, entry)| (idx, entry.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_lines_run_one_by_one_and_a_heredoc_waits_for_its_end() {
        let (run, rest) = take_complete("date\nhostname\ncat <<EOF > /tmp/x\nline\n");
        assert_eq!(run, ["date\n", "hostname\n"]);
        assert_eq!(rest, "cat <<EOF > /tmp/x\nline\n");
        let (run, rest) = take_complete(&format!("{rest}EOF\nls"));
        assert_eq!(run, ["cat <<EOF > /tmp/x\nline\nEOF\n"]);
        assert_eq!(rest, "ls");
        // A syntax error is run too, so the shell reports it.
        let (run, rest) = take_complete("echo )\n");
        assert_eq!((run.len(), rest.as_str()), (1, ""));
    }

    #[test]
    fn enter_runs_complete_lines_and_continues_open_ones() {
        assert!(runs_on_enter("kubectl get pods"));
        assert!(runs_on_enter(""));
        assert!(!runs_on_enter("echo 'open"));
        assert!(!runs_on_enter("cat <<EOF"));
        assert!(!runs_on_enter("ls |"));
    }

    #[test]
    fn completion_inserts_narrows_or_lists() {
        let one = vec!["kubectl".to_string()];
        assert_eq!(
            apply_completion("kube", 4, &one),
            Completed::Inserted("kubectl ".into(), 8)
        );
        let dir = vec!["/etc/kubernetes/".to_string()];
        assert_eq!(
            apply_completion("ls /etc/kube -l", 12, &dir),
            Completed::Inserted("ls /etc/kubernetes/ -l".into(), 19)
        );
        let two = vec![
            "kube-apiserver.yaml".to_string(),
            "kube-scheduler.yaml".to_string(),
        ];
        assert_eq!(
            apply_completion("cat ku", 6, &two),
            Completed::Inserted("cat kube-".into(), 9)
        );
        assert_eq!(apply_completion("cat kube-", 9, &two), Completed::List(two));
        assert_eq!(apply_completion("zz", 2, &[]), Completed::Nothing);
    }

    #[test]
    fn listings_fill_columns_top_to_bottom() {
        let words: Vec<String> = ["apply", "create", "delete", "describe", "get"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        assert_eq!(
            columns(&words, 30),
            "apply     delete    get\ncreate    describe\n"
        );
        assert_eq!(columns(&words[..1], 3), "apply\n");
    }

    #[test]
    fn reverse_search_walks_back_through_matches() {
        let history: Vec<String> = ["kubectl get pods", "ls", "kubectl get nodes"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            search_back(&history, "get", history.len()),
            Some((2, "kubectl get nodes"))
        );
        assert_eq!(
            search_back(&history, "get", 2),
            Some((0, "kubectl get pods"))
        );
        assert_eq!(search_back(&history, "get", 0), None);
        assert_eq!(search_back(&history, "zz", 3), None);
    }
}
