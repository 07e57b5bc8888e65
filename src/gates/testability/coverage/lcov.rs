//! LCOV tracefiles (`SF:`, `DA:line,hits`, `end_of_record`), line by line.

use super::{Coverage, ParseError, read_line};
use std::io::BufRead;

pub fn parse<R: BufRead>(mut reader: R) -> Result<Coverage, ParseError> {
    let mut cov = Coverage::default();
    let mut buf = Vec::new();
    let mut current: Option<String> = None;
    let mut n = 0;
    loop {
        n += 1;
        let Some(line) = read_line(&mut reader, &mut buf, n)? else { break };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (tag, value) = line.split_once(':').unwrap_or((line, ""));
        match tag {
            "SF" => {
                if value.is_empty() {
                    return Err(ParseError::new(n, "`SF:` without a file name"));
                }
                current = Some(value.to_string());
            }
            "DA" => {
                let Some(file) = &current else {
                    return Err(ParseError::new(n, "`DA:` outside a record (no `SF:` before it)"));
                };
                let mut parts = value.split(',');
                let line_no = parts.next().and_then(|s| s.trim().parse::<u32>().ok());
                // Some tools write negative or fractional hit counts; anything non-numeric is corrupt.
                let hits = parts.next().and_then(|s| {
                    let s = s.trim();
                    s.parse::<u64>()
                        .ok()
                        .or_else(|| s.parse::<f64>().ok().map(|f| if f > 0.0 { f.ceil() as u64 } else { 0 }))
                });
                match (line_no, hits) {
                    (Some(l), Some(h)) => cov.add(file, l, h),
                    _ => {
                        return Err(ParseError::new(
                            n,
                            format!("malformed `DA:{value}` (expected `DA:<line>,<hits>`)"),
                        ));
                    }
                }
            }
            "end_of_record" => current = None,
            // TN, FN, FNDA, FNF, FNH, BRDA, BRF, BRH, LF, LH, VER...: not needed for line coverage.
            t if t.chars().all(|c| c.is_ascii_uppercase() || c == '_') && line.contains(':') => {}
            _ => return Err(ParseError::new(n, format!("unexpected LCOV line `{}`", short(line)))),
        }
    }
    Ok(cov)
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records() {
        let src = "TN:\nSF:/ci/src/a.rs\nFN:1,f\nDA:1,1\nDA:2,0\nDA:3,4,abcd\nLF:3\nLH:2\nend_of_record\nSF:src/b.rs\nDA:7,0\nend_of_record\n";
        let c = parse(src.as_bytes()).unwrap();
        assert_eq!(
            c.files["/ci/src/a.rs"].iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(),
            vec![(1, 1), (2, 0), (3, 4)]
        );
        assert_eq!(c.files["src/b.rs"][&7], 0);
    }

    #[test]
    fn corrupt_lines_name_the_line() {
        let e = parse("SF:a\nDA:1,1\nDA:x,1\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("malformed"), "{}", e.message);
        let e = parse("DA:1,1\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("SF:a\n\u{1}garbage here\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse(&b"SF:a\nDA:1,\xff\n"[..]).unwrap_err();
        assert_eq!(e.line, 2);
    }
}
