#!/usr/bin/python3
"""coverage.py — checks that the symbol inventory covers a corpus's symbols.

Reads a TSV of tokenized LaTeX formulas (default: the im2latex validation
gold, `image<TAB>space-separated tokens`) and reports which symbol-bearing
tokens no inventory class (canonical spelling or alias) covers.  It only
reads the corpus to measure coverage; nothing from it is used to generate
training data.

Structure is not a class: grouping, scripts, \\frac, \\sqrt, \\left/\\right
(their delimiter is checked), spacing, style/size switches, font switches
(they decide WHICH letter class a letter token needs: \\mathbf{x} needs
\\mathbf{x}, \\cal A needs \\mathcal{A}), environments, boxes.  \\big-family
commands combine with the following delimiter into a sized class (\\Bigl( ->
\\Big().  Operator names (\\sin, \\lim, ...) are covered when each letter
exists as an upright-letter class.  Exit status 0; --strict exits 1 if
anything is uncovered.
"""

import argparse
import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import inventory  # noqa: E402

DEFAULT_GOLD = "/work/shared/data/im2latex-val/gold.tsv"

STRUCTURE = set(r"""
{ } _ ^ & \\ \frac \dfrac \tfrac \sqrt \root \of \over \atop \choose \binom \left \right
\, \: \; \! \  ~ \quad \qquad \enspace \hspace \vspace \kern \hfill \hskip \vskip \mkern
\mskip \smallskip \medskip \bigskip \thinspace \negthinspace \space \cr \hline
\displaystyle \textstyle \scriptstyle \scriptscriptstyle \limits \nolimits
\tiny \scriptsize \footnotesize \small \normalsize \large \Large \LARGE \huge \Huge
\label \nonumber \notag \phantom \vphantom \hphantom \smash \rlap \llap \raisebox
\makebox \mbox \fbox \framebox \put \circle \unitlength \setlength \linethickness
\thicklines \protect \mathrel \mathord \mathbin \mathop \mathpunct \mathopen \mathclose
\mathinner \stackrel \buildrel \overset \underset \not \operatorname \lefteqn \raise
\lower \hbox \vbox \vcenter \relax \strut \mathstrut \boldmath \unboldmath \noindent
\- \* \protect \global \def \newcommand \multicolumn \multispan \begin{picture}
\end{picture} \line \vector \oval \emph \textit \textbf \textup \textnormal \textrm
\text \mathrm \mathbf \mathcal \mathbb \mathfrak \mathit \mathsf \mathtt \mathnormal
\boldsymbol \bm \rm \bf \it \cal \sf \tt \sl \sc \mit \em \sp \sb \colon
""".split()) - {r"\colon"}
ENV_RE = re.compile(r"^\\(begin|end)\{")
SIZES = ["\\big", "\\Big", "\\bigg", "\\Bigg"]
SIZE_VARIANTS = {s + v: s for s in SIZES for v in ("", "l", "r", "m")}
# Font switch -> the inventory alphabet its letters and digits need.
ALPHABETS = {"\\mathrm": "\\mathrm", "\\rm": "\\mathrm", "\\textrm": "\\mathrm",
             "\\text": "\\mathrm", "\\mbox": "\\mathrm", "\\textup": "\\mathrm",
             "\\textnormal": "\\mathrm", "\\operatorname": "\\mathrm",
             "\\mathbf": "\\mathbf", "\\bf": "\\mathbf", "\\textbf": "\\mathbf",
             "\\boldsymbol": "\\mathbf", "\\bm": "\\mathbf",
             "\\mathcal": "\\mathcal", "\\cal": "\\mathcal",
             "\\mathbb": "\\mathbb", "\\mathfrak": "\\mathfrak",
             "\\mathit": None, "\\it": None, "\\mit": None, "\\mathnormal": None,
             "\\textit": None, "\\emph": None,
             "\\mathsf": "\\mathsf", "\\sf": "\\mathsf", "\\mathtt": "\\mathtt",
             "\\tt": "\\mathtt", "\\sl": None}
GROUP_ARG = {"\\mathrm", "\\textrm", "\\text", "\\mbox", "\\textup", "\\textnormal",
             "\\operatorname", "\\mathbf", "\\textbf", "\\boldsymbol", "\\bm", "\\mathcal",
             "\\mathbb", "\\mathfrak", "\\mathit", "\\mathnormal", "\\textit", "\\emph",
             "\\mathsf", "\\mathtt"}
