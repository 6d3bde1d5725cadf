/*
 * mathml.c — the math tree as Presentation MathML.
 *
 * Mapping (chosen to agree with what MathJax makes of the same LaTeX):
 *   symbols      <mi>/<mn>/<mo> by symbol type; digits (and a '.' between
 *                digits) merge into one <mn>; a run of letters in one
 *                upright/bold/… variant merges into one <mi> ("diag");
 *                mathvariant from the variant; uppercase Greek is upright.
 *   ROW          <mrow> (the root row's items go straight into <math>)
 *   FRAC         <mfrac> (linethickness="0" without bar), \binom wrapped in
 *                parentheses; \dfrac/\tfrac in an <mstyle>.
 *   RADICAL      <msqrt>, <mroot>
 *   SCRIPTS      <msub>/<msup>/<msubsup>, or <munder>/<mover>/<munderover>
 *                for limits (large operators, \lim-like functions, braces,
 *                \limits), with movablelimits on the operator.
 *   UNDEROVER    <mover accent="true"> for accents, <munder>/<mover> else.
 *   FENCED       <mrow> with stretchy fence <mo>s (none for '.')
 *   TABLE        <mtable> with columnalign/columnlines/rowlines from the
 *                array spec and \hline, in the matrix's delimiters; cases
 *                gets its brace.
 *   FUNC         <mi>sin</mi> then U+2061 (function application)
 *   STYLE        <mstyle>, <mphantom>, <mpadded>, <menclose notation="box">
 * Text content is escaped (&amp; &lt; &gt;); output is one line.
 */
#include "emit/emit.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    sp_buf *b;
} sp_mw;

static int sp_mm_node(sp_mw *w, const sp_node *n, const sp_node *row, uint32_t *idx);

static void sp_mm_escape(sp_buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': sp_buf_puts(b, "&amp;"); break;
        case '<': sp_buf_puts(b, "&lt;"); break;
        case '>': sp_buf_puts(b, "&gt;"); break;
        case '"': sp_buf_puts(b, "&quot;"); break;
        default: sp_buf_putc(b, *s);
        }
    }
}

static const char *sp_mm_variant(int v) {
    switch (v) {
    case SP_VAR_ITALIC: return "italic";
    case SP_VAR_UPRIGHT: return "normal";
    case SP_VAR_BOLD: return "bold";
    case SP_VAR_BOLD_ITALIC: return "bold-italic";
    case SP_VAR_CALLIGRAPHIC: return "script";
    case SP_VAR_BLACKBOARD: return "double-struck";
    case SP_VAR_FRAKTUR: return "fraktur";
    case SP_VAR_SANS: return "sans-serif";
    case SP_VAR_MONO: return "monospace";
    default: return NULL;
    }
}

static int sp_mm_is_upper_greek(const char *s) {
    /* U+0391..U+03A9 are CE 91 .. CE A9 */
    return (unsigned char)s[0] == 0xCE && (unsigned char)s[1] >= 0x91 && (unsigned char)s[1] <= 0xA9 && !s[2];
}

static int sp_mm_is_digit_sym(const sp_node *n) {
    return n && n->kind == SP_NODE_SYMBOL && n->u.sym.type == SP_SYM_NUMBER && !n->u.sym.size;
}
static int sp_mm_is_point(const sp_node *n) {
    return n && n->kind == SP_NODE_SYMBOL && !strcmp(n->u.sym.latex, ".") && !n->u.sym.size;
}
static int sp_mm_is_letter_sym(const sp_node *n) {
    if (!n || n->kind != SP_NODE_SYMBOL || n->u.sym.type != SP_SYM_IDENT || n->u.sym.size) return 0;
    char c = n->u.sym.text[0];
    return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && !n->u.sym.text[1];
}

static void sp_mm_open_tok(sp_mw *w, const char *tag, int variant) {
    sp_buf_putc(w->b, '<');
    sp_buf_puts(w->b, tag);
    const char *mv = sp_mm_variant(variant);
    if (mv) {
        sp_buf_puts(w->b, " mathvariant=\"");
        sp_buf_puts(w->b, mv);
        sp_buf_putc(w->b, '"');
    }
}

