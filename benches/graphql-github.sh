#!/usr/bin/env bash
# The GraphQL contract gate on GitHub's public schema (~1.2 MB of SDL), side by side with
# graphql-inspector. The schemas are not committed:
#
#   (cd /tmp && npm pack @octokit/graphql-schema@14.0.0 @octokit/graphql-schema@15.0.0)
#   (graphql-inspector refuses later releases: they define two fields of EnterpriseOwnerInfo twice;
#   Gatehouse reads them, keeping the first definition)
#   npm install --prefix /tmp/gi @graphql-inspector/cli graphql
#   benches/graphql-github.sh old/schema.graphql new/schema.graphql \
#       [target/release/gatehouse] [/tmp/gi/node_modules/.bin/graphql-inspector]
#
# Two comparisons: OLD → NEW (real releases), and NEW → a copy of NEW with a field removed, an
# argument made required, an enum value added and a description changed. For each: the gate's
# own time (from the JSON report's timings, best of 5), the whole `gatehouse check` run, and
# graphql-inspector's `diff` run, with the changes each reports by level.
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2")
bin=$(realpath "${3:-target/release/gatehouse}")
gi=${4:-/tmp/gi/node_modules/.bin/graphql-inspector}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$new" "$tmp/changed.graphql" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'  """\n[^"]*\n  """\n  viewerCanAdminister: Boolean!\n', "", s, count=1)  # field removed
s = s.replace("\n  repository(\n", '\n  repository(\n    """Bench."""\n    bench: Int!\n', 1)            # required arg
s = s.replace("enum IssueState {\n", "enum IssueState {\n  \"\"\"Bench.\"\"\"\n  ARCHIVED\n", 1)  # enum value
s = s.replace('"""\nThe query root of GitHub\'s GraphQL interface.\n"""', '"""\nThe query root.\n"""', 1)
open(sys.argv[2], "w").write(s)
PY

run() { # base head label
  local repo="$tmp/repo-$3"
  g() { git -C "$repo" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false "$@"; }
  mkdir -p "$repo" && g init -q -b main
  printf 'version = 1\n[contract]\ngraphql = [{ path = "schema.graphql" }]\n' > "$repo/gates.toml"
  cp "$1" "$repo/schema.graphql" && g add -A && g commit -qm base
  g checkout -qb pr && cp "$2" "$repo/schema.graphql" && g add -A && g commit -qm head
  local best=999999 wall
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s%N)
    "$bin" check --repo "$repo" --format json > "$tmp/report.json" || true
    end=$(date +%s%N)
    local gate
    gate=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['timings_ms']['contract'])" "$tmp/report.json")
    (( gate < best )) && best=$gate && wall=$(( (end - start) / 1000000 ))
  done
  python3 - "$tmp/report.json" "$3" "$best" "$wall" <<'PY'
import json, sys, collections
r = json.load(open(sys.argv[1]))
g = next(g for g in r["gates"] if g["gate"] == "contract")
changes = [c for k in g["details"]["contracts"] for c in k["changes"]]
print(f"{sys.argv[2]}: gatehouse gate {sys.argv[3]} ms (best of 5), whole run {sys.argv[4]} ms; "
      f"{len(changes)} changes {dict(collections.Counter(c['level'] for c in changes))}; conclusion {g['conclusion']}")
PY
  /usr/bin/time -f "$3: gatehouse check CPU %U s user + %S s system" "$bin" check --repo "$repo" --format json > /dev/null || true
  if [ -x "$gi" ]; then
    local start end out
    start=$(date +%s%N)
    out=$(/usr/bin/time -f "CPU %U s user + %S s system" "$gi" diff "$1" "$2" 2>&1 || true)
    end=$(date +%s%N)
    echo "$3: graphql-inspector diff $(( (end - start) / 1000000 )) ms, $(tail -1 <<<"$out"); $(grep -c '✖' <<<"$out") breaking, $(grep -c '⚠' <<<"$out") dangerous, $(grep -c '✔' <<<"$out") safe"
  fi
}
run "$old" "$new" releases
run "$new" "$tmp/changed.graphql" edited-copy
