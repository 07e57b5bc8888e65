#!/bin/sh
# Regenerates coverage.xml (Cobertura XML) and coverage.lcov (LCOV) with Python `coverage` for the head version of this
# tiny project. Needs a venv with coverage and pytest:
#   python3 -m venv /tmp/dc && /tmp/dc/bin/pip install diff-cover coverage pytest
#   PY=/tmp/dc/bin/python sh generate.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PY=${PY:-python3}
work=$(mktemp -d)
cp -r "$here/head/." "$work/"
cd "$work"
"$PY" -m coverage run --branch -m pytest -q >/dev/null
"$PY" -m coverage xml -o "$here/coverage.xml"
"$PY" -m coverage lcov -o "$here/coverage.lcov"
"$PY" -m coverage report -m
rm -rf "$work"