static void sp_mm_symbol(sp_mw *w, const sp_node *n, const char *extra) {
    if (!strcmp(n->u.sym.latex, "\\not")) { /* a zero-width slash over what follows */
        sp_buf_puts(w->b, "<mpadded width=\"0\"><mtext>&#x29F8;</mtext></mpadded>");
        return;
    }
    const char *tag = n->u.sym.type == SP_SYM_IDENT ? "mi" : n->u.sym.type == SP_SYM_NUMBER ? "mn" : "mo";
    int v = n->u.sym.variant;
    sp_mm_open_tok(w, tag, v);
    if (!v && n->u.sym.type == SP_SYM_IDENT && sp_mm_is_upper_greek(n->u.sym.text))
        sp_buf_puts(w->b, " mathvariant=\"normal\"");
    if (n->u.sym.type == SP_SYM_OP) {
        if (n->u.sym.size) {
            static const char *const em[] = {"1em", "1.2em", "1.623em", "2.047em", "2.470em"};
            const char *e = em[n->u.sym.size <= 4 ? n->u.sym.size : 1];
            sp_buf_printf(w->b, " minsize=\"%s\" maxsize=\"%s\"", e, e);
        } else if (n->u.sym.size_role == SP_ROLE_MIDDLE) {
            sp_buf_puts(w->b, " stretchy=\"true\" fence=\"true\"");
        } else if (n->u.sym.atom == SP_ATOM_OPEN || n->u.sym.atom == SP_ATOM_CLOSE ||
                   ((n->u.sym.symflags & SP_SYMF_FENCE) && n->u.sym.atom == SP_ATOM_ORD)) {
            sp_buf_puts(w->b, " stretchy=\"false\"");
        }
    }
    if (extra) sp_buf_puts(w->b, extra);
    sp_buf_putc(w->b, '>');
    sp_mm_escape(w->b, n->u.sym.text);
    sp_buf_puts(w->b, "</");
    sp_buf_puts(w->b, tag);
    sp_buf_putc(w->b, '>');
}

/* A row's items: merges numbers and upright words, adds U+2061 after
 * function names. */
static int sp_mm_items(sp_mw *w, const sp_node *row) {
    uint32_t i = 0;
    while (i < row->u.row.n) {
        const sp_node *c = row->u.row.items[i];
        if (!c) return SCIPIX_EINVAL;
        if (sp_mm_is_digit_sym(c)) {
            uint32_t j = i;
            int v = c->u.sym.variant;
            sp_mm_open_tok(w, "mn", v);
            sp_buf_putc(w->b, '>');
            while (j < row->u.row.n) {
                const sp_node *d = row->u.row.items[j];
                if (sp_mm_is_digit_sym(d) && d->u.sym.variant == v) sp_mm_escape(w->b, d->u.sym.text);
                else if (sp_mm_is_point(d) && d->u.sym.variant == v && j + 1 < row->u.row.n &&
                         sp_mm_is_digit_sym(row->u.row.items[j + 1]) && row->u.row.items[j + 1]->u.sym.variant == v)
                    sp_buf_putc(w->b, '.');
                else break;
                j++;
            }
            sp_buf_puts(w->b, "</mn>");
            i = j;
            continue;
        }
        if (sp_mm_is_letter_sym(c) && c->u.sym.variant != SP_VAR_NONE && c->u.sym.variant != SP_VAR_ITALIC &&
            i + 1 < row->u.row.n && sp_mm_is_letter_sym(row->u.row.items[i + 1]) &&
            row->u.row.items[i + 1]->u.sym.variant == c->u.sym.variant) {
            uint32_t j = i;
            sp_mm_open_tok(w, "mi", c->u.sym.variant);
            sp_buf_putc(w->b, '>');
            while (j < row->u.row.n && sp_mm_is_letter_sym(row->u.row.items[j]) &&
                   row->u.row.items[j]->u.sym.variant == c->u.sym.variant) {
                sp_mm_escape(w->b, row->u.row.items[j]->u.sym.text);
                j++;
            }
            sp_buf_puts(w->b, "</mi>");
            i = j;
            continue;
        }
        int rc = sp_mm_node(w, c, row, &i);
        if (rc) return rc;
        if (c->kind == SP_NODE_FUNC && i < row->u.row.n) sp_buf_puts(w->b, "<mo>&#x2061;</mo>");
    }
    return SCIPIX_OK;
}

