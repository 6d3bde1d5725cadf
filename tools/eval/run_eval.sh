#!/bin/sh
# run_eval.sh — recognize a folder of images listed in a gold TSV, score the
# predictions with /work/shared/eval/score.py, and print the summary plus a
# breakdown of failures by construct and accuracy per confidence decile.
#
#   tools/eval/run_eval.sh [GOLD.tsv] [IMAGEDIR] [LIMIT]
#   env: BUILD (build dir, default build), OUT (work dir, default
#        $BUILD/eval), JOBS (score.py render jobs, default 2), MODEL
# Defaults: the im2latex validation set in /work/shared/data/im2latex-val,
# first 500 formulas (LIMIT=0: all).  Scoring renders every formula with
# LaTeX: slow on a shared machine; it runs under nice.
set -eu
GOLD=${1:-/work/shared/data/im2latex-val/gold.tsv}
IMAGES=${2:-/work/shared/data/im2latex-val/images}
LIMIT=${3:-500}
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/eval}
JOBS=${JOBS:-2}
SCORE=${SCORE:-/work/shared/eval/score.py}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
if [ "$LIMIT" -gt 0 ]; then head -n "$LIMIT" "$GOLD" > "$OUT/gold.tsv"; else cp "$GOLD" "$OUT/gold.tsv"; fi
set -- images "$OUT/gold.tsv" "$IMAGES"
[ -n "${MODEL:-}" ] && set -- "$@" --model "$MODEL"
"$BUILD/scipix-eval" "$@" > "$OUT/pred_conf.tsv"
cut -f1,2 "$OUT/pred_conf.tsv" > "$OUT/pred.tsv"
nice /usr/bin/python3 "$SCORE" "$OUT/gold.tsv" "$OUT/pred.tsv" --jobs "$JOBS" --report "$OUT/report.jsonl" | tee "$OUT/summary.txt"
echo
/usr/bin/python3 "$HERE/breakdown.py" "$OUT/report.jsonl" "$OUT/pred_conf.tsv" | tee "$OUT/breakdown.txt"
