#!/usr/bin/python3
"""addlow.py: put a low-resolution network into a model file.

    /usr/bin/python3 tools/train/addlow.py --model models/symbols.spxm \
        --low LOW.spxm --below 1.25 [--out OUT.spxm]

At 80-90 dpi a subscript is four or five pixels high and a glyph looks
unlike its larger renders; a network fine-tuned on such renders reads them
far better, and worse at higher resolutions.  So a model file may carry
both: the main network, and under the tensor names low.* a second one of
the same architecture, with route.params holding the cutoff in pixels per
point below which the engine reads an image with it (sp_model_for_scale in
src/classify/model.c; the scale comes from the context stage).

The low network must have the main model's classes.  Its context tables
and reference vectors are not copied: the context tables are counts over
the training labels, the same for both networks, and the main model's are
shared.  Writes OUT (default: --model, replaced atomically).
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spxm  # noqa: E402

NETWORK = ("conv1.", "conv2.", "conv3.", "fc1.", "fc2.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="the model to add to")
    ap.add_argument("--low", required=True, help="a model whose network reads low resolutions")
    ap.add_argument("--below", type=float, required=True,
                    help="pixels per point under which an image is read with the low network")
    ap.add_argument("--out", help="where to write (default: --model)")
    args = ap.parse_args()
    if not 0 < args.below < 100:
        sys.exit("addlow: --below must be in (0, 100) pixels per point")
    classes, tensors = spxm.read_spxm(args.model)
    low_classes, low_tensors = spxm.read_spxm(args.low)
    if low_classes != classes:
        sys.exit("addlow: %s and %s have different classes" % (args.model, args.low))
    kept = [t for t in tensors if not t[0].startswith("low.") and t[0] != "route.params"]
    low = [("low." + name, dt, arr) for name, dt, arr in low_tensors if name.startswith(NETWORK)]
    if len(low) != 4 * len(NETWORK) + 1:
        sys.exit("addlow: %s does not hold one whole network (%d tensors)" % (args.low, len(low)))
    route = [("route.params", spxm.DT_F32, np.array([args.below], dtype=np.float32))]
    out = args.out or args.model
    size = spxm.write_spxm(out, classes, kept + low + route)
    print("addlow: wrote %s (%d bytes): low network below %.3g pixels per point" % (out, size, args.below))


if __name__ == "__main__":
    main()
