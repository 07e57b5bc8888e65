#!/usr/bin/env bash
# Builds Gatehouse, makes a small repository with a `main` branch and a pull-request branch in a
# temporary directory, and runs `gatehouse check` on it. The PR shows a passing gate, a failing
# gate, a waived finding, an inline suppression and an expired waiver.
#
#   bash examples/demo.sh            # human report
#   bash examples/demo.sh --keep     # keep the demo repository and print its path
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keep=false
[[ "${1:-}" == "--keep" ]] && keep=true

echo "==> building gatehouse" >&2
cargo build --quiet --manifest-path "$here/Cargo.toml" --bin gatehouse
bin="$here/target/debug/gatehouse"

repo="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-demo.XXXXXX")"
$keep || trap 'rm -rf "$repo"' EXIT
cd "$repo"
git init --quiet --initial-branch=main
git config user.name "Demo Maintainer"
git config user.email "maintainer@example.com"
git config commit.gpgsign false

# --- the base branch: code and the policy that will judge the PR -------------------------
mkdir -p src vendor
cat > gates.toml <<'TOML'
version = 1

[defaults]
mode = "block"
scope = "added"

[hygiene]
max_pr_lines = 40
max_pr_files = 4

[[patterns.forbid]]
id = "no-dbg"
pattern = '\bdbg!\('
paths = ["src/**/*.rs"]
message = "`dbg!` left in code"
help = "Remove it, or log through `tracing`."

[[patterns.forbid]]
id = "no-unwrap"
pattern = '\.unwrap\(\)'
paths = ["src/**/*.rs"]
severity = "warning"
message = "`unwrap()` panics on error"
help = "Return the error with `?` or handle it."

[[patterns.require]]
id = "license-header"
pattern = 'SPDX-License-Identifier'
paths = ["src/**/*.rs"]
message = "new source files need an SPDX license header"

# The vendored parser is reviewed upstream.
[[waivers]]
rule = "hygiene.max-pr-lines"
reason = "vendored parser update, reviewed upstream"
expires = "2099-12-31"

[[waivers]]
rule = "patterns.no-unwrap"
path = "src/legacy/**"
reason = "legacy module, scheduled for removal"
expires = "2020-01-01"
TOML
cat > src/lib.rs <<'RS'
// SPDX-License-Identifier: Apache-2.0
pub fn add(a: i32, b: i32) -> i32 {
    a + b
}
RS
git add -A && git commit --quiet -m "Initial commit with gates.toml"

# --- the pull request ---------------------------------------------------------------------
git checkout --quiet -b feature/parser
cat > src/lib.rs <<'RS'
// SPDX-License-Identifier: Apache-2.0
pub mod parse;

pub fn add(a: i32, b: i32) -> i32 {
    dbg!(a, b);
    a + b
}
RS
cat > src/parse.rs <<'RS'
// SPDX-License-Identifier: Apache-2.0
pub fn number(s: &str) -> i64 {
    // gatehouse: allow(patterns.no-unwrap) input is validated by the caller
    s.trim().parse().unwrap()
}
RS
for i in $(seq 1 40); do echo "rule_$i = $i"; done > vendor/grammar.txt
git add -A && git commit --quiet -m "feat(parser): number parsing"

echo "==> gatehouse check (repository: $repo)" >&2
set +e
"$bin" check --repo "$repo" --output "$repo/gatehouse.json" --output "$repo/gatehouse.sarif" --output "$repo/summary.md"
code=$?
set -e
echo
case $code in
  0) echo "gatehouse exited 0: every blocking gate passed." ;;
  1) echo "gatehouse exited 1: a blocking gate failed (expected here: the PR adds dbg!)." ;;
  *) echo "gatehouse exited $code" ; exit "$code" ;;
esac
if $keep; then
  echo "Reports: $repo/gatehouse.json, $repo/gatehouse.sarif, $repo/summary.md"
fi
