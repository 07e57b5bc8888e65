#!/bin/sh
# Regenerates coverage.out with the Go toolchain (`go test -coverprofile`) for the head version.
#   PATH=/usr/lib/go/bin:$PATH sh generate.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp -r "$here/head/." "$work/"
cd "$work"
GOFLAGS=-mod=mod GOCACHE="$work/.cache" go test -covermode=count -coverprofile="$here/coverage.out" ./... >/dev/null
rm -rf "$work"
