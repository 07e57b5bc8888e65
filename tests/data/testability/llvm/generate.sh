#!/bin/sh
# Regenerates export.json (llvm-cov export, JSON) and export.lcov (llvm-cov export -format=lcov)
# from the same profile of calc.c. Needs clang-14, llvm-profdata-14, llvm-cov-14 (Debian).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cd "$work"
cp "$here/calc.c" .
clang-14 -fprofile-instr-generate -fcoverage-mapping -O0 calc.c -o calc
LLVM_PROFILE_FILE=calc.profraw ./calc 7 >/dev/null
llvm-profdata-14 merge -o calc.profdata calc.profraw
llvm-cov-14 export ./calc -instr-profile=calc.profdata > "$here/export.json"
llvm-cov-14 export -format=lcov ./calc -instr-profile=calc.profdata > "$here/export.lcov"
rm -rf "$work"
