#!/usr/bin/python3
"""fontprobe.py — asks each font setup which inventory classes it can typeset,
and measures its sized delimiters.

Why: not every class exists in every font (txfonts lacks some AMS glyphs,
mathptmx borrows others), and a class that fails must be skipped for that
font rather than silently rendered as a substitute.  The probe typesets every
class alone on its own page (one latex run per font) and flags the pages whose
log shows an error or a "Missing character" warning, or whose page has no ink.

Delimiters made by \\left...\\right have no explicit size command, so their
class (size tier) is decided by measuring the rendered height against the
heights of the fixed tiers measured here, per font (see generate.py).

Run directly to print a report:  fontprobe.py [--fonts cm,lm,...] [--dupes]
(--dupes also lists distinct classes whose glyphs are pixel-identical in every
probed font — candidates for merging into one class with aliases).

fontprobe.py --identical-out tools/gen/identical.tsv writes the classes whose
glyphs are pixel-identical within ONE font (mathptmx draws \\rho and \\varrho
alike; every font draws . and \\cdot alike, apart from their place on the
line).  No classifier can tell such a pair apart from the glyph alone, so the
classifier's evaluation reports its accuracy with these pairs counted as one
beside the strict figure, and the layout stage decides the ones that differ by
position.  Columns: font, class latex, class latex of the group's first class.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import inventory  # noqa: E402
import render  # noqa: E402

PROBE_DPI = 720          # 10 px per point: heights are read to 0.1 pt
DUPE_DPI = 300


def probe_body(c):
    """Math-mode source that shows class C's glyph alone."""
    if c.slot == "delim" and c.tier == 5:
        # A tall strut forces the extensible version.
        return r"\left%s\vrule height 40pt depth 20pt width 0pt\right." % c.delim
    if c.slot == "rule":
        return r"\frac{\phantom{x}}{\phantom{x}}"
    if c.slot == "radical":
        return r"\sqrt{\phantom{x}}"
    if c.slot == "accent":
        if c.latex in ("\\overbrace", "\\underbrace", "\\widehat", "\\widetilde",
                       "\\overrightarrow", "\\overleftarrow"):
            return c.latex + r"{\phantom{xyz}}"
        return c.latex + r"{\phantom{x}}"
    if c.slot == "dbigop":
        return r"\displaystyle" + c.emit
    return c.emit


def probe_font(font, classes, workdir, want_dupes=False):
    """Return (unsupported {class_id: reason}, delim_heights, dupe_hashes)."""
    bodies = [probe_body(c) for c in classes]
    name = "probe_" + font
    render.write_document(os.path.join(workdir, name + ".tex"), font, bodies)
    problems = render.run_latex(workdir, name)
    unsupported = {}
    for page, msgs in problems.items():
        if 1 <= page <= len(classes):
            unsupported[classes[page - 1].id] = msgs[0][:120]
    # Heights of delimiter tiers, and ink check of every page.
    delim_pages = [i + 1 for i, c in enumerate(classes) if c.slot == "delim"]
    render.rasterize_many(workdir, name, delim_pages, PROBE_DPI, "d%d.png")
    heights = {}
    for p in delim_pages:
        c = classes[p - 1]
        path = os.path.join(workdir, "d%d.png" % p)
        if not os.path.exists(path):
            continue
        a = render.ink_alpha(render.load_gray(path))
        rows = np.where((a >= 0.35).any(axis=1))[0]
        if len(rows) == 0:
            unsupported.setdefault(c.id, "no ink")
            continue
        h_pt = (rows[-1] - rows[0] + 1) * 72.27 / PROBE_DPI
        heights.setdefault(c.delim, {})[c.tier] = round(h_pt, 2)
    all_pages = list(range(1, len(classes) + 1))
    render.rasterize_many(workdir, name, all_pages, DUPE_DPI, "a%d.png")
    hashes = {}
    for p in all_pages:
        c = classes[p - 1]
        path = os.path.join(workdir, "a%d.png" % p)
        if not os.path.exists(path):
            unsupported.setdefault(c.id, "not rasterized")
            continue
        g = render.load_gray(path)
        if (g < 160).sum() == 0 and c.slot not in ("rule", "radical"):
            unsupported.setdefault(c.id, "no ink")
        if want_dupes:
            hashes[c.id] = hashlib.sha1(g.tobytes() + bytes(str(g.shape), "ascii")).hexdigest()
    return unsupported, heights, hashes


def probe(fonts, classes, want_dupes=False):
    """Probe all FONTS; returns a JSON-able dict."""
    workdir = tempfile.mkdtemp(prefix="scipix-probe-")
    try:
        result = {"unsupported": {}, "delim_heights": {}, "hashes": {}}
        for font in fonts:
            uns, heights, hashes = probe_font(font, classes, workdir, want_dupes)
            result["unsupported"][font] = {str(k): v for k, v in sorted(uns.items())}
            result["delim_heights"][font] = heights
            result["hashes"][font] = hashes
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def write_identical(path, fonts, classes, res):
    """Per font, the groups of supported classes with pixel-identical glyphs."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("font\tlatex\tsame_as\n")
        for font in fonts:
            groups = {}
            for c in classes:
                h = res["hashes"][font].get(c.id)
                if h and str(c.id) not in res["unsupported"][font]:
                    groups.setdefault(h, []).append(c)
            for g in groups.values():
                for c in g[1:]:
                    f.write("%s\t%s\t%s\n" % (font, c.latex, g[0].latex))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fonts", default="cm,lm,times,tx,palatino")
    ap.add_argument("--dupes", action="store_true")
    ap.add_argument("--identical-out", metavar="FILE",
                    help="write the per-font pixel-identical class groups as TSV")
    args = ap.parse_args()
    classes = inventory.load_checked()
    fonts = args.fonts.split(",")
    res = probe(fonts, classes, args.dupes or bool(args.identical_out))
    if args.identical_out:
        write_identical(args.identical_out, fonts, classes, res)
    for font in fonts:
        uns = res["unsupported"][font]
        print("%s: %d unsupported" % (font, len(uns)))
        for cid, why in uns.items():
            print("   %-22s %s" % (classes[int(cid)].latex, why))
    print(json.dumps(res["delim_heights"].get(fonts[0], {}), indent=None)[:2000])
    if args.dupes:
        groups = {}
        for c in classes:
            key = tuple(res["hashes"][f].get(c.id, "?%d" % c.id) for f in fonts)
            groups.setdefault(key, []).append(c.latex)
        for g in groups.values():
            if len(g) > 1:
                print("identical in all fonts:", " ".join(g))


if __name__ == "__main__":
    main()
