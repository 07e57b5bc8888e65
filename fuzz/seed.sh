#!/usr/bin/env bash
# Seeds each target's corpus from the repository's own fixtures (run from anywhere).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
mkdir -p "$here/corpus/diff_parse" "$here/corpus/policy_load"
cp "$root"/tests/data/diffs/*.diff "$root"/tests/data/diffs/*.patch "$here/corpus/diff_parse/"
cp "$root"/examples/policies/*.toml "$here/corpus/policy_load/"
for f in "$root"/gates/*.toml; do cp "$f" "$here/corpus/policy_load/gates-$(basename "$f")"; done
