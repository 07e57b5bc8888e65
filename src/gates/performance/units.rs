//! Quantities with units: durations (normalised to ns), sizes (bytes), rates (per second),
//! counts and scores. Parsed from policy strings (`"200 ms"`, `"12 MB"`, `"10k ops/s"`, `"5%"`)
//! and from the unit names result files use.

use std::fmt;

/// What a figure measures; only figures of the same dimension are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dim {
    /// Nanoseconds; lower is better.
    Time,
    /// Bytes; lower is better.
    Bytes,
    /// Operations (or bytes) per second; higher is better.
    Rate,
    /// A plain count (allocations per op, requests...); lower is better.
    Count,
    /// A score (Lighthouse category, 0..1); higher is better.
    Score,
}

impl Dim {
    pub fn higher_is_better(self) -> bool {
        matches!(self, Dim::Rate | Dim::Score)
    }

    /// Whether a budget in `self` applies to a figure in `other`: the same dimension, or two
    /// unitless ones (a budget written `"0.9"` is a count, a Lighthouse category a score).
    pub fn comparable(self, other: Dim) -> bool {
        self == other || matches!((self, other), (Dim::Count | Dim::Score, Dim::Count | Dim::Score))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dim::Time => "time",
            Dim::Bytes => "bytes",
            Dim::Rate => "rate",
            Dim::Count => "count",
            Dim::Score => "score",
        }
    }
}

/// A value in the canonical unit of its dimension (ns, B, 1/s, 1, score).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub dim: Dim,
}

/// The factor to the canonical unit for a unit name, or `None` if unknown. Decimal prefixes
/// (`kB`, `MB`) are powers of 1000, binary ones (`KiB`, `MiB`) powers of 1024.
pub fn unit(name: &str) -> Option<(Dim, f64)> {
    let u = name.trim();
    let time = |s: &str| -> Option<f64> {
        Some(match s {
            "ns" | "nanosecond" | "nanoseconds" => 1.0,
            "us" | "µs" | "μs" | "microsecond" | "microseconds" => 1e3,
            "ms" | "millisecond" | "milliseconds" => 1e6,
            "s" | "sec" | "second" | "seconds" => 1e9,
            "min" | "minute" | "minutes" => 60e9,
            _ => return None,
        })
    };
    let bytes = |s: &str| -> Option<f64> {
        Some(match s {
            "B" | "b" | "byte" | "bytes" => 1.0,
            "kB" | "KB" | "kb" => 1e3,
            "MB" | "mb" => 1e6,
            "GB" | "gb" => 1e9,
            "KiB" => 1024.0,
            "MiB" => 1024.0 * 1024.0,
            "GiB" => 1024.0 * 1024.0 * 1024.0,
            _ => return None,
        })
    };
    if let Some(f) = time(u) {
        return Some((Dim::Time, f));
    }
    if let Some(f) = bytes(u) {
        return Some((Dim::Bytes, f));
    }
    // Rates: `ops/s`, `kops/s`, `Mops/s`, `B/s`, `MB/s`, `items/s`, `req/s`, `1/s`, `Hz`.
    if let Some(per) = u.strip_suffix("/s").or_else(|| u.strip_suffix("/sec")) {
        let per = per.trim();
        if let Some(f) = bytes(per) {
            return Some((Dim::Rate, f));
        }
        for (prefix, f) in [("", 1.0), ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9)] {
            if let Some(rest) = per.strip_prefix(prefix) {
                if matches!(rest, "ops" | "op" | "items" | "iter" | "iters" | "req" | "requests" | "1") {
                    return Some((Dim::Rate, f));
                }
            }
        }
        return None;
    }
    match u {
        "Hz" | "hz" => Some((Dim::Rate, 1.0)),
        "" | "count" | "allocs" | "allocs/op" | "unitless" | "element" | "elements" | "x" => Some((Dim::Count, 1.0)),
        "score" => Some((Dim::Score, 1.0)),
        _ => None,
    }
}

