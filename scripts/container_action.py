#!/usr/bin/env python3
"""What scripts/container-test.sh needs from YAML and JSON.

  env     the step's environment as GitHub builds it for a container action: `INPUT_<NAME>`
          (upper case, spaces to `_`, hyphens kept) from action.yml's defaults overridden by the
          `with:` of the Gatehouse step in the README's Action example; NUL-separated
          KEY=VALUE on stdout. Also checks that the README's `uses:` ref, the image tag in
          action.yml and the crate version agree.
  args    action.yml's `runs.args`, NUL-separated.
  check   asserts what GitHub would see after the run (check runs, outputs, summary) and that
          the secrets appear in no output.
"""

import argparse
import json
import os
import re
import sys

import yaml

STEP_USES = re.compile(r"^gatehouse-dev/gatehouse@(\S+)$")


def fail(msg):
    print(f"container test: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def readme_example(readme):
    """The first ```yaml block of the README's "## GitHub Action" section, parsed."""
    text = open(readme, encoding="utf-8").read()
    start = text.find("\n## GitHub Action")
    if start < 0:
        fail(f"{readme}: no '## GitHub Action' section")
    m = re.search(r"```yaml\n(.*?)```", text[start:], re.S)
    if not m:
        fail(f"{readme}: no yaml example in the GitHub Action section")
    return yaml.safe_load(m.group(1))


def gatehouse_step(workflow):
    for job in (workflow.get("jobs") or {}).values():
        for step in job.get("steps") or []:
            m = STEP_USES.match(str(step.get("uses", "")))
            if m:
                return step, m.group(1)
    fail("the README example has no `uses: gatehouse-dev/gatehouse@...` step")


def crate_version(cargo_toml):
    m = re.search(r'(?m)^version\s*=\s*"([^"]+)"', open(cargo_toml, encoding="utf-8").read())
    return m.group(1)


def expand(value, token):
    """Evaluates the only expression the example and the defaults may use."""
    value = str(value)
    value = re.sub(r"\$\{\{\s*(github\.token|secrets\.GITHUB_TOKEN)\s*\}\}", lambda _: token, value)
    if "${{" in value:
        fail(f"unsupported expression in an input: {value!r}")
    return value


def cmd_env(a):
    action = yaml.safe_load(open(a.action, encoding="utf-8"))
    workflow = readme_example(a.readme)
    step, ref = gatehouse_step(workflow)
    version = crate_version(a.cargo)
    image = action["runs"]["image"]
    # Between releases: the version's tag. On a release tag: the digest the release pushed.
    tagged = re.match(r"^docker://ghcr\.io/gatehouse-dev/gatehouse:(\S+)$", image)
    pinned = re.match(r"^docker://ghcr\.io/gatehouse-dev/gatehouse@sha256:[0-9a-f]{64}$", image)
    if not (tagged or pinned):
        fail(f"{a.action}: runs.image should be docker://ghcr.io/gatehouse-dev/gatehouse:<version>, not {image!r}")
    if ref != f"v{version}" or (tagged and tagged.group(1) != version):
        fail(f"versions disagree: Cargo.toml {version}, action.yml {image}, README uses @{ref}")
    perms = workflow.get("permissions") or {}
    if perms.get("checks") != "write" or perms.get("contents") != "read":
        fail(f"the README example's permissions should grant checks: write and contents: read: {perms}")
    token = os.environ["GATEHOUSE_TEST_TOKEN"]
    inputs = {name: spec.get("default", "") for name, spec in (action.get("inputs") or {}).items()}
    for name, value in (step.get("with") or {}).items():
        if name not in inputs:
            fail(f"the README example sets `{name}`, which action.yml does not declare")
        inputs[name] = value
    for kv in a.set:
        name, _, value = kv.partition("=")
        if name not in inputs:
            fail(f"--set {name}: action.yml does not declare it")
        inputs[name] = value
    out = sys.stdout.buffer
    for name, value in inputs.items():
        key = "INPUT_" + name.replace(" ", "_").upper()
        out.write(f"{key}={expand(value, token)}\0".encode())


def cmd_args(a):
    action = yaml.safe_load(open(a.action, encoding="utf-8"))
    for arg in action["runs"].get("args") or []:
        sys.stdout.buffer.write(f"{arg}\0".encode())


def cmd_check(a):
    fake = json.load(open(a.fake, encoding="utf-8"))
    reqs = fake["requests"]
    lines = [f"{r['method']} {r['path']}" for r in reqs]
    if fake["schema_errors"]:
        fail(f"requests that break GitHub's schema: {fake['schema_errors']}")
    if not all(r["authorized"] for r in reqs):
        fail("a request was sent without the step's token")
    runs = f"/repos/{a.repo}/check-runs"
    if not reqs or lines[0] != f"POST {runs}":
        fail(f"the first request should create the check run: {lines}")
    create = reqs[0]["body"]
    if (create.get("head_sha"), create.get("status"), create.get("name")) != (a.head, "in_progress", a.check_name):
        fail(f"check run created with {create}, expected head_sha {a.head}, in_progress, {a.check_name}")
    patches = [r["body"] for r in reqs if r["method"] == "PATCH" and r["path"].startswith(runs + "/")]
    if not patches:
        fail(f"the check run was never completed: {lines}")
    last = patches[-1]
    conclusion = {"pass": "success", "fail": "failure"}[a.verdict]
    if (last.get("status"), last.get("conclusion")) != ("completed", conclusion):
        fail(f"check run ended {last.get('status')}/{last.get('conclusion')}, expected completed/{conclusion}")
    if a.annotations is not None:
        got = sum(len((p.get("output") or {}).get("annotations") or []) for p in patches)
        if got != a.annotations:
            fail(f"{got} annotations sent, expected {a.annotations}")
    outputs = open(a.output, encoding="utf-8").read()
    if f"verdict={a.verdict}\n" not in outputs:
        fail(f"GITHUB_OUTPUT has no verdict={a.verdict}: {outputs!r}")
    summary = open(a.summary, encoding="utf-8").read()
    if "Gatehouse" not in summary:
        fail(f"the step summary was not written: {summary[:200]!r}")
    secrets = [os.environ[k] for k in ("GATEHOUSE_TEST_TOKEN", "GATEHOUSE_TEST_RUNTIME_TOKEN")]
    scanned = 0
    for root in a.scan:
        paths = [root] if os.path.isfile(root) else [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
        for p in paths:
            data = open(p, "rb").read()
            scanned += 1
            for s in secrets:
                if s.encode() in data:
                    fail(f"a secret appears in {p}")
    print(f"container test: {a.verdict}: {' -> '.join(lines)}; {scanned} output files free of secrets")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("env")
    e.add_argument("--action", default="action.yml")
    e.add_argument("--readme", default="README.md")
    e.add_argument("--cargo", default="Cargo.toml")
    e.add_argument("--set", action="append", default=[], metavar="INPUT=VALUE", help="a scenario's own input")
    g = sub.add_parser("args")
    g.add_argument("--action", default="action.yml")
    c = sub.add_parser("check")
    c.add_argument("--fake", required=True)
    c.add_argument("--output", required=True)
    c.add_argument("--summary", required=True)
    c.add_argument("--repo", required=True)
    c.add_argument("--head", required=True)
    c.add_argument("--check-name", default="gatehouse")
    c.add_argument("--verdict", choices=["pass", "fail"], required=True)
    c.add_argument("--annotations", type=int)
    c.add_argument("--scan", nargs="+", default=[])
    a = p.parse_args()
    {"env": cmd_env, "args": cmd_args, "check": cmd_check}[a.cmd](a)


if __name__ == "__main__":
    main()
