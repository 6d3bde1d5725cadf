#!/usr/bin/python3
"""context.py — adds the classifier's context tables to a trained model.

    /usr/bin/python3 tools/train/context.py --model models/symbols.spxm \
        --data build-cls/data/train build-cls/data/heavy [--out PATH]

The network sees one glyph scaled to a 32 x 32 square; what it cannot see
is where the glyph sits among the others.  Its largest confusions are of
that kind: \\Big( and \\bigg( are the same drawing at two sizes, a fraction
bar is a minus sign with something above and below it, \\dot is a period
over a letter, O is o at capital height.  The context stage
(src/classify/context.c) re-ranks the network's top candidates with two
learned likelihoods, written here from the labelled training renders:

  ctx.height [C][bins]  log density of the glyph's height in points,
                        ln(h / s) with s the image's pixels per point
                        (dpi / 72.27 for our 10 pt renders); histograms
                        smoothed with a Gaussian of one bin and mixed with
                        the all-class histogram (weight KAPPA), so that a
                        rare class still has a defined density;
  ctx.vnbr   [C][4]     log P(pattern): whether another glyph lies
                        directly above (2) and/or below (1) within
                        GAP_PT points, sharing at least half the narrower
                        width; add-one smoothed;
  ctx.params [11]       the bins' origin and width, the weights of the two
                        terms, GAP_PT, the search for s in an image
                        (confidence cut, log range and step, floor), and
                        NEAR: which candidates may move up.

The C side estimates s from the image (the scale under which the
confidently read glyphs' heights are most likely), so nothing here needs
dpi at run time.  The weights ALPHA and BETA were chosen on the validation
renders (build-cls/data/val), never on the held-out sets.  The network's
tensors are copied unchanged: adding the tables changes no glyph-alone
answer.
"""

import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spxm import DT_F32, read_spxm, write_spxm  # noqa: E402

BINS = 128
BIN0 = math.log(0.25)   # 0.25 pt .. 150 pt
BIN_WIDTH = 0.05
KAPPA = 5.0
ALPHA = 0.5             # weight of the height term
BETA = 0.5              # weight of the neighbour term
GAP_PT = 6.0            # a neighbour "above" or "below" is this close, points
SURE = 0.9              # glyphs read at least this surely set the scale
SCALE_LO, SCALE_HI, SCALE_STEP = -1.0, 3.0, 0.01   # ln(pixels per point) searched
FLOOR = math.log(1e-3)  # one odd glyph costs the scale search at most this
NEAR = 0.1              # only candidates within this factor of the best may move up


def neighbour_patterns(boxes, s):
    """2 * (something directly above) + (something directly below) for
    each box (n x 4 int array: x, y, w, h); must match context.c."""
    x, y, w, h = (boxes[:, k].astype(np.float64) for k in range(4))
    ov = np.minimum(x[:, None] + w[:, None], x[None, :] + w[None, :]) - np.maximum(x[:, None], x[None, :])
    share = 2.0 * ov >= np.minimum(w[:, None], w[None, :])
    np.fill_diagonal(share, False)
    gap = GAP_PT * s
    above = share & (2 * y[None, :] + h[None, :] < 2 * y[:, None]) & (y[:, None] - (y + h)[None, :] <= gap)
    below = share & (2 * y[None, :] + h[None, :] > 2 * (y + h)[:, None]) & (y[None, :] - (y + h)[:, None] <= gap)
    return 2 * above.any(1) + below.any(1)


def height_bins(h_px, s):
    b = np.floor((np.log(h_px / s) - BIN0) / BIN_WIDTH)
    return np.clip(b, 0, BINS - 1).astype(np.int64)


def read_labels(path):
    """{image: rows of (class, x, y, w, h, dpi)} from a labels.tsv."""
    images = {}
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            r = line.rstrip("\n").split("\t")
            images.setdefault(r[col["image"]], []).append(
                [int(r[col[k]]) for k in ("class_id", "x", "y", "w", "h", "dpi")])
    return images


def count(dirs, n_classes):
    heights = np.zeros((n_classes, BINS))
    patterns = np.zeros((n_classes, 4))
    n = 0
    for d in dirs:
        for rows in read_labels(os.path.join(d, "labels.tsv")).values():
            a = np.array(rows, dtype=np.int64)
            if a[:, 0].max() >= n_classes or a[:, 0].min() < 0:
                sys.exit("context: %s has a class the model lacks" % d)
            s = a[0, 5] / 72.27
            np.add.at(heights, (a[:, 0], height_bins(a[:, 4].astype(np.float64), s)), 1)
            np.add.at(patterns, (a[:, 0], neighbour_patterns(a[:, 1:5], s)), 1)
            n += len(a)
    return heights, patterns, n


def tables(heights, patterns):
    kernel = np.exp(-0.5 * np.arange(-3, 4) ** 2)
    kernel /= kernel.sum()
    smooth = np.array([np.convolve(r, kernel, "same") for r in heights])
    overall = smooth.sum(0) / max(smooth.sum(), 1.0)
    height = np.log((smooth + KAPPA * overall + 1e-12) / (heights.sum(1, keepdims=True) + KAPPA))
    vnbr = np.log((patterns + 1.0) / (patterns.sum(1, keepdims=True) + 4.0))
    return height.astype(np.float32), vnbr.astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="trained model (.spxm) to add the tables to")
    ap.add_argument("--data", required=True, nargs="+", help="generated dataset directories (labels.tsv)")
    ap.add_argument("--out", help="where to write (default: --model, replaced atomically)")
    args = ap.parse_args()
    try:
        classes, tensors = read_spxm(args.model)
    except (OSError, ValueError) as e:
        sys.exit("context: %s" % e)
    heights, patterns, n = count(args.data, len(classes))
    height, vnbr = tables(heights, patterns)
    params = np.array([BIN0, BIN_WIDTH, ALPHA, BETA, GAP_PT, SURE, SCALE_LO, SCALE_HI, SCALE_STEP, FLOOR, NEAR],
                      dtype=np.float32)
    tensors = [t for t in tensors if not t[0].startswith("ctx.")]
    tensors += [("ctx.height", DT_F32, height), ("ctx.vnbr", DT_F32, vnbr), ("ctx.params", DT_F32, params)]
    size = write_spxm(args.out or args.model, classes, tensors)
    seen = int((heights.sum(1) > 0).sum())
    print("context: %d glyphs, %d of %d classes seen; wrote %s (%d bytes)"
          % (n, seen, len(classes), args.out or args.model, size))


if __name__ == "__main__":
    main()
