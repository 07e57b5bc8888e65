#!/usr/bin/env bash
# Agreement of the architecture gate with peer tools, on real open-source code:
#   - layer verdicts vs import-linter (PyPI) on the `importlinter` package itself (Python);
#   - layer verdicts vs dependency-cruiser (npm) on dependency-cruiser's own `src/` (JavaScript, ESM);
#   - function complexity (CCN) and length vs lizard (PyPI) on the same two code bases.
# The projects come from the tools' own registry packages (pinned versions), so nothing is vendored.
# Gatehouse runs on a git repository whose PR adds the whole project, so every import is "added".
#
#   bash scripts/compare-architecture.sh            # needs python3, npm, cargo, git
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/gatehouse-compare}
IMPORT_LINTER=2.16
LIZARD=1.24.3
DEPCRUISE=17.4.3
mkdir -p "$WORK"

echo "== tools" >&2
[ -x "$WORK/venv/bin/lint-imports" ] || {
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q "import-linter==$IMPORT_LINTER" "lizard==$LIZARD"
}
[ -x "$WORK/npm/node_modules/.bin/depcruise" ] || {
  mkdir -p "$WORK/npm" && (cd "$WORK/npm" && npm init -y >/dev/null && npm install -s "dependency-cruiser@$DEPCRUISE" >/dev/null)
}
(cd "$ROOT" && cargo build -q --release --bin gatehouse --example lang_functions)
GH="$ROOT/target/release/gatehouse"
FUNCS="$ROOT/target/release/examples/lang_functions"

# A git repo whose `main` holds only gates.toml and whose branch `pr` adds the project.
make_repo() { # dir policy-file
  local dir=$1
  git -C "$dir" init -q -b main && git -C "$dir" config user.email c@x && git -C "$dir" config user.name c
  git -C "$dir" add gates.toml && git -C "$dir" commit -qm base
  git -C "$dir" checkout -qb pr && git -C "$dir" add -A && git -C "$dir" commit -qm project
}

echo "== Python: importlinter package vs import-linter" >&2
PY=$WORK/py
rm -rf "$PY" && mkdir -p "$PY"
cp -r "$WORK"/venv/lib/python3*/site-packages/importlinter "$PY/"
find "$PY" -name __pycache__ -prune -exec rm -rf {} +
cat > "$PY/.importlinter" <<'INI'
[importlinter]
root_package = importlinter
include_external_packages = False

[importlinter:contract:contracts-app]
name = contracts must not import application
type = forbidden
source_modules = importlinter.contracts
forbidden_modules = importlinter.application
allow_indirect_imports = True

[importlinter:contract:app-adapters]
name = application must not import adapters
type = forbidden
source_modules = importlinter.application
forbidden_modules = importlinter.adapters
allow_indirect_imports = True

[importlinter:contract:domain-pure]
name = domain must not import outer layers
type = forbidden
source_modules = importlinter.domain
forbidden_modules =
    importlinter.application
    importlinter.adapters
    importlinter.contracts
    importlinter.cli
    importlinter.api
allow_indirect_imports = True

[importlinter:contract:cli-domain]
name = cli must not import domain
type = forbidden
source_modules = importlinter.cli
forbidden_modules = importlinter.domain
allow_indirect_imports = True
INI
cat > "$PY/gates.toml" <<'TOML'
version = 1
[architecture]
cycles = false
layers = [
  { name = "contracts-app", from = "importlinter/contracts/**", deny = ["importlinter/application/**", "importlinter/application.py"] },
  { name = "app-adapters", from = "importlinter/application/**", deny = ["importlinter/adapters/**"] },
  { name = "domain-pure", from = "importlinter/domain/**", deny = ["importlinter/application/**", "importlinter/adapters/**", "importlinter/contracts/**", "importlinter/cli.py", "importlinter/api.py"] },
  { name = "cli-domain", from = "importlinter/cli.py", deny = ["importlinter/domain/**"] },
]
TOML
make_repo "$PY"
(cd "$PY" && COLUMNS=400 "$WORK/venv/bin/lint-imports" --no-cache > "$WORK/py-importlinter.txt" 2>&1 || true)
"$GH" check --repo "$PY" --base main --no-timings --format json --only architecture > "$WORK/py-gatehouse.json" || true

