"""grammar.py — scipix's own random formula grammar.

Produces plausible math (sequences, sub/superscripts, fractions, roots, big
operators with limits, \\left...\\right fences, \\big-sized delimiters,
accents, matrices and cases, function names, \\text words, lists with dots)
from the symbol inventory, as three parallel outputs:

  clean   canonical LaTeX: every script and argument braced, no colours —
          what formulas.tsv records for the formula-recognition stage;
  source  the same formula with a colour marker `\\C{k}` in front of every
          labelled glyph (k = token index), later replaced by
          \\color[RGB]{r,g,b} (distinct colours, label render) or by black
          (training render) — the layout is identical either way, because in
          math mode \\color only inserts a whatsit, which TeX's math spacing
          ignores;
  tokens  one entry per labelled glyph: a class id, or ("measure", delim) for
          a \\left/\\right delimiter whose size tier TeX chooses (resolved by
          measuring the render, see generate.py).

Every argument and script is wrapped in an extra group in the source
(`x^{{...}}`, `\\frac{{..}}{{..}}`) so the colour pushed inside it is popped
inside it: otherwise a glyph drawn after its argument (an \\underline rule, a
big operator under its upper limit) would inherit the argument's colour.

Class balance: every formula is handed a few "focus" classes by the caller
(a planned list, see generate.plan_focus), each placed in a construct where it
naturally occurs; the filler around them draws uniformly within each slot.
Everything is driven by one random.Random so a formula is a pure function of
its seed.
"""

import random

WORDS = ["if", "and", "for", "all", "otherwise", "where", "with", "some", "is", "on",
         "in", "as", "or", "else", "then", "even", "odd", "const", "max", "min", "const",
         "Tr", "tr", "diag", "rank", "span", "sign", "mod", "dim", "vol", "div", "curl",
         "grad", "Re", "Im", "ker", "Hom", "End", "Aut", "id", "supp", "erf", "sech"]
FUNCS = ["sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth",
         "arcsin", "arccos", "arctan", "exp", "log", "ln", "lg", "det", "dim", "ker",
         "deg", "arg", "gcd", "Pr", "hom"]
LIMFUNCS = ["lim", "max", "min", "sup", "inf"]
FENCE_PAIRS = [("(", ")"), ("[", "]"), ("\\{", "\\}"), ("\\langle", "\\rangle"),
               ("|", "|"), ("\\|", "\\|"), ("\\lfloor", "\\rfloor"), ("\\lceil", "\\rceil"),
               ("(", "]"), ("[", ")")]
OPEN_OF = {")": "(", "]": "[", "\\}": "\\{", "\\rangle": "\\langle", "|": "|",
           "\\|": "\\|", "\\rfloor": "\\lfloor", "\\rceil": "\\lceil", "/": "/",
           "\\backslash": "\\backslash"}
CLOSE_OF = {v: k for k, v in OPEN_OF.items()}
CLOSE_OF["|"] = "|"
CLOSE_OF["\\|"] = "\\|"
WIDE_ACCENTS = ("\\widehat", "\\widetilde", "\\overrightarrow", "\\overleftarrow")
BRACES = ("\\overbrace", "\\underbrace")
MAX_TOKENS = 120   # colour palette size is 124; keep a margin


class Formula:
    def __init__(self):
        self.tokens = []

    def tok(self, entry):
        self.tokens.append(entry)
        return "\\C{%d}" % (len(self.tokens) - 1)


