#!/usr/bin/python3
"""inventory.py — the single definition of scipix's symbol classes.

Every glyph the recognizer can name is one class here.  The module builds the
class list in a fixed order (the order *is* the class id), and `main()` writes
it to tools/gen/inventory.tsv, the file the C classifier embeds in its model.
Keeping the list in code (rather than hand-editing the TSV) lets the generator
import the same records together with the extra, generator-only facts about
each class (how to typeset it, in which grammatical slot it may appear), so the
TSV and the training data can never disagree.  `generate.py` refuses to run if
the committed TSV differs from what this module produces.

Scheme (see README.md for the long version):
  * latex   canonical LaTeX the recognizer outputs for the glyph.  Styled
            letters are written with their alphabet command: \\mathrm{a},
            \\mathbf{a}, \\mathcal{A}, \\mathbb{R}, \\mathfrak{g}.
  * Sized delimiters: one class per TeX size tier: `(`, `\\big(`, `\\Big(`,
    `\\bigg(`, `\\Bigg(`, and for extensible delimiters a sixth tier for
    glyphs assembled from pieces (taller than \\Bigg), spelled `\\left(` for
    openers and `\\right)` for closers (`\\left|` for the symmetric bars).
  * Big operators: the text-size glyph is `\\sum`, the display-size glyph is
    `\\displaystyle\\sum` (a different, larger glyph in every font).
  * Dots: \\ldots, \\cdots, \\vdots, \\ddots are ONE class each whose box spans
    all three dots (the segmenter groups evenly spaced dot runs); a lone `.`
    and `\\cdot` are their own classes.
  * Rules: fraction bars, \\overline and \\underline bars are the same glyph (a
    rule of default thickness), so they are one class `\\frac` (group rule)
    with aliases \\overline, \\underline; the layout stage tells them apart
    by what lies above/below.  The radical sign together with its vinculum is
    one class `\\sqrt` (one connected glyph in every font).
  * Accents: the accent mark alone is the class (e.g. `\\hat`); its base is
    labelled separately.
  * Glyphs identical in every font are one class, other spellings go in
    `aliases` (e.g. `|`: \\vert,\\mid).  Glyphs that differ only by size
    (o/O, \\circ/o, ...) stay separate: the classifier gets a size feature.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TSV_PATH = os.path.join(HERE, "inventory.tsv")
COLUMNS = ["id", "latex", "unicode", "mathml", "atom", "group", "aliases"]


class SymbolClass:
    """One class: the TSV columns plus generator-only fields.

    slot  — where the grammar may place it: ord, bin, rel, open, close, punct,
            bigop (text size), dbigop (display size), accent, delim (sized
            delimiter tier), rule, radical, dots, prime, textsym, fletter
            (upright letter: also used to spell function names).
    emit  — LaTeX that typesets exactly this glyph in math mode.
    """

    __slots__ = ("id", "latex", "unicode", "mathml", "atom", "group", "aliases",
                 "slot", "emit", "delim", "tier")

    def __init__(self, latex, unicode, mathml, atom, group, aliases=(), slot=None,
                 emit=None, delim=None, tier=None):
        self.id = -1
        self.latex = latex
        self.unicode = unicode
        self.mathml = mathml
        self.atom = atom
        self.group = group
        self.aliases = list(aliases)
        self.slot = slot or atom
        self.emit = emit if emit is not None else latex
        self.delim = delim   # base delimiter for sized tiers, e.g. "(" or "\\langle"
        self.tier = tier     # 0..4 fixed sizes, 5 = extensible

    def row(self):
        return [str(self.id), self.latex, self.unicode, self.mathml, self.atom,
                self.group, ",".join(self.aliases)]


# --------------------------------------------------------------------------
# Alphabets.  Unicode: plain ASCII / plain Greek for the default math-italic
# letters (MathML <mi> renders those italic by default); Mathematical
# Alphanumeric Symbols for the styled alphabets, with the Letterlike holes.
LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _math_alpha(base_upper, base_lower, ch, holes):
    if ch in holes:
        return holes[ch]
    if ch.isupper():
        return chr(base_upper + ord(ch) - ord("A"))
    return chr(base_lower + ord(ch) - ord("a"))


CAL_HOLES = {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ",
             "M": "ℳ", "R": "ℛ"}
BB_HOLES = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}
FRAK_HOLES = {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"}


def _letters(out):
    for ch in LOWER + UPPER:
        out.append(SymbolClass(ch, ch, "mi", "ord", "latin-italic", slot="ord"))
    for ch in LOWER + UPPER:
        out.append(SymbolClass("\\mathrm{%s}" % ch, ch, "mi", "ord", "latin-upright",
                               ["\\textrm{%s}" % ch, "\\text{%s}" % ch, "\\rm %s" % ch],
                               slot="fletter"))
    for ch in LOWER + UPPER:
        out.append(SymbolClass("\\mathbf{%s}" % ch, _math_alpha(0x1D400, 0x1D41A, ch, {}),
                               "mi", "ord", "latin-bold", ["\\bf %s" % ch, "\\textbf{%s}" % ch],
                               slot="ord"))
    for ch in UPPER:
        out.append(SymbolClass("\\mathcal{%s}" % ch, _math_alpha(0x1D49C, 0, ch, CAL_HOLES),
                               "mi", "ord", "calligraphic", ["\\cal %s" % ch], slot="ord"))
    for ch in UPPER:
        out.append(SymbolClass("\\mathbb{%s}" % ch, _math_alpha(0x1D538, 0, ch, BB_HOLES),
                               "mi", "ord", "blackboard", slot="ord"))
    for ch in LOWER + UPPER:
        out.append(SymbolClass("\\mathfrak{%s}" % ch,
                               _math_alpha(0x1D504, 0x1D51E, ch, FRAK_HOLES),
                               "mi", "ord", "fraktur", slot="ord"))


def _digits(out):
    for d in "0123456789":
        out.append(SymbolClass(d, d, "mn", "ord", "digit", ["\\mathrm{%s}" % d], slot="digit"))
    for d in "0123456789":
        out.append(SymbolClass("\\mathbf{%s}" % d, chr(0x1D7CE + int(d)), "mn", "ord",
                               "digit-bold", ["\\bf %s" % d], slot="digit"))


GREEK_LOWER = [("alpha", "α"), ("beta", "β"), ("gamma", "γ"), ("delta", "δ"),
               ("epsilon", "ϵ"), ("zeta", "ζ"), ("eta", "η"), ("theta", "θ"),
               ("iota", "ι"), ("kappa", "κ"), ("lambda", "λ"), ("mu", "μ"),
               ("nu", "ν"), ("xi", "ξ"), ("pi", "π"), ("rho", "ρ"), ("sigma", "σ"),
               ("tau", "τ"), ("upsilon", "υ"), ("phi", "ϕ"), ("chi", "χ"),
               ("psi", "ψ"), ("omega", "ω")]
GREEK_VAR = [("varepsilon", "ε"), ("vartheta", "ϑ"), ("varpi", "ϖ"), ("varrho", "ϱ"),
             ("varsigma", "ς"), ("varphi", "φ"), ("varkappa", "ϰ")]
GREEK_UPPER = [("Gamma", "Γ"), ("Delta", "Δ"), ("Theta", "Θ"), ("Lambda", "Λ"),
               ("Xi", "Ξ"), ("Pi", "Π"), ("Sigma", "Σ"), ("Upsilon", "Υ"),
               ("Phi", "Φ"), ("Psi", "Ψ"), ("Omega", "Ω")]
# Math-italic capital Greek code points (U+1D6E4 = italic Gamma ...).
GREEK_ITALIC_CAP = {"Gamma": "𝛤", "Delta": "𝛥", "Theta": "𝛩", "Lambda": "𝛬", "Xi": "𝛯",
                    "Pi": "𝛱", "Sigma": "𝛴", "Upsilon": "𝛶", "Phi": "𝛷", "Psi": "𝛹",
                    "Omega": "𝛺"}


def _greek(out):
    for name, u in GREEK_LOWER:
        out.append(SymbolClass("\\" + name, u, "mi", "ord", "greek", slot="ord"))
    for name, u in GREEK_VAR:
        out.append(SymbolClass("\\" + name, u, "mi", "ord", "greek-var", slot="ord"))
    for name, u in GREEK_UPPER:
        out.append(SymbolClass("\\" + name, u, "mi", "ord", "greek-upright",
                               ["\\mathrm{\\%s}" % name], slot="ord"))
    for name, _ in GREEK_UPPER:
        out.append(SymbolClass("\\var" + name, GREEK_ITALIC_CAP[name], "mi", "ord",
                               "greek-var", ["\\mathit{\\%s}" % name], slot="ord"))


# (latex, unicode, aliases)
MISC_ORD = [
    ("\\infty", "∞", []), ("\\partial", "∂", []), ("\\nabla", "∇", []),
    ("\\hbar", "ℏ", []), ("\\hslash", "ℏ", []), ("\\ell", "ℓ", []), ("\\wp", "℘", []),
    ("\\Re", "ℜ", []), ("\\Im", "ℑ", []), ("\\aleph", "ℵ", []), ("\\beth", "ℶ", []),
    ("\\forall", "∀", []), ("\\exists", "∃", []), ("\\nexists", "∄", []),
    ("\\emptyset", "∅", []), ("\\varnothing", "⌀", []), ("\\neg", "¬", ["\\lnot"]),
    ("\\top", "⊤", []), ("\\angle", "∠", []),
    ("\\triangle", "△", ["\\bigtriangleup"]), ("\\square", "□", ["\\Box"]), ("\\blacksquare", "■", []),
    ("\\diamondsuit", "♢", []), ("\\clubsuit", "♣", []), ("\\heartsuit", "♡", []),
    ("\\spadesuit", "♠", []), ("\\flat", "♭", []), ("\\natural", "♮", []),
    ("\\sharp", "♯", []), ("\\imath", "ı", []), ("\\jmath", "ȷ", []),
    ("\\surd", "√", []), ("\\complement", "∁", []), ("\\mho", "℧", []),
    ("\\checkmark", "✓", []), ("\\Bbbk", "𝕜", []),
    ("\\%", "%", []), ("\\#", "#", []), ("\\&", "&", []), ("\\$", "$", []),
    ("@", "@", []),
]

# Binary operators.  `-` is the minus sign (cmsy), `*` is \ast.
BINARY = [
    ("+", "+", []), ("-", "−", []), ("\\pm", "±", []), ("\\mp", "∓", []),
    ("\\times", "×", []), ("\\div", "÷", []), ("\\cdot", "⋅", ["\\cdotp", "\\centerdot"]),
    ("\\ast", "∗", ["*"]), ("\\star", "⋆", []), ("\\circ", "∘", []),
    ("\\bullet", "∙", []), ("\\oplus", "⊕", []), ("\\ominus", "⊖", []),
    ("\\otimes", "⊗", []), ("\\oslash", "⊘", []), ("\\odot", "⊙", []),
    ("\\cup", "∪", []), ("\\cap", "∩", []), ("\\sqcup", "⊔", []), ("\\sqcap", "⊓", []),
    ("\\uplus", "⊎", []), ("\\wedge", "∧", ["\\land"]), ("\\vee", "∨", ["\\lor"]),
("\\wr", "≀", []), ("\\dagger", "†", ["\\dag"]),
    ("\\ddagger", "‡", ["\\ddag"]), ("\\amalg", "⨿", []), ("\\bigcirc", "◯", []),
    ("\\triangleleft", "◁", []), ("\\triangleright", "▷", []),
("\\bigtriangledown", "▽", []),
    ("\\diamond", "⋄", []), ("\\ltimes", "⋉", []), ("\\rtimes", "⋊", []),
    ("\\boxplus", "⊞", []), ("\\boxtimes", "⊠", []), ("\\circledast", "⊛", []),
]

RELATIONS = [
    ("=", "=", []), ("<", "<", []), (">", ">", []), ("\\neq", "≠", ["\\ne", "\\not="]),
    ("\\leq", "≤", ["\\le"]), ("\\geq", "≥", ["\\ge"]), ("\\ll", "≪", []),
    ("\\gg", "≫", []), ("\\equiv", "≡", []), ("\\sim", "∼", []), ("\\simeq", "≃", []),
    ("\\approx", "≈", []), ("\\cong", "≅", []), ("\\propto", "∝", []),
    ("\\subset", "⊂", []), ("\\supset", "⊃", []), ("\\subseteq", "⊆", []),
    ("\\supseteq", "⊇", []), ("\\in", "∈", []), ("\\ni", "∋", ["\\owns"]),
    ("\\notin", "∉", ["\\not\\in"]), ("\\perp", "⊥", ["\\bot"]), ("\\doteq", "≐", []),
    ("\\asymp", "≍", []), ("\\vdash", "⊢", []), ("\\dashv", "⊣", []),
    ("\\models", "⊨", []), ("\\prec", "≺", []), ("\\succ", "≻", []),
    ("\\preceq", "⪯", []), ("\\succeq", "⪰", []), ("\\sqsubseteq", "⊑", []),
    ("\\sqsupseteq", "⊒", []), ("\\smile", "⌣", []), ("\\frown", "⌢", []),
    ("\\bowtie", "⋈", []), ("\\leqslant", "⩽", []), ("\\geqslant", "⩾", []),
    ("\\lesssim", "≲", []), ("\\gtrsim", "≳", []), ("\\triangleq", "≜", []),
    ("\\subsetneq", "⊊", []), ("\\nleq", "≰", []), ("\\ncong", "≇", []),
    ("\\nsim", "≁", []), ("\\vDash", "⊨", []), ("\\therefore", "∴", []),
    ("\\because", "∵", []), ("\\approxeq", "≊", []), ("\\lessgtr", "≶", []),
]

ARROWS = [
    ("\\rightarrow", "→", ["\\to"]), ("\\leftarrow", "←", ["\\gets"]),
    ("\\leftrightarrow", "↔", []), ("\\Rightarrow", "⇒", []), ("\\Leftarrow", "⇐", []),
    ("\\Leftrightarrow", "⇔", []), ("\\longrightarrow", "⟶", []),
    ("\\longleftarrow", "⟵", []), ("\\longleftrightarrow", "⟷", []),
    ("\\Longrightarrow", "⟹", ["\\implies"]), ("\\Longleftarrow", "⟸", ["\\impliedby"]),
    ("\\Longleftrightarrow", "⟺", ["\\iff"]), ("\\mapsto", "↦", []),
    ("\\longmapsto", "⟼", []), ("\\uparrow", "↑", []), ("\\downarrow", "↓", []),
    ("\\updownarrow", "↕", []), ("\\Uparrow", "⇑", []), ("\\Downarrow", "⇓", []),
    ("\\nearrow", "↗", []), ("\\searrow", "↘", []), ("\\swarrow", "↙", []),
    ("\\nwarrow", "↖", []), ("\\hookrightarrow", "↪", []), ("\\hookleftarrow", "↩", []),
    ("\\rightharpoonup", "⇀", []), ("\\rightharpoondown", "⇁", []),
    ("\\leftharpoonup", "↼", []), ("\\leftharpoondown", "↽", []),
    ("\\rightleftharpoons", "⇌", []), ("\\rightsquigarrow", "⇝", ["\\leadsto"]),
    ("\\twoheadrightarrow", "↠", []), ("\\rightrightarrows", "⇉", []),
]

# (latex, unicode, atom, aliases).  `:` is a relation in TeX; \colon is the
# same glyph with punctuation spacing, so it is an alias.
PUNCT = [
    (",", ",", "punct", []), (";", ";", "punct", []), (".", ".", "ord", ["\\d"]),
    (":", ":", "rel", ["\\colon"]), ("!", "!", "close", []), ("?", "?", "close", []),
]

DOTS = [("\\ldots", "…", "inner", ["\\dots", "\\dotsc", "\\dotso"]),
        ("\\cdots", "⋯", "inner", ["\\dotsb", "\\dotsm"]),
        ("\\vdots", "⋮", "ord", []), ("\\ddots", "⋱", "inner", [])]

# Sized delimiters: (latex, unicode, atom, extensible, plain aliases).
DELIMS = [
    ("(", "(", "open", True, []), (")", ")", "close", True, []),
    ("[", "[", "open", True, ["\\lbrack"]), ("]", "]", "close", True, ["\\rbrack"]),
    ("\\{", "{", "open", True, ["\\lbrace"]), ("\\}", "}", "close", True, ["\\rbrace"]),
    ("\\langle", "⟨", "open", False, []), ("\\rangle", "⟩", "close", False, []),
    ("|", "|", "ord", True, ["\\vert", "\\mid", "\\lvert", "\\rvert"]),
    ("\\|", "‖", "ord", True, ["\\Vert", "\\parallel", "\\lVert", "\\rVert"]),
    ("\\lfloor", "⌊", "open", True, []), ("\\rfloor", "⌋", "close", True, []),
    ("\\lceil", "⌈", "open", True, []), ("\\rceil", "⌉", "close", True, []),
    ("/", "/", "ord", False, []), ("\\backslash", "∖", "ord", False, ["\\setminus"]),
]
SIZE_CMDS = ["", "\\big", "\\Big", "\\bigg", "\\Bigg"]
DELIM_GROUPS = {"(": ")", "[": "]", "\\{": "\\}", "\\langle": "\\rangle",
                "|": "|", "\\|": "\\|", "\\lfloor": "\\rfloor", "\\lceil": "\\rceil",
                "/": "/", "\\backslash": "\\backslash"}

BIGOPS = [("\\sum", "∑"), ("\\prod", "∏"), ("\\coprod", "∐"), ("\\int", "∫"),
          ("\\iint", "∬"), ("\\iiint", "∭"), ("\\oint", "∮"), ("\\bigcup", "⋃"),
          ("\\bigcap", "⋂"), ("\\bigsqcup", "⨆"), ("\\biguplus", "⨄"),
          ("\\bigoplus", "⨁"), ("\\bigotimes", "⨂"), ("\\bigodot", "⨀"),
          ("\\bigvee", "⋁"), ("\\bigwedge", "⋀")]

# Accent marks (the mark only).  Unicode: combining characters.
ACCENTS = [("\\hat", "\u0302", []), ("\\check", "\u030C", []), ("\\tilde", "\u0303", []),
           ("\\acute", "\u0301", ["\\'"]), ("\\grave", "\u0300", []), ("\\dot", "\u0307", []),
           ("\\ddot", "\u0308", []), ("\\breve", "\u0306", []), ("\\bar", "\u0304", ["\\b"]),
           ("\\vec", "\u20D7", []), ("\\mathring", "\u030A", []),
           ("\\widehat", "\u0302", []), ("\\widetilde", "\u0303", []),
           ("\\overrightarrow", "\u20D7", []), ("\\overleftarrow", "\u20D6", []),
           ("\\overbrace", "⏞", []), ("\\underbrace", "⏟", [])]

# Text-mode symbols that occur in math sources; typeset through \text{}.
TEXT_SYMBOLS = [("\\S", "§", "ord", "\\S"), ("\\P", "¶", "ord", "\\P"),
                ("\\pounds", "£", "ord", "\\pounds"), ("\\o", "ø", "ord", "\\text{\\o}"),
                ("\\O", "Ø", "ord", "\\text{\\O}"), ("\\l", "ł", "ord", "\\text{\\l}"),
                ("\\L", "Ł", "ord", "\\text{\\L}"), ("\\AA", "Å", "ord", "\\text{\\AA}"),
                ("\\ae", "æ", "ord", "\\text{\\ae}"), ("\\i", "ı", "ord", "\\text{\\i}"),
                ("\\j", "ȷ", "ord", "\\text{\\j}")]


def build():
    """Return the ordered class list (ids assigned)."""
    out = []
    _letters(out)
    _digits(out)
    _greek(out)
    for latex, u, al in MISC_ORD:
        out.append(SymbolClass(latex, u, "mi", "ord", "misc", al, slot="ord"))
    for latex, u, al in BINARY:
        out.append(SymbolClass(latex, u, "mo", "bin", "operator", al, slot="bin"))
    for latex, u, al in RELATIONS:
        out.append(SymbolClass(latex, u, "mo", "rel", "relation", al, slot="rel"))
    for latex, u, al in ARROWS:
        out.append(SymbolClass(latex, u, "mo", "rel", "arrow", al, slot="rel"))
    for latex, u, atom, al in PUNCT:
        out.append(SymbolClass(latex, u, "mo", atom, "punctuation", al, slot="punct"))
    for latex, u, atom, al in DOTS:
        out.append(SymbolClass(latex, u, "mo", atom, "dots", al, slot="dots"))
    out.append(SymbolClass("\\prime", "′", "mo", "ord", "prime", ["'"], slot="prime"))
    for latex, u, atom, ext, al in DELIMS:
        side = "r" if atom == "close" else "l"
        for tier, size in enumerate(SIZE_CMDS):
            if tier == 0:
                aliases = list(al)
            else:
                aliases = [size + side + latex, size + "m" + latex] + \
                          [size + a for a in al if a.startswith("\\")][:1]
            out.append(SymbolClass(size + latex, u, "mo", atom, "delimiter", aliases,
                                   slot="delim", emit=size + latex, delim=latex, tier=tier))
        if ext:
            word = "\\right" if atom == "close" else "\\left"
            aliases = ["\\right" + latex] if atom == "ord" else []
            out.append(SymbolClass(word + latex, u, "mo", atom, "delimiter", aliases,
                                   slot="delim", emit=None, delim=latex, tier=5))
    for latex, u in BIGOPS:
        out.append(SymbolClass(latex, u, "mo", "op", "bigop", slot="bigop"))
    for latex, u in BIGOPS:
        out.append(SymbolClass("\\displaystyle" + latex, u, "mo", "op", "bigop-display",
                               slot="dbigop", emit=latex))
    out.append(SymbolClass("\\smallint", "∫", "mo", "op", "bigop", slot="ord"))
    for latex, u, al in ACCENTS:
        out.append(SymbolClass(latex, u, "mo", "accent", "accent", al, slot="accent"))
    out.append(SymbolClass("\\frac", "─", "mo", "rule", "rule", ["\\overline", "\\underline"],
                           slot="rule", emit=""))
    out.append(SymbolClass("\\sqrt", "√", "mo", "radical", "radical", slot="radical",
                           emit=""))
    for latex, u, atom, emit in TEXT_SYMBOLS:
        out.append(SymbolClass(latex, u, "mi", atom, "text-symbol", slot="ord", emit=emit))
    for i, c in enumerate(out):
        c.id = i
    seen = {}
    for c in out:
        for name in [c.latex] + c.aliases:
            assert name not in seen, "duplicate spelling %r" % name
            seen[name] = c.id
    return out


def tsv_text(classes):
    lines = ["\t".join(COLUMNS)]
    for c in classes:
        lines.append("\t".join(c.row()))
    return "\n".join(lines) + "\n"


def load_checked():
    """Class list, after verifying the committed inventory.tsv matches."""
    classes = build()
    with open(TSV_PATH, encoding="utf-8") as f:
        if f.read() != tsv_text(classes):
            sys.exit("inventory.tsv is stale: run tools/gen/inventory.py")
    return classes


def main():
    classes = build()
    with open(TSV_PATH, "w", encoding="utf-8") as f:
        f.write(tsv_text(classes))
    print("wrote %s: %d classes" % (TSV_PATH, len(classes)))


if __name__ == "__main__":
    main()