/// Parses `"200 ms"`, `"1.5s"`, `"12 MB"`, `"10k ops/s"`, `"3"`; a `k`/`M`/`G` suffix on the
/// number multiplies it (`10k ops/s` is 10,000 ops/s).
pub fn parse_quantity(text: &str) -> Result<Quantity, String> {
    let t = text.trim();
    let split = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '_' || *c == '-' || *c == '+' || *c == 'e'))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    // `1e3` is a number, but `e` could start a unit; only the digits decide here.
    let (num, rest) = t.split_at(split);
    let number: f64 = num.replace('_', "").parse().map_err(|_| {
        format!("`{text}` is not a quantity: expected a number and a unit such as `200 ms`, `12 MB` or `10k ops/s`")
    })?;
    let mut rest = rest.trim_start();
    let mut mult = 1.0;
    // A bare multiplier followed by a space or a unit that is not a byte unit: `10k ops/s`, `2M`.
    for (p, f) in [("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9)] {
        if let Some(r) = rest.strip_prefix(p) {
            if r.is_empty() || r.starts_with(' ') {
                mult = f;
                rest = r.trim_start();
                break;
            }
        }
    }
    let (dim, factor) = unit(rest).ok_or_else(|| {
        format!(
            "unknown unit `{rest}` in `{text}` (use ns/us/ms/s, B/kB/MB/GB/KiB/MiB, ops/s, MB/s, or none for a count)"
        )
    })?;
    if !number.is_finite() {
        return Err(format!("`{text}` is not a finite number"));
    }
    Ok(Quantity { value: number * mult * factor, dim })
}

/// Parses `"5%"` (or `"5 %"`) to 0.05.
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let num = t.strip_suffix('%').ok_or_else(|| format!("`{text}` must be a percentage such as `5%`"))?;
    let v: f64 = num.trim().parse().map_err(|_| format!("`{text}` must be a percentage such as `5%`"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!("`{text}` must be a non-negative percentage"));
    }
    Ok(v / 100.0)
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_value(self.value, self.dim))
    }
}

/// Human form of a canonical value: `1.23 ms`, `4.5 MB`, `12.3k ops/s`.
pub fn format_value(v: f64, dim: Dim) -> String {
    fn scaled(v: f64, steps: &[(f64, &str)]) -> String {
        let a = v.abs();
        let (div, name) = steps.iter().rev().find(|(d, _)| a >= *d).copied().unwrap_or(steps[0]);
        format!("{} {name}", sig(v / div))
    }
    match dim {
        Dim::Time => scaled(v, &[(1.0, "ns"), (1e3, "µs"), (1e6, "ms"), (1e9, "s")]),
        Dim::Bytes => scaled(v, &[(1.0, "B"), (1e3, "kB"), (1e6, "MB"), (1e9, "GB")]),
        Dim::Rate => {
            let (div, p) =
                [(1e9, "G"), (1e6, "M"), (1e3, "k")].into_iter().find(|(d, _)| v.abs() >= *d).unwrap_or((1.0, ""));
            format!("{}{p} ops/s", sig(v / div))
        }
        Dim::Count => sig(v),
        Dim::Score => sig(v),
    }
}

/// Three significant digits, without a trailing `.0`.
fn sig(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    };
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> (f64, Dim) {
        let q = parse_quantity(s).unwrap();
        (q.value, q.dim)
    }

    #[test]
    fn parses_policy_quantities() {
        assert_eq!(q("200 ms"), (2e8, Dim::Time));
        assert_eq!(q("1.5s"), (1.5e9, Dim::Time));
        assert_eq!(q("250ns"), (250.0, Dim::Time));
        assert_eq!(q("3 µs"), (3000.0, Dim::Time));
        assert_eq!(q("12 MB"), (12e6, Dim::Bytes));
        assert_eq!(q("12MiB"), (12.0 * 1024.0 * 1024.0, Dim::Bytes));
        assert_eq!(q("10k ops/s"), (1e4, Dim::Rate));
        assert_eq!(q("2 Mops/s"), (2e6, Dim::Rate));
        assert_eq!(q("100 MB/s"), (1e8, Dim::Rate));
        assert_eq!(q("3"), (3.0, Dim::Count));
        assert_eq!(q("2k"), (2000.0, Dim::Count));
        assert_eq!(q("1_000 B"), (1000.0, Dim::Bytes));
    }

    #[test]
    fn rejects_bad_quantities() {
        for bad in ["", "ms", "12 parsecs", "fast", "1.2.3 s", "5%"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
        assert!(parse_quantity("12 parsecs").unwrap_err().contains("unknown unit `parsecs`"));
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("5%").unwrap(), 0.05);
        assert_eq!(parse_percent(" 2.5 % ").unwrap(), 0.025);
        assert!(parse_percent("5").is_err());
        assert!(parse_percent("-1%").is_err());
    }

    #[test]
    fn formats_with_scaled_units() {
        assert_eq!(format_value(1_234_567.0, Dim::Time), "1.23 ms");
        assert_eq!(format_value(512.0, Dim::Time), "512 ns");
        assert_eq!(format_value(2.5e9, Dim::Time), "2.5 s");
        assert_eq!(format_value(12_300_000.0, Dim::Bytes), "12.3 MB");
        assert_eq!(format_value(12_300.0, Dim::Rate), "12.3k ops/s");
        assert_eq!(format_value(5.0, Dim::Rate), "5 ops/s");
        assert_eq!(format_value(0.93, Dim::Score), "0.93");
    }
}
