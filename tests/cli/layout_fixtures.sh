#!/bin/bash
# layout_fixtures.sh — end to end: each rendered fixture in
# tests/fixtures/layout/ through `scipix ocr` must give exactly the LaTeX in
# expected.tsv ("must" rows; "xfail" rows are reported only).
# Usage: layout_fixtures.sh PATH/TO/scipix   (needs the model; skips without)
set -u
BIN=${1:?usage: layout_fixtures.sh SCIPIX}
SRC=${SCIPIX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DIR="$SRC/tests/fixtures/layout"
if [ ! -f "$SRC/models/symbols.spxm" ] && [ -z "${SCIPIX_MODEL:-}" ]; then
  echo "SKIP: no model"; exit 0
fi
fail=0
while IFS=$'\t' read -r file want mode; do
  got=$("$BIN" ocr "$DIR/$file" 2>&1)
  if [ "$got" = "$want" ]; then echo "ok    $file  $got"
  elif [ "$mode" = xfail ]; then echo "xfail $file  got '$got' want '$want'"
  else echo "FAIL  $file  got '$got' want '$want'"; fail=1; fi
done < "$DIR/expected.tsv"
exit $fail
