#!/usr/bin/env bash
# Prints the contract corpus figures (tests/data/contract/corpus): breaking pairs found,
# compatible pairs blocked, and pairs whose expected rules all fired. CORPUS_VERBOSE=1 lists
# every miss with the changes the gate reported.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "| corpus | pairs | breaking found | compatible blocked | expected rules |"
echo "|---|---|---|---|---|"
cargo test --quiet --test it contract_corpus -- --nocapture --test-threads 1 2>/dev/null | grep '^|' || true
