//! Cases for the `testability` rules.

use super::{Case, run_all};

const JUNIT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1" errors="0">
  <testsuite name="calc" tests="3" failures="1" errors="0" time="0.01">
    <testcase classname="calc" name="adds" time="0.001"/>
    <testcase classname="calc" name="divides by zero" time="0.002">
      <failure message="expected Infinity">AssertionError: expected Infinity, got NaN</failure>
    </testcase>
    <testcase classname="calc" name="parses" time="0.001"/>
  </testsuite>
</testsuites>
"#;

const CASES: &[Case] = &[
    Case {
        base: &[("calc.py", "def add(a, b):\n    return a + b\n")],
        head: &[(
            "calc.py",
            Some(
                "def add(a, b):\n    return a + b\n\n\ndef div(a, b):\n    if b == 0:\n        return None\n    return a / b\n",
            ),
        )],
        // Lines 6-7 of the new function never ran; `gen/` is not in the repository.
        inputs: &[(
            "coverage.lcov",
            "TN:\nSF:calc.py\nDA:1,3\nDA:2,3\nDA:5,1\nDA:6,0\nDA:7,0\nDA:8,1\nend_of_record\nSF:gen/stubs.py\nDA:1,0\nend_of_record\n",
        )],
        ..Case::new(
            &[
                "testability.patch-coverage",
                "testability.uncovered-lines",
                "testability.project-coverage",
                "testability.coverage-unknown-file",
            ],
            "version = 1\n[testability.coverage]\nreports = [\"coverage.lcov\"]\nmin_patch = 80\nmin_project = 90\n",
        )
    },
    Case {
        base: &[("src/lib.rs", "pub fn a() {}\n"), ("tests/a.rs", "#[test]\nfn a() {}\n")],
        head: &[("src/lib.rs", Some("pub fn a() {}\npub fn b() -> u8 { 2 }\n"))],
        ..Case::new(
            &["testability.tests-with-code"],
            "version = 1\n[testability.tests_with_code]\ncode = [\"src/**\"]\ntests = [\"tests/**\"]\n",
        )
    },
    Case {
        base: &[
            (
                "specs/auth.md",
                "# Auth\n\n## REQ-AUTH-1: Login\nUsers log in with a password.\nAcceptance: given a valid password, then a session starts.\n",
            ),
            ("tests/auth.rs", "// REQ-AUTH-1\n#[test]\nfn login() {}\n"),
        ],
        head: &[
            (
                "specs/auth.md",
                Some(
                    "# Auth\n\n## REQ-AUTH-1: Login\nUsers log in with a password.\nAcceptance: given a valid password, then a session starts.\n\n## REQ-AUTH-2: Logout\nLogout must be fast and user-friendly.\n\n## REQ-AUTH-3: Search\nSearch latency must be low.\nAcceptance: given a query, then results show.\n",
                ),
            ),
            ("specs/legacy.md", Some("## REQ-AUTH-1: Old login\nThe system shall log users in.\n")),
            (
                "tests/auth.rs",
                Some("// REQ-AUTH-1\n#[test]\nfn login() {}\n// REQ-AUTH-3 REQ-AUTH-9\n#[test]\nfn search() {}\n"),
            ),
        ],
        ..Case::new(
            &[
                "testability.requirement-untested",
                "testability.requirement-unknown",
                "testability.requirement-duplicate",
                "testability.wording-vague",
                "testability.wording-unmeasured",
                "testability.wording-no-acceptance",
            ],
            "version = 1\n[testability.requirements]\nspecs = [\"specs/**\"]\ntests = [\"tests/**\"]\n",
        )
    },
    Case {
        head: &[(
            "tests/calc.test.js",
            Some("describe('calc', () => {\n  it.only('adds', () => {});\n  it.skip('divides', () => {});\n});\n"),
        )],
        inputs: &[("results/junit.xml", JUNIT)],
        ..Case::new(
            &["testability.focused-test", "testability.skipped-test", "testability.junit-failures"],
            "version = 1\n[testability.test_hygiene]\njunit = [\"results/junit.xml\"]\n",
        )
    },
];

#[test]
fn testability() {
    run_all("testability", CASES);
}