/* One child in a position that takes exactly one element (mfrac's parts,
 * scripts): a one-item row is its item, else an <mrow>. */
static int sp_mm_single(sp_mw *w, const sp_node *n) {
    if (!n) return SCIPIX_EINVAL;
    if (n->kind == SP_NODE_ROW) {
        if (n->u.row.n == 1 && n->u.row.items[0]->kind != SP_NODE_FUNC) {
            uint32_t i = 0;
            return sp_mm_node(w, n->u.row.items[0], n, &i);
        }
        sp_buf_puts(w->b, "<mrow>");
        int rc = sp_mm_items(w, n);
        sp_buf_puts(w->b, "</mrow>");
        return rc;
    }
    uint32_t i = 0;
    return sp_mm_node(w, n, NULL, &i);
}

/* Contents of an element with an inferred mrow (msqrt, mtd, mstyle …). */
static int sp_mm_inferred(sp_mw *w, const sp_node *n) {
    if (!n) return SCIPIX_EINVAL;
    if (n->kind == SP_NODE_ROW) return sp_mm_items(w, n);
    uint32_t i = 0;
    return sp_mm_node(w, n, NULL, &i);
}

static int sp_mm_limits_base(const sp_node *b, int limits) {
    if (limits == SP_LIMITS_LIMITS) return 1;
    if (limits == SP_LIMITS_NOLIMITS) return 0;
    while (b && b->kind == SP_NODE_ROW && b->u.row.n == 1) b = b->u.row.items[0];
    if (!b) return 0;
    switch (b->kind) {
    case SP_NODE_SYMBOL:
        return (b->u.sym.symflags & SP_SYMF_LARGEOP) && !(b->u.sym.symflags & SP_SYMF_INTEGRAL);
    case SP_NODE_FUNC: return b->u.func.limits || (b->flags & SP_NODEF_STAR);
    case SP_NODE_UNDEROVER:
        return b->u.uo.cmd && (!strcmp(b->u.uo.cmd, "\\overbrace") || !strcmp(b->u.uo.cmd, "\\underbrace"));
    case SP_NODE_STYLE: return b->u.style.style == SP_STYLE_CLASS && b->u.style.atom == SP_ATOM_OP;
    default: return 0;
    }
}

static int sp_mm_scripts(sp_mw *w, const sp_node *n) {
    const sp_node *base = n->u.scripts.base, *sub = n->u.scripts.sub, *sup = n->u.scripts.sup;
    if (!base || (!sub && !sup)) return SCIPIX_EINVAL;
    int lim = sp_mm_limits_base(base, n->u.scripts.limits);
    const char *tag = lim ? (sub && sup ? "munderover" : sub ? "munder" : "mover")
                          : (sub && sup ? "msubsup" : sub ? "msub" : "msup");
    sp_buf_printf(w->b, "<%s>", tag);
    int rc;
    const sp_node *b1 = base;
    while (b1->kind == SP_NODE_ROW && b1->u.row.n == 1) b1 = b1->u.row.items[0];
    if (lim && b1->kind == SP_NODE_SYMBOL) {
        sp_mm_symbol(w, b1, n->u.scripts.limits == SP_LIMITS_LIMITS ? NULL : " movablelimits=\"true\"");
        rc = SCIPIX_OK;
    } else if (lim && b1->kind == SP_NODE_FUNC) {
        sp_buf_puts(w->b, "<mo movablelimits=\"true\" form=\"prefix\">");
        sp_mm_escape(w->b, b1->u.func.name);
        sp_buf_puts(w->b, "</mo>");
        rc = SCIPIX_OK;
    } else if (base->kind == SP_NODE_ROW && base->u.row.n == 0) {
        sp_buf_puts(w->b, "<mrow></mrow>");
        rc = SCIPIX_OK;
    } else rc = sp_mm_single(w, base);
    if (rc) return rc;
    if (sub && (rc = sp_mm_single(w, sub))) return rc;
    if (sup && (rc = sp_mm_single(w, sup))) return rc;
    sp_buf_printf(w->b, "</%s>", tag);
    return SCIPIX_OK;
}

