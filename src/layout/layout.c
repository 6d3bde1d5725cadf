/*
 * layout.c — symbols with boxes → math tree (see layout.h).
 *
 * How it works.  Every symbol becomes a "unit": a box plus typographic
 * estimates derived from its class — its baseline and its em (font size),
 * both guessed from the box and the glyph's vertical category (x-height
 * letter like "a", ascender like "b" or a capital, descender like "p", both
 * like "(" or "f", axis-centred operator like "+", dot, comma …).  A region
 * (a set of units) is laid out by sp_lay_region in two passes:
 *
 *  0. Marks read by their place, not their shape: a dot on top of a
 *     letter is its \dot (two: \ddot), a dotless i under its dot is i,
 *     the broken-off tip of a thin slash goes back on it, a radical sign
 *     and its separate vinculum are one \sqrt, a lone bold letter in an
 *     upright word is upright.
 *  1. Dominant symbols, each turning some units into one composite unit:
 *       function words   adjacent letters spelling sin, log, lim … → FUNC;
 *       rules            widest first: units above and below within its
 *                        span → FRAC; only above → \overline; only below →
 *                        \underline; neither → a minus sign;
 *       radicals         units inside the sign's box → body; the small
 *                        units over its hook → index;
 *       big operators    and lim-like words: units stacked right above or
 *                        below → limits;
 *       accents          the units right below → the accented base
 *                        (\underbrace: the units above);
 *       tall fences      a pair of tall delimiters holding two or more
 *                        lines → a matrix or an array (by the air inside
 *                        the delimiters; an array's columns aligned as
 *                        their cells are); a lone brace → cases, or
 *                        \left\{ around an array.
 *     Parts (numerator, body, limits, cells …) are laid out recursively.
 *  2. The baseline pass over what is left, left to right: each unit on the
 *     main line is a base; the units after it that sit clearly higher or
 *     lower (relative to the base line and em, scaled by size) are its
 *     superscript / subscript zone, laid out recursively.  Stretchy
 *     delimiters (\left( … \right)) are then paired into FENCED nodes, and
 *     so are pairs of sized ones (\bigg( … \bigg)) that their content fills
 *     the way \left … \right would.  Operators and punctuation, whose size
 *     their class does not tell, are sized from their width and glued into
 *     a script zone they sit inside of; punctuation goes by its baseline.
 *     Where the classifier gave alternatives, look-alikes that differ only
 *     by their place on the line (. \cdot, , \prime, | l) are settled here,
 *     once the baseline is known (sp_lay_pick_alt).  On a main line, a
 *     gap clearly wider than TeX's spacing between the two atoms is an
 *     explicit space (\ , \quad, \qquad).
 *
 * Confidence: product of the symbol probabilities, times a factor below 1
 * for each script decision that was close to its threshold.
 *
 * Bounded: depth is limited (deeper regions are laid out flat), and each
 * region is O(n²) in its own units, n ≤ SP_LAYOUT_MAX_SYMBOLS.
 */
#include "layout/layout.h"

#include "engine/status.h"
#include "tree/latex.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SP_LAY_TALL_FENCE 1.45f /* a plain delimiter this many em tall is stretched */
#define SP_LAY_RAISED_FENCE 1.05f /* ... or this many em of the glyphs beside it (a normal "(" is 0.85) */
#define SP_LAY_BEARINGS 0.1f    /* ink gap between glyphs set tight, em */
#define SP_LAY_SPACE_MIN 0.10f  /* a gap this much wider than TeX's spacing is an explicit space */
#define SP_LAY_SPACE_MIN_PUNCT 0.12f /* ... before a period, comma or semicolon */
#define SP_LAY_HAIRLINE 0.10f   /* blank before a glyph that starts with a hairline (sp_lay_lead) */
#define SP_LAY_MID_GAP 0.14f    /* a | this far from both neighbours (em, beyond Ord spacing) is \\mid */
#define SP_LAY_OFF_AXIS 0.28f   /* an operator centred this far off the axis (em) is in a script */
/* A glyph under SP_LAY_TINY of the line's em (and of its base's) is a subscript
 * unless its baseline is SP_LAY_TINY_SUB em above the line's: in a cramped
 * denominator at 100 dpi a subscript (\\partial u_{\\nu}, m^{d_{\\perp}})
 * drops no pixel.  First 3,000 im2latex-val images: 10 won, 1 lost */
#define SP_LAY_TINY 0.65f
#define SP_LAY_TINY_SUB 0.03f
#define SP_LAY_SCRIPTSPACE 0.05f /* TeX's \\scriptspace (0.5 pt) after a script, em */
#define SP_LAY_PERIODS_PITCH 0.24f /* dots closer than this (em, centre to centre) are periods, not \\ldots */
#define SP_LAY_FRAC_PUNCT_SLACK 0.05f  /* air a fraction keeps before punctuation, em */
#define SP_LAY_FENCE_PUNCT_SLACK 0.12f /* air a tall \\right delimiter keeps before punctuation, em */
#define SP_LAY_INNER_VOTE 0.45f /* thin spaces beside a plain pair that make it \\left … \\right */
#define SP_LAY_RIGHT_SUP 0.69f /* superscript baseline over a closing delimiter, of its height: \\right) */
#define SP_LAY_ARRAY_EDGE 0.32f /* inner gap of a delimited table, em, from which it is an array */
#define SP_LAY_STAR_MIN 0.1f   /* the asterisk's share that turns a script s into one */
#define SP_LAY_ALIGN_SLACK 0.15f /* em a column's centres may spread beyond its edges' and still be centred */
/* A glyph read at main size whose bottom AND top both lie this far (em)
 * below where a main glyph's would is a subscript: a main glyph on the
 * line is not set lower, but below 150 dpi a script letter blurs to
 * nearly main size (R_{m}, L_{c} at 100 dpi drop 2-3 px).  0.12 and 0.2
 * did as well on the first 1,000 im2latex-val images and worse on the next
 * 2,000 (0.3379 visual there against 0.3384) */
#define SP_LAY_SUNK 0.15f
/* ... or its bottom SP_LAY_SUNK_SMALL below and its top SP_LAY_SUNK_TOP
 * below, when it also measures a little small (under SP_LAY_SUNK_SIZE of
 * the line's em): a subscript digit after a capital in a fraction's
 * numerator drops only 2 px at 100 dpi (\\frac{J_{3}}{2}, U_{3}: 0.14 em) */
#define SP_LAY_SUNK_SMALL 0.1f
#define SP_LAY_SUNK_TOP 0.17f
#define SP_LAY_SUNK_SIZE 0.97f
/* ... and one whose bottom and top both lie this far above is a
 * superscript: in a fraction's denominator (cramped, raised 0.29 em) a
 * script letter at 100 dpi blurs to the height of the main ones beside it
 * (\\partial \\sigma^{a} read \\partial \\sigma a) */
#define SP_LAY_RAISED 0.15f
/* Letters whose capital is the small one drawn larger (s S, z Z …): a
 * bottom within SP_LAY_CASE_ON em of the line's baseline stands on the
 * line; one SP_LAY_CASE_OFF or more off it is in a script (sp_lay_pick_case).
 * 0.1 and 0.15 did worse on im2latex-val images 0-1000 and as well on
 * 1000-3000 (1021.png: a subscript S measured 0.11 em low) */
#define SP_LAY_CASE_ON 0.08f
#define SP_LAY_CASE_OFF 0.1f
/* An alternative class the classifier gave this much is a chance that
 * context (size, place, neighbours) may take. */
#define SP_LAY_ALT_MIN 0.03f
#define SP_LAY_LEAD_GAP 0.25f      /* a minus this far above the glyph under it leads the glyph after it */
#define SP_LAY_PRESCRIPT_MAX 8      /* glyphs in the scripts before a line's first base, */
#define SP_LAY_PRESCRIPT_EM 0.75f   /* each of script size (em) */
#define SP_LAY_PRESCRIPT_FENCE 0.8f /* or a parenthesis this many em tall at most, */
#define SP_LAY_PRESCRIPT_UP 0.15f   /* ending this many em above the baseline */
#define SP_LAY_PRESCRIPT_DOWN 0.03f /* or this many below it */
#define SP_LAY_STAGGER_PX 1.0f   /* a script starting this close to the other's end follows it */
#define SP_LAY_STAGGER_STEP 0.2f  /* ... and this many em right of the base */
#define SP_LAY_EPS_DOUBT 0.7f   /* an e read less surely than this, */
#define SP_LAY_EPS_MIN 0.06f    /* with \\epsilon this likely, */
#define SP_LAY_EPS_NARROW 0.86f /* and at most this wide for its height, is an \\epsilon */

/* ---- vertical categories and unit kinds -------------------------------- */
enum {
    SP_VC_X = 0, /* x-height: a c e m n … α ε */
    SP_VC_A,     /* ascender / capital / digit: b d h A 0 δ */
    SP_VC_D,     /* descender: g p q y γ μ */
    SP_VC_AD,    /* both: f ( ) [ ] | β ζ ξ */
    SP_VC_CENTER,/* centred on the math axis: + = → big operators */
    SP_VC_DOT,   /* on the baseline, tiny: . \ldots */
    SP_VC_COMMA, /* hangs below the baseline: , ; */
    SP_VC_NONE   /* no estimate (composites use their own fields) */
};

enum {
    SP_LK_SYM = 0,
    SP_LK_RULE,     /* horizontal rule: fraction bar, overline, or minus */
    SP_LK_RADICAL,
    SP_LK_BIGOP,    /* \sum-like: limits above/below possible */
    SP_LK_INTEGRAL, /* \int-like: scripts at the side */
    SP_LK_ACCENT,   /* over accent */
    SP_LK_UACCENT,  /* under accent (\underbrace) */
    SP_LK_PRIME,
    SP_LK_COMP      /* a composite built from other units */
};

/* fence roles of a unit */
enum { SP_LF_NONE = 0, SP_LF_OPEN, SP_LF_CLOSE, SP_LF_EITHER };

typedef struct sp_lu {
    float x0, y0, x1, y1; /* box */
    float base;           /* baseline estimate (y) */
    float em;             /* font size estimate, 0: unknown */
    uint8_t kind, vcat, used, fence;
    uint8_t stretch;      /* a \left/\right or \big… delimiter (fence != NONE) */
    uint8_t wem;          /* em and base are rough guesses (an operator's width, a fraction's parts) */
    uint8_t picked;       /* its class was settled against a line (sp_lay_pick_alt) */
    uint8_t cased;        /* its letter case was settled against a line (sp_lay_pick_case) */
    uint8_t accented;     /* the one glyph under an accent */
    const char *latex;    /* class LaTeX (symbols), NULL for composites */
    const sp_layout_symbol *sym; /* the input symbol (its alternatives), NULL for composites */
    sp_node *node;        /* composites: their node */
} sp_lu;

typedef struct sp_lay {
    sp_tree *t;
    sp_lu *u;
    size_t nu, cap;
    double penalty; /* product of decision factors */
    int rc;         /* first error */
    scipix_error *err;
} sp_lay;

static float sp_cx(const sp_lu *u) { return 0.5f * (u->x0 + u->x1); }
static float sp_cy(const sp_lu *u) { return 0.5f * (u->y0 + u->y1); }
static float sp_w(const sp_lu *u) { return u->x1 - u->x0; }
static float sp_h(const sp_lu *u) { return u->y1 - u->y0; }
static float sp_minf(float a, float b) { return a < b ? a : b; }
static float sp_maxf(float a, float b) { return a > b ? a : b; }

static int sp_lay_fail(sp_lay *L, int rc) {
    if (!L->rc) {
        L->rc = rc;
        if (rc == SCIPIX_ENOMEM) sp_error_set(L->err, rc, "layout: out of memory");
        else sp_error_set(L->err, rc, "layout failed");
    }
    return rc;
}

/* ---- class names -------------------------------------------------------- */
static int sp_starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* Is s one of list[0 .. n)?  (NULL is none.) */
static int sp_lay_one_of(const char *s, const char *const *list, size_t n) {
    for (size_t k = 0; s && k < n; k++)
        if (!strcmp(s, list[k])) return 1;
    return 0;
}

/* "\mathbf{x}" → variant BOLD, inner "x" (copied to buf).  Returns the inner
 * name (buf or s itself). */
static const char *sp_lay_unwrap(const char *s, sp_variant *v, char *buf, size_t cap) {
    static const struct { const char *p; sp_variant v; } fonts[] = {
        {"\\mathbf{", SP_VAR_BOLD},       {"\\mathrm{", SP_VAR_UPRIGHT},      {"\\mathit{", SP_VAR_ITALIC},
        {"\\mathcal{", SP_VAR_CALLIGRAPHIC}, {"\\mathbb{", SP_VAR_BLACKBOARD}, {"\\mathfrak{", SP_VAR_FRAKTUR},
        {"\\mathsf{", SP_VAR_SANS},       {"\\mathtt{", SP_VAR_MONO},         {"\\boldsymbol{", SP_VAR_BOLD_ITALIC},
    };
    *v = SP_VAR_NONE;
    if (sp_starts(s, "\\displaystyle")) {
        s += strlen("\\displaystyle");
        while (*s == ' ') s++;
    }
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        size_t pl = strlen(fonts[i].p);
        size_t n = strlen(s);
        if (n > pl && !strncmp(s, fonts[i].p, pl) && s[n - 1] == '}' && n - pl - 1 < cap) {
            memcpy(buf, s + pl, n - pl - 1);
            buf[n - pl - 1] = 0;
            *v = fonts[i].v;
            return buf;
        }
    }
    return s;
}

sp_node *sp_layout_class_node(sp_tree *t, const char *latex) {
    if (!t || !latex || !*latex) return NULL;
    char buf[64];
    sp_variant v;
    const char *inner = sp_lay_unwrap(latex, &v, buf, sizeof buf);
    sp_node *n = sp_tree_symbol(t, inner, v);
    /* text symbols the table spells as Unicode (\o → ø) keep the command */
    if (n && !(inner[0] == '\\' && (unsigned char)n->u.sym.latex[0] >= 0x80)) return n;
    /* anything else the parser knows: \big(, \mathbb{R} … */
    sp_node *row = NULL;
    scipix_error e;
    if (!n && sp_latex_parse(t, inner, strlen(inner), NULL, &row, &e) == SCIPIX_OK && row) {
        if (row->kind == SP_NODE_ROW && row->u.row.n == 1) {
            sp_node *c = row->u.row.items[0];
            if (v != SP_VAR_NONE && c->kind == SP_NODE_SYMBOL) c->u.sym.variant = (uint8_t)v;
            return c;
        }
        if (row->kind == SP_NODE_ROW && row->u.row.n > 1) return row;
    }
    /* not in the symbol table (\varGamma, \Bbbk …): the class's own spelling */
    const char *sp = sp_tree_strdup(t, inner, strlen(inner));
    const char *tx = n ? n->u.sym.text : sp;
    if (!sp) return NULL;
    return sp_tree_symbol_raw(t, tx, sp, SP_SYM_IDENT, v, SP_ATOM_ORD, 0);
}

/* Strip \left \right \big … from a delimiter class: "\Bigg\{" → "\{". */
static const char *sp_lay_delim_name(const char *s, int *stretch) {
    static const char *const pre[] = {"\\left", "\\right", "\\Biggl", "\\Biggr", "\\biggl", "\\biggr",
                                      "\\Bigg", "\\bigg", "\\Bigl", "\\Bigr", "\\bigl", "\\bigr",
                                      "\\Big", "\\big"};
    *stretch = 0;
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
        size_t pl = strlen(pre[i]);
        if (!strncmp(s, pre[i], pl) && s[pl] && !(s[pl] >= 'a' && s[pl] <= 'z' && s[pl - 1] != '\\' && 0)) {
            /* "\bigcup" is not "\big" + "cup": a delimiter follows as a
             * non-letter or as \{ \| \langle \lfloor … */
            const char *r = s + pl;
            if ((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z')) continue;
            *stretch = 1;
            return r;
        }
    }
    return s;
}

static int sp_lay_is_delim(const char *d) {
    static const char *const ds[] = {"(", ")", "[", "]", "\\{", "\\}", "|", "\\|", "\\langle", "\\rangle",
                                     "\\lfloor", "\\rfloor", "\\lceil", "\\rceil", "/", "\\backslash"};
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
        if (!strcmp(d, ds[i])) return 1;
    return 0;
}

static int sp_lay_fence_role(const char *d) {
    if (!strcmp(d, "(") || !strcmp(d, "[") || !strcmp(d, "\\{") || !strcmp(d, "\\langle") ||
        !strcmp(d, "\\lfloor") || !strcmp(d, "\\lceil"))
        return SP_LF_OPEN;
    if (!strcmp(d, ")") || !strcmp(d, "]") || !strcmp(d, "\\}") || !strcmp(d, "\\rangle") ||
        !strcmp(d, "\\rfloor") || !strcmp(d, "\\rceil"))
        return SP_LF_CLOSE;
    if (!strcmp(d, "|") || !strcmp(d, "\\|")) return SP_LF_EITHER;
    return SP_LF_NONE;
}

/* Vertical category of a class (see the SP_VC_* list). */
static int sp_lay_vcat(const char *latex) {
    char buf[64];
    sp_variant v;
    const char *s = sp_lay_unwrap(latex, &v, buf, sizeof buf);
    if (s[0] && !s[1]) {
        char c = s[0];
        if (c >= '0' && c <= '9') return SP_VC_A;
        if (c >= 'A' && c <= 'Z') return SP_VC_A; /* Q's tail: see sp_lay_unit_init */
        if (c >= 'a' && c <= 'z') {
            if (strchr("bdhklti", c)) return SP_VC_A;
            if (c == 'f') return (v == SP_VAR_NONE || v == SP_VAR_ITALIC) ? SP_VC_AD : SP_VC_A;
            if (c == 'j') return SP_VC_AD;
            if (strchr("gpqy", c)) return SP_VC_D;
            return SP_VC_X;
        }
        if (strchr("()[]|/", c)) return SP_VC_AD;
        if (c == '.') return SP_VC_DOT;
        if (c == ',' || c == ';') return SP_VC_COMMA;
        if (c == ':') return SP_VC_X; /* two dots, x-height tall */
        if (c == '!' || c == '?' || c == '@') return SP_VC_A;
        return SP_VC_CENTER; /* + - = < > * */
    }
    static const char *const xs[] = {"\\alpha", "\\epsilon", "\\varepsilon", "\\iota", "\\kappa", "\\nu", "\\pi",
                                     "\\sigma", "\\tau", "\\upsilon", "\\omega", "\\varpi", "\\varkappa", "\\imath",
                                     "\\i", "\\o", "\\ae", "\\varsigma", "\\infty"};
    static const char *const as[] = {"\\delta", "\\theta", "\\vartheta", "\\lambda", "\\partial", "\\ell", "\\hbar",
                                     "\\hslash", "\\nabla", "\\forall", "\\exists", "\\nexists", "\\aleph", "\\beth",
                                     "\\Re", "\\Im", "\\angle", "\\triangle", "\\top", "\\perp", "\\prime",
                                     "\\sharp", "\\flat", "\\natural", "\\S", "\\P", "\\pounds", "\\O", "\\L",
                                     "\\l", "\\AA", "\\%", "\\#", "\\&", "\\$", "\\vdots", "\\mho", "\\complement",
                                     "\\Bbbk", "\\checkmark", "\\square", "\\blacksquare"};
    static const char *const ds[] = {"\\gamma", "\\eta", "\\mu", "\\rho", "\\varrho", "\\chi", "\\varphi", "\\wp",
                                     "\\jmath"};
    static const char *const ads[] = {"\\beta", "\\zeta", "\\xi", "\\phi", "\\psi", "\\|", "\\{", "\\}", "\\langle",
                                      "\\rangle", "\\lfloor", "\\rfloor", "\\lceil", "\\rceil", "\\backslash",
                                      "\\emptyset", "\\varnothing", "\\j"};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        if (!strcmp(s, xs[i])) return SP_VC_X;
    for (size_t i = 0; i < sizeof as / sizeof as[0]; i++)
        if (!strcmp(s, as[i])) return SP_VC_A;
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
        if (!strcmp(s, ds[i])) return SP_VC_D;
    for (size_t i = 0; i < sizeof ads / sizeof ads[0]; i++)
        if (!strcmp(s, ads[i])) return SP_VC_AD;
    if (s[0] == '\\' && s[1] >= 'A' && s[1] <= 'Z' && strlen(s) > 2 && !strstr(s, "arrow") && strcmp(s, "\\Leftarrow"))
        return SP_VC_A; /* \Gamma \Delta \varOmega … (arrows are axis-centred) */
    if (!strncmp(s, "\\var", 4) && s[4] >= 'A' && s[4] <= 'Z') return SP_VC_A;
    if (!strcmp(s, "\\ldots")) return SP_VC_DOT;
    return SP_VC_CENTER;
}

/* Fraction of the em that a glyph of category c spans, and where its
 * baseline lies as a fraction of the box height from the top. */
static void sp_lay_metrics(int vc, float *h_em, float *base_frac) {
    switch (vc) {
    case SP_VC_X: *h_em = 0.45f; *base_frac = 1.0f; break;
    case SP_VC_A: *h_em = 0.69f; *base_frac = 1.0f; break;
    case SP_VC_D: *h_em = 0.64f; *base_frac = 0.69f; break;
    case SP_VC_AD: *h_em = 0.97f; *base_frac = 0.74f; break;
    case SP_VC_DOT: *h_em = 0; *base_frac = 1.0f; break;
    case SP_VC_COMMA: *h_em = 0; *base_frac = 0.35f; break;
    default: *h_em = 0; *base_frac = 0; break;
    }
}

/* Axis-centred operators whose ink width is a fixed share of the em (CM:
 * + - = ± are 0.58 em wide, × 0.46, ∼ 0.64, ∗ 0.42): their width gives a rough size,
 * enough to tell a script-size "-" in x_{n-1} or e^{-i} from a main one, and
 * their centre sits on the math axis, 0.25 em above the baseline. */
static void sp_lay_operator_size(sp_lu *u) {
    /* square: as tall as wide, so blur that widens a script one sideways
     * leaves its height to tell its size (R_{+} at 100 dpi) */
    static const struct { const char *l; float w; int square; } ops[] = {
        {"+", 0.58f, 1},       {"-", 0.58f, 0},      {"=", 0.58f, 0},      {"\\pm", 0.58f, 0},
        {"\\mp", 0.58f, 0},    {"<", 0.57f, 0},      {">", 0.57f, 0},      {"\\equiv", 0.58f, 0},
        {"\\times", 0.46f, 1}, {"\\sim", 0.64f, 0},  {"\\ast", 0.42f, 0},  {"*", 0.42f, 0},
    };
    if (!u->latex) return;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(u->latex, ops[i].l)) {
            u->em = sp_w(u) / ops[i].w;
            if (ops[i].square) u->em = sp_minf(u->em, sp_h(u) / ops[i].w);
            u->base = sp_cy(u) + 0.25f * u->em;
            u->wem = 1;
            return;
        }
}

/* Fill a unit from a symbol. */
static void sp_lay_unit_init(sp_lu *u, const sp_layout_symbol *s) {
    memset(u, 0, sizeof *u);
    u->sym = s;
    u->x0 = (float)s->x;
    u->y0 = (float)s->y;
    u->x1 = (float)(s->x + (s->w > 0 ? s->w : 1));
    u->y1 = (float)(s->y + (s->h > 0 ? s->h : 1));
    u->latex = s->latex;
    const char *l = s->latex;
    u->kind = SP_LK_SYM;
    char buf[64];
    sp_variant v;
    const char *inner = sp_lay_unwrap(l, &v, buf, sizeof buf);
    if (!strcmp(l, "\\frac") || !strcmp(l, "\\overline") || !strcmp(l, "\\underline")) u->kind = SP_LK_RULE;
    else if (!strcmp(l, "-") && sp_w(u) > 1.8f * sp_h(u)) u->kind = SP_LK_RULE;
    else if (!strcmp(l, "\\sqrt")) u->kind = SP_LK_RADICAL;
    else if (!strcmp(l, "\\prime")) u->kind = SP_LK_PRIME;
    else if (!strcmp(l, "\\underbrace")) u->kind = SP_LK_UACCENT;
    else if (!strcmp(l, "\\hat") || !strcmp(l, "\\check") || !strcmp(l, "\\tilde") || !strcmp(l, "\\acute") ||
             !strcmp(l, "\\grave") || !strcmp(l, "\\dot") || !strcmp(l, "\\ddot") || !strcmp(l, "\\breve") ||
             !strcmp(l, "\\bar") || !strcmp(l, "\\vec") || !strcmp(l, "\\mathring") || !strcmp(l, "\\widehat") ||
             !strcmp(l, "\\widetilde") || !strcmp(l, "\\overrightarrow") || !strcmp(l, "\\overleftarrow") ||
             !strcmp(l, "\\overbrace"))
        u->kind = SP_LK_ACCENT;
    else if (strstr(inner, "int") && (sp_starts(inner, "\\int") || sp_starts(inner, "\\iint") ||
                                      sp_starts(inner, "\\iiint") || sp_starts(inner, "\\oint") ||
                                      !strcmp(inner, "\\smallint")))
        u->kind = SP_LK_INTEGRAL;
    else if (!strcmp(inner, "\\sum") || !strcmp(inner, "\\prod") || !strcmp(inner, "\\coprod") ||
             (sp_starts(inner, "\\big") && strlen(inner) > 5 && inner[4] >= 'a' && inner[4] <= 'z' &&
              strcmp(inner, "\\bigcirc") && !sp_starts(inner, "\\bigg") && !sp_starts(inner, "\\bigtriangle")))
        u->kind = SP_LK_BIGOP;
    int stretch = 0;
    const char *d = sp_lay_delim_name(l, &stretch);
    if (sp_lay_is_delim(d)) {
        u->fence = (uint8_t)sp_lay_fence_role(d);
        /* only \left / \right classes pair into FENCED; \big… keep their size */
        u->stretch = (uint8_t)(stretch && (sp_starts(l, "\\left") || sp_starts(l, "\\right")));
    }
    u->vcat = (uint8_t)(u->kind == SP_LK_SYM || u->kind == SP_LK_PRIME ? sp_lay_vcat(l) : SP_VC_CENTER);
    if (u->fence && stretch) u->vcat = SP_VC_CENTER; /* sized delimiters are centred on the axis */
    float hem, bf;
    sp_lay_metrics(u->vcat, &hem, &bf);
    /* Q is a capital whose tail hangs below the baseline (0.19 em in CM):
     * measured as a plain capital its baseline would sit on the tail, and
     * its subscript would seem level with it */
    if (u->kind == SP_LK_SYM && inner[0] == 'Q' && !inner[1]) hem = 0.87f, bf = 0.78f;
    /* t stops short of the ascenders (0.62 em in CM): measured as one it
     * would seem script-sized after an n ("ent" of a \mathrm word) */
    if (u->kind == SP_LK_SYM && inner[0] == 't' && !inner[1]) hem = 0.62f;
    u->em = hem > 0 ? sp_h(u) / hem : 0;
    u->base = bf > 0 ? u->y0 + bf * sp_h(u) : 0;
    if (u->kind == SP_LK_SYM && u->vcat == SP_VC_CENTER && !u->fence) sp_lay_operator_size(u);
}

