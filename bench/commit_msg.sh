#!/usr/bin/env bash
# Time `gitopsc commit-msg --edit FILE` per invocation (the Husky commit-msg
# hook) with hyperfine, and commitlint's hook line for comparison when it is
# installed.
#
#   bench/commit_msg.sh [GITOPSC_BINARY]
#
# GITOPSC_BINARY defaults to target/release/gitopsc (build it with
# `cargo build --release`). COMMITLINT_DIR names a folder where
# `npm install @commitlint/cli @commitlint/config-conventional` was run;
# without it, commitlint is skipped. Target: at most 10 ms per call.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${GITOPSC:-$here/target/release/gitopsc}}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "no gitopsc binary at $bin; cargo build --release" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is required" >&2; exit 2; }
runs=${RUNS:-50}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/.git"
# What git leaves in .git/COMMIT_EDITMSG: message plus the comment template.
cat >"$work/good" <<'MSG'
feat(auth): add login page

The page posts credentials to /login and keeps the session in a cookie.

Refs #123
# Please enter the commit message for your changes. Lines starting
# with '#' will be ignored, and an empty message aborts the commit.
#
# On branch feature/login
# Changes to be committed:
#	new file:   src/login.ts
MSG
printf 'Add login page.\n# Please enter the commit message for your changes.\n' >"$work/bad"

cd "$work"
args=(--warmup 5 --runs "$runs" -N -i --export-json "$work/gitopsc.json")
hyperfine "${args[@]}" \
  -n "gitopsc good" "$bin commit-msg --edit good" \
  -n "gitopsc bad" "$bin commit-msg --edit bad"

mean_ms() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join('%s=%.2fms(user+sys %.2fms)' % (x['command'].replace(' ','_'), x['mean']*1e3, (x['user']+x['system'])*1e3) for x in r))" "$1"; }
echo "gitopsc: $(mean_ms "$work/gitopsc.json")"

if [ -n "${COMMITLINT_DIR:-}" ] && [ -x "$COMMITLINT_DIR/node_modules/.bin/commitlint" ]; then
  # commitlint reads its config from the working directory.
  cp "$work/good" "$work/bad" "$COMMITLINT_DIR/"
  [ -e "$COMMITLINT_DIR/commitlint.config.mjs" ] || [ -e "$COMMITLINT_DIR/.commitlintrc.json" ] ||
    echo '{"extends": ["@commitlint/config-conventional"]}' >"$COMMITLINT_DIR/.commitlintrc.json"
  cd "$COMMITLINT_DIR"
  # `commitlint --edit` insists on a git repository.
  git rev-parse --git-dir >/dev/null 2>&1 || git init -q .
  hyperfine --warmup 2 --runs "${NODE_RUNS:-10}" -i --export-json "$work/node.json" \
    -n "npx commitlint good" "npx --no -- commitlint --edit good" \
    -n "npx commitlint bad" "npx --no -- commitlint --edit bad"
  echo "commitlint: $(mean_ms "$work/node.json")"
  python3 - "$work/gitopsc.json" "$work/node.json" <<'PY'
import json, sys
g = {r['command'].split()[-1]: r['mean'] for r in json.load(open(sys.argv[1]))['results']}
n = {r['command'].split()[-1]: r['mean'] for r in json.load(open(sys.argv[2]))['results']}
for k in sorted(g):
    print(f"{k}: commitlint {n[k]*1e3:.0f} ms / gitopsc {g[k]*1e3:.2f} ms = {n[k]/g[k]:.0f}x faster")
PY
else
  echo "commitlint: skipped (set COMMITLINT_DIR to a folder with @commitlint/cli installed)"
fi
