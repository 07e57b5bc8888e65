//! Exact decimal numbers as written in a contract (`18446744073709551617`, `0.1`, `1e3`), so
//! bounds compare exactly and `1` equals `1.0`, whatever their size.

use std::cmp::Ordering;

/// A number kept as written, with an exact decimal value: `digits × 10^exp`.
#[derive(Debug, Clone)]
pub struct Num {
    text: Box<str>,
    neg: bool,
    /// Significant digits without leading or trailing zeros; empty for zero.
    digits: Box<[u8]>,
    exp: i64,
}

impl PartialEq for Num {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Num {}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    fn cmp(&self, o: &Self) -> Ordering {
        let sign = |n: &Num| {
            if n.digits.is_empty() {
                0
            } else if n.neg {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(o)) {
            Ordering::Equal if sign(self) == 0 => Ordering::Equal,
            Ordering::Equal => {
                let m = self.magnitude_cmp(o);
                if self.neg { m.reverse() } else { m }
            }
            other => other,
        }
    }
}

impl Num {
    /// Parses a JSON (or YAML decimal) number; `None` when the text is not one.
    pub fn parse(text: &str) -> Option<Num> {
        let t = text.strip_prefix('+').unwrap_or(text);
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let (mant, e) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], t[i + 1..].parse::<i64>().ok()?),
            None => (t, 0),
        };
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|c| c.is_ascii_digit())
            || !frac.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|c| c - b'0').collect();
        let mut exp = e.checked_sub(frac.len() as i64)?;
        let start = all.iter().position(|&d| d != 0).unwrap_or(all.len());
        let mut digits = all[start..].to_vec();
        while digits.last() == Some(&0) {
            digits.pop();
            exp += 1;
        }
        if digits.is_empty() {
            exp = 0;
        }
        Some(Num { text: text.into(), neg, digits: digits.into(), exp })
    }

    pub fn from_u64(n: u64) -> Num {
        Num::parse(&n.to_string()).expect("an integer parses")
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// A canonical text: equal numbers have equal keys (`1`, `1.0` and `10e-1` → `1e0`).
    pub fn key(&self) -> String {
        if self.digits.is_empty() {
            return "0".into();
        }
        let d: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("{}{d}e{}", if self.neg { "-" } else { "" }, self.exp)
    }

    pub fn is_integer(&self) -> bool {
        self.exp >= 0 || self.digits.is_empty()
    }

    pub fn as_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// The value as a `u64` when it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        if self.neg && !self.digits.is_empty() || !self.is_integer() {
            return None;
        }
        let mut v: u64 = 0;
        for &d in self.digits.iter() {
            v = v.checked_mul(10)?.checked_add(u64::from(d))?;
        }
        for _ in 0..self.exp {
            v = v.checked_mul(10)?;
        }
        Some(v)
    }

    fn magnitude_cmp(&self, o: &Num) -> Ordering {
        // Position of the most significant digit decides first.
        let top = |n: &Num| n.digits.len() as i64 + n.exp;
        top(self).cmp(&top(o)).then_with(|| {
            let n = self.digits.len().max(o.digits.len());
            (0..n)
                .map(|i| (self.digits.get(i).copied().unwrap_or(0), o.digits.get(i).copied().unwrap_or(0)))
                .fold(Ordering::Equal, |acc, (a, b)| if acc == Ordering::Equal { a.cmp(&b) } else { acc })
        })
    }

    /// Whether `self` is an integer multiple of `of` (exact while the digits fit 38 places).
    pub fn is_multiple_of(&self, of: &Num) -> bool {
        if of.digits.is_empty() {
            return false;
        }
        if self.digits.is_empty() {
            return true;
        }
        let e = self.exp.min(of.exp);
        let scaled = |n: &Num| -> Option<u128> {
            let mut v: u128 = 0;
            for &d in n.digits.iter() {
                v = v.checked_mul(10)?.checked_add(u128::from(d))?;
            }
            for _ in 0..(n.exp - e) {
                v = v.checked_mul(10)?;
            }
            Some(v)
        };
        match (scaled(self), scaled(of)) {
            (Some(a), Some(b)) => a % b == 0,
            _ => {
                let q = self.as_f64() / of.as_f64();
                (q - q.round()).abs() < 1e-9
            }
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap()
    }

    #[test]
    fn exact_order_and_equality() {
        assert_eq!(n("1"), n("1.0"));
        assert_eq!(n("10e-1"), n("1"));
        assert_eq!(n("-0"), n("0.0"));
        assert!(n("18446744073709551617") > n("18446744073709551616"));
        assert!(n("9007199254740993") > n("9007199254740992"));
        assert!(n("-5") < n("-4.5"));
        assert!(n("0.1") < n("0.11"));
        assert!(n("1e3") > n("999.9"));
        assert_eq!(n("1.50").key(), n("1.5").key());
        assert!(Num::parse("09x").is_none());
    }

    #[test]
    fn divisibility() {
        assert!(n("0.5").is_multiple_of(&n("0.1")));
        assert!(n("0.3").is_multiple_of(&n("0.1")));
        assert!(!n("0.1").is_multiple_of(&n("0.3")));
        assert!(n("6").is_multiple_of(&n("2")));
        assert!(!n("2").is_multiple_of(&n("6")));
        assert!(n("4").is_multiple_of(&n("0.25")));
    }
}
