//! The one unified-diff parser. Reads `git diff` output (renames, copies, modes, binary patches,
//! quoted paths) and plain `diff -u` output, byte-oriented so non-UTF-8 content never fails.

use super::{ChangeSet, ChangedFile, FileStatus, Hunk, Line, LineKind, Rev};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    #[error("diff line {line}: {message}")]
    Malformed { line: usize, message: String },
    /// Text with no file section at all: reading it as "no change" would pass anything.
    #[error("not a unified diff: no `diff --git` or `---`/`+++` file header in {lines} line(s) of text")]
    NotADiff { lines: usize },
}

fn malformed(line: usize, message: impl Into<String>) -> DiffError {
    DiffError::Malformed { line, message: message.into() }
}

/// Parses a whole unified diff.
pub fn parse_diff(input: &[u8], base: Rev, head: Rev) -> Result<ChangeSet, DiffError> {
    let mut p = Parser { lines: split_lines(input), pos: 0, files: Vec::new() };
    p.run()?;
    if p.files.is_empty() && input.iter().any(|b| !b.is_ascii_whitespace()) {
        return Err(DiffError::NotADiff { lines: p.lines.len() });
    }
    Ok(ChangeSet { base, head, files: p.files })
}

/// Splits on `\n`, keeping any `\r` for the caller to judge.
fn split_lines(input: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

struct Parser<'a> {
    lines: Vec<&'a [u8]>,
    pos: usize,
    files: Vec<ChangedFile>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a [u8]> {
        self.lines.get(self.pos).copied()
    }

    fn run(&mut self) -> Result<(), DiffError> {
        while let Some(line) = self.peek() {
            if line.starts_with(b"diff --git ") {
                self.git_file()?;
                self.after_file()?;
            } else if line.starts_with(b"--- ") && self.lines.get(self.pos + 1).is_some_and(|n| n.starts_with(b"+++ "))
            {
                self.plain_file()?;
                self.after_file()?;
            } else if line.starts_with(b"diff --cc ") || line.starts_with(b"diff --combined ") {
                return Err(malformed(self.pos + 1, "a combined diff (of a merge commit) is not a pull-request diff"));
            } else if line.starts_with(b"@@ -") || line.starts_with(b"@@@ -") {
                return Err(malformed(
                    self.pos + 1,
                    "hunk header outside a file (no `diff --git` or `---`/`+++` header before it)",
                ));
            } else {
                // Preamble (commit message of `git format-patch`, `diff -r` lines, `Only in`...).
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// One `diff --git` section: extended headers, then hunks or a binary marker.
    fn git_file(&mut self) -> Result<(), DiffError> {
        let header_no = self.pos + 1;
        let header = self.lines[self.pos];
        self.pos += 1;
        let (mut old_path, mut new_path) = match git_header_paths(&header[b"diff --git ".len()..]) {
            Some((a, b)) => (Some(a), Some(b)),
            None => (None, None),
        };
        let mut file = ChangedFile::default();
        let mut from_dev_null = false;
        let mut to_dev_null = false;
        while let Some(line) = self.peek() {
            if line.starts_with(b"diff --git ") || line.starts_with(b"@@") {
                break;
            }
            let line_no = self.pos + 1;
            let text = lossy(trim_cr(line));
            if !is_git_header(&text) {
                // The end of this file's headers: what follows is judged by `after_file`.
                break;
            }
            self.pos += 1;
            if let Some(rest) = text.strip_prefix("old mode ") {
                file.old_mode = Some(mode(line_no, rest)?);
            } else if let Some(rest) = text.strip_prefix("new mode ") {
                file.new_mode = Some(mode(line_no, rest)?);
            } else if let Some(rest) = text.strip_prefix("new file mode ") {
                file.status = FileStatus::Added;
                file.new_mode = Some(mode(line_no, rest)?);
            } else if let Some(rest) = text.strip_prefix("deleted file mode ") {
                file.status = FileStatus::Deleted;
                file.old_mode = Some(mode(line_no, rest)?);
            } else if let Some(rest) = text.strip_prefix("rename from ") {
                file.status = FileStatus::Renamed;
                old_path = Some(unquote(rest));
            } else if let Some(rest) = text.strip_prefix("rename to ") {
                new_path = Some(unquote(rest));
            } else if let Some(rest) = text.strip_prefix("copy from ") {
                file.status = FileStatus::Copied;
                old_path = Some(unquote(rest));
            } else if let Some(rest) = text.strip_prefix("copy to ") {
                new_path = Some(unquote(rest));
            } else if text.starts_with("Binary files ") || text == "GIT binary patch" {
                file.binary = true;
                if text == "GIT binary patch" {
                    self.skip_binary_patch();
                }
            } else if let Some(rest) = text.strip_prefix("--- ") {
                match strip_prefix_path(rest, "a/") {
                    Some(p) => old_path = Some(p),
                    None => from_dev_null = true,
                }
            } else if let Some(rest) = text.strip_prefix("+++ ") {
                match strip_prefix_path(rest, "b/") {
                    Some(p) => new_path = Some(p),
                    None => to_dev_null = true,
                }
            }
            // `index`, `similarity index`, `dissimilarity index` carry nothing we need.
        }
        if from_dev_null && file.status == FileStatus::Modified {
            file.status = FileStatus::Added;
        }
        if to_dev_null && file.status == FileStatus::Modified {
            file.status = FileStatus::Deleted;
        }
        let (old_path, new_path) = match (old_path, new_path) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) | (None, Some(a)) => (a.clone(), a),
            (None, None) => return Err(malformed(header_no, "cannot tell the file's path from `diff --git` header")),
        };
        if old_path.is_empty() || new_path.is_empty() {
            return Err(malformed(header_no, "a file without a name"));
        }
        file.path = if file.status == FileStatus::Deleted { old_path.clone() } else { new_path.clone() };
        if matches!(file.status, FileStatus::Renamed | FileStatus::Copied)
            || old_path != new_path && file.status == FileStatus::Modified
        {
            if file.status == FileStatus::Modified {
                file.status = FileStatus::Renamed;
            }
            file.old_path = Some(old_path);
        }
        self.hunks(&mut file)?;
        self.files.push(file);
        Ok(())
    }

    /// A file of `diff -u` output: `---`/`+++` then hunks.
    fn plain_file(&mut self) -> Result<(), DiffError> {
        let old = lossy(trim_cr(self.lines[self.pos]))[4..].to_string();
        let new = lossy(trim_cr(self.lines[self.pos + 1]))[4..].to_string();
        self.pos += 2;
        let mut file = ChangedFile::default();
        let old_path = plain_path(&old);
        let new_path = plain_path(&new);
        match (old_path, new_path) {
            (None, Some(n)) => {
                file.status = FileStatus::Added;
                file.path = n;
            }
            (Some(o), None) => {
                file.status = FileStatus::Deleted;
                file.path = o;
            }
            (Some(_), Some(n)) => file.path = n,
            (None, None) => return Err(malformed(self.pos - 1, "both sides of the file are /dev/null")),
        }
        if file.path.is_empty() {
            return Err(malformed(self.pos - 1, "a file without a name"));
        }
        self.hunks(&mut file)?;
        self.files.push(file);
        Ok(())
    }

    /// What follows a file's hunks (or its headers, when it has none) must start something else:
    /// another file, a `git format-patch` signature (`-- `), the next commit of `git log -p`,
    /// preamble text. A hunk line here means a hunk's counts do not match its lines (or a file
    /// has lines without a hunk header); dropping those lines would hide a change from the gates.
    fn after_file(&self) -> Result<(), DiffError> {
        let mut i = self.pos;
        while self.lines.get(i).is_some_and(|l| trim_cr(l).is_empty()) {
            i += 1;
        }
        let Some(line) = self.lines.get(i).map(|l| trim_cr(l)) else { return Ok(()) };
        let next_is_plain_file =
            line.starts_with(b"--- ") && self.lines.get(i + 1).is_some_and(|n| n.starts_with(b"+++ "));
        let body = matches!(line.first(), Some(b'+' | b'-' | b' ' | b'\\'));
        if body && line != b"-- " && !next_is_plain_file {
            return Err(malformed(
                i + 1,
                "a hunk line outside any hunk (the previous hunk's line counts are used up, or a header is missing)",
            ));
        }
        Ok(())
    }

    fn skip_binary_patch(&mut self) {
        while let Some(line) = self.peek() {
            if line.starts_with(b"diff --git ") {
                break;
            }
            self.pos += 1;
        }
    }

    fn hunks(&mut self, file: &mut ChangedFile) -> Result<(), DiffError> {
        while let Some(line) = self.peek() {
            if !line.starts_with(b"@@") {
                break;
            }
            let line_no = self.pos + 1;
            if line.starts_with(b"@@@") {
                return Err(malformed(
                    line_no,
                    format!(
                        "combined diff hunk `{}` (of a merge commit) is not a pull-request diff",
                        lossy(trim_cr(line))
                    ),
                ));
            }
            let mut hunk = parse_hunk_header(trim_cr(line))
                .ok_or_else(|| malformed(line_no, format!("bad hunk header `{}`", lossy(trim_cr(line)))))?;
            if file.hunks.last().is_some_and(|prev| prev.new_start > hunk.new_start && hunk.new_len > 0) {
                return Err(malformed(line_no, "hunks out of order"));
            }
            self.pos += 1;
            let (mut old_left, mut new_left) = (hunk.old_len, hunk.new_len);
            let (mut old_no, mut new_no) = (hunk.old_start, hunk.new_start);
            while old_left > 0 || new_left > 0 {
                let Some(raw) = self.peek() else {
                    return Err(malformed(
                        self.pos,
                        format!(
                            "diff ends inside the hunk at line {line_no} ({old_left} old and {new_left} new lines missing)"
                        ),
                    ));
                };
                let (marker, body) = match raw.split_first() {
                    Some((m, rest)) => (*m, rest),
                    // Some tools strip the single space of an empty context line.
                    None => (b' ', &raw[..0]),
                };
                let kind = match marker {
                    b' ' if old_left > 0 && new_left > 0 => LineKind::Context,
                    b'+' if new_left > 0 => LineKind::Added,
                    b'-' if old_left > 0 => LineKind::Removed,
                    b'\\' => {
                        self.mark_no_newline(&mut hunk);
                        continue;
                    }
                    _ => {
                        return Err(malformed(
                            self.pos + 1,
                            format!(
                                "unexpected line in hunk (expected {old_left} more old and {new_left} more new lines)"
                            ),
                        ));
                    }
                };
                self.pos += 1;
                let (text, crlf, valid) = decode(body);
                if !valid {
                    file.non_utf8 = true;
                }
                let (old_line, new_line) = match kind {
                    LineKind::Context => (Some(old_no), Some(new_no)),
                    LineKind::Added => (None, Some(new_no)),
                    LineKind::Removed => (Some(old_no), None),
                };
                if old_line.is_some() {
                    old_no += 1;
                    old_left -= 1;
                }
                if new_line.is_some() {
                    new_no += 1;
                    new_left -= 1;
                }
                hunk.lines.push(Line { kind, old_line, new_line, text, crlf, no_newline: false });
            }
            // A `\ No newline` marker may follow the last line of the hunk.
            if self.peek().is_some_and(|l| l.starts_with(b"\\")) {
                self.mark_no_newline(&mut hunk);
            }
            file.hunks.push(hunk);
        }
        Ok(())
    }

    fn mark_no_newline(&mut self, hunk: &mut Hunk) {
        if let Some(last) = hunk.lines.last_mut() {
            last.no_newline = true;
        }
        self.pos += 1;
    }
}

/// `@@ -a,b +c,d @@ section`. A range must fit in `u32` with room for its end, and only an
/// empty range may start at 0, so line numbers never wrap or reach 0.
fn parse_hunk_header(line: &[u8]) -> Option<Hunk> {
    if !line.starts_with(b"@@ ") {
        return None;
    }
    let text = String::from_utf8_lossy(&line[3..]);
    let end = text.find(" @@")?;
    let ranges = &text[..end];
    let section = text[end + 3..].trim().to_string();
    let mut parts = ranges.split(' ');
    let old = parts.next()?.strip_prefix('-')?;
    let new = parts.next()?.strip_prefix('+')?;
    if parts.next().is_some() {
        return None; // combined diffs (`@@@`) are not a PR diff
    }
    let (old_start, old_len) = parse_range(old)?;
    let (new_start, new_len) = parse_range(new)?;
    Some(Hunk { old_start, old_len, new_start, new_len, section, lines: Vec::new() })
}

fn parse_range(r: &str) -> Option<(u32, u32)> {
    let digits = |s: &str| -> Option<u32> { s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok())? };
    let (start, len) = match r.split_once(',') {
        Some((s, l)) => (digits(s)?, digits(l)?),
        None => (digits(r)?, 1),
    };
    start.checked_add(len)?;
    (start > 0 || len == 0).then_some((start, len))
}

