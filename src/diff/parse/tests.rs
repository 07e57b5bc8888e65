use super::*;
use crate::diff::render;

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

fn parse_err(s: &[u8]) -> DiffError {
    parse_diff(s, Rev::unknown("a"), Rev::unknown("b")).unwrap_err()
}

/// Issue 21: `git mv src/ééé src/xy` gives a header whose byte halves fall inside `é`.
#[test]
fn non_ascii_rename_header_does_not_slice_inside_a_character() {
    let diff = "diff --git a/src/ééé b/src/xy\nsimilarity index 100%\nrename from src/ééé\nrename to src/xy\n";
    let cs = parse(diff);
    assert_eq!((cs.files[0].path.as_str(), cs.files[0].old_path.as_deref()), ("src/xy", Some("src/ééé")));
    // Every split point of a non-ASCII header, with and without the rename lines.
    for name in ["é", "éé", "日本", "a€b", "ß/ü", "😀x"] {
        for other in ["x", "xy", "xyz", "abcd", name] {
            let header = format!("diff --git a/{name} b/{other}\n");
            let cs = parse(&header);
            assert_eq!(cs.files.len(), 1, "{header}");
        }
    }
}

/// Issue 21: lines after a hunk whose counts are used up were read as preamble and dropped.
#[test]
fn hunk_lines_after_the_counts_are_used_up_are_an_error() {
    let extra_added = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+smuggled\n";
    let e = parse_err(extra_added.as_bytes());
    assert!(matches!(&e, DiffError::Malformed { line: 7, message } if message.contains("outside any hunk")), "{e}");
    for tail in ["-gone\n", " ctx\n", "\n\n+after blank lines\n", "\\ stray marker\n\\ again\n"] {
        let text = format!("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n{tail}");
        assert!(parse_diff(text.as_bytes(), Rev::unknown("a"), Rev::unknown("b")).is_err(), "{tail:?}");
    }
    // Plain `diff -u` too, and body lines in a file that has no hunk header at all.
    assert!(parse_diff(b"--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n", Rev::unknown("a"), Rev::unknown("b")).is_err());
    assert!(parse_diff(b"diff --git a/x b/x\n--- a/x\n+++ b/x\n+c\n", Rev::unknown("a"), Rev::unknown("b")).is_err());
    // What may legitimately follow a hunk still parses: a format-patch signature, the next
    // commit of `git log -p`, blank lines at the end, `diff -r` lines and a plain file header.
    let ok = concat!(
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
        "commit 0123\nAuthor: A\n\n    message\n\n",
        "diff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
        "diff -ru a/z b/z\n--- a/z\t2024\n+++ b/z\t2024\n@@ -1 +1 @@\n-a\n+b\n",
        "--- a/w\n+++ b/w\n@@ -1 +1 @@\n-a\n+b\n",
        "-- \n2.47.3\n\n\n",
    );
    assert_eq!(parse(ok).files.len(), 4);
}

/// Issue 21: combined (`@@@`) hunks were skipped with their lines, so the change looked empty.
#[test]
fn combined_diff_hunks_are_an_error() {
    let cc = "diff --cc f.rs\nindex 1,2..3\n--- a/f.rs\n+++ b/f.rs\n@@@ -1,1 -1,1 +1,2 @@@\n  a\n++b\n";
    let e = parse_err(cc.as_bytes());
    assert!(e.to_string().contains("combined diff"), "{e}");
    // The same hunk under a normal `diff --git` header, or after a plain header.
    let git = "diff --git a/f.rs b/f.rs\n--- a/f.rs\n+++ b/f.rs\n@@@ -1,1 -1,1 +1,2 @@@\n  a\n++b\n";
    assert!(parse_err(git.as_bytes()).to_string().contains("combined diff hunk"));
    let plain = "--- a/f.rs\n+++ b/f.rs\n@@@ -1,1 -1,1 +1,2 @@@\n  a\n++b\n";
    assert!(parse_err(plain.as_bytes()).to_string().contains("combined diff hunk"));
    // A hunk with no file header before it.
    assert!(parse_err(b"@@ -1 +1 @@\n-a\n+b\n").to_string().contains("outside a file"));
}

/// Issue 21: text that is not a diff at all parsed as an empty change (and so passed).
#[test]
fn text_that_is_not_a_diff_is_an_error() {
    for text in ["hello world\n", "{\"files\": []}", " 3 files changed, 10 insertions(+)\n", "\u{0}\u{1}binary"] {
        assert!(matches!(parse_err(text.as_bytes()), DiffError::NotADiff { .. }), "{text:?}");
    }
    // Empty and whitespace-only input is the empty change.
    assert!(parse("").files.is_empty());
    assert!(parse(" \n\n\t\n").files.is_empty());
}

/// Issue 21: `@@ -4294967295 +4294967295 @@` wrapped the line counters.
#[test]
fn hunk_start_4294967295_does_not_wrap() {
    for header in ["@@ -4294967295 +4294967295 @@", "@@ -1 +4294967295,2 @@", "@@ -1 +1,4294967295 @@"] {
        let text = format!("diff --git a/x b/x\n--- a/x\n+++ b/x\n{header}\n-a\n+b\n");
        let e = parse_err(text.as_bytes());
        assert!(e.to_string().contains("bad hunk header"), "{header}: {e}");
    }
    // The largest range that fits still works; line 0 with content and signs do not.
    let cs = parse("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -4294967294 +4294967294 @@\n-a\n+b\n");
    assert_eq!(cs.files[0].added_lines().collect::<Vec<_>>(), [(4294967294, "b")]);
    assert!(cs.files[0].touches(4294967294));
    for header in ["@@ -1 +0,1 @@", "@@ -+1 +1 @@", "@@ -1 ++1 @@"] {
        let text = format!("diff --git a/x b/x\n--- a/x\n+++ b/x\n{header}\n-a\n+b\n");
        assert!(parse_diff(text.as_bytes(), Rev::unknown("a"), Rev::unknown("b")).is_err(), "{header}");
    }
}

#[test]
fn bad_modes_and_nameless_files_are_errors() {
    assert!(parse_err(b"diff --git a/x b/x\nold mode 644\r\r\nnew mode 755\n").to_string().contains("bad file mode"));
    assert!(parse_err(b"diff --git a/x b/x\nnew file mode rwx\n").to_string().contains("bad file mode"));
    assert!(parse_err(b"diff --git a/ b/\n").to_string().contains("without a name"));
}

#[test]
fn render_then_parse_gives_the_same_change_set() {
    let text = concat!(
        "diff --git a/src/ééé b/src/x y\nsimilarity index 90%\nrename from src/ééé\nrename to src/x y\n--- a/src/ééé\n+++ b/src/x y\n@@ -1,2 +1,2 @@ fn f() {\n a\n-b\n+c\r\n\\ No newline at end of file\n",
        "diff --git a/new b/new\nnew file mode 100755\n--- /dev/null\n+++ b/new\n@@ -0,0 +1 @@\n+x\n",
        "diff --git a/gone b/gone\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n",
        "diff --git a/img b/img\nBinary files a/img and b/img differ\n",
        "diff --git \"a/q\\\"\\t\" \"b/q\\\"\\t\"\nold mode 100644\nnew mode 100755\n",
        "diff --git a/c.rs b/d.rs\ncopy from c.rs\ncopy to d.rs\n",
    );
    let cs = parse(text);
    let again = parse(&render(&cs));
    assert_eq!(cs, again, "{}", render(&cs));
}
