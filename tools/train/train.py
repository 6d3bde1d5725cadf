#!/usr/bin/python3
"""train.py — trains scipix's symbol classifier and writes models/symbols.spxm.

    /usr/bin/python3 tools/train/train.py --train train.spxp [--val val.spxp] \
        --inventory tools/gen/inventory.tsv --out models/symbols.spxm

Input: packed glyphs written by `scipix-pack` (normalized by the C function
sp_glyph_normalize, so training sees exactly what inference sees).  Output:
a .spxm model file (docs/model-format.md) holding fp32 weights AND int8
weights with one scale per output channel, the class table from the
inventory, and a few reference inputs with PyTorch's logits so the C
forward pass can be tested against PyTorch.

The network mirrors src/classify/classify.c (architecture 1):
  3 x [conv3x3 (no bias) + BatchNorm + ReLU + maxpool2]   32->16->8->4
  flatten ++ 3 shape features -> Linear hidden + ReLU -> Dropout -> Linear
BatchNorm is folded into the convolutions at export; weights are re-laid
out for the C kernels: convolution rows in (ky, kx, c_in) order, fc1 rows
in (y, x, c) order, every row zero-padded to a multiple of 32.

Plain CPU PyTorch, sized for 2 cores.  Debian's python3-torch does its
matrix products through the system BLAS: with the reference libblas3 the
two linear layers take over half of each step (2 GFLOP/s), so
`scripts/install-deps.sh --train` installs OpenBLAS (74 GFLOP/s), which with
channels-last activations makes a step 2.3 times faster.  Training: AdamW
+ label smoothing, with a one-cycle learning-rate schedule that runs on the
clock (--minutes), since the shared cores give no predictable step rate.

Fine-tuning (--init an exported model): --freeze-bn keeps BatchNorm in its
folded, inference form, so the first step starts from exactly the given
model's outputs (with BatchNorm on batch statistics the first steps move
every output); --distill W mixes in W times the KL divergence to the
given model's outputs, since the engine's cutoffs were tuned on them (see
the Makefile for what fine-tunes measured end to end).
"""

import argparse
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spxm import DT_F32, DT_I8, DT_U8, NFEAT, SIDE, read_spxm, write_spxm  # noqa: E402

K_ALIGN = 32

PACK_DTYPE = np.dtype([("pixels", np.uint8, (SIDE * SIDE,)), ("features", "<f4", (NFEAT,)),
                       ("label", "<i4"), ("dpi", "<u2"), ("font", "u1"), ("flags", "u1")])


def log(msg):
    print("train: " + msg, flush=True)


def load_pack(path):
    with open(path, "rb") as f:
        head = f.read(32)
    magic, version, count, side, nfeat, recsize = struct.unpack("<4sIIIII", head[:24])
    if magic != b"SPXP" or version != 1 or side != SIDE or nfeat != NFEAT or recsize != PACK_DTYPE.itemsize:
        sys.exit("train: %s is not a version-1 scipix pack file for %dx%d inputs" % (path, SIDE, SIDE))
    data = np.memmap(path, dtype=PACK_DTYPE, mode="r", offset=32, shape=(count,))
    return data


