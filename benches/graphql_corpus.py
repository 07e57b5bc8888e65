#!/usr/bin/env python3
"""graphql-inspector on Gatehouse's labelled GraphQL corpus (tests/data/contract/corpus/graphql).

    npm install --prefix /tmp/gi @graphql-inspector/cli graphql
    benches/graphql_corpus.py /tmp/gi/node_modules/.bin/graphql-inspector

Runs `graphql-inspector diff base head` on every pair (the CLI's default rules) and reports how
many expected changes it finds at the expected level, and how many pairs it judges breaking like
the labels do. Its change types are mapped to Gatehouse rules with the table in README.md.
"""
import json, os, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests/data/contract/corpus/graphql"
LEVEL = {"BREAKING": "breaking", "DANGEROUS": "warning", "NON_BREAKING": "info"}

# graphql-inspector change type → Gatehouse rules it may correspond to.
MAP = {
    "FIELD_ARGUMENT_DESCRIPTION_CHANGED": ["description-changed"],
    "FIELD_ARGUMENT_DEFAULT_CHANGED": ["argument-default-changed"],
    "FIELD_ARGUMENT_TYPE_CHANGED": ["argument-type-changed", "type-changed-safely"],
    "DIRECTIVE_REMOVED": ["directive-removed"],
    "DIRECTIVE_ADDED": ["directive-added"],
    "DIRECTIVE_DESCRIPTION_CHANGED": ["description-changed"],
    "DIRECTIVE_LOCATION_ADDED": ["directive-location-added"],
    "DIRECTIVE_LOCATION_REMOVED": ["directive-location-removed"],
    "DIRECTIVE_ARGUMENT_ADDED": ["required-directive-argument-added", "optional-directive-argument-added"],
    "DIRECTIVE_ARGUMENT_REMOVED": ["directive-argument-removed"],
    "DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED": ["description-changed"],
    "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED": ["directive-argument-default-changed"],
    "DIRECTIVE_ARGUMENT_TYPE_CHANGED": ["directive-argument-type-changed", "type-changed-safely"],
    "DIRECTIVE_REPEATABLE_ADDED": ["directive-repeatable-added"],
    "DIRECTIVE_REPEATABLE_REMOVED": ["directive-repeatable-removed"],
    "ENUM_VALUE_REMOVED": ["enum-value-removed"],
    "ENUM_VALUE_ADDED": ["enum-value-added"],
    "ENUM_VALUE_DESCRIPTION_CHANGED": ["description-changed"],
    "ENUM_VALUE_DEPRECATION_REASON_CHANGED": ["deprecation-reason-changed"],
    "ENUM_VALUE_DEPRECATION_REASON_ADDED": ["deprecation-added", "deprecation-reason-changed"],
    "ENUM_VALUE_DEPRECATION_REASON_REMOVED": ["deprecation-removed", "deprecation-reason-changed"],
    "FIELD_REMOVED": ["field-removed"],
    "FIELD_ADDED": ["field-added"],
    "FIELD_DESCRIPTION_CHANGED": ["description-changed"],
    "FIELD_DESCRIPTION_ADDED": ["description-changed"],
    "FIELD_DESCRIPTION_REMOVED": ["description-changed"],
    "FIELD_DEPRECATION_ADDED": ["deprecation-added"],
    "FIELD_DEPRECATION_REMOVED": ["deprecation-removed"],
    "FIELD_DEPRECATION_REASON_CHANGED": ["deprecation-reason-changed"],
    "FIELD_DEPRECATION_REASON_ADDED": ["deprecation-reason-changed"],
    "FIELD_DEPRECATION_REASON_REMOVED": ["deprecation-reason-changed"],
    "FIELD_TYPE_CHANGED": ["field-type-changed", "type-changed-safely"],
    "FIELD_ARGUMENT_ADDED": ["required-argument-added", "optional-argument-added"],
    "FIELD_ARGUMENT_REMOVED": ["argument-removed"],
    "INPUT_FIELD_REMOVED": ["input-field-removed"],
    "INPUT_FIELD_ADDED": ["required-input-field-added", "optional-input-field-added", "input-field-added-with-default"],
    "INPUT_FIELD_DESCRIPTION_ADDED": ["description-changed"],
    "INPUT_FIELD_DESCRIPTION_REMOVED": ["description-changed"],
    "INPUT_FIELD_DESCRIPTION_CHANGED": ["description-changed"],
    "INPUT_FIELD_DEFAULT_VALUE_CHANGED": ["input-field-default-changed"],
    "INPUT_FIELD_TYPE_CHANGED": ["input-field-type-changed", "type-changed-safely"],
    "OBJECT_TYPE_INTERFACE_ADDED": ["interface-added"],
    "OBJECT_TYPE_INTERFACE_REMOVED": ["interface-removed"],
    "SCHEMA_QUERY_TYPE_CHANGED": ["root-type-changed", "root-type-added"],
    "SCHEMA_MUTATION_TYPE_CHANGED": ["root-type-changed", "root-type-added"],
    "SCHEMA_SUBSCRIPTION_TYPE_CHANGED": ["root-type-changed", "root-type-added"],
    "TYPE_REMOVED": ["type-removed"],
    "TYPE_ADDED": ["type-added"],
    "TYPE_KIND_CHANGED": ["type-kind-changed"],
    "TYPE_DESCRIPTION_CHANGED": ["description-changed"],
    "TYPE_DESCRIPTION_REMOVED": ["description-changed"],
    "TYPE_DESCRIPTION_ADDED": ["description-changed"],
    "UNION_MEMBER_REMOVED": ["union-member-removed"],
    "UNION_MEMBER_ADDED": ["union-member-added"],
    "DIRECTIVE_USAGE_ARGUMENT_ADDED": ["directive-usage-argument-added"],
    "DIRECTIVE_USAGE_ARGUMENT_REMOVED": ["directive-usage-argument-changed"],
}
for kind in ["UNION_MEMBER", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "FIELD", "SCALAR", "OBJECT", "INTERFACE",
             "ARGUMENT_DEFINITION", "SCHEMA", "FIELD_DEFINITION", "INPUT_FIELD_DEFINITION"]:
    MAP[f"DIRECTIVE_USAGE_{kind}_ADDED"] = ["directive-usage-added", "oneof-added", "deprecation-added"]
    MAP[f"DIRECTIVE_USAGE_{kind}_REMOVED"] = ["directive-usage-removed", "oneof-removed", "deprecation-removed"]


