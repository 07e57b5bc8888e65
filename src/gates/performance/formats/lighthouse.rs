//! Lighthouse JSON: `audits.<id>.numericValue` (+ `numericUnit`) and `categories.<id>.score`.

use super::{Bench, input, json};
use crate::gates::GateError;
use crate::gates::performance::units::Dim;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Read when the policy lists no `audits`; those absent from a report are skipped.
pub const DEFAULT_AUDITS: &[&str] = &[
    "category:performance",
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
];

#[derive(Deserialize)]
struct Report {
    audits: BTreeMap<String, Audit>,
    #[serde(default)]
    categories: BTreeMap<String, Category>,
}

#[derive(Deserialize)]
struct Audit {
    #[serde(default, rename = "numericValue")]
    numeric_value: Option<f64>,
    #[serde(default, rename = "numericUnit")]
    numeric_unit: Option<String>,
}

#[derive(Deserialize)]
struct Category {
    score: Option<f64>,
}

pub fn parse(path: &str, bytes: &[u8], audits: &[String]) -> Result<Vec<Bench>, GateError> {
    let r: Report = json(path, bytes, "Lighthouse")?;
    let explicit = !audits.is_empty();
    let wanted: Vec<String> =
        if explicit { audits.to_vec() } else { DEFAULT_AUDITS.iter().map(|s| s.to_string()).collect() };
    let mut out = Vec::new();
    for id in wanted {
        if let Some(cat) = id.strip_prefix("category:") {
            match r.categories.get(cat).and_then(|c| c.score) {
                Some(score) => out.push(Bench::new(id.clone(), Dim::Score, score)),
                None if explicit => return Err(input(path, &format!("no score for category `{cat}` in the report"))),
                None => {}
            }
            continue;
        }
        match r.audits.get(&id).and_then(|a| a.numeric_value.map(|v| (v, a.numeric_unit.as_deref()))) {
            Some((v, unit)) => {
                let (dim, f) = match unit {
                    Some("millisecond") => (Dim::Time, 1e6),
                    Some("second") => (Dim::Time, 1e9),
                    Some("byte") => (Dim::Bytes, 1.0),
                    _ => (Dim::Count, 1.0),
                };
                out.push(Bench::new(id.clone(), dim, v * f));
            }
            None if explicit => {
                return Err(input(path, &format!("audit `{id}` has no numericValue in the report")));
            }
            None => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{"lighthouseVersion":"12.0.0","audits":{
        "first-contentful-paint":{"id":"first-contentful-paint","score":0.9,"numericValue":1234.5,"numericUnit":"millisecond"},
        "cumulative-layout-shift":{"score":1,"numericValue":0.02,"numericUnit":"unitless"},
        "total-byte-weight":{"score":1,"numericValue":204800,"numericUnit":"byte"},
        "viewport":{"score":1}},
      "categories":{"performance":{"score":0.93}}}"#;

    #[test]
    fn default_and_selected_audits() {
        let b = parse("lh.json", REPORT.as_bytes(), &[]).unwrap();
        let got: Vec<(&str, Dim, f64)> = b.iter().map(|b| (b.name.as_str(), b.dim, b.value)).collect();
        assert_eq!(
            got,
            [
                ("category:performance", Dim::Score, 0.93),
                ("first-contentful-paint", Dim::Time, 1234.5e6),
                ("cumulative-layout-shift", Dim::Count, 0.02)
            ]
        );
        let b = parse("lh.json", REPORT.as_bytes(), &["total-byte-weight".into()]).unwrap();
        assert_eq!((b[0].dim, b[0].value), (Dim::Bytes, 204800.0));
        let e = parse("lh.json", REPORT.as_bytes(), &["viewport".into()]).unwrap_err().to_string();
        assert!(e.contains("audit `viewport` has no numericValue"), "{e}");
    }

    #[test]
    fn real_report() {
        // tests/data/performance/lighthouse: Lighthouse 12.8.2 on a static page (trimmed).
        let j = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/performance/lighthouse/report.json"));
        let b = parse("report.json", j, &[]).unwrap();
        let got: Vec<(&str, Dim, f64)> = b.iter().map(|b| (b.name.as_str(), b.dim, b.value)).collect();
        assert_eq!(
            got,
            [
                ("category:performance", Dim::Score, 1.0),
                ("first-contentful-paint", Dim::Time, 649.6125e6),
                ("largest-contentful-paint", Dim::Time, 649.6125e6),
                ("total-blocking-time", Dim::Time, 3e6),
                ("cumulative-layout-shift", Dim::Count, 0.0),
                ("speed-index", Dim::Time, 649.6125e6)
            ]
        );
        let b = parse("report.json", j, &["interactive".into(), "total-byte-weight".into()]).unwrap();
        assert_eq!((b[0].value, b[1].dim, b[1].value), (702.6125e6, Dim::Bytes, 1044.0));
    }
}