/* Unit u read as `latex` instead of its class: filled again from its own
 * input symbol (box, probabilities, alternatives), which it keeps. */
static void sp_lay_reread(sp_lu *u, const char *latex) {
    const sp_layout_symbol *s = u->sym;
    sp_layout_symbol t = *s;
    t.latex = latex;
    sp_lay_unit_init(u, &t);
    u->sym = s; /* t is local */
}

/* ---- small helpers ------------------------------------------------------ */
static int sp_lay_cmp_x(const void *a, const void *b) {
    const sp_lu *ua = *(const sp_lu *const *)a, *ub = *(const sp_lu *const *)b;
    if (ua->x0 != ub->x0) return ua->x0 < ub->x0 ? -1 : 1;
    if (ua->y0 != ub->y0) return ua->y0 < ub->y0 ? -1 : 1;
    return 0;
}

static int sp_lay_cmp_f(const void *a, const void *b) {
    float fa = *(const float *)a, fb = *(const float *)b;
    return fa < fb ? -1 : fa > fb;
}

/* Whether a and b are one letter in its two cases, in the same font, and
 * drawn alike but for size (c C, o O, s S, u U, v V, w W, x X, z Z); sets
 * *cap to whether a is the capital. */
static int sp_lay_case_pair(const char *a, const char *b, int *cap) {
    char ba[64], bb[64];
    sp_variant va, vb;
    const char *ia = sp_lay_unwrap(a, &va, ba, sizeof ba), *ib = sp_lay_unwrap(b, &vb, bb, sizeof bb);
    if (va != vb || !ia[0] || ia[1] || !ib[0] || ib[1] || ia[0] == ib[0]) return 0;
    char la = (char)(ia[0] | 0x20), lb = (char)(ib[0] | 0x20);
    if (la != lb || !strchr("cosuvwxz", la)) return 0;
    *cap = ia[0] >= 'A' && ia[0] <= 'Z';
    return 1;
}

/* The unit's reading in the other case when the classifier gave it 3 % or
 * more (its probability in *p_other, whether the unit reads as the capital
 * in *cap); NULL when its case is not in question. */
static const char *sp_lay_case_alt(const sp_lu *u, int *cap, float *p_other) {
    const sp_layout_symbol *s = u->sym;
    if (!s || !u->latex || u->kind != SP_LK_SYM) return NULL;
    for (int k = 0; k < SP_LAYOUT_MAX_ALTS && s->alt[k]; k++)
        if (s->alt_prob[k] >= SP_LAY_ALT_MIN && sp_lay_case_pair(u->latex, s->alt[k], cap)) {
            *p_other = s->alt_prob[k];
            return s->alt[k];
        }
    return NULL;
}

/* Median em of the units with an estimate; 0 if none.  A delimiter counts
 * only if its estimate is at most fence_max (0: none count). */
static float sp_lay_em_of(sp_lu **items, size_t n, float fence_max, size_t *n_estimates) {
    float *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return 0;
    size_t k = 0;
    /* a letter whose case is in question (s or S) says nothing of the size
     * when three or more other units do */
    for (int pass = 0; pass < 2; pass++) {
        k = 0;
        for (size_t i = 0; i < n; i++) {
            int cap;
            float p;
            if (items[i]->em > 0 && !items[i]->wem && !(items[i]->fence && items[i]->em > fence_max) &&
                (pass || !sp_lay_case_alt(items[i], &cap, &p)))
                v[k++] = items[i]->em;
        }
        if (k >= 3) break;
    }
    if (n_estimates) *n_estimates = k;
    float r = 0;
    if (k) {
        qsort(v, k, sizeof *v, sp_lay_cmp_f);
        r = v[k / 2];
        /* the main line is the larger size: prefer the upper median */
        if (k >= 3) r = v[(k * 2) / 3];
        /* ... or a larger size that enough units share (x_{\cos …}: most
         * units are in the script, the main size is the base's) */
        size_t need = k / 8 > 1 ? k / 8 : 1;
        if (k >= 8 && need < 2) need = 2; /* one odd glyph (a tall fraktur v) is not a size */
        for (size_t i = k; i-- > (k * 2) / 3 + 1;) {
            size_t c = 0;
            for (size_t j = 0; j < k; j++) c += v[j] >= 0.85f * v[i] && v[j] <= 1.15f * v[i];
            if (c >= need) {
                r = v[i];
                break;
            }
        }
    }
    if (r <= 0) {
        /* no estimates (only operators?): from box heights */
        for (size_t i = 0; i < n; i++) v[i] = sp_h(items[i]);
        if (n) {
            qsort(v, n, sizeof *v, sp_lay_cmp_f);
            r = v[n / 2] / 0.6f;
        }
    }
    free(v);
    return r > 1 ? r : 1;
}

/* The em of a region: a delimiter counts only if its estimate is within
 * 1.5 times that of the rest.  A pair of tall brackets read as plain ones
 * (their em taken from their height) would otherwise set it to twice the
 * letters' size, and every script beside them would seem main-size
 * (R_{m}\left[…\right]: Rm). */
static float sp_lay_region_em(sp_lu **items, size_t n) {
    size_t k = 0;
    float em = sp_lay_em_of(items, n, 0, &k);
    return sp_lay_em_of(items, n, k >= 3 ? 1.5f * em : INFINITY, NULL);
}

static sp_lu *sp_lay_new_unit(sp_lay *L) {
    if (L->nu >= L->cap) {
        sp_lay_fail(L, SCIPIX_EINTERNAL);
        return NULL;
    }
    sp_lu *u = &L->u[L->nu++];
    memset(u, 0, sizeof *u);
    u->kind = SP_LK_COMP;
    u->vcat = SP_VC_NONE;
    return u;
}

static void sp_lay_box_union(sp_lu *c, sp_lu **set, size_t n, int first) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = set[i];
        if (first && i == 0) {
            c->x0 = u->x0, c->y0 = u->y0, c->x1 = u->x1, c->y1 = u->y1;
            continue;
        }
        c->x0 = sp_minf(c->x0, u->x0);
        c->y0 = sp_minf(c->y0, u->y0);
        c->x1 = sp_maxf(c->x1, u->x1);
        c->y1 = sp_maxf(c->y1, u->y1);
    }
}

/* A piece of a glyph that binarization broke off goes back into it: the
 * glyph's box grows over the piece, and the piece is gone. */
static void sp_lay_absorb(sp_lu *into, sp_lu *piece) {
    float y0 = into->y0, h = sp_h(into);
    sp_lay_box_union(into, &piece, 1, 0);
    piece->used = 1;
    /* its size and baseline follow the mended box: a slash short of its
     * broken-off tip measured a script's em, and set on the line looked
     * sunk below it (1/x read 1_{/}x) */
    if (into->kind == SP_LK_SYM && !into->wem && into->em > 0 && h > 0) {
        float grow = sp_h(into) / h;
        into->em *= grow;
        if (into->base > 0) into->base = into->y0 + (into->base - y0) * grow;
    }
}

static sp_node *sp_lay_region(sp_lay *L, sp_lu **items, size_t n, int depth, float parent_em, float *base_out);

/* Node of a unit (symbols: from their class). */
static sp_node *sp_lay_unit_node(sp_lay *L, sp_lu *u) {
    if (u->node) return u->node;
    const char *l = u->latex ? u->latex : "";
    /* a dotless i or j outside an accent is an i or j whose dot was lost
     * (a pixel or two, gone in binarization): print sets the dotless forms
     * only under accents.  Its metrics stay those of the dotless box. */
    if (!u->accented && (!strcmp(l, "\\imath") || !strcmp(l, "\\jmath"))) l = l[1] == 'i' ? "i" : "j";
    if (u->kind == SP_LK_RULE) l = "-";
    if (u->fence) {
        int st;
        const char *d = sp_lay_delim_name(l, &st);
        if (st && (sp_starts(l, "\\left") || sp_starts(l, "\\right"))) {
            /* an unpaired stretchy delimiter: as \Big-size symbol */
            char b[32];
            snprintf(b, sizeof b, "\\Big%s", d);
            sp_node *n = sp_layout_class_node(L->t, b);
            if (n) return n;
            l = d;
        }
    }
    sp_node *n = sp_layout_class_node(L->t, l);
    if (!n) n = sp_tree_symbol_raw(L->t, "?", "?", SP_SYM_OP, SP_VAR_NONE, SP_ATOM_ORD, 0);
    if (!n) sp_lay_fail(L, SCIPIX_ENOMEM);
    return n;
}

/* A row of units laid out flat (depth limit). */
static sp_node *sp_lay_flat(sp_lay *L, sp_lu **items, size_t n) {
    sp_node *row = sp_tree_row(L->t);
    if (!row) {
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    qsort(items, n, sizeof *items, sp_lay_cmp_x);
    for (size_t i = 0; i < n; i++) {
        sp_node *c = sp_lay_unit_node(L, items[i]);
        if (!c || sp_tree_row_append(L->t, row, c) != SCIPIX_OK) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            return NULL;
        }
    }
    return row;
}

/* Collect unused units of items for which keep(u) holds into out (cap n). */
typedef struct sp_lay_set {
    sp_lu **v;
    size_t n;
} sp_lay_set;

static sp_node *sp_lay_sub(sp_lay *L, sp_lay_set *s, int depth, float em, float *base) {
    if (s->n == 0) {
        sp_node *r = sp_tree_row(L->t);
        if (!r) sp_lay_fail(L, SCIPIX_ENOMEM);
        return r;
    }
    return sp_lay_region(L, s->v, s->n, depth + 1, em, base);
}

/* Grow a vertical stack starting near edge y (above: units whose bottom is
 * above y; below: whose top is below y) among candidates in [lo, hi]: a unit
 * joins when it lies within gap of the edge, or once something has joined,
 * within gap2 of what has joined so far.  With overlap, a unit must also
 * overlap self sideways: the comma set right after a fraction, centred
 * within the slack of its rule's end, is not in the denominator. */
static size_t sp_lay_stack2(sp_lu **items, size_t n, sp_lu *self, float lo, float hi, float y, int above,
                            float gap, float gap2, float tol, int overlap, sp_lu **out) {
    size_t k = 0;
    /* candidates */
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u->used || u == self) continue;
        float c = sp_cx(u);
        if (c < lo || c > hi) continue;
        if (overlap && (u->x0 >= self->x1 || u->x1 <= self->x0)) continue;
        if (above ? u->y1 > y + tol : u->y0 < y - tol) continue;
        out[k++] = u;
    }
    /* keep those connected to the edge through gaps <= gap */
    size_t m = 0;
    float edge = y;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t i = m; i < k; i++) {
            sp_lu *u = out[i];
            float d = above ? edge - u->y1 : u->y0 - edge;
            if (d <= (m ? gap2 : gap)) {
                out[i] = out[m];
                out[m++] = u;
                if (above) edge = sp_minf(edge, u->y0);
                else edge = sp_maxf(edge, u->y1);
                changed = 1;
            }
        }
    }
    return m;
}

static size_t sp_lay_stack(sp_lu **items, size_t n, sp_lu *self, float lo, float hi, float y, int above,
                           float gap, float tol, sp_lu **out) {
    return sp_lay_stack2(items, n, self, lo, hi, y, above, gap, gap, tol, 0, out);
}

/* ---- dominant symbols --------------------------------------------------- */

static const struct { const char *name; int limits; } sp_lay_funcs[] = {
    {"arcsin", 0}, {"arccos", 0}, {"arctan", 0}, {"sinh", 0}, {"cosh", 0}, {"tanh", 0}, {"coth", 0},
    {"sin", 0},    {"cos", 0},    {"tan", 0},    {"cot", 0},  {"sec", 0},  {"csc", 0},  {"log", 0},
    {"exp", 0},    {"lim", 1},    {"max", 1},    {"min", 1},  {"sup", 1},  {"inf", 1},  {"det", 1},
    {"dim", 0},    {"ker", 0},    {"deg", 0},    {"arg", 0},  {"gcd", 1},  {"ln", 0},   {"lg", 0},
    {"Pr", 1},
};

const char *sp_layout_function_name(size_t i) {
    return i < sizeof sp_lay_funcs / sizeof sp_lay_funcs[0] ? sp_lay_funcs[i].name : NULL;
}

int sp_layout_x_height_class(const char *latex) { return latex && sp_lay_vcat(latex) == SP_VC_X; }

/* One letter of a unit: 'x' and its variant, or 0. */
char sp_layout_letter(const char *latex, sp_variant *v) {
    *v = SP_VAR_NONE;
    if (!latex) return 0;
    char buf[64];
    const char *s = sp_lay_unwrap(latex, v, buf, sizeof buf);
    if (s[0] && !s[1] && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return s[0];
    return 0;
}

static char sp_lay_letter(const sp_lu *u, sp_variant *v) {
    if (u->kind != SP_LK_SYM) return 0;
    return sp_layout_letter(u->latex, v);
}

/* May unit u be the letter c of a function name?  Its class, or one of
 * the classifier's runners-up (>= 3 %), is that letter; an upright l is
 * also often read as 1 or |, which no function name contains.  *v gets
 * the variant of the reading that matched. */
static int sp_lay_reads_as(const sp_lu *u, char c, sp_variant *v) {
    if (sp_lay_letter(u, v) == c) return 1;
    if (u->kind != SP_LK_SYM || !u->latex) return 0;
    if (c == 'l' && (!strcmp(u->latex, "1") || !strcmp(u->latex, "|"))) {
        *v = SP_VAR_UPRIGHT;
        return 1;
    }
    const sp_layout_symbol *s = u->sym;
    for (int k = 0; s && k < SP_LAYOUT_MAX_ALTS && s->alt[k]; k++) {
        if (!(s->alt_prob[k] >= SP_LAY_ALT_MIN)) continue;
        if (sp_layout_letter(s->alt[k], v) == c) return 1;
    }
    return 0;
}

static void sp_lay_words(sp_lay *L, sp_lu **items, size_t n, float em) {
    qsort(items, n, sizeof *items, sp_lay_cmp_x);
    for (size_t i = 0; i < n; i++) {
        if (items[i]->used) continue;
        for (size_t f = 0; f < sizeof sp_lay_funcs / sizeof sp_lay_funcs[0]; f++) {
            const char *name = sp_lay_funcs[f].name;
            size_t len = strlen(name);
            /* the letters in x order; units that do not share the previous
             * letter's line (limits under "min" start between its letters)
             * are skipped */
            size_t at[8], nu = 0;
            int nup = 0, ok = 1;
            size_t j = i;
            for (size_t k = 0; k < len && ok; k++) {
                sp_lu *p = nu ? items[at[nu - 1]] : NULL;
                for (; j < n; j++) {
                    sp_lu *u = items[j];
                    if (!p) break;
                    float ov = sp_minf(u->y1, p->y1) - sp_maxf(u->y0, p->y0);
                    if (!u->used && ov >= 0.3f * sp_minf(sp_h(u), sp_h(p))) break;
                    if (u->x0 > p->x1 + 0.3f * em) j = n;
                }
                if (j >= n) {
                    ok = 0;
                    break;
                }
                sp_lu *u = items[j];
                sp_variant v = SP_VAR_NONE;
                /* a heavy "co" merges into one blob that reads as ∞: \\cos,
                 * \\cosh (a limit ∞ over "t" must not make a \\cot) */
                if (!u->used && !strncmp(name + k, "cos", 3) && u->latex && !strcmp(u->latex, "\\infty"))
                    k++, nup += 2; /* two upright letters */
                else if (u->used || !sp_lay_reads_as(u, name[k], &v)) ok = 0;
                else nup += v == SP_VAR_UPRIGHT;
                if (ok && p && u->x0 - p->x1 > 0.3f * em) ok = 0;
                at[nu++] = j++;
            }
            if (!ok) continue;
            /* italic letters spell no function: im2latex sources often type
             * "det" or "exp" as plain letters.  At least half the letters
             * must read upright (the classifier's font reading of one
             * blurred letter is not sure), all of a short name's */
            if (len < 3 ? nup < (int)len : 2 * nup < (int)len) continue;
            sp_lu *c = sp_lay_new_unit(L);
            if (!c) return;
            sp_lu *letters[8];
            for (size_t k = 0; k < nu; k++) letters[k] = items[at[k]];
            sp_lay_box_union(c, letters, nu, 1);
            char lat[16];
            snprintf(lat, sizeof lat, "\\%s", name);
            sp_node *node;
            const char *sl = sp_tree_strdup(L->t, lat, strlen(lat));
            const char *nm = sp_tree_strdup(L->t, name, len);
            node = (sl && nm) ? sp_tree_func(L->t, nm, sl, sp_lay_funcs[f].limits) : NULL;
            if (!node) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                return;
            }
            c->node = node;
            c->kind = sp_lay_funcs[f].limits ? SP_LK_BIGOP : SP_LK_COMP;
            c->vcat = SP_VC_A;
            c->base = letters[0]->base;
            /* baseline from the non-descending letters */
            for (size_t k = 0; k < nu; k++)
                if (letters[k]->vcat == SP_VC_A || letters[k]->vcat == SP_VC_X) c->base = letters[k]->base;
            /* size from the letters (a function word in a script is small) */
            float es = 0;
            int ne = 0;
            for (size_t k = 0; k < nu; k++)
                if (letters[k]->em > 0) es += letters[k]->em, ne++;
            c->em = ne ? es / (float)ne : em;
            for (size_t k = 0; k < nu; k++) letters[k]->used = 1;
            items[i] = c; /* the composite takes the first letter's place */
            break;
        }
    }
}

/* One word, one font: a bold letter set tight against an upright one
 * (the T of "Tr", heavy at 100 dpi) is upright when the classifier had
 * that reading among its runners-up (>= 5 %).  Bold words are left alone:
 * only a lone bold letter beside upright ones changes. */
static void sp_lay_word_fonts(sp_lu **items, size_t n, float em) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        sp_variant v, w;
        char c = u->used ? 0 : sp_lay_letter(u, &v);
        if (!c || v != SP_VAR_BOLD || !u->sym) continue;
        int upright_beside = 0, bold_beside = 0;
        for (size_t k = 0; k < n; k++) {
            sp_lu *o = items[k];
            if (o == u || o->used || !sp_lay_letter(o, &w)) continue;
            float gap = o->x0 > u->x1 ? o->x0 - u->x1 : u->x0 - o->x1;
            float ov = sp_minf(u->y1, o->y1) - sp_maxf(u->y0, o->y0);
            if (gap > 0.15f * em || ov < 0.5f * sp_minf(sp_h(u), sp_h(o))) continue;
            upright_beside |= w == SP_VAR_UPRIGHT;
            bold_beside |= w == SP_VAR_BOLD;
        }
        if (!upright_beside || bold_beside) continue;
        const sp_layout_symbol *s = u->sym;
        for (int k = 0; k < SP_LAYOUT_MAX_ALTS && s->alt[k]; k++) {
            if (!(s->alt_prob[k] >= 0.05f) || sp_layout_letter(s->alt[k], &w) != c || w != SP_VAR_UPRIGHT) continue;
            u->latex = s->alt[k];
            break;
        }
    }
}

/* Rules: fraction, overline, underline, or minus. */
/* Is u one dot of an ellipsis: a small, roughly round mark read as a dot
 * or a centred dot? */
static int sp_lay_dotlike(const sp_lu *u, float em) {
    if (u->used || u->kind != SP_LK_SYM || !u->latex) return 0;
    if (strcmp(u->latex, ".") && strcmp(u->latex, "\\cdot")) return 0;
    float w = sp_w(u), h = sp_h(u);
    return w < 0.25f * em && h < 0.25f * em && w < 2.5f * h && h < 2.5f * w;
}

/* Ellipses: three dots in a row, level and evenly spaced, are one \ldots
 * (on the baseline) or \cdots (on the axis) — the classifier sees each dot
 * alone.  Which one: the dots' height against the tops of the commas
 * beside them, else the bottoms of the letters and digits beside them
 * (those of a subscript's when the dots lie below the line's), else the
 * axis of the operators and parentheses, else the x-height tops of the
 * letters that hang below it (γ), or, with none, the classifier's
 * majority.  The
 * composite replaces the first dot; \ldots then sits on the line like a
 * period, \cdots like an operator. */
static void sp_lay_dots(sp_lay *L, sp_lu **items, size_t n, float em, sp_lu **tmp) {
    size_t nd = 0;
    for (size_t i = 0; i < n; i++)
        if (sp_lay_dotlike(items[i], em)) tmp[nd++] = items[i];
    if (nd < 3) return;
    qsort(tmp, nd, sizeof *tmp, sp_lay_cmp_x);
    for (size_t i = 0; i + 2 < nd && !L->rc; i++) {
        sp_lu *d[3] = {tmp[i], tmp[i + 1], tmp[i + 2]};
        if (d[0]->used || d[1]->used || d[2]->used) continue;
        float g1 = d[1]->x0 - d[0]->x1, g2 = d[2]->x0 - d[1]->x1;
        if (g1 < 0 || g2 < 0 || g1 > 0.5f * em || g2 > 0.5f * em) continue;
        if (fabsf(g1 - g2) > sp_maxf(1.5f, 0.35f * sp_maxf(g1, g2))) continue;
        if (fabsf(sp_cy(d[0]) - sp_cy(d[1])) > 0.08f * em || fabsf(sp_cy(d[1]) - sp_cy(d[2])) > 0.08f * em)
            continue;
        float cy = sp_cy(d[1]), x0 = d[0]->x0, x1 = d[2]->x1;
        /* nothing else in between on that level */
        int clear = 1;
        float bsum = 0, asum = 0, csum = 0, tsum = 0, ssum = 0;
        int nb = 0, na = 0, nc = 0, nt = 0, ns = 0;
        for (size_t k = 0; k < n && clear; k++) {
            sp_lu *u = items[k];
            if (u->used || u == d[0] || u == d[1] || u == d[2]) continue;
            if (u->x1 > x0 && u->x0 < x1 && u->y0 < cy && u->y1 > cy) clear = 0;
            /* glyphs within 1.5 em: letters and digits on the same line,
             * main size (the bottoms of the subscripts of "m_1 \\ldots m_n"
             * are lower), by their bottoms */
            if (u->kind != SP_LK_SYM || (fabsf(u->x1 - x0) >= 1.5f * em && fabsf(u->x0 - x1) >= 1.5f * em)) continue;
            int script = u->em > 0 && u->em < 0.8f * em;
            if ((u->vcat == SP_VC_X || u->vcat == SP_VC_A) && u->y0 < cy + 0.3f * em && u->y1 > cy - 0.6f * em) {
                if (!script) bsum += u->y1, nb++;
                else ssum += u->y1, ns++;
            }
            /* failing those, operators on the axis beside them (a + \\cdots
             * + b) or commas on the baseline (1, \\ldots, n) */
            if (((u->wem && u->vcat == SP_VC_CENTER) || (u->fence && !u->stretch && u->vcat == SP_VC_AD)) &&
                fabsf(sp_cy(u) - cy) < 0.5f * em) /* (a plain parenthesis is centred on the axis too) */
                asum += sp_cy(u), na++;
            if (u->vcat == SP_VC_COMMA && fabsf(u->y0 - cy) < 0.5f * em) csum += u->y0, nc++;
            /* or the x-height tops of the letters that hang below it (γ, p) */
            if (u->vcat == SP_VC_D && !script && fabsf(u->y0 - cy) < 0.5f * em)
                tsum += u->y0, nt++;
        }
        if (!clear) continue;
        int low, on_line = 0;
        if (nb && ns && cy > bsum / nb) {
            /* below the feet of the line's letters: dots in a subscript
             * (\\alpha_{\\mu_{1} \\cdots \\mu_{p}}), by its letters, whose em is
             * 0.7 of the line's */
            low = cy > ssum / ns - 0.13f * 0.7f * em;
        } else if (nb) {
            /* commas beside them (1, \\ldots, n) are on the dots' own line
             * and level with a low dot, where letters may be a line's main
             * glyphs around dots in its scripts */
            float b = bsum / nb;
            low = nc ? cy > csum / nc + 0.02f * em : cy > b - 0.13f * em;
            on_line = fabsf(sp_maxf(d[0]->y1, sp_maxf(d[1]->y1, d[2]->y1)) - b) < 0.08f * em;
        } else if (na) {
            /* first 6,000 im2latex-val images: \\ldots centres lay 0.11-0.32
             * em below the operators' (20 of 21), \\cdots ones within 0.06
             * (26 of 27); below a comma's top by 0.04-0.07 em and above it
             * by up to 0.13 (all 28) */
            low = cy > asum / na + 0.08f * em;
        } else if (nc) {
            low = cy > csum / nc + 0.02f * em;
        } else if (nt) {
            /* the axis lies 0.18 em under the x-height, a low dot's centre 0.38 */
            low = cy > tsum / nt + 0.28f * em;
        } else {
            int ndot = 0;
            for (int k = 0; k < 3; k++) ndot += !strcmp(d[k]->latex, ".");
            low = ndot >= 2;
        }
        /* periods typed in a row (". . .") are set at their advance width;
         * \\ldots puts a thin space after each dot.  In the first 6,000
         * im2latex-val images (Computer Modern) the dot pitch, centre to
         * centre, was at most 0.28 em for all 37 ". . ." (0.25 for 28) and at
         * least 0.33 for 73 of the 77 \\ldots; our Palatino renders of
         * \\ldots come at 0.25, hence the low cut.  The pitch, unlike the ink
         * gap, does not shrink with heavy strokes.  Only on the main line:
         * a script's dots are closer in this em */
        if (on_line && sp_cx(d[2]) - sp_cx(d[0]) < 2 * SP_LAY_PERIODS_PITCH * em) continue;
        sp_lu *c = sp_lay_new_unit(L);
        if (!c) return;
        sp_lay_box_union(c, d, 3, 1);
        c->kind = SP_LK_SYM;
        c->latex = low ? "\\ldots" : "\\cdots";
        c->vcat = low ? SP_VC_DOT : SP_VC_CENTER;
        c->base = low ? c->y1 : 0;
        d[1]->used = d[2]->used = 1;
        for (size_t k = 0; k < n; k++)
            if (items[k] == d[0]) items[k] = c;
        d[0]->used = 1;
        i += 2;
    }
}

