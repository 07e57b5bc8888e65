//! Rules on the files the pull request adds: size cap and forbidden paths.

use super::{FORBIDDEN_PATH, HygieneGate, LARGE_FILE};
use crate::core::Location;
use crate::diff::{ChangedFile, FileStatus};
use crate::gate::Context;
use crate::gates::{GateError, GateReport};
use crate::repo::{Repo, RepoError};
use std::collections::HashMap;

pub(super) fn check(g: &HygieneGate, cx: &Context<'_>, report: &mut GateReport) -> Result<(), GateError> {
    let new_path = |f: &&ChangedFile| matches!(f.status, FileStatus::Added | FileStatus::Renamed | FileStatus::Copied);
    if !g.forbidden_paths.is_empty() {
        for f in cx.changes.files.iter().filter(new_path) {
            if g.forbidden_paths.matches(&f.path) {
                let glob = g.forbidden_paths.patterns().iter().find(|p| {
                    crate::core::matcher::Globs::new(std::slice::from_ref(p), &[]).is_ok_and(|one| one.matches(&f.path))
                });
                let msg = format!(
                    "`{}` is added under a forbidden path (`{}`)",
                    f.path,
                    glob.map(String::as_str).unwrap_or("hygiene.forbidden_paths")
                );
                report.findings.push(FORBIDDEN_PATH.finding(Some(Location::file(&f.path)), msg, &f.path));
            }
        }
    }

    let Some(cap) = g.max_file_size else { return Ok(()) };
    let candidates: Vec<&ChangedFile> = cx.changes.files.iter().filter(|f| f.exists_at_head()).collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let head_paths: Vec<&str> = candidates.iter().map(|f| f.path.as_str()).collect();
    let head_sizes = match (&cx.changes.head.sha, cx.head_from_worktree || !cx.repo.is_git()) {
        (Some(sha), false) => blob_sizes(cx.repo, sha, &head_paths)?,
        _ => worktree_sizes(cx.repo, &head_paths)?,
    };
    // Files that were already over the cap at base are not new problems; read their base size.
    let grown: Vec<&str> = candidates
        .iter()
        .filter(|f| head_sizes.get(&f.path).is_some_and(|s| *s > cap))
        .filter_map(|f| grown_from(f))
        .collect();
    let base_sizes = match (&cx.changes.base.sha, grown.is_empty()) {
        (Some(sha), false) if cx.repo.is_git() => blob_sizes(cx.repo, sha, &grown)?,
        _ => HashMap::new(),
    };
    for f in candidates {
        let Some(&size) = head_sizes.get(&f.path) else { continue };
        if size <= cap {
            continue;
        }
        let before = grown_from(f).and_then(|p| base_sizes.get(p)).copied();
        if before.is_some_and(|b| b > cap) {
            continue;
        }
        let what = match before {
            Some(b) => format!("grows `{}` from {} to {}", f.path, human(b), human(size)),
            None => format!("adds `{}` with {}", f.path, human(size)),
        };
        let msg = format!("this pull request {what}; the policy allows {} per file", human(cap));
        report.findings.push(LARGE_FILE.finding(Some(Location::file(&f.path)), msg, &f.path));
    }
    Ok(())
}

/// The base path whose size a head file grew from: none for added files and copies (a copy
/// is a new file, however large its source was).
fn grown_from(f: &ChangedFile) -> Option<&str> {
    if f.status == FileStatus::Copied { None } else { f.base_path() }
}

/// Sizes of the blobs at `rev` for `paths` (paths that are not blobs there are absent).
fn blob_sizes(repo: &Repo, rev: &str, paths: &[&str]) -> Result<HashMap<String, u64>, RepoError> {
    let mut sizes = HashMap::new();
    for chunk in paths.chunks(500) {
        let mut args = vec!["--literal-pathspecs", "ls-tree", "-r", "-l", "-z", "--full-tree", rev, "--"];
        args.extend_from_slice(chunk);
        let out = repo.git(&args)?;
        for entry in out.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            // `<mode> <type> <object> <size>\t<path>`
            let Some((meta, path)) = entry.split_once('\t') else { continue };
            let mut parts = meta.split_whitespace();
            let (_mode, kind, _obj, size) = (parts.next(), parts.next(), parts.next(), parts.next());
            if let (Some("blob"), Some(Ok(size))) = (kind, size.map(str::parse::<u64>)) {
                sizes.insert(path.to_string(), size);
            }
        }
    }
    Ok(sizes)
}

fn worktree_sizes(repo: &Repo, paths: &[&str]) -> Result<HashMap<String, u64>, RepoError> {
    let mut sizes = HashMap::new();
    for p in paths {
        if let Some(full) = repo.worktree_path(p)? {
            let meta = std::fs::metadata(&full).map_err(|e| RepoError::Io { path: p.to_string(), source: e })?;
            if meta.is_file() {
                sizes.insert(p.to_string(), meta.len());
            }
        }
    }
    Ok(sizes)
}

/// `1048576`, `500 KB`, `1.5MB`, `5 MiB` → bytes. KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = num * mult;
    (bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64).then(|| bytes.round() as u64)
}

/// Bytes for a message: exact below 1 KB, else with one decimal in KB/MB/GB.
fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes < 1000 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.1} KB ({bytes} bytes)", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB ({bytes} bytes)", b / 1e6)
    } else {
        format!("{:.1} GB ({bytes} bytes)", b / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1048576"), Some(1_048_576));
        assert_eq!(parse_size("500 KB"), Some(500_000));
        assert_eq!(parse_size("1.5MB"), Some(1_500_000));
        assert_eq!(parse_size("5 MiB"), Some(5 * 1024 * 1024));
        assert_eq!(parse_size("2 gib"), Some(2 * 1024 * 1024 * 1024));
        for bad in ["", "MB", "5 parsecs", "-1", "1.2.3 MB"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(999), "999 B");
        assert_eq!(human(1_500_000), "1.5 MB (1500000 bytes)");
    }
}
