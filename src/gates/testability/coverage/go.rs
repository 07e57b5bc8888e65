//! Go `-coverprofile` output: `mode: set|count|atomic`, then
//! `path/file.go:startLine.startCol,endLine.endCol numStatements count` per block.

use super::{Coverage, ParseError, read_line};
use std::io::BufRead;

/// Every line a block spans gets the block's count; a line shared by blocks keeps the highest
/// (so a line is covered when any statement on it ran, as `go tool cover -html` shows it).
/// Blocks with zero statements are not executable code and are skipped.
pub fn parse<R: BufRead>(mut reader: R) -> Result<Coverage, ParseError> {
    let mut cov = Coverage::default();
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        n += 1;
        let Some(line) = read_line(&mut reader, &mut buf, n)? else { break };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(mode) = line.strip_prefix("mode:") {
            if !matches!(mode.trim(), "set" | "count" | "atomic") {
                return Err(ParseError::new(n, format!("unknown coverage mode `{}`", mode.trim())));
            }
            continue;
        }
        if n == 1 {
            return Err(ParseError::new(1, "a Go coverprofile starts with `mode: set|count|atomic`"));
        }
        let block = parse_block(line).ok_or_else(|| {
            ParseError::new(n, "malformed block (expected `file.go:line.col,line.col statements count`)")
        })?;
        let (file, start, end, stmts, count) = block;
        if stmts == 0 {
            continue;
        }
        if end < start || end - start > 1_000_000 {
            return Err(ParseError::new(n, format!("block ends (line {end}) before it starts (line {start})")));
        }
        for l in start..=end {
            cov.add(file, l, count);
        }
    }
    Ok(cov)
}

fn parse_block(line: &str) -> Option<(&str, u32, u32, u64, u64)> {
    let mut fields = line.rsplitn(3, ' ');
    let count: u64 = fields.next()?.parse().ok()?;
    let stmts: u64 = fields.next()?.parse().ok()?;
    let pos = fields.next()?;
    let (file, range) = pos.rsplit_once(':')?;
    let (a, b) = range.split_once(',')?;
    let start: u32 = a.split_once('.')?.0.parse().ok()?;
    let end: u32 = b.split_once('.')?.0.parse().ok()?;
    Some((file, start, end, stmts, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines() {
        let src = "mode: count\nexample.com/m/calc/calc.go:3.24,5.2 1 2\nexample.com/m/calc/calc.go:7.20,8.12 1 0\nexample.com/m/calc/calc.go:8.12,10.3 1 1\n";
        let c = parse(src.as_bytes()).unwrap();
        let f = &c.files["example.com/m/calc/calc.go"];
        assert_eq!(
            f.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(),
            vec![(3, 2), (4, 2), (5, 2), (7, 0), (8, 1), (9, 1), (10, 1)]
        );
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("mode: set\na.go:1.1,2.2 1\n".as_bytes()).unwrap_err().line, 2);
        assert_eq!(parse("mode: magic\n".as_bytes()).unwrap_err().line, 1);
        assert_eq!(parse("a.go:1.1,2.2 1 1\n".as_bytes()).unwrap_err().line, 1);
        assert_eq!(parse("mode: set\na.go:9.1,2.2 1 1\n".as_bytes()).unwrap_err().line, 2);
    }
}
