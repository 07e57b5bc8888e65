#!/usr/bin/env bash
# The contract gate on a generated ~5 MB JSON Schema bundle (2,000 `$defs`, each an object of 12
# properties with `$ref`s to neighbours, enums, bounds and patterns) and a revision with a few
# dozen scattered changes. Prints the gate's own time (from the JSON report's timings) and the
# wall time of the whole run. Usage: benches/contract-jsonschema-bundle.sh [target/release/gatehouse]
set -euo pipefail
bin=$(realpath "${1:-target/release/gatehouse}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import json, random, sys
random.seed(7)
def bundle(rev):
    defs = {}
    for i in range(2000):
        props = {}
        for j in range(12):
            k = f"p{j}"
            kind = (i + j) % 6
            if kind == 0: props[k] = {"type": "string", "maxLength": 64 - (1 if rev and i % 97 == 0 and j == 0 else 0), "pattern": "^[a-z0-9_-]+$", "description": "x" * 120}
            elif kind == 1: props[k] = {"type": "integer", "minimum": 0, "maximum": 1000 + i}
            elif kind == 2: props[k] = {"enum": [f"v{n}" for n in range(8 + (1 if rev and i % 89 == 0 else 0))]}
            elif kind == 3: props[k] = {"$ref": f"#/$defs/D{(i + 1) % 2000}"}
            elif kind == 4: props[k] = {"type": "array", "items": {"$ref": f"#/$defs/D{(i * 7) % 2000}"}, "maxItems": 50}
            else: props[k] = {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}
        req = ["p0", "p1"] + (["p2"] if rev and i % 113 == 0 else [])
        defs[f"D{i}"] = {"type": "object", "properties": props, "required": req, "additionalProperties": False, "title": f"Definition {i}", "description": "y" * 200}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/bundle.json", "$defs": defs, "$ref": "#/$defs/D0"}
for name, rev in (("base.json", False), ("head.json", True)):
    with open(f"{sys.argv[1]}/{name}", "w") as f:
        json.dump(bundle(rev), f, indent=1)
PY
g() { git -C "$tmp/r" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false "$@"; }
mkdir -p "$tmp/r/schemas"
g init -q -b main
printf 'version = 1\n[contract]\njsonschema = [{ path = "schemas/bundle.json" }]\n' > "$tmp/r/gates.toml"
cp "$tmp/base.json" "$tmp/r/schemas/bundle.json"
g add -A && g commit -qm base
g checkout -qb pr
cp "$tmp/head.json" "$tmp/r/schemas/bundle.json"
g add -A && g commit -qm head
echo "bundle: $(stat -c %s "$tmp/head.json") bytes"
for _ in 1 2 3; do
  start=$(date +%s.%N)
  "$bin" check --repo "$tmp/r" --format json > "$tmp/report.json" 2> "$tmp/err.txt" || { [ -s "$tmp/report.json" ] || { cat "$tmp/err.txt"; exit 1; }; }
  end=$(date +%s.%N)
  python3 - "$tmp/report.json" "$start" "$end" <<'PY'
import json, sys, collections
r = json.load(open(sys.argv[1]))
g = next(g for g in r["gates"] if g["gate"] == "contract")
changes = [c for k in g["details"]["contracts"] for c in k["changes"]]
print(f"gate {r.get('timings_ms', {}).get('contract')} ms, whole run {float(sys.argv[3]) - float(sys.argv[2]):.2f} s, "
      f"{len(changes)} changes ({dict(collections.Counter(c['level'] for c in changes))}), {len(g['findings'])} findings, conclusion {g['conclusion']}")
PY
done
