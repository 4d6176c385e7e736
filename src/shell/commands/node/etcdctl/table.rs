//! The ASCII tables `-w table` prints, as `github.com/olekukonko/tablewriter` v0.0.5 draws
//! them for etcdctl: a `+---+` border, headers upper-cased and centred, cells right-aligned
//! (`SetAlignment(ALIGN_RIGHT)`), one space of padding each side.
//!
//! Simplified: tablewriter wraps cells longer than 30 characters at spaces; no cell the
//! playground prints is that long with a space in it.

/// The table for `header` and `rows`.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let header: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (idx, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(idx) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let line: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(w + 2)))
        .collect::<String>()
        + "+\n";
    let mut out = line.clone();
    for (idx, title) in header.iter().enumerate() {
        let gap = widths[idx] - title.chars().count();
        let left = gap / 2;
        out.push_str(&format!(
            "| {}{title}{} ",
            " ".repeat(left),
            " ".repeat(gap - left)
        ));
    }
    out.push_str("|\n");
    out.push_str(&line);
    for row in rows {
        for (idx, width) in widths.iter().enumerate() {
            let cell = row.get(idx).map_or("", String::as_str);
            out.push_str(&format!("| {cell:>width$} "));
        }
        out.push_str("|\n");
    }
    // The bottom border comes even with no rows, right under the header's.
    out.push_str(&line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_centre_and_cells_align_right() {
        let table = render(
            &["ID", "Status", "Is Learner"],
            &[vec![
                "8e9e05c52164694d".into(),
                "started".into(),
                "false".into(),
            ]],
        );
        assert_eq!(
            table,
            "+------------------+---------+------------+\n\
             |        ID        | STATUS  | IS LEARNER |\n\
             +------------------+---------+------------+\n\
             | 8e9e05c52164694d | started |      false |\n\
             +------------------+---------+------------+\n"
        );
    }
}