def pairs():
    for f in sorted(CORPUS.glob("*.pairs")):
        for block in f.read_text().split("\n=== ")[0:]:
            block = block.removeprefix("=== ")
            name, rest = block.split("\n", 1)
            base = rest.split("--- base\n", 1)[1].split("--- head\n", 1)[0]
            head = rest.split("--- head\n", 1)[1].split("--- expect\n", 1)[0]
            expect = [l.split(None, 2) for l in rest.split("--- expect\n", 1)[1].splitlines() if l.strip()]
            yield f"{f.stem}: {name.strip()}", base, head, expect


HANDLER = """module.exports = (r) => {
  const all = [...r.breakingChanges, ...r.dangerousChanges, ...r.nonBreakingChanges];
  require('fs').writeFileSync(process.env.GI_OUT, JSON.stringify(all.map(c => ({type: c.type, level: c.criticality.level, path: c.path || ''}))));
  return 0;
};
"""


def main():
    gi = sys.argv[1]
    tmp = Path(tempfile.mkdtemp())
    (tmp / "dump.js").write_text(HANDLER)
    stats = dict(pairs=0, breaking_pairs=0, breaking_found=0, false_breaking=0, expected=0, at_level=0, errors=0)
    elapsed = 0.0
    for name, base, head, expect in pairs():
        stats["pairs"] += 1
        (tmp / "old.graphql").write_text(base)
        (tmp / "new.graphql").write_text(head)
        out = tmp / "out.json"
        out.unlink(missing_ok=True)
        start = time.time()
        p = subprocess.run([gi, "diff", str(tmp / "old.graphql"), str(tmp / "new.graphql"), "--onComplete", str(tmp / "dump.js")],
                           capture_output=True, text=True, env={**os.environ, "GI_OUT": str(out)})
        elapsed += time.time() - start
        if out.exists():
            got = json.loads(out.read_text())
        elif "No changes detected" in p.stdout + p.stderr:
            got = []
        else:
            stats["errors"] += 1
            print(f"ERROR {name}: {(p.stdout + p.stderr).strip().splitlines()[-1:]}")
            continue
        got = [(LEVEL[c["level"]], MAP.get(c["type"], [c["type"]]), c["path"]) for c in got]
        breaking = any(e[0] == "breaking" for e in expect)
        judged = any(g[0] == "breaking" for g in got)
        stats["breaking_pairs"] += breaking
        stats["breaking_found"] += breaking and judged
        stats["false_breaking"] += judged and not breaking
        for level, rule, coord in expect:
            stats["expected"] += 1
            if any(l == level and rule in rules for l, rules, _ in got):
                stats["at_level"] += 1
            else:
                print(f"MISS {name}: {level} {rule} {coord}; graphql-inspector: {[(l, r[0], p) for l, r, p in got]}")
        if judged and not breaking:
            print(f"FALSE BREAKING {name}: {got}")
    s = stats
    print(f"\npairs {s['pairs']}, errors {s['errors']}; breaking pairs found {s['breaking_found']}/{s['breaking_pairs']}, "
          f"non-breaking pairs judged breaking {s['false_breaking']}/{s['pairs'] - s['breaking_pairs']}; "
          f"expected changes at their level {s['at_level']}/{s['expected']}; {elapsed / s['pairs'] * 1000:.0f} ms a pair")


if __name__ == "__main__":
    main()
