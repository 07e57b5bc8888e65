#!/bin/bash
# bash, not sh: GitHub passes inputs as INPUT_<NAME> with hyphens kept (INPUT_CHECK-NAME), and
# dash, Debian's sh, drops such variables from the environment of what it runs.
# GitHub mounts the workspace owned by the runner's uid, not the container's root, and git
# refuses such a repository ("detected dubious ownership"). Mark the workspace (and the
# `working-directory` input's repository inside it) safe for Gatehouse's git processes only,
# through GIT_CONFIG_* (git's command scope, where safe.directory is honoured): no file is
# written, nothing accumulates in $HOME/.gitconfig across steps, and only these paths, not "*".
set -euo pipefail
n=${GIT_CONFIG_COUNT:-0}
safe() {
  export "GIT_CONFIG_KEY_$n=safe.directory" "GIT_CONFIG_VALUE_$n=$1"
  n=$((n + 1))
}
if [ -n "${GITHUB_WORKSPACE:-}" ]; then
  safe "$GITHUB_WORKSPACE"
  # INPUT_WORKING-DIRECTORY: the hyphen is kept, as GitHub passes it, so not a shell variable.
  wd=$(printenv 'INPUT_WORKING-DIRECTORY' || true)
  wd=${wd#./}
  wd=${wd%/}
  case "$wd" in
    "") ;;
    /*) safe "$wd" ;;
    *) safe "$GITHUB_WORKSPACE/$wd" ;;
  esac
fi
export GIT_CONFIG_COUNT="$n"
exec /usr/local/bin/gatehouse "$@"
