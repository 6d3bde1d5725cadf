#!/usr/bin/python3
"""overlay.py — draws a dataset's label boxes over its images, for eyeballing.

Why: the only convincing check that labels are right is to look at them.
Usage: overlay.py DIR IMAGE_NAME [IMAGE_NAME ...] --out OUT_DIR
Writes OUT_DIR/<name> (RGB, boxes in rotating colours, upscaled 2x for small
images) and prints each box's class LaTeX in reading order.
"""

import argparse
import os
import sys

from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import inventory  # noqa: E402

COLORS = [(230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180),
          (70, 240, 240), (240, 50, 230), (128, 128, 0)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("images", nargs="+")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    classes = inventory.build()
    boxes = {}
    with open(os.path.join(args.dir, "labels.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            img, cid, x, y, w, h = line.split("\t")[:6]
            boxes.setdefault(img, []).append((int(cid), int(x), int(y), int(w), int(h)))
    os.makedirs(args.out, exist_ok=True)
    for name in args.images:
        im = Image.open(os.path.join(args.dir, "images", name)).convert("RGB")
        scale = 2 if im.height < 120 else 1
        im = im.resize((im.width * scale, im.height * scale), Image.NEAREST)
        d = ImageDraw.Draw(im)
        bs = sorted(boxes.get(name, []), key=lambda b: b[1])
        for k, (cid, x, y, w, h) in enumerate(bs):
            d.rectangle([x * scale, y * scale, (x + w) * scale - 1, (y + h) * scale - 1],
                        outline=COLORS[k % len(COLORS)])
        im.save(os.path.join(args.out, name))
        print(name, " ".join(classes[b[0]].latex for b in bs))


if __name__ == "__main__":
    main()
