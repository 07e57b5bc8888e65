//! Properties that hold for any input (proptest, on stable, in the normal test suite): the diff
//! parser and the policy loader never panic, and a parsed diff rendered back parses to the same
//! change set. `PROPTEST_CASES` raises the number of cases; the fuzz targets in `fuzz/` search
//! the same properties for much longer.

use gatehouse::diff::{ChangeSet, ChangedFile, FileStatus, Hunk, Line, LineKind, Rev, parse_diff, render};
use proptest::prelude::*;

fn parse(bytes: &[u8]) -> Result<ChangeSet, gatehouse::diff::DiffError> {
    parse_diff(bytes, Rev::unknown("base"), Rev::unknown("head"))
}

/// Parse, render, parse: the second parse must succeed and give the first result (lines that
/// were not UTF-8 come back as their lossy text, so that flag is not compared).
fn assert_round_trip(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(mut cs) = parse(bytes) else { return Ok(()) };
    let text = render(&cs);
    let again = parse(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    cs.files.iter_mut().for_each(|f| f.non_utf8 = false);
    prop_assert_eq!(cs, again, "{}", text);
    Ok(())
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("src/lib.rs".to_string()),
        Just("dir with space/x y.txt".to_string()),
        Just("src/ééé".to_string()),
        Just("日本/語.md".to_string()),
        Just("q\"uote\\d".to_string()),
        Just("tab\there".to_string()),
        "[a-zé/ .\"\\\\-]{1,10}",
    ]
}

fn number() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..6, Just(u32::MAX), Just(u32::MAX - 1), any::<u32>()]
}

/// One line of something that looks like a diff: the parser's every branch, in any order.
fn diff_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (path(), path()).prop_map(|(a, b)| format!("diff --git a/{a} b/{b}")),
        path().prop_map(|p| format!("--- a/{p}")),
        path().prop_map(|p| format!("+++ b/{p}")),
        Just("--- /dev/null".to_string()),
        Just("+++ /dev/null".to_string()),
        (number(), number(), number(), number(), "[ a-z{]{0,6}")
            .prop_map(|(a, b, c, d, s)| format!("@@ -{a},{b} +{c},{d} @@{s}")),
        (number(), number()).prop_map(|(a, c)| format!("@@ -{a} +{c} @@")),
        Just("@@@ -1,1 -1,1 +1,2 @@@".to_string()),
        "[+ -][a-zé\\t\\r]{0,8}",
        Just(String::new()),
        Just("\\ No newline at end of file".to_string()),
        Just("new file mode 100644".to_string()),
        Just("deleted file mode 100644".to_string()),
        Just("old mode 100644".to_string()),
        Just("new mode 100755".to_string()),
        path().prop_map(|p| format!("rename from {p}")),
        path().prop_map(|p| format!("rename to {p}")),
        path().prop_map(|p| format!("copy from {p}")),
        path().prop_map(|p| format!("copy to {p}")),
        Just("similarity index 90%".to_string()),
        Just("index 1111111..2222222 100644".to_string()),
        Just("Binary files a/x and b/x differ".to_string()),
        Just("GIT binary patch".to_string()),
        Just("-- ".to_string()),
        Just("diff --cc f".to_string()),
        "[ -~]{0,12}",
    ]
}

fn diff_text() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(diff_line(), 0..40), any::<bool>()).prop_map(|(lines, crlf)| {
        let sep = if crlf { "\r\n" } else { "\n" };
        lines.join(sep).into_bytes()
    })
}

/// A well-formed change set (consistent counts and line numbers), to check render → parse.
fn change_set() -> impl Strategy<Value = ChangeSet> {
    prop::collection::vec(changed_file(), 0..5).prop_map(|files| ChangeSet {
        base: Rev::unknown("base"),
        head: Rev::unknown("head"),
        files,
    })
}

fn mode() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![Just("100644"), Just("100755"), Just("120000")].prop_map(str::to_string))
}

