//! The page's URL parameters, for course authors who link or embed the playground:
//! `lesson`, `step`, `lang`, `theme`, `embed=1`, `panes=`, `readonly=1`, `parentOrigin=`,
//! and a share link's `#s=` fragment. Parsed here as pure functions so they are tested natively.

use crate::ui::state::{Pane, Theme};

/// What the page's URL asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageParams {
    /// `lesson=ID`: start that lesson.
    pub lesson: Option<String>,
    /// `step=N` (1-based): open the lesson at that step, the earlier ones done.
    pub step: Option<usize>,
    /// `lang=TAG`.
    pub lang: Option<String>,
    /// `theme=dark|light`.
    pub theme: Option<Theme>,
    /// `embed=1`: the compact layout for an iframe.
    pub embed: bool,
    /// `panes=terminal,editor,…`: the panes shown (all, when absent).
    pub panes: Option<Vec<Pane>>,
    /// `readonly=1`: a demo; the terminal and the editor take no input.
    pub readonly: bool,
    /// `parentOrigin=ORIGIN`: the only origin the embed protocol talks to.
    pub parent_origin: Option<String>,
    /// `#s=…`: a shared session.
    pub share: Option<String>,
    /// `lesson-url=URL`: an author's compiled lesson to fetch and take.
    pub lesson_url: Option<String>,
}

/// Reads `search` (`?a=b&c=d`, with or without the `?`) and `hash` (`#s=…`).
pub fn parse(search: &str, hash: &str) -> PageParams {
    let mut params = PageParams::default();
    for (key, value) in pairs(search.trim_start_matches('?')) {
        match key.as_str() {
            "lesson" if !value.is_empty() => params.lesson = Some(value),
            "step" => params.step = value.parse().ok().filter(|n| *n >= 1),
            "lang" if !value.is_empty() => params.lang = Some(value),
            "theme" => {
                params.theme = match value.as_str() {
                    "dark" => Some(Theme::Dark),
                    "light" => Some(Theme::Light),
                    _ => None,
                }
            }
            "embed" => params.embed = truthy(&value),
            "readonly" => params.readonly = truthy(&value),
            "panes" => params.panes = Some(panes(&value)),
            "parentOrigin" if !value.is_empty() => params.parent_origin = Some(value),
            "lesson-url" if !value.is_empty() => params.lesson_url = Some(value),
            _ => (),
        }
    }
    for (key, value) in pairs(hash.trim_start_matches('#')) {
        if key == "s" && !value.is_empty() {
            params.share = Some(value);
        }
    }
    params
}

fn truthy(value: &str) -> bool {
    matches!(value, "1" | "true" | "yes" | "")
}

/// `terminal,editor,nodes,pods,lesson` in any order; unknown names are skipped; the terminal
/// always shows.
fn panes(value: &str) -> Vec<Pane> {
    let mut out = vec![Pane::Terminal];
    for name in value.split(',') {
        let pane = match name.trim() {
            "editor" => Pane::Editor,
            "nodes" => Pane::Nodes,
            "pods" => Pane::Pods,
            "lesson" => Pane::Lesson,
            _ => continue,
        };
        if !out.contains(&pane) {
            out.push(pane);
        }
    }
    out
}

/// `a=b&c=d` as decoded pairs (`+` is a space, `%XX` a byte).
fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_is_read() {
        let params = parse(
            "?lesson=mirror-mirror&step=2&lang=zh-CN&theme=dark&embed=1&panes=editor,pods,bogus&readonly=1&parentOrigin=https%3A%2F%2Fcourse.example&lesson-url=https://t.example/l.json",
            "#s=1.abc",
        );
        assert_eq!(
            params,
            PageParams {
                lesson: Some("mirror-mirror".into()),
                step: Some(2),
                lang: Some("zh-CN".into()),
                theme: Some(Theme::Dark),
                embed: true,
                panes: Some(vec![Pane::Terminal, Pane::Editor, Pane::Pods]),
                readonly: true,
                parent_origin: Some("https://course.example".into()),
                share: Some("1.abc".into()),
                lesson_url: Some("https://t.example/l.json".into()),
            }
        );
    }

    #[test]
    fn nonsense_is_ignored() {
        let params = parse("step=0&theme=purple&embed=0&x=%zz&lesson=", "");
        assert_eq!(params, PageParams::default());
        assert_eq!(parse("step=abc", "#t=1").step, None);
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("%中"), "%中", "a % before a non-ASCII character");
        assert_eq!(decode("%E4%B8%AD+x"), "中 x");
    }
}
