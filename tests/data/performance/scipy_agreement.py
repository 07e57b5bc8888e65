import json, os, subprocess, shutil, tempfile
from scipy import stats
# Compares the performance gate's statistics on the real fixtures here with scipy's.
# Usage (from the repository root, after `cargo build`):
#   python3 -m venv /tmp/sp && /tmp/sp/bin/pip install scipy
#   /tmp/sp/bin/python tests/data/performance/scipy_agreement.py
D = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("GATEHOUSE", os.path.join(D, "../../../target/debug/gatehouse"))

def samples(kind, path, side):
    out = {}
    if kind == "criterion":
        for g in os.listdir(path):
            for b in os.listdir(f"{path}/{g}"):
                d = f"{path}/{g}/{b}/{side}"
                s = json.load(open(f"{d}/sample.json")); e = json.load(open(f"{d}/estimates.json"))
                out[f"{g}/{b}"] = ([t / i for t, i in zip(s["times"], s["iters"])], e["mean"]["point_estimate"])
    elif kind == "hyperfine":
        for r in json.load(open(path))["results"]:
            out[r["command"]] = ([t * 1e9 for t in r["times"]], r["mean"] * 1e9)
    else:
        for b in json.load(open(path))["benchmarks"]:
            out[b["fullname"]] = ([t * 1e9 for t in b["stats"]["data"]], b["stats"]["mean"] * 1e9)
    return out

def gate(policy, files):
    with tempfile.TemporaryDirectory() as t:
        run = lambda *a: subprocess.run(a, cwd=t, check=True, capture_output=True)
        run("git", "init", "-q", "-b", "main"); run("git", "config", "user.email", "a@b"); run("git", "config", "user.name", "t")
        open(f"{t}/gates.toml", "w").write(policy); open(f"{t}/a", "w").write("a")
        run("git", "add", "-A"); run("git", "commit", "-qm", "b"); run("git", "checkout", "-qb", "pr")
        open(f"{t}/a", "w").write("b"); run("git", "commit", "-qam", "p")
        for src, dst in files:
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, f"{t}/{dst}")
        r = subprocess.run([BIN, "check", "--format", "json", "--no-timings"], cwd=t, capture_output=True)
        rep = json.loads(r.stdout)
        g = [g for g in rep["gates"] if g["gate"] == "performance"][0]
        return {b["name"]: b for b in g["details"]["benchmarks"]}

cases = []
for gen in ["gen1-noise", "gen1-slow", "gen2-noise", "gen2-slow"]:
    p = f"{D}/criterion/{gen}"
    cases.append((gen, 'benchmarks = [{ format = "criterion", path = "target/criterion" }]', [(f"{D}/criterion/{gen}", "target/criterion")],
                  samples("criterion", p, "base"), samples("criterion", p, "new")))
for h in ["head-same", "head-slow"]:
    cases.append((f"hyperfine {h}", 'benchmarks = [{ format = "hyperfine", path = "h.json", base = "b.json" }]',
                  [(f"{D}/hyperfine/{h}.json", "h.json"), (f"{D}/hyperfine/base.json", "b.json")],
                  samples("hyperfine", f"{D}/hyperfine/base.json", 0), samples("hyperfine", f"{D}/hyperfine/{h}.json", 0)))
cases.append(("pytest", 'benchmarks = [{ format = "pytest-benchmark", path = "h.json", base = "b.json" }]',
              [(f"{D}/pytest-benchmark/head.json", "h.json"), (f"{D}/pytest-benchmark/base.json", "b.json")],
              samples("pytest", f"{D}/pytest-benchmark/base.json", 0), samples("pytest", f"{D}/pytest-benchmark/head.json", 0)))
worst = {"welch_p": 0, "ci": 0, "mwu_p": 0}
n = 0
print("| case | benchmark | n base/head | change | Welch p (ours / scipy) | CI low (ours / scipy) | MWU p (ours / scipy) |")
print("|---|---|---|---|---|---|---|")
for name, bench, files, base, head in cases:
    welch = gate(f"version = 1\n[performance]\n{bench}\n", files)
    mwu = gate(f"version = 1\n[performance]\ntest = \"mann-whitney\"\n{bench}\n", files)
    for k in sorted(head):
        hs, hv = head[k]; bs, bv = base[k]
        t = stats.ttest_ind(hs, bs, equal_var=False)
        ci = t.confidence_interval(0.95)
        u = stats.mannwhitneyu(hs, bs, alternative="two-sided", method="asymptotic")
        ours = welch[k]; om = mwu[k]
        rel = lambda a, b: abs(a - b) / max(abs(b), 1e-300)
        worst["welch_p"] = max(worst["welch_p"], rel(ours["p"], t.pvalue) if t.pvalue > 1e-300 else 0)
        worst["ci"] = max(worst["ci"], rel(ours["ci"][0], ci.low / bv), rel(ours["ci"][1], ci.high / bv))
        worst["mwu_p"] = max(worst["mwu_p"], rel(om["p"], u.pvalue))
        n += 1
        print(f"| {name} | `{k}` | {len(bs)}/{len(hs)} | {ours['change']*100:+.1f}% | {ours['p']:.3g} / {t.pvalue:.3g} | {ours['ci'][0]*100:+.2f}% / {ci.low/bv*100:+.2f}% | {om['p']:.3g} / {u.pvalue:.3g} |")
print(f"\n{n} comparisons; worst relative difference: Welch p {worst['welch_p']:.2e}, CI bounds {worst['ci']:.2e}, Mann-Whitney p {worst['mwu_p']:.2e}")
