#!/usr/bin/env python3
"""Side-by-side comparison of `gatehouse` security.secrets with detect-secrets (and gitleaks if
installed) on a labelled fixture set, plus throughput on a large synthetic diff.

Every "secret" here is synthetic: random characters from a fixed seed in the right format
(GitHub tokens carry a valid CRC32 checksum). Nothing is a real credential, and no values are
committed: the set is generated into a temporary directory on each run.

Usage:
  cargo build --release
  python3 -m venv /tmp/ds && /tmp/ds/bin/pip install detect-secrets
  python3 benches/secrets_compare.py [--gatehouse target/release/gatehouse]
      [--detect-secrets /tmp/ds/bin/detect-secrets] [--gitleaks gitleaks] [--mb 100] [--keep DIR]
"""

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B64 = B62 + "+/"
B64URL = B62 + "-_"
HEX = "0123456789abcdef"
UPPER32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def rnd(r, n, alphabet=B62):
    return "".join(r.choice(alphabet) for _ in range(n))


def b62(n, width):
    s = ""
    while n:
        s = B62[n % 62] + s
        n //= 62
    return s.rjust(width, "0")


def gh(r, prefix):
    body = rnd(r, 30)
    return f"{prefix}_{body}{b62(zlib.crc32(body.encode()), 6)}"


def jwt(r):
    enc = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
    header = enc(b'{"alg":"HS256","typ":"JWT"}')
    payload = enc(json.dumps({"sub": rnd(r, 12), "iat": r.randint(1_600_000_000, 1_700_000_000)}).encode())
    return f"{header}.{payload}.{rnd(r, 43, B64URL)}"


def pem_body(r, lines=6):
    return "\n".join(rnd(r, 64, B64) for _ in range(lines))


# Positive cases: (kind, file name, content). Each file holds exactly one secret.
def positives(r):
    cases = []
    for i in range(5):
        aws_id = "AKIA" + rnd(r, 16, UPPER32)
        aws_sk = rnd(r, 40, B64)
        cases += [
            ("aws-access-key-id", f"deploy_{i}.py", f'AWS_ACCESS_KEY_ID = "{aws_id}"\n'),
            ("aws-secret-access-key", f"aws_{i}.cfg", f"[default]\naws_secret_access_key = {aws_sk}\n"),
            ("github-pat", f"ci_{i}.yml", f"env:\n  GH_TOKEN: {gh(r, 'ghp')}\n"),
            ("github-oauth", f"oauth_{i}.js", f"const token = '{gh(r, 'gho')}';\n"),
            ("github-app", f"app_{i}.json", json.dumps({"installation_token": gh(r, "ghs")}) + "\n"),
            ("github-fine-grained", f"fg_{i}.sh", f"export GITHUB_TOKEN=github_pat_{rnd(r, 22)}_{rnd(r, 59)}\n"),
            ("gitlab", f"gitlab_{i}.py", f'GITLAB = "glpat-{rnd(r, 20, B64URL.replace("+", ""))}"\n'),
            ("slack-token", f"slack_{i}.py", f'client = WebClient(token="xoxb-{r.randint(10**11, 10**12)}-{r.randint(10**12, 10**13)}-{rnd(r, 24)}")\n'),
            ("slack-webhook", f"hook_{i}.yml", f"webhook: https://hooks.slack.com/services/T{rnd(r, 8, UPPER32)}/B{rnd(r, 8, UPPER32)}/{rnd(r, 24)}\n"),
            ("stripe", f"pay_{i}.rb", f'Stripe.api_key = "sk_live_{rnd(r, 24)}"\n'),
            ("google-api-key", f"maps_{i}.js", f'const MAPS_KEY = "AIza{rnd(r, 35, B64URL)}";\n'),
            ("gcp-service-account", f"sa_{i}.json", json.dumps({
                "type": "service_account", "project_id": "demo-project", "private_key_id": rnd(r, 40, HEX),
                "private_key": "-----BEGIN PRIVATE KEY-----\n" + pem_body(r, 3) + "\n-----END PRIVATE KEY-----\n",
                "client_email": "svc@demo-project.iam.gserviceaccount.com"}, indent=2) + "\n"),
            ("azure-storage", f"azure_{i}.config", f'<add key="Storage" value="DefaultEndpointsProtocol=https;AccountName=acct{i};AccountKey={rnd(r, 86, B64)}==;EndpointSuffix=core.windows.net" />\n'),
            ("npm-token", f"npmrc_{i}.txt", f"//registry.npmjs.org/:_authToken=npm_{rnd(r, 36)}\n"),
            ("pypi-token", f"pypirc_{i}.ini", f"[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc{rnd(r, 70, B64URL)}\n"),
            ("private-key", f"id_{i}.pem", "-----BEGIN RSA PRIVATE KEY-----\n" + pem_body(r) + "\n-----END RSA PRIVATE KEY-----\n"),
            ("jwt", f"session_{i}.py", f'SESSION = "{jwt(r)}"\n'),
            ("database-url", f"db_{i}.env", f"DATABASE_URL=postgres://app:{rnd(r, 18)}@db.internal:5432/app\n"),
            ("generic-secret", f"settings_{i}.py", f'CLIENT_SECRET = "{rnd(r, 32)}"\n'),
            ("generic-env", f"svc_{i}.env", f"SERVICE_API_TOKEN={rnd(r, 40)}\n"),
        ]
    return cases


