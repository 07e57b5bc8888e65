#!/usr/bin/env bash
# Builds the Action's image from the project's Dockerfile and runs it the way GitHub runs a
# container action, against the test suite's fake GitHub API on loopback.
#
# Works where no container registry is reachable but Debian's archive is: the base image is
# made with debootstrap (cached), the runtime stage of the real Dockerfile is built with buildah
# around the binary built on this machine (BINARY_STAGE=prebuilt; the Rust image cannot be
# pulled here), and the image is run with `buildah run --isolation chroot` (podman run cannot set
# rlimits here). Leaves the image tagged localhost/gatehouse:test.
#
# Environment: GATEHOUSE_BIN (default target/debug/gatehouse, built if missing),
# GATEHOUSE_CONTAINER_CACHE (debootstrap tarball), CONTAINER_TEST_REFRESH=1 (rebuild the base),
# DEBIAN_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=localhost/gatehouse:test
BASE=localhost/debian:bookworm-slim
REPO=Codertocat/Hello-World
cache="${GATEHOUSE_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse-container}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
say() { printf '== %s\n' "$*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---------------------------------------------------------------- tools
missing=()
for t in buildah podman debootstrap; do command -v "$t" >/dev/null || missing+=("$t"); done
# debootstrap checks bookworm's signature with Debian's keyring (not on Ubuntu by default).
[ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
venv=$(.ci/venv)
py() { "$venv/bin/python" scripts/container_action.py "$@"; }

# ---------------------------------------------------------------- base image
# Debian's bookworm-slim made the way Debian makes it: a minbase debootstrap without docs, man
# pages, locales, package lists or caches (and dpkg told to keep leaving them out).
slimify() { # $1 = rootfs, $2 = mirror
  local r=$1 mirror=$2
  mkdir -p "$r/etc/dpkg/dpkg.cfg.d" "$r/etc/apt/apt.conf.d" "$r/etc/apt/sources.list.d"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/lintian/*' > "$r/etc/dpkg/dpkg.cfg.d/docker"
  printf '%s\n' 'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' \
    'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };' \
    > "$r/etc/apt/apt.conf.d/docker-clean"
  rm -f "$r/etc/apt/sources.list"
  printf '%s\n' 'Types: deb' "URIs: $mirror" 'Suites: bookworm bookworm-updates' 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' '' \
    'Types: deb' "URIs: ${mirror%/debian}/debian-security" 'Suites: bookworm-security' 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' > "$r/etc/apt/sources.list.d/debian.sources"
  find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$r"/usr/share/info/* "$r"/usr/share/locale/* "$r"/usr/share/man/* "$r"/usr/share/lintian/* \
    "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/* "$r"/var/log/* "$r"/tmp/* "$r"/var/cache/debconf/*-old
}
if [ "${CONTAINER_TEST_REFRESH:-}" = 1 ]; then
  rm -f "$cache/bookworm-slim.tar"
  "${sudo[@]}" podman rmi -f "$BASE" >/dev/null 2>&1 || true
fi
if ! "${sudo[@]}" podman image exists "$BASE"; then
  if [ ! -s "$cache/bookworm-slim.tar" ]; then
    say "debootstrap bookworm (minbase) from $mirror"
    t0=$(now)
    mkdir -p "$cache"
    work=$(mktemp -d "$cache/rootfs.XXXXXX")
    "${sudo[@]}" debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" > "$cache/debootstrap.log" 2>&1 \
      || { tail -20 "$cache/debootstrap.log"; exit 1; }
    "${sudo[@]}" bash -c "set -euo pipefail; $(declare -f slimify); slimify \"\$1\" \"\$2\"" _ "$work/rootfs" "$mirror"
    "${sudo[@]}" tar --numeric-owner -C "$work/rootfs" -cf "$cache/bookworm-slim.tar.tmp" .
    mv "$cache/bookworm-slim.tar.tmp" "$cache/bookworm-slim.tar"
    "${sudo[@]}" rm -rf "$work"
    echo "   $(secs "$t0" "$(now)") s"
  fi
  say "importing $BASE"
  "${sudo[@]}" podman import --quiet --change 'CMD ["bash"]' "$cache/bookworm-slim.tar" "$BASE" >/dev/null
fi

# ---------------------------------------------------------------- image
# The binary: by default the debug build the test suite already made (see README, "Container
# test"), stripped; the image's packaging, not the compiler, is under test.
bin="${GATEHOUSE_BIN:-target/debug/gatehouse}"
say "building $bin and the fake GitHub server"
if [ -z "${GATEHOUSE_BIN:-}" ]; then
  cargo build --locked --quiet --bin gatehouse --example fake_github
else
  cargo build --locked --quiet --example fake_github
fi
mkdir -p target/container
strip -o target/container/gatehouse "$bin" 2>/dev/null || cp "$bin" target/container/gatehouse
say "buildah bud: runtime stage of ./Dockerfile with BINARY_STAGE=prebuilt"
t0=$(now)
"${sudo[@]}" buildah bud --isolation chroot --layers --quiet --format docker \
  --build-arg RUNTIME_IMAGE="$BASE" --build-arg BINARY_STAGE=prebuilt \
  --build-arg BINARY=target/container/gatehouse --target runtime -t "$IMAGE" . > target/container/build.log 2>&1 \
  || { tail -40 target/container/build.log; exit 1; }
echo "   built in $(secs "$t0" "$(now)") s"

# ---------------------------------------------------------------- a pull request
tmp=$(mktemp -d)
ctr=""
cleanup() {
  [ -z "$ctr" ] || "${sudo[@]}" buildah rm "$ctr" >/dev/null 2>&1 || true
  "${sudo[@]}" rm -rf "$tmp"
}
trap cleanup EXIT
GATEHOUSE_TEST_TOKEN="ghs_$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
GATEHOUSE_TEST_RUNTIME_TOKEN="runtime-$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
export GATEHOUSE_TEST_TOKEN GATEHOUSE_TEST_RUNTIME_TOKEN

# One repository per scenario, as actions/checkout leaves it with fetch-depth: 0: the PR's merge
# commit checked out (GITHUB_SHA), base and head reachable, owned by the runner's uid (1001),
# not by the container's root.
make_workspace() { # $1 = dir, $2 = lines with dbg! in the PR
  local ws=$1 n=$2 i
  export GIT_AUTHOR_NAME=Codertocat GIT_AUTHOR_EMAIL=octocat@github.com GIT_COMMITTER_NAME=GitHub \
    GIT_COMMITTER_EMAIL=noreply@github.com
  git init -q -b main "$ws"
  printf '%s\n' 'version = 1' '' '[[patterns.forbid]]' 'id = "no-dbg"' "pattern = '\\bdbg!\\('" \
    'paths = ["**/*.rs"]' 'message = "dbg! left in code"' > "$ws/gates.toml"
  mkdir -p "$ws/src" && echo 'pub fn a() {}' > "$ws/src/lib.rs"
  git -C "$ws" add -A && git -C "$ws" commit -q -m base
  git -C "$ws" checkout -q -b pr
  for ((i = 0; i < n; i++)); do echo "pub fn f$i() { dbg!($i); }"; done >> "$ws/src/lib.rs"
  echo "pub fn b() {}" >> "$ws/src/lib.rs"
  git -C "$ws" commit -q -am "Add b"
  git -C "$ws" checkout -q --detach main
  git -C "$ws" merge -q --no-ff -m "Merge pr into main" pr
}

# The real webhook payload the test suite uses, with this repository's SHAs.
make_event() { # $1 = workspace, $2 = out
  local base head
  base=$(git -C "$1" rev-parse main) head=$(git -C "$1" rev-parse pr)
  sed -e "s/f95f852bd8fca8fcc58a9a2d6c842781e32a215e/$base/g" \
    -e "s/ec26c3e57ca3a959ca5aad62de7213c562f8c821/$head/g" \
    tests/data/github/webhooks/pull_request.opened.json > "$2"
}

mapfile -d '' inputs < <(py env)
mapfile -d '' args < <(py args)
entrypoint=$("${sudo[@]}" podman image inspect --format '{{json .Config.Entrypoint}}' "$IMAGE")
mapfile -d '' entry < <(printf '%s' "$entrypoint" | "$venv/bin/python" -c 'import json,sys; sys.stdout.write("\0".join(json.load(sys.stdin)) + "\0")')
ctr=$("${sudo[@]}" buildah from --quiet "$IMAGE")

# Runs the image's ENTRYPOINT with action.yml's args, as `docker run` on the runner does.
# $1 = scenario dir, $2 = API URL; the command after `--` replaces ENTRYPOINT + args if given.
run_step() {
  local d=$1 api=$2
  shift 2
  local cmd=("${entry[@]}" "${args[@]}")
  [ "${1:-}" != -- ] || { shift; cmd=("$@"); }
  local envs=(
    HOME=/github/home CI=true GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request
    GITHUB_EVENT_PATH=/github/workflow/event.json GITHUB_WORKSPACE=/github/workspace
    GITHUB_REPOSITORY="$REPO" GITHUB_REPOSITORY_OWNER=Codertocat GITHUB_SHA="$(cat "$d/merge_sha")"
    GITHUB_REF=refs/pull/2/merge GITHUB_HEAD_REF=changes GITHUB_BASE_REF=main
    GITHUB_API_URL="$api" GITHUB_SERVER_URL=https://github.com GITHUB_GRAPHQL_URL="$api/graphql"
    GITHUB_WORKFLOW=gatehouse GITHUB_JOB=gatehouse GITHUB_ACTION=__gatehouse-dev_gatehouse
    GITHUB_ACTION_REPOSITORY=gatehouse-dev/gatehouse GITHUB_ACTOR=Codertocat GITHUB_RUN_ID=1
    GITHUB_RUN_NUMBER=1 GITHUB_RUN_ATTEMPT=1 RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_NAME=container-test
    RUNNER_TEMP=/home/runner/work/_temp RUNNER_TOOL_CACHE=/opt/hostedtoolcache
    GITHUB_OUTPUT=/github/file_commands/set_output_test GITHUB_STEP_SUMMARY=/github/file_commands/step_summary_test
    GITHUB_ENV=/github/file_commands/set_env_test GITHUB_PATH=/github/file_commands/add_path_test
    GITHUB_STATE=/github/file_commands/save_state_test
    ACTIONS_RUNTIME_URL="$api/_runtime/" ACTIONS_RUNTIME_TOKEN="$GATEHOUSE_TEST_RUNTIME_TOKEN"
    "${inputs[@]}"
  )
  local flags=(--isolation chroot --network host --workingdir /github/workspace
    -v "$d/workspace:/github/workspace" -v "$d/workflow:/github/workflow"
    -v "$d/file_commands:/github/file_commands" -v "$d/home:/github/home")
  for e in "${envs[@]}"; do flags+=(--env "$e"); done
  "${sudo[@]}" buildah run "${flags[@]}" "$ctr" -- "${cmd[@]}"
}

scenario() { # $1 = name, $2 = dbg! lines, $3 = the repository's directory in the workspace
  local d=$tmp/$1 repo=$tmp/$1/workspace${3:+/$3}
  mkdir -p "$d"/{workflow,file_commands,home,workspace}
  make_workspace "$repo" "$2"
  git -C "$repo" rev-parse HEAD > "$d/merge_sha"
  git -C "$repo" rev-parse pr > "$d/head_sha"
  make_event "$repo" "$d/workflow/event.json"
  for f in set_output_test step_summary_test set_env_test add_path_test save_state_test; do
    : > "$d/file_commands/$f"
  done
  chown -R 1001:1001 "$d/workspace" "$d/workflow" "$d/file_commands" "$d/home"
}

# ---------------------------------------------------------------- the runs
# Control: the workspace really is "dubious" to git in the container (another uid owns it), so
# the entrypoint's safe.directory is what the real run depends on.
scenario control 0
if out=$(run_step "$tmp/control" http://127.0.0.1:9 -- git rev-parse HEAD 2>&1); then
  echo "container test: FAIL: git accepted a workspace owned by another uid without safe.directory: $out" >&2
  exit 1
fi
grep -q 'dubious ownership' <<<"$out" || { echo "container test: FAIL: unexpected git error: $out" >&2; exit 1; }
say "control: without the entrypoint git refuses the workspace (dubious ownership), as on a runner"

declare -A timing
# verdict:findings:the repository's directory in the workspace (the working-directory input)
for case in fail:3: pass:0: fail:1:repo; do
  IFS=: read -r verdict lines sub <<<"$case"
  name=$verdict${sub:+-$sub}
  d=$tmp/$name
  # The third run also renames the check: inputs with hyphens reach Gatehouse.
  check_name=gatehouse
  [ -z "$sub" ] || check_name=quality
  mapfile -d '' inputs < <(py env ${sub:+--set "working-directory=$sub" --set "check-name=$check_name"})
  scenario "$name" "$lines" "$sub"
  # The fake API serves until its stdin closes, then prints what it received.
  mkfifo "$d/fake.in"
  FAKE_GITHUB_TOKEN="$GATEHOUSE_TEST_TOKEN" target/debug/examples/fake_github < "$d/fake.in" > "$d/fake.out" &
  fake_pid=$!
  exec {fake_in}> "$d/fake.in"
  for _ in $(seq 200); do [ -s "$d/fake.out" ] && break; sleep 0.05; done
  api=$(head -n 1 "$d/fake.out")
  say "run ($name, $lines finding(s)): ${entry[*]} ${args[*]} against $api"
  t0=$(now)
  set +e
  run_step "$d" "$api" > "$d/stdout" 2> "$d/stderr"
  code=$?
  set -e
  timing[$name]=$(secs "$t0" "$(now)")
  exec {fake_in}>&-
  wait "$fake_pid"
  tail -n +2 "$d/fake.out" > "$d/fake.json"
  want=$([ "$verdict" = fail ] && echo 1 || echo 0)
  if [ "$code" != "$want" ]; then
    echo "container test: FAIL: exit code $code, expected $want" >&2
    cat "$d/stdout" "$d/stderr" >&2
    exit 1
  fi
  head=$(cat "$d/head_sha")
  py check --fake "$d/fake.json" --repo "$REPO" --head "$head" --verdict "$verdict" --annotations "$lines" \
    --check-name "$check_name" \
    --output "$d/file_commands/set_output_test" --summary "$d/file_commands/step_summary_test" \
    --scan "$d/stdout" "$d/stderr" "$d/fake.json" "$d/file_commands" "$d/home" "$d/workspace" target/container/build.log
  echo "   exit $code, start to verdict ${timing[$name]} s"
done

# ---------------------------------------------------------------- figures
size=$("${sudo[@]}" podman image inspect --format '{{.Size}}' "$IMAGE")
base_size=$("${sudo[@]}" podman image inspect --format '{{.Size}}' "$BASE")
bin_size=$(stat -c %s target/container/gatehouse)
gz=$("${sudo[@]}" podman save --quiet --format docker-archive "$IMAGE" | gzip -1 | wc -c)
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
say "image $IMAGE: $(mib "$size") ($(mib "$base_size") base, $(mib "$bin_size") binary), about $(mib "$gz") to pull (gzip)"
say "start to verdict: ${timing[fail]} s (failing PR), ${timing[pass]} s (passing PR), ${timing[fail-repo]} s (working-directory)"
echo "container test: ok"