fn changed_file() -> impl Strategy<Value = ChangedFile> {
    let status = prop_oneof![
        Just(FileStatus::Added),
        Just(FileStatus::Modified),
        Just(FileStatus::Deleted),
        Just(FileStatus::Renamed),
        Just(FileStatus::Copied)
    ];
    let hunk = (
        1u32..20,
        prop::collection::vec(
            (
                prop_oneof![Just(LineKind::Context), Just(LineKind::Added), Just(LineKind::Removed)],
                "[a-zé {}()\"\\\\\\t-]{0,10}",
                any::<bool>(),
                prop::bool::weighted(0.1),
            ),
            0..8,
        ),
        "([a-z{(][a-z (){]{0,8}[a-z{(])?",
    );
    (status, path(), path(), mode(), mode(), any::<bool>(), prop::collection::vec(hunk, 0..4)).prop_map(
        |(status, path, old, old_mode, new_mode, binary, hunks)| {
            let mut f = ChangedFile { path, status, old_mode, new_mode, binary, ..Default::default() };
            if matches!(status, FileStatus::Renamed | FileStatus::Copied) {
                f.old_path = Some(old);
            }
            let (mut old_at, mut new_at) = (1u32, 1u32);
            for (gap, lines, section) in hunks {
                let (old_start, new_start) = (old_at + gap, new_at + gap);
                let (mut o, mut n) = (old_start, new_start);
                let mut h = Hunk { old_start, new_start, section, ..Default::default() };
                for (kind, text, crlf, no_newline) in lines {
                    let (old_line, new_line) = match kind {
                        LineKind::Context => (Some(o), Some(n)),
                        LineKind::Added => (None, Some(n)),
                        LineKind::Removed => (Some(o), None),
                    };
                    o += u32::from(old_line.is_some());
                    n += u32::from(new_line.is_some());
                    h.lines.push(Line { kind, old_line, new_line, text, crlf, no_newline });
                }
                h.old_len = o - old_start;
                h.new_len = n - new_start;
                (old_at, new_at) = (o, n);
                f.hunks.push(h);
            }
            f
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn diff_parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        assert_round_trip(&bytes)?;
    }

    #[test]
    fn diff_parser_never_panics_and_round_trips_on_diff_like_text(text in diff_text()) {
        assert_round_trip(&text)?;
    }

    #[test]
    fn rendered_change_sets_parse_back_unchanged(cs in change_set()) {
        let text = render(&cs);
        let again = parse(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(cs, again, "{}", text);
    }
}

/// A line of something that looks like `gates.toml`.
fn policy_line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("version"),
        Just("extends"),
        Just("mode"),
        Just("on_error"),
        Just("fail_on"),
        Just("id"),
        Just("pattern"),
        Just("paths"),
        Just("severity"),
        Just("message"),
        Just("scope"),
        Just("max_pr_files"),
        Just("max_pr_lines"),
        Just("keywords"),
        Just("no_go"),
        Just("bogus"),
    ];
    let value = prop_oneof![
        Just("1".to_string()),
        Just("2".to_string()),
        Just("-1".to_string()),
        Just("18446744073709551616".to_string()),
        Just("\"block\"".to_string()),
        Just("\"warn\"".to_string()),
        Just("\"all\"".to_string()),
        Just("[\"**/*.rs\", \"\"]".to_string()),
        Just("'(a|'".to_string()),
        Just("'\\bdbg!\\('".to_string()),
        Just("\"../../etc/passwd\"".to_string()),
        Just("true".to_string()),
        Just("{ x = 1 }".to_string()),
        "\"[ -~é]{0,10}\"",
    ];
    let table = prop_oneof![
        Just("[defaults]"),
        Just("[hygiene]"),
        Just("[patterns]"),
        Just("[[patterns.forbid]]"),
        Just("[testability]"),
        Just("[security]"),
        Just("[contract]"),
        Just("[architecture]"),
        Just("[observability]"),
        Just("[performance]"),
        Just("[ai]"),
        Just("[[waivers]]"),
        Just("[nope]"),
    ];
    prop_oneof![
        3 => (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => table.prop_map(str::to_string),
        1 => "[ -~]{0,16}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn policy_loader_never_panics_on_policy_like_text(lines in prop::collection::vec(policy_line(), 0..25)) {
        let text = lines.join("\n");
        if let Err(e) = gatehouse::gates::load_str("gates.toml", &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn policy_loader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let read = move |p: &str| Ok((p == "gates.toml").then(|| bytes.clone()));
        let _ = gatehouse::gates::load(&read, "gates.toml");
    }
}