def load_inventory(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for need in ("id", "latex", "unicode", "mathml", "atom"):
            if need not in col:
                sys.exit("train: %s lacks column %s" % (path, need))
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            fields = line.split("\t")
            rows.append((int(fields[col["id"]]), fields[col["latex"]], fields[col["unicode"]],
                         fields[col["mathml"]], fields[col["atom"]]))
    rows.sort()
    if [r[0] for r in rows] != list(range(len(rows))):
        sys.exit("train: inventory ids are not 0..n-1")
    return [r[1:] for r in rows]


class SymbolNet(nn.Module):
    def __init__(self, n_classes, widths=(16, 32, 64), hidden=192, dropout=0.2):
        super().__init__()
        self.widths = widths
        layers = []
        cin = 1
        for c in widths:
            layers += [nn.Conv2d(cin, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
                       nn.MaxPool2d(2)]
            cin = c
        self.features = nn.Sequential(*layers)
        self.fc1 = nn.Linear(cin * 16 + NFEAT, hidden)
        self.drop = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x, f):
        x = self.features(x).flatten(1)
        x = F.relu(self.fc1(torch.cat([x, f], 1)))
        return self.fc2(self.drop(x))


def batch_tensors(data, idx):
    rec = data[np.sort(idx)] if isinstance(data, np.memmap) else data[idx]
    x = torch.from_numpy(rec["pixels"].astype(np.float32) * (1.0 / 255.0)).view(-1, 1, SIDE, SIDE)
    f = torch.from_numpy(np.ascontiguousarray(rec["features"]))
    y = torch.from_numpy(rec["label"].astype(np.int64))
    return x, f, y


def train_mode(model, freeze_bn):
    """Dropout on; BatchNorm on batch statistics unless frozen.  A frozen
    BatchNorm keeps its running statistics, so a fine-tuned model starts
    from exactly the outputs of the model it was initialized from."""
    model.train()
    if freeze_bn:
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eval()


def evaluate(model, data, batch=1024):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(data), batch):
            x, f, y = batch_tensors(data, np.arange(s, min(s + batch, len(data))))
            correct += (model(x, f).argmax(1) == y).sum().item()
    return correct / max(1, len(data))


# ---------------------------------------------------------------- export ---

def fold_bn(conv, bn):
    w = conv.weight.detach().double()
    g = bn.weight.detach().double() / torch.sqrt(bn.running_var.detach().double() + bn.eps)
    return (w * g.view(-1, 1, 1, 1)), (bn.bias.detach().double() - bn.running_mean.detach().double() * g)


def pad_rows(w2d):
    n, k = w2d.shape
    kp = (k + K_ALIGN - 1) // K_ALIGN * K_ALIGN
    out = np.zeros((n, kp), dtype=np.float32)
    out[:, :k] = w2d
    return out


def quantize_rows(w):
    amax = np.abs(w).max(axis=1)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def export_layers(model):
    """Folded, re-laid-out layers: list of (prefix, w [n,kp] f32, bias)."""
    layers = []
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    bns = [m for m in model.features if isinstance(m, nn.BatchNorm2d)]
    for i, (conv, bn) in enumerate(zip(convs, bns)):
        w, b = fold_bn(conv, bn)
        w = w.permute(0, 2, 3, 1).reshape(w.shape[0], -1).numpy()  # (co, ky, kx, ci)
        layers.append(("conv%d" % (i + 1), pad_rows(w), b.numpy().astype(np.float32)))
    c3 = convs[-1].out_channels
    w1 = model.fc1.weight.detach().double().numpy()
    hidden = w1.shape[0]
    img = w1[:, :c3 * 16].reshape(hidden, c3, 4, 4).transpose(0, 2, 3, 1).reshape(hidden, -1)  # (y, x, c)
    layers.append(("fc1", pad_rows(img), model.fc1.bias.detach().numpy().astype(np.float32)))
    feat = np.ascontiguousarray(w1[:, c3 * 16:].astype(np.float32))
    layers.append(("fc2", pad_rows(model.fc2.weight.detach().double().numpy()),
                   model.fc2.bias.detach().numpy().astype(np.float32)))
    return layers, feat


def write_model(path, classes, layers, feat, refs):
    tensors = []
    for prefix, w, b in layers:
        q, scale = quantize_rows(w)
        tensors += [(prefix + ".weight", DT_F32, w), (prefix + ".weight_q8", DT_I8, q),
                    (prefix + ".scale", DT_F32, scale), (prefix + ".bias", DT_F32, b)]
    tensors.append(("fc1.feat_weight", DT_F32, feat))
    if refs is not None:
        px, ft, lg = refs
        tensors += [("ref.pixels", DT_U8, px), ("ref.features", DT_F32, ft), ("ref.logits", DT_F32, lg)]
    return write_spxm(path, classes, tensors)


