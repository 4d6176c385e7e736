//! Which fields a Kubernetes type accepts at each place of an object, and the closest one to
//! a misspelt name ("did you mean").
//!
//! The field lists come from the types' own deserializers: every generated struct hands the
//! names it knows to `deserialize_struct`, so decoding an object through a deserializer that
//! writes those lists down (`apiserver::go_decode`'s walker, the one the kubelet runs to word
//! its decode errors) tells, for each object in it, what could have been written there.
//! Nothing is listed by hand, so the suggestions always match the decoder the kubelet uses.

pub use crate::apiserver::go_decode::struct_fields;

/// The candidate closest to `name`, if it is close enough to be a slip of the keyboard:
/// letters swapped, dropped, doubled or mistyped, or the wrong case.
pub fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    // Short names get less room: "nmae" is "name", but "arg" is not "env".
    let allowed = match wanted.len() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if *candidate == name {
            continue;
        }
        let other: Vec<char> = candidate.to_lowercase().chars().collect();
        let distance = edit_distance(&wanted, &other);
        if distance > allowed {
            continue;
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost one.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let fields = ["image", "imagePullPolicy", "name", "env", "envFrom", "args"];
        assert_eq!(
            did_you_mean("imagePullPolcy", &fields),
            Some("imagePullPolicy")
        );
        assert_eq!(
            did_you_mean("ImagePullPolicy", &fields),
            Some("imagePullPolicy")
        );
        assert_eq!(did_you_mean("nmae", &fields), Some("name"));
        assert_eq!(did_you_mean("imgae", &fields), Some("image"));
        assert_eq!(did_you_mean("volumes", &fields), None);
        assert_eq!(did_you_mean("arg", &fields), Some("args"));
        assert_eq!(did_you_mean("xyz", &fields), None);
    }
}
