#!/usr/bin/python3
"""check.py — verifies a generated dataset directory is self-consistent.

Why: the classifier trusts labels.tsv blindly, so a cheap independent check
catches generator regressions before they become a bad model.  Checks:
  * labels.tsv / formulas.tsv headers are exactly the documented ones;
  * every class id exists in inventory.tsv; every labelled image exists;
  * every box lies inside its image and contains ink;
  * for undegraded images: every dark pixel lies inside some box (boxes
    cover the ink), and each formula's images have at least one label;
  * meta.json parses and its counts match the files.
Usage: check.py DIR   (exit 1 with messages on failure)
"""

import json
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
LABEL_HEADER = "image\tclass_id\tx\ty\tw\th\tfont\tdpi"
FORMULA_HEADER = "image\tfont\tdpi\tdegradations\tlatex"


def main():
    d = sys.argv[1]
    errors = []
    with open(os.path.join(HERE, "inventory.tsv"), encoding="utf-8") as f:
        n_classes = sum(1 for _ in f) - 1
    with open(os.path.join(d, "labels.tsv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    if lines[0] != LABEL_HEADER:
        errors.append("labels.tsv header %r" % lines[0])
    boxes = {}
    for ln in lines[1:]:
        img, cid, x, y, w, h, font, dpi = ln.split("\t")
        if not 0 <= int(cid) < n_classes:
            errors.append("bad class id %s in %s" % (cid, img))
        boxes.setdefault(img, []).append((int(cid), int(x), int(y), int(w), int(h)))
    with open(os.path.join(d, "formulas.tsv"), encoding="utf-8") as f:
        flines = f.read().splitlines()
    if flines[0] != FORMULA_HEADER:
        errors.append("formulas.tsv header %r" % flines[0])
    formulas = {}
    for ln in flines[1:]:
        parts = ln.split("\t")
        if len(parts) != 5 or not parts[4]:
            errors.append("bad formulas.tsv row %r" % ln[:80])
            continue
        formulas[parts[0]] = parts
    for img in boxes:
        if img not in formulas:
            errors.append("%s labelled but not in formulas.tsv" % img)
    for img, row in formulas.items():
        path = os.path.join(d, "images", img)
        if not os.path.exists(path):
            errors.append("missing image " + img)
            continue
        im = Image.open(path)
        if im.mode != "L":
            errors.append("%s is %s, not 8-bit gray" % (img, im.mode))
        g = np.asarray(im.convert("L"))
        H, W = g.shape
        covered = np.zeros_like(g, bool)
        if not boxes.get(img):
            errors.append("%s has no labels" % img)
        for cid, x, y, w, h in boxes.get(img, []):
            if x < 0 or y < 0 or w < 1 or h < 1 or x + w > W or y + h > H:
                errors.append("%s box %s outside %dx%d" % (img, (x, y, w, h), W, H))
                continue
            if g[y:y + h, x:x + w].min() > 230 and row[3] == "none":
                errors.append("%s box %s (class %d) has no ink" % (img, (x, y, w, h), cid))
            covered[y:y + h, x:x + w] = True
        if row[3] == "none":
            stray = (g < 128) & ~covered
            if stray.sum() > 0:
                errors.append("%s: %d dark pixels outside every box" % (img, stray.sum()))
    meta = json.load(open(os.path.join(d, "meta.json"), encoding="utf-8"))
    if meta["formulas_written"] != len(formulas):
        errors.append("meta formulas_written %d != %d" % (meta["formulas_written"], len(formulas)))
    if meta["symbols"] != len(lines) - 1:
        errors.append("meta symbols %d != %d" % (meta["symbols"], len(lines) - 1))
    for e in errors[:50]:
        print("check:", e)
    print("check: %s: %d images, %d boxes, %d problems" %
          (d, len(formulas), len(lines) - 1, len(errors)))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
