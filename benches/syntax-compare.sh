#!/usr/bin/env bash
# The syntax layer (src/syntax) side by side with what it replaces and with the references:
#   1. functions: CCN and length vs lizard, for the line scanner (src/lang.rs) and src/syntax;
#   2. imports: the architecture gate's line scanner vs src/syntax, with the differing lines;
#   3. throughput: benches/syntax.rs (scanner, parse, parse+extract) next to `cat | wc -l` and
#      `grep -c import` over the same files as the physical reference.
#
#   bash benches/syntax-compare.sh DIR...     # checked-out repositories (needs python3, cargo)
#
# Release build without LTO to keep the build short; the parse itself is C compiled by cc at -O3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/gatehouse-syntax-compare}
LIZARD=1.24.3
mkdir -p "$WORK"
[ -x "$WORK/venv/bin/lizard" ] || { python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install -q "lizard==$LIZARD"; }
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16
(cd "$ROOT" && cargo build -q --release --examples --benches)
BIN="$ROOT/target/release/examples"

for dir in "$@"; do
  name=$(basename "$dir")
  (cd "$dir" && find . -type f \( -name '*.py' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.ts' \
      -o -name '*.tsx' -o -name '*.jsx' -o -name '*.go' -o -name '*.rs' -o -name '*.java' -o -name '*.kt' \) \
      -not -path '*/node_modules/*' -not -name '*.min.js' -not -name '*.d.ts' | sed 's|^\./||' | sort > "$WORK/$name.files")
  echo "== $name: $(wc -l < "$WORK/$name.files") files" >&2
  # lizard is the slow part (about 1 MB/s): its output is kept between runs
  [ -s "$WORK/$name.lizard.csv" ] ||
    (cd "$dir" && { xargs -a "$WORK/$name.files" "$WORK/venv/bin/lizard" --csv > "$WORK/$name.lizard.csv" 2>/dev/null || true; })
  (cd "$dir" && xargs -a "$WORK/$name.files" "$BIN/lang_functions" > "$WORK/$name.old.csv")
  (cd "$dir" && xargs -a "$WORK/$name.files" "$BIN/syntax_functions" > "$WORK/$name.new.csv" 2> "$WORK/$name.new.err")
  (cd "$dir" && xargs -a "$WORK/$name.files" "$BIN/syntax_imports" > "$WORK/$name.imports.tsv")
done

python3 - "$WORK" "$@" <<'PY'
import csv, os, sys, collections
work, dirs = sys.argv[1], sys.argv[2:]

def ext_group(p):
    e = p.rsplit('.', 1)[-1]
    return {'mjs': 'js', 'cjs': 'js', 'jsx': 'js', 'tsx': 'ts'}.get(e, e)

def lizard(name):
    out = {}
    for row in csv.reader(open(f"{work}/{name}.lizard.csv", errors="replace")):
        if len(row) < 11 or not row[1].isdigit():
            continue
        out[(row[6].removeprefix("./"), int(row[9]))] = (row[7], int(row[1]), int(row[10]) - int(row[9]) + 1)
    return out

def ours(path):
    out = {}
    for row in csv.DictReader(open(path, errors="replace")):
        out[(row["path"], int(row["start"]))] = (row["name"], int(row["ccn"]), int(row["lines"]))
    return out

print("## Functions vs lizard (matched by file and start line)")
print("| repo | lang | lizard fns | tool | found | CCN equal | length equal |")
print("|---|---|---|---|---|---|---|")
for d in dirs:
    name = os.path.basename(d.rstrip('/'))
    liz = lizard(name)
    for tool, path in (("lines (lang.rs)", f"{work}/{name}.old.csv"), ("syntax", f"{work}/{name}.new.csv")):
        gh = ours(path)
        groups = sorted({ext_group(k[0]) for k in liz})
        for g in groups:
            L = {k: v for k, v in liz.items() if ext_group(k[0]) == g}
            G = {k: v for k, v in gh.items() if ext_group(k[0]) == g}
            both = set(L) & set(G)
            if not L:
                continue
            ccn = sum(L[k][1] == G[k][1] for k in both)
            ln = sum(L[k][2] == G[k][2] for k in both)
            pct = lambda a, b: f"{100 * a / b:.0f}%" if b else "-"
            print(f"| {name} | {g} | {len(L)} | {tool} | {len(both)} ({pct(len(both), len(L))}), extra {len(set(G) - set(L))} "
                  f"| {ccn}/{len(both)} ({pct(ccn, len(both))}) | {ln}/{len(both)} ({pct(ln, len(both))}) |")
    gh = ours(f"{work}/{name}.new.csv")
    diffs = [(k, liz[k], gh[k]) for k in sorted(set(liz) & set(gh)) if liz[k][1] != gh[k][1] or liz[k][2] != gh[k][2]]
    for k, l, g in diffs[:6]:
        print(f"    differs {k[0]}:{k[1]} {l[0]}: lizard ccn={l[1]} len={l[2]}, syntax ccn={g[1]} len={g[2]}")
    for k in sorted(set(liz) - set(gh))[:4]:
        print(f"    only lizard {k[0]}:{k[1]} {liz[k][0]}")
    for k in sorted(set(gh) - set(liz))[:4]:
        print(f"    only syntax {k[0]}:{k[1]} {gh[k][0]}")

print()
print("## Imports: line scanner (old) vs syntax (new), as (file, line, specifier)")
for d in dirs:
    name = os.path.basename(d.rstrip('/'))
    sets = collections.defaultdict(set)
    for line in open(f"{work}/{name}.imports.tsv", errors="replace"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 4:
            sets[parts[0]].add((parts[1], int(parts[2]), parts[3]))
    old, new = sets["old"], sets["new"]
    # the scanner has no CSS/Vue support: compare only files it reads
    old_files = {p for p, _, _ in old}
    scannable = {x for x in new if ext_group(x[0]) in ("py", "js", "ts", "go", "rs", "java", "kt")}
    print(f"{name}: old {len(old)}, new {len(scannable)}, both {len(old & scannable)}, "
          f"only old {len(old - scannable)}, only new {len(scannable - old)}")
    for x in sorted(old - scannable)[:8]:
        print(f"    only old: {x[0]}:{x[1]} {x[2]}")
    for x in sorted(scannable - old)[:8]:
        print(f"    only new: {x[0]}:{x[1]} {x[2]}")
PY

echo
echo "## Throughput"
for dir in "$@"; do
  name=$(basename "$dir")
  bytes=$(cd "$dir" && xargs -a "$WORK/$name.files" cat | wc -c)
  t0=$(date +%s.%N); (cd "$dir" && xargs -a "$WORK/$name.files" cat | wc -l > /dev/null); t1=$(date +%s.%N)
  (cd "$dir" && { xargs -a "$WORK/$name.files" grep -c import > /dev/null || true; }); t2=$(date +%s.%N)
  python3 -c "b=$bytes/1e6; print(f'$name: {b:.2f} MB; cat|wc -l {b/($t1-$t0):.0f} MB/s; grep -c import {b/($t2-$t1):.0f} MB/s')"
  (cd "$ROOT" && cargo bench -q --bench syntax -- "$dir")
done
