use super::*;

fn parse(s: &str) -> ChangeSet {
    parse_diff(s.as_bytes(), Rev::unknown("a"), Rev::unknown("b")).unwrap()
}

#[test]
fn modified_file_with_line_numbers() {
    let cs = parse(
        "diff --git a/src/lib.rs b/src/lib.rs\nindex 1111111..2222222 100644\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,4 @@ fn main() {\n a\n-b\n+B\n+C\n c\n",
    );
    assert_eq!(cs.files.len(), 1);
    let f = &cs.files[0];
    assert_eq!(f.path, "src/lib.rs");
    assert_eq!(f.status, FileStatus::Modified);
    assert_eq!(f.hunks[0].section, "fn main() {");
    assert_eq!(f.added_lines().collect::<Vec<_>>(), vec![(2, "B"), (3, "C")]);
    assert_eq!(f.removed_count(), 1);
    assert!(f.touches(2) && f.touches(3) && !f.touches(1) && !f.touches(4));
    assert!(f.touches_range(1, 2) && !f.touches_range(4, 9));
}

#[test]
fn added_deleted_and_empty_files() {
    let cs = parse(concat!(
        "diff --git a/new.txt b/new.txt\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n",
        "diff --git a/old.txt b/old.txt\ndeleted file mode 100644\nindex 3b18e51..0000000\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n",
        "diff --git a/empty b/empty\nnew file mode 100644\nindex 0000000..e69de29\n",
    ));
    let st: Vec<_> = cs.files.iter().map(|f| (f.path.as_str(), f.status)).collect();
    assert_eq!(
        st,
        vec![("new.txt", FileStatus::Added), ("old.txt", FileStatus::Deleted), ("empty", FileStatus::Added)]
    );
    assert_eq!(cs.files[1].removed_count(), 1);
    assert!(cs.files[2].hunks.is_empty());
    assert_eq!(cs.files[1].base_path(), Some("old.txt"));
    assert_eq!(cs.files[0].base_path(), None);
}

#[test]
fn renames_copies_and_modes() {
    let cs = parse(concat!(
        "diff --git a/a.rs b/b.rs\nsimilarity index 90%\nrename from a.rs\nrename to b.rs\nindex 1..2 100644\n--- a/a.rs\n+++ b/b.rs\n@@ -1 +1 @@\n-x\n+y\n",
        "diff --git a/c.rs b/d.rs\nsimilarity index 100%\ncopy from c.rs\ncopy to d.rs\n",
        "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n",
        "diff --git a/dir with space/x y.txt b/dir with space/x y.txt\nindex 1..2 100644\n--- a/dir with space/x y.txt\n+++ b/dir with space/x y.txt\n@@ -1 +1 @@\n-a\n+b\n",
    ));
    let f = &cs.files;
    assert_eq!(
        (f[0].path.as_str(), f[0].old_path.as_deref(), f[0].status),
        ("b.rs", Some("a.rs"), FileStatus::Renamed)
    );
    assert_eq!((f[1].path.as_str(), f[1].old_path.as_deref(), f[1].status), ("d.rs", Some("c.rs"), FileStatus::Copied));
    assert_eq!((f[2].old_mode.as_deref(), f[2].new_mode.as_deref()), (Some("100644"), Some("100755")));
    assert_eq!(f[2].status, FileStatus::Modified);
    assert_eq!(f[3].path, "dir with space/x y.txt");
}

#[test]
fn binary_files_and_binary_patches() {
    let cs = parse(concat!(
        "diff --git a/img.png b/img.png\nnew file mode 100644\nindex 0000000..1234567\nBinary files /dev/null and b/img.png differ\n",
        "diff --git a/blob.bin b/blob.bin\nindex 1..2 100644\nGIT binary patch\nliteral 12\nTcmZ?wbaQ+4pF8F~1_(a\n\nliteral 0\nHcmV?d00001\n\n",
        "diff --git a/after.txt b/after.txt\n--- a/after.txt\n+++ b/after.txt\n@@ -1 +1 @@\n-1\n+2\n",
    ));
    assert!(cs.files[0].binary && cs.files[1].binary && !cs.files[2].binary);
    assert_eq!(cs.files[0].status, FileStatus::Added);
    assert_eq!(cs.files[2].added_lines().count(), 1);
}

#[test]
fn no_newline_crlf_and_non_utf8() {
    let mut input = b"diff --git a/w.txt b/w.txt\n--- a/w.txt\n+++ b/w.txt\n@@ -1 +1,2 @@\n-old\n\\ No newline at end of file\n+new\r\n+caf".to_vec();
    input.extend_from_slice(&[0xe9, b'\n']);
    input.extend_from_slice(b"\\ No newline at end of file\n");
    let cs = parse_diff(&input, Rev::unknown("a"), Rev::unknown("b")).unwrap();
    let f = &cs.files[0];
    assert!(f.non_utf8);
    let lines = &f.hunks[0].lines;
    assert!(lines[0].no_newline && lines[0].kind == LineKind::Removed);
    assert_eq!((lines[1].text.as_str(), lines[1].crlf), ("new", true));
    assert_eq!(lines[2].text, "caf\u{fffd}");
    assert!(lines[2].no_newline);
}

#[test]
fn quoted_paths_are_unquoted() {
    let cs = parse(
        "diff --git \"a/caf\\303\\251.txt\" \"b/caf\\303\\251.txt\"\n--- \"a/caf\\303\\251.txt\"\n+++ \"b/caf\\303\\251.txt\"\n@@ -1 +1 @@\n-a\n+b\n",
    );
    assert_eq!(cs.files[0].path, "café.txt");
    assert_eq!(unquote("\"tab\\there \\\"q\\\"\""), "tab\there \"q\"");
}

#[test]
fn plain_unified_diff() {
    let cs = parse(
        "--- a/x.c\t2024-01-01 00:00:00\n+++ b/x.c\t2024-01-02 00:00:00\n@@ -1,2 +1,2 @@\n int a;\n-int b;\n+long b;\n",
    );
    assert_eq!(cs.files[0].path, "x.c");
    assert_eq!(cs.files[0].added_lines().collect::<Vec<_>>(), vec![(2, "long b;")]);
}

#[test]
fn empty_context_line_without_space() {
    let cs = parse("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n\n-c\n+d\n");
    assert_eq!(cs.files[0].added_lines().collect::<Vec<_>>(), vec![(3, "d")]);
}

#[test]
fn empty_diff() {
    assert!(parse("").files.is_empty());
}

#[test]
fn malformed_input_is_an_error_with_a_line() {
    let truncated = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n";
    let e = parse_diff(truncated.as_bytes(), Rev::unknown("a"), Rev::unknown("b")).unwrap_err();
    assert!(e.to_string().contains("ends inside the hunk"), "{e}");
    let bad = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -x +1 @@\n+a\n";
    let e = parse_diff(bad.as_bytes(), Rev::unknown("a"), Rev::unknown("b")).unwrap_err();
    assert_eq!(e, DiffError::Malformed { line: 4, message: "bad hunk header `@@ -x +1 @@`".into() });
    let junk = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n*what\n";
    assert!(parse_diff(junk.as_bytes(), Rev::unknown("a"), Rev::unknown("b")).is_err());
}
