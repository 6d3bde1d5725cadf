#!/usr/bin/env bash
# selftest.sh — generates ~20 formulas into a temporary directory and checks
# the result is consistent (tools/gen/check.py: headers, class ids, boxes
# inside images and on ink, undegraded ink fully covered by boxes).  Small on
# purpose: it runs in CTest (tests/cli/gen_selftest.sh) on a shared 2-core box.
# Two runs: one undegraded (strict ink-coverage check) and one degraded with
# the same seed, which must give identical labels (degradation touches only
# pixels, never boxes).  A third run covers --style real with --downsample.
# Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cmp -s <("$py" -c "import sys; sys.path.insert(0,'$here'); import inventory; sys.stdout.write(inventory.tsv_text(inventory.build()))") \
       "$here/inventory.tsv" || { echo "selftest: inventory.tsv is stale"; exit 1; }

nice "$py" "$here/generate.py" --out "$tmp/clean" --formulas 20 --seed 424242 \
    --fonts cm,times --dpi 80:300 --degrade 0 --jobs 2 >"$tmp/log1" 2>&1 \
    || { cat "$tmp/log1"; echo "selftest: generate failed"; exit 1; }
"$py" "$here/check.py" "$tmp/clean"
nice "$py" "$here/generate.py" --out "$tmp/deg" --formulas 20 --seed 424242 \
    --fonts cm,times --dpi 80:300 --degrade 1 --jobs 2 >"$tmp/log2" 2>&1 \
    || { cat "$tmp/log2"; echo "selftest: generate (degraded) failed"; exit 1; }
"$py" "$here/check.py" "$tmp/deg"
cmp -s "$tmp/clean/labels.tsv" "$tmp/deg/labels.tsv" \
    || { echo "selftest: labels differ between clean and degraded runs of one seed"; exit 1; }
n=$(($(wc -l <"$tmp/clean/formulas.tsv") - 1))
if (( n < 15 )); then echo "selftest: only $n of 20 formulas survived"; exit 1; fi
# Realistic mode: one-line formulas, half rendered at 2x dpi and box-filtered
# down (boxes recomputed for the small image), strictly checked undegraded.
nice "$py" "$here/generate.py" --out "$tmp/real" --formulas 12 --seed 424243 --style real \
    --fonts cm,palatino --dpi 80:200 --downsample 2 --downsample-frac 0.5 --degrade 0 \
    --jobs 2 >"$tmp/log3" 2>&1 \
    || { cat "$tmp/log3"; echo "selftest: generate (real) failed"; exit 1; }
"$py" "$here/check.py" "$tmp/real"
m=$(($(wc -l <"$tmp/real/formulas.tsv") - 1))
if (( m < 10 )); then echo "selftest: only $m of 12 real formulas survived"; exit 1; fi
echo "selftest: OK ($n formulas, $m real)"