def folded_forward(layers, feat, px, ft):
    """The exported network in numpy float64: checks the folding/re-layout."""
    x = px.astype(np.float64).reshape(-1, SIDE, SIDE, 1) / 255.0
    for prefix, w, b in layers[:3]:
        n, side, _, c = x.shape
        p = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
        cols = np.concatenate([p[:, ky:ky + side, kx:kx + side, :] for ky in range(3) for kx in range(3)], axis=3)
        y = cols @ w[:, :9 * c].T.astype(np.float64) + b
        y = np.maximum(y, 0).reshape(n, side // 2, 2, side // 2, 2, -1).max(axis=(2, 4))
        x = y
    x = x.reshape(x.shape[0], -1)
    w1, b1 = layers[3][1], layers[3][2]
    h = np.maximum(x @ w1[:, :x.shape[1]].T + ft.astype(np.float64) @ feat.T.astype(np.float64) + b1, 0)
    w2, b2 = layers[4][1], layers[4][2]
    return h @ w2[:, :h.shape[1]].T + b2


def read_model(path):
    """Tensors of a .spxm file by name (numpy arrays); checks magic/version/checksum."""
    try:
        return {name: arr for name, _, arr in read_spxm(path)[1]}
    except ValueError as e:
        sys.exit("train: %s" % e)


def init_from_model(model, path):
    """Start from an exported model (fine-tuning): folded convolutions go
    back into the conv weights, BatchNorm starts as identity + bias."""
    t = read_model(path)
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    bns = [m for m in model.features if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for i, (conv, bn) in enumerate(zip(convs, bns)):
            co, ci = conv.out_channels, conv.in_channels
            w = t["conv%d.weight" % (i + 1)][:, :9 * ci].reshape(co, 3, 3, ci).transpose(0, 3, 1, 2)
            conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)))
            bn.weight.fill_(1.0)
            bn.bias.copy_(torch.from_numpy(t["conv%d.bias" % (i + 1)]))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
        c3 = convs[-1].out_channels
        hidden = model.fc1.out_features
        img = t["fc1.weight"][:, :c3 * 16].reshape(hidden, 4, 4, c3).transpose(0, 3, 1, 2).reshape(hidden, -1)
        model.fc1.weight.copy_(torch.from_numpy(np.concatenate([img, t["fc1.feat_weight"]], 1)))
        model.fc1.bias.copy_(torch.from_numpy(t["fc1.bias"]))
        model.fc2.weight.copy_(torch.from_numpy(t["fc2.weight"][:, :hidden]))
        model.fc2.bias.copy_(torch.from_numpy(t["fc2.bias"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True, nargs="+", help="packed training glyphs (.spxp)")
    ap.add_argument("--val", help="packed validation glyphs (.spxp)")
    ap.add_argument("--inventory", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--widths", default="16,32,64")
    ap.add_argument("--hidden", type=int, default=192)
    ap.add_argument("--minutes", type=float, default=40.0, help="training time budget")
    ap.add_argument("--max-epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--init", help="start from this .spxm (fine-tuning) instead of random weights")
    ap.add_argument("--warmup", type=float, default=0.1, help="warm-up share of the time budget")
    ap.add_argument("--freeze-bn", action="store_true",
                    help="keep BatchNorm in its inference form (with --init: training starts from exactly "
                         "the given model's outputs)")
    ap.add_argument("--distill", type=float, default=0.0,
                    help="with --init: weight of a KL term that keeps the outputs near the initial model's "
                         "(the engine's cutoffs were tuned on its probabilities)")
    args = ap.parse_args()
    if args.distill and not args.init:
        sys.exit("train: --distill needs --init")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    classes = load_inventory(args.inventory)
    n_classes = len(classes)

    parts = [load_pack(p) for p in args.train]
    train = np.concatenate([np.asarray(p) for p in parts]) if len(parts) > 1 else np.asarray(parts[0])
    if train["label"].min() < 0 or train["label"].max() >= n_classes:
        sys.exit("train: labels outside 0..%d" % (n_classes - 1))
    val = np.asarray(load_pack(args.val)) if args.val else None
    counts = np.bincount(train["label"], minlength=n_classes)
    log("%d training glyphs, %d classes (%d without examples)%s" % (
        len(train), n_classes, int((counts == 0).sum()), ", %d validation" % len(val) if val is not None else ""))

    widths = tuple(int(c) for c in args.widths.split(","))
    model = SymbolNet(n_classes, widths, args.hidden)
    # NHWC activations: oneDNN's convolutions run faster on them (a fifth
    # faster per step on 2 cores); the exported weights do not change.
    model = model.to(memory_format=torch.channels_last)
    teacher = None
    if args.init:
        init_from_model(model, args.init)
        if args.distill:
            teacher = SymbolNet(n_classes, widths, args.hidden).to(memory_format=torch.channels_last)
            init_from_model(teacher, args.init)
            teacher.eval()
        if val is not None:
            log("initial val top-1 %.3f%%" % (100 * evaluate(model, val)))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)

    # The learning-rate schedule runs on the clock, not on a step count:
    # the 2 cores are shared, so the step rate is unknown in advance.  A
    # one-cycle shape over --minutes: linear warm-up for the first 10%,
    # cosine decay to lr/1000 by the end; training stops when time is up
    # (or after --max-epochs).
    steps_per_epoch = max(1, len(train) // args.batch)
    budget = args.minutes * 60.0

    def lr_at(frac):
        if frac < args.warmup:
            return args.lr * (0.04 + 0.96 * frac / args.warmup)
        t = (frac - args.warmup) / (1.0 - args.warmup)
        return args.lr * (1e-3 + (1 - 1e-3) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))

    start = time.time()
    done, ep, frac = 0, 0, 0.0
    while frac < 1.0 and ep < args.max_epochs:
        perm = rng.permutation(len(train))
        train_mode(model, args.freeze_bn)
        run_loss, seen = 0.0, 0
        for s in range(steps_per_epoch):
            frac = (time.time() - start) / budget
            if frac >= 1.0:
                break
            for group in opt.param_groups:
                group["lr"] = lr_at(frac)
            x, f, y = batch_tensors(train, perm[s * args.batch:(s + 1) * args.batch])
            logits = model(x, f)
            loss = F.cross_entropy(logits, y, label_smoothing=0.05)
            if teacher is not None:
                with torch.no_grad():
                    target = F.softmax(teacher(x, f), 1)
                kl = F.kl_div(F.log_softmax(logits, 1), target, reduction="batchmean")
                loss = (1 - args.distill) * loss + args.distill * kl
            opt.zero_grad()
            loss.backward()
            opt.step()
            run_loss += loss.item()
            seen += 1
            done += 1
            if done % 500 == 0:
                log("  step %d loss %.4f lr %.2e (%.1f min)" % (done, run_loss / seen, lr_at(frac),
                                                              (time.time() - start) / 60))
        ep += 1
        msg = "epoch %d (%.2f of the data) loss %.4f (%.1f min)" % (
            ep, seen / steps_per_epoch, run_loss / max(1, seen), (time.time() - start) / 60)
        if val is not None:
            msg += " val top-1 %.3f%%" % (100 * evaluate(model, val))
        log(msg)
    log("training took %.1f min" % ((time.time() - start) / 60))

    model.eval()
    layers, feat = export_layers(model)
    src = val if val is not None else train
    pick = rng.choice(len(src), size=min(16, len(src)), replace=False)
    px = np.ascontiguousarray(src["pixels"][pick])
    ft = np.ascontiguousarray(src["features"][pick])
    with torch.no_grad():
        x, f, _ = batch_tensors(src, pick)
        logits = model(x, f).numpy().astype(np.float32)
    err = np.abs(folded_forward(layers, feat, px, ft) - logits).max()
    log("exported network vs PyTorch: max |logit difference| %.2e" % err)
    if err > 1e-3 * max(1.0, np.abs(logits).max()):
        sys.exit("train: export does not reproduce the PyTorch model")
    size = write_model(args.out, classes, layers, feat, (px, ft, logits))
    log("wrote %s (%d bytes, %d classes)" % (args.out, size, n_classes))


if __name__ == "__main__":
    main()
