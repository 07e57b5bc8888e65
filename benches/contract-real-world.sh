#!/usr/bin/env bash
# The contract gate on two published versions of a large real spec (e.g. GitHub's REST API
# description from npm `@octokit/openapi`, ~12 MB of JSON each). The specs are not committed.
#
#   npm pack @octokit/openapi@21.0.0 @octokit/openapi@23.0.2   # in /tmp
#   benches/contract-real-world.sh old/package/generated/api.github.com.json \
#       new/package/generated/api.github.com.json [target/release/gatehouse]
#
# Prints the gate's own time (from the JSON report's timings), the wall time of the whole run,
# the changes by level and by rule, and a few examples of each breaking rule.
set -euo pipefail
base=$(realpath "$1") head=$(realpath "$2") bin=$(realpath "${3:-target/release/gatehouse}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g() { git -C "$tmp" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false "$@"; }
g init -q -b main
mkdir -p "$tmp/api"
printf 'version = 1\n[contract]\nopenapi = [{ path = "api/openapi.json" }]\n' > "$tmp/gates.toml"
cp "$base" "$tmp/api/openapi.json"
g add -A && g commit -qm base
g checkout -qb pr
cp "$head" "$tmp/api/openapi.json"
g add -A && g commit -qm head
start=$(date +%s.%N)
"$bin" check --repo "$tmp" --format json > "$tmp/report.json" || true
end=$(date +%s.%N)
python3 - "$tmp/report.json" "$start" "$end" <<'PY'
import json, sys, collections
r = json.load(open(sys.argv[1]))
g = next(g for g in r["gates"] if g["gate"] == "contract")
print(f"conclusion: {g['conclusion']}  error: {g.get('error')}")
print(f"gate time: {r.get('timings_ms', {}).get('contract')} ms; whole run: {float(sys.argv[3]) - float(sys.argv[2]):.2f} s")
changes = [c for k in g["details"]["contracts"] for c in k["changes"]]
print(f"changes: {len(changes)}; findings (merged per place): {len(g['findings'])}")
print("by level:", dict(collections.Counter(c["level"] for c in changes)))
by_rule = collections.Counter((c["level"], c["rule"]) for c in changes)
for (level, rule), n in sorted(by_rule.items(), key=lambda x: (x[0][0] != "breaking", -x[1])):
    print(f"  {level:9} {n:6}  {rule}")
places = collections.Counter(f["rule"] for f in g["findings"] if f["severity"] == "error")
print("breaking findings (one per changed place) by rule:", dict(places))
seen = collections.Counter()
for c in changes:
    if c["level"] == "breaking" and seen[c["rule"]] < 3:
        seen[c["rule"]] += 1
        ctx = f" {c['context']}" if c.get("context") else ""
        print(f"  e.g. {c['rule']}: {c['group']}{ctx}: {c['message']} ({c['pointer']})")
PY
