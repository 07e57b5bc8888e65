//! Testability: is the change verifiable, and verified? Patch coverage from CI coverage
//! reports, tests changed with code, requirement traceability and wording, test hygiene.
//!
//! Each sub-table of `[testability]` is its own gate (`testability.coverage`,
//! `testability.tests-with-code`, `testability.requirements`, `testability.test-hygiene`), so
//! each can have its own `mode`, `on_error` and `scope`.

pub mod coverage;
pub mod patch;
pub mod requirements;
pub mod test_hygiene;
pub mod tests_with_code;
pub mod wording;

use super::{Built, Family, Gate, RuleInfo};
use crate::core::{GateCommon, PolicyError, Seg, Settings};
use crate::core::{Rule, Severity};
use crate::gates::Policy;

crate::core::settings::gate_config! {
    /// `[testability]`: coverage of the patch, tests with code, requirement traceability.
    pub struct Config {
        /// Patch coverage from coverage reports written by earlier CI steps.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub coverage: Option<patch::CoverageConfig>,
        /// When code changes, tests must change too.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tests_with_code: Option<tests_with_code::TestsWithCodeConfig>,
        /// Requirement ids in spec files, traced to tests; wording lint of changed requirements.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub requirements: Option<requirements::RequirementsConfig>,
        /// Focused/skipped tests on added lines; JUnit XML results with failures.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub test_hygiene: Option<test_hygiene::TestHygieneConfig>,
    }
}

pub const FAMILY: Family = Family { name: "testability", build, catalogue };

pub const PATCH_COVERAGE: Rule = Rule::new(
    "testability.patch-coverage",
    Severity::Error,
    "The share of executable added lines covered by tests is below `coverage.min_patch`.",
    "New code without tests is where regressions come from; the patch is what this review can still fix.",
    "Add tests that execute the uncovered lines listed in the annotations, or lower `min_patch` in a reviewed policy change.",
);

pub const UNCOVERED: Rule = Rule::new(
    "testability.uncovered-lines",
    Severity::Warning,
    "Added lines that the coverage report marks as executable but never executed.",
    "Each uncovered range is code no test runs.",
    "Add a test that executes these lines, or remove the dead code.",
);

pub const PROJECT_COVERAGE: Rule = Rule::new(
    "testability.project-coverage",
    Severity::Error,
    "Total line coverage of the project is below `coverage.min_project`.",
    "A floor on total coverage keeps the test suite from eroding change by change.",
    "Add tests, or lower `min_project` in a reviewed policy change.",
);

pub const UNKNOWN_FILE: Rule = Rule::new(
    "testability.coverage-unknown-file",
    Severity::Warning,
    "A coverage report names files that are not in the repository at head.",
    "Usually a path-mapping problem (absolute CI paths, another source root): those files' coverage is silently lost.",
    "Add a `path_map = [{ from = \"/ci/prefix/\", to = \"\" }]` entry or `source_roots`, or `exclude` generated/vendored paths.",
);

pub const TESTS_WITH_CODE: Rule = Rule::new(
    "testability.tests-with-code",
    Severity::Error,
    "Code files changed but no test file (or inline test module) changed with them.",
    "A behaviour change without a test change is either untested or changes no behaviour worth a test.",
    "Add or update tests in the same pull request; pure refactors can carry an exempt label (e.g. `refactor`).",
);

pub const REQ_UNTESTED: Rule = Rule::new(
    "testability.requirement-untested",
    Severity::Error,
    "A requirement added or changed in this pull request is not referenced by any test.",
    "A requirement no test names is a requirement nobody verifies.",
    "Reference the id (e.g. `REQ-AUTH-1`) in a test name or comment of a test that verifies it.",
);

pub const REQ_UNKNOWN: Rule = Rule::new(
    "testability.requirement-unknown",
    Severity::Error,
    "A test references a requirement id that no spec defines.",
    "A dangling reference means a typo or a deleted requirement: the trace is broken.",
    "Fix the id, or define the requirement in a spec file.",
);

pub const REQ_DUPLICATE: Rule = Rule::new(
    "testability.requirement-duplicate",
    Severity::Error,
    "The same requirement id is defined more than once.",
    "Two requirements with one id make every trace to it ambiguous.",
    "Give one of them a new id.",
);