/* Long arrows: TeX builds \\longrightarrow from a minus and a \\rightarrow
 * joined with a negative kern, and the classifier, seeing the shaft's
 * left end cut off at a thin waist or apart, reads the two (38 of the 39
 * im2latex-val formulas with one were read "- \\rightarrow").  A bar that
 * touches an arrow head on its axis (a pixel apart at most) is one long
 * arrow: the arrow takes the bar in. */
static void sp_lay_long_arrows(sp_lu **items, size_t n, float em) {
    static const char *const joins[][3] = {
        {"-", "\\rightarrow", "\\longrightarrow"},   {"\\leftarrow", "-", "\\longleftarrow"},
        {"=", "\\Rightarrow", "\\Longrightarrow"},   {"\\Leftarrow", "=", "\\Longleftarrow"},
        {"\\leftarrow", "\\rightarrow", "\\longleftrightarrow"},
        {"\\Leftarrow", "\\Rightarrow", "\\Longleftrightarrow"}};
    for (size_t i = 0; i < n; i++) {
        sp_lu *a = items[i];
        if (a->used || !a->latex || (a->kind != SP_LK_SYM && a->kind != SP_LK_RULE)) continue;
        for (size_t j = 0; j < n; j++) {
            sp_lu *b = items[j];
            if (j == i || b->used || !b->latex || (b->kind != SP_LK_SYM && b->kind != SP_LK_RULE)) continue;
            if (b->x0 > a->x1 + 1.0f || b->x0 <= a->x0 || b->x1 <= a->x1) continue; /* b touches a's right end */
            float hmax = sp_maxf(sp_h(a), sp_h(b));
            if (fabsf(sp_cy(a) - sp_cy(b)) > sp_maxf(1.0f, 0.08f * em) || hmax > 0.8f * em) continue;
            size_t k = 0, nj = sizeof joins / sizeof joins[0];
            while (k < nj && (strcmp(a->latex, joins[k][0]) || strcmp(b->latex, joins[k][1]))) k++;
            if (k == nj) continue;
            int head_right = !!strstr(b->latex, "arrow"); /* the head's unit takes the shaft in */
            sp_lu *head = head_right ? b : a, *shaft = head_right ? a : b;
            sp_lay_reread(head, joins[k][2]);
            sp_lay_absorb(head, shaft); /* the shaft is used up */
            break;
        }
    }
}

/* The letter a dot lies right on top of, or NULL.  The classifier cannot
 * tell \dot from a period (the glyph is the same), so position decides: a
 * dot just above a letter or digit, no further than a third of that
 * letter's em, over its span (the accent is skewed right on an italic), is
 * its accent.  A period sits on the baseline, beside its letter. */
static sp_lu *sp_lay_dot_base(sp_lu **items, size_t n, const sp_lu *d, float em) {
    sp_lu *best = NULL;
    float best_gap = 0;
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u == d || u->used || u->kind != SP_LK_SYM || u->fence || u->vcat > SP_VC_AD) continue;
        float e = u->em > 0 ? u->em : em;
        float gap = u->y0 - d->y1;
        if (gap < -0.03f * e || gap > 0.33f * e) continue;
        if (sp_w(d) > 0.3f * e || sp_h(d) > 0.3f * e) continue;
        float c = sp_cx(d);
        if (c < u->x0 + 0.1f * sp_w(u) || c > u->x1 + 0.12f * e) continue;
        if (!best || gap < best_gap) best = u, best_gap = gap;
    }
    if (!best) return NULL;
    /* nothing else between the dot and its letter */
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u == d || u == best || u->used) continue;
        if (u->x1 > d->x0 && u->x0 < d->x1 && u->y0 >= d->y1 - 0.5f && u->y1 <= best->y0 + 0.5f) return NULL;
    }
    return best;
}

/* Whether b could be a radical's vinculum read alone: a rule, a minus, or
 * a flat over-accent (a bar of 2 px with the radicand close under it is
 * read as \\bar, \\tilde or \\widehat as readily as a minus). */
static int sp_lay_vinculum_like(const sp_lu *b) {
    if (b->kind == SP_LK_RULE || (b->latex && !strcmp(b->latex, "-"))) return 1;
    return b->kind == SP_LK_ACCENT && b->latex && sp_w(b) >= 3.0f * sp_h(b) &&
           (!strcmp(b->latex, "\\bar") || !strcmp(b->latex, "\\tilde") || !strcmp(b->latex, "\\widetilde") ||
            !strcmp(b->latex, "\\hat") || !strcmp(b->latex, "\\widehat"));
}

/* A radical sign read alone (\\surd) with its vinculum a separate bar
 * starting at its top right is one \\sqrt: the sign's box grows over the
 * bar, and the radicals pass takes what lies under it as the body. */
static void sp_lay_surd_bars(sp_lu **items, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *r = items[i];
        if (r->used || r->kind != SP_LK_SYM || !r->latex || strcmp(r->latex, "\\surd")) continue;
        float tol = 0.15f * sp_h(r) + 1;
        for (size_t k = 0; k < n; k++) {
            sp_lu *b = items[k];
            if (b->used || b == r || !sp_lay_vinculum_like(b)) continue;
            if (b->x0 < r->x1 - 0.3f * sp_w(r) || b->x0 > r->x1 + tol || b->y1 < r->y0 - tol || b->y0 > r->y0 + tol)
                continue;
            r->kind = SP_LK_RADICAL;
            r->latex = "\\sqrt";
            r->x1 = b->x1;
            r->y0 = sp_minf(r->y0, b->y0);
            b->used = 1;
            break;
        }
    }
}

/* The nearest glyph left of u (ending at most a pixel into it) that
 * overlaps it vertically; with open, whether a "(" of u's size stands
 * within 4 em before it. */
static sp_lu *sp_lay_left_piece(sp_lu **items, size_t n, const sp_lu *u, float em, int *open) {
    sp_lu *p = NULL;
    for (size_t k = 0; k < n; k++) {
        sp_lu *c = items[k];
        if (c == u || c->used || c->kind != SP_LK_SYM || !c->latex || c->x1 > u->x0 + 1) continue;
        if (open && !strcmp(c->latex, "(") && c->x0 > u->x0 - 4.0f * em && sp_h(c) > 0.7f * sp_h(u) &&
            sp_h(c) < 1.4f * sp_h(u))
            *open = 1;
        if (c->y1 > u->y0 && c->y0 < u->y1 && (!p || c->x1 > p->x1)) p = c;
    }
    return p;
}

/* Whether p, right before the arc u, is the other arc of the same broken
 * 0: as tall as u to a pixel, no wider, touching it, and not a thin
 * vertical glyph (a 1 or an l before a broken 0 is itself). */
static int sp_lay_zero_half(const sp_lu *p, const sp_lu *u) {
    static const char *const thin[] = {"1", "l", "\\mathrm{l}", "|", "i", "j", "!", "\\prime", ",", "."};
    if (p->fence || fabsf(p->y0 - u->y0) > 1.0f || fabsf(p->y1 - u->y1) > 1.0f || sp_w(p) > sp_w(u) + 1.0f ||
        u->x0 - p->x1 > 1.0f)
        return 0;
    for (size_t k = 0; k < sizeof thin / sizeof thin[0]; k++)
        if (!strcmp(p->latex, thin[k])) return 0;
    return 1;
}

/* A subscript 0 broken by binarization: its thin top and bottom lost, its
 * left arc stuck to the letter before it (E_0, b_0, L_0 at 100 dpi), its
 * right arc left alone reads as a script-size ")" tight against that
 * letter, low on its line, with no "(" of its size before it.  It is the
 * 0 (the letter keeps the other arc: no ink comes back).  Where the left
 * arc stands alone between them (read as a 4 more often than not: \tilde
 * u_{40}), it goes back into the 0. */
static void sp_lay_broken_zeros(sp_lu **items, size_t n, float em) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u->used || u->kind != SP_LK_SYM || !u->latex || strcmp(u->latex, ")") || sp_h(u) >= 0.6f * em) continue;
        int open = 0;
        sp_lu *p = sp_lay_left_piece(items, n, u, em, &open), *half = NULL;
        if (p && sp_lay_zero_half(p, u)) half = p, p = sp_lay_left_piece(items, n, half, em, &open);
        const sp_lu *right = half ? half : u;
        if (open || !p || right->x0 - p->x1 > 1.0f || p->fence || u->y1 < p->y1 - 1.0f ||
            (p->vcat != SP_VC_A && p->vcat != SP_VC_X && p->vcat != SP_VC_D))
            continue;
        if (half) sp_lay_absorb(u, half);
        sp_lay_reread(u, "0");
    }
}

/* The right tip of a capital's top stroke (the serif of an italic T at
 * 100 dpi) broken off by binarization reads as a comma, level with the
 * capital's top and tight against it: T^{,} (22 im2latex-val formulas
 * had a superscript comma their source has none of).  It goes back into
 * the capital.  A prime rises above a capital's top; a comma of a
 * superscript stands beside a script glyph, not the capital. */
static void sp_lay_serif_pieces(sp_lu **items, size_t n, float em) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *c = items[i];
        if (c->used || c->kind != SP_LK_SYM || !c->latex || strcmp(c->latex, ",")) continue;
        for (size_t k = 0; k < n; k++) {
            sp_lu *u = items[k];
            if (u == c || u->used || u->kind != SP_LK_SYM || !u->latex || u->latex[1] || u->latex[0] < 'A' ||
                u->latex[0] > 'Z')
                continue;
            float h = sp_h(u);
            if (fabsf(c->x0 - u->x1) > 1.0f || fabsf(c->y0 - u->y0) > sp_maxf(1.5f, 0.1f * h) ||
                sp_h(c) > 0.45f * h || c->y1 > u->y0 + 0.6f * h || h < 0.5f * em)
                continue;
            sp_lay_absorb(u, c);
            break;
        }
    }
}

/* A prime drawn thin breaks across its slanted stroke: the two pieces
 * touch side by side, one set clearly lower (x^{\\prime\\prime} for x').
 * The primes of a real double prime stand level, a pixel or more apart.
 * The lower piece goes back into the other. */
static void sp_lay_prime_pieces(sp_lu **items, size_t n, float em) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *p = items[i];
        if (p->used || p->kind != SP_LK_PRIME) continue;
        for (size_t k = 0; k < n; k++) {
            sp_lu *q = items[k];
            if (q == p || q->used || q->kind != SP_LK_PRIME || q->x0 < p->x0) continue;
            if (q->x0 - p->x1 > 1.0f || q->y0 >= p->y1 || p->y0 >= q->y1 || fabsf(q->y0 - p->y0) < 0.1f * em)
                continue;
            sp_lay_absorb(p, q);
        }
    }
}

/* Relabels u as `want` when the classifier gave that class min or more
 * as an alternative, settled: not weighed by place again. */
static void sp_lay_take_alt_min(sp_lu *u, const char *want, float min) {
    const sp_layout_symbol *s = u->sym;
    for (int k = 0; s && k < SP_LAYOUT_MAX_ALTS && s->alt[k]; k++)
        if (!strcmp(s->alt[k], want) && s->alt_prob[k] >= min) {
            sp_lay_reread(u, want);
            u->picked = 1;
            return;
        }
}

/* ... when it gave that class a chance (SP_LAY_ALT_MIN). */
static void sp_lay_take_alt(sp_lu *u, const char *want) { sp_lay_take_alt_min(u, want, SP_LAY_ALT_MIN); }

/* A capital Sigma or Pi read on a glyph an em tall or more is the big
 * operator (\\sum, \\prod), when the classifier gave that a chance (3 %):
 * the capital is 0.68 em tall, a text-style \\sum 1.0 and a display one
 * 1.4, and at 100 dpi the classifier, which sees the glyph scaled to a
 * fixed size, takes the display sum for the letter (30 im2latex-val
 * formulas).  Before the big-operator pass, so that its limits attach. */
static void sp_lay_big_sigmas(sp_lu **items, size_t n, float em) {
    static const char *const letters[] = {"\\Sigma", "\\varSigma", "\\Pi", "\\varPi"};
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u->used || u->kind != SP_LK_SYM || !u->sym || sp_h(u) < em || !sp_lay_one_of(u->latex, letters, 4))
            continue;
        const char *op = sp_lay_one_of(u->latex, letters, 2) ? "sum" : "prod";
        const sp_layout_symbol *s = u->sym;
        for (int a = 0; a < SP_LAYOUT_MAX_ALTS && s->alt[a]; a++) {
            char buf[64];
            sp_variant v;
            const char *inner = sp_lay_unwrap(s->alt[a], &v, buf, sizeof buf);
            if (s->alt_prob[a] >= SP_LAY_ALT_MIN && inner[0] == '\\' && !strcmp(inner + 1, op)) {
                sp_lay_take_alt(u, s->alt[a]);
                break;
            }
        }
    }
}

/* A slash drawn thin breaks at its top: the tip, a short stroke at its top
 * right corner, reads as a prime ("x/'x_c"); or near its bottom, where the
 * foot reads as a prime or a comma before it ("t'/t_0").  The piece is put
 * back on the slash.  The rest of a slash, read without its tip, can come
 * out \big/ (its foot sits as low as a \big/'s would under a glyph that
 * short); mended, a slash no taller than an em (a \big/ is 1.2) is the
 * plain one. */
static void sp_lay_slash_tips(sp_lu **items, size_t n, float em) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *s = items[i];
        if (s->used || s->kind != SP_LK_SYM || !s->latex || (strcmp(s->latex, "/") && strcmp(s->latex, "\\big/")))
            continue;
        int mended = 0; /* sp_lay_reread restores the input box: only before the first piece */
        for (size_t k = 0; k < n; k++) {
            sp_lu *t = items[k];
            if (t->used || (t->kind != SP_LK_PRIME && !(t->latex && !strcmp(t->latex, ",")))) continue;
            if (sp_h(t) > 0.6f * sp_h(s)) continue;
            /* the tip at its top right, or the foot at its bottom left */
            int tip = t->x0 <= s->x1 + 1 && t->x0 >= s->x1 - 0.5f * sp_w(s) && t->y1 >= s->y0 - 1 && t->y0 <= s->y0 &&
                      t->y1 <= s->y0 + 0.5f * sp_h(s);
            int foot = t->x1 >= s->x0 - 1 && t->x1 <= s->x0 + 0.5f * sp_w(s) && t->y0 <= s->y1 + 1 && t->y1 >= s->y1 &&
                       t->y0 >= s->y1 - 0.5f * sp_h(s);
            if (!tip && !foot) continue;
            float h = sp_maxf(s->y1, t->y1) - sp_minf(s->y0, t->y0);
            if (!mended && strcmp(s->latex, "/") && em > 0 && h < 1.1f * em) sp_lay_reread(s, "/");
            sp_lay_absorb(s, t);
            mended = 1;
        }
    }
}

/* Dot accents: a dot on top of a letter is \dot, two level dots on top of
 * the same letter \ddot.  The dot is relabelled in place (two dots become
 * one unit spanning both); sp_lay_accents then puts it over its letter. */
static void sp_lay_dot_accents(sp_lu **items, size_t n, float em) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *d = items[i];
        if (!sp_lay_dotlike(d, em)) continue;
        sp_lu *b = sp_lay_dot_base(items, n, d, em);
        if (!b) continue;
        float e = b->em > 0 ? b->em : em;
        if (b->latex && (!strcmp(b->latex, "\\imath") || !strcmp(b->latex, "\\jmath"))) {
            /* a dotless i or j under its dot is the letter */
            b->latex = b->latex[1] == 'i' ? "i" : "j";
            b->y0 = sp_minf(b->y0, d->y0);
            b->vcat = (uint8_t)sp_lay_vcat(b->latex);
            float hem, bf;
            sp_lay_metrics(b->vcat, &hem, &bf);
            b->em = sp_h(b) / hem;
            b->base = b->y0 + bf * sp_h(b);
            d->used = 1;
            continue;
        }
        sp_lu *pair = NULL;
        for (size_t k = 0; k < n && !pair; k++) {
            sp_lu *o = items[k];
            /* near and level first: the base search is O(n) */
            if (o == d || !sp_lay_dotlike(o, em) || fabsf(sp_cy(o) - sp_cy(d)) >= 0.08f * e ||
                fabsf(sp_cx(o) - sp_cx(d)) >= 0.4f * e)
                continue;
            if (sp_lay_dot_base(items, n, o, em) == b) pair = o;
        }
        d->kind = SP_LK_ACCENT;
        d->latex = "\\dot";
        if (pair) {
            d->latex = "\\ddot";
            d->x0 = sp_minf(d->x0, pair->x0), d->x1 = sp_maxf(d->x1, pair->x1);
            d->y0 = sp_minf(d->y0, pair->y0), d->y1 = sp_maxf(d->y1, pair->y1);
            pair->used = 1;
        }
    }
}

/* A rule over glyph g is the \\bar accent rather than an \\overline: it
 * is short (under 0.8 em, no wider than the glyph by a quarter) and either
 * narrower than the glyph or set in from its left edge.  An overline
 * spans its content from the left edge; a macron is centred on the
 * glyph's accent position, skewed right on an italic.  In the first 6,000
 * im2latex-val images, of the rules over one glyph, 43 of 44 \\bar
 * started at least 0.03 em in or were under 0.8 of its width (31 by the
 * width alone), and 28 of 30 \\overline neither.  A script minus over a
 * subscript (U_{0}^{-}) is wider than the digit and further up (0.25 em
 * and more, where a \\bar sits within 0.1 at 100 dpi). */
static int sp_lay_bar_accent(const sp_lu *r, const sp_lu *g, float gap, float em) {
    float w = sp_w(r);
    return gap < 0.2f * em && w >= 0.4f * sp_w(g) && w <= 1.25f * sp_w(g) && w < 0.8f * em &&
           (w < 0.8f * sp_w(g) || r->x0 - g->x0 > 0.03f * em);
}

/* How much of an over/underline's width its content must fill.  A line
 * spans its content; one glyph under a bar that is much wider than it is
 * a subscript under a superscript minus (U_3^{-1}), not \overline{3}. */
static float sp_lay_lined(size_t n_content) { return n_content == 1 ? 0.75f : 0.5f; }

/* A rule right before a glyph, level with its middle, is a minus leading
 * it (U_{4}^{-1}: the minus of the exponent lies over the subscript 4,
 * and would read as \\overline{4}). */
static int sp_lay_rule_leads(sp_lu **items, size_t n, const sp_lu *r, float em) {
    float cy = sp_cy(r);
    /* the glyph right under the rule: an accented letter is wider than its
     * bar and larger than the superscript after it (\\bar{x}^{\\mu}); an
     * exponent's minus covers the subscript under it, and its digits are
     * the subscript's size, or it lies well above it (SP_LAY_LEAD_GAP em:
     * a \\bar sits within 0.1 em of its letter at 100 dpi, and the em of a
     * script x-height letter, T_{n}^{-1}, is a guess) */
    const sp_lu *under = NULL;
    for (size_t i = 0; i < n; i++) {
        const sp_lu *o = items[i];
        if (o == r || o->used || o->y0 < r->y1 || sp_cx(o) < r->x0 || sp_cx(o) > r->x1) continue;
        if (!under || o->y0 < under->y0) under = o;
    }
    for (size_t i = 0; i < n; i++) {
        const sp_lu *o = items[i];
        if (o == r || o->used || o->kind != SP_LK_SYM || o->fence || o->vcat > SP_VC_AD) continue;
        if (o->x0 < r->x1 - 0.05f * em || o->x0 - r->x1 > 0.2f * em) continue;
        if (under && under->y0 - r->y1 < SP_LAY_LEAD_GAP * em &&
            (sp_w(r) < 0.8f * sp_w(under) || (o->em > 0 && under->em > 0 && o->em < 0.85f * under->em)))
            continue;
        if (cy > o->y0 + 0.2f * sp_h(o) && cy < o->y1 - 0.2f * sp_h(o)) return 1;
    }
    return 0;
}