echo "== JavaScript: dependency-cruiser src vs dependency-cruiser" >&2
JS=$WORK/js
rm -rf "$JS" && mkdir -p "$JS"
cp -r "$WORK/npm/node_modules/dependency-cruiser/src" "$WORK/npm/node_modules/dependency-cruiser/package.json" "$JS/"
cat > "$JS/.dependency-cruiser.cjs" <<'JSC'
module.exports = {
  forbidden: [
    { name: "extract-report", severity: "error", from: { path: "^src/extract/" }, to: { path: "^src/report/" } },
    { name: "report-extract", severity: "error", from: { path: "^src/report/" }, to: { path: "^src/extract/" } },
    { name: "utl-only-utl", severity: "error", from: { path: "^src/utl/" }, to: { path: "^src/(?!utl/)" } },
    { name: "graph-utl", severity: "error", from: { path: "^src/graph-utl/" }, to: { path: "^src/(extract|report|cli|main|validate)/" } },
    { name: "cli-extract", severity: "error", from: { path: "^src/cli/" }, to: { path: "^src/(extract|enrich)/" } },
  ],
  options: { doNotFollow: { path: "node_modules" }, moduleSystems: ["es6", "cjs"] },
};
JSC
cat > "$JS/gates.toml" <<'TOML'
version = 1
[architecture]
cycles = false
layers = [
  { name = "extract-report", from = "src/extract/**", deny = ["src/report/**"] },
  { name = "report-extract", from = "src/report/**", deny = ["src/extract/**"] },
  { name = "utl-only-utl", from = "src/utl/**", allow = ["src/utl/**"] },
  { name = "graph-utl", from = "src/graph-utl/**", deny = ["src/extract/**", "src/report/**", "src/cli/**", "src/main/**", "src/validate/**"] },
  { name = "cli-extract", from = "src/cli/**", deny = ["src/extract/**", "src/enrich/**"] },
]
TOML
make_repo "$JS"
(cd "$JS" && "$WORK/npm/node_modules/.bin/depcruise" src --config .dependency-cruiser.cjs --output-type json > "$WORK/js-depcruise.json" 2>/dev/null || true)
"$GH" check --repo "$JS" --base main --no-timings --format json --only architecture > "$WORK/js-gatehouse.json" || true

echo "== complexity: lizard vs gatehouse" >&2
(cd "$PY" && find importlinter -name '*.py' | sort > "$WORK/py-files.txt")
(cd "$JS" && find src -name '*.mjs' -o -name '*.cjs' -o -name '*.js' | sort > "$WORK/js-files.txt")
(cd "$PY" && "$WORK/venv/bin/lizard" --csv $(cat "$WORK/py-files.txt") > "$WORK/py-lizard.csv" || true)
(cd "$JS" && "$WORK/venv/bin/lizard" --csv -l javascript $(cat "$WORK/js-files.txt") > "$WORK/js-lizard.csv" || true)
(cd "$PY" && "$FUNCS" $(cat "$WORK/py-files.txt") > "$WORK/py-gatehouse.csv")
(cd "$JS" && "$FUNCS" $(cat "$WORK/js-files.txt") > "$WORK/js-gatehouse.csv")

python3 - "$WORK" <<'PY'
import csv, json, re, sys
work = sys.argv[1]

def gh_findings(path):
    rep = json.load(open(path))
    out = set()
    for g in rep["gates"]:
        for f in g["findings"]:
            if f["rule"] == "architecture.layer":
                m = re.search(r"imports `([^`]+)`", f["message"])
                out.add((f["location"]["path"], f["location"]["start_line"], m.group(1) if m else "?"))
    return out