static int sp_mm_is_stretchy_accent(const char *cmd) {
    static const char *const wide[] = {"\\widehat", "\\widetilde", "\\overline", "\\underline",
                                       "\\overrightarrow", "\\overleftarrow", "\\overleftrightarrow",
                                       "\\overbrace", "\\underbrace"};
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (cmd && !strcmp(cmd, wide[i])) return 1;
    return 0;
}

static int sp_mm_underover(sp_mw *w, const sp_node *n) {
    const sp_node *base = n->u.uo.base, *under = n->u.uo.under, *over = n->u.uo.over;
    if (!base || (!under && !over)) return SCIPIX_EINVAL;
    const char *tag = under && over ? "munderover" : under ? "munder" : "mover";
    sp_buf_printf(w->b, "<%s", tag);
    if (n->u.uo.accent) sp_buf_puts(w->b, under ? " accentunder=\"true\"" : " accent=\"true\"");
    sp_buf_putc(w->b, '>');
    int rc = sp_mm_single(w, base);
    if (rc) return rc;
    int stretchy = sp_mm_is_stretchy_accent(n->u.uo.cmd);
    const sp_node *parts[2] = {under, over};
    for (int k = 0; k < 2; k++) {
        const sp_node *p = parts[k];
        if (!p) continue;
        if (p->kind == SP_NODE_SYMBOL && n->u.uo.cmd && n->u.uo.cmd[0] == '\\' &&
            (n->u.uo.accent || stretchy)) {
            sp_buf_puts(w->b, stretchy ? "<mo stretchy=\"true\">" : "<mo stretchy=\"false\">");
            sp_mm_escape(w->b, p->u.sym.text);
            sp_buf_puts(w->b, "</mo>");
        } else if ((rc = sp_mm_single(w, p))) return rc;
    }
    sp_buf_printf(w->b, "</%s>", tag);
    return SCIPIX_OK;
}

static void sp_mm_fence_mo(sp_mw *w, const char *text, const char *form) {
    if (!text || !*text) return;
    sp_buf_printf(w->b, "<mo fence=\"true\" stretchy=\"true\" symmetric=\"true\" form=\"%s\">", form);
    sp_mm_escape(w->b, text);
    sp_buf_puts(w->b, "</mo>");
}

