"""realgrammar.py — "realistic" formulas for `generate.py --style real`.

Why: the default grammar (grammar.py) maximises class coverage and produces
long "symbol soup" (~100 glyphs) that TeX wraps onto several lines — poor
data for the layout stage.  This grammar instead builds single-line formulas
shaped like the math in physics/maths papers: equations `lhs = rhs` and
relation chains, sums/products/integrals with limits and `\\, \\mathrm{d} x`,
fractions (sometimes nested), derivatives, indexed symbols `T_{\\mu \\nu}`,
powers and primes, function applications `\\sin ( \\omega t )`,
`\\mathrm{e}^{- i k x}`, parenthesised and `\\left( ... \\right)` groups,
bra-kets, accented symbols `\\hat{H}`, `\\vec{p}`, Greek-heavy notation,
occasional matrices and cases, spacing commands and trailing punctuation.
Length is drawn per formula (5..60 glyphs, most 15..35).

It is a subclass of grammar.Grammar and produces the same three outputs
(clean canonical LaTeX, colour-marked source, token list), so generate.py
renders and labels it unchanged.  Class balance is secondary here: a formula
gets a couple of planned "focus" classes, each substituted where a glyph of
its kind is picked anyway (a focus relation replaces `=`, a focus letter
replaces a variable, a focus tier becomes a \\big-sized pair, ...).
Written from scratch; nothing is taken from any evaluation set.
"""

import math

import grammar

LOWER_W = {"x": 9, "y": 5, "z": 4, "t": 7, "r": 5, "k": 6, "p": 5, "q": 4, "n": 6,
           "m": 6, "a": 5, "b": 3, "c": 4, "f": 4, "g": 4, "h": 2, "u": 3, "v": 3,
           "w": 2, "s": 3, "e": 2, "l": 2, "d": 1, "j": 1, "i": 1, "o": 0.3}
UPPER_W = {"A": 3, "B": 3, "C": 3, "D": 2, "E": 4, "F": 3, "G": 3, "H": 4, "I": 2,
           "J": 2, "K": 2, "L": 3, "M": 3, "N": 4, "P": 2, "Q": 2, "R": 3, "S": 3,
           "T": 3, "U": 2, "V": 3, "W": 2, "X": 2, "Y": 1, "Z": 2, "O": 0.5}
GREEK_W = {"\\alpha": 6, "\\beta": 5, "\\gamma": 5, "\\delta": 4, "\\epsilon": 3,
           "\\varepsilon": 2, "\\zeta": 2, "\\eta": 3, "\\theta": 5, "\\vartheta": 1,
           "\\kappa": 2, "\\lambda": 5, "\\mu": 6, "\\nu": 5, "\\xi": 2, "\\pi": 3,
           "\\rho": 4, "\\sigma": 4, "\\tau": 3, "\\phi": 5, "\\varphi": 3, "\\chi": 2,
           "\\psi": 5, "\\omega": 5, "\\Gamma": 2, "\\Delta": 3, "\\Theta": 1,
           "\\Lambda": 2, "\\Sigma": 1, "\\Phi": 3, "\\Psi": 2, "\\Omega": 2,
           "\\iota": 0.3, "\\upsilon": 0.3, "\\varrho": 0.3, "\\varpi": 0.2,
           "\\Xi": 0.5, "\\Pi": 0.5, "\\Upsilon": 0.3}
STYLED = ["\\mathcal{L}", "\\mathcal{H}", "\\mathcal{O}", "\\mathcal{N}", "\\mathcal{A}",
          "\\mathbb{R}", "\\mathbb{C}", "\\mathbb{Z}", "\\mathbf{x}", "\\mathbf{r}",
          "\\mathbf{k}", "\\mathbf{p}", "\\mathbf{E}", "\\mathbf{B}", "\\mathbf{A}",
          "\\mathbf{v}", "\\mathfrak{g}", "\\hbar", "\\ell", "\\partial", "\\nabla",
          "\\infty"]
INDEX_1 = ["i", "j", "k", "l", "m", "n", "a", "b", "\\mu", "\\nu", "\\alpha", "\\beta",
           "\\sigma", "\\rho", "0", "1", "2", "3", "x", "t", "s", "p", "L", "R", "F"]
PAIRS = [("i", "j"), ("\\mu", "\\nu"), ("a", "b"), ("k", "l"), ("\\alpha", "\\beta"),
         ("m", "n"), ("i", "k"), ("\\rho", "\\sigma")]
