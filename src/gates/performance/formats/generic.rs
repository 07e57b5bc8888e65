//! Tool-neutral results: JSON `[{"name", "value", "unit", "samples"?}]` (or that list under
//! `"benchmarks"`), and CSV `name,value,unit` with a header line.

use super::{Bench, input, json};
use crate::gates::GateError;
use crate::gates::performance::units::unit;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(untagged)]
enum File {
    List(Vec<Entry>),
    Wrapped { benchmarks: Vec<Entry> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    value: f64,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    samples: Vec<f64>,
}

pub fn parse_json(path: &str, bytes: &[u8]) -> Result<Vec<Bench>, GateError> {
    // Untagged enums hide the reason; try the list shape first for a precise error.
    let entries = match json::<File>(path, bytes, "results") {
        Ok(File::List(l)) | Ok(File::Wrapped { benchmarks: l }) => l,
        Err(_) => {
            let v: serde_json::Value = json(path, bytes, "results")?;
            let list = v.get("benchmarks").cloned().unwrap_or(v);
            serde_json::from_value::<Vec<Entry>>(list).map_err(|e| {
                input(path, &format!("expected a list of {{\"name\", \"value\", \"unit\", \"samples\"?}}: {e}"))
            })?
        }
    };
    entries
        .into_iter()
        .map(|e| {
            let (dim, f) = unit(&e.unit)
                .ok_or_else(|| input(path, &format!("benchmark `{}` has an unknown unit `{}`", e.name, e.unit)))?;
            Ok(Bench::new(e.name, dim, e.value * f).with_samples(e.samples.iter().map(|s| s * f).collect()))
        })
        .collect()
}

pub fn parse_csv(path: &str, bytes: &[u8]) -> Result<Vec<Bench>, GateError> {
    let text = std::str::from_utf8(bytes).map_err(|e| input(path, &format!("not UTF-8 text: {e}")))?;
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else { return Ok(Vec::new()) };
    let cols: Vec<String> = split_csv(header).iter().map(|c| c.trim().to_ascii_lowercase()).collect();
    let col = |name: &str| cols.iter().position(|c| c == name);
    let (Some(name_col), Some(value_col)) = (col("name"), col("value")) else {
        return Err(input(path, "line 1: the header must name the columns `name`, `value` and optionally `unit`"));
    };
    let unit_col = col("unit");
    let mut out = Vec::new();
    for (i, line) in lines {
        let at = |msg: String| input(path, &format!("line {}: {msg}", i + 1));
        let fields = split_csv(line);
        let get = |c: usize| fields.get(c).map(|s| s.trim()).unwrap_or("");
        let name = get(name_col);
        if name.is_empty() {
            return Err(at("empty benchmark name".into()));
        }
        let value: f64 = get(value_col).parse().map_err(|_| at(format!("`{}` is not a number", get(value_col))))?;
        let unit_name = unit_col.map(get).unwrap_or("");
        let (dim, f) = unit(unit_name).ok_or_else(|| at(format!("unknown unit `{unit_name}`")))?;
        out.push(Bench::new(name, dim, value * f));
    }
    Ok(out)
}

/// Splits one CSV line; fields may be double-quoted (`""` is a quote inside one).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        let cur = fields.last_mut().expect("never empty");
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => cur.push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::performance::units::Dim;

    #[test]
    fn json_list_or_wrapped() {
        let a = parse_json("r.json", br#"[{"name":"parse","value":1.5,"unit":"ms","samples":[1.4,1.6]}]"#).unwrap();
        assert_eq!((a[0].dim, a[0].value, a[0].samples.clone()), (Dim::Time, 1.5e6, vec![1.4e6, 1.6e6]));
        let b = parse_json("r.json", br#"{"benchmarks":[{"name":"bundle","value":12,"unit":"kB"}]}"#).unwrap();
        assert_eq!((b[0].dim, b[0].value), (Dim::Bytes, 12e3));
        let e = parse_json("r.json", br#"[{"name":"x","value":"fast"}]"#).unwrap_err().to_string();
        assert!(e.starts_with("r.json: expected a list"), "{e}");
        let e = parse_json("r.json", br#"[{"name":"x","value":1,"unit":"furlong"}]"#).unwrap_err().to_string();
        assert!(e.contains("unknown unit `furlong`"), "{e}");
        let e = parse_json("r.json", b"[{\"name\":").unwrap_err().to_string();
        assert!(e.contains("line 1 column"), "{e}");
    }

    #[test]
    fn csv_with_header_quotes_and_line_numbers() {
        let b = parse_csv("r.csv", b"name,value,unit\n\"a,b\",3,ms\nops,10,kops/s\n").unwrap();
        assert_eq!((b[0].name.as_str(), b[0].value), ("a,b", 3e6));
        assert_eq!((b[1].dim, b[1].value), (Dim::Rate, 1e4));
        let e = parse_csv("r.csv", b"name,value\nx,1\ny,abc\n").unwrap_err().to_string();
        assert_eq!(e, "r.csv: line 3: `abc` is not a number");
        assert!(parse_csv("r.csv", b"bench,ms\n").unwrap_err().to_string().contains("line 1"));
    }
}