# Negative cases: look like secrets to a naive scanner, but are not.
def negatives(r):
    cases = [
        ("aws-example", "doc_aws.py", 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\nAWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'),
        ("env-lookup", "env.py", 'password = os.environ["DB_PASSWORD"]\ntoken = request.headers.get("Authorization")\n'),
        ("placeholder", "placeholder.py", 'api_key = "<YOUR_API_KEY>"\npassword = "changeme"\ntoken = "xxxxxxxxxxxxxxxxxxxxxxxx"\n'),
        ("template", "tmpl.yml", "password: ${{ secrets.DB_PASSWORD }}\ntoken: '{{ vault_token }}'\n"),
        ("db-no-password", "db.py", 'URL = "postgres://localhost:5432/app"\nOTHER = "postgres://user:${DB_PASSWORD}@db/app"\n'),
        ("db-doc-password", "db_doc.md", "Connect with `postgres://user:password@localhost/db`.\n"),
        ("public-key", "pub.pem", "-----BEGIN PUBLIC KEY-----\n" + pem_body(r) + "\n-----END PUBLIC KEY-----\n"),
        ("certificate", "cert.pem", "-----BEGIN CERTIFICATE-----\n" + pem_body(r) + "\n-----END CERTIFICATE-----\n"),
        ("key-header-doc", "keys.md", "Private keys start with `-----BEGIN RSA PRIVATE KEY-----`.\n"),
        ("identifier", "ident.py", 'secret_key = settings.SECRET_KEY_FROM_VAULT\ntokenizer_name = "bertBaseUncasedTokenizer"\n'),
        ("npm-env", "npmrc.txt", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"),
        ("low-entropy", "low.py", 'password = "aaaaaaaaaaaaaaaa"\n'),
    ]
    for i in range(5):
        bad = gh(r, "ghp")
        bad = bad[:-1] + ("A" if bad[-1] != "A" else "B")
        cases += [
            ("git-sha", f"version_{i}.py", f'COMMIT = "{rnd(r, 40, HEX)}"\n'),
            ("uuid", f"ids_{i}.py", f'REQUEST_ID = "{rnd(r, 8, HEX)}-{rnd(r, 4, HEX)}-{rnd(r, 4, HEX)}-{rnd(r, 4, HEX)}-{rnd(r, 12, HEX)}"\n'),
            ("sha256", f"digest_{i}.txt", f"sha256  {rnd(r, 64, HEX)}  release.tar.gz\n"),
            ("integrity", f"lock_{i}.json", json.dumps({"integrity": "sha512-" + rnd(r, 86, B64) + "=="}) + "\n"),
            ("image-data", f"img_{i}.css", f".logo {{ background: url(data:image/png;base64,iVBORw0KGgo{rnd(r, 120, B64)}); }}\n"),
            ("bad-checksum", f"gh_typo_{i}.txt", f"not a token: {bad}\n"),
            ("cache-key", f"cache_{i}.py", f'cache_key = "{rnd(r, 32)}"\n'),
        ]
    return cases


def write_set(root, cases):
    for _, name, content in cases:
        with open(os.path.join(root, name), "w") as f:
            f.write(content)


def run_gatehouse(bin_, repo):
    out = subprocess.run([bin_, "check", "--repo", repo, "--base", "base", "--format", "json", "--no-timings",
                          "--only", "security.secrets"], capture_output=True, text=True)
    report = json.loads(out.stdout)
    files = set()
    for g in report["gates"]:
        for f in g["findings"]:
            files.add(os.path.basename(f["location"]["path"]))
    return files


def run_detect_secrets(bin_, root):
    out = subprocess.run([bin_, "scan", "--all-files", "."], cwd=root, capture_output=True, text=True)
    data = json.loads(out.stdout)
    return {os.path.basename(k) for k, v in data.get("results", {}).items() if v}


def run_gitleaks(bin_, root):
    rep = os.path.join(tempfile.gettempdir(), "gitleaks-report.json")
    subprocess.run([bin_, "detect", "--no-git", "--source", root, "--report-format", "json", "--report-path", rep],
                   capture_output=True, text=True)
    with open(rep) as f:
        return {os.path.basename(x["File"]) for x in json.load(f)}


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)


def make_repo(root, policy):
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "b@example.com")
    git(root, "config", "user.name", "bench")
    git(root, "config", "commit.gpgsign", "false")
    with open(os.path.join(root, "gates.toml"), "w") as f:
        f.write(policy)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "tag", "base")


