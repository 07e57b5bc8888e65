//! The diff parser on real `git diff -M -C --binary` output (see tests/data/diffs/generate.sh).
//! Each diff's parsed form is snapshotted; the key facts are also asserted directly.

use gatehouse::diff::{ChangeSet, FileStatus, Rev, parse_diff};
use std::fmt::Write;

fn parse(name: &str) -> ChangeSet {
    let path = format!("{}/tests/data/diffs/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    parse_diff(&bytes, Rev::unknown("base"), Rev::unknown("head")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A readable rendering of what the parser understood.
fn render(cs: &ChangeSet) -> String {
    let mut s = String::new();
    for f in &cs.files {
        write!(s, "{:?} {}", f.status, f.path).unwrap();
        if let Some(old) = &f.old_path {
            write!(s, " (from {old})").unwrap();
        }
        if f.binary {
            s.push_str(" binary");
        }
        if f.non_utf8 {
            s.push_str(" non-utf8");
        }
        if f.old_mode.is_some() || f.new_mode.is_some() {
            write!(s, " mode {:?}->{:?}", f.old_mode, f.new_mode).unwrap();
        }
        writeln!(s, " -{}", f.removed_count()).unwrap();
        for (n, text) in f.added_lines() {
            writeln!(s, "  +{n}: {text:?}").unwrap();
        }
    }
    s
}

fn by_path<'a>(cs: &'a ChangeSet, path: &str) -> &'a gatehouse::diff::ChangedFile {
    cs.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} missing: {}", render(cs)))
}

#[test]
fn rename_copy_binary() {
    let cs = parse("rename-copy-binary.diff");
    insta::assert_snapshot!(render(&cs));
    assert_eq!(cs.files.len(), 11);
    let renamed = by_path(&cs, "src/renamed.rs");
    assert_eq!((renamed.status, renamed.old_path.as_deref()), (FileStatus::Renamed, Some("src/moved.rs")));
    assert_eq!(renamed.added_lines().collect::<Vec<_>>(), vec![(20, "line twenty")]);
    assert!(by_path(&cs, "assets/logo.png").binary);
    assert!(by_path(&cs, "docs/latin1.txt").non_utf8);
    assert_eq!(by_path(&cs, "src/deleted.rs").status, FileStatus::Deleted);
    assert_eq!(by_path(&cs, "run.sh").new_mode.as_deref(), Some("100755"));
    assert_eq!(by_path(&cs, "dir with space/name \"quoted\".txt").added_lines().count(), 1);
    let crlf = by_path(&cs, "docs/crlf.txt");
    assert_eq!(crlf.added_lines().collect::<Vec<_>>(), vec![(2, "B")], "CR is not part of the text");
}

#[test]
fn copies_found_harder() {
    let cs = parse("copies-harder.diff");
    insta::assert_snapshot!(render(&cs));
    let copy = by_path(&cs, "src/copy.rs");
    assert_eq!((copy.status, copy.old_path.as_deref()), (FileStatus::Copied, Some("src/copied_from.rs")));
    assert_eq!(copy.added_lines().collect::<Vec<_>>(), vec![(31, "fn extra")]);
}

#[test]
fn same_change_in_every_shape_gives_the_same_added_lines() {
    let full = parse("rename-copy-binary.diff");
    for name in ["rename-copy-nobinary.diff", "zero-context.diff", "format-patch.patch"] {
        let other = parse(name);
        let lines = |cs: &ChangeSet| -> Vec<(String, u32, String)> {
            cs.files
                .iter()
                .flat_map(|f| f.added_lines().map(|(n, t)| (f.path.clone(), n, t.to_string())).collect::<Vec<_>>())
                .collect()
        };
        assert_eq!(lines(&full), lines(&other), "{name}");
        let paths = |cs: &ChangeSet| cs.files.iter().map(|f| (f.path.clone(), f.status, f.binary)).collect::<Vec<_>>();
        assert_eq!(paths(&full), paths(&other), "{name}");
    }
}

#[test]
fn noprefix_diff() {
    let cs = parse("noprefix.diff");
    assert_eq!(render(&cs), "Modified src/edit.rs -1\n  +2: \"changed\"\n  +4: \"added\"\n");
}
