#!/usr/bin/env bash
# context_selftest.sh — CTest wrapper for tools/train/context.py --selftest:
# the Python that writes the context stage's tables must observe the glyph
# layouts of tests/unit/test_classify_context.c the way src/classify/context.c
# does (row offsets, near and far neighbours), or the tables it writes are
# for other observations.  The scipix path ($1) is unused.
set -euo pipefail
src="${SCIPIX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
exec timeout 120 /usr/bin/python3 "$src/tools/train/context.py" --selftest
