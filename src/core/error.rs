//! Policy errors that point at `file:line:col`, show the line, and suggest the likely fix.

use std::fmt;

/// One step of a key path inside the policy (`patterns.forbid[2].pattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl From<&str> for Seg {
    fn from(s: &str) -> Self {
        Seg::Key(s.to_string())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

pub fn display_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub file: String,
    /// 1-based; 0 when the position is unknown.
    pub line: usize,
    pub col: usize,
    /// Where in the policy the problem is, as a key path (`patterns.forbid[0].pattern`).
    pub key: Vec<Seg>,
    pub message: String,
    pub suggestion: Option<String>,
    /// The offending source line and the width of the marker under it.
    pub snippet: Option<(String, usize)>,
}

impl PolicyError {
    /// An error at a key path; the loader fills in file, line and column.
    pub fn at(key: Vec<Seg>, message: impl Into<String>) -> Self {
        PolicyError {
            file: String::new(),
            line: 0,
            col: 0,
            key,
            message: message.into(),
            suggestion: None,
            snippet: None,
        }
    }

    pub fn in_file(file: &str, message: impl Into<String>) -> Self {
        PolicyError { file: file.to_string(), ..PolicyError::at(Vec::new(), message) }
    }

    /// Sets line, column and snippet from a byte span of `text`.
    pub fn with_span(mut self, file: &str, text: &str, span: std::ops::Range<usize>) -> Self {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        self.file = file.to_string();
        self.line = text[..start].matches('\n').count() + 1;
        self.col = text[line_start..start].chars().count() + 1;
        let src_line = text[line_start..line_end].trim_end_matches('\r').to_string();
        let width = text[start..span.end.min(line_end).max(start)].chars().count().max(1);
        self.snippet = Some((src_line, width));
        self
    }

    pub fn with_suggestion(mut self, s: Option<String>) -> Self {
        self.suggestion = s;
        self
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.line) {
            (true, _) => {}
            (false, 0) => write!(f, "{}: ", self.file)?,
            (false, line) => write!(f, "{}:{}:{}: ", self.file, line, self.col)?,
        }
        if !self.key.is_empty() {
            write!(f, "`{}`: ", display_path(&self.key))?;
        }
        write!(f, "{}", self.message)?;
        if let Some((src, width)) = &self.snippet {
            let n = self.line.to_string();
            let pad = " ".repeat(n.len());
            let indent: String =
                src.chars().take(self.col.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            write!(f, "\n {pad} |\n {n} | {src}\n {pad} | {indent}{}", "^".repeat(*width))?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, "\n  help: did you mean `{s}`?")?;
        }
        Ok(())
    }
}

/// Every problem found in a policy, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyErrors(pub Vec<PolicyError>);

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {e}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} in the policy", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for PolicyErrors {}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant") and
/// returns the closest expected name.
pub fn suggest_from_message(message: &str) -> Option<String> {
    let (kind_at, _) = ["unknown field `", "unknown variant `"]
        .iter()
        .filter_map(|p| message.find(p).map(|i| (i + p.len(), p)))
        .next()?;
    let rest = &message[kind_at..];
    let got = &rest[..rest.find('`')?];
    let expected_at = rest.find("expected")?;
    let candidates: Vec<&str> = rest[expected_at..].split('`').skip(1).step_by(2).collect();
    closest(got, candidates)
}

/// The candidate nearest to `got` by edit distance, if it is plausibly a typo of it.
pub fn closest<'a>(got: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let got_norm = got.to_ascii_lowercase().replace('-', "_");
    candidates
        .into_iter()
        .map(|c| (edit_distance(&got_norm, &c.to_ascii_lowercase().replace('-', "_")), c))
        .filter(|(d, c)| *d <= (c.len().max(got.len()) / 3).max(2) && *d < c.len().max(got.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos() {
        let m = "unknown field `min_pach`, expected one of `reports`, `min_patch`, `min_project`";
        assert_eq!(suggest_from_message(m).as_deref(), Some("min_patch"));
        let m = "unknown variant `blok`, expected one of `block`, `warn`, `off`";
        assert_eq!(suggest_from_message(m).as_deref(), Some("block"));
        let m = "unknown field `zzzzzz`, expected `rule`";
        assert_eq!(suggest_from_message(m), None);
        assert_eq!(closest("on-error", ["on_error", "mode"]).as_deref(), Some("on_error"));
    }
}
