#!/usr/bin/python3
"""breakdown.py — failures of a scored run by construct and by confidence decile.

    breakdown.py REPORT.jsonl [PRED_WITH_CONF.tsv]

REPORT.jsonl is score.py --report output (one JSON line per id with gold,
pred and visual_exact).  PRED_WITH_CONF.tsv is scipix-eval's output
(id, latex, confidence, ms): adds accuracy per confidence decile and the
time figures.  A formula counts under every construct its GOLD contains, so
the table answers "how often are formulas with fractions right?".
"""
import json
import statistics
import sys

CONSTRUCTS = [
    ("scripts", ("^", "_")),
    ("fractions", ("\\frac", "\\over")),
    ("radicals", ("\\sqrt",)),
    ("big operators", ("\\sum", "\\prod", "\\int", "\\oint", "\\bigcup", "\\bigcap", "\\lim")),
    ("delimiters \\left\\right", ("\\left", "\\right")),
    ("sized delimiters", ("\\big", "\\Big", "\\bigg", "\\Bigg")),
    ("matrices/arrays", ("\\begin{array", "\\begin{matrix", "\\begin{pmatrix", "\\begin{cases", "\\matrix")),
    ("accents", ("\\hat", "\\tilde", "\\bar", "\\vec", "\\dot", "\\ddot", "\\widehat", "\\widetilde",
                 "\\overline", "\\underline", "\\overbrace", "\\underbrace")),
    ("functions", ("\\sin", "\\cos", "\\tan", "\\log", "\\ln", "\\exp", "\\lim", "\\max", "\\min", "\\det")),
    ("fonts", ("\\mathrm", "\\mathbf", "\\mathcal", "\\mathbb", "\\bf", "\\cal", "\\rm", "\\it")),
    ("text", ("\\text", "\\mbox", "\\hbox")),
    ("primes", ("\\prime", "'")),
]


def main():
    rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    conf, ms = {}, []
    if len(sys.argv) > 2:
        for line in open(sys.argv[2], encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if len(f) >= 4:
                try:
                    conf[f[0]] = float(f[2])
                    ms.append(float(f[3]))
                except ValueError:
                    pass
    n = len(rows)
    ok = sum(1 for r in rows if r["visual_exact"])
    print("formulas %d  visual_exact %.4f" % (n, ok / max(n, 1)))
    print("\n%-26s %6s %8s %8s" % ("construct (in gold)", "count", "visual", "share"))
    plain = [r for r in rows]
    for name, keys in CONSTRUCTS:
        sel = [r for r in rows if any(k in r["gold"] for k in keys)]
        if not sel:
            continue
        good = sum(1 for r in sel if r["visual_exact"])
        print("%-26s %6d %8.3f %8.3f" % (name, len(sel), good / len(sel), len(sel) / max(n, 1)))
        plain = [r for r in plain if not any(k in r["gold"] for k in keys)]
    if plain:
        good = sum(1 for r in plain if r["visual_exact"])
        print("%-26s %6d %8.3f %8.3f" % ("none of the above", len(plain), good / len(plain), len(plain) / max(n, 1)))
    if conf:
        sc = sorted(((conf.get(r["id"], 0.0), r["visual_exact"]) for r in rows), key=lambda x: x[0])
        print("\nconfidence decile   count  min_conf  visual")
        for d in range(10):
            part = sc[d * len(sc) // 10:(d + 1) * len(sc) // 10]
            if part:
                print("%-18d %6d %9.4f %7.3f" % (d + 1, len(part), part[0][0], sum(v for _, v in part) / len(part)))
    if ms:
        ms.sort()
        print("\ntime per formula: median %.2f ms, p90 %.2f ms, mean %.2f ms" %
              (statistics.median(ms), ms[int(0.9 * (len(ms) - 1))], statistics.mean(ms)))


if __name__ == "__main__":
    main()