static void sp_lay_rules(sp_lay *L, sp_lu **items, size_t n, float em, int depth, sp_lu **tmp, sp_lu **tmp2) {
    for (;;) {
        sp_lu *r = NULL;
        for (size_t i = 0; i < n; i++) {
            sp_lu *u = items[i];
            if (u->used || u->kind != SP_LK_RULE) continue;
            if (!r || sp_w(u) > sp_w(r)) r = u;
        }
        if (!r || L->rc) return;
        float slack = 0.15f * em;
        /* a numerator or denominator is one line, or a stack of fractions
         * packed tight: a line 0.3 em beyond is the next row of a matrix */
        size_t na = sp_lay_stack2(items, n, r, r->x0 - slack, r->x1 + slack, r->y0, 1, 0.55f * em, 0.3f * em,
                                  0.1f * em, 1, tmp);
        size_t nb = sp_lay_stack2(items, n, r, r->x0 - slack, r->x1 + slack, r->y1, 0, 0.55f * em, 0.3f * em,
                                  0.1f * em, 1, tmp2);
        /* the first member must be near the rule */
        float ax0 = 1e30f, ax1 = -1e30f, bx0 = 1e30f, bx1 = -1e30f, agap = 1e30f, bgap = 1e30f;
        for (size_t i = 0; i < na; i++) {
            ax0 = sp_minf(ax0, tmp[i]->x0), ax1 = sp_maxf(ax1, tmp[i]->x1);
            agap = sp_minf(agap, r->y0 - tmp[i]->y1);
        }
        for (size_t i = 0; i < nb; i++) {
            bx0 = sp_minf(bx0, tmp2[i]->x0), bx1 = sp_maxf(bx1, tmp2[i]->x1);
            bgap = sp_minf(bgap, tmp2[i]->y0 - r->y1);
        }
        float w = sp_w(r), ext = 0.35f * em;
        int a_in = na && ax0 >= r->x0 - ext && ax1 <= r->x1 + ext;
        int b_in = nb && bx0 >= r->x0 - ext && bx1 <= r->x1 + ext;
        sp_lu *c = NULL;
        float cem = 0; /* an over/underlined line keeps its size for scripts decisions */
        if (!(a_in && b_in)) {
            /* an over/underline spans exactly its content: what sticks out
             * sideways (the parentheses of "(\overline{ok})") is not in it */
            size_t ka = 0, kb = 0;
            ax0 = bx0 = agap = bgap = 1e30f, ax1 = bx1 = -1e30f;
            for (size_t i = 0; i < na; i++)
                if (sp_cx(tmp[i]) >= r->x0 && sp_cx(tmp[i]) <= r->x1) {
                    tmp[ka++] = tmp[i];
                    ax0 = sp_minf(ax0, tmp[i]->x0), ax1 = sp_maxf(ax1, tmp[i]->x1);
                    agap = sp_minf(agap, r->y0 - tmp[i]->y1);
                }
            for (size_t i = 0; i < nb; i++)
                if (sp_cx(tmp2[i]) >= r->x0 && sp_cx(tmp2[i]) <= r->x1) {
                    tmp2[kb++] = tmp2[i];
                    bx0 = sp_minf(bx0, tmp2[i]->x0), bx1 = sp_maxf(bx1, tmp2[i]->x1);
                    bgap = sp_minf(bgap, tmp2[i]->y0 - r->y1);
                }
            a_in = a_in && ka;
            b_in = b_in && kb;
            na = ka, nb = kb;
        }
        int leads = sp_lay_rule_leads(items, n, r, em); /* a minus before a glyph, whatever lies over it */
        if (a_in && b_in) {
            float ba, bb;
            sp_lay_set A = {tmp, na}, B = {tmp2, nb};
            for (size_t i = 0; i < na; i++) tmp[i]->used = 1;
            for (size_t i = 0; i < nb; i++) tmp2[i]->used = 1;
            r->used = 1;
            /* sub-regions need their own arrays: copy */
            sp_lu **ca = malloc((na + nb) * sizeof *ca);
            if (!ca) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                return;
            }
            memcpy(ca, tmp, na * sizeof *ca);
            memcpy(ca + na, tmp2, nb * sizeof *ca);
            A.v = ca, B.v = ca + na;
            for (size_t i = 0; i < na + nb; i++) ca[i]->used = 0;
            sp_node *num = sp_lay_sub(L, &A, depth, em, &ba);
            sp_node *den = sp_lay_sub(L, &B, depth, em, &bb);
            for (size_t i = 0; i < na + nb; i++) ca[i]->used = 1;
            c = sp_lay_new_unit(L);
            if (c) {
                sp_lay_box_union(c, ca, na + nb, 1);
                c->x0 = sp_minf(c->x0, r->x0), c->x1 = sp_maxf(c->x1, r->x1);
                c->node = (num && den) ? sp_tree_frac(L->t, num, den, 1) : NULL;
                if (!c->node) sp_lay_fail(L, SCIPIX_ENOMEM);
                c->base = sp_cy(r) + 0.25f * em;
                /* its size: the parts are set one style smaller (text →
                 * script), so a fraction in a superscript reads as script size */
                float pem = 0;
                for (size_t i = 0; i < na + nb; i++)
                    if (!ca[i]->wem) pem = sp_maxf(pem, ca[i]->em);
                if (pem > 0) {
                    cem = sp_maxf(pem / 0.7f, 0.5f * em);
                    c->base = sp_cy(r) + 0.25f * cem;
                    c->wem = 1; /* a guess (display fractions have main-size parts): not a line's size */
                }
            }
            free(ca);
        } else if (!leads && !a_in && nb == 1 && sp_lay_bar_accent(r, tmp2[0], bgap, em)) {
            /* a short bar right over one letter: the \\bar accent; the
             * accents pass puts it on the letter */
            r->kind = SP_LK_ACCENT;
            r->latex = "\\bar";
            r->vcat = SP_VC_CENTER;
            continue;
        } else if (!leads &&
                   ((a_in && agap < 0.4f * em && w >= 0.8f * (ax1 - ax0) && ax1 - ax0 >= sp_lay_lined(na) * w) ||
                    (b_in && bgap < 0.4f * em && w >= 0.8f * (bx1 - bx0) && bx1 - bx0 >= sp_lay_lined(nb) * w))) {
            /* content only above the rule: the rule is under it (\underline);
             * only below: over it (\overline) */
            int under = a_in && agap < 0.4f * em && w >= 0.8f * (ax1 - ax0) && ax1 - ax0 >= sp_lay_lined(na) * w;
            if (!under) {
                memcpy(tmp, tmp2, nb * sizeof *tmp);
                na = nb;
            }
            c = sp_lay_new_unit(L);
            if (!c) return;
            sp_lu **ca = malloc(na * sizeof *ca);
            if (!ca) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                return;
            }
            memcpy(ca, tmp, na * sizeof *ca);
            r->used = 1;
            sp_lay_set A = {ca, na};
            float ba;
            sp_node *body = sp_lay_sub(L, &A, depth, em, &ba);
            for (size_t i = 0; i < na; i++) ca[i]->used = 1;
            sp_lay_box_union(c, ca, na, 1);
            c->y0 = sp_minf(c->y0, r->y0);
            c->y1 = sp_maxf(c->y1, r->y1);
            for (size_t i = 0; i < na; i++) cem = sp_maxf(cem, ca[i]->em);
            if (!(ba > 0)) cem = 0;
            const char *cmd = under ? "\\underline" : "\\overline";
            sp_node *bar = sp_tree_symbol(L->t, cmd, SP_VAR_NONE);
            if (!bar) bar = sp_tree_symbol_raw(L->t, under ? "_" : "\u203e", cmd, SP_SYM_OP, SP_VAR_NONE, SP_ATOM_ORD, 0);
            c->node = (body && bar) ? sp_tree_underover(L->t, body, under ? bar : NULL, under ? NULL : bar, cmd, 0)
                                    : NULL;
            if (!c->node) sp_lay_fail(L, SCIPIX_ENOMEM);
            c->base = ba;
            free(ca);
        } else {
            /* a minus sign */
            r->kind = SP_LK_SYM;
            r->latex = "-";
            r->vcat = SP_VC_CENTER;
            sp_lay_operator_size(r);
            continue;
        }
        if (!c || L->rc) return;
        c->em = cem;
        c->vcat = SP_VC_NONE;
        if (!c->base) c->base = sp_cy(c) + 0.25f * em;
        /* the composite is an item of this region from now on: swap it in
         * place of the rule */
        for (size_t i = 0; i < n; i++)
            if (items[i] == r) items[i] = c;
        (void)depth;
    }
}

static void sp_lay_radicals(sp_lay *L, sp_lu **items, size_t n, float em, int depth, sp_lu **tmp) {
    for (;;) {
        sp_lu *r = NULL;
        for (size_t i = 0; i < n; i++) {
            sp_lu *u = items[i];
            if (u->used || u->kind != SP_LK_RADICAL) continue;
            if (!r || sp_w(u) * sp_h(u) > sp_w(r) * sp_h(r)) r = u;
        }
        if (!r || L->rc) return;
        r->used = 1;
        float hook = sp_minf(0.6f * sp_h(r), 0.5f * sp_w(r));
        size_t nb = 0, ni = 0;
        sp_lu **idx = tmp + n; /* tmp has room for 2n */
        for (size_t i = 0; i < n; i++) {
            sp_lu *u = items[i];
            if (u->used) continue;
            float cx = sp_cx(u), cy = sp_cy(u);
            int inside = cx > r->x0 && cx < r->x1 && cy > r->y0 && cy < r->y1;
            /* an index is kerned over the hook: its right end inside the
             * sign (a superscript that merely ends where the sign starts,
             * g^{-24}\\sqrt{N}, is not one) */
            int index = u->x1 <= r->x0 + hook && u->x1 > r->x0 + 0.15f * hook && u->y1 <= r->y0 + 0.62f * sp_h(r) &&
                        u->y0 >= r->y0 - 0.6f * sp_h(r) && sp_h(u) < 0.6f * sp_h(r) && cx < r->x0 + hook &&
                        sp_h(u) < 0.55f * em; /* script-script size: not the "4" of a main-size 24\\sqrt{N} */
            /* a "prime" starting over the sign's hook, inside the sign,
             * is a piece of its rising stroke broken off at 100 dpi
             * (\\sqrt{\\prime 2}): the content starts after the sign */
            if (!index && inside && u->kind == SP_LK_PRIME && u->x0 <= r->x0 + hook + 0.05f * em) u->used = 1;
            else if (index) idx[ni++] = u;
            else if (inside) tmp[nb++] = u;
        }
        sp_lu **ca = malloc((nb + ni + 1) * sizeof *ca);
        if (!ca) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            return;
        }
        memcpy(ca, tmp, nb * sizeof *ca);
        memcpy(ca + nb, idx, ni * sizeof *ca);
        sp_lay_set B = {ca, nb}, I = {ca + nb, ni};
        float bb = 0, bi;
        sp_node *body = sp_lay_sub(L, &B, depth, em, &bb);
        sp_node *index = ni ? sp_lay_sub(L, &I, depth, em, &bi) : NULL;
        for (size_t i = 0; i < nb + ni; i++) ca[i]->used = 1;
        sp_lu *c = sp_lay_new_unit(L);
        if (c) {
            c->x0 = r->x0, c->y0 = r->y0, c->x1 = r->x1, c->y1 = r->y1;
            sp_lay_box_union(c, ca, nb + ni, 0);
            c->node = body ? sp_tree_radical(L->t, body, index) : NULL;
            if (!c->node) sp_lay_fail(L, SCIPIX_ENOMEM);
            c->base = nb && bb > 0 ? bb : r->y1 - 0.1f * sp_h(r);
            for (size_t i = 0; i < n; i++)
                if (items[i] == r) items[i] = c;
        }
        free(ca);
        if (!c || L->rc) return;
    }
}

/* Big operators (and lim-like words) with limits above / below. */
static void sp_lay_bigops(sp_lay *L, sp_lu **items, size_t n, float em, int depth, sp_lu **tmp, sp_lu **tmp2) {
    for (size_t i = 0; i < n && !L->rc; i++) {
        sp_lu *o = items[i];
        if (o->used || o->kind != SP_LK_BIGOP) continue;
        float slack = 0.1f * em;
        /* the region's em may come from script-size limits: measure gaps
         * against the operator's own height too */
        float lg = sp_maxf(0.35f * em, 0.3f * sp_h(o));
        size_t na = sp_lay_stack(items, n, o, o->x0 - slack, o->x1 + slack, o->y0, 1, lg, 0.05f * em, tmp);
        size_t nb = sp_lay_stack(items, n, o, o->x0 - slack, o->x1 + slack, o->y1, 0, lg, 0.05f * em, tmp2);
        float agap = 1e30f, bgap = 1e30f;
        for (size_t k = 0; k < na; k++) agap = sp_minf(agap, o->y0 - tmp[k]->y1);
        for (size_t k = 0; k < nb; k++) bgap = sp_minf(bgap, tmp2[k]->y0 - o->y1);
        if (agap > lg) na = 0;
        if (bgap > lg) nb = 0;
        if (!na && !nb) continue;
        /* widen each band sideways: units in the band's vertical range that
         * touch it horizontally (i = 1 under Σ is wider than Σ) */
        for (int pass = 0; pass < 2; pass++) {
            sp_lu **s = pass ? tmp2 : tmp;
            size_t *ns = pass ? &nb : &na;
            if (!*ns) continue;
            float y0 = 1e30f, y1 = -1e30f, x0 = 1e30f, x1 = -1e30f;
            for (size_t k = 0; k < *ns; k++) {
                y0 = sp_minf(y0, s[k]->y0), y1 = sp_maxf(y1, s[k]->y1);
                x0 = sp_minf(x0, s[k]->x0), x1 = sp_maxf(x1, s[k]->x1);
            }
            int grown = 1;
            while (grown) {
                grown = 0;
                for (size_t j = 0; j < n; j++) {
                    sp_lu *u = items[j];
                    if (u->used || u == o) continue;
                    int in = 0;
                    for (size_t k = 0; k < *ns; k++) in |= s[k] == u;
                    if (in) continue;
                    if (pass ? u->y0 < o->y1 - 0.05f * em : u->y1 > o->y0 + 0.05f * em) continue;
                    if (sp_cy(u) < y0 || sp_cy(u) > y1) continue;
                    if (u->x0 > x1 + 0.3f * em || u->x1 < x0 - 0.3f * em) continue;
                    s[(*ns)++] = u;
                    x0 = sp_minf(x0, u->x0), x1 = sp_maxf(x1, u->x1);
                    grown = 1;
                }
            }
        }
        sp_lu **ca = malloc((na + nb + 1) * sizeof *ca);
        if (!ca) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            return;
        }
        memcpy(ca, tmp, na * sizeof *ca);
        memcpy(ca + na, tmp2, nb * sizeof *ca);
        for (size_t k = 0; k < na + nb; k++) ca[k]->used = 1;
        o->used = 1;
        for (size_t k = 0; k < na + nb; k++) ca[k]->used = 0;
        sp_lay_set A = {ca, na}, B = {ca + na, nb};
        float b1, b2;
        /* mark the other band used while laying out one (so that neither grabs the other) */
        for (size_t k = 0; k < nb; k++) ca[na + k]->used = 1;
        sp_node *sup = na ? sp_lay_sub(L, &A, depth, em, &b1) : NULL;
        for (size_t k = 0; k < nb; k++) ca[na + k]->used = 0;
        for (size_t k = 0; k < na; k++) ca[k]->used = 1;
        sp_node *sub = nb ? sp_lay_sub(L, &B, depth, em, &b2) : NULL;
        for (size_t k = 0; k < na + nb; k++) ca[k]->used = 1;
        sp_node *base = sp_lay_unit_node(L, o);
        sp_lu *c = sp_lay_new_unit(L);
        if (c) {
            c->x0 = o->x0, c->y0 = o->y0, c->x1 = o->x1, c->y1 = o->y1;
            sp_lay_box_union(c, ca, na + nb, 0);
            c->node = base && !L->rc ? sp_tree_scripts(L->t, base, sub, sup, SP_LIMITS_AUTO) : NULL;
            if (!c->node) sp_lay_fail(L, SCIPIX_ENOMEM);
            c->base = o->latex ? sp_cy(o) + 0.25f * em : o->base;
            c->kind = SP_LK_COMP;
            /* keep a handle on the operator's box for scripts decisions */
            items[i] = c;
        }
        free(ca);
    }
}

/* Of the units stacked under an accent, those it is over: never a
 * punctuation mark, a delimiter only when alone, not the smaller units
 * beside a main-size one (the subscript of \bar{t}_{a}), and each must lie
 * mostly under the accent's span.  Compacts s; returns the new count. */
static size_t sp_lay_accent_body(const sp_lu *a, sp_lu **s, size_t n, float em) {
    if (n < 2) return n;
    float mx = 0;
    int plain = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s[i]->wem && s[i]->em > mx) mx = s[i]->em;
        plain |= !s[i]->fence && s[i]->vcat != SP_VC_DOT && s[i]->vcat != SP_VC_COMMA;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = s[i];
        if (u->kind == SP_LK_SYM && (u->vcat == SP_VC_DOT || u->vcat == SP_VC_COMMA)) continue;
        if (plain && u->fence && u->kind == SP_LK_SYM) continue;
        if (u->em > 0 && !u->wem && u->em < 0.8f * mx) continue;
        float ov = sp_minf(u->x1, a->x1 + 0.05f * em) - sp_maxf(u->x0, a->x0 - 0.05f * em);
        if (ov < 0.4f * sp_w(u)) continue;
        s[k++] = u;
    }
    return k ? k : n;
}

/* An accent with nothing under it (over it, for \\underbrace) is a
 * misread glyph: a small arrow in a limit read as \\vec, a dash as \\bar.
 * Relabel it with the classifier's best alternative that is not an accent;
 * 0 when there is none (it then stays an accent over an empty group). */
static int sp_lay_accent_fallback(sp_lu *a) {
    const sp_layout_symbol *s = a->sym;
    if (!s) return 0;
    for (int k = 0; k < SP_LAYOUT_MAX_ALTS && s->alt[k]; k++) {
        if (!s->alt[k][0] || !(s->alt_prob[k] >= SP_LAY_ALT_MIN)) continue;
        sp_layout_symbol t = *s;
        t.latex = s->alt[k];
        sp_lu c;
        sp_lay_unit_init(&c, &t);
        if (c.kind == SP_LK_ACCENT || c.kind == SP_LK_UACCENT) continue;
        sp_lay_reread(a, s->alt[k]);
        if (a->kind == SP_LK_RULE) {
            /* the rules pass is over: a bar over nothing is a minus (Q_{-}) */
            a->kind = SP_LK_SYM;
            a->latex = "-";
            a->vcat = SP_VC_CENTER;
            sp_lay_operator_size(a);
        }
        a->picked = 1;
        return 1;
    }
    return 0;
}

static void sp_lay_accents(sp_lay *L, sp_lu **items, size_t n, float em, int depth, sp_lu **tmp) {
    for (size_t i = 0; i < n && !L->rc; i++) {
        sp_lu *a = items[i];
        if (a->used || (a->kind != SP_LK_ACCENT && a->kind != SP_LK_UACCENT)) continue;
        int under = a->kind == SP_LK_UACCENT;
        float slack = 0.25f * em;
        size_t nb = sp_lay_stack(items, n, a, a->x0 - slack, a->x1 + slack, under ? a->y0 : a->y1, under,
                                 0.3f * em, 0.15f * em, tmp);
        nb = sp_lay_accent_body(a, tmp, nb, em);
        if (nb == 0 && sp_lay_accent_fallback(a)) continue; /* an accent over nothing is something else */
        /* an accent hugs one line: drop stacked members further than one line away */
        sp_lu **ca = malloc((nb ? nb : 1) * sizeof *ca);
        if (!ca) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            return;
        }
        memcpy(ca, tmp, nb * sizeof *ca);
        a->used = 1;
        if (nb == 1) ca[0]->accented = 1;
        sp_lay_set B = {ca, nb};
        float bb = 0;
        sp_node *body = sp_lay_sub(L, &B, depth, em, &bb);
        for (size_t k = 0; k < nb; k++) ca[k]->used = 1;
        const char *cmd = a->latex;
        /* a \bar over several symbols is an \overline */
        if (!strcmp(cmd, "\\bar") && body && body->kind == SP_NODE_ROW && body->u.row.n > 1) cmd = "\\overline";
        /* ... a hat or tilde over several symbols, or wider than the
         * accent glyph (0.3 em of ink; the smallest wide one is 0.45) is
         * the wide one */
        int several = body && body->kind == SP_NODE_ROW && body->u.row.n > 2;
        if (!strcmp(cmd, "\\hat") && (several || sp_w(a) >= 0.40f * em)) cmd = "\\widehat";
        if (!strcmp(cmd, "\\tilde") && (several || sp_w(a) >= 0.43f * em)) cmd = "\\widetilde";
        sp_node *acc = sp_tree_symbol_raw(L->t, "^", cmd, SP_SYM_OP, SP_VAR_NONE, SP_ATOM_ORD, 0);
        sp_lu *c = sp_lay_new_unit(L);
        if (c) {
            c->x0 = a->x0, c->y0 = a->y0, c->x1 = a->x1, c->y1 = a->y1;
            sp_lay_box_union(c, ca, nb, 0);
            c->node = (body && acc) ? sp_tree_underover(L->t, body, under ? acc : NULL, under ? NULL : acc, cmd, 1)
                                    : NULL;
            if (!c->node) sp_lay_fail(L, SCIPIX_ENOMEM);
            c->base = bb > 0 ? bb : sp_cy(c) + 0.25f * em;
            /* an accented single letter keeps the letter's metrics for scripts */
            if (nb == 1 && ca[0]->em > 0) {
                c->em = ca[0]->em;
                c->base = ca[0]->base;
                c->vcat = ca[0]->vcat;
            }
            items[i] = c;
        }
        free(ca);
    }
}

/* Lines of a set of units by vertical overlap; returns the count and sets
 * line[i] for each unit.  Units sorted by y0 inside. */
static size_t sp_lay_lines(sp_lu **s, size_t n, float em, float gap, int *line, float *tops, float *bots,
                           size_t maxl) {
    /* simple interval merge on vertical extents (sorted by y0) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && s[j]->y0 < s[j - 1]->y0; j--) {
            sp_lu *t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    size_t nl = 0;
    float bot = -1e30f;
    for (size_t i = 0; i < n; i++) {
        /* a new line starts when this unit clears the current one */
        if (nl == 0 || s[i]->y0 > bot + gap * em) {
            if (nl >= maxl) return 0;
            tops[nl] = s[i]->y0;
            bots[nl] = s[i]->y1;
            nl++;
        }
        line[i] = (int)nl - 1;
        bot = sp_maxf(bot, s[i]->y1);
        bots[nl - 1] = sp_maxf(bots[nl - 1], s[i]->y1);
    }
    return nl;
}

#define SP_LAY_MAX_LINES 64
#define SP_LAY_MAX_COLS 64

/* How cells stacked in a column (or the lines of a formula) are aligned,
 * 'l', 'c' or 'r': the alignment whose edge (left, centre, right) spreads
 * least over the cells' ink extents x0[i]..x1[i].  Cells of one width fit
 * all three and are centred, the common spelling; so are fewer than two. */
static char sp_lay_align(const float *x0, const float *x1, size_t n, float em) {
    if (n < 2) return 'c';
    float l0 = 1e30f, l1 = -1e30f, c0 = 1e30f, c1 = -1e30f, r0 = 1e30f, r1 = -1e30f;
    for (size_t i = 0; i < n; i++) {
        float c = 0.5f * (x0[i] + x1[i]);
        l0 = sp_minf(l0, x0[i]), l1 = sp_maxf(l1, x0[i]);
        c0 = sp_minf(c0, c), c1 = sp_maxf(c1, c);
        r0 = sp_minf(r0, x1[i]), r1 = sp_maxf(r1, x1[i]);
    }
    float sl = l1 - l0, sc = c1 - c0, sr = r1 - r0;
    if (sc <= sp_minf(sl, sr) + SP_LAY_ALIGN_SLACK * em) return 'c';
    return sl <= sr ? 'l' : 'r';
}

