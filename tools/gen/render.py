"""render.py — typesets formulas with LaTeX and rasterizes them with dvipng.

Why this shape: starting `latex` costs ~0.1 s, so many formulas go into one
document, one formula per page (\\pagestyle{empty}, tight bounding boxes).
dvipng loads Type 1 fonts through FreeType, so any resolution is cheap and a
page can be rasterized at its own dpi with `-pp`.  Each font setup is one
preamble.  The per-page log markers let a batch tell which page (and so which
formula or inventory class) produced a TeX error or a missing-glyph warning,
without running latex once per formula.
"""

import os
import re
import subprocess

import numpy as np
from PIL import Image

# One preamble per font setup.  txfonts ships its own AMS-symbol equivalents
# and clashes with amssymb, so it loads amsmath only.
FONT_PREAMBLES = {
    "cm": r"\usepackage{amsmath,amssymb}",
    "lm": r"\usepackage[T1]{fontenc}\usepackage{lmodern}\usepackage{amsmath,amssymb}",
    "times": r"\usepackage{amsmath,amssymb}\usepackage{mathptmx}",
    "tx": r"\usepackage{amsmath}\usepackage{txfonts}",
    "palatino": r"\usepackage{amsmath,amssymb}\usepackage{mathpazo}",
}

DOC_HEAD = r"""\documentclass[10pt]{article}
%s
\usepackage{xcolor}
\pagestyle{empty}
\setlength{\parindent}{0pt}
\tracinglostchars=1
\begin{document}
"""

MARK_RE = re.compile(r"\[\[PAGE (\d+)\]\]")


def write_document(path, font, bodies, nowrap=False):
    """Write a document with one page per body (math-mode source).

    NOWRAP: each formula is an unbreakable \\mbox on a 100 in wide page, so
    it stays on one line however long it is (the default keeps TeX's inline
    line breaking at the 4.75 in article width)."""
    with open(path, "w", encoding="utf-8") as f:
        head = FONT_PREAMBLES[font]
        if nowrap:
            head += "\n\\setlength{\\textwidth}{100in}\\setlength{\\hsize}{100in}"
        f.write(DOC_HEAD % head)
        fmt = "\\message{[[PAGE %d]]}%%\n\\mbox{$%s$}\n\\newpage\n" if nowrap else \
            "\\message{[[PAGE %d]]}%%\n$%s$\n\\newpage\n"
        for i, body in enumerate(bodies):
            # The marker goes to the log only; the page holds just the formula.
            f.write(fmt % (i + 1, body))
        f.write("\\message{[[PAGE END]]}\n\\end{document}\n")


def run_latex(workdir, name):
    """Run latex in nonstop mode; returns {page_number: [problems]}."""
    subprocess.run(["latex", "-interaction=nonstopmode", "-halt-on-error=false",
                    name + ".tex"], cwd=workdir, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=600)
    problems = {}
    logpath = os.path.join(workdir, name + ".log")
    page = 0
    with open(logpath, encoding="latin-1") as f:
        for line in f:
            for m in MARK_RE.finditer(line):
                page = int(m.group(1))
            if "[[PAGE END]]" in line:
                page = -1
            if line.startswith("! ") or "Missing character" in line:
                problems.setdefault(page, []).append(line.strip())
    return problems


def rasterize(workdir, name, page, dpi, out_png):
    """Rasterize one page of NAME.dvi at DPI into OUT_PNG (tight box)."""
    subprocess.run(["dvipng", "-q", "--truecolor", "-z", "1", "-T", "tight", "-D", str(int(dpi)), "-bg", "White",
                    "-pp", str(page), "-o", out_png, name + ".dvi"], cwd=workdir,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return os.path.join(workdir, out_png)


def rasterize_many(workdir, name, pages, dpi, pattern):
    """Rasterize several pages at one dpi in one dvipng call.

    PATTERN contains %d, replaced by dvipng with the page number."""
    subprocess.run(["dvipng", "-q", "--truecolor", "-z", "1", "-T", "tight", "-D", str(int(dpi)), "-bg", "White",
                    "-pp", ",".join(str(p) for p in pages), "-o", pattern, name + ".dvi"],
                   cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=600)


def load_gray(path):
    return np.asarray(Image.open(path).convert("L"))


def load_rgb(path):
    return np.asarray(Image.open(path).convert("RGB"))


def ink_alpha(gray):
    """Ink coverage 0..1 from an 8-bit gray render (white paper)."""
    return 1.0 - gray.astype(np.float32) / 255.0
