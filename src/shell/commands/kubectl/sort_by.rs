//! `--sort-by` (`staging/src/k8s.io/kubectl/pkg/cmd/get/sorter.go` v1.34): objects ordered by
//! the value a relaxed JSONPath finds in each, numbers numerically, strings in natural order
//! (digit runs compared as numbers), an object without the field first; a stable sort, so
//! equal keys keep the server's order.

use std::cmp::Ordering;

use serde_json::Value;

use super::jsonpath::JsonPath;
use super::output::relaxed_jsonpath;

/// Sorts `objects` by `spec`; the error is kubectl's message (without `error: `).
pub fn sort_objects(objects: &mut [Value], spec: &str) -> Result<(), String> {
    let template = relaxed_jsonpath(spec)?;
    let path = JsonPath::parse(&template)?;
    let key = |obj: &Value| -> Option<Value> {
        path.find_results(obj, true)
            .ok()
            .and_then(|groups| groups.into_iter().flatten().next())
    };
    let keys: Vec<Option<Value>> = objects.iter().map(key).collect();
    if !objects.is_empty() && keys.iter().all(Option::is_none) {
        return Err(format!(
            "couldn't find any field with path \"{template}\" in the list of objects"
        ));
    }
    let mut order: Vec<usize> = (0..objects.len()).collect();
    crate::sort::sort_by(&mut order, |a, b| {
        compare(keys[*a].as_ref(), keys[*b].as_ref())
    });
    let sorted: Vec<Value> = order.iter().map(|i| objects[*i].clone()).collect();
    for (slot, obj) in objects.iter_mut().zip(sorted) {
        *slot = obj;
    }
    Ok(())
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::String(x)), Some(Value::String(y))) => natural(x, y),
        (Some(x), Some(y)) => natural(&x.to_string(), &y.to_string()),
    }
}

/// `sortorder.NaturalLess`: runs of digits compare by value.
fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let xl = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let yl = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let xs = std::str::from_utf8(&x[..xl])
                    .unwrap_or("")
                    .trim_start_matches('0');
                let ys = std::str::from_utf8(&y[..yl])
                    .unwrap_or("")
                    .trim_start_matches('0');
                let ord = xs.len().cmp(&ys.len()).then_with(|| xs.cmp(ys));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[xl..];
                y = &y[yl..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_by_number_natural_string_and_missing_first() {
        let mut objs = vec![
            json!({"n": "web10", "r": 2}),
            json!({"n": "web9", "r": 10}),
            json!({"n": "web1"}),
        ];
        sort_objects(&mut objs, ".n").unwrap();
        let names: Vec<&str> = objs.iter().map(|o| o["n"].as_str().unwrap()).collect();
        assert_eq!(names, ["web1", "web9", "web10"]);
        sort_objects(&mut objs, "{.r}").unwrap();
        let names: Vec<&str> = objs.iter().map(|o| o["n"].as_str().unwrap()).collect();
        assert_eq!(names, ["web1", "web10", "web9"]);
        assert_eq!(
            sort_objects(&mut objs, ".nope"),
            Err("couldn't find any field with path \"{.nope}\" in the list of objects".to_string())
        );
    }
}