FUNCS_W = {"sin": 6, "cos": 6, "exp": 5, "log": 4, "ln": 3, "tan": 2, "sinh": 1,
           "cosh": 1, "tanh": 1, "det": 1, "arctan": 0.5, "arg": 0.3}
TEXT_FUNCS = ["Tr", "tr", "Re", "Im", "sgn", "diag"]
ACCENT_W = {"\\hat": 6, "\\bar": 5, "\\tilde": 4, "\\vec": 4, "\\dot": 3, "\\ddot": 1.5,
            "\\check": 0.3, "\\breve": 0.3, "\\acute": 0.2, "\\grave": 0.2,
            "\\mathring": 0.2}
REL_W = {"=": 60, "\\equiv": 4, "\\approx": 4, "\\simeq": 2, "\\sim": 3, "\\leq": 4,
         "\\geq": 3, "<": 3, ">": 2, "\\neq": 1, "\\propto": 2, "\\rightarrow": 2,
         "\\ll": 0.5, "\\gg": 0.5, "\\cong": 0.3, "\\le": 0}
BIN_W = {"+": 10, "-": 8, "\\pm": 0.5, "\\cdot": 0.6, "\\times": 0.6, "\\mp": 0.1}
FENCES = [("(", ")", 10), ("[", "]", 3), ("\\{", "\\}", 1), ("|", "|", 1.5),
          ("\\langle", "\\rangle", 1.5), ("\\|", "\\|", 0.5)]


MIN_TOKENS, MAX_TOKENS = 5, 60


def wchoice(r, table):
    keys = list(table)
    return r.choices(keys, [table[k] for k in keys])[0]


def J(*parts):
    """Join (clean, src) pieces with spaces (None pieces are skipped)."""
    parts = [p for p in parts if p is not None and p[0]]
    return " ".join(p[0] for p in parts), " ".join(p[1] for p in parts)


def raw(s):
    """Untokenised LaTeX (spacing commands) identical in clean and source."""
    return s, s


