#!/usr/bin/env bash
# gen_selftest.sh — CTest wrapper for the training-data generator's self-test
# (tools/gen/selftest.sh): renders ~20 formulas with LaTeX/dvipng and checks
# labels against images.  The generator is Python + TeX, not part of the C
# binary, so the scipix path ($1) is unused; skips (exit 0 with a note) only
# when the TeX tools it needs are not installed.
set -euo pipefail
src="${SCIPIX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
for tool in latex dvipng /usr/bin/python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "gen_selftest: $tool not installed; skipping"
    exit 0
  fi
done
exec timeout 120 bash "$src/tools/gen/selftest.sh"