/* Cells of a table: lines × columns (columns: gaps in the x projection). */
static sp_node *sp_lay_table(sp_lay *L, sp_lu **s, size_t n, float em, int depth, const char *env,
                             const char *colspec) {
    int *line = malloc((n ? n : 1) * sizeof *line);
    float tops[SP_LAY_MAX_LINES], bots[SP_LAY_MAX_LINES];
    if (!line) {
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    size_t nl = sp_lay_lines(s, n, em, -0.05f, line, tops, bots, SP_LAY_MAX_LINES);
    /* column intervals from the x projection */
    sp_lu **byx = malloc((n ? n : 1) * sizeof *byx);
    float cx0[SP_LAY_MAX_COLS], cx1[SP_LAY_MAX_COLS];
    size_t nc = 0;
    if (!byx) {
        free(line);
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    memcpy(byx, s, n * sizeof *byx);
    qsort(byx, n, sizeof *byx, sp_lay_cmp_x);
    for (size_t i = 0; i < n; i++) {
        if (nc && byx[i]->x0 < cx1[nc - 1] + 0.6f * em) cx1[nc - 1] = sp_maxf(cx1[nc - 1], byx[i]->x1);
        else if (nc < SP_LAY_MAX_COLS) {
            cx0[nc] = byx[i]->x0;
            cx1[nc] = byx[i]->x1;
            nc++;
        } else cx1[nc - 1] = sp_maxf(cx1[nc - 1], byx[i]->x1);
    }
    free(byx);
    sp_node *rows = sp_tree_row(L->t);
    sp_lu **cell = malloc((n ? n : 1) * sizeof *cell);
    /* the ink extents of each column's filled cells, for its alignment */
    float *fill0 = malloc(2 * SP_LAY_MAX_COLS * SP_LAY_MAX_LINES * sizeof *fill0);
    float *fill1 = fill0 ? fill0 + SP_LAY_MAX_COLS * SP_LAY_MAX_LINES : NULL;
    size_t n_filled[SP_LAY_MAX_COLS] = {0};
    if (!rows || !cell || !fill0) {
        free(line);
        free(cell);
        free(fill0);
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    for (size_t li = 0; li < nl && !L->rc; li++) {
        sp_node *r = sp_tree_row(L->t);
        if (!r || sp_tree_row_append(L->t, rows, r)) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            break;
        }
        for (size_t ci = 0; ci < nc && !L->rc; ci++) {
            size_t k = 0;
            float e0 = 1e30f, e1 = -1e30f;
            for (size_t i = 0; i < n; i++) {
                float c = sp_cx(s[i]);
                if (line[i] == (int)li && c >= cx0[ci] && c <= cx1[ci]) {
                    cell[k++] = s[i];
                    e0 = sp_minf(e0, s[i]->x0), e1 = sp_maxf(e1, s[i]->x1);
                }
            }
            if (k) {
                size_t m = n_filled[ci]++;
                fill0[ci * SP_LAY_MAX_LINES + m] = e0, fill1[ci * SP_LAY_MAX_LINES + m] = e1;
            }
            sp_lay_set C = {cell, k};
            float b;
            sp_node *cn = sp_lay_sub(L, &C, depth, em, &b);
            if (!cn || sp_tree_row_append(L->t, r, cn)) sp_lay_fail(L, SCIPIX_ENOMEM);
        }
    }
    free(line);
    free(cell);
    /* an array says how each column is aligned (a matrix centres them all,
     * cases sets them flush left) */
    char spec[SP_LAY_MAX_COLS + 1];
    if (!colspec && !strcmp(env, "array")) {
        for (size_t ci = 0; ci < nc; ci++)
            spec[ci] = sp_lay_align(fill0 + ci * SP_LAY_MAX_LINES, fill1 + ci * SP_LAY_MAX_LINES, n_filled[ci], em);
        spec[nc] = 0;
        colspec = sp_tree_strdup(L->t, spec, nc);
        if (!colspec) sp_lay_fail(L, SCIPIX_ENOMEM);
    }
    free(fill0);
    if (L->rc) return NULL;
    sp_node *tb = sp_tree_table(L->t, env, colspec, rows);
    if (!tb) sp_lay_fail(L, SCIPIX_ENOMEM);
    return tb;
}

/* Tall delimiter pairs around two or more lines → matrix / array / cases. */
static void sp_lay_matrices(sp_lay *L, sp_lu **items, size_t n, float em, int depth, sp_lu **tmp) {
    qsort(items, n, sizeof *items, sp_lay_cmp_x);
    for (size_t i = 0; i < n && !L->rc; i++) {
        sp_lu *o = items[i];
        if (o->used || o->kind != SP_LK_SYM || (o->fence != SP_LF_OPEN && o->fence != SP_LF_EITHER)) continue;
        if (sp_h(o) < 1.4f * em) continue;
        sp_lu *cl = NULL;
        size_t ci = n;
        for (size_t j = i + 1; j < n; j++) {
            sp_lu *u = items[j];
            if (u->used || u->kind != SP_LK_SYM || !u->fence || u->fence == SP_LF_OPEN) continue;
            if (o->fence == SP_LF_EITHER && u->fence != SP_LF_EITHER) continue;
            float ov = sp_minf(u->y1, o->y1) - sp_maxf(u->y0, o->y0);
            if (ov < 0.7f * sp_h(o) || sp_h(u) < 0.7f * sp_h(o) || sp_h(u) > 1.4f * sp_h(o)) continue;
            cl = u;
            ci = j;
            break;
        }
        size_t k = 0;
        for (size_t j = i + 1; j < (cl ? ci : n); j++) {
            sp_lu *u = items[j];
            if (u->used) continue;
            float cy = sp_cy(u);
            if (cy < o->y0 || cy > o->y1) continue;
            tmp[k++] = u;
        }
        if (!cl && (strcmp(sp_lay_delim_name(o->latex, &(int){0}), "\\{") != 0)) continue;
        if (!cl && k > 1) {
            /* cases: a final comma or period level with the brace's middle
             * (between the rows) punctuates the whole formula, not a cell */
            size_t r = 0;
            for (size_t j = 1; j < k; j++)
                if (tmp[j]->x0 > tmp[r]->x0) r = j;
            sp_lu *p = tmp[r];
            float mid = sp_cy(o);
            if (p->kind == SP_LK_SYM && (p->vcat == SP_VC_COMMA || p->vcat == SP_VC_DOT) &&
                fabsf(sp_cy(p) - mid) < 0.15f * sp_h(o))
                tmp[r] = tmp[--k];
        }
        int *ln = malloc((k ? k : 1) * sizeof *ln);
        float tops[SP_LAY_MAX_LINES], bots[SP_LAY_MAX_LINES];
        if (!ln) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            return;
        }
        sp_lu **ca = malloc((k ? k : 1) * sizeof *ca);
        if (!ca) {
            free(ln);
            sp_lay_fail(L, SCIPIX_ENOMEM);
            return;
        }
        memcpy(ca, tmp, k * sizeof *ca);
        size_t nl = k ? sp_lay_lines(ca, k, em, -0.05f, ln, tops, bots, SP_LAY_MAX_LINES) : 0;
        free(ln);
        if (nl < 2) {
            free(ca);
            continue;
        }
        int st;
        const char *od = sp_lay_delim_name(o->latex, &st);
        const char *cd = cl ? sp_lay_delim_name(cl->latex, &st) : ".";
        o->used = 1;
        if (cl) cl->used = 1;
        /* array or matrix: an array keeps \\arraycolsep (half an em) inside
         * its delimiters, a matrix trims it.  On our renders of matrix the
         * narrower inner gap was under 0.3 em in 211 of 214; in the first
         * 4,000 im2latex-val images, where array is the common spelling, 45
         * of 46 arrays had it over 0.38 em.  An open brace with no partner
         * is a cases environment (its own brace, set tight against the
         * rows), or, with that gap after it, \\left\\{ around an array */
        float lx = 1e30f, rx = -1e30f;
        for (size_t j = 0; j < k; j++) lx = sp_minf(lx, ca[j]->x0), rx = sp_maxf(rx, ca[j]->x1);
        float inner = cl ? sp_minf(lx - o->x1, cl->x0 - rx) : lx - o->x1;
        const char *env = inner >= SP_LAY_ARRAY_EDGE * em ? "array" : cl ? "matrix" : "cases";
        int cases = !strcmp(env, "cases");
        sp_node *tb = sp_lay_table(L, ca, k, em, depth, env, NULL);
        for (size_t j = 0; j < k; j++) ca[j]->used = 1;
        sp_node *f = tb && cases ? tb : tb ? sp_tree_fenced(L->t, od, cd, tb) : NULL;
        if (tb && !f) f = sp_tree_fenced(L->t, ".", ".", tb);
        sp_lu *c = sp_lay_new_unit(L);
        if (c) {
            c->x0 = o->x0, c->y0 = o->y0, c->x1 = cl ? cl->x1 : o->x1, c->y1 = o->y1;
            sp_lay_box_union(c, ca, k, 0);
            c->node = f;
            if (!f) sp_lay_fail(L, SCIPIX_ENOMEM);
            c->base = sp_cy(o) + 0.25f * em;
            items[i] = c;
        }
        free(ca);
    }
}

/* The delimiter that fence items[i] pairs with on its line, by nesting
 * (items sorted by x; | pairs with the next |), if it is as tall and at
 * the same height; NULL if none.  A lone tall ")" is more often a misread
 * piece of something than half of a \\left…\\right. */
static sp_lu *sp_lay_fence_partner(sp_lu **items, size_t n, size_t i) {
    const sp_lu *u = items[i];
    int dir = u->fence == SP_LF_CLOSE ? -1 : 1, depth = 0;
    sp_lu *o = NULL;
    for (size_t k = i; (dir > 0 ? k + 1 < n : k > 0) && !o;) {
        k = dir > 0 ? k + 1 : k - 1;
        sp_lu *c = items[k];
        if (c->kind != SP_LK_SYM || !c->fence) continue;
        if (u->fence == SP_LF_EITHER) {
            if (c->fence == SP_LF_EITHER) o = c;
        } else if (c->fence == u->fence) depth++;
        else if (c->fence != SP_LF_EITHER && depth-- == 0) o = c;
    }
    if (o && fabsf(sp_h(o) - sp_h(u)) <= 0.15f * sp_h(u) && fabsf(sp_cy(o) - sp_cy(u)) <= 0.15f * sp_h(u)) return o;
    return NULL;
}

/* ---- the baseline pass -------------------------------------------------- */
enum { SP_REL_SAME = 0, SP_REL_SUP, SP_REL_SUB };

/* Where u sits relative to the line (baseline B, em E) of base b. */
static int sp_lay_relation(sp_lay *L, float B, float E, const sp_lu *b, const sp_lu *u) {
    /* x'' : the second prime follows the first on its line, not above it */
    if (u->kind == SP_LK_PRIME) return b->kind == SP_LK_PRIME ? SP_REL_SAME : SP_REL_SUP;
    /* a binary operator or relation takes no fraction, radical or other
     * composite as a script: "- \frac{1}{8}" is a minus and a fraction */
    if (b->kind == SP_LK_SYM && b->wem && b->vcat == SP_VC_CENTER && u->kind == SP_LK_COMP) return SP_REL_SAME;
    float margin;
    int rel = SP_REL_SAME;
    if (u->kind == SP_LK_SYM && (u->vcat == SP_VC_DOT || u->vcat == SP_VC_COMMA) && u->base > 0) {
        /* punctuation: by where its baseline is, whatever the base's size
         * (a comma after x or after a tall \right) is on the line) */
        float d = (B - u->base) / E;
        if (d > 0.3f) rel = SP_REL_SUP;
        else if (d < -0.1f) rel = SP_REL_SUB;
        margin = sp_minf(fabsf(d - 0.3f), fabsf(d + 0.1f));
        if (margin < 0.05f) L->penalty *= 0.6 + 0.4 * (margin / 0.05f);
        return rel;
    }
    int tall_base = sp_h(b) > 1.5f * E && b->kind != SP_LK_RULE;
    if (tall_base && (u->em <= 0 || u->em < 0.85f * E)) {
        /* big delimiters, integrals, fractions: scripts hang at their corners */
        float mid = sp_cy(b);
        float hb = sp_h(b);
        if (u->y1 < mid - 0.1f * hb && u->y1 < B - 0.2f * E) rel = SP_REL_SUP;
        else if (u->y0 > mid + 0.05f * hb && u->y0 > B - 0.45f * E) rel = SP_REL_SUB;
        margin = 0.2f;
    } else if (u->em <= 0 || u->base <= 0) {
        float A = B - 0.25f * E, c = sp_cy(u);
        float off = (A - c) / E;
        /* a script asterisk centres 0.27 em above the axis at 100 dpi, a
         * main one 0.2; a dagger on the line is centred on the axis, one
         * in a superscript 0.2-0.4 em above it */
        int dagger = u->latex && (!strcmp(u->latex, "\\dagger") || !strcmp(u->latex, "\\ddagger"));
        float sup_at = dagger ? 0.12f : 0.22f;
        if (off > sup_at && u->y1 < B - 0.1f * E) rel = SP_REL_SUP;
        else if (off < -0.28f && u->y0 > B - 0.6f * E) rel = SP_REL_SUB;
        margin = sp_minf(fabsf(off - sup_at), fabsf(off + 0.28f));
    } else {
        float r = u->em / E, d = (B - u->base) / E;
        float off = (sp_cy(u) - (B - 0.25f * E)) / E; /* below the axis, em */
        if (u->wem && u->kind == SP_LK_SYM && r < 0.95f && !(b->kind == SP_LK_SYM && b->wem) && (off > 0.12f || off < -0.17f)) {
            /* an operator sized from its width (a script + is 8 px wide
             * where a main one is 10): where its centre lies says more.  A
             * main-size one is centred on the axis; a subscript one near
             * the baseline (J_{+}), a superscript one half an em above */
            rel = off > 0 ? SP_REL_SUB : SP_REL_SUP;
            margin = off > 0 ? off - 0.12f : -0.17f - off;
        } else if (r < (u->wem ? 0.8f : 0.88f)) {
            /* clearly script size (< 0.75): nothing that small sits on the
             * line, so only a baseline at or above the line's keeps it there
             * (well above, SP_LAY_TINY_SUB, for one smaller still) */
            int tiny = !u->wem && r < SP_LAY_TINY && (b->em <= 0 || b->wem || u->em < SP_LAY_TINY * b->em);
            float sub = tiny ? SP_LAY_TINY_SUB : !u->wem && r < 0.75f ? 0.0f : -0.07f;
            if (d > 0.17f) rel = SP_REL_SUP;
            else if (d < sub) rel = SP_REL_SUB;
            margin = sp_minf(fabsf(d - 0.17f), fabsf(d - sub));
        } else {
            if (d > 0.4f) rel = SP_REL_SUP;
            else if (d < -0.3f) rel = SP_REL_SUB;
            margin = sp_minf(fabsf(d - 0.4f), fabsf(d + 0.3f));
            if (rel == SP_REL_SAME && u->kind == SP_LK_SYM && (u->vcat == SP_VC_X || u->vcat == SP_VC_A)) {
                float hem, bf;
                sp_lay_metrics(u->vcat, &hem, &bf);
                float top = (u->y0 - (B - hem * E)) / E; /* how far below a main glyph's top */
                if ((d < -SP_LAY_SUNK && top > SP_LAY_SUNK) ||
                    (d < -SP_LAY_SUNK_SMALL && top > SP_LAY_SUNK_TOP && r < SP_LAY_SUNK_SIZE))
                    rel = SP_REL_SUB, margin = 0.05f;
                else if (d > SP_LAY_RAISED && -top > SP_LAY_RAISED) rel = SP_REL_SUP, margin = 0.05f;
            }
            /* an operator sized from its width (a script minus is barely
             * narrower than a main one) that lies wholly above the base's
             * x-height, or wholly below its baseline, is in a script */
            if (u->wem && rel == SP_REL_SAME && b->kind == SP_LK_SYM && !b->wem) {
                if (u->y1 < B - 0.45f * E) rel = SP_REL_SUP, margin = 0.05f;
                else if (u->y0 > B + 0.05f * E) rel = SP_REL_SUB, margin = 0.05f;
                /* or centred far off the axis, however wide blur made it */
                else if (u->kind == SP_LK_SYM && off < -SP_LAY_OFF_AXIS) rel = SP_REL_SUP, margin = 0.05f;
                else if (u->kind == SP_LK_SYM && off > SP_LAY_OFF_AXIS) rel = SP_REL_SUB, margin = 0.05f;
            }
        }
    }
    /* nothing whose bottom reaches the baseline is a superscript: the j
     * of a_{ij} whose tail blurred away reads as a small ascender set high */
    if (rel == SP_REL_SUP && u->kind == SP_LK_SYM && u->y1 > B - 0.05f * E) rel = SP_REL_SAME;
    if (margin < 0.1f) L->penalty *= 0.6 + 0.4 * (margin / 0.1f);
    return rel;
}

typedef struct sp_lay_item {
    sp_lu *u;
    sp_node *node; /* with scripts attached */
    sp_node *sub, *sup;
    float x1;      /* right edge with the scripts */
    float sup_base; /* the baseline (y) of a superscript of plain glyphs, else 0 */
    int stagger;    /* the scripts one after the other: 1 superscript first, -1 subscript first */
} sp_lay_item;

/* Can u carry tensor indices: a letter (Latin in any alphabet, or Greek)
 * or a closing delimiter ((M^{2})^{\\alpha}{}_{\\beta}); not a digit or
 * a sign. */
static int sp_lay_index_base(const sp_lu *u) {
    static const char *const greek[] = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",
                                        "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi",
                                        "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi",
                                        "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
                                        "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"};
    if (u->kind != SP_LK_SYM || !u->latex) return 0;
    if (u->fence == SP_LF_CLOSE) return 1;
    sp_variant v;
    if (sp_layout_letter(u->latex, &v)) return 1;
    char buf[64];
    const char *s = sp_lay_unwrap(u->latex, &v, buf, sizeof buf);
    if (s[0] != '\\') return 0;
    s += !strncmp(s + 1, "var", 3) && s[4] >= 'A' && s[4] <= 'Z' ? 4 : 1; /* \\varOmega */
    for (size_t i = 0; i < sizeof greek / sizeof greek[0]; i++)
        if (!strcmp(s, greek[i])) return 1;
    return 0;
}

/* Tensor indices set one after the other, U^{\\nu}{}_{\\rho} or
 * R_{\\mu\\nu}{}^{ab}, rather than stacked, U^{\\nu}_{\\rho}: the
 * second script starts where the first one ends (TeX hangs it on the
 * empty group after the first), where stacked scripts both start at the
 * base: a clear step right of the base (SP_LAY_STAGGER_STEP em), more than
 * the italic correction that moves the superscript of a slanted capital
 * past a narrow subscript (Y_{j}^{\\dagger}, \\mathcal{H}_{j}^{T}).
 * Only on a letter or a closing delimiter (sp_lay_index_base): an
 * integral's slant sets its upper limit right of the lower.  Returns
 * 1 for the superscript first, -1 for the subscript first, 0 for stacked.
 * Base b, sub[0..ns), sup[0..np), line em E. */
static int sp_lay_staggered(const sp_lu *b, sp_lu **sub, size_t ns, sp_lu **sup, size_t np, float E) {
    if (!ns || !np || !sp_lay_index_base(b)) return 0;
    float sb0 = INFINITY, sb1 = -INFINITY, sp0 = INFINITY, sp1 = -INFINITY;
    for (size_t k = 0; k < ns; k++) sb0 = sp_minf(sb0, sub[k]->x0), sb1 = sp_maxf(sb1, sub[k]->x1);
    for (size_t k = 0; k < np; k++) sp0 = sp_minf(sp0, sup[k]->x0), sp1 = sp_maxf(sp1, sup[k]->x1);
    /* indices are letters and digits: a zone of dots or commas alone is
     * punctuation that fell into it */
    int sub_marks = 1, sup_marks = 1;
    for (size_t k = 0; k < ns; k++) sub_marks &= sub[k]->vcat == SP_VC_COMMA || sub[k]->vcat == SP_VC_DOT;
    for (size_t k = 0; k < np; k++) sup_marks &= sup[k]->vcat == SP_VC_COMMA || sup[k]->vcat == SP_VC_DOT;
    if (sub_marks || sup_marks) return 0;
    float step = SP_LAY_STAGGER_STEP * E;
    if (sb0 >= sp1 - SP_LAY_STAGGER_PX && sb0 - b->x1 >= step) return 1;
    if (sp0 >= sb1 - SP_LAY_STAGGER_PX && sp0 - b->x1 >= step) return -1;
    return 0;
}

/* ---- explicit spaces ----------------------------------------------------- */

/* The TeX atom class a node spaces as: a symbol its own, scripts their
 * base's, a fraction or \left…\right Inner, anything else Ord. */
static int sp_lay_node_atom(const sp_node *n) {
    while (n && n->kind == SP_NODE_SCRIPTS) n = n->u.scripts.base;
    if (!n) return SP_ATOM_ORD;
    if (n->kind == SP_NODE_SYMBOL) {
        const char *l = n->u.sym.latex ? n->u.sym.latex : "";
        /* \\ldots is \\mathinner{…}: thin spaces around it, even before a comma */
        if (!strcmp(l, "\\ldots") || !strcmp(l, "\\cdots") || !strcmp(l, "\\dots")) return SP_ATOM_INNER;
        /* \\big( is an Ord, \\bigl( an Open, \\bigr) a Close, \\bigm| a Rel */
        if (n->u.sym.size) {
            static const int by_role[] = {SP_ATOM_ORD, SP_ATOM_OPEN, SP_ATOM_CLOSE, SP_ATOM_REL};
            return n->u.sym.size_role <= SP_ROLE_MIDDLE ? by_role[n->u.sym.size_role] : SP_ATOM_ORD;
        }
        return n->u.sym.symflags & SP_SYMF_LARGEOP ? SP_ATOM_OP : n->u.sym.atom;
    }
    if (n->kind == SP_NODE_FRAC || n->kind == SP_NODE_FENCED) return SP_ATOM_INNER;
    if (n->kind == SP_NODE_FUNC) return SP_ATOM_OP;
    return SP_ATOM_ORD;
}

/* TeX's space between atoms a and b in display and text style, in em
 * (thin 3 mu, medium 4 mu, thick 5 mu; TeXbook ch. 18).  A Bin after
 * nothing, an operator, a relation, an opening or punctuation is an Ord. */
static float sp_lay_atom_space(int a, int b) {
    static const unsigned char table[8][8] = {
        /*          ord op bin rel open close punct inner */
        /* ord   */ {0, 1, 2, 3, 0, 0, 0, 1},
        /* op    */ {1, 1, 0, 3, 0, 0, 0, 1},
        /* bin   */ {2, 2, 0, 0, 2, 0, 0, 2},
        /* rel   */ {3, 3, 0, 0, 3, 0, 0, 3},
        /* open  */ {0, 0, 0, 0, 0, 0, 0, 0},
        /* close */ {0, 1, 2, 3, 0, 0, 0, 1},
        /* punct */ {1, 1, 0, 1, 1, 1, 1, 1},
        /* inner */ {1, 1, 2, 3, 1, 0, 1, 1},
    };
    static const float mu[4] = {0, 3.0f / 18, 4.0f / 18, 5.0f / 18};
    if (a < 0 || a > 7 || b < 0 || b > 7) return 0;
    return mu[table[a][b]];
}

/* Blank that a unit keeps beside its ink beyond a glyph's side bearing,
 * em: \\left( and big delimiters, big operators, fractions (their rule
 * stops short of the null delimiter space) are set with more air. */
static float sp_lay_slack(const sp_lu *u, float E) {
    return (u->fence && u->stretch) || sp_h(u) > 1.3f * E ? 0.15f : 0;
}

/* ... and the blank before it: a radical sign and an angle bracket start
 * with a hairline that light renders lose to the binarization, so their
 * ink starts late (before a \\sqrt in txfonts, 0.12-0.21 em beyond TeX's
 * spacing with no space in the source). */
static float sp_lay_lead(const sp_lu *u, float E) {
    int hairline = u->kind == SP_LK_RADICAL || (u->node && u->node->kind == SP_NODE_RADICAL) ||
                   (u->latex && (!strcmp(u->latex, "\\langle") || !strcmp(u->latex, "\\rangle")));
    return sp_lay_slack(u, E) + (hairline ? SP_LAY_HAIRLINE : 0);
}

/* A bar that may be a relation (\\mid) as well as an ordinary |: the
 * gaps around it say nothing about explicit spaces. */
static int sp_lay_bar_like(const sp_lu *u) {
    return u->kind == SP_LK_SYM && u->latex && (!strcmp(u->latex, "|") || !strcmp(u->latex, "\\|"));
}

/* A period, comma or semicolon on the line.  Nothing of its ink leans
 * over the gap before it, so that gap measures an explicit space closely:
 * before a final period or comma, 9 in 10 gaps with no space in the
 * source came within 0.08 em beyond the bearings, while a "\ " measured
 * 0.15-0.35 em (1,700 and 170 cases, first 3,000 im2latex-val images).
 * Elsewhere, in the 2,287 of the first 6,000 whose symbols we read right,
 * 30,600 gaps with no space in the source came under 0.05 em but for 65
 * (10 from 0.10), and 240 of 265 "\\ " from 0.10 (SP_LAY_SPACE_MIN); a
 * "\\:" measures about the same (0.05-0.20), and is written "\\ ", three
 * times as common.  Our own lighter renders leave wider gaps (no space:
 * 1 in 100 from 0.12, most of those before a radical or a tall fence). */
static int sp_lay_is_punct(const sp_lu *u) {
    return u->kind == SP_LK_SYM && u->latex &&
           (!strcmp(u->latex, ".") || !strcmp(u->latex, ",") || !strcmp(u->latex, ";"));
}

/* ... the slack of item x before unit u.  Before punctuation a \\right
 * delimiter keeps less: one of normal size none beyond a glyph's
 * bearing, a taller one 0.12 em.  In the first 3,000 im2latex-val images,
 * measured with the full slack, the 188 gaps from a bare \\right) to a
 * final "." or "," with no space in the source all came under 0.04 em;
 * with "\\ " the normal-size ones came at -0.08-0.09, the taller 0.15-0.22.
 * On our own renders (\\bigg) and the like) no-space gaps reach 0.10.
 * A fraction keeps only its null delimiter space: the ink gaps from one
 * to a final "." or "," came at 0.05-0.15 em with no space in the source
 * (145 cases) and 0.35-0.45 with "\\ " (15), first 3,000 images. */
static float sp_lay_slack_before(const sp_lay_item *x, const sp_lu *u, float E) {
    if (sp_lay_is_punct(u) && x->node && x->node->kind == SP_NODE_FRAC) return SP_LAY_FRAC_PUNCT_SLACK;
    if (sp_lay_is_punct(u) && x->u->fence && x->u->stretch && !x->sub && !x->sup)
        return sp_h(x->u) > 1.2f * E ? SP_LAY_FENCE_PUNCT_SLACK : 0;
    return sp_lay_slack(x->u, E) + (x->sub || x->sup ? SP_LAY_SCRIPTSPACE : 0);
}

/* The blank between item p and the unit u after it, em, less what the
 * glyphs keep of their own (sp_lay_slack_before, sp_lay_lead): what TeX's
 * spacing, the bearings and any explicit space fill. */
static float sp_lay_air(const sp_lay_item *p, const sp_lu *u, float E) {
    return (u->x0 - p->x1) / E - sp_lay_lead(u, E) - sp_lay_slack_before(p, u, E);
}

/* A plain | with the air of a relation on both sides: \\mid.  Measured as
 * between ordinary symbols, in the first 6,000 im2latex-val images, the
 * gaps either side of 20 of the 29 \\mid came at 0.15-0.28 em, those of
 * 1 of 243 | and \\vert so wide (the others had a side under 0.1). */
static int sp_lay_spaced_bar(const sp_lay_item *it, size_t k, const sp_node *before, float E) {
    const sp_lay_item *x = &it[k], *p = &it[k - 1], *q = &it[k + 1];
    if (!sp_lay_bar_like(x->u) || strcmp(x->u->latex, "|") || x->sub || x->sup || !x->node ||
        x->node->kind != SP_NODE_SYMBOL || !q->node)
        return 0;
    float left = sp_lay_air(p, x->u, E) - sp_lay_atom_space(sp_lay_node_atom(before), SP_ATOM_ORD) - SP_LAY_BEARINGS;
    float right = sp_lay_air(x, q->u, E) - sp_lay_atom_space(SP_ATOM_ORD, sp_lay_node_atom(q->node)) - SP_LAY_BEARINGS;
    return left >= SP_LAY_MID_GAP && right >= SP_LAY_MID_GAP;
}