pub const WORDING_VAGUE: Rule = Rule::new(
    "testability.wording-vague",
    Severity::Warning,
    "A changed requirement uses vague wording (\"fast\", \"user-friendly\", \"etc.\", \"TBD\"...).",
    "A requirement must be testable: vague words cannot be checked by any test.",
    "Replace the word with an observable, measurable statement.",
);

pub const WORDING_UNMEASURED: Rule = Rule::new(
    "testability.wording-unmeasured",
    Severity::Warning,
    "A changed requirement uses a performance word (latency, throughput...) without a number.",
    "\"Low latency\" is not verifiable; \"p99 latency under 200 ms\" is.",
    "State the quantity with a number and a unit.",
);

pub const WORDING_NO_ACCEPTANCE: Rule = Rule::new(
    "testability.wording-no-acceptance",
    Severity::Warning,
    "A changed requirement has no acceptance criteria (Given/When/Then, \"Acceptance:\", a shall/must statement...).",
    "Without acceptance criteria there is no agreed way to decide that the requirement is met.",
    "Add acceptance criteria (for example `Acceptance: given …, when …, then …`).",
);

pub const FOCUSED_TEST: Rule = Rule::new(
    "testability.focused-test",
    Severity::Error,
    "An added line focuses a test (`.only(`, `fit(`, `fdescribe(`): the rest of the suite would not run.",
    "A focused test silently disables every other test in CI.",
    "Remove the focus marker.",
);

pub const SKIPPED_TEST: Rule = Rule::new(
    "testability.skipped-test",
    Severity::Warning,
    "An added line skips or ignores a test (`it.skip`, `xit(`, `#[ignore]`, `@Disabled`, `@pytest.mark.skip`, `t.Skip(`).",
    "Skipped tests are untested code that still reads as tested.",
    "Fix the test, or keep the skip with a reason: `gatehouse: allow(testability.skipped-test) <reason>`.",
);

pub const JUNIT_FAILURES: Rule = Rule::new(
    "testability.junit-failures",
    Severity::Error,
    "A JUnit XML result file reports failed or errored tests.",
    "A red test suite must not merge.",
    "Fix the failing tests named in the finding.",
);

/// Every rule this family declares.
pub const RULES: &[&Rule] = &[
    &PATCH_COVERAGE,
    &UNCOVERED,
    &PROJECT_COVERAGE,
    &UNKNOWN_FILE,
    &TESTS_WITH_CODE,
    &REQ_UNTESTED,
    &REQ_UNKNOWN,
    &REQ_DUPLICATE,
    &WORDING_VAGUE,
    &WORDING_UNMEASURED,
    &WORDING_NO_ACCEPTANCE,
    &FOCUSED_TEST,
    &SKIPPED_TEST,
    &JUNIT_FAILURES,
];

pub fn catalogue() -> Vec<RuleInfo> {
    crate::core::rule::infos(RULES)
}

/// Key path `testability.<sub>.<more...>`.
pub(crate) fn at(sub: &str, more: &[&str]) -> Vec<Seg> {
    let mut v = vec![Seg::from("testability"), Seg::from(sub)];
    v.extend(more.iter().map(|m| Seg::from(*m)));
    v
}

fn build(policy: &Policy) -> Built {
    let Some(cfg) = &policy.testability else { return Ok(Vec::new()) };
    let mut gates: Vec<Box<dyn Gate>> = Vec::new();
    let mut errors: Vec<PolicyError> = Vec::new();
    let settings = |sub: crate::core::Common| Settings::resolve(&policy.defaults, &[cfg.common(), sub]);
    if let Some(c) = &cfg.coverage {
        match patch::CoverageGate::build(c, settings(c.common())) {
            Ok(g) => gates.push(Box::new(g)),
            Err(e) => errors.extend(e),
        }
    }
    if let Some(c) = &cfg.tests_with_code {
        match tests_with_code::TestsWithCodeGate::build(c, settings(c.common())) {
            Ok(g) => gates.push(Box::new(g)),
            Err(e) => errors.extend(e),
        }
    }
    if let Some(c) = &cfg.requirements {
        match requirements::RequirementsGate::build(c, settings(c.common())) {
            Ok(g) => gates.push(Box::new(g)),
            Err(e) => errors.extend(e),
        }
    }
    if let Some(c) = &cfg.test_hygiene {
        match test_hygiene::TestHygieneGate::build(c, settings(c.common())) {
            Ok(g) => gates.push(Box::new(g)),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() { Ok(gates) } else { Err(errors) }
}