OPERATOR_NAMES = set("""arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd
hom inf ker lg lim liminf limsup ln log max min Pr sec sin sinh sup tan tanh bmod pmod mod
sgn tr Tr""".split())
LEFT_RIGHT_ALIASES = {"<": "\\langle", ">": "\\rangle"}


def spelling_map(classes):
    m = {}
    for c in classes:
        for name in [c.latex] + c.aliases:
            m[name] = c
    return m


def check_line(tokens, spell, report):
    """Walk one formula's tokens, counting covered / uncovered symbols."""
    style_stack = [None]        # alphabet in force per brace depth
    pending_alpha = None        # alphabet for the next {...} group
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        i += 1
        if t == "{":
            style_stack.append(pending_alpha if pending_alpha is not None else style_stack[-1])
            pending_alpha = None
            continue
        if t == "}":
            if len(style_stack) > 1:
                style_stack.pop()
            continue
        if (t.startswith("\\left") or t.startswith("\\right")) and \
                t not in ("\\left", "\\right") and not t[1:].isalpha():
            # Tokenized as one: \left( \right\rangle \left. ...
            d = t[5:] if t.startswith("\\left") else t[6:]
            d = LEFT_RIGHT_ALIASES.get(d, d)
            if d != ".":
                report(d, d in spell)
            continue
        if t in ALPHABETS:
            if t in GROUP_ARG:
                pending_alpha = ALPHABETS[t] or "italic"
            else:
                style_stack[-1] = ALPHABETS[t]
            continue
        if ENV_RE.match(t) or t in STRUCTURE and t not in SIZE_VARIANTS:
            if t in ("\\left", "\\right") and i < n:
                d = LEFT_RIGHT_ALIASES.get(tokens[i], tokens[i])
                i += 1
                if d != ".":
                    report(d, d in spell)
            continue
        if t in SIZE_VARIANTS:
            if i < n:
                d = LEFT_RIGHT_ALIASES.get(tokens[i], tokens[i])
                i += 1
                name = SIZE_VARIANTS[t] + d
                report(t + d, name in spell or (t + d) in spell)
            continue
        if t in ("--", "---"):
            report("-", "-" in spell)
            continue
        if t.startswith("\\") and t[1:] in OPERATOR_NAMES:
            report(t, all("\\mathrm{%s}" % ch in spell for ch in t[1:]))
            continue
        if t == "\\not=":
            report(t, t in spell)
            continue
        alpha = style_stack[-1]
        if alpha == "italic":
            alpha = None
        if len(t) == 1 and t.isalnum() and alpha:
            name = "%s{%s}" % (alpha, t)
            if t.isdigit() and alpha == "\\mathrm":
                name = t
            if name in spell:
                report(name, True)
            elif alpha in ("\\mathcal", "\\mathbb") and t.islower():
                report(name, False)     # no such glyph in the fonts either
            else:
                report(name, False)
            continue
        if alpha and len(t) > 1 and t.isalpha():
            # Multi-letter token inside \text{...}: letters are upright classes.
            report(t, all("%s{%s}" % (alpha, ch) in spell for ch in t))
            continue
        report(t, t in spell)


def main():
    ap = argparse.ArgumentParser(description="inventory coverage of a formula corpus")
    ap.add_argument("gold", nargs="?", default=DEFAULT_GOLD)
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()
    spell = spelling_map(inventory.load_checked())
    covered = collections.Counter()
    missing = collections.Counter()

    def report(tok, ok):
        (covered if ok else missing)[tok] += 1

    with open(args.gold, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            check_line(parts[-1].split(), spell, report)
    total_cov, total_miss = sum(covered.values()), sum(missing.values())
    print("symbol tokens: %d covered, %d not covered (%.3f%%); %d distinct covered, "
          "%d distinct uncovered" % (total_cov, total_miss,
                                     100.0 * total_miss / max(1, total_cov + total_miss),
                                     len(covered), len(missing)))
    for tok, k in missing.most_common():
        print("  NOT COVERED %6d  %s" % (k, tok))
    if args.strict and missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