/* The explicit space a gap of `gap` em between atoms a and b holds beyond
 * TeX's own spacing and the glyphs' side bearings, as LaTeX: "\ " (a
 * third of an em), \quad or \qquad; NULL for none.  Gaps are measured on
 * ink, so only spaces clearly wider than the slack are written.  The em
 * they are measured in comes from ink heights, which blur and heavy
 * strokes make some 20 % too tall at 100 dpi (10 pt is 13.9 px there; x
 * heights give 17): a \quad after a comma measures 0.7-0.8 em beyond TeX's
 * spacing, not 1, hence the cutoffs between the sizes (0.52, 1.1). */
static const char *sp_lay_gap_space(float gap, int a, int b, int before_punct, float *em) {
    float extra = gap - sp_lay_atom_space(a, b) - SP_LAY_BEARINGS;
    if (extra >= 1.1f) return *em = 2.0f, "\\qquad";
    if (extra >= 0.52f) return *em = 1.0f, "\\quad";
    if (extra >= (before_punct ? SP_LAY_SPACE_MIN_PUNCT : SP_LAY_SPACE_MIN)) return *em = 1.0f / 3.0f, "\\ ";
    return NULL;
}


/* Wrap out[from..to) into a FENCED body. */
static sp_node *sp_lay_fence_wrap(sp_lay *L, sp_node **out, size_t from, size_t to, const char *od, const char *cd) {
    sp_node *body = sp_tree_row(L->t);
    if (!body) return NULL;
    for (size_t i = from; i < to; i++)
        if (sp_tree_row_append(L->t, body, out[i])) return NULL;
    sp_node *f = sp_tree_fenced(L->t, od, cd, body);
    if (!f) f = sp_tree_fenced(L->t, ".", ".", body);
    return f;
}

/* out[from..to) fenced by od … cd, with item x's scripts (those of the
 * closing delimiter) on the whole; NULL when out of memory. */
static sp_node *sp_lay_fence_scripts(sp_lay *L, sp_node **out, size_t from, size_t to, const char *od, const char *cd,
                                     const sp_lay_item *x) {
    sp_node *f = sp_lay_fence_wrap(L, out, from, to, od, cd);
    if (f && (x->sub || x->sup)) f = sp_tree_scripts(L->t, f, x->sub, x->sup, SP_LIMITS_AUTO);
    return f;
}

/* How far box u is from where a glyph of unit c's kind usually sits on a
 * line with baseline B and em E (main size), in em; -1: no opinion (rules,
 * radicals, big operators …).  Expected extents, relative to the baseline
 * (negative = above): x-height [-0.45, 0], ascender [-0.69, 0], descender
 * [-0.45, 0.2], both [-0.75, 0.25], comma [-0.1, 0.2], prime [-0.75, -0.3];
 * dot [-0.1, 0]; an operator is centred on the axis (-0.25). */
static float sp_lay_place_misfit(const sp_lu *c, const sp_lu *u, float B, float E) {
    float e0, e1;
    if (c->kind == SP_LK_PRIME) e0 = -0.75f, e1 = -0.3f;
    else if (c->kind != SP_LK_SYM || (c->fence && (c->stretch || c->vcat == SP_VC_CENTER))) return -1; /* sized delimiters: by size, not place */
    else switch (c->vcat) {
        case SP_VC_X: e0 = -0.45f, e1 = 0; break;
        case SP_VC_A: e0 = -0.69f, e1 = 0; break;
        case SP_VC_D: e0 = -0.45f, e1 = 0.2f; break;
        case SP_VC_AD: e0 = -0.75f, e1 = 0.25f; break;
        case SP_VC_COMMA: e0 = -0.1f, e1 = 0.2f; break;
        case SP_VC_DOT: e0 = -0.1f, e1 = 0; break;
        case SP_VC_CENTER: return fabsf(sp_cy(u) - (B - 0.25f * E)) / E;
        default: return -1;
        }
    return 0.5f * (fabsf(u->y0 - (B + e0 * E)) + fabsf(u->y1 - (B + e1 * E))) / E;
}

/* A digit other than 1 is at least two thirds as wide as it is tall: one
 * read on a stroke two pixels wide and twice as tall is a script comma
 * (the comma of (l_{1},l_{2}) read "3": 40 im2latex-val formulas). */
static int sp_lay_thin_digit(const char *latex, const sp_lu *u) {
    return latex && latex[0] >= '0' && latex[0] <= '9' && latex[0] != '1' && !latex[1] && sp_w(u) <= 2 &&
           sp_h(u) >= 2 * sp_w(u);
}

/* Whether classes a and b (as units) are look-alikes that only their place
 * on the line tells apart, for a glyph with box u at em E: two small marks
 * (dot, comma, prime, or a dot-sized operator such as \cdot), or a thin
 * bar that either reaches below the baseline or not (| vs l, 1).  Anything
 * else is the classifier's business: with a weak classifier, letting place
 * decide between unrelated shapes only trades one wrong class for another. */
static int sp_lay_place_pair(const sp_lu *a, const sp_lu *b, const sp_lu *u, float E) {
    int small = sp_h(u) < 0.5f * E && sp_w(u) < 0.3f * E;
#define SP_MARK(c) ((c)->kind == SP_LK_PRIME || (c)->vcat == SP_VC_DOT || (c)->vcat == SP_VC_COMMA || \
                    ((c)->vcat == SP_VC_CENTER && small))
    if (small && SP_MARK(a) && SP_MARK(b)) return 1;
    /* a comma too narrow and short to be even a script digit or letter
     * (a script "3" is 0.35 em wide): read as one by the classifier, whose
     * input is scaled up from a few pixels */
    int tiny = sp_w(u) < 0.2f * E && sp_h(u) < 0.42f * E && sp_h(u) > 1.3f * sp_w(u);
    int let_or_digit_a = a->kind == SP_LK_SYM && (a->vcat == SP_VC_A || a->vcat == SP_VC_X) &&
                         !sp_lay_thin_digit(a->latex, u);
    int let_or_digit_b = b->kind == SP_LK_SYM && (b->vcat == SP_VC_A || b->vcat == SP_VC_X) &&
                         !sp_lay_thin_digit(b->latex, u);
    if (tiny && ((let_or_digit_a && b->vcat == SP_VC_COMMA) || (let_or_digit_b && a->vcat == SP_VC_COMMA))) return 1;
#undef SP_MARK
    int thin = sp_w(u) < 0.3f * sp_h(u) && sp_h(u) > 0.5f * E;
    int bar_a = a->vcat == SP_VC_AD, bar_b = b->vcat == SP_VC_AD;
    int let_a = a->vcat == SP_VC_A || a->vcat == SP_VC_X, let_b = b->vcat == SP_VC_A || b->vcat == SP_VC_X;
    return thin && ((bar_a && let_b) || (bar_b && let_a));
}

/* Shapes the classifier's reading cannot have, at sizes where it sees
 * only a few pixels scaled up; the unit takes its runner-up (>= 3 %):
 *   - a "1" drawn as a bare stroke is a "|": a one has a flag and a foot
 *     (wider than a quarter of its height), which a tiny heavy |, two
 *     pixels wide, does not have;
 *   - a "," no taller than it is wide is a "." (a comma has a tail). */
static void sp_lay_shape_veto(sp_lu *u) {
    if (!u->sym || !u->latex) return;
    if (!strcmp(u->latex, "1") && sp_w(u) * 4 < sp_h(u) && sp_h(u) >= 6) sp_lay_take_alt(u, "|");
    else if (!strcmp(u->latex, ",") && sp_h(u) <= sp_w(u)) sp_lay_take_alt(u, ".");
    else if (sp_lay_thin_digit(u->latex, u)) sp_lay_take_alt(u, ",");
}

/* Whether an upright letter (a \\mathrm class: single letters all) stands
 * beside u[i], less than half its height away, overlapping it in height
 * or, with on_base, on its baseline (bottoms within 0.15 of its height):
 * whether u[i] is in an upright word.  u[0..n). */
static int sp_lay_upright_beside(sp_lu **u, size_t n, size_t i, int on_base) {
    const sp_lu *m = u[i];
    float h = sp_h(m);
    for (size_t j = 0; j < n; j++) {
        const sp_lu *v = u[j];
        if (j == i || !v->latex || !sp_starts(v->latex, "\\mathrm{")) continue;
        float gap = v->x0 > m->x1 ? v->x0 - m->x1 : m->x0 - v->x1;
        int level = on_base ? fabsf(v->y1 - m->y1) < 0.15f * h : v->y1 > m->y0 && v->y0 < m->y1;
        if (gap < 0.5f * h && level) return 1;
    }
    return 0;
}

/* An upright o with no upright letter beside it (a word: "cos", "mod")
 * is a 0 when the classifier gave 0 a chance (>= 3 %): in a script the two
 * are a few pixels alike, and im2latex-val's formulas hold \\mathrm { o }
 * twice, a 0 in a script some 2,000 times.  u[0..n). */
static void sp_lay_lone_upright_o(sp_lu **u, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (u[i]->sym && u[i]->latex && !strcmp(u[i]->latex, "\\mathrm{o}") && !sp_lay_upright_beside(u, n, i, 0))
            sp_lay_take_alt(u[i], "0");
}

/* Letter case from size and place (the case pairs of sp_lay_case_pair):
 * the classifier sees a glyph scaled to a fixed size, so at script size a
 * capital S and a small s differ to it by a pixel or two.  A script S read
 * "s" (some 60 im2latex-val formulas; the reverse is rare) becomes a
 * main-size letter set high that takes what follows as its scripts.  So
 * a small reading turns capital, against a line (baseline B, em E, its
 * units line[0..n)):
 *   - standing on the line, when its height is nearer that of the sure
 *     capitals and digits on the line than of the sure x-height letters;
 *   - clearly off it (a script), when read as a capital it has a script's
 *     size (0.58-0.85 em): a small letter would be main-size there;
 *   - in between, the question waits for the unit's own line (its script
 *     region).
 * Only when the classifier gave the capital 3 % or more. */
static void sp_lay_pick_case(sp_lay *L, sp_lu *u, float B, float E, sp_lu **line, size_t n) {
    const sp_layout_symbol *s = u->sym;
    if (!s || u->cased || u->kind != SP_LK_SYM || !u->latex || E <= 0) return;
    float p_other = 0;
    int cap = 0;
    const char *other = sp_lay_case_alt(u, &cap, &p_other);
    if (!other) {
        u->cased = 1;
        return;
    }
    float d = (B - u->y1) / E, r_cap = sp_h(u) / (0.69f * E);
    int on = fabsf(d) <= SP_LAY_CASE_ON, off = fabsf(d) >= SP_LAY_CASE_OFF;
    if (!on && !off) return;
    u->cased = 1;
    if (cap) return;
    int want_cap = r_cap >= 0.58f && r_cap <= 0.85f;
    if (on) {
        /* on the line, its neighbours are the ruler: the median heights
         * of the sure x-height letters and of the sure capitals, digits
         * and ascenders standing on it (blur at 100 dpi adds a pixel or
         * two to both, so an em from their heights comes out too big) */
        float hx[16], ha[16];
        size_t nx = 0, na = 0;
        for (size_t i = 0; i < n; i++) {
            const sp_lu *v = line[i];
            int c2;
            float p2;
            if (v == u || v->kind != SP_LK_SYM || !v->sym || v->sym->prob < 0.5f || v->fence ||
                fabsf(B - v->y1) > SP_LAY_CASE_ON * E || sp_lay_case_alt(v, &c2, &p2))
                continue;
            if (v->vcat == SP_VC_X && nx < 16) hx[nx++] = sp_h(v);
            else if (v->vcat == SP_VC_A && na < 16) ha[na++] = sp_h(v);
        }
        qsort(hx, nx, sizeof *hx, sp_lay_cmp_f);
        qsort(ha, na, sizeof *ha, sp_lay_cmp_f);
        float h = sp_h(u), mx = nx ? hx[nx / 2] : 0, ma = na ? ha[na / 2] : 0;
        if (nx && na) want_cap = fabsf(h - ma) < fabsf(h - mx);
        else if (nx) want_cap = h >= 1.3f * mx;
        else if (na) want_cap = h >= 0.85f * ma;
        else want_cap = r_cap >= 0.85f;
    }
    if (!want_cap) return;
    uint8_t picked = u->picked;
    float p = s->prob;
    sp_lay_reread(u, other);
    u->picked = picked;
    u->cased = 1;
    if (p > 0 && p_other < p) L->penalty *= p_other / p;
}

/* A prime or a comma by the glyph it follows (u[0..n)): a prime hangs
 * from the top of its letter, a comma below its foot.  Against the line
 * alone the two are confused in scripts, where a prime of l^{\prime} in a
 * subscript sits as low as the main line's commas (Y_{l^{\prime}} read
 * Y_{l},: some 40 im2latex-val formulas).  The neighbour is the nearest
 * letter or digit ending at most a third of its height before the mark and
 * overlapping it in height, and 1.2 times as tall or more (at 100 dpi a
 * subscript p is 7 px to its prime's 5: K_{p^{\prime}}); with none, or in
 * between, the line decides (sp_lay_pick_alt). */
static void sp_lay_marks_by_neighbour(sp_lu **u, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *m = u[i];
        if (!m->sym || !m->latex || m->picked) continue;
        int comma = !strcmp(m->latex, ","), prime = !strcmp(m->latex, "\\prime");
        if (!comma && !prime) continue;
        const sp_lu *v = NULL;
        for (size_t j = 0; j < n; j++) {
            const sp_lu *w = u[j];
            if (w == m || w->kind != SP_LK_SYM || !w->latex || w->fence ||
                (w->vcat != SP_VC_X && w->vcat != SP_VC_A && w->vcat != SP_VC_D) || sp_h(w) < 1.2f * sp_h(m))
                continue;
            if (w->x1 > m->x0 + 1 || w->x1 < m->x0 - sp_h(w) / 3 || w->y0 >= m->y1 || w->y1 <= m->y0) continue;
            if (!v || w->x1 > v->x1) v = w;
        }
        if (!v) continue;
        float h = sp_h(v);
        int high = m->y0 <= v->y0 + 0.25f * h && m->y1 <= v->y1 - 0.3f * h, low = m->y0 >= v->y0 + 0.6f * h;
        if (high && prime) m->picked = 1; /* settled: the line may not make it a comma */
        else if (high) sp_lay_take_alt(m, "\\prime");
        else if (low && comma) m->picked = 1;
        else if (low) sp_lay_take_alt(m, ",");
    }
}

/* A stroke between upright letters is an upright l when the classifier
 * gave it a chance (3 %): in "coll", "Pl" or "forall" set in \\mathrm at
 * 100 dpi, the l reads "1" or "]" as often as "l" (not "|": an upright
 * letter after a bar is a ket's, |\\mathrm{phys}\\rangle).  u[0..n). */
static void sp_lay_word_strokes(sp_lu **u, size_t n) {
    static const char *const strokes[] = {"1", "]", "l", "I", "\\mathrm{I}", "\\i"};
    for (size_t i = 0; i < n; i++)
        if (u[i]->sym && sp_lay_one_of(u[i]->latex, strokes, sizeof strokes / sizeof strokes[0]) &&
            sp_lay_upright_beside(u, n, i, 1))
            sp_lay_take_alt(u[i], "\\mathrm{l}");
}

/* A lunate epsilon read as an e: at 100 dpi the classifier reads the
 * \\epsilon of im2latex-style formulas as "e" about half the time, with
 * \\epsilon its second guess (15 im2latex-val formulas in 0-3000).  An
 * e it doubts, which it gave \\epsilon a real chance, is the epsilon
 * when the glyph is narrow: an e is nearly as wide as it is tall, the
 * epsilon's open bowl two thirds.  u[0..n). */
static void sp_lay_narrow_epsilon(sp_lu **u, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (u[i]->sym && u[i]->latex && !strcmp(u[i]->latex, "e") && u[i]->sym->prob < SP_LAY_EPS_DOUBT &&
            sp_w(u[i]) <= SP_LAY_EPS_NARROW * sp_h(u[i]))
            sp_lay_take_alt_min(u[i], "\\epsilon", SP_LAY_EPS_MIN);
}

/* "Tr", the trace, is the upright word physics writes most (75 of
 * im2latex-val's formulas); heavy at 100 dpi its r, stuck under the T's
 * arm, reads as an x.  A letter set tight after an upright or bold T, on
 * its baseline, whose runner-up is an upright r (>= 1.5 %), is that r.
 * u[0..n). */
static void sp_lay_trace_r(sp_lu **u, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *t = u[i];
        sp_variant v;
        if (!t->latex || sp_layout_letter(t->latex, &v) != 'T' || (v != SP_VAR_UPRIGHT && v != SP_VAR_BOLD)) continue;
        for (size_t j = 0; j < n; j++) {
            sp_lu *r = u[j];
            const sp_layout_symbol *s = r->sym;
            float gap = r->x0 - t->x1;
            if (j == i || !s || !r->latex || !sp_layout_letter(r->latex, &v) || gap > 0.1f * sp_h(t) ||
                r->x1 <= t->x1 || fabsf(r->y1 - t->y1) > 0.15f * sp_h(t))
                continue;
            sp_lay_take_alt_min(r, "\\mathrm{r}", 0.015f);
        }
    }
}

/* Context fix of a classifier confusion: among the symbol's class and its
 * alternatives (probability >= 3 %), the one whose usual place fits the box
 * clearly better (by 0.1 em) than the classifier's choice — a dot on the
 * axis is \cdot, a "comma" high up a prime, a "|" that does not reach
 * below the baseline an l.  (o and \circ, x and \times sit within 0.06 em
 * of each other in Computer Modern: too close to tell, they stay.)  Only
 * between look-alikes (sp_lay_place_pair): letters that differ only in
 * height (c, C) are sp_lay_pick_case's, which also weighs where a script
 * sits.  Relabels u in place. */
static void sp_lay_pick_alt(sp_lay *L, sp_lu *u, float B, float E) {
    const sp_layout_symbol *s = u->sym;
    /* decided once, against the first (outermost) line the unit meets: in
     * its script zone it is alone and would set its own baseline */
    if (!s || !s->alt[0] || u->picked || u->node || u->used || E <= 0 ||
        (u->kind != SP_LK_SYM && u->kind != SP_LK_PRIME))
        return;
    u->picked = 1;
    /* from the unit's current reading: an earlier pass may have settled
     * it (the i of a dotless i under its dot, the upright T of "Tr") */
    sp_lu c0, c;
    sp_layout_symbol t0 = *s;
    t0.latex = u->latex;
    sp_lay_unit_init(&c0, &t0);
    float m0 = sp_lay_place_misfit(&c0, u, B, E);
    if (m0 < 0) return;
    const char *best = u->latex;
    float bm = m0, bp = s->prob;
    for (int k = 0; k < SP_LAYOUT_MAX_ALTS && s->alt[k]; k++) {
        if (!s->alt[k][0] || !(s->alt_prob[k] >= SP_LAY_ALT_MIN)) continue;
        sp_layout_symbol t = *s;
        t.latex = s->alt[k];
        sp_lay_unit_init(&c, &t);
        if (!sp_lay_place_pair(&c0, &c, u, E)) continue;
        float m = sp_lay_place_misfit(&c, u, B, E);
        if (m < 0 || m + 0.1f >= bm) continue;
        best = s->alt[k], bm = m, bp = s->alt_prob[k];
    }
    if (best == u->latex) return;
    sp_lay_reread(u, best);
    u->picked = 1;
    if (s->prob > 0 && bp < s->prob) L->penalty *= bp / s->prob;
}

/* An operator sized only by its width (a minus: a script one is barely
 * narrower than a main one) right before a unit, level with it: it leads
 * that unit's zone, whatever the zone is (checked by the caller). */
static int sp_lay_zone_lead(const sp_lu *u, const sp_lu *next, float E) {
    if (u->kind != SP_LK_SYM || u->fence || !u->wem || u->vcat != SP_VC_CENTER) return 0;
    if (next->x0 - u->x1 > 0.5f * E || next->x0 < u->x1 - 0.1f * E) return 0;
    if (next->kind == SP_LK_SYM && next->wem) return 0; /* two operators: nothing to lean on */
    float c = sp_cy(u);
    return c > next->y0 && c < next->y1 && sp_h(next) < 1.2f * E;
}

/* An operator or punctuation mark (no reliable size of its own) between
 * two units of a script zone, level with the last one (the "+" and the ","
 * of x_{n+1}, m_{k,l}), belongs to the script. */
static int sp_lay_zone_glue(const sp_lu *last, const sp_lu *u, float E) {
    if (u->kind != SP_LK_SYM || u->fence) return 0;
    if (u->vcat != SP_VC_CENTER && u->vcat != SP_VC_DOT && u->vcat != SP_VC_COMMA) return 0;
    if (u->x0 - last->x1 > 0.6f * E || sp_h(u) > 1.2f * sp_h(last) + 0.1f * E) return 0;
    float c = sp_cy(u);
    return c > last->y0 - 0.1f * E && c < last->y1 + 0.15f * E;
}

/* A script-size unit on the same baseline as the last unit of a script
 * zone and right after it continues the script (the l of \Phi_{kl}), even
 * where its own offset from the main line is too small to tell. */
static int sp_lay_zone_next(const sp_lu *last, const sp_lu *u, float E) {
    if (u->em <= 0 || u->base <= 0 || u->wem || last->em <= 0 || last->base <= 0 || last->wem) return 0;
    if (u->em > 0.85f * E || last->em > 0.85f * E) return 0;
    if (u->em > 1.35f * last->em || last->em > 1.35f * u->em) return 0;
    if (u->x0 - last->x1 > 0.4f * E) return 0;
    return fabsf(u->base - last->base) < 0.1f * E;
}

/* A fraction right after the sign that opens a script zone, its rule
 * level with the sign, continues the script: both sit on the script's
 * axis (e^{-\\frac{a}{b}}).  A fraction on the line has its rule on the
 * main axis, well below a raised sign. */
static int sp_lay_zone_fraction(const sp_lu *last, const sp_lu *u, float E) {
    if (last->kind != SP_LK_SYM || !last->wem || last->vcat != SP_VC_CENTER || last->fence) return 0;
    if (u->kind != SP_LK_COMP || !u->node || u->node->kind != SP_NODE_FRAC || u->em <= 0 || u->base <= 0) return 0;
    if (u->x0 - last->x1 > 0.5f * E) return 0;
    float rule = u->base - 0.25f * u->em;
    return fabsf(sp_cy(last) - rule) <= 0.08f * E;
}

/* The height a \\left o … \\right u pair must cover: TeX's \\left covers
 * max(0.901 of 2·ext, 2·ext − 5 pt), ext how far the content (items[0..n)
 * between them) reaches from the delimiters' axis. */
static float sp_lay_left_need(sp_lu **items, size_t n, const sp_lu *o, const sp_lu *u, float E) {
    float axis = 0.5f * (sp_cy(o) + sp_cy(u)), ext = 0;
    for (size_t q = 0; q < n; q++) {
        const sp_lu *c = items[q];
        if (c == o || c == u || sp_cx(c) <= o->x1 || sp_cx(c) >= u->x0) continue;
        ext = sp_maxf(ext, sp_maxf(axis - c->y0, c->y1 - axis));
    }
    return sp_maxf(0.901f * 2.0f * ext, 2.0f * ext - 0.5f * E);
}

/* A matching pair of sized delimiters (\bigg( … \bigg)) that its content
 * fills is what \left( … \right) typesets: TeX picked the smallest size
 * that covers the content.  Such pairs become stretchy, so that they are
 * written \left … \right and keep fitting when the content is rendered in
 * another style.  A pair much taller than its content (\Big( x \Big)) was
 * sized on purpose and stays.  it[0..ni) are the line's bases in order,
 * items[0..n) all its units sorted by x; stack has room for ni. */
static void sp_lay_sized_pairs(sp_lay_item *it, size_t ni, sp_lu **items, size_t n, float E, size_t *stack) {
    size_t ns = 0;
    for (size_t k = 0; k < ni; k++) {
        sp_lu *u = it[k].u;
        int st = 0;
        if (u->kind != SP_LK_SYM || !u->fence || u->stretch || !u->latex) continue;
        const char *d = sp_lay_delim_name(u->latex, &st);
        if (!st) continue;
        int closes = 0;
        if (ns) {
            sp_lu *o = it[stack[ns - 1]].u;
            int so;
            const char *od = sp_lay_delim_name(o->latex, &so);
            float r = sp_h(u) / sp_maxf(sp_h(o), 1.0f);
            int match = u->fence == SP_LF_EITHER ? !strcmp(od, d) : (u->fence == SP_LF_CLOSE && o->fence != SP_LF_EITHER);
            closes = match && r > 0.8f && r < 1.25f;
        }
        if (!closes) {
            if (u->fence != SP_LF_CLOSE) stack[ns++] = k;
            continue;
        }
        sp_lu *o = it[stack[--ns]].u;
        /* \\left picks the smallest size that covers the content: the next
         * smaller size must fall short (sizes: 1, 1.2, 1.8, 2.4, 3 em; ink
         * boxes, so some tolerance) */
        float H = 0.5f * (sp_h(o) + sp_h(u)), need = sp_lay_left_need(items, n, o, u, E);
        float prev = sp_starts(o->latex, "\\Bigg") ? 0.8f : sp_starts(o->latex, "\\bigg") ? 0.75f
                   : sp_starts(o->latex, "\\Big") ? 0.67f : 0.83f;
        if (need < prev * H - 0.15f * E) continue;
        o->stretch = u->stretch = 1;
        if (o->fence == SP_LF_EITHER) o->fence = SP_LF_OPEN, u->fence = SP_LF_CLOSE;
    }
}