# Python: import-linter lists `- a.b -> c.d (l.12, l.14)` per direct import
il = set()
for line in open(f"{work}/py-importlinter.txt"):
    m = re.match(r"^-\s+(\S+) -> (\S+) \((l\.\d+(?:,\s*l\.\d+)*)\)", line.strip())
    if m:
        src = m.group(1).replace(".", "/")
        for n in re.findall(r"\d+", m.group(3)):
            il.add((src, int(n)))
ghp = gh_findings(f"{work}/py-gatehouse.json")
gh_lines = {(p.rsplit(".py", 1)[0].removesuffix("/__init__"), l) for p, l, _ in ghp}
print("## Layer verdicts, Python (importlinter package, 4 forbidden contracts, direct imports)")
print(f"import-linter: {len(il)} violating import lines; gatehouse: {len(gh_lines)}; both: {len(il & gh_lines)}")
print(f"  only import-linter: {sorted(il - gh_lines)}")
print(f"  only gatehouse: {sorted(gh_lines - il)}")
print("  import-linter verdict line:", [l.strip() for l in open(f"{work}/py-importlinter.txt") if "Contracts:" in l])

# JavaScript: dependency-cruiser violations are (from, to) module pairs, without lines
dc = json.load(open(f"{work}/js-depcruise.json"))
dcv = {(v["from"], v["to"]) for v in dc["summary"]["violations"]}
ghj = gh_findings(f"{work}/js-gatehouse.json")
ghv = {(p, t) for p, _, t in ghj}
print()
print("## Layer verdicts, JavaScript (dependency-cruiser src, 5 forbidden rules)")
print(f"dependency-cruiser: {len(dcv)} violating (from, to) pairs; gatehouse: {len(ghv)}; both: {len(dcv & ghv)}")
print(f"  only dependency-cruiser: {sorted(dcv - ghv)}")
print(f"  only gatehouse: {sorted(ghv - dcv)}")
print(f"  modules cruised by dependency-cruiser: {dc['summary']['totalCruised']}")

def compare(lang):
    liz = {}
    for row in csv.reader(open(f"{work}/{lang}-lizard.csv")):
        if len(row) < 11 or not row[1].isdigit():
            continue
        liz[(row[6].removeprefix("./"), int(row[9]))] = (row[7], int(row[1]), int(row[10]) - int(row[9]) + 1)
    gh = {}
    for row in csv.DictReader(open(f"{work}/{lang}-gatehouse.csv")):
        gh[(row["path"], int(row["start"]))] = (row["name"], int(row["ccn"]), int(row["lines"]))
    both = sorted(set(liz) & set(gh))
    ccn_eq = [k for k in both if liz[k][1] == gh[k][1]]
    len_eq = [k for k in both if liz[k][2] == gh[k][2]]
    diff = [(k, liz[k], gh[k]) for k in both if liz[k][1] != gh[k][1]]
    print(f"lizard: {len(liz)} functions; gatehouse: {len(gh)}; same start line: {len(both)}")
    print(f"  CCN equal on {len(ccn_eq)} of {len(both)}; length equal on {len(len_eq)} of {len(both)}")
    print(f"  found only by lizard: {len(set(liz) - set(gh))}; only by gatehouse: {len(set(gh) - set(liz))}")
    for k, l, g in diff[:12]:
        print(f"  CCN differs {k[0]}:{k[1]} {l[0]} lizard={l[1]} gatehouse={g[1]}")
    only_l = sorted(set(liz) - set(gh))[:8]
    for k in only_l:
        print(f"  only lizard: {k[0]}:{k[1]} {liz[k][0]}")
    only_g = sorted(set(gh) - set(liz))[:8]
    for k in only_g:
        print(f"  only gatehouse: {k[0]}:{k[1]} {gh[k][0]}")

print()
print("## Complexity vs lizard, Python (importlinter)")
compare("py")
print()
print("## Complexity vs lizard, JavaScript (dependency-cruiser src)")
compare("js")
PY