static int sp_mm_table(sp_mw *w, const sp_node *n) {
    const char *env = n->u.table.env ? n->u.table.env : "matrix";
    const sp_node *rows = n->u.table.rows;
    if (!rows || rows->kind != SP_NODE_ROW) return SCIPIX_EINVAL;
    const char *open = NULL, *close = NULL;
    if (!strcmp(env, "pmatrix")) open = "(", close = ")";
    else if (!strcmp(env, "bmatrix")) open = "[", close = "]";
    else if (!strcmp(env, "Bmatrix")) open = "{", close = "}";
    else if (!strcmp(env, "vmatrix")) open = "|", close = "|";
    else if (!strcmp(env, "Vmatrix")) open = "\xE2\x80\x96", close = "\xE2\x80\x96";
    else if (!strcmp(env, "cases") || !strcmp(env, "dcases")) open = "{";
    else if (!strcmp(env, "rcases")) close = "}";
    if (open || close) sp_buf_puts(w->b, "<mrow>");
    sp_mm_fence_mo(w, open, "prefix");
    sp_buf_puts(w->b, "<mtable");
    /* column alignment and lines */
    uint32_t ncols = 0;
    for (uint32_t i = 0; i < rows->u.row.n; i++)
        if (rows->u.row.items[i]->u.row.n > ncols) ncols = rows->u.row.items[i]->u.row.n;
    if (n->u.table.colspec) {
        sp_buf align, lines;
        sp_buf_init(&align);
        sp_buf_init(&lines);
        int any_line = 0, cols = 0, pending_line = 0;
        for (const char *s = n->u.table.colspec; *s; s++) {
            if (*s == '|' || *s == ':') {
                pending_line = *s == '|' ? 1 : 2;
                continue;
            }
            const char *a = *s == 'l' ? "left" : *s == 'r' ? "right" : "center";
            if (cols) {
                sp_buf_puts(&lines, cols > 1 ? " " : "");
                sp_buf_puts(&lines, pending_line == 1 ? "solid" : pending_line == 2 ? "dashed" : "none");
                if (pending_line) any_line = 1;
                sp_buf_putc(&align, ' ');
            }
            pending_line = 0;
            sp_buf_puts(&align, a);
            cols++;
        }
        sp_buf_printf(w->b, " columnalign=\"%s\"", sp_buf_str(&align));
        if (any_line) sp_buf_printf(w->b, " columnlines=\"%s\"", sp_buf_str(&lines));
        sp_buf_free(&align);
        sp_buf_free(&lines);
    } else if (!strcmp(env, "cases") || !strcmp(env, "dcases") || !strcmp(env, "rcases")) {
        sp_buf_puts(w->b, " columnalign=\"left left\"");
    } else if (!strcmp(env, "aligned")) {
        sp_buf_puts(w->b, " columnalign=\"");
        for (uint32_t c = 0; c < ncols; c++) sp_buf_puts(w->b, c ? (c % 2 ? " left" : " right") : "right");
        sp_buf_puts(w->b, "\" columnspacing=\"0em 2em\"");
    }
    /* \hline: rowlines between rows, frame for the outer ones */
    int any_hline = 0;
    for (uint32_t i = 0; i < rows->u.row.n; i++)
        if (rows->u.row.items[i]->flags & (SP_NODEF_HLINE_ABOVE | SP_NODEF_HLINE_BELOW)) any_hline = 1;
    if (any_hline && rows->u.row.n > 1) {
        sp_buf_puts(w->b, " rowlines=\"");
        for (uint32_t i = 1; i < rows->u.row.n; i++)
            sp_buf_puts(w->b, (rows->u.row.items[i]->flags & SP_NODEF_HLINE_ABOVE) ? (i > 1 ? " solid" : "solid")
                                                                                   : (i > 1 ? " none" : "none"));
        sp_buf_putc(w->b, '"');
    }
    sp_buf_putc(w->b, '>');
    for (uint32_t i = 0; i < rows->u.row.n; i++) {
        const sp_node *r = rows->u.row.items[i];
        if (r->kind != SP_NODE_ROW) return SCIPIX_EINVAL;
        sp_buf_puts(w->b, "<mtr>");
        for (uint32_t j = 0; j < r->u.row.n; j++) {
            sp_buf_puts(w->b, "<mtd>");
            int rc = sp_mm_inferred(w, r->u.row.items[j]);
            if (rc) return rc;
            sp_buf_puts(w->b, "</mtd>");
        }
        sp_buf_puts(w->b, "</mtr>");
    }
    sp_buf_puts(w->b, "</mtable>");
    sp_mm_fence_mo(w, close, "postfix");
    if (open || close) sp_buf_puts(w->b, "</mrow>");
    return SCIPIX_OK;
}