/* \\Big( is an Ord, \\Bigl( an Open: TeX sets a thin space between an
 * operator (\\int, \\exp) and the first, none before the second.  True
 * when an operator before the opening delimiter it[ko] sits tight.  (The
 * gap after it, before a \\sum, is blurred by the slack of both tall
 * glyphs; in the first 6,000 im2latex-val images 5 of 7 such pairs were
 * plain \\Big, the default.) */
static int sp_lay_open_tight(const sp_lay_item *it, size_t ko, float E) {
    const sp_lay_item *o = &it[ko];
    if (ko == 0 || !it[ko - 1].node || sp_lay_node_atom(it[ko - 1].node) != SP_ATOM_OP) return 0;
    return sp_lay_air(&it[ko - 1], o->u, E) - SP_LAY_BEARINGS < 0.5f * sp_lay_atom_space(SP_ATOM_OP, SP_ATOM_ORD);
}

/* A \\left … \\right pair that \\left would not have sized so was sized
 * on purpose: \\Big( x \\Big) around a small content, or a \\Big[ … \\Big]
 * whose content (a sum's limits, a tall fraction) sticks out beyond it.
 * TeX's \\left covers the content (see sp_lay_sized_pairs), so a pair the
 * content overreaches by SP_LAY_OVERREACH, or one whose next smaller size
 * would do with room to spare, is written at its own size, read from its
 * height: in the line's em, ink heights of \\Big, \\bigg and \\Bigg come
 * out near 1.55, 2.0 and 2.5 (the em estimate runs a sixth over a glyph's
 * em), so SP_LAY_TIER_* are the midpoints.  The \\big size is left alone:
 * it is a fifth over a normal delimiter, within the em's noise.  Pairs
 * taller than \\Bigg are built from pieces and stay \\left … \\right. */
#define SP_LAY_OVERREACH 1.08f /* content this much taller than the pair: not \\left's choice */
#define SP_LAY_TIER_BIG2 1.2f  /* \\Big from here (\\big below) */
#define SP_LAY_TIER_BIGG 1.75f /* \\bigg from here */
#define SP_LAY_TIER_BIGG2 2.3f /* \\Bigg from here */
#define SP_LAY_TIER_TOP 2.8f   /* built from pieces above */
static void sp_lay_sized_on_purpose(sp_lay *L, sp_lay_item *it, size_t ni, sp_lu **items, size_t n, float E,
                                    size_t *stack) {
    size_t ns = 0;
    for (size_t k = 0; k < ni && !L->rc; k++) {
        sp_lu *u = it[k].u;
        if (u->kind != SP_LK_SYM || !u->fence || !u->stretch || !u->latex) continue;
        int closes = 0, st;
        const char *d = sp_lay_delim_name(u->latex, &st);
        if (ns) {
            const sp_lu *o = it[stack[ns - 1]].u;
            const char *od = sp_lay_delim_name(o->latex, &st);
            closes = u->fence == SP_LF_EITHER ? !strcmp(od, d) : (u->fence == SP_LF_CLOSE && o->fence != SP_LF_EITHER);
        }
        if (!closes) {
            if (u->fence != SP_LF_CLOSE) stack[ns++] = k;
            continue;
        }
        size_t ko = stack[--ns];
        sp_lu *o = it[ko].u;
        float H = 0.5f * (sp_h(o) + sp_h(u)), h = H / E;
        if (h < SP_LAY_TIER_BIG2 || h >= SP_LAY_TIER_TOP) continue;
        const char *tier = h < SP_LAY_TIER_BIGG ? "\\Big" : h < SP_LAY_TIER_BIGG2 ? "\\bigg" : "\\Bigg";
        float prev = h < SP_LAY_TIER_BIGG ? 0.67f : h < SP_LAY_TIER_BIGG2 ? 0.75f : 0.8f; /* the next smaller size */
        float need = sp_lay_left_need(items, n, o, u, E);
        if (need <= SP_LAY_OVERREACH * H && need >= prev * H - 0.15f * E) continue;
        const char *side_o = "", *side_u = "";
        if (sp_lay_open_tight(it, ko, E)) side_o = "l", side_u = "r";
        char bo[48], bu[48];
        snprintf(bo, sizeof bo, "%s%s%s", tier, side_o, sp_lay_delim_name(o->latex, &st));
        snprintf(bu, sizeof bu, "%s%s%s", tier, side_u, d);
        sp_node *no = sp_layout_class_node(L->t, bo), *nu = no ? sp_layout_class_node(L->t, bu) : NULL;
        if (!no || !nu) continue; /* out of memory: stays \\left … \\right */
        it[ko].node = no;
        it[k].node = nu;
        o->stretch = u->stretch = 0;
    }
}

/* Whether plain delimiters o and c close each other as ( ), [ ] or \\{ \\}
 * (angle brackets have too much air of their own to read spacing by). */
static int sp_lay_delims_pair(const sp_lu *o, const sp_lu *c) {
    static const char *const pairs[][2] = {{"(", ")"}, {"[", "]"}, {"\\{", "\\}"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!strcmp(o->latex, pairs[i][0]) && !strcmp(c->latex, pairs[i][1])) return 1;
    return 0;
}

/* One side's vote for sp_lay_inner_pairs: the gap between item x and the
 * ink at x_next (the delimiter after it, or the neighbour after the
 * closing delimiter x; after = 1), beyond the plain spacing, the glyphs'
 * bearings and the neighbour's own air (sp_lay_slack), in thin spaces.
 * INFINITY (no vote) where the spacing does not differ, beside a bar
 * (it may be \\mid, spaced as a relation), and for a gap as wide as an
 * explicit space (\\, before a differential) that says nothing. */
static float sp_lay_inner_vote(const sp_lay_item *x, float x_next, int after, float E) {
    const sp_lay_item *n = after ? x + 1 : x;
    if (sp_lay_bar_like(n->u)) return INFINITY;
    int a = after ? SP_ATOM_CLOSE : sp_lay_node_atom(n->node), b = after ? sp_lay_node_atom(n->node) : SP_ATOM_OPEN;
    float plain = sp_lay_atom_space(a, b);
    float thin = (after ? sp_lay_atom_space(SP_ATOM_INNER, b) : sp_lay_atom_space(a, SP_ATOM_INNER)) - plain;
    if (thin < 0.1f) return INFINITY;
    float vote = ((x_next - x->x1) / E - plain - SP_LAY_BEARINGS - sp_lay_slack(n->u, E)) / thin;
    return vote > 2.5f ? INFINITY : vote;
}

/* Plain delimiters of normal size that were written \\left … \\right: the
 * pair spaces as one Inner atom, and TeX sets a thin space (3 mu, 0.17
 * em) between an Ord, an operator, a closing delimiter or punctuation and
 * an Inner, where it sets none before an opening or after a closing
 * delimiter.  Their size cannot tell them apart, but the gaps beside the
 * pair can: at 100 dpi a thin space is 2.5 px.  Each side with a
 * neighbour whose spacing differs gives its vote, the gap beyond the
 * plain spacing and the glyphs' bearings in thin spaces; the pair is
 * stretched when every vote is SP_LAY_INNER_VOTE or more.  Main lines
 * only (scripts are set without these spaces).
 *
 * A superscript tells too, on any line: TeX raises it from a character
 * by a fixed shift (0.36-0.41 em, its baseline 0.6-0.66 of a normal ")"
 * above the delimiter's bottom) but from the box of a \\left … \\right by
 * the box's height less a drop (0.48 em: 0.73 of it).  On im2latex-val
 * images 0-6000, 51 of 58 such superscripts sat SP_LAY_RIGHT_SUP or
 * higher, and 5 of 445 on plain delimiters.
 *
 * it[0..ni) are the line's bases in order; stack has room for ni. */
static void sp_lay_inner_pairs(sp_lay_item *it, size_t ni, float E, int depth, size_t *stack) {
    size_t ns = 0;
    for (size_t k = 0; k < ni; k++) {
        sp_lu *u = it[k].u;
        int st;
        if (u->kind != SP_LK_SYM || u->stretch || !u->latex || u->fence == SP_LF_NONE) continue;
        sp_lay_delim_name(u->latex, &st);
        if (st) continue; /* \\big( …: sized on purpose */
        int raised = it[k].sup_base > 0 && u->y1 - it[k].sup_base >= SP_LAY_RIGHT_SUP * sp_h(u);
        if (u->fence == SP_LF_EITHER) {
            /* |x|^{2}: the bar before it of the same spelling and height */
            for (size_t j = k; raised && j-- > 0;) {
                sp_lu *o = it[j].u;
                if (o->kind != SP_LK_SYM || o->fence != SP_LF_EITHER || !o->latex || strcmp(o->latex, u->latex))
                    continue;
                if (!o->stretch && fabsf(sp_h(o) - sp_h(u)) <= 0.15f * sp_h(u)) o->stretch = u->stretch = 1;
                break;
            }
            continue;
        }
        if (u->fence == SP_LF_OPEN) {
            stack[ns++] = k;
            continue;
        }
        if (!ns) continue;
        size_t ko = stack[--ns];
        sp_lu *o = it[ko].u;
        if (!sp_lay_delims_pair(o, u) || fabsf(sp_h(o) - sp_h(u)) > 0.15f * sp_h(u)) continue;
        if (raised) {
            o->stretch = u->stretch = 1;
            continue;
        }
        if (depth != 0) continue;
        float vote = INFINITY;
        if (ko > 0) vote = sp_minf(vote, sp_lay_inner_vote(&it[ko - 1], o->x0, 0, E));
        if (k + 1 < ni) vote = sp_minf(vote, sp_lay_inner_vote(&it[k], it[k + 1].u->x0, 1, E));
        if (vote < INFINITY && vote >= SP_LAY_INNER_VOTE) o->stretch = u->stretch = 1;
    }
}

/* The size tier of a delimiter class: 0 plain, 1 \\big, 2 larger (or a
 * \\left/\\right class). */
static int sp_lay_delim_tier(const char *latex) {
    int st;
    sp_lay_delim_name(latex, &st);
    if (!st) return 0;
    return sp_starts(latex, "\\big") && !sp_starts(latex, "\\bigg") ? 1 : 2;
}

/* A plain delimiter and a \\big one that close each other and are drawn
 * the same height are the same size: the classifier split the tier of one
 * of them (the plain size and \\big differ by a fifth, and the reference
 * height is a noisy ruler).  The \\big one becomes plain: a pair typeset
 * \\bigl( x \\bigr) is drawn taller than its content shows. */
static void sp_lay_even_pairs(sp_lu **items, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u->used || u->kind != SP_LK_SYM || u->fence != SP_LF_CLOSE || !u->latex) continue;
        /* the nearest unclosed opening delimiter to its left */
        sp_lu *o = NULL;
        int depth = 0;
        for (size_t k = i; k-- > 0;) {
            sp_lu *c = items[k];
            if (c->used || c->kind != SP_LK_SYM || !c->fence || !c->latex) continue;
            if (c->fence == SP_LF_CLOSE) depth++;
            else if (c->fence == SP_LF_OPEN && depth-- == 0) {
                o = c;
                break;
            }
        }
        if (!o) continue;
        float r = sp_h(u) / sp_maxf(sp_h(o), 1.0f);
        int to = sp_lay_delim_tier(o->latex), tu = sp_lay_delim_tier(u->latex);
        if (r < 0.9f || r > 1.11f || fabsf(o->y0 - u->y0) > 0.1f * sp_h(u) || to + tu != 1) continue;
        sp_lu *big = to ? o : u;
        int st;
        sp_lay_reread(big, sp_lay_delim_name(big->latex, &st));
        big->picked = 1;
    }
}

/* The number of primes that lead a superscript zone sup[0..n) (x order)
 * and are a script of their own, {X'}^{2}: the next glyph that sits on a
 * baseline (a letter or digit) sits higher than the last prime, its top
 * by 0.1 em and its bottom too.  In X^{\\prime 2} the prime and the 2
 * share the script's baseline and their tops lie within 0.1 em; the 2 of
 * {X'}^{2} is a script of a base as tall as the prime.  0 when
 * the zone does not start with primes or has nothing after them. */
static size_t sp_lay_prime_group(sp_lu **sup, size_t n, float E) {
    size_t np = 0;
    while (np < n && sup[np]->kind == SP_LK_PRIME) np++;
    if (!np || np == n) return 0;
    const sp_lu *p = sup[np - 1];
    for (size_t k = np; k < n; k++) {
        const sp_lu *g = sup[k];
        if (g->kind != SP_LK_SYM || (g->vcat != SP_VC_A && g->vcat != SP_VC_X)) continue;
        return g->y1 < p->y1 && g->y0 < p->y0 - 0.1f * E ? np : 0;
    }
    return 0;
}

/* A script read as an italic s whose runner-up is the asterisk (at least
 * SP_LAY_STAR_MIN) is the asterisk: at script size the two are a few
 * pixels alike, and a real s is read with no doubt of that kind.  The
 * star of a conjugate or a dual (z^{*}) is also far the more common
 * superscript: the project's formula generator writes ^{*} some 500 times
 * for each ^{s}. */
static void sp_lay_script_star(sp_lu **zone, size_t n) {
    for (size_t k = 0; k < n; k++) {
        sp_lu *u = zone[k];
        const sp_layout_symbol *s = u->sym;
        if (!s || u->kind != SP_LK_SYM || !u->latex || strcmp(u->latex, "s")) continue;
        for (int a = 0; a < SP_LAYOUT_MAX_ALTS && s->alt[a]; a++) {
            if (!strcmp(s->alt[a], "\\ast") && s->alt_prob[a] >= SP_LAY_STAR_MIN) {
                sp_lay_reread(u, "\\ast");
                break;
            }
        }
    }
}

/* An evaluation bar: a tall | or \\| with scripts and no bar of its
 * spelling and height before it on the line (but evaluation bars),
 * \\left. f \\right|_{x=0}.  It is written so, over what precedes it back
 * to the last relation, comma or space, and TeX sizes it from that content
 * as the source did (read alone, as a \\Big| or \\bigg|, its size is the
 * classifier's guess of a tier).  it[0..k] are the line's items so far. */
static int sp_lay_eval_bar(const sp_lay_item *it, size_t k, float E) {
    const sp_lay_item *x = &it[k];
    const sp_lu *u = x->u;
    int st = 0;
    if (!(x->sub || x->sup) || u->kind != SP_LK_SYM || !u->fence || !u->latex) return 0;
    const char *d = sp_lay_delim_name(u->latex, &st);
    if (strcmp(d, "|") && strcmp(d, "\\|")) return 0;
    if (!u->stretch && (sp_lay_delim_tier(u->latex) < 2 || sp_h(u) < SP_LAY_TIER_BIG2 * E)) return 0;
    for (size_t j = 0; j < k; j++) {
        const sp_lu *o = it[j].u;
        int so;
        if (o->kind == SP_LK_SYM && o->fence && o->latex && !it[j].sub && !it[j].sup &&
            !strcmp(sp_lay_delim_name(o->latex, &so), d) && fabsf(sp_h(o) - sp_h(u)) <= 0.15f * sp_h(u))
            return 0;
    }
    return 1;
}

/* Scripts on an empty group, {}_{\\rho} or {}^{(5)}: the pre-scripts of a
 * line and the second of staggered tensor indices.  NULL when out of
 * memory (or sub and sup are both NULL). */
static sp_node *sp_lay_empty_scripts(sp_lay *L, sp_node *sub, sp_node *sup) {
    sp_node *empty = sub || sup ? sp_tree_row(L->t) : NULL;
    return empty ? sp_tree_scripts(L->t, empty, sub, sup, SP_LIMITS_AUTO) : NULL;
}

/* Scripts before the line's first base, {}^{(5)}\\Lambda or {}_{1}F_{1}:
 * glyphs at the start of the main line that sit as scripts of the main
 * glyph right after them (script size, off the line) become one composite,
 * scripts on an empty group, in items[0]; the array closes up and *n
 * shrinks.  Line baseline B, em E. */
static void sp_lay_prescripts(sp_lay *L, sp_lu **items, size_t *n, float B, float E, int depth) {
    size_t j = 0;
    /* script-size glyphs (a composite's size is unknown: none), and the
     * small parentheses of a "(k)" */
    while (j < *n && j < SP_LAY_PRESCRIPT_MAX && items[j]->kind == SP_LK_SYM &&
           (items[j]->fence ? !items[j]->stretch && sp_h(items[j]) < SP_LAY_PRESCRIPT_FENCE * E
                            : items[j]->em > 0 && items[j]->em < SP_LAY_PRESCRIPT_EM * E))
        j++;
    if (depth != 0 || j == 0 || j >= *n) return;
    sp_lu *b = items[j];
    if (b->kind != SP_LK_SYM || b->wem || !(b->em > 0.8f * E && b->em < 1.3f * E) || b->base <= 0 ||
        fabsf(b->base - B) > 0.15f * E || b->x0 - items[j - 1]->x1 > 0.6f * E ||
        (b->vcat != SP_VC_X && b->vcat != SP_VC_A && b->vcat != SP_VC_D && b->vcat != SP_VC_AD))
        return;
    sp_lu *sub[SP_LAY_PRESCRIPT_MAX], *sup[SP_LAY_PRESCRIPT_MAX];
    size_t nsub = 0, nsup = 0;
    for (size_t k = 0; k < j; k++) {
        int rel = sp_lay_relation(L, B, E, b, items[k]);
        if (rel == SP_REL_SAME || items[k]->x1 > b->x0 + 1) return;
        /* clearly off the line: wholly above its middle, or below it */
        float off = rel == SP_REL_SUP ? B - items[k]->y1 - SP_LAY_PRESCRIPT_UP * E
                                      : items[k]->y1 - B - SP_LAY_PRESCRIPT_DOWN * E;
        if (off < 0) return;
        if (rel == SP_REL_SUP) sup[nsup++] = items[k];
        else sub[nsub++] = items[k];
    }
    float bs;
    sp_lay_set S = {sub, nsub}, P = {sup, nsup};
    sp_node *sn = nsub ? sp_lay_sub(L, &S, depth, 0.7f * E, &bs) : NULL;
    sp_node *pn = nsup ? sp_lay_sub(L, &P, depth, 0.7f * E, &bs) : NULL;
    sp_node *node = (sn || !nsub) && (pn || !nsup) ? sp_lay_empty_scripts(L, sn, pn) : NULL;
    sp_lu *c = node ? sp_lay_new_unit(L) : NULL;
    if (!c) {
        if (!L->rc) sp_lay_fail(L, SCIPIX_ENOMEM);
        return;
    }
    sp_lay_box_union(c, items, j, 1);
    c->node = node;
    for (size_t k = 0; k < j; k++) items[k]->used = 1;
    items[0] = c;
    memmove(items + 1, items + j, (*n - j) * sizeof *items);
    *n -= j - 1;
}

/* Is n a Latin letter set upright or bold (a letter of a word)? */
static int sp_lay_word_letter(const sp_node *n, int variant) {
    if (!n || n->kind != SP_NODE_SYMBOL || n->u.sym.size || n->u.sym.variant != variant) return 0;
    const char *l = n->u.sym.latex;
    return l && ((l[0] >= 'a' && l[0] <= 'z') || (l[0] >= 'A' && l[0] <= 'Z')) && !l[1];
}

/* Where the word that letter `last` ends starts in out[0..no): the first
 * of the upright (or bold) letters right before it, or no if none.  TeX
 * sets the scripts of a group lower (a subscript) than those of a letter,
 * and \mathrm{Tr}_{N}, \mathrm{GeV}^{2} script the whole word. */
static size_t sp_lay_word_start(sp_node *const *out, size_t no, const sp_node *last) {
    if (!last || last->kind != SP_NODE_SYMBOL ||
        (last->u.sym.variant != SP_VAR_UPRIGHT && last->u.sym.variant != SP_VAR_BOLD) ||
        !sp_lay_word_letter(last, last->u.sym.variant))
        return no;
    size_t w0 = no;
    while (w0 > 0 && sp_lay_word_letter(out[w0 - 1], last->u.sym.variant)) w0--;
    return w0;
}

