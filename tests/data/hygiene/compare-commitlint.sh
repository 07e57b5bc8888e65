#!/usr/bin/env bash
# Compares `hygiene.title = true` (Conventional Commits) with commitlint's config-conventional
# on tests/data/hygiene/titles.txt. Needs npm and a built gatehouse; prints the agreement and
# every title the two judge differently.
#   bash tests/data/hygiene/compare-commitlint.sh [path/to/gatehouse]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gh=${1:-$here/../../../target/debug/gatehouse}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
  @commitlint/cli@19 @commitlint/config-conventional@19 >/dev/null \
  && echo "module.exports = {extends: ['@commitlint/config-conventional']};" > commitlint.config.js)
repo="$work/repo"
git init -q -b main "$repo"
printf 'version = 1\n[hygiene]\ntitle = true\n' > "$repo/gates.toml"
git -C "$repo" add -A
git -C "$repo" -c user.name=t -c user.email=t@e commit -qm base
n=0; agree=0
while IFS= read -r title; do
  n=$((n + 1))
  if (cd "$work" && printf '%s\n' "$title" | npx --no-install commitlint >/dev/null 2>&1); then cl=pass; else cl=fail; fi
  out=$("$gh" check --repo "$repo" --only hygiene --format json --title "$title" || true)
  case "$out" in
    *'"rule": "hygiene.title"'*) g=fail ;;
    *'"verdict": "pass"'*) g=pass ;;
    *) echo "gatehouse gave no verdict for: $title" >&2; exit 1 ;;
  esac
  if [ "$cl" = "$g" ]; then agree=$((agree + 1)); else echo "commitlint=$cl gatehouse=$g: $title"; fi
done < "$here/titles.txt"
echo "agreement: $agree / $n"