class Grammar:
    def __init__(self, classes, font_unsupported=()):
        self.classes = classes
        bad = set(font_unsupported)
        self.by_latex = {c.latex: c for c in classes}
        self.slot = {}
        for c in classes:
            if c.id in bad:
                continue
            self.slot.setdefault(c.slot, []).append(c)
        self.bad = bad
        self.depth = 0
        # Ordinary operands: letters, Greek, digits are typical; exotic
        # alphabets and misc symbols are rarer but present.
        self.ord_plain = [c for c in self.slot["ord"] if c.group in
                          ("latin-italic", "greek", "greek-var", "greek-upright")]
        self.ord_other = [c for c in self.slot["ord"] if c not in self.ord_plain]
        self.operands = (self.slot["ord"] + self.slot["digit"] + self.slot["fletter"] +
                         self.ord_plain + self.slot["digit"][:10])
        self.upright = {c.latex[8]: c for c in self.slot["fletter"]}
        self.delim = {}
        for c in self.slot["delim"]:
            self.delim[(c.delim, c.tier)] = c

    # ------------------------------------------------------------------ atoms
    def sym(self, f, c):
        """A single glyph token: (clean, source)."""
        clean = c.latex if c.slot not in ("dbigop",) else c.emit
        if c.group == "text-symbol":
            clean = c.emit
        return clean, f.tok(c.id) + c.emit

    def pick(self, r, slot):
        return r.choice(self.slot[slot])

    def operand_class(self, r):
        # Uniform over all operand classes (so exotic alphabets are not
        # starved), with italic letters, Greek and digits twice as likely.
        return r.choice(self.operands)

    def atom(self, f, r, c=None):
        c = c or self.operand_class(r)
        if c.slot == "fletter":
            # A lone upright letter, as in \mathrm{d}x or \mathrm{e}.
            return self.sym(f, c)
        if c.slot == "digit" and c.group == "digit" and r.random() < 0.5:
            # Multi-digit numbers, sometimes with a decimal point.
            parts = [self.sym(f, c)]
            for _ in range(r.randint(0, 3)):
                if r.random() < 0.15:
                    parts.append(self.sym(f, self.by_latex["."]))
                parts.append(self.sym(f, r.choice(self.slot["digit"][:10])))
            return " ".join(p[0] for p in parts), "".join(p[1] for p in parts)
        return self.sym(f, c)

    # -------------------------------------------------------------- structure
    def script(self, f, r, base, level, display):
        """Attach sub/superscripts to BASE (clean, src)."""
        lv = min(level + 1, 2)
        kind = r.random()
        clean, src = base
        if "^" in clean or "_" in clean:
            # Already scripted (e.g. \underbrace{..}_{..}): group it first.
            clean, src = "{" + clean + "}", "{" + src + "}"
        if kind < 0.12:
            n = 1 if r.random() < 0.8 else 2
            pc = [self.sym(f, self.by_latex["\\prime"]) for _ in range(n)]
            clean += "^{" + " ".join(p[0] for p in pc) + "}"
            src += "^{{" + "".join(p[1] for p in pc) + "}}"
            return clean, src
        if kind < 0.55:
            s = self.expr(f, r, lv, False, size=r.randint(1, 3 if level == 0 else 1))
            return clean + "_{" + s[0] + "}", src + "_{{" + s[1] + "}}"
        if kind < 0.85:
            s = self.expr(f, r, lv, False, size=r.randint(1, 3 if level == 0 else 1))
            return clean + "^{" + s[0] + "}", src + "^{{" + s[1] + "}}"
        a = self.expr(f, r, lv, False, size=r.randint(1, 2))
        b = self.expr(f, r, lv, False, size=r.randint(1, 2))
        return (clean + "_{" + a[0] + "}^{" + b[0] + "}",
                src + "_{{" + a[1] + "}}^{{" + b[1] + "}}")

    def frac(self, f, r, level, display, rule_cls=None):
        sub = 0 if display else min(level + 1, 2)
        rule = f.tok(self.by_latex["\\frac"].id)
        n = self.expr(f, r, sub, False, size=r.randint(1, 3))
        d = self.expr(f, r, sub, False, size=r.randint(1, 3))
        return "\\frac{%s}{%s}" % (n[0], d[0]), rule + "\\frac{{%s}}{{%s}}" % (n[1], d[1])

    def sqrt(self, f, r, level, display):
        rad = f.tok(self.by_latex["\\sqrt"].id)
        body = self.expr(f, r, level, display, size=r.randint(1, 3))
        if r.random() < 0.3:
            idx = self.atom(f, r, r.choice(self.ord_plain[:26] + self.slot["digit"][:10]))
            return ("\\sqrt[%s]{%s}" % (idx[0], body[0]),
                    rad + "\\sqrt[{%s}]{{%s}}" % (idx[1], body[1]))
        return "\\sqrt{%s}" % body[0], rad + "\\sqrt{{%s}}" % body[1]

    def overline(self, f, r, level, display):
        cmd = r.choice(["\\overline", "\\underline"])
        rule = f.tok(self.by_latex["\\frac"].id)
        body = self.expr(f, r, level, display, size=r.randint(1, 2))
        return "%s{%s}" % (cmd, body[0]), rule + "%s{{%s}}" % (cmd, body[1])

    def accent(self, f, r, level, display, c=None):
        c = c or self.pick(r, "accent")
        mark = f.tok(c.id)
        if c.latex in BRACES:
            body = self.expr(f, r, level, display, size=r.randint(2, 3))
            clean, src = "%s{%s}" % (c.latex, body[0]), mark + "%s{{%s}}" % (c.latex, body[1])
            if r.random() < 0.5 and level < 2:
                lab = self.expr(f, r, min(level + 1, 2), False, size=1)
                s = "_" if c.latex == "\\underbrace" else "^"
                clean += s + "{" + lab[0] + "}"
                src += s + "{{" + lab[1] + "}}"
            return clean, src
        if c.latex in WIDE_ACCENTS:
            body = self.seq_atoms(f, r, r.randint(1, 3))
        else:
            body = self.sym(f, r.choice(self.ord_plain + self.slot["digit"][:10]))
        return "%s{%s}" % (c.latex, body[0]), mark + "%s{{%s}}" % (c.latex, body[1])

    def seq_atoms(self, f, r, n):
        parts = [self.sym(f, r.choice(self.ord_plain)) for _ in range(n)]
        return " ".join(p[0] for p in parts), "".join(p[1] for p in parts)

    def func(self, f, r, level, display):
        """Function name spelled with upright-letter tokens."""
        if r.random() < 0.3 and level == 0:
            name = r.choice(LIMFUNCS)
            letters = [self.upright[ch] for ch in name]
            clean = "\\" + name
            src = "\\mathop{\\mathrm{" + "".join(f.tok(c.id) + c.latex[8] for c in letters) \
                  + "}}\\limits"
            sub = self.sub_relation(f, r)
            clean += "_{" + sub[0] + "}"
            src += "_{{" + sub[1] + "}}"
        else:
            name = r.choice(FUNCS)
            letters = [self.upright[ch] for ch in name]
            clean = "\\" + name
            src = "\\mathop{\\mathrm{" + "".join(f.tok(c.id) + c.latex[8] for c in letters) \
                  + "}}\\nolimits"
            if r.random() < 0.2:
                sup = self.atom(f, r, r.choice(self.slot["digit"][:10]))
                clean += "^{" + sup[0] + "}"
                src += "^{{" + sup[1] + "}}"
        arg = self.term(f, r, level, display) if r.random() < 0.7 else \
            self.fence(f, r, level, display, small=True)
        return clean + " " + arg[0], src + " " + arg[1]

    def sub_relation(self, f, r):
        """A limit subscript such as n\\to\\infty or x\\in A."""
        a = self.sym(f, r.choice(self.ord_plain))
        rel = self.sym(f, r.choice(self.slot["rel"]))
        b = self.atom(f, r)
        return " ".join((a[0], rel[0], b[0])), a[1] + rel[1] + b[1]

    def text(self, f, r):
        word = r.choice(WORDS)
        src = "".join(f.tok(self.upright[ch].id) + ch for ch in word)
        pad = r.choice(["", "\\ ", "\\quad "])
        return "\\text{%s}" % word, pad + "\\text{%s}" % src + pad

    def bigop(self, f, r, level, display, c=None):
        if c is None:
            c = self.pick(r, "dbigop" if display and level == 0 else "bigop")
        clean, src = c.emit, ""
        wrap = None
        if c.slot == "dbigop" and not (display and level == 0):
            wrap = "\\displaystyle"
        if c.slot == "bigop" and display and level == 0:
            wrap = "\\textstyle"
        src = f.tok(c.id) + c.emit
        lv = min(level + 1, 2)
        k = r.random()
        if k < 0.75:
            lo = self.sub_relation(f, r) if r.random() < 0.5 else \
                self.expr(f, r, lv, False, size=r.randint(1, 2))
            clean += "_{" + lo[0] + "}"
            src += "_{{" + lo[1] + "}}"
            if r.random() < 0.6:
                hi = self.atom(f, r)
                clean += "^{" + hi[0] + "}"
                src += "^{{" + hi[1] + "}}"
        if wrap:
            clean, src = "{%s %s}" % (wrap, clean), "{%s %s}" % (wrap, src)
        body = self.term(f, r, level, display)
        return clean + " " + body[0], src + " " + body[1]

    def fence(self, f, r, level, display, small=False, pair=None, tall=False):
        """\\left...\\right (size chosen by TeX) around some content."""
        lo, hi = pair or r.choice(FENCE_PAIRS)
        if level > 0:
            # \left in scripts would make size tiers ambiguous: plain pair.
            return self.plain_pair(f, r, level, display, lo, hi)
        if tall:
            body = self.matrix(f, r, rows=r.randint(3, 5)) if r.random() < 0.6 else \
                self.tall_stack(f, r)
        elif small:
            body = self.expr(f, r, level, display, size=r.randint(1, 3))
        else:
            body = self.expr(f, r, level, display, size=r.randint(1, 4))
        left_none = r.random() < 0.05
        right_none = (not left_none) and r.random() < 0.05
        lc = "\\left." if left_none else "\\left" + lo
        rc = "\\right." if right_none else "\\right" + hi
        ls = lc if left_none else f.tok(("measure", lo)) + lc
        rs = rc if right_none else f.tok(("measure", hi)) + rc
        return "%s %s %s" % (lc, body[0], rc), "%s %s %s" % (ls, body[1], rs)

    def tall_stack(self, f, r):
        """Content taller than \\Bigg: nested display fractions."""
        n = self.frac(f, r, 0, True)
        d = self.frac(f, r, 0, True)
        rule = f.tok(self.by_latex["\\frac"].id)
        return ("\\frac{\\displaystyle %s}{\\displaystyle %s}" % (n[0], d[0]),
                rule + "\\frac{{\\displaystyle %s}}{{\\displaystyle %s}}" % (n[1], d[1]))

    def plain_pair(self, f, r, level, display, lo, hi):
        a = self.sym(f, self.delim[(lo, 0)])
        body = self.expr(f, r, level, display, size=r.randint(1, 3))
        b = self.sym(f, self.delim[(hi, 0)])
        return " ".join((a[0], body[0], b[0])), a[1] + body[1] + b[1]

    def sized_pair(self, f, r, level, display, tier, lo=None, hi=None):
        if lo is None:
            lo, hi = r.choice(FENCE_PAIRS)
        size = ["", "\\big", "\\Big", "\\bigg", "\\Bigg"][tier]
        cl, cr = self.delim[(lo, tier)], self.delim[(hi, tier)]
        body = self.expr(f, r, level, display, size=r.randint(1, 3))
        lcmd = size + ("l" if tier else "") + lo
        rcmd = size + ("r" if tier else "") + hi
        return ("%s %s %s" % (lcmd, body[0], rcmd),
                "%s%s %s %s%s" % (f.tok(cl.id), lcmd, body[1], f.tok(cr.id), rcmd))

    def matrix(self, f, r, rows=None):
        rows = rows or r.randint(2, 3)
        cols = r.randint(1, 3)
        cl, cs = [], []
        for _ in range(rows):
            cells = [self.expr(f, r, 0, False, size=r.randint(1, 2)) for _ in range(cols)]
            cl.append(" & ".join(c[0] for c in cells))
            cs.append(" & ".join(c[1] for c in cells))
        return ("\\begin{matrix} %s \\end{matrix}" % " \\\\ ".join(cl),
                "\\begin{matrix} %s \\end{matrix}" % " \\\\ ".join(cs))

    def cases(self, f, r):
        brace = f.tok(("measure", "\\{"))
        rows = []
        for _ in range(r.randint(2, 3)):
            v = self.expr(f, r, 0, False, size=r.randint(1, 2))
            cond = self.text(f, r) if r.random() < 0.5 else self.sub_relation(f, r)
            rows.append((v[0] + " & " + cond[0], v[1] + " & " + cond[1]))
        return ("\\begin{cases} %s \\end{cases}" % " \\\\ ".join(x[0] for x in rows),
                brace + "\\begin{cases} %s \\end{cases}" % " \\\\ ".join(x[1] for x in rows))

    def dots_list(self, f, r, level, display, c=None):
        c = c or self.pick(r, "dots")
        base = r.choice(self.ord_plain)
        comma = self.by_latex[","]
        items = []
        if c.latex in ("\\vdots", "\\ddots"):
            d = self.sym(f, c)
            a = self.sym(f, base)
            return " ".join((a[0], d[0], a[0])), a[1] + d[1] + self.sym(f, base)[1]
        sep = comma if c.latex == "\\ldots" else r.choice(self.slot["bin"])
        for k in range(2):
            s = self.script(f, r, self.sym(f, base), level, display) if level < 2 else \
                self.sym(f, base)
            items.append(s)
            items.append(self.sym(f, sep))
        items.append(self.sym(f, c))
        items.append(self.sym(f, sep))
        items.append(self.sym(f, base))
        return " ".join(p[0] for p in items), "".join(p[1] for p in items)

    # ------------------------------------------------------------- sequences
    def term(self, f, r, level, display):
        """One operand (possibly compound); nesting depth is capped."""
        self.depth += 1
        try:
            return self._term(f, r, level, display)
        finally:
            self.depth -= 1

    def _term(self, f, r, level, display):
        x = r.random()
        if level >= 2:
            x = x * 0.7
        if self.depth > 3 or len(f.tokens) > 45:
            x = x * 0.42   # simple operands only
        if x < 0.42:
            t = self.atom(f, r)
            if r.random() < 0.35 and level < 2:
                t = self.script(f, r, t, level, display)
            return t
        if x < 0.52:
            return self.frac(f, r, level, display)
        if x < 0.58:
            return self.sqrt(f, r, level, display)
        if x < 0.64:
            t = self.accent(f, r, level, display)
            if r.random() < 0.3 and level < 2:
                t = self.script(f, r, t, level, display)
            return t
        if x < 0.70:
            return self.fence(f, r, level, display) if level == 0 else \
                self.plain_pair(f, r, level, display, *r.choice(FENCE_PAIRS[:3]))
        if x < 0.74:
            return self.func(f, r, level, display)
        if x < 0.78 and level == 0:
            return self.bigop(f, r, level, display)
        if x < 0.82 and level == 0:
            return self.sized_pair(f, r, level, display, r.randint(1, 4))
        if x < 0.84:
            return self.overline(f, r, level, display)
        t = self.atom(f, r)
        return self.script(f, r, t, level, display) if level < 2 else t

    def expr(self, f, r, level, display, size):
        """SIZE operands joined by binary operators, relations or juxtaposition."""
        parts = [self.term(f, r, level, display)]
        for _ in range(size - 1):
            if len(f.tokens) > 50:
                break
            j = r.random()
            if j < 0.35:
                parts.append(self.sym(f, self.pick(r, "bin")))
            elif j < 0.55 and level == 0:
                parts.append(self.sym(f, self.pick(r, "rel")))
            elif j < 0.6:
                parts.append(self.sym(f, self.pick(r, "punct")))
            parts.append(self.term(f, r, level, display))
        return " ".join(p[0] for p in parts), " ".join(p[1] for p in parts)

    def focus_term(self, f, r, c, display):
        """A construct that shows class C where it naturally occurs (level 0)."""
        s = c.slot
        if s in ("ord", "digit", "fletter"):
            t = self.atom(f, r, c) if s != "fletter" or r.random() < 0.5 else \
                self.text_with(f, r, c)
            return self.script(f, r, t, 0, display) if r.random() < 0.4 else t
        if s in ("bin", "rel", "punct"):
            a = self.term(f, r, 0, display)
            b = self.term(f, r, 0, display)
            m = self.sym(f, c)
            return a[0] + " " + m[0] + " " + b[0], a[1] + " " + m[1] + " " + b[1]
        if s == "dots":
            return self.dots_list(f, r, 0, display, c)
        if s == "prime":
            return self.script(f, r, self.atom(f, r, r.choice(self.ord_plain)), 0, display)
        if s in ("bigop", "dbigop"):
            return self.bigop(f, r, 0, display, c)
        if s == "accent":
            return self.accent(f, r, 0, display, c)
        if s == "rule":
            return self.frac(f, r, 0, display) if r.random() < 0.7 else \
                self.overline(f, r, 0, display)
        if s == "radical":
            return self.sqrt(f, r, 0, display)
        if s == "delim":
            return self.delim_focus(f, r, c, display)
        return self.term(f, r, 0, display)

    def text_with(self, f, r, c):
        """A \\text word containing upright letter C (or a function name)."""
        ch = c.latex[8]
        cands = [w for w in WORDS + FUNCS if ch in w]
        if not cands:
            return self.sym(f, c)
        if r.random() < 0.5:
            word = r.choice(cands)
            src = "".join(f.tok(self.upright[x].id) + x for x in word)
            return "\\text{%s}" % word, "\\ \\text{%s}\\ " % src
        return self.sym(f, c)

    def delim_focus(self, f, r, c, display):
        d, tier = c.delim, c.tier
        if d in ("/", "\\backslash") and tier == 0:
            a, b = self.term(f, r, 0, display), self.term(f, r, 0, display)
            m = self.sym(f, c)
            return " ".join((a[0], m[0], b[0])), a[1] + m[1] + b[1]
        lo = d if d in CLOSE_OF and c.atom != "close" else OPEN_OF.get(d, d)
        hi = CLOSE_OF.get(lo, lo)
        if tier == 5:
            return self.fence(f, r, 0, display, pair=(lo, hi), tall=True)
        if tier == 0 and r.random() < 0.5:
            return self.fence(f, r, 0, display, pair=(lo, hi), small=True)
        if d in ("/", "\\backslash"):
            lo = hi = d
        return self.sized_pair(f, r, 0, display, tier, lo, hi)

    def formula(self, r, focus):
        """Random formula containing the FOCUS classes; returns Formula."""
        f = Formula()
        display = r.random() < 0.7
        parts = []
        focus = [c for c in focus if c.id not in self.bad]
        if r.random() < 0.06 and not focus:
            parts.append(self.cases(f, r))
        self.depth = 0

        def joiner():
            # Operator between top-level parts (only ever between two parts,
            # so no token is created and then thrown away).
            if parts and r.random() < 0.75:
                parts.append(self.sym(f, self.pick(r, r.choice(["bin", "rel", "rel"]))))

        for c in focus:
            joiner()
            parts.append(self.focus_term(f, r, c, display))
        n_more = r.randint(0, 2) if not focus else r.randint(0, 1)
        for _ in range(n_more):
            if len(f.tokens) > 20:
                break
            joiner()
            if r.random() < 0.05:
                m = self.matrix(f, r)
                lo, hi = r.choice(FENCE_PAIRS[:5])
                parts.append(("\\left%s %s \\right%s" % (lo, m[0], hi),
                              "%s\\left%s %s %s\\right%s" % (f.tok(("measure", lo)), lo, m[1],
                                                             f.tok(("measure", hi)), hi)))
            elif r.random() < 0.05:
                parts.append(self.cases(f, r))
            else:
                parts.append(self.expr(f, r, 0, display, size=r.randint(1, 3)))
        if not parts:
            parts.append(self.expr(f, r, 0, display, size=2))
        # Occasional explicit spacing between top-level parts (same in both).
        clean, src = parts[0]
        for p in parts[1:]:
            sp = r.choice([" ", " ", " ", " ", " \\, ", " \\; ", " \\quad "])
            clean, src = clean + sp + p[0], src + sp + p[1]
        if r.random() < 0.2:
            end = self.sym(f, self.by_latex[r.choice([",", "."])])
            clean, src = clean + " " + end[0], src + " " + end[1]
        if display:
            clean, src = "\\displaystyle " + clean, "\\displaystyle " + src
        return f, clean, src
