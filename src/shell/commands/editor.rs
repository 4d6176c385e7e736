//! `vi`, `vim`, `nano`: the browser terminal opens the file in its editor pane instead of
//! running them (it asks [`edit_target`] first); the command-line runner has no screen to
//! edit on, so the command says how to write the file with a heredoc and fails.

use crate::node::fs::normalize;
use crate::shell::io::Output;
use crate::shell::lexer::tokenize_for_completion;

/// The editors the terminal recognises.
pub const EDITORS: &[&str] = &["nano", "vi", "vim"];

/// Runs `vi|vim|nano [FILE]` where no editor pane exists (the runner, scripts, pipes).
pub fn editor(argv: &[String]) -> Output {
    let name = argv.first().map_or("vi", String::as_str);
    let file = argv
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('-') && !a.starts_with('+'));
    let target = file.map_or("FILE", String::as_str);
    Output::err(
        format!(
            "{name}: no interactive editor in this terminal (in the browser, {name} FILE opens the editor pane).\n\
             Write the file with a heredoc instead:\n  \
             cat <<'EOF' > {target}\n  \
             ...\n  \
             EOF\n"
        ),
        1,
    )
}

/// The absolute path the browser should open in its editor pane when the learner types
/// `line` at a shell whose working directory is `cwd`: `Some` only for a lone
/// `vi|vim|nano FILE` without pipes, redirects, lists or expansions.
pub fn edit_target(line: &str, cwd: &str) -> Option<String> {
    let line = line.trim();
    if line.contains(['|', ';', '&', '<', '>', '$', '`', '\n']) {
        return None;
    }
    let (mut words, partial) = tokenize_for_completion(line);
    if !partial.is_empty() {
        words.push(partial);
    }
    // `sudo vi FILE` edits the same file: the learner is root already.
    let words = without_sudo(&words);
    match words {
        [editor, file] if EDITORS.contains(&editor.as_str()) && !file.starts_with('-') => {
            let file = match file.strip_prefix("~/") {
                Some(rest) => format!("/root/{rest}"),
                None => file.clone(),
            };
            Some(normalize(cwd, &file))
        }
        _ => None,
    }
}

/// The words after a leading `sudo` and its option-only flags (`sudo -E vi x`); all of
/// `words` when it does not start with `sudo`.
pub fn without_sudo(words: &[String]) -> &[String] {
    if words.first().map(String::as_str) != Some("sudo") {
        return words;
    }
    let rest = &words[1..];
    let flags = rest
        .iter()
        .take_while(|w| w.starts_with('-') && w.len() > 1 && !w.contains(['u', 'g', 'D']))
        .count();
    &rest[flags..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_opens_lone_editor_commands() {
        assert_eq!(
            edit_target("vi /etc/kubernetes/manifests/etcd.yaml", "/root"),
            Some("/etc/kubernetes/manifests/etcd.yaml".to_string())
        );
        assert_eq!(
            edit_target("nano web.yaml ", "/etc/kubernetes/manifests"),
            Some("/etc/kubernetes/manifests/web.yaml".to_string())
        );
        assert_eq!(
            edit_target("vim 'a b.yaml'", "/root"),
            Some("/root/a b.yaml".to_string())
        );
        assert_eq!(edit_target("vim ~/x", "/tmp"), Some("/root/x".to_string()));
        assert_eq!(
            edit_target("sudo vi /etc/kubernetes/manifests/etcd.yaml", "/tmp"),
            Some("/etc/kubernetes/manifests/etcd.yaml".to_string())
        );
        assert_eq!(
            edit_target("sudo -E nano x", "/tmp"),
            Some("/tmp/x".to_string())
        );
        assert_eq!(edit_target("sudo -u bob vi x", "/tmp"), None);
        assert_eq!(edit_target("vim", "/root"), None);
        assert_eq!(edit_target("vim a b", "/root"), None);
        assert_eq!(edit_target("vi x | cat", "/root"), None);
        assert_eq!(edit_target("cat x", "/root"), None);
    }

    #[test]
    fn the_runner_explains_heredocs() {
        let out = editor(&["vim".to_string(), "/tmp/a.yaml".to_string()]);
        assert_eq!(out.code, 1);
        assert!(
            out.stderr.contains("cat <<'EOF' > /tmp/a.yaml\n"),
            "{}",
            out.stderr
        );
    }
}