def score(name, detected, pos, neg):
    tp = len(detected & pos)
    fp = len(detected & neg)
    recall = tp / len(pos)
    precision = tp / (tp + fp) if tp + fp else 1.0
    missed = sorted(pos - detected)
    return {"tool": name, "tp": tp, "fp": fp, "fn": len(pos) - tp, "recall": round(recall, 3),
            "precision": round(precision, 3), "missed": missed, "false_positives": sorted(detected & neg)}


def big_diff(path, mb, r):
    """A unified diff adding ~`mb` MB of code-like lines, a secret every ~50k lines."""
    words = ["let", "value", "config", "return", "self", "token_count", "user", "request", "parse", "items",
             "for", "in", "if", "else", "match", "password_hint", "Ok", "Err", "map", "len", "key_name"]
    target = mb * 1024 * 1024
    written = 0
    n_file = 0
    with open(path, "w") as f:
        while written < target:
            n_file += 1
            lines = []
            for i in range(2000):
                if r.random() < 0.00002 * 50:
                    lines.append(f'    let t = "{gh(r, "ghp")}";')
                else:
                    lines.append("    " + " ".join(r.choice(words) for _ in range(r.randint(4, 12))) + ";")
            head = f"diff --git a/src/f{n_file}.rs b/src/f{n_file}.rs\nnew file mode 100644\n--- /dev/null\n+++ b/src/f{n_file}.rs\n@@ -0,0 +1,{len(lines)} @@\n"
            body = "".join(f"+{l}\n" for l in lines)
            f.write(head + body)
            written += len(head) + len(body)
    return written


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gatehouse", default="target/release/gatehouse")
    ap.add_argument("--detect-secrets", default="/tmp/ds/bin/detect-secrets")
    ap.add_argument("--gitleaks", default="gitleaks")
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--ds-mb", type=int, default=10, help="size of the slice detect-secrets scans for throughput")
    ap.add_argument("--keep")
    a = ap.parse_args()
    gatehouse = os.path.abspath(a.gatehouse)
    r = random.Random(20261123)
    work = a.keep or tempfile.mkdtemp(prefix="secrets-compare-")
    os.makedirs(work, exist_ok=True)
    fixtures = os.path.join(work, "fixtures")
    shutil.rmtree(fixtures, ignore_errors=True)
    os.makedirs(fixtures)
    pos_cases, neg_cases = positives(r), negatives(r)
    make_repo(fixtures, "version = 1\n[security]\n[security.patterns]\nmode = \"off\"\n")
    write_set(fixtures, pos_cases + neg_cases)
    git(fixtures, "add", "-A")
    git(fixtures, "commit", "-qm", "fixtures")
    # Scanners must not see the policy file or .git as cases.
    pos = {n for _, n, _ in pos_cases}
    neg = {n for _, n, _ in neg_cases}
    results = {"positives": len(pos), "negatives": len(neg), "tools": []}
    results["tools"].append(score("gatehouse", run_gatehouse(gatehouse, fixtures), pos, neg))
    scan_dir = os.path.join(work, "plain")
    shutil.rmtree(scan_dir, ignore_errors=True)
    os.makedirs(scan_dir)
    write_set(scan_dir, pos_cases + neg_cases)
    if shutil.which(a.detect_secrets) or os.path.exists(a.detect_secrets):
        results["tools"].append(score("detect-secrets", run_detect_secrets(a.detect_secrets, scan_dir), pos, neg))
    if shutil.which(a.gitleaks):
        results["tools"].append(score("gitleaks", run_gitleaks(a.gitleaks, scan_dir), pos, neg))
    else:
        results["gitleaks"] = "not installed (no Debian bookworm package)"

    # Throughput on a large diff.
    big = os.path.join(work, "big")
    shutil.rmtree(big, ignore_errors=True)
    os.makedirs(big)
    make_repo(big, "version = 1\n[security]\n")
    diff = os.path.join(work, "big.diff")
    size = big_diff(diff, a.mb, random.Random(7))
    t = time.perf_counter()
    out = subprocess.run([gatehouse, "check", "--repo", big, "--diff", diff, "--only", "security.secrets",
                          "--format", "json", "--no-timings"], capture_output=True, text=True)
    dt = time.perf_counter() - t
    found = sum(len(g["findings"]) for g in json.loads(out.stdout)["gates"])
    results["throughput"] = [{"tool": "gatehouse (whole check: diff parse + scan)", "mb": round(size / 2**20, 1),
                              "seconds": round(dt, 2), "mb_per_s": round(size / 2**20 / dt, 1), "findings": found}]
    # detect-secrets scans files, not diffs: give it the added text of a slice of the diff.
    slice_dir = os.path.join(work, "slice")
    shutil.rmtree(slice_dir, ignore_errors=True)
    os.makedirs(slice_dir)
    limit = a.ds_mb * 2**20
    with open(diff) as f, open(os.path.join(slice_dir, "added.rs"), "w") as o:
        n = 0
        for line in f:
            if line.startswith("+") and not line.startswith("+++"):
                o.write(line[1:])
                n += len(line)
                if n >= limit:
                    break
    if shutil.which(a.detect_secrets) or os.path.exists(a.detect_secrets):
        t = time.perf_counter()
        subprocess.run([a.detect_secrets, "scan", "--all-files", "."], cwd=slice_dir, capture_output=True)
        dt = time.perf_counter() - t
        results["throughput"].append({"tool": "detect-secrets", "mb": round(n / 2**20, 1), "seconds": round(dt, 2),
                                      "mb_per_s": round(n / 2**20 / dt, 2)})
    if shutil.which(a.gitleaks):
        t = time.perf_counter()
        subprocess.run([a.gitleaks, "detect", "--no-git", "--source", slice_dir], capture_output=True)
        dt = time.perf_counter() - t
        results["throughput"].append({"tool": "gitleaks", "mb": round(n / 2**20, 1), "seconds": round(dt, 2),
                                      "mb_per_s": round(n / 2**20 / dt, 2)})
    json.dump(results, sys.stdout, indent=2)
    print()
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
