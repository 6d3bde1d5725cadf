#!/usr/bin/python3
"""generate.py — renders random formulas and writes labelled symbol boxes.

Pipeline per batch of formulas (one font per batch, one latex run per batch):
  1. grammar.py draws a formula around a few "focus" classes (class balance);
  2. the source is written twice into one document: every glyph token with
     its own colour (label render) and every colour black (training render).
     Both are typeset by the same latex run, so the layout is identical;
  3. dvipng rasterizes both pages at the formula's dpi (-T tight);
  4. each ink pixel's owner is recovered from the colour render: with the ink
     coverage a from the black render, colour = (c - 255(1-a)) / a is exact up
     to rounding, then snapped to the 5x5x5 palette.  A token with no pixel,
     ink owned by no token (drawn in a colour nobody set, e.g. black), or too
     many pixels between palette colours rejects the formula (counted in
     meta.json) instead of producing a wrong label;
  5. \\left/\\right delimiters get their size-tier class by measuring their
     height against the font's fixed tiers (fontprobe.py);
  6. the black render is degraded (blur, noise, JPEG, stroke width, binarize,
     contrast) and saved; boxes stay those of the clean colour render.

--style real swaps in realgrammar.py (paper-like single-line formulas,
typeset unbreakable so they never wrap).  --downsample K renders a share of
the formulas at K x dpi and box-filters the image down by K (like a PDF page
rendered and scaled for a screenshot); boxes are then recomputed from the
per-glyph ink coverage of the downsampled pixels (see downsample_boxes).
--heavy P draws a share of those downsampled formulas with heavier strokes:
the hi-res ink is dilated (2x2 or 3x3 min filter) before the reduction and
each glyph's ownership grows with its ink (heavy_owner).  PDF rasterizers
with hinting or gamma (and the im2latex-style renders common in papers'
screenshots) give ~2 px strokes at 100 dpi where dvipng gives ~1 px.

Output (DIR): images/NNNNNNN.png, labels.tsv, formulas.tsv, meta.json —
see README.md.  Deterministic given --seed (each formula and batch has its own
string-seeded random stream, so --jobs does not change the result).
"""

import argparse
import io
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fontprobe  # noqa: E402
import grammar  # noqa: E402
import inventory  # noqa: E402
import realgrammar  # noqa: E402
import render  # noqa: E402

LEVELS = [0, 50, 100, 150, 200]           # palette levels per channel
PALETTE = [(r, g, b) for r in LEVELS for g in LEVELS for b in LEVELS if (r, g, b) != (0, 0, 0)]
OWN_ALPHA = 0.3        # pixels at least this dark are assigned an owner / boxed
STRONG_ALPHA = 0.5     # pixels this dark must have an owner
MAX_RESIDUAL = 20      # max distance (per channel) from a palette colour
BATCH = 40             # formulas per latex run
FOCUS_PER_FORMULA = 8
FOCUS_REAL = 2         # --style real: realism first, a couple of focus classes
STYLES = {"default": (grammar.Grammar, FOCUS_PER_FORMULA),
          "real": (realgrammar.RealGrammar, FOCUS_REAL)}
FONTS = list(render.FONT_PREAMBLES)


def color_cmd(rgb):
    return "\\color[RGB]{%d,%d,%d}" % rgb


def fill_colors(src, colors):
    """Replace \\C{k} markers by colour commands (colors[k])."""
    out = []
    pos = 0
    while True:
        i = src.find("\\C{", pos)
        if i < 0:
            out.append(src[pos:])
            break
        j = src.index("}", i)
        out.append(src[pos:i])
        out.append(color_cmd(colors[int(src[i + 3:j])]))
        pos = j + 1
    return "".join(out)