class RealGrammar(grammar.Grammar):
    def __init__(self, classes, font_unsupported=()):
        super().__init__(classes, font_unsupported)
        self.pending = []
        self.display = True

    # ------------------------------------------------------------- glyphs
    def ok(self, latex):
        c = self.by_latex.get(latex)
        return c is not None and c.id not in self.bad

    def S(self, f, latex):
        return self.sym(f, self.by_latex[latex])

    def take(self, *slots):
        """A pending focus class of one of SLOTS (removed), or None."""
        for k, c in enumerate(self.pending):
            if c.slot in slots:
                return self.pending.pop(k)
        return None

    def letter(self, r):
        x = r.random()
        if x < 0.5:
            return wchoice(r, LOWER_W)
        if x < 0.68:
            return wchoice(r, UPPER_W)
        if x < 0.95:
            return wchoice(r, GREEK_W)
        return r.choice(STYLED)

    def var(self, f, r):
        c = self.take("ord", "fletter")
        if c is not None:
            return self.sym(f, c)
        name = self.letter(r)
        if not self.ok(name):
            name = "x"
        return self.S(f, name)

    def plain_var(self, f, r):
        """A letter for an accent's base (no \\partial, \\infty, ...)."""
        c = self.take("ord")
        if c is not None:
            return self.sym(f, c)
        name = self.letter(r)
        if not self.ok(name) or name in STYLED and not name.startswith("\\mathbf"):
            name = wchoice(r, LOWER_W)
        return self.S(f, name)

    def number(self, f, r, small=False):
        c = self.take("digit")
        if c is not None:
            return self.sym(f, c)
        x = r.random()
        if small or x < 0.75:
            s = r.choice("1222334456789" if not small else "111222344")
        elif x < 0.9:
            s = str(r.randint(10, 999))
        else:
            s = "%d.%d" % (r.randint(0, 9), r.randint(1, 99))
        return J(*[self.S(f, ch) for ch in s])

    def rel(self, f, r):
        c = self.take("rel")
        return self.sym(f, c) if c is not None else self.S(f, wchoice(r, REL_W))

    def binop(self, f, r):
        c = self.take("bin")
        return self.sym(f, c) if c is not None else self.S(f, wchoice(r, BIN_W))

    # ------------------------------------------------------------ scripts
    def index(self, f, r):
        x = r.random()
        if x < 0.6:
            return self.S(f, r.choice(INDEX_1))
        if x < 0.85:
            a, b = r.choice(PAIRS)
            return J(self.S(f, a), self.S(f, b))
        if x < 0.95:
            return J(self.S(f, r.choice("nkijm")), self.S(f, r.choice("+-")), self.S(f, "1"))
        a, b = r.choice([("i", "j"), ("\\mu", "\\nu"), ("n", "m"), ("k", "l")])
        return J(self.S(f, a), self.S(f, ","), self.S(f, b))

    def power(self, f, r):
        c = self.take("prime")
        if c is not None:
            return self.sym(f, c)
        x = r.random()
        if x < 0.45:
            return self.S(f, r.choice("2222334"))
        if x < 0.55:
            return J(self.S(f, "-"), self.S(f, r.choice("112")))
        if x < 0.65:
            return self.S(f, r.choice(["n", "\\mu", "\\nu", "k", "T", "\\alpha"]))
        if x < 0.78:
            return self.S(f, "\\prime")
        if x < 0.86:
            return self.S(f, r.choice(["\\dagger", "\\ast"]))
        if x < 0.93:
            return J(self.S(f, "("), self.S(f, r.choice("n123k")), self.S(f, ")"))
        return self.frac_small(f, r)

    def sup(self, base, s):
        return base[0] + "^{" + s[0] + "}", base[1] + "^{{" + s[1] + "}}"

    def sub(self, base, s):
        return base[0] + "_{" + s[0] + "}", base[1] + "_{{" + s[1] + "}}"

    def subsup(self, base, a, b):
        return (base[0] + "_{" + a[0] + "}^{" + b[0] + "}",
                base[1] + "_{{" + a[1] + "}}^{{" + b[1] + "}}")

    def accented(self, f, r):
        c = self.take("accent")
        if c is None:
            c = self.by_latex[wchoice(r, ACCENT_W)]
        mark = f.tok(c.id)
        if c.latex in grammar.BRACES:
            body = self.product(f, r, 1, r.randint(2, 3))
            cl, sr = "%s{%s}" % (c.latex, body[0]), mark + "%s{{%s}}" % (c.latex, body[1])
            if r.random() < 0.5:
                lab = self.var(f, r)
                s = "_" if c.latex == "\\underbrace" else "^"
                cl, sr = cl + s + "{" + lab[0] + "}", sr + s + "{{" + lab[1] + "}}"
            return "{" + cl + "}", "{" + sr + "}"
        if c.latex in grammar.WIDE_ACCENTS:
            body = J(*[self.var(f, r) for _ in range(r.randint(1, 3))])
        else:
            body = self.plain_var(f, r)
        return "%s{%s}" % (c.latex, body[0]), mark + "%s{{%s}}" % (c.latex, body[1])

    def symbol(self, f, r, level=0):
        """A variable with the usual decorations: accent, index, power, prime."""
        base = self.accented(f, r) if r.random() < 0.12 else self.var(f, r)
        x = r.random()
        if level >= 2:
            return base
        if x < 0.35:
            return self.sub(base, self.index(f, r))
        if x < 0.5:
            return self.sup(base, self.power(f, r))
        if x < 0.58:
            return self.subsup(base, self.index(f, r), self.power(f, r))
        return base

    # --------------------------------------------------------- structures
    def fname(self, f, r, name=None):
        name = name or wchoice(r, FUNCS_W)
        letters = "".join(f.tok(self.upright[ch].id) + ch for ch in name)
        return "\\" + name, "\\mathop{\\mathrm{" + letters + "}}\\nolimits"

    def upright_word(self, f, word):
        letters = "".join(f.tok(self.upright[ch].id) + ch for ch in word)
        return "\\mathrm{%s}" % word, "\\mathrm{%s}" % letters

    def paren(self, f, r, body, level, lo="(", hi=")"):
        """Plain-size pair around BODY (already built)."""
        a = self.S(f, lo)
        b = self.S(f, hi)
        return J(a, body, b)

    def group(self, f, r, level, body=None, tall=False):
        """A fenced group: plain, \\left...\\right (top level) or \\big-sized."""
        c = self.take("delim") if level == 0 else None
        if c is not None and not (c.delim in ("/", "\\backslash") and c.tier == 0):
            d = c.delim
            lo = d if c.atom != "close" else grammar.OPEN_OF.get(d, d)
            hi = grammar.CLOSE_OF.get(lo, lo)
            if d in ("/", "\\backslash"):
                lo = hi = d
            if c.tier == 5:
                return self.left_right(f, r, lo, hi, body or self.matrix_real(f, r, tall=True))
            body = body or self.expr(f, r, 0, r.randint(1, 3))
            if c.tier == 0:
                return self.paren(f, r, body, level, lo, hi)
            size = ["", "\\big", "\\Big", "\\bigg", "\\Bigg"][c.tier]
            cl, cr = self.delim[(lo, c.tier)], self.delim[(hi, c.tier)]
            lcmd, rcmd = size + "l" + lo, size + "r" + hi
            return ("%s %s %s" % (lcmd, body[0], rcmd),
                    "%s%s %s %s%s" % (f.tok(cl.id), lcmd, body[1], f.tok(cr.id), rcmd))
        lo, hi = r.choices([(a, b) for a, b, _ in FENCES], [w for _, _, w in FENCES])[0]
        if level > 0:
            lo, hi = ("(", ")") if r.random() < 0.85 else ("[", "]")
        if body is None:
            body = self.expr(f, r, level, r.randint(1, 3) if level == 0 else r.randint(1, 2))
        if level == 0 and (tall or "\\frac" in body[0] or "\\sum" in body[0] or r.random() < 0.15):
            return self.left_right(f, r, lo, hi, body)
        return self.paren(f, r, body, level, lo, hi)

    def left_right(self, f, r, lo, hi, body):
        lc, rc = "\\left" + lo, "\\right" + hi
        return ("%s %s %s" % (lc, body[0], rc),
                "%s%s %s %s%s" % (f.tok(("measure", lo)), lc, body[1],
                                  f.tok(("measure", hi)), rc))

    def frac_small(self, f, r):
        rule = f.tok(self.by_latex["\\frac"].id)
        n = self.number(f, r, small=True) if r.random() < 0.7 else self.var(f, r)
        d = self.number(f, r, small=True) if r.random() < 0.7 else self.var(f, r)
        return "\\frac{%s}{%s}" % (n[0], d[0]), rule + "\\frac{{%s}}{{%s}}" % (n[1], d[1])

    def frac(self, f, r, level, nested=True):
        rule = f.tok(self.by_latex["\\frac"].id)
        x = r.random()
        sub = level + 1
        if x < 0.2:
            n = self.number(f, r, small=True)
        else:
            n = self.expr(f, r, sub, r.choice([1, 1, 1, 2, 2, 3]), nested=nested)
        d = self.expr(f, r, sub, r.choice([1, 1, 1, 2, 2]), nested=nested and r.random() < 0.3)
        return "\\frac{%s}{%s}" % (n[0], d[0]), rule + "\\frac{{%s}}{{%s}}" % (n[1], d[1])

    def derivative(self, f, r, level):
        x = r.random()
        if x < 0.45:
            dd = self.S(f, "\\partial") if r.random() < 0.6 else self.upright_word(f, "d")
            # re-draw for the denominator so both are separate glyph tokens
            rule = f.tok(self.by_latex["\\frac"].id)
            top = [dd]
            if r.random() < 0.25:
                p2 = self.S(f, "2")
                top = [(dd[0] + "^{" + p2[0] + "}", dd[1] + "^{{" + p2[1] + "}}")]
            if r.random() < 0.6:
                top.append(self.symbol(f, r, level + 1))
            dd2 = self.S(f, "\\partial") if dd[0] == "\\partial" else self.upright_word(f, "d")
            var = self.var(f, r)
            if len(top) > 0 and "^{2}" in top[0][0]:
                var = self.sup(var, self.S(f, "2"))
            n, d = J(*top), J(dd2, var)
            frac = "\\frac{%s}{%s}" % (n[0], d[0]), rule + "\\frac{{%s}}{{%s}}" % (n[1], d[1])
            return frac
        if x < 0.75:
            base = self.S(f, "\\partial")
            return J(self.sub(base, self.S(f, r.choice(["\\mu", "\\nu", "t", "x", "i", "\\alpha"]))),
                     self.symbol(f, r, level))
        op = self.S(f, "\\nabla")
        if r.random() < 0.4:
            op = self.sup(op, self.S(f, "2"))
        return J(op, self.symbol(f, r, level))

    def funcapp(self, f, r, level):
        x = r.random()
        if x < 0.3:
            e = self.upright_word(f, "e")
            return self.sup(e, self.exponent(f, r))
        if x < 0.38:
            name = r.choice(TEXT_FUNCS)
            fn = self.upright_word(f, name)
        else:
            fn = self.fname(f, r)
            if r.random() < 0.1 and fn[0] in ("\\sin", "\\cos", "\\log"):
                fn = self.sup(fn, self.S(f, "2"))
        if r.random() < 0.35 and level == 0:
            arg = self.product(f, r, level, 1)
            return J(fn, arg)
        return J(fn, self.group(f, r, level, body=self.expr(f, r, level, r.randint(1, 2))))

    def exponent(self, f, r):
        parts = []
        if r.random() < 0.6:
            parts.append(self.S(f, "-"))
        if r.random() < 0.6:
            parts.append(self.S(f, "i"))
        if r.random() < 0.2:
            parts.append(self.frac_small(f, r))
        for _ in range(r.randint(1, 3)):
            parts.append(self.symbol(f, r, 2))
        if r.random() < 0.15:
            parts.append(self.S(f, "/"))
            parts.append(self.symbol(f, r, 2))
        return J(*parts)

    def bigop(self, f, r, level, kind=None):
        c = self.take("bigop", "dbigop")
        if c is None:
            kind = kind or r.choices(["sum", "int", "prod", "other"], [5, 5, 1.2, 0.5])[0]
            name = {"sum": "\\sum", "int": "\\int", "prod": "\\prod",
                    "other": r.choice(["\\oint", "\\iint", "\\bigcup", "\\bigoplus",
                                       "\\bigotimes", "\\iiint", "\\bigcap"])}[kind]
            want = "\\displaystyle" + name if self.display and level == 0 else name
            if not self.ok(want):
                want = "\\displaystyle\\sum" if self.display and level == 0 else "\\sum"
            c = self.by_latex[want]
        wrap = None
        if c.slot == "dbigop" and not (self.display and level == 0):
            wrap = "\\displaystyle"
        if c.slot == "bigop" and self.display and level == 0:
            wrap = "\\textstyle"
        op = (c.emit, f.tok(c.id) + c.emit)
        is_int = "int" in c.emit
        x = r.random()
        if is_int:
            if x < 0.55:
                lo = self.S(f, r.choice(["0", "-", "a", "1"]))
                if lo[0] == "-":
                    lo = J(lo, self.S(f, "\\infty"))
                if r.random() < 0.3:
                    hi = self.S(f, "\\pi") if r.random() < 0.5 else J(self.S(f, "2"), self.S(f, "\\pi"))
                else:
                    hi = self.S(f, r.choice(["\\infty", "\\infty", "1", "b", "t", "x", "L", "T"]))
                op = self.subsup(op, lo, hi)
            elif x < 0.75:
                op = self.sub(op, self.S(f, r.choice(["V", "\\Omega", "S", "M", "0", "C"])))
        else:
            iname = r.choice(["n", "k", "i", "j", "l", "m"])
            if x < 0.6:
                lo = J(self.S(f, iname), self.S(f, "="), self.S(f, r.choice("0011")))
                hi = self.S(f, r.choice(["\\infty", "N", "n", "M", "L", "K"]))
                if r.random() < 0.2:
                    hi = J(hi, self.S(f, "-"), self.S(f, "1"))
                op = self.subsup(op, lo, hi)
            elif x < 0.85:
                op = self.sub(op, self.S(f, iname) if r.random() < 0.6 else self.index(f, r))
        if wrap:
            op = "{%s %s}" % (wrap, op[0]), "{%s %s}" % (wrap, op[1])
        if r.random() < 0.4 and level == 0:
            body = self.group(f, r, level, body=self.expr(f, r, level, 2))
        else:
            body = self.product(f, r, level, r.randint(1, 3), no_bigop=True)
        if is_int:
            d = self.upright_word(f, "d") if r.random() < 0.7 else self.S(f, "d")
            v = self.var(f, r)
            if r.random() < 0.15:
                d = self.sup(d, self.S(f, "3"))
            return J(op, body, raw("\\,"), d, v)
        return J(op, body)

    def sqrt(self, f, r, level):
        rad = f.tok(self.by_latex["\\sqrt"].id)
        if r.random() < 0.4:
            body = J(self.sup(self.var(f, r), self.S(f, "2")), self.binop(f, r),
                     self.sup(self.var(f, r), self.S(f, "2")))
        else:
            body = self.expr(f, r, level + 1, r.randint(1, 2), nested=False)
        if r.random() < 0.1:
            idx = self.S(f, r.choice("34n"))
            return ("\\sqrt[%s]{%s}" % (idx[0], body[0]),
                    rad + "\\sqrt[{%s}]{{%s}}" % (idx[1], body[1]))
        return "\\sqrt{%s}" % body[0], rad + "\\sqrt{{%s}}" % body[1]

    def braket(self, f, r):
        x = r.random()
        if x < 0.5:
            return J(self.S(f, "\\langle"), self.symbol(f, r, 1), self.S(f, "|"),
                     self.accented(f, r) if r.random() < 0.6 else self.symbol(f, r, 1),
                     self.S(f, "|"), self.symbol(f, r, 1), self.S(f, "\\rangle"))
        if x < 0.75:
            return J(self.S(f, "\\langle"), self.symbol(f, r, 1), self.S(f, "|"),
                     self.symbol(f, r, 1), self.S(f, "\\rangle"))
        return J(self.S(f, "["), self.accented(f, r), self.S(f, ","),
                 self.accented(f, r), self.S(f, "]"))

    def factor(self, f, r, level, nested=True, no_bigop=False):
        """One multiplicative factor."""
        deep = level >= 2 or len(f.tokens) > self.budget
        w = [30, 8 if nested and not deep else 0, 10, 8 if not deep else 0,
             6 if level == 0 and not no_bigop and not deep else 0,
             4 if not deep else 0, 5 if level <= 1 and not deep else 0,
             2 if level == 0 and not deep else 0, 6]
        k = r.choices(range(9), w)[0]
        if k == 0:
            return self.symbol(f, r, level)
        if k == 1:
            return self.frac(f, r, level, nested=level == 0)
        if k == 2:
            return self.group(f, r, level)
        if k == 3:
            return self.funcapp(f, r, level)
        if k == 4:
            return self.bigop(f, r, level)
        if k == 5:
            return self.sqrt(f, r, level)
        if k == 6:
            return self.derivative(f, r, level)
        if k == 7:
            return self.braket(f, r)
        return self.symbol(f, r, level)

    def product(self, f, r, level, n, nested=True, no_bigop=False):
        parts = []
        if r.random() < 0.25:
            parts.append(self.number(f, r) if r.random() < 0.6
                         else self.frac_small(f, r))
        for _ in range(n):
            parts.append(self.factor(f, r, level, nested, no_bigop))
            if len(f.tokens) > self.budget:
                break
        return J(*parts)

    def expr(self, f, r, level, n, nested=True):
        """N terms joined by + / - (first may be negated)."""
        parts = []
        if r.random() < 0.12:
            parts.append(self.S(f, "-"))
        for k in range(n):
            if k:
                parts.append(self.binop(f, r))
            m = r.choice([1, 1, 2, 2, 3]) if level == 0 else r.choice([1, 1, 2])
            parts.append(self.product(f, r, level, m, nested))
            if len(f.tokens) > self.budget:
                break
        return J(*parts)

    # ----------------------------------------------------------- top level
    def lhs(self, f, r):
        x = r.random()
        if x < 0.4:
            return self.symbol(f, r, 0)
        if x < 0.6:
            fn = self.symbol(f, r, 1) if r.random() < 0.7 else self.sup(self.var(f, r), self.S(f, "\\prime"))
            args = [self.var(f, r)]
            for _ in range(r.choice([0, 0, 1, 2])):
                args += [self.S(f, ","), self.var(f, r)]
            return J(fn, self.S(f, "("), *args, self.S(f, ")"))
        if x < 0.72:
            return self.derivative(f, r, 0)
        if x < 0.82:
            return J(self.accented(f, r), self.symbol(f, r, 1))
        return self.product(f, r, 0, r.randint(1, 2))

    def matrix_real(self, f, r, tall=False):
        rows = r.randint(3, 4) if tall else 2
        cols = r.randint(2, 3) if not tall else r.randint(1, 3)
        cl, cs = [], []
        for _ in range(rows):
            cells = []
            for _ in range(cols):
                x = r.random()
                if x < 0.35:
                    cells.append(self.number(f, r, small=True))
                elif x < 0.8:
                    cells.append(self.symbol(f, r, 1))
                else:
                    cells.append(self.expr(f, r, 1, 2, nested=False))
            cl.append(" & ".join(c[0] for c in cells))
            cs.append(" & ".join(c[1] for c in cells))
        return ("\\begin{matrix} %s \\end{matrix}" % " \\\\ ".join(cl),
                "\\begin{matrix} %s \\end{matrix}" % " \\\\ ".join(cs))

    def cases_real(self, f, r):
        brace = f.tok(("measure", "\\{"))
        rows = []
        for _ in range(2):
            v = self.expr(f, r, 1, r.randint(1, 2), nested=False)
            if r.random() < 0.5:
                cond = J(self.var(f, r), self.S(f, r.choice(["<", ">", "\\leq", "\\geq", "\\in"])),
                         self.var(f, r) if r.random() < 0.5 else self.number(f, r, small=True))
            else:
                word = r.choice(["if", "otherwise", "for"])
                cond = self.text_word(f, word)
            rows.append((v[0] + " & " + cond[0], v[1] + " & " + cond[1]))
        return ("\\begin{cases} %s \\end{cases}" % " \\\\ ".join(x[0] for x in rows),
                brace + "\\begin{cases} %s \\end{cases}" % " \\\\ ".join(x[1] for x in rows))

    def text_word(self, f, word):
        src = "".join(f.tok(self.upright[ch].id) + ch for ch in word)
        return "\\text{%s}" % word, "\\text{%s}" % src

    def condition(self, f, r):
        x = r.random()
        if x < 0.4:
            return J(self.symbol(f, r, 1), self.S(f, r.choice(["\\in", "\\geq", ">", "\\rightarrow", "\\neq"])),
                     self.S(f, r.choice(["\\mathbb{R}", "0", "\\infty", "1", "N"])))
        if x < 0.7:
            i = self.S(f, r.choice(["i", "n", "k", "\\mu"]))
            return J(i, self.S(f, "="), self.S(f, r.choice("01")), self.S(f, ","),
                     self.S(f, "\\ldots"), self.S(f, ","), self.S(f, r.choice(["N", "n", "3", "d"])))
        return J(self.text_word(f, r.choice(["for", "with", "where", "if"])), raw("\\;"),
                 self.symbol(f, r, 1), self.rel(f, r), self.symbol(f, r, 1))

    def formula(self, r, focus):
        """Random formula of 5..60 glyphs (redrawn until the length fits)."""
        for attempt in range(12):
            f, clean, src = self.formula1(r, focus)
            if MIN_TOKENS <= len(f.tokens) <= MAX_TOKENS:
                break
        return f, clean, src

    def formula1(self, r, focus):
        f = grammar.Formula()
        self.pending = [c for c in focus if c.id not in self.bad]
        self.display = r.random() < 0.65
        if any(c.slot == "dbigop" for c in self.pending):
            self.display = True
        target = min(60, max(5, int(round(r.lognormvariate(math.log(21), 0.42)))))
        self.budget = target
        x = r.random()
        if x < 0.55:
            body = J(self.lhs(f, r), self.rel(f, r), self.expr(f, r, 0, max(1, round(target / 14))))
        elif x < 0.65:
            body = J(self.lhs(f, r), self.rel(f, r), self.expr(f, r, 0, 1), self.rel(f, r),
                     self.expr(f, r, 0, max(1, round(target / 18))))
        elif x < 0.8:
            body = self.expr(f, r, 0, max(1, round(target / 12)))
        elif x < 0.86:
            body = J(self.symbol(f, r, 0), self.S(f, "="), self.cases_real(f, r))
        elif x < 0.9:
            lo, hi = r.choice([("(", ")"), ("[", "]"), ("|", "|")])
            body = J(self.symbol(f, r, 0), self.S(f, "="),
                     self.left_right(f, r, lo, hi, self.matrix_real(f, r)))
        else:
            body = J(self.lhs(f, r), self.rel(f, r), self.expr(f, r, 0, 1),
                     raw(r.choice(["\\,", "\\quad", "\\qquad"])) if r.random() < 0.8 else None,
                     self.S(f, ","), raw("\\quad"), self.condition(f, r))
        if r.random() < 0.25:
            body = J(body, raw(r.choice(["", "\\,", "\\;", "\\quad"])) if r.random() < 0.5 else None,
                     self.S(f, r.choice([",", ",", "."])))
        clean, src = body
        # Pending focus classes the formula never asked for are dropped.
        self.pending = []
        if self.display:
            clean, src = "\\displaystyle " + clean, "\\displaystyle " + src
        return f, clean, src