static int sp_mm_style(sp_mw *w, const sp_node *n) {
    const sp_node *body = n->u.style.body;
    if (!body) return SCIPIX_EINVAL;
    const char *open = NULL, *close = NULL;
    char tmp[96];
    switch (n->u.style.style) {
    case SP_STYLE_DISPLAY: open = "<mstyle displaystyle=\"true\" scriptlevel=\"0\">", close = "</mstyle>"; break;
    case SP_STYLE_TEXT: open = "<mstyle displaystyle=\"false\" scriptlevel=\"0\">", close = "</mstyle>"; break;
    case SP_STYLE_SCRIPT: open = "<mstyle displaystyle=\"false\" scriptlevel=\"1\">", close = "</mstyle>"; break;
    case SP_STYLE_SCRIPTSCRIPT: open = "<mstyle displaystyle=\"false\" scriptlevel=\"2\">", close = "</mstyle>"; break;
    case SP_STYLE_SIZE: {
        static const struct { const char *cmd, *size; } sizes[] = {
            {"\\tiny", "0.5em"}, {"\\scriptsize", "0.7em"}, {"\\footnotesize", "0.8em"}, {"\\small", "0.9em"},
            {"\\normalsize", "1em"}, {"\\large", "1.2em"}, {"\\Large", "1.44em"}, {"\\LARGE", "1.73em"},
            {"\\huge", "2.07em"}, {"\\Huge", "2.49em"}};
        const char *sz = "1em";
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            if (n->u.style.arg && !strcmp(n->u.style.arg, sizes[i].cmd)) sz = sizes[i].size;
        snprintf(tmp, sizeof tmp, "<mstyle mathsize=\"%s\">", sz);
        open = tmp, close = "</mstyle>";
        break;
    }
    case SP_STYLE_PHANTOM: open = "<mphantom>", close = "</mphantom>"; break;
    case SP_STYLE_HPHANTOM: open = "<mpadded height=\"0\" depth=\"0\"><mphantom>", close = "</mphantom></mpadded>"; break;
    case SP_STYLE_VPHANTOM: open = "<mpadded width=\"0\"><mphantom>", close = "</mphantom></mpadded>"; break;
    case SP_STYLE_SMASH: open = "<mpadded height=\"0\" depth=\"0\">", close = "</mpadded>"; break;
    case SP_STYLE_BOXED: open = "<menclose notation=\"box\">", close = "</menclose>"; break;
    case SP_STYLE_NOT:
        open = "<mrow><mpadded width=\"0\"><mtext>&#x29F8;</mtext></mpadded>", close = "</mrow>";
        break;
    case SP_STYLE_CLASS: open = "<mrow>", close = "</mrow>"; break;
    default: return SCIPIX_EINVAL;
    }
    sp_buf_puts(w->b, open);
    int rc = sp_mm_inferred(w, body);
    sp_buf_puts(w->b, close);
    return rc;
}