# ----------------------------------------------------------------- labelling
def assign_owners(rgb, gray, ntok, colors):
    """Owner token per pixel (-1 none) and counts of problem pixels."""
    a = 1.0 - gray.astype(np.float32) / 255.0
    consider = a >= OWN_ALPHA
    owner = np.full(gray.shape, -1, np.int32)
    ys, xs = np.nonzero(consider)
    aa = a[ys, xs][:, None]
    col = (rgb[ys, xs].astype(np.float32) - 255.0 * (1.0 - aa)) / aa
    lev = np.clip(np.rint(col / 50.0), 0, 4)
    resid = np.abs(col - lev * 50.0).max(axis=1)
    code = (lev[:, 0] * 25 + lev[:, 1] * 5 + lev[:, 2]).astype(np.int32)
    lut = np.full(125, -1, np.int32)
    for k in range(ntok):
        r, g, b = colors[k]
        lut[r // 50 * 25 + g // 50 * 5 + b // 50] = k
    tok = lut[code]
    mixed = resid > MAX_RESIDUAL
    tok[mixed] = -1
    owner[ys, xs] = tok
    # Strong ink in a clean colour that no token set (black = drawn outside
    # any token's colour, or a colour bleeding where it should not be) means
    # an unlabelled glyph; strong ink between palette colours is normal where
    # two glyphs touch, as long as it stays rare.
    strong = (a[ys, xs] >= STRONG_ALPHA)
    foreign = int((strong & ~mixed & (tok < 0)).sum())
    blended = int((strong & mixed).sum())
    # A blended strong pixel belongs to one of the glyphs that touch there:
    # give it to the most common owner among its 8 neighbours, so the boxes
    # cover all the ink.
    # (Repeated a few times so runs of such pixels fill in; the few
    # tolerated foreign pixels are treated the same way.)
    pend = list(zip(ys[strong & (tok < 0)], xs[strong & (tok < 0)]))
    for _ in range(4):
        if not pend:
            break
        left = []
        for y, x in pend:
            nb = owner[max(0, y - 1):y + 2, max(0, x - 1):x + 2].ravel()
            nb = nb[nb >= 0]
            if len(nb):
                owner[y, x] = np.bincount(nb).argmax()
            else:
                left.append((y, x))
        pend = left
    return owner, foreign, blended, int(strong.sum())


def faint_pixels(rgb, gray, color, min_alpha=0.1, tol=30):
    """Pixels of faint ink whose recovered colour is COLOR."""
    a = 1.0 - gray.astype(np.float32) / 255.0
    ys, xs = np.nonzero((a >= min_alpha) & (a < OWN_ALPHA))
    aa = a[ys, xs][:, None]
    col = (rgb[ys, xs].astype(np.float32) - 255.0 * (1.0 - aa)) / aa
    ok = np.abs(col - np.array(color, np.float32)).max(axis=1) <= tol
    return ys[ok], xs[ok]


def tier_of(height_pt, heights, extensible):
    """Size tier of a \\left/\\right delimiter from its measured height."""
    tiers = {int(k): v for k, v in heights.items() if int(k) <= 4}
    if height_pt > 1.1 * tiers[4]:
        return 5 if extensible else 4
    return min(tiers, key=lambda t: abs(np.log(height_pt / tiers[t])))


def filter2x2(img, op):
    """2x2 rank filter: op (np.minimum: thicker ink, np.maximum: thinner)
    over each pixel and its right, lower and lower-right neighbours."""
    p = np.pad(img, ((0, 1), (0, 1)), mode="edge")
    return op.reduce([p[:-1, :-1], p[1:, :-1], p[:-1, 1:], p[1:, 1:]])


def min_filter(gray, k):
    """K x K minimum filter (K = 2 or 3): ink grows by K-1 pixels."""
    if k == 3:
        p = np.pad(gray, 1, mode="edge")
        h, w = gray.shape
        return np.minimum.reduce([p[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)])
    return filter2x2(gray, np.minimum)


def heavy_owner(owner, heavy, steps):
    """Grow token ownership into the ink that a min filter added: an
    unowned pixel with ink in HEAVY takes the owner of an owned neighbour,
    STEPS times (the filter's reach)."""
    ink = (1.0 - heavy.astype(np.float32) / 255.0) >= OWN_ALPHA
    h, w = owner.shape
    for _ in range(steps):
        p = np.pad(owner, 1, constant_values=-1)
        grow = np.full_like(owner, -1)
        for dy in range(3):
            for dx in range(3):
                nb = p[dy:dy + h, dx:dx + w]
                grow = np.where((grow < 0) & (nb >= 0), nb, grow)
        owner = np.where((owner < 0) & ink, grow, owner)
    return owner


def label_formula(rgb, gray, tokens, colors, font, dpi, delim_heights, classes_by_key,
                  down=1, heavy=0):
    """Boxes [(class_id, x, y, w, h)] or a failure reason string.

    DOWN > 1: the boxes are for GRAY box-filtered down by DOWN (see
    downsample_boxes); the tier of \\left/\\right is still measured at DPI.
    HEAVY (2 or 3, with DOWN > 1): the hi-res ink is min-filtered first and
    the returned image is the heavy one."""
    if rgb.shape[:2] != gray.shape:
        return "size_mismatch"
    owner, foreign, blended, strong = assign_owners(rgb, gray, len(tokens), colors)
    if heavy:
        gray = min_filter(gray, heavy)
        owner = heavy_owner(owner, gray, heavy - 1)
    if foreign > 2:
        return "foreign_ink"
    if blended > max(3, 0.03 * strong):
        return "blended_ink"
    boxes = []
    flat = owner.ravel()
    order = np.argsort(flat, kind="stable")
    sorted_owner = flat[order]
    starts = np.searchsorted(sorted_owner, np.arange(len(tokens)), "left")
    ends = np.searchsorted(sorted_owner, np.arange(len(tokens)), "right")
    w_img = gray.shape[1]
    pix = []
    for k, entry in enumerate(tokens):
        if starts[k] != ends[k]:
            idx = order[starts[k]:ends[k]]
            ys, xs = idx // w_img, idx % w_img
        else:
            # Tiny glyphs (a scriptscript dot at 80 dpi) may never reach
            # OWN_ALPHA: look for the token's colour among faint pixels.
            ys, xs = faint_pixels(rgb, gray, colors[k])
            if len(ys) == 0:
                what = entry[1] if isinstance(entry, tuple) else entry
                return "missing_token:%s" % what
        x0, x1, y0, y1 = int(xs.min()), int(xs.max()), int(ys.min()), int(ys.max())
        if isinstance(entry, tuple):       # ("measure", delimiter)
            d = entry[1]
            h_pt = (y1 - y0 + 1) * 72.27 / dpi
            ext = (d, 5) in classes_by_key
            t = tier_of(h_pt, delim_heights[font][d], ext)
            cid = classes_by_key[(d, t)]
        else:
            cid = entry
        boxes.append((cid, x0, y0, x1 - x0 + 1, y1 - y0 + 1))
        pix.append((ys, xs))
    if down > 1:
        return downsample_boxes(gray, boxes, pix, down)
    return boxes


def reduce_gray(gray, down):
    """Box-filter GRAY by DOWN (padded with white to a multiple of DOWN)."""
    h, w = gray.shape
    H, W = -(-h // down) * down, -(-w // down) * down
    pad = np.full((H, W), 255, np.uint8)
    pad[:h, :w] = gray
    return np.asarray(Image.fromarray(pad).reduce(down))


def downsample_boxes(gray, boxes, pix, down):
    """Boxes in the DOWN-times smaller image from hi-res pixel ownership.

    Each low-res pixel's ink is the mean of its DOWNxDOWN block, so a glyph's
    share of it is the summed coverage of the hi-res pixels it owns / DOWN^2.
    A glyph's box spans the low-res pixels where its share is >= OWN_ALPHA,
    plus those whose total ink is >= OWN_ALPHA and where it has the largest
    share (so ink made of several glyphs' edges is still boxed).  A glyph
    with no such pixel gets its strongest pixels; if those show no visible
    ink the formula is rejected."""
    small = reduce_gray(gray, down)
    hs, ws = small.shape
    n = hs * ws
    a_hi = 1.0 - gray.astype(np.float64) / 255.0
    a_lo = 1.0 - small.astype(np.float64) / 255.0
    toks = np.concatenate([np.full(len(ys), k, np.int64) for k, (ys, xs) in enumerate(pix)])
    ys = np.concatenate([p[0] for p in pix]).astype(np.int64)
    xs = np.concatenate([p[1] for p in pix]).astype(np.int64)
    key = toks * n + (ys // down) * ws + xs // down
    uk, inv = np.unique(key, return_inverse=True)
    cov = np.bincount(inv.ravel(), a_hi[ys, xs]) / (down * down)
    tk, px = uk // n, uk % n
    keep = cov >= OWN_ALPHA
    # Largest share per low-res pixel (uk is sorted by token, so sort by pixel).
    order = np.lexsort((-cov, px))
    first = np.ones(len(order), bool)
    first[1:] = px[order][1:] != px[order][:-1]
    best = np.zeros(len(uk), bool)
    best[order[first]] = True
    keep |= best & (a_lo.ravel()[px] >= OWN_ALPHA)
    out = []
    for k, (cid, _, _, _, _) in enumerate(boxes):
        sel = tk == k
        m = sel & keep
        if not m.any():
            m = sel & (cov >= 0.5 * cov[sel].max())
        p = px[m]
        yy, xx = p // ws, p % ws
        x0, x1, y0, y1 = int(xx.min()), int(xx.max()), int(yy.min()), int(yy.max())
        if small[y0:y1 + 1, x0:x1 + 1].min() > 230:
            return "faint_after_downsample"
        out.append((cid, x0, y0, x1 - x0 + 1, y1 - y0 + 1))
    return out, small


# -------------------------------------------------------------- degradation
def degrade(gray, r, dpi):
    """Random degradations of the black render; returns (image, description)."""
    img = gray.astype(np.float32)
    done = []
    scale = dpi / 150.0
    if r.random() < 0.3:
        # Stroke width: 2x2 min (thicker ink) or max (thinner) filter.
        thick = r.random() < 0.6
        img = filter2x2(img, np.minimum if thick else np.maximum)
        done.append("thicken" if thick else "thin")
    if r.random() < 0.4:
        sigma = r.uniform(0.3, 1.0) * max(scale, 0.6)
        img = np.asarray(Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
                         .filter(ImageFilter.GaussianBlur(sigma)), np.float32)
        done.append("blur:%.2f" % sigma)
    if r.random() < 0.4:
        ink, paper = r.uniform(0, 90), r.uniform(190, 255)
        img = ink + img * (paper - ink) / 255.0
        done.append("contrast:%d-%d" % (ink, paper))
    if r.random() < 0.35:
        sd = r.uniform(3, 18)
        nr = np.random.default_rng(r.getrandbits(32))
        img = img + nr.normal(0, sd, img.shape).astype(np.float32)
        done.append("noise:%.1f" % sd)
    img = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    x = r.random()
    if x < 0.2:
        thr = r.randint(100, 190)
        img = np.where(img < thr, 0, 255).astype(np.uint8)
        done.append("binarize:%d" % thr)
    elif x < 0.5:
        q = r.randint(25, 90)
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, "JPEG", quality=q)
        img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
        done.append("jpeg:%d" % q)
    if not done:
        done.append("none")
    return img, ",".join(done)


# ------------------------------------------------------------------ batches
class Job:
    """Everything a worker process needs (picklable)."""

    def __init__(self, args, probe, focus_order):
        self.seed = args.seed
        self.fonts = args.fonts
        self.dpi = args.dpi
        self.degrade = args.degrade
        self.out = args.out
        self.probe = probe
        self.focus_order = focus_order
        self.n = args.formulas
        self.style = args.style
        self.down = args.downsample
        self.down_frac = args.downsample_frac
        self.heavy = args.heavy
        self.nowrap = args.nowrap or args.style == "real"


def plan_focus(classes, seed, n_formulas, pilot=1200, style="default"):
    """Deterministic focus list that evens out per-class counts.

    A pilot run of the grammar alone (no rendering, ~1 ms per formula, own
    seed stream) measures how often each class shows up as filler.  The
    N * FOCUS_PER_FORMULA focus slots of the real run are then handed out by
    water-filling: the classes the filler serves least get the most focus
    placements, so the minimum per-class count is as high as it can be."""
    gram_cls, per_formula = STYLES[style]
    gram = gram_cls(classes)
    filler = np.zeros(len(classes))
    for i in range(pilot):
        r = random.Random("%d:pilot:%d" % (seed, i))
        f, _, _ = gram.formula(r, [])
        for t in f.tokens:
            if not isinstance(t, tuple):
                filler[t] += 1
    expected = filler / pilot * n_formulas
    slots = n_formulas * per_formula
    # Each focus placement yields about one sample; raise the lowest classes
    # to a common level L with sum(max(0, L - expected)) = slots.
    lo, hi = 0.0, expected.max() + slots
    for _ in range(60):
        mid = (lo + hi) / 2
        if np.maximum(0, mid - expected).sum() > slots:
            hi = mid
        else:
            lo = mid
    mult = np.maximum(1.0, lo - expected)

    def make_order(mult):
        # Exactly `slots` entries (the real run uses focus slot i*K+j).
        share = mult / mult.sum() * slots
        order = []
        for c in classes:
            order += [c.id] * max(1, int(round(share[c.id])))
        random.Random("%d:focus" % seed).shuffle(order)
        return order

    # Refine: simulate formulas with this focus list and scale each class's
    # focus share by how far its simulated count falls short of the floor.
    for it in range(2):
        order = make_order(mult)
        got = np.zeros(len(classes))
        for i in range(pilot):
            r = random.Random("%d:pilot%d:%d" % (seed, it, i))
            j0 = r.randrange(len(order))
            focus = [classes[order[(j0 + j) % len(order)]] for j in range(per_formula)]
            f, _, _ = gram.formula(r, focus)
            for t in f.tokens:
                if not isinstance(t, tuple):
                    got[t] += 1
        got = got / pilot * n_formulas
        floor = np.percentile(got, 10)
        short = got < floor
        mult[short] *= np.minimum(3.0, floor / np.maximum(got[short], 0.5))
    return make_order(mult), round(float(np.percentile(got, 10)), 1)


def parse_dpi(s):
    lo, _, hi = s.partition(":")
    return int(lo), int(hi or lo)


def run_batch(job, b):
    classes = inventory.build()
    by_key = {(c.delim, c.tier): c.id for c in classes if c.slot == "delim"}
    font = random.Random("%d:font:%d" % (job.seed, b)).choice(job.fonts)
    unsupported = [int(k) for k in job.probe["unsupported"][font]]
    gram_cls, per_formula = STYLES[job.style]
    gram = gram_cls(classes, unsupported)
    lo_dpi, hi_dpi = parse_dpi(job.dpi)
    first, last = b * BATCH, min((b + 1) * BATCH, job.n)
    items = []
    bodies = []
    for i in range(first, last):
        r = random.Random("%d:formula:%d" % (job.seed, i))
        focus = [classes[job.focus_order[(i * per_formula + j) % len(job.focus_order)]]
                 for j in range(per_formula)]
        for attempt in range(20):
            f, clean, src = gram.formula(r, focus if attempt < 10 else [])
            if 0 < len(f.tokens) <= grammar.MAX_TOKENS:
                break
        colors = r.sample(PALETTE, len(f.tokens))
        dpi = r.randint(lo_dpi, hi_dpi)
        down, heavy = 1, 0
        if job.down > 1 and r.random() < job.down_frac:
            down = job.down
            if job.heavy > 0 and r.random() < job.heavy:
                heavy = 2 if r.random() < 0.85 else 3
        items.append((i, f, clean, colors, dpi, down, heavy, r))
        bodies.append(fill_colors(src, colors))
        bodies.append(fill_colors(src, [(0, 0, 0)] * len(f.tokens)))
    rows, frows, fails = [], [], {}
    ndown = 0
    tmp = tempfile.mkdtemp(prefix="scipix-gen-")
    try:
        render.write_document(os.path.join(tmp, "b.tex"), font, bodies, nowrap=job.nowrap)
        problems = render.run_latex(tmp, "b")
        for n, (i, f, clean, colors, dpi, down, heavy, r) in enumerate(items):
            pc, pb = 2 * n + 1, 2 * n + 2
            if pc in problems or pb in problems:
                msg = (problems.get(pc) or problems.get(pb))[0][:60]
                fails["tex_error:" + msg] = fails.get("tex_error:" + msg, 0) + 1
                continue
            render.rasterize_many(tmp, "b", [pc, pb], dpi * down, "p%d.png")
            try:
                rgb = render.load_rgb(os.path.join(tmp, "p%d.png" % pc))
                gray = render.load_gray(os.path.join(tmp, "p%d.png" % pb))
            except OSError:
                fails["no_image"] = fails.get("no_image", 0) + 1
                continue
            res = label_formula(rgb, gray, f.tokens, colors, font, dpi * down,
                                job.probe["delim_heights"], by_key, down, heavy)
            if isinstance(res, str):
                if res.startswith("missing_token:"):
                    what = res.split(":", 1)[1]
                    name = classes[int(what)].latex if what.isdigit() else "\\left" + what
                    res = "missing_token:" + name
                fails[res] = fails.get(res, 0) + 1
                continue
            if down > 1:
                res, gray = res
                ndown += 1
            name = "%07d.png" % i
            if job.degrade > 0 and r.random() < job.degrade:
                img, desc = degrade(gray, r, dpi)
            else:
                img, desc = gray, "none"
            if heavy:
                desc = "heavy:%d,%s" % (heavy, desc) if desc != "none" else "heavy:%d" % heavy
            Image.fromarray(img).save(os.path.join(job.out, "images", name), compress_level=3)
            for cid, x, y, w, h in res:
                rows.append("%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d" % (name, cid, x, y, w, h, font, dpi))
            frows.append("%s\t%s\t%d\t%s\t%s" % (name, font, dpi, desc, clean))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return b, rows, frows, fails, font, ndown


def main():
    ap = argparse.ArgumentParser(description="scipix training-data generator")
    ap.add_argument("--out", required=True, help="dataset directory to create")
    ap.add_argument("--formulas", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fonts", default="cm,lm,times,tx,palatino")
    ap.add_argument("--dpi", default="80:400", help="LO:HI, sampled per formula")
    ap.add_argument("--degrade", type=float, default=0.6,
                    help="probability that an image is degraded")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--style", choices=sorted(STYLES), default="default",
                    help="default: class-balanced grammar; real: paper-like one-line formulas")
    ap.add_argument("--downsample", type=int, default=1, metavar="K",
                    help="render at K x dpi and box-filter down by K (share: --downsample-frac)")
    ap.add_argument("--downsample-frac", type=float, default=1.0, metavar="P",
                    help="probability that a formula is rendered via --downsample")
    ap.add_argument("--heavy", type=float, default=0.0, metavar="P",
                    help="probability that a downsampled formula gets heavier strokes")
    ap.add_argument("--nowrap", action="store_true",
                    help="never line-break a formula (always on with --style real)")
    args = ap.parse_args()
    args.fonts = args.fonts.split(",")
    for f in args.fonts:
        if f not in render.FONT_PREAMBLES:
            sys.exit("unknown font %r (known: %s)" % (f, ",".join(FONTS)))
    t0 = time.time()
    classes = inventory.load_checked()
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    probe = fontprobe.probe(args.fonts, classes)
    probe.pop("hashes", None)
    focus_order, level = plan_focus(classes, args.seed, args.formulas, style=args.style)
    print("focus plan: %d placements, simulated 10th-percentile class count %.0f" %
          (len(focus_order), level), flush=True)
    job = Job(args, probe, focus_order)
    nbatches = (args.formulas + BATCH - 1) // BATCH
    counts = [0] * len(classes)
    fails, fonts_used = {}, {}
    written = 0
    downsampled = 0
    with open(os.path.join(args.out, "labels.tsv"), "w", encoding="utf-8") as lab, \
            open(os.path.join(args.out, "formulas.tsv"), "w", encoding="utf-8") as frm:
        lab.write("image\tclass_id\tx\ty\tw\th\tfont\tdpi\n")
        frm.write("image\tfont\tdpi\tdegradations\tlatex\n")
        with multiprocessing.Pool(args.jobs) as pool:
            results = pool.imap(_run_batch_star, [(job, b) for b in range(nbatches)])
            for b, rows, frows, bfails, font, ndown in results:
                downsampled += ndown
                for row in rows:
                    lab.write(row + "\n")
                    counts[int(row.split("\t")[1])] += 1
                for row in frows:
                    frm.write(row + "\n")
                written += len(frows)
                fonts_used[font] = fonts_used.get(font, 0) + len(frows)
                for k, v in bfails.items():
                    fails[k] = fails.get(k, 0) + v
                if (b + 1) % 10 == 0 or b + 1 == nbatches:
                    print("batch %d/%d: %d formulas, %d symbols, %.0fs" %
                          (b + 1, nbatches, written, sum(counts), time.time() - t0),
                          flush=True)
    elapsed = time.time() - t0
    nz = sorted(counts)
    meta = {
        "command": " ".join(sys.argv),
        "seed": args.seed, "fonts": args.fonts, "dpi": args.dpi, "degrade": args.degrade,
        "style": args.style, "nowrap": job.nowrap, "downsample": args.downsample,
        "downsample_frac": args.downsample_frac, "formulas_downsampled": downsampled,
        "heavy": args.heavy,
        "formulas_requested": args.formulas, "formulas_written": written,
        "formulas_dropped": fails, "symbols": sum(counts), "fonts_used": fonts_used,
        "classes": len(classes),
        "per_class_min": nz[0], "per_class_median": nz[len(nz) // 2],
        "classes_below_300": [classes[i].latex for i, n in enumerate(counts) if n < 300],
        "per_class": {classes[i].latex: n for i, n in enumerate(counts)},
        "unsupported": {f: {classes[int(k)].latex: v for k, v in d.items()}
                        for f, d in probe["unsupported"].items()},
        "delim_heights_pt": probe["delim_heights"],
        "seconds": round(elapsed, 1),
    }
    with open(os.path.join(args.out, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
    print("done: %d/%d formulas, %d symbols, per-class min %d median %d, dropped %s, %.0fs" %
          (written, args.formulas, sum(counts), nz[0], nz[len(nz) // 2], fails, elapsed))


def _run_batch_star(a):
    return run_batch(*a)


if __name__ == "__main__":
    main()
