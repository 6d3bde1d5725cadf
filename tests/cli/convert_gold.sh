#!/usr/bin/env bash
# convert_gold.sh — the converter's bars on the im2latex validation LaTeX
# (../shared/data/im2latex-val/gold.tsv):
#   - at most 0.5% of the formulas fail to parse (failures listed with reasons);
#   - styled LaTeX parses back to the same tree for every formula;
#   - every emitted LaTeX renders in KaTeX (throwOnError), every MathML is
#     well-formed and accepted by MathJax, and >= 95% agree with MathJax's
#     own LaTeX→MathML after canonicalization (tools/js/check.js).
# Reports go to $SCIPIX_BUILD_DIR/convert-*.txt.  Under AddressSanitizer
# (a build directory ending in "asan") the renderer checks use a 600-formula
# subset; the parse and round-trip checks always cover every formula.
set -uo pipefail
BIN="$1"
SRC="${SCIPIX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
OUT="${SCIPIX_BUILD_DIR:-.}"
GOLD="${SCIPIX_GOLD:-$SRC/../shared/data/im2latex-val/gold.tsv}"
if [[ ! -f "$GOLD" ]]; then echo "FAIL: gold file $GOLD not found"; exit 1; fi
fail=0

"$BIN" convert --tsv --roundtrip < "$GOLD" > "$OUT/convert-parse-report.txt"
rt=$?
tail -n 3 "$OUT/convert-parse-report.txt"
grep '^FAIL' "$OUT/convert-parse-report.txt" | cut -f2,3 | sed 's/^/  /'
total=$(sed -n 's/^formulas: //p' "$OUT/convert-parse-report.txt")
failed=$(sed -n 's/^parse failures: \([0-9]*\).*/\1/p' "$OUT/convert-parse-report.txt")
if (( failed * 200 > total )); then echo "FAIL: more than 0.5% of the formulas fail to parse"; fail=1; fi
if (( rt != 0 )); then echo "FAIL: round trip differs (see $OUT/convert-parse-report.txt)"; fail=1; fi

if ! command -v node >/dev/null; then echo "FAIL: node not installed (scripts/install-deps.sh)"; exit 1; fi
if [[ ! -d "$SRC/tools/js/node_modules/katex" ]]; then
  echo "FAIL: tools/js/node_modules missing (scripts/install-deps.sh runs npm ci there)"; exit 1
fi
limit=0
[[ "$OUT" == *asan ]] && limit=600
node "$SRC/tools/js/check.js" --scipix "$BIN" --gold "$GOLD" --limit "$limit" \
  --report "$OUT/convert-check-report.txt" --min-agree 95 || fail=1
exit $fail
