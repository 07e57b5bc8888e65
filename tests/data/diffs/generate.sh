#!/usr/bin/env bash
# Regenerates the diff corpus from a real repository with `git diff -M -C --binary`, the
# flags CI systems and `git format-patch` users commonly pass. Run from anywhere:
#   bash tests/data/diffs/generate.sh
# The outputs are committed; tests/diff_corpus.rs checks the parser against them.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
git init -q --initial-branch=main .
git config user.name T; git config user.email t@example.com; git config core.autocrlf false
mkdir -p src docs assets 'dir with space'
seq 1 40 | sed 's/^/line /' > src/moved.rs
seq 1 30 | sed 's/^/fn f/' > src/copied_from.rs
printf 'keep\nchange me\nkeep\n' > src/edit.rs
printf 'gone\n' > src/deleted.rs
printf '#!/bin/sh\necho hi\n' > run.sh
printf 'no newline' > docs/eol.txt
printf 'a\r\nb\r\n' > docs/crlf.txt
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' > assets/logo.png
printf 'caf\xe9\n' > docs/latin1.txt
printf 'x\n' > 'dir with space/name "quoted".txt'
git add -A; git commit -qm base
git mv src/moved.rs src/renamed.rs
sed -i 's/^line 20$/line twenty/' src/renamed.rs
cp src/copied_from.rs src/copy.rs; echo 'fn extra' >> src/copy.rs
printf 'keep\nchanged\nkeep\nadded\n' > src/edit.rs
git rm -q src/deleted.rs
chmod +x run.sh
printf 'no newline, edited' > docs/eol.txt
printf 'a\r\nB\r\n' > docs/crlf.txt
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x01\x02' > assets/logo.png
printf 'caf\xe9 cr\xe8me\n' > docs/latin1.txt
printf 'y\n' > 'dir with space/name "quoted".txt'
printf 'new file\n' > src/new.rs
git add -A; git commit -qm head
git diff -M -C --binary HEAD~1 HEAD > "$out/rename-copy-binary.diff"
git diff -M -C HEAD~1 HEAD > "$out/rename-copy-nobinary.diff"
git diff -M -C -C --binary HEAD~1 HEAD > "$out/copies-harder.diff"
git diff -M -C --binary -U0 HEAD~1 HEAD > "$out/zero-context.diff"
git -c diff.noprefix=true diff -M -C HEAD~1 HEAD -- src/edit.rs > "$out/noprefix.diff"
git format-patch -1 --stdout -M -C --binary HEAD > "$out/format-patch.patch"