static int sp_mm_node(sp_mw *w, const sp_node *n, const sp_node *row, uint32_t *idx) {
    if (!n) return SCIPIX_EINVAL;
    (*idx)++;
    (void)row;
    int rc = SCIPIX_OK;
    switch ((sp_node_kind)n->kind) {
    case SP_NODE_ROW:
        sp_buf_puts(w->b, "<mrow>");
        rc = sp_mm_items(w, n);
        sp_buf_puts(w->b, "</mrow>");
        return rc;
    case SP_NODE_SYMBOL:
        sp_mm_symbol(w, n, NULL);
        return SCIPIX_OK;
    case SP_NODE_TEXT: {
        sp_mm_open_tok(w, "mtext", n->u.text.variant == SP_VAR_UPRIGHT ? SP_VAR_NONE : n->u.text.variant);
        sp_buf_putc(w->b, '>');
        /* leading/trailing spaces would be trimmed by renderers: no-break */
        const char *s = n->u.text.text;
        size_t len = strlen(s);
        for (size_t i = 0; i < len; i++) {
            if (s[i] == ' ' && (i == 0 || i + 1 == len)) sp_buf_puts(w->b, "&#xA0;");
            else {
                char one[2] = {s[i], 0};
                sp_mm_escape(w->b, one);
            }
        }
        sp_buf_puts(w->b, "</mtext>");
        return SCIPIX_OK;
    }
    case SP_NODE_SPACE:
        if (n->u.space.latex && !strcmp(n->u.space.latex, "\\\\")) sp_buf_puts(w->b, "<mspace linebreak=\"newline\"></mspace>");
        else sp_buf_printf(w->b, "<mspace width=\"%.3gem\"></mspace>", (double)n->u.space.em);
        return SCIPIX_OK;
    case SP_NODE_FRAC: {
        int st = n->u.frac.style;
        if (n->u.frac.open || n->u.frac.close) sp_buf_puts(w->b, "<mrow>");
        if (n->u.frac.open) {
            sp_buf_puts(w->b, "<mo minsize=\"2.047em\" maxsize=\"2.047em\">");
            sp_mm_escape(w->b, n->u.frac.open[0] == '\\' ? n->u.frac.open + 1 : n->u.frac.open);
            sp_buf_puts(w->b, "</mo>");
        }
        if (st == SP_FRAC_DISPLAY) sp_buf_puts(w->b, "<mstyle displaystyle=\"true\" scriptlevel=\"0\">");
        else if (st == SP_FRAC_TEXT) sp_buf_puts(w->b, "<mstyle displaystyle=\"false\" scriptlevel=\"0\">");
        sp_buf_puts(w->b, n->u.frac.bar ? "<mfrac>" : "<mfrac linethickness=\"0\">");
        if ((rc = sp_mm_single(w, n->u.frac.num)) || (rc = sp_mm_single(w, n->u.frac.den))) return rc;
        sp_buf_puts(w->b, "</mfrac>");
        if (st == SP_FRAC_DISPLAY || st == SP_FRAC_TEXT) sp_buf_puts(w->b, "</mstyle>");
        if (n->u.frac.close) {
            sp_buf_puts(w->b, "<mo minsize=\"2.047em\" maxsize=\"2.047em\">");
            sp_mm_escape(w->b, n->u.frac.close[0] == '\\' ? n->u.frac.close + 1 : n->u.frac.close);
            sp_buf_puts(w->b, "</mo>");
        }
        if (n->u.frac.open || n->u.frac.close) sp_buf_puts(w->b, "</mrow>");
        return SCIPIX_OK;
    }
    case SP_NODE_RADICAL:
        if (n->u.radical.index) {
            sp_buf_puts(w->b, "<mroot>");
            if ((rc = sp_mm_single(w, n->u.radical.body)) || (rc = sp_mm_single(w, n->u.radical.index))) return rc;
            sp_buf_puts(w->b, "</mroot>");
        } else {
            sp_buf_puts(w->b, "<msqrt>");
            if ((rc = sp_mm_inferred(w, n->u.radical.body))) return rc;
            sp_buf_puts(w->b, "</msqrt>");
        }
        return SCIPIX_OK;
    case SP_NODE_SCRIPTS: return sp_mm_scripts(w, n);
    case SP_NODE_UNDEROVER: return sp_mm_underover(w, n);
    case SP_NODE_FENCED:
        sp_buf_puts(w->b, "<mrow>");
        sp_mm_fence_mo(w, n->u.fenced.open_text, "prefix");
        if (n->u.fenced.body && (rc = sp_mm_inferred(w, n->u.fenced.body))) return rc;
        sp_mm_fence_mo(w, n->u.fenced.close_text, "postfix");
        sp_buf_puts(w->b, "</mrow>");
        return SCIPIX_OK;
    case SP_NODE_TABLE: return sp_mm_table(w, n);
    case SP_NODE_FUNC:
        sp_buf_puts(w->b, "<mi");
        if (n->u.func.name && strlen(n->u.func.name) == 1) sp_buf_puts(w->b, " mathvariant=\"normal\"");
        sp_buf_putc(w->b, '>');
        sp_mm_escape(w->b, n->u.func.name ? n->u.func.name : "");
        sp_buf_puts(w->b, "</mi>");
        return SCIPIX_OK;
    case SP_NODE_STYLE: return sp_mm_style(w, n);
    default: return SCIPIX_EINVAL;
    }
}

int sp_mathml_emit(const sp_node *root, int display, sp_buf *out) {
    if (!root || !out) return SCIPIX_EINVAL;
    sp_mw w = {out};
    sp_buf_puts(out, display ? "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\">"
                             : "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">");
    int rc = sp_mm_inferred(&w, root);
    if (rc) return rc;
    sp_buf_puts(out, "</math>");
    return out->oom ? SCIPIX_ENOMEM : SCIPIX_OK;
}
