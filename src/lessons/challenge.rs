//! A challenge's details drawn from the session's seed: which node, which path, which pod
//! name, which broken field. Each combination of its parameters' values is a variant; the
//! seed picks one, so the same seed (a saved session, a share link) gives the same challenge.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{Doc, Lesson, ParamValue};

/// How many variants `lesson` has (1 for a guided lesson), saturating.
pub fn variants(lesson: &Lesson<Doc>) -> u64 {
    lesson.challenge.as_ref().map_or(1, |c| {
        c.params.values().fold(1u64, |n, values| {
            n.saturating_mul(values.len().max(1) as u64)
        })
    })
}

/// The variant the session seed `seed` gives.
pub fn variant_for_seed(lesson: &Lesson<Doc>, seed: u64) -> u64 {
    mix(seed) % variants(lesson)
}

/// The values variant `n` draws: the digits of `n` in the mixed radix of the parameters'
/// value counts, in parameter-name order.
pub fn values(lesson: &Lesson<Doc>, n: u64) -> BTreeMap<String, ParamValue> {
    let mut out = BTreeMap::new();
    let Some(challenge) = &lesson.challenge else {
        return out;
    };
    let mut rest = n;
    for (name, values) in &challenge.params {
        let count = values.len().max(1) as u64;
        if let Some(value) = values.get((rest % count) as usize) {
            out.insert(name.clone(), value.clone());
        }
        rest /= count;
    }
    out
}

/// Variant `n` of `lesson`: every placeholder in every string replaced by its value (values
/// may hold placeholders one level deep). A guided lesson (or a variant already drawn) comes
/// back unchanged.
pub fn instantiate(lesson: &Lesson<Doc>, n: u64) -> Result<Lesson<Doc>, String> {
    if lesson.challenge.is_none() {
        return Ok(lesson.clone());
    }
    let values = values(lesson, n);
    let mut tree =
        serde_json::to_value(lesson).map_err(|e| format!("lesson {:?}: {e}", lesson.id))?;
    // Twice: a value may name another parameter (a broken manifest names the pod).
    substitute(&mut tree, &values);
    substitute(&mut tree, &values);
    serde_json::from_value(tree).map_err(|e| format!("lesson {:?}: {e}", lesson.id))
}

fn substitute(value: &mut Value, values: &BTreeMap<String, ParamValue>) {
    match value {
        Value::String(text) if text.contains("{{") => *text = fill(text, values),
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, values)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, values)),
        _ => (),
    }
}

/// `text` with each `{{name}}` / `{{name.field}}` replaced; an unknown one is left as written
/// (the compiler already refused it in the course's files).
fn fill(text: &str, values: &BTreeMap<String, ParamValue>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = after[..end].trim();
        let (name, field) = match key.split_once('.') {
            Some((name, field)) => (name, Some(field)),
            None => (key, None),
        };
        match (values.get(name), field) {
            (Some(ParamValue::Text(v)), None) => out.push_str(v),
            (Some(ParamValue::Fields(fields)), Some(field)) if fields.contains_key(field) => {
                out.push_str(&fields[field]);
            }
            _ => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// SplitMix64's finaliser: neighbouring seeds land on unrelated variants.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values_of(pairs: &[(&str, &str)]) -> BTreeMap<String, ParamValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), ParamValue::Text(v.to_string())))
            .collect()
    }

    #[test]
    fn placeholders_are_filled_and_fields_pick_a_part() {
        let mut values = values_of(&[("name", "bluebox"), ("node", "node01")]);
        values.insert(
            "fault".into(),
            ParamValue::Fields(
                [("bad".to_string(), "ngnix".to_string())]
                    .into_iter()
                    .collect(),
            ),
        );
        assert_eq!(
            fill("{{name}}-{{ node }} runs {{fault.bad}}", &values),
            "bluebox-node01 runs ngnix"
        );
        assert_eq!(
            fill("{{other}} and {{fault}}", &values),
            "{{other}} and {{fault}}"
        );
        assert_eq!(fill("open {{name", &values), "open {{name");
    }

    #[test]
    fn every_seed_lands_on_a_variant_and_seeds_spread() {
        let lesson = crate::lessons::catalogue::lessons()
            .iter()
            .find(|l| l.challenge.is_some())
            .expect("the course has challenges");
        let n = variants(lesson);
        assert!(n > 1, "{} draws nothing", lesson.id);
        let seen: std::collections::BTreeSet<u64> =
            (0..64).map(|seed| variant_for_seed(lesson, seed)).collect();
        assert!(seen.iter().all(|v| *v < n));
        assert!(seen.len() as u64 >= n.min(3), "64 seeds gave only {seen:?}");
        let instance = instantiate(lesson, 0).unwrap();
        let json = serde_json::to_string(&instance).unwrap();
        let leftover = json.matches("{{").count();
        assert_eq!(leftover, 0, "a drawn variant has no placeholders left");
        assert_eq!(
            instantiate(&instance, 1).unwrap(),
            instance,
            "drawing twice changes nothing"
        );
    }
}
