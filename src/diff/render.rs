//! The inverse of the parser: a [`ChangeSet`] written back as a `git diff`. Parsing the output
//! gives the same change set again (a property the tests check), so the parser's model loses
//! nothing a gate reads. Line text is written as parsed: lines that were not valid UTF-8 come
//! back with their replacement characters.

use super::{ChangeSet, ChangedFile, FileStatus, Hunk, LineKind};
use std::fmt::Write;

/// The change set as `git diff` text.
pub fn render(cs: &ChangeSet) -> String {
    let mut out = String::new();
    for f in &cs.files {
        file(&mut out, f);
    }
    out
}

fn file(out: &mut String, f: &ChangedFile) {
    let new = f.path.as_str();
    let old = f.old_path.as_deref().unwrap_or(new);
    let _ = writeln!(out, "diff --git {} {}", side("a/", old), side("b/", new));
    // One status line at most: the parser keeps the last one it reads.
    if let Some(m) = &f.old_mode {
        if f.status != FileStatus::Deleted {
            let _ = writeln!(out, "old mode {m}");
        }
    }
    if let Some(m) = &f.new_mode {
        if f.status != FileStatus::Added {
            let _ = writeln!(out, "new mode {m}");
        }
    }
    match f.status {
        FileStatus::Added => {
            if let Some(m) = &f.new_mode {
                let _ = writeln!(out, "new file mode {m}");
            }
        }
        FileStatus::Deleted => {
            if let Some(m) = &f.old_mode {
                let _ = writeln!(out, "deleted file mode {m}");
            }
        }
        FileStatus::Renamed => {
            let _ = writeln!(out, "rename from {}\nrename to {}", quote(old), quote(new));
        }
        FileStatus::Copied => {
            let _ = writeln!(out, "copy from {}\ncopy to {}", quote(old), quote(new));
        }
        FileStatus::Modified => {}
    }
    let (from, to) = match f.status {
        FileStatus::Added => ("/dev/null".to_string(), side("b/", new)),
        FileStatus::Deleted => (side("a/", old), "/dev/null".to_string()),
        _ => (side("a/", old), side("b/", new)),
    };
    if f.binary {
        let _ = writeln!(out, "Binary files {from} and {to} differ");
    }
    // An added or deleted file without a mode line is told by its `/dev/null` side.
    let mode_says = match f.status {
        FileStatus::Added => f.new_mode.is_some(),
        FileStatus::Deleted => f.old_mode.is_some(),
        _ => true,
    };
    if !f.hunks.is_empty() || !mode_says {
        let _ = writeln!(out, "--- {from}\n+++ {to}");
    }
    for h in &f.hunks {
        hunk(out, h);
    }
}

fn hunk(out: &mut String, h: &Hunk) {
    let _ = write!(out, "@@ -{},{} +{},{} @@", h.old_start, h.old_len, h.new_start, h.new_len);
    if !h.section.is_empty() {
        let _ = write!(out, " {}", h.section);
    }
    out.push('\n');
    for l in &h.lines {
        out.push(match l.kind {
            LineKind::Context => ' ',
            LineKind::Added => '+',
            LineKind::Removed => '-',
        });
        out.push_str(&l.text);
        if l.crlf {
            out.push('\r');
        }
        out.push('\n');
        if l.no_newline {
            out.push_str("\\ No newline at end of file\n");
        }
    }
}

fn side(prefix: &str, path: &str) -> String {
    quote(&format!("{prefix}{path}"))
}

/// Git's C-style quoting, used when a path has a space, a quote, a backslash or a control
/// character (git itself leaves spaces bare; quoting them keeps the header unambiguous).
fn quote(path: &str) -> String {
    let needs = path.chars().any(|c| c == ' ' || c == '"' || c == '\\' || c.is_control()) || path.starts_with('"');
    if !needs {
        return path.to_string();
    }
    let mut q = String::from("\"");
    for c in path.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            c if c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(q, "\\{b:03o}");
                }
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}