static sp_node *sp_lay_baseline(sp_lay *L, sp_lu **items, size_t n, float E, int depth, float *base_out) {
    qsort(items, n, sizeof *items, sp_lay_cmp_x);
    sp_lay_even_pairs(items, n);
    /* a delimiter read at its normal size but drawn much taller than one
     * (a normal "(" is 1.0 em, \big 1.2, \Big 1.8): the classifier missed
     * the tier, the height does not lie, it stretches like \left( */
    /* ... or just taller than a normal one: the em of the region's glyphs
     * other than delimiters (tall parentheses would set a region's em to
     * their own size, and a \\left( of a \\big size look normal) */
    size_t n_est = 0;
    float text_em = 0;
    for (size_t i = 0; i < n && text_em == 0; i++)
        if (items[i]->kind == SP_LK_SYM && items[i]->fence) text_em = sp_lay_em_of(items, n, 0, &n_est);
    if (n_est < 3) text_em = 0;
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u->kind != SP_LK_SYM || !u->fence || u->stretch || !u->latex || sp_starts(u->latex, "\\big") ||
            sp_starts(u->latex, "\\Big"))
            continue;
        if (sp_h(u) >= SP_LAY_TALL_FENCE * E) u->stretch = 1;
        sp_lu *o = text_em > 0 && sp_h(u) >= SP_LAY_RAISED_FENCE * text_em ? sp_lay_fence_partner(items, n, i) : NULL;
        if (o && o->latex && !sp_starts(o->latex, "\\big") && !sp_starts(o->latex, "\\Big")) u->stretch = o->stretch = 1;
    }
    /* a stretched delimiter's partner of its height stretches too, even
     * read \\Bigg( or \\Big): a pair read half \\right), half \\Bigg( (the
     * classifier's two readings of one size) never closes otherwise */
    for (size_t i = 0; i < n; i++) {
        sp_lu *u = items[i];
        if (u->kind != SP_LK_SYM || !u->fence || !u->stretch) continue;
        sp_lu *o = sp_lay_fence_partner(items, n, i);
        if (o && o->latex && !o->stretch) o->stretch = 1;
    }
    /* initial baseline: first unit of ordinary size with an estimate */
    float B = 0;
    {
        /* the median over the first main-size units: one glyph that dips
         * below the line (a calligraphic Y) does not move it.  Of an even
         * count, the middle one nearer the line's first unit when that is
         * among them (a line never starts with a script: the p of p^{2}),
         * else the higher: below 150 dpi a subscript's blurred glyph often
         * reads main-size (the c of L_c) */
        float bs[5];
        size_t nb = 0;
        int lead = 0; /* bs[0] is the line's first unit */
        for (size_t i = 0; i < n && nb < 5; i++)
            if (items[i]->em > 0 && items[i]->base > 0 && !items[i]->wem && items[i]->em > 0.8f * E &&
                items[i]->em < 1.3f * E) {
                lead |= i == 0;
                bs[nb++] = items[i]->base;
            }
        if (nb) {
            float first = bs[0];
            qsort(bs, nb, sizeof *bs, sp_lay_cmp_f);
            B = bs[(nb - 1) / 2];
            if (lead && nb % 2 == 0 && fabsf(bs[nb / 2] - first) < fabsf(B - first)) B = bs[nb / 2];
        }
    }
    for (size_t i = 0; i < n && B == 0; i++)
        if (items[i]->base > 0) B = items[i]->base;
    if (B == 0 && n) B = sp_cy(items[0]) + 0.25f * E;
    if (base_out) *base_out = B;
    sp_lay_prescripts(L, items, &n, B, E, depth);

    sp_lay_item *it = malloc((n ? n : 1) * sizeof *it);
    sp_lu **zone = malloc((n ? n : 1) * sizeof *zone);
    sp_lu **zsup = malloc((n ? n : 1) * sizeof *zsup);
    sp_node **out = malloc((2 * n + 1) * sizeof *out); /* each item, a space before it, its script units */
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    sp_node *row = sp_tree_row(L->t);
    if (!it || !zone || !zsup || !out || !stack || !row) {
        sp_lay_fail(L, SCIPIX_ENOMEM);
        goto done;
    }
    size_t ni = 0;
    for (size_t i = 0; i < n && !L->rc;) {
        sp_lu *b = items[i++];
        sp_lay_pick_case(L, b, B, E, items, n);
        sp_lay_pick_alt(L, b, B, E);
        /* track the baseline along the line (skew, size changes) */
        if (b->em > 0 && b->base > 0 && !b->wem && b->em > 0.8f * E && b->em < 1.3f * E &&
            fabsf(b->base - B) < 0.3f * E)
            B = 0.5f * (B + b->base);
        size_t nz = 0;
        /* an opening \\left( or \\bigg( takes no scripts: what follows it
         * high or low is its content (the rows of a stack it encloses) */
        int opens = b->kind == SP_LK_SYM && b->fence == SP_LF_OPEN && b->latex;
        if (opens && !b->stretch) sp_lay_delim_name(b->latex, &opens); /* sized: \\bigg( */
        while (i < n && !opens) {
            sp_lu *u = items[i];
            sp_lay_pick_case(L, u, B, E, items, n);
            sp_lay_pick_alt(L, u, B, E);
            int rel = sp_lay_relation(L, B, E, b, u);
            if (rel == SP_REL_SAME && nz && i + 1 < n && sp_lay_zone_glue(zone[nz - 1], u, E) &&
                sp_lay_relation(L, B, E, b, items[i + 1]) != SP_REL_SAME)
                rel = SP_REL_SUB; /* only "not on the line" matters here */
            if (rel == SP_REL_SAME && nz && sp_lay_zone_next(zone[nz - 1], u, E)) rel = SP_REL_SUB;
            if (rel == SP_REL_SAME && nz && sp_lay_zone_fraction(zone[nz - 1], u, E)) rel = SP_REL_SUB;
            if (rel == SP_REL_SAME && !nz && i + 1 < n && sp_lay_zone_lead(u, items[i + 1], E))
                rel = sp_lay_relation(L, B, E, b, items[i + 1]); /* the "-" of e^{-x}, x_{-1} */
            if (rel == SP_REL_SAME) break;
            /* a script starts near its base */
            if (nz == 0 && u->x0 > b->x1 + 1.2f * E) break;
            zone[nz++] = u;
            i++;
        }
        sp_node *bn = sp_lay_unit_node(L, b);
        if (!bn) break;
        sp_lay_item *x = &it[ni++];
        x->u = b;
        x->node = bn;
        x->sub = x->sup = NULL;
        x->sup_base = 0;
        x->stagger = 0;
        x->x1 = b->x1;
        for (size_t k = 0; k < nz; k++) x->x1 = sp_maxf(x->x1, zone[k]->x1);
        if (nz) {
            float split = sp_h(b) > 1.5f * E ? sp_cy(b) : B - 0.3f * E;
            size_t ns = 0, nsub = 0;
            sp_lu **zsub = zone; /* reuse in place: compact subs to the front */
            for (size_t k = 0; k < nz; k++) {
                sp_lu *u = zone[k];
                /* a prime low in the zone, after a subscript glyph, is
                 * that glyph's (Y_{l^{\prime}}) */
                int sub_prime = u->kind == SP_LK_PRIME && sp_cy(u) >= split && nsub && zsub[nsub - 1]->x1 <= u->x0 + 1;
                if ((u->kind == SP_LK_PRIME && !sub_prime) || sp_cy(u) < split) zsup[ns++] = u;
                else zsub[nsub++] = u;
            }
            sp_lu **cs = malloc(nz * sizeof *cs);
            if (!cs) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
            memcpy(cs, zsub, nsub * sizeof *cs);
            memcpy(cs + nsub, zsup, ns * sizeof *cs);
            float bs;
            size_t np = nsub ? 0 : sp_lay_prime_group(cs + nsub, ns, E);
            if (np && !(b->fence && b->stretch)) {
                /* {X'}^{2}: the primes are X's, the rest a script of both */
                sp_lay_set Q = {cs + nsub, np};
                sp_node *primes = sp_lay_sub(L, &Q, depth, 0.7f * E, &bs);
                sp_node *inner = primes ? sp_tree_scripts(L->t, x->node, NULL, primes, SP_LIMITS_AUTO) : NULL;
                if (!inner) {
                    free(cs);
                    sp_lay_fail(L, SCIPIX_ENOMEM);
                    break;
                }
                x->node = inner;
            }
            sp_lay_set S = {cs, nsub}, P = {cs + nsub + np, ns - np};
            sp_lay_script_star(S.v, S.n);
            if (nsub) x->sub = sp_lay_sub(L, &S, depth, 0.7f * E, &bs);
            sp_lay_script_star(P.v, P.n);
            if (ns > np) {
                x->sup = sp_lay_sub(L, &P, depth, 0.7f * E, &bs);
                /* the baseline of a row of glyphs; a fraction's or a
                 * radical's is not where its ink says */
                int plain = 1;
                for (size_t q = 0; q < P.n; q++) plain &= P.v[q]->kind == SP_LK_SYM;
                x->sup_base = plain ? bs : 0;
            }
            if (x->sub && x->sup && !np) x->stagger = sp_lay_staggered(b, S.v, S.n, P.v, P.n, E);
            free(cs);
        }
    }
    sp_lay_sized_pairs(it, ni, items, n, E, stack);
    sp_lay_sized_on_purpose(L, it, ni, items, n, E, stack);
    sp_lay_inner_pairs(it, ni, E, depth, stack);
    /* pair stretchy delimiters, attach scripts */
    size_t no = 0, ns = 0;
    for (size_t k = 0; k < ni && !L->rc; k++) {
        sp_lay_item *x = &it[k];
        sp_lu *u = x->u;
        int role = u->stretch && u->kind == SP_LK_SYM ? u->fence : SP_LF_NONE;
        int st;
        /* an explicit space before it: on a main line only (scripts and
         * the parts of fractions are set tight) and never inside a closing
         * delimiter */
        if (depth == 0 && k > 0 && no > 0 && role != SP_LF_CLOSE) {
            int a = sp_lay_node_atom(out[no - 1]), c = sp_lay_node_atom(x->node);
            if (c == SP_ATOM_BIN && (a == SP_ATOM_BIN || a == SP_ATOM_OP || a == SP_ATOM_REL || a == SP_ATOM_OPEN ||
                                     a == SP_ATOM_PUNCT))
                c = SP_ATOM_ORD;
            /* and so is one before a relation, a closing or punctuation */
            if (a == SP_ATOM_BIN && (c == SP_ATOM_REL || c == SP_ATOM_CLOSE || c == SP_ATOM_PUNCT)) a = SP_ATOM_ORD;
            if (c == SP_ATOM_BIN && k + 1 < ni && it[k + 1].node) {
                int next = sp_lay_node_atom(it[k + 1].node);
                if (next == SP_ATOM_REL || next == SP_ATOM_CLOSE || next == SP_ATOM_PUNCT) c = SP_ATOM_ORD;
            }
            if (u->stretch && u->fence) c = SP_ATOM_INNER; /* \\left( … \\right) spaces as one Inner */
            /* LaTeX's \\frac is a braced group, an Ord: no thin space before
             * punctuation (elsewhere the Inner it was taken for fits our
             * measurements, \\left…\\right votes among them) */
            if (out[no - 1]->kind == SP_NODE_FRAC && sp_lay_is_punct(u)) a = SP_ATOM_ORD;
            float gap_em = 0;
            const char *gap = sp_lay_bar_like(u) || sp_lay_bar_like(it[k - 1].u)
                                  ? NULL
                                  : sp_lay_gap_space(sp_lay_air(&it[k - 1], u, E), a, c, sp_lay_is_punct(u), &gap_em);
            sp_node *sp = gap ? sp_tree_space(L->t, gap, gap_em) : NULL;
            if (gap && !sp) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
            if (sp) out[no++] = sp;
        }
        if (depth == 0 && role == SP_LF_NONE && k > 0 && k + 1 < ni && no > 0 &&
            sp_lay_spaced_bar(it, k, out[no - 1], E)) {
            sp_node *mid = sp_tree_symbol(L->t, "\\mid", SP_VAR_NONE);
            if (!mid) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
            x->node = mid;
        }
        if (sp_lay_eval_bar(it, k, E)) {
            size_t from = ns ? stack[ns - 1] + 1 : 0;
            for (size_t q = no; q > from; q--) /* back to a relation, a comma or a space */
                if (sp_lay_node_atom(out[q - 1]) == SP_ATOM_REL || sp_lay_node_atom(out[q - 1]) == SP_ATOM_PUNCT ||
                    out[q - 1]->kind == SP_NODE_SPACE) {
                    from = q;
                    break;
                }
            while (from < no && out[from]->kind == SP_NODE_SPACE) from++;
            if (from < no) {
                sp_node *f = sp_lay_fence_scripts(L, out, from, no, ".", sp_lay_delim_name(u->latex, &st), x);
                if (!f) {
                    sp_lay_fail(L, SCIPIX_ENOMEM);
                    break;
                }
                no = from;
                out[no++] = f;
                continue;
            }
        }
        if (role == SP_LF_EITHER) {
            /* | and \| close the innermost open of the same spelling */
            int closes = 0;
            if (ns) {
                const sp_node *on = out[stack[ns - 1]];
                const char *d = sp_lay_delim_name(u->latex, &st);
                closes = on->kind == SP_NODE_SYMBOL && on->u.sym.size_role == 7 && on->u.sym.latex &&
                         !strcmp(on->u.sym.latex, d);
            }
            role = closes ? SP_LF_CLOSE : SP_LF_OPEN;
        }
        if (role == SP_LF_OPEN) {
            /* placeholder: remember position; the node stays as a symbol until paired */
            if (x->node->kind == SP_NODE_SYMBOL && u->fence == SP_LF_EITHER) x->node->u.sym.size_role = 7;
            stack[ns++] = no;
            out[no++] = x->node;
            /* what was taken for its scripts (a | that opens) is content */
            if (x->sup) out[no++] = x->sup;
            if (x->sub) out[no++] = x->sub;
            continue;
        }
        if (role == SP_LF_CLOSE && ns) {
            size_t oi = stack[--ns];
            sp_lu *ou = NULL;
            for (size_t q = 0; q < k; q++)
                if (it[q].node == out[oi]) ou = it[q].u;
            const char *od = ou ? sp_lay_delim_name(ou->latex, &st) : ".";
            const char *cd = sp_lay_delim_name(u->latex, &st);
            if (out[oi]->kind == SP_NODE_SYMBOL && out[oi]->u.sym.size_role == 7) out[oi]->u.sym.size_role = 0;
            sp_node *f = sp_lay_fence_scripts(L, out, oi + 1, no, od, cd, x);
            no = oi;
            if (!f) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
            out[no++] = f;
            continue;
        }
        if (role == SP_LF_CLOSE) {
            /* unmatched close: \left. … \right) over what precedes */
            const char *cd = sp_lay_delim_name(u->latex, &st);
            sp_node *f = sp_lay_fence_scripts(L, out, 0, no, ".", cd, x);
            if (!f) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
            no = 0;
            out[no++] = f;
            continue;
        }
        sp_node *nn = x->node;
        if (x->stagger) {
            /* U^{\\nu}{}_{\\rho}: the second script on an empty group */
            int sup_first = x->stagger > 0;
            nn = sp_tree_scripts(L->t, nn, sup_first ? NULL : x->sub, sup_first ? x->sup : NULL, SP_LIMITS_AUTO);
            sp_node *second = sp_lay_empty_scripts(L, sup_first ? x->sub : NULL, sup_first ? NULL : x->sup);
            if (!nn || !second) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
            out[no++] = nn;
            out[no++] = second;
            continue;
        }
        if (x->sub || x->sup) {
            /* the scripts of a word's last letter are the word's */
            size_t w0 = sp_lay_word_start(out, no, nn);
            sp_node *word = w0 < no ? sp_tree_row(L->t) : NULL;
            for (size_t q = w0; word && q <= no; q++)
                if (sp_tree_row_append(L->t, word, q < no ? out[q] : nn)) word = NULL;
            if (w0 < no && !word) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
            if (word) no = w0, nn = word;
            nn = sp_tree_scripts(L->t, nn, x->sub, x->sup, SP_LIMITS_AUTO);
            if (!nn) {
                sp_lay_fail(L, SCIPIX_ENOMEM);
                break;
            }
        }
        out[no++] = nn;
    }
    /* unmatched opens: \left( … \right. */
    while (ns && !L->rc) {
        size_t oi = stack[--ns];
        sp_lu *ou = NULL;
        for (size_t q = 0; q < ni; q++)
            if (it[q].node == out[oi]) ou = it[q].u;
        int st;
        const char *od = ou ? sp_lay_delim_name(ou->latex, &st) : ".";
        if (out[oi]->kind == SP_NODE_SYMBOL && out[oi]->u.sym.size_role == 7) out[oi]->u.sym.size_role = 0;
        sp_node *f = sp_lay_fence_wrap(L, out, oi + 1, no, od, ".");
        if (!f) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            break;
        }
        no = oi;
        out[no++] = f;
    }
    for (size_t k = 0; k < no && !L->rc; k++)
        if (sp_tree_row_append(L->t, row, out[k])) sp_lay_fail(L, SCIPIX_ENOMEM);
done:
    free(it);
    free(zone);
    free(zsup);
    free(out);
    free(stack);
    return L->rc ? NULL : row;
}

/* ---- a region ----------------------------------------------------------- */
static sp_node *sp_lay_region(sp_lay *L, sp_lu **items_in, size_t n, int depth, float parent_em, float *base_out) {
    if (L->rc) return NULL;
    if (base_out) *base_out = 0;
    /* own copy: the passes swap composites into the array */
    sp_lu **items = malloc((n ? n : 1) * sizeof *items);
    sp_lu **tmp = malloc((2 * n + 1) * sizeof *tmp);
    sp_lu **tmp2 = malloc((n + 1) * sizeof *tmp2);
    if (!items || !tmp || !tmp2) {
        free(items);
        free(tmp);
        free(tmp2);
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    memcpy(items, items_in, n * sizeof *items);
    sp_node *row = NULL;
    if (depth > SP_LAYOUT_MAX_DEPTH) {
        row = sp_lay_flat(L, items, n);
        goto out;
    }
    float em = sp_lay_region_em(items, n);
    if (parent_em > 0 && (em <= 1 || em > 1.6f * parent_em)) em = parent_em;
    sp_lay_dots(L, items, n, em, tmp);
    sp_lay_long_arrows(items, n, em);
    sp_lay_dot_accents(items, n, em);
    sp_lay_slash_tips(items, n, em);
    sp_lay_prime_pieces(items, n, em);
    sp_lay_serif_pieces(items, n, em);
    sp_lay_broken_zeros(items, n, em);
    sp_lay_surd_bars(items, n);
    sp_lay_word_fonts(items, n, em);
    sp_lay_words(L, items, n, em);
    sp_lay_rules(L, items, n, em, depth, tmp, tmp2);
    sp_lay_radicals(L, items, n, em, depth, tmp);
    sp_lay_big_sigmas(items, n, em);
    sp_lay_bigops(L, items, n, em, depth, tmp, tmp2);
    sp_lay_accents(L, items, n, em, depth, tmp);
    sp_lay_matrices(L, items, n, em, depth, tmp);
    if (L->rc) goto out;
    /* what is left (composites were swapped into items) */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!items[i]->used) tmp[k++] = items[i];
    row = sp_lay_baseline(L, tmp, k, em, depth, base_out);
out:
    for (size_t i = 0; i < n; i++) items[i]->used = 1;
    free(items);
    free(tmp);
    free(tmp2);
    return row;
}

/* Top-level line breaks.  Units are grouped by clean horizontal cuts (no box
 * crosses the cut, however small the gap: wrapped lines of inline math sit
 * tight).  A cut is a line break only when it looks like one: the part below
 * starts at the left margin and holds main-size text, both parts are more
 * than a stack of limits or a
 * numerator/denominator (no rule, big operator or accent right at the cut
 * whose span covers the other part), and the part above is wide or the gap clear.
 * Sets line[i] for the units (in the caller's order); returns the count. */
static size_t sp_lay_top_lines(sp_lu **items, size_t n, float em, int *line, size_t maxl) {
    if (!n) return 0;
    size_t *ord = malloc(n * sizeof *ord);
    if (!ord) return 1;
    for (size_t i = 0; i < n; i++) ord[i] = i, line[i] = 0;
    for (size_t i = 1; i < n; i++) /* insertion sort by y0 (n is bounded) */
        for (size_t j = i; j > 0 && items[ord[j]]->y0 < items[ord[j - 1]]->y0; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    float minx = 1e30f, maxx = -1e30f;
    for (size_t i = 0; i < n; i++) minx = sp_minf(minx, items[i]->x0), maxx = sp_maxf(maxx, items[i]->x1);
    float W = maxx - minx;
    size_t nl = 0, start = 0; /* current line: ord[start..) */
    float bot = items[ord[0]]->y1;
    for (size_t k = 1; k <= n; k++) {
        if (k < n && items[ord[k]]->y0 <= bot) {
            bot = sp_maxf(bot, items[ord[k]]->y1);
            continue;
        }
        if (k == n) break;
        /* a clean cut between ord[..k) and ord[k..): the group below is up
         * to the next clean cut */
        size_t e = k + 1;
        float gb = items[ord[k]]->y1;
        while (e < n && items[ord[e]]->y0 <= gb) gb = sp_maxf(gb, items[ord[e]]->y1), e++;
        float cut0 = bot, cut1 = items[ord[k]]->y0;
        float ax0 = 1e30f, ax1 = -1e30f, bx0 = 1e30f, bx1 = -1e30f;
        for (size_t q = start; q < k; q++) ax0 = sp_minf(ax0, items[ord[q]]->x0), ax1 = sp_maxf(ax1, items[ord[q]]->x1);
        for (size_t q = k; q < e; q++) bx0 = sp_minf(bx0, items[ord[q]]->x0), bx1 = sp_maxf(bx1, items[ord[q]]->x1);
        /* ... and holds text of the main size (limits under a leading
         * \lim or \sum are script size) */
        float bem = 0, bh = 0;
        for (size_t q = k; q < e; q++) bem = sp_maxf(bem, items[ord[q]]->em), bh = sp_maxf(bh, sp_h(items[ord[q]]));
        int ok = bx0 <= minx + 1.0f * em && (ax1 - ax0 >= 0.6f * W || cut1 - cut0 > 0.45f * em) &&
                 (bem >= 0.85f * em || bh >= 0.9f * em);
        /* dominant units next to the cut that span the other side */
        for (size_t q = start; q < e && ok; q++) {
            sp_lu *u = items[ord[q]];
            int above = q < k;
            float d = above ? cut0 - u->y1 : u->y0 - cut1;
            if (d > 0.6f * em) continue;
            int dom = u->kind == SP_LK_RULE || u->kind == SP_LK_BIGOP || u->kind == SP_LK_ACCENT || u->kind == SP_LK_UACCENT || u->kind == SP_LK_INTEGRAL;
            if (!dom) continue;
            float ox0 = above ? bx0 : ax0, ox1 = above ? bx1 : ax1;
            float ov = sp_minf(u->x1, ox1) - sp_maxf(u->x0, ox0);
            if (ov > 0.5f * (ox1 - ox0)) ok = 0; /* the other part hangs under / over u */
            /* or one unit of it, next to the cut, does (a denominator
             * beside the limit under \lim: the lower part is wider) */
            size_t o0 = above ? k : start, o1 = above ? e : k;
            for (size_t r = o0; r < o1 && ok; r++) {
                const sp_lu *v = items[ord[r]];
                float dv = above ? v->y0 - u->y1 : u->y0 - v->y1; /* the gap between them */
                if (dv > 0.65f * em) continue;
                float ovv = sp_minf(u->x1, v->x1) - sp_maxf(u->x0, v->x0);
                /* an accent narrower than its letter (the \\hat over a
                 * calligraphic H) lies over it when most of the accent does */
                int accent = u->kind == SP_LK_ACCENT || u->kind == SP_LK_UACCENT;
                if (ovv > 0.5f * (accent ? sp_minf(sp_w(u), sp_w(v)) : sp_w(v))) ok = 0;
            }
        }
        if (ok && nl + 1 < maxl) {
            nl++;
            start = k;
        }
        for (size_t q = k; q < e; q++) line[ord[q]] = (int)nl;
        bot = gb;
        k = e - 1;
        continue;
    }
    /* the first group (before any cut) */
    free(ord);
    return nl + 1;
}

/* The whole formula: lines (see sp_lay_top_lines) become an array with one
 * column, aligned as the lines are, or with SP_LAYOUT_JOIN_LINES one row. */
static sp_node *sp_lay_top(sp_lay *L, sp_lu **items, size_t n, float *base, unsigned flags) {
    float em = sp_lay_region_em(items, n);
    int *line = malloc((n ? n : 1) * sizeof *line);
    if (!line) {
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    size_t nl = n ? sp_lay_top_lines(items, n, em, line, SP_LAY_MAX_LINES) : 0;
    if (nl < 2) {
        free(line);
        return sp_lay_region(L, items, n, 0, 0, base);
    }
    sp_node *rows = sp_tree_row(L->t);
    sp_lu **sub = malloc(n * sizeof *sub);
    if (!rows || !sub) {
        free(sub);
        free(line);
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    for (size_t li = 0; li < nl && !L->rc; li++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (line[i] == (int)li) sub[k++] = items[i];
        sp_node *cell = k ? sp_lay_region(L, sub, k, 1, em, base) : sp_tree_row(L->t);
        if (!cell) {
            sp_lay_fail(L, SCIPIX_ENOMEM);
            break;
        }
        if (flags & SP_LAYOUT_JOIN_LINES) {
            for (size_t c = 0; c < cell->u.row.n && !L->rc; c++)
                if (sp_tree_row_append(L->t, rows, cell->u.row.items[c])) sp_lay_fail(L, SCIPIX_ENOMEM);
            continue;
        }
        sp_node *r = sp_tree_row(L->t);
        if (!r || sp_tree_row_append(L->t, r, cell) || sp_tree_row_append(L->t, rows, r))
            sp_lay_fail(L, SCIPIX_ENOMEM);
    }
    free(sub);
    if (L->rc) {
        free(line);
        return NULL;
    }
    if (flags & SP_LAYOUT_JOIN_LINES) {
        free(line);
        return rows;
    }
    /* the lines are set flush left, centred or flush right */
    float lx0[SP_LAY_MAX_LINES], lx1[SP_LAY_MAX_LINES];
    for (size_t li = 0; li < nl; li++) lx0[li] = 1e30f, lx1[li] = -1e30f;
    for (size_t i = 0; i < n; i++)
        lx0[line[i]] = sp_minf(lx0[line[i]], items[i]->x0), lx1[line[i]] = sp_maxf(lx1[line[i]], items[i]->x1);
    free(line);
    size_t nf = 0;
    for (size_t li = 0; li < nl; li++)
        if (lx1[li] >= lx0[li]) lx0[nf] = lx0[li], lx1[nf++] = lx1[li];
    static const char *const spec_of[] = {"l", "c", "r"};
    char a = sp_lay_align(lx0, lx1, nf, em);
    sp_node *tb = sp_tree_table(L->t, "array", spec_of[a == 'l' ? 0 : a == 'c' ? 1 : 2], rows);
    sp_node *row = tb ? sp_tree_row(L->t) : NULL;
    if (!row || sp_tree_row_append(L->t, row, tb)) {
        sp_lay_fail(L, SCIPIX_ENOMEM);
        return NULL;
    }
    return row;
}

int sp_layout_build(sp_tree *t, const sp_layout_symbol *syms, size_t n, sp_node **root, float *confidence,
                    scipix_error *err) {
    return sp_layout_build_ex(t, syms, n, 0, root, confidence, err);
}

int sp_layout_build_ex(sp_tree *t, const sp_layout_symbol *syms, size_t n, unsigned flags, sp_node **root,
                       float *confidence, scipix_error *err) {
    if (!t || !root || (!syms && n)) return sp_error_set(err, SCIPIX_EINVAL, "sp_layout_build: NULL argument");
    *root = NULL;
    if (confidence) *confidence = 0;
    sp_lay L;
    memset(&L, 0, sizeof L);
    L.t = t;
    L.err = err;
    L.penalty = 1.0;
    L.cap = 2 * n + 8;
    L.u = calloc(L.cap, sizeof *L.u);
    sp_lu **items = malloc((n ? n : 1) * sizeof *items);
    if (!L.u || !items) {
        free(L.u);
        free(items);
        return sp_error_set(err, SCIPIX_ENOMEM, "layout: cannot allocate %zu units", n);
    }
    double conf = 1.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!syms[i].latex || !syms[i].latex[0]) continue;
        sp_lay_unit_init(&L.u[L.nu], &syms[i]);
        sp_lay_shape_veto(&L.u[L.nu]);
        items[k++] = &L.u[L.nu++];
        float p = syms[i].prob;
        conf *= p < 0 ? 0 : p > 1 ? 1 : p;
    }
    sp_lay_lone_upright_o(items, k);
    sp_lay_word_strokes(items, k);
    sp_lay_trace_r(items, k);
    sp_lay_narrow_epsilon(items, k);
    sp_lay_marks_by_neighbour(items, k);
    sp_node *row;
    float base;
    if (k > SP_LAYOUT_MAX_SYMBOLS) row = sp_lay_flat(&L, items, k);
    else row = sp_lay_top(&L, items, k, &base, flags);
    free(items);
    free(L.u);
    if (L.rc || !row) {
        if (!L.rc) sp_error_set(err, SCIPIX_ENOMEM, "layout: out of memory");
        return L.rc ? L.rc : SCIPIX_ENOMEM;
    }
    t->root = row;
    *root = row;
    if (confidence) *confidence = (float)(conf * L.penalty);
    return SCIPIX_OK;
}