/// The extended header lines git documents (git-diff(1), "Generating patch text with -p"),
/// plus the file headers and binary markers.
fn is_git_header(text: &str) -> bool {
    const PREFIXES: [&str; 14] = [
        "old mode ",
        "new mode ",
        "deleted file mode ",
        "new file mode ",
        "copy from ",
        "copy to ",
        "rename from ",
        "rename to ",
        "similarity index ",
        "dissimilarity index ",
        "index ",
        "Binary files ",
        "--- ",
        "+++ ",
    ];
    text == "GIT binary patch" || PREFIXES.iter().any(|p| text.starts_with(p))
}

/// A file mode is octal digits (`100644`, `120000`, `160000`).
fn mode(line: usize, text: &str) -> Result<String, DiffError> {
    if !text.is_empty() && text.len() <= 6 && text.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        Ok(text.to_string())
    } else {
        Err(malformed(line, format!("bad file mode `{text}`")))
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `(text, had \r, valid UTF-8)`.
fn decode(body: &[u8]) -> (String, bool, bool) {
    let (body, crlf) = match body.strip_suffix(b"\r") {
        Some(b) => (b, true),
        None => (body, false),
    };
    match std::str::from_utf8(body) {
        Ok(s) => (s.to_string(), crlf, true),
        Err(_) => (String::from_utf8_lossy(body).into_owned(), crlf, false),
    }
}

/// `a/x b/x` or `"a/x y" "b/x y"` from a `diff --git` line. Unquoted paths with spaces are
/// ambiguous; git writes the same path twice for non-renames, which settles it.
fn git_header_paths(rest: &[u8]) -> Option<(String, String)> {
    let rest = lossy(trim_cr(rest));
    if rest.starts_with('"') {
        let (a, tail) = take_quoted(&rest)?;
        let tail = tail.trim_start();
        let b = if tail.starts_with('"') { take_quoted(tail)?.0 } else { tail.to_string() };
        return Some((strip_side(&a, "a/"), strip_side(&b, "b/")));
    }
    if let Some(idx) = rest.find(" \"") {
        let (b, _) = take_quoted(&rest[idx + 1..])?;
        return Some((strip_side(&rest[..idx], "a/"), strip_side(&b, "b/")));
    }
    // Same path on both sides: "a/P b/P" has length 2*len(P) + 5. Byte offsets: the halves
    // may not fall on character boundaries when the paths differ (a renamed `ééé`).
    let n = rest.len();
    if n > 5 && (n - 5) % 2 == 0 {
        let half = (n - 5) / 2;
        if let (Some(a), Some(b)) = (rest.get(..half + 2), rest.get(half + 3..)) {
            if a.starts_with("a/") && b.starts_with("b/") && a[2..] == b[2..] {
                return Some((a[2..].to_string(), b[2..].to_string()));
            }
        }
    }
    let idx = rest.find(" b/")?;
    Some((strip_side(&rest[..idx], "a/"), rest[idx + 3..].to_string()))
}

fn strip_side(p: &str, prefix: &str) -> String {
    p.strip_prefix(prefix).unwrap_or(p).to_string()
}

/// Path from a `---`/`+++` line of a git diff: `None` for /dev/null.
fn strip_prefix_path(rest: &str, prefix: &str) -> Option<String> {
    let path = unquote(rest.split('\t').next().unwrap_or(rest));
    if path == "/dev/null" {
        return None;
    }
    Some(strip_side(&path, prefix))
}

/// Path from a plain `diff -u` header (may carry a timestamp after a tab, and `a/`/`b/`).
fn plain_path(rest: &str) -> Option<String> {
    let path = unquote(rest.split('\t').next().unwrap_or(rest).trim_end());
    if path == "/dev/null" {
        return None;
    }
    let path = path.strip_prefix("a/").or_else(|| path.strip_prefix("b/")).unwrap_or(&path);
    Some(path.trim_start_matches("./").to_string())
}

/// Undo git's C-style quoting (`"caf\303\251 \"x\""`); unquoted input is returned as is.
pub(crate) fn unquote(s: &str) -> String {
    if s.starts_with('"') {
        if let Some((q, _)) = take_quoted(s) {
            return q;
        }
    }
    s.to_string()
}

/// Reads one quoted string from the start of `s`; returns it and what follows.
fn take_quoted(s: &str) -> Option<(String, &str)> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some((String::from_utf8_lossy(&out).into_owned(), &s[i + 1..])),
            b'\\' => {
                let c = *bytes.get(i + 1)?;
                i += 2;
                match c {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    b'0'..=b'7' => {
                        let digits = &bytes[i - 1..(i + 2).min(bytes.len())];
                        let v = digits.iter().try_fold(0u32, |acc, d| {
                            (b'0'..=b'7').contains(d).then(|| acc * 8 + u32::from(d - b'0'))
                        })?;
                        out.push(u8::try_from(v).ok()?);
                        i += 2;
                    }
                    other => out.push(other),
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
