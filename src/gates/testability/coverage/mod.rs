//! Coverage reports: one streaming parser per format into one line-hit model, merging, and
//! mapping report paths onto repository paths.

pub mod go;
pub mod lcov;
pub mod llvm;
pub mod paths;
pub mod xml;

use std::collections::BTreeMap;
use std::io::BufRead;

/// Line hits per file, as the report names the file. A line present is executable; a line with
/// hits > 0 is covered.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub files: BTreeMap<String, BTreeMap<u32, u64>>,
    /// Source roots the report declares (Cobertura `<sources>`), tried when mapping paths.
    pub sources: Vec<String>,
}

impl Coverage {
    /// Records `hits` for `line`; a line reported twice (Cobertura repeats lines under methods,
    /// Go splits a line between blocks) keeps the highest count.
    pub fn add(&mut self, path: &str, line: u32, hits: u64) {
        if line == 0 {
            return;
        }
        let lines = match self.files.get_mut(path) {
            Some(l) => l,
            None => self.files.entry(path.to_string()).or_default(),
        };
        let h = lines.entry(line).or_insert(0);
        *h = (*h).max(hits);
    }
}

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Lcov,
    Cobertura,
    Jacoco,
    /// Go `-coverprofile` output.
    Go,
    /// `llvm-cov export -format=text` (also what `cargo llvm-cov --json` writes).
    LlvmJson,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Lcov => "lcov",
            Format::Cobertura => "cobertura",
            Format::Jacoco => "jacoco",
            Format::Go => "go",
            Format::LlvmJson => "llvm-json",
        }
    }
}

/// A parse error at a 1-based line of the report (0 when the position is unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        ParseError { line, message: message.into() }
    }
}

/// Guesses the format from the first bytes of the report.
pub fn sniff(head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("mode:") {
        return Some(Format::Go);
    }
    if t.starts_with('{') {
        return Some(Format::LlvmJson);
    }
    if t.starts_with('<') {
        // The root element decides: <coverage> is Cobertura, <report> is JaCoCo.
        let mut rest = t;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            if rest.starts_with('?') || rest.starts_with('!') {
                continue;
            }
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            return match name.as_str() {
                "coverage" => Some(Format::Cobertura),
                "report" => Some(Format::Jacoco),
                _ => None,
            };
        }
        return None;
    }
    if t.lines().take(20).any(|l| l.starts_with("SF:") || l.starts_with("TN:")) {
        return Some(Format::Lcov);
    }
    None
}

/// Parses a report of `format` from a buffered reader, streaming.
pub fn parse<R: BufRead>(format: Format, reader: R) -> Result<Coverage, ParseError> {
    match format {
        Format::Lcov => lcov::parse(reader),
        Format::Cobertura => xml::parse_cobertura(reader),
        Format::Jacoco => xml::parse_jacoco(reader),
        Format::Go => go::parse(reader),
        Format::LlvmJson => llvm::parse(reader),
    }
}

/// Reads one line into `buf` (cleared first), stripping `\n`/`\r\n`. `Ok(false)` at the end.
/// Invalid UTF-8 is an error naming the line.
pub(crate) fn read_line<'b, R: BufRead>(
    r: &mut R,
    buf: &'b mut Vec<u8>,
    n: usize,
) -> Result<Option<&'b str>, ParseError> {
    buf.clear();
    let read = r.read_until(b'\n', buf).map_err(|e| ParseError::new(n, format!("read failed: {e}")))?;
    if read == 0 {
        return Ok(None);
    }
    while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        buf.pop();
    }
    std::str::from_utf8(buf.as_slice()).map(Some).map_err(|_| ParseError::new(n, "not valid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_every_format() {
        assert_eq!(sniff(b"TN:\nSF:/a.rs\n"), Some(Format::Lcov));
        assert_eq!(sniff(b"mode: set\n"), Some(Format::Go));
        assert_eq!(sniff(b"{\"data\":[]}"), Some(Format::LlvmJson));
        assert_eq!(sniff(b"<?xml version=\"1.0\" ?>\n<!-- x -->\n<coverage>"), Some(Format::Cobertura));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"><report name=\"x\">"),
            Some(Format::Jacoco)
        );
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b"hello"), None);
    }

    #[test]
    fn add_keeps_the_highest_count() {
        let mut a = Coverage::default();
        a.add("x", 1, 0);
        a.add("x", 1, 5);
        a.add("x", 1, 2);
        a.add("x", 0, 9);
        assert_eq!(a.files["x"].iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(), vec![(1, 5)]);
    }
}
