import os, sys, subprocess
root = sys.argv[1]
N = int(sys.argv[2])
def run(*a): subprocess.run(a, cwd=root, check=True, stdout=subprocess.DEVNULL)
os.makedirs(root + "/pkg", exist_ok=True)
open(root + "/pkg/__init__.py", "w").close()
def fn(i, k):
    return f'''

def f{k}(x):
    """function {k} of module {i}"""
    total = 0
    for j in range(x):
        if j % 3 == 0:
            total += j
        else:
            total -= 1
    return total
'''
def write(i, nfun):
    with open(f"{root}/pkg/m{i:04d}.py", "w") as f:
        f.write(f"# module {i}\n")
        for k in range(nfun):
            f.write(fn(i, k))
run("git", "init", "-q", "-b", "main")
run("git", "config", "user.email", "b@b"); run("git", "config", "user.name", "b")
for i in range(N): write(i, 5)
open(root + "/gates.toml", "w").write('version = 1\n[testability.coverage]\nreports = ["coverage.xml"]\nmin_patch = 0\n')
run("git", "add", "-A"); run("git", "commit", "-qm", "base")
run("git", "checkout", "-qb", "pr")
for i in range(N): write(i, 10)
with open(root + "/test_all.py", "w") as f:
    f.write("import importlib\n\ndef test_all():\n    for i in range(%d):\n        m = importlib.import_module('pkg.m%%04d' %% i)\n        for k in range(0, 10, 2 if i %% 2 else 3):\n            getattr(m, 'f%%d' %% k)(5)\n" % N)
run("git", "add", "-A"); run("git", "commit", "-qm", "pr")
