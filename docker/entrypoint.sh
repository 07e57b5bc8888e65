#!/bin/sh
# The workspace is mounted from the runner and owned by another uid than the container's; tell
# git it is safe so it does not refuse it as "dubious ownership". Only the workspace, not "*".
set -eu
if [ -n "${GITHUB_WORKSPACE:-}" ]; then
  git config --global --add safe.directory "$GITHUB_WORKSPACE"
fi
exec /usr/local/bin/gatehouse "$@"
