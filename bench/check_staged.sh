#!/bin/sh
# Times `gitopsc check` on a generated monorepo (bench/gen_monorepo.py,
# default 1,000 apps x 3 environments): the cold full check, the warm full
# check, and `check --staged` with one overlay file staged (warm cache).
#
# usage: bench/check_staged.sh [GITOPSC_BINARY] [APPS]
set -eu
bin=${1:-target/release/gitopsc}
apps=${2:-1000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$(dirname "$0")/gen_monorepo.py" "$dir/repo" --apps "$apps" >/dev/null
cd "$dir/repo"
git init -q -b main . && git add -A
git -c user.name=b -c user.email=b@example.com commit -qm init
export GITOPSC_NO_PROGRESS=1
t() { # label, command...
  label=$1; shift
  start=$(date +%s%N)
  "$@" >/dev/null 2>"$dir/err" || true
  end=$(date +%s%N)
  printf '%-44s %8.3f s   %s\n' "$label" "$(echo "($end - $start) / 1000000000" | bc -l)" \
    "$(grep '^gitopsc:' "$dir/err" || tail -1 "$dir/err")"
}
t "check (cold, no cache)" "$bin" check . --verbose --format json
t "check (warm cache, unchanged)" "$bin" check . --verbose --format json
overlay=$(ls -d apps/*/overlays/prod | head -1)
sed -i 's/replicas: \([0-9]*\)/replicas: 7/' "$overlay"/*.yaml 2>/dev/null || true
echo "# staged change" >> "$overlay/kustomization.yaml"
git add "$overlay/kustomization.yaml"
t "check --staged, one overlay file (warm)" "$bin" check . --staged --verbose --format json
t "check --staged again (warm)" "$bin" check . --staged --verbose --format json
t "check --staged --no-cache" "$bin" check . --staged --no-cache --verbose --format json
