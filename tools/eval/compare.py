#!/usr/bin/python3
"""compare.py: what a change does end to end, in minutes rather than the
quarter hour a full `make eval` takes.

    /usr/bin/python3 tools/eval/compare.py --a MODEL_A --b MODEL_B \
        [--build-a DIR] [--build-b DIR] [--gold GOLD.tsv] [--images DIR] \
        [--limit N] [--split N] [--out DIR] [--jobs N]

Recognizes the im2latex validation formulas with two models (or two builds:
--build-a/--build-b, each holding scipix-eval), scores only the formulas
whose LaTeX differs with ../shared/eval/score.py, and prints how many each
side gets visually right, so the change in visual_exact over all formulas
is (won - lost) / formulas exactly (the unchanged rows score the same).

Why the split: a cutoff tuned by looking at rows 0..2999 (what earlier
sessions did) looks better there than it is.  The rows from --split on are
reported apart; judge a change on them, or on all rows, never on the tuned
rows alone.  (Session 24: a change with +1 row on 0..2999 lost 25 rows on
the rest.)

Writes into --out: pred_a.tsv, pred_b.tsv, the changed rows' gold and
predictions, score.py's reports, and won.tsv / lost.tsv (id, gold, a, b).
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def read_tsv(path):
    rows = {}
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            key, _, value = line.partition("\t")
            rows[key] = value
            order.append(key)
    return order, rows


def write_tsv(path, keys, rows):
    with open(path, "w", encoding="utf-8") as f:
        for k in keys:
            f.write("%s\t%s\n" % (k, rows.get(k, "")))


def recognize(build, model, gold, images, out):
    cmd = [os.path.join(build, "scipix-eval"), "images", gold, images]
    if model:
        cmd += ["--model", model]
    log = open(out + ".log", "w")
    return subprocess.Popen(cmd, stdout=open(out, "w"), stderr=log), cmd


def visual(report):
    with open(report) as f:
        return {r["id"]: bool(r.get("visual_exact")) for r in map(json.loads, f)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", help="model A (default: the build's own)")
    ap.add_argument("--b", help="model B (default: the build's own)")
    ap.add_argument("--build-a", default=os.path.join(ROOT, "build"))
    ap.add_argument("--build-b", help="default: --build-a")
    ap.add_argument("--gold", default=os.path.join(SHARED, "data/im2latex-val/gold.tsv"))
    ap.add_argument("--images", default=os.path.join(SHARED, "data/im2latex-val/images"))
    ap.add_argument("--score", default=os.path.join(SHARED, "eval/score.py"))
    ap.add_argument("--limit", type=int, default=0, help="first N formulas only (0: all)")
    ap.add_argument("--split", type=int, default=3000, help="rows before this were used for tuning")
    ap.add_argument("--out", default=os.path.join(ROOT, "build/compare"))
    ap.add_argument("--jobs", type=int, default=2, help="score.py render jobs per side")
    args = ap.parse_args()
    if not (args.a or args.b or args.build_b):
        sys.exit("compare: give two models (--a, --b) or two builds (--build-a, --build-b)")
    os.makedirs(args.out, exist_ok=True)
    order, gold = read_tsv(args.gold)
    if args.limit > 0:
        order = order[:args.limit]
    gold_path = os.path.join(args.out, "gold.tsv")
    write_tsv(gold_path, order, gold)

    runs = [recognize(args.build_a, args.a, gold_path, args.images, os.path.join(args.out, "pred_a.tsv")),
            recognize(args.build_b or args.build_a, args.b, gold_path, args.images,
                      os.path.join(args.out, "pred_b.tsv"))]
    for proc, cmd in runs:
        if proc.wait() != 0:
            sys.exit("compare: %s failed (exit %d); see %s" % (" ".join(cmd), proc.returncode, args.out))
    pred = []
    for side in ("a", "b"):
        _, rows = read_tsv(os.path.join(args.out, "pred_%s.tsv" % side))
        pred.append({k: v.split("\t")[0] for k, v in rows.items()})
    changed = [k for k in order if pred[0].get(k) != pred[1].get(k)]
    print("formulas %d, outputs changed %d" % (len(order), len(changed)))
    if not changed:
        return

    write_tsv(os.path.join(args.out, "changed_gold.tsv"), changed, gold)
    scoring = []
    for side, rows in zip(("a", "b"), pred):
        write_tsv(os.path.join(args.out, "changed_%s.tsv" % side), changed, rows)
        cmd = ["nice", "/usr/bin/python3", args.score, os.path.join(args.out, "changed_gold.tsv"),
               os.path.join(args.out, "changed_%s.tsv" % side), "--jobs", str(args.jobs),
               "--report", os.path.join(args.out, "report_%s.jsonl" % side),
               "--workdir", os.path.join(args.out, "render_%s" % side)]
        scoring.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                         stderr=open(os.path.join(args.out, "score_%s.log" % side), "w")), cmd))
    for proc, cmd in scoring:
        if proc.wait() != 0:
            sys.exit("compare: scoring failed (exit %d); see %s" % (proc.returncode, args.out))
    va, vb = (visual(os.path.join(args.out, "report_%s.jsonl" % s)) for s in ("a", "b"))
    row = {k: i for i, k in enumerate(order)}
    won = [k for k in changed if vb.get(k) and not va.get(k)]
    lost = [k for k in changed if va.get(k) and not vb.get(k)]
    for name, keys in (("won", won), ("lost", lost)):
        with open(os.path.join(args.out, name + ".tsv"), "w", encoding="utf-8") as f:
            for k in keys:
                f.write("%s\t%s\t%s\t%s\n" % (k, gold[k], pred[0].get(k, ""), pred[1].get(k, "")))

    def part(keys, lo, hi):
        return sum(lo <= row[k] < hi for k in keys)

    print("%-22s %8s %6s %6s %10s" % ("rows", "formulas", "won", "lost", "visual"))
    for name, lo, hi in (("tuned (< split)", 0, args.split), ("untuned (>= split)", args.split, len(order)),
                         ("all", 0, len(order))):
        n = max(0, min(hi, len(order)) - lo)
        w, l_ = part(won, lo, hi), part(lost, lo, hi)
        print("%-22s %8d %6d %6d %+10.4f" % (name, n, w, l_, (w - l_) / n if n else 0.0))
    print("B against A; lists in %s/won.tsv and lost.tsv" % args.out)


if __name__ == "__main__":
    main()
