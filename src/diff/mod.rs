//! The change under review: files, hunks and lines, parsed from one unified-diff parser.

mod parse;
mod render;
pub mod source;

pub use parse::{DiffError, parse_diff};
pub use render::render;

use serde::{Deserialize, Serialize};

/// A revision as given and as resolved (`main` → `3f2a…`). For diffs read from a file the
/// revisions are unknown and both fields say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rev {
    pub name: String,
    pub sha: Option<String>,
}

impl Rev {
    pub fn unknown(name: &str) -> Self {
        Rev { name: name.to_string(), sha: None }
    }

    /// What to feed git to read a blob at this revision.
    pub fn spec(&self) -> &str {
        self.sha.as_deref().unwrap_or(&self.name)
    }

    pub fn display(&self) -> String {
        match &self.sha {
            Some(sha) => sha.clone(),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    pub base: Rev,
    pub head: Rev,
    pub files: Vec<ChangedFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Added,
    #[default]
    Modified,
    Deleted,
    Renamed,
    Copied,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangedFile {
    /// Path at head (for a deleted file: its path at base).
    pub path: String,
    /// Path at base when it differs (renames and copies).
    pub old_path: Option<String>,
    pub status: FileStatus,
    pub binary: bool,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    /// Some line was not valid UTF-8 (its text is decoded lossily).
    pub non_utf8: bool,
    pub hunks: Vec<Hunk>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hunk {
    pub old_start: u32,
    pub old_len: u32,
    pub new_start: u32,
    pub new_len: u32,
    /// The text after the second `@@` (often the enclosing function).
    pub section: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    /// Line number at base (context and removed lines).
    pub old_line: Option<u32>,
    /// Line number at head (context and added lines).
    pub new_line: Option<u32>,
    /// Text without the diff marker, the newline or a trailing `\r`.
    pub text: String,
    /// The line ended in `\r\n`.
    pub crlf: bool,
    /// Followed by `\ No newline at end of file`.
    pub no_newline: bool,
}

impl ChangeSet {
    pub fn file(&self, path: &str) -> Option<&ChangedFile> {
        self.files.iter().find(|f| f.path == path)
    }

    pub fn added_count(&self) -> usize {
        self.files.iter().map(|f| f.added_lines().count()).sum()
    }

    pub fn removed_count(&self) -> usize {
        self.files.iter().map(ChangedFile::removed_count).sum()
    }
}

impl ChangedFile {
    /// `(head line number, text)` of every added line.
    pub fn added_lines(&self) -> impl Iterator<Item = (u32, &str)> {
        self.hunks.iter().flat_map(|h| h.lines.iter()).filter_map(|l| match (l.kind, l.new_line) {
            (LineKind::Added, Some(n)) => Some((n, l.text.as_str())),
            _ => None,
        })
    }

    pub fn removed_count(&self) -> usize {
        self.hunks.iter().flat_map(|h| h.lines.iter()).filter(|l| l.kind == LineKind::Removed).count()
    }

    /// Whether head line `line` was added by this change. Hunks are sorted, so this is a binary
    /// search plus a scan of one hunk.
    pub fn touches(&self, line: u32) -> bool {
        let i = self.hunks.partition_point(|h| h.new_start + h.new_len <= line);
        self.hunks.get(i).is_some_and(|h| h.lines.iter().any(|l| l.kind == LineKind::Added && l.new_line == Some(line)))
    }

    /// Whether any head line in `start..=end` was added.
    pub fn touches_range(&self, start: u32, end: u32) -> bool {
        let i = self.hunks.partition_point(|h| h.new_start + h.new_len <= start);
        self.hunks[i..].iter().take_while(|h| h.new_start <= end).any(|h| {
            h.lines.iter().any(|l| l.kind == LineKind::Added && l.new_line.is_some_and(|n| n >= start && n <= end))
        })
    }

    /// The file exists at head.
    pub fn exists_at_head(&self) -> bool {
        self.status != FileStatus::Deleted
    }

    /// Path at base, when the file existed there.
    pub fn base_path(&self) -> Option<&str> {
        match self.status {
            FileStatus::Added => None,
            _ => Some(self.old_path.as_deref().unwrap_or(&self.path)),
        }
    }
}
