# shellcheck shell=bash
# Shared by the tools/ scripts: where components are cached and how Go builds run.
set -euo pipefail
TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$TOOLS_DIR/.." && pwd)
# shellcheck source=versions.env
source "$TOOLS_DIR/versions.env"
HELMSYNC_TOOLS=${HELMSYNC_TOOLS:-$HOME/.cache/helmsync-tools}
BIN_DIR=$HELMSYNC_TOOLS/bin
mkdir -p "$BIN_DIR"

export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS=${GOFLAGS:--mod=mod}
export GOCACHE=${GOCACHE:-$HOME/.cache/go-build}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# have NAME: true when the cached binary exists.
have() { [ -x "$BIN_DIR/$1" ]; }

# install_atomically SRC NAME: move a freshly built binary into the cache in one step, so a
# build killed halfway never leaves a half-written binary that `have` would trust.
install_atomically() {
  install -m 0755 "$1" "$BIN_DIR/.$2.tmp"
  mv -f "$BIN_DIR/.$2.tmp" "$BIN_DIR/$2"
}

# scratch VAR: make a scratch directory for one build, named in VAR, removed on exit.
SCRATCH_DIRS=()
cleanup_scratch() {
  local d
  for d in "${SCRATCH_DIRS[@]}"; do chmod -R u+w "$d" 2>/dev/null; rm -rf "$d"; done
}
trap cleanup_scratch EXIT
scratch() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/helmsync-build.XXXXXX")
  SCRATCH_DIRS+=("$dir")
  printf -v "$1" '%s' "$dir"
}

need_go() {
  command -v go >/dev/null || die "go is not installed; tools/ builds test components with Go >= 1.26"
}
