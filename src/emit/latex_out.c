/*
 * latex_out.c — the math tree written back as LaTeX, in two forms:
 *   styled:     canonical.  Every argument and script is braced, each symbol
 *               has one spelling, font runs are \mathbf{…} etc.  It is what
 *               the round-trip test parses back: for a tree from the parser,
 *               parse(emit_styled(tree)) is the same tree.
 *   simplified: what a person would type: no braces around one-character
 *               scripts and arguments, and no braces around groups that do
 *               not change the meaning.
 * Only constructs that KaTeX accepts are written (\mathbf instead of \bf,
 * \text instead of \mbox, \boxed instead of \fbox …).
 *
 * A small writer (sp_lw) remembers whether the last thing written was a
 * control word, so that "\alpha" followed by "x" becomes "\alpha x" while
 * "a" followed by "b" stays "ab".
 */
#include "emit/emit.h"

#include <string.h>

typedef struct {
    sp_buf *b;
    int styled;
    int after_word; /* the output ends with a control word like \alpha */
} sp_lw;

static int sp_lw_isletter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static void sp_lw_put(sp_lw *w, const char *s) {
    size_t n = strlen(s);
    if (!n) return;
    if (w->after_word && sp_lw_isletter(s[0])) sp_buf_putc(w->b, ' ');
    sp_buf_put(w->b, s, n);
    /* ends with a control word?  trailing letters preceded by a backslash */
    size_t i = n;
    while (i > 0 && sp_lw_isletter(s[i - 1])) i--;
    w->after_word = (i < n && i > 0 && s[i - 1] == '\\');
}

static int sp_lx_node(sp_lw *w, const sp_node *n, const sp_node *parent_row, uint32_t idx);
static int sp_lx_row_items(sp_lw *w, const sp_node *row);
static int sp_lx_starts_bracket(const sp_node *n);

static const char *sp_lx_font(int v) {
    switch (v) {
    case SP_VAR_ITALIC: return "\\mathit";
    case SP_VAR_UPRIGHT: return "\\mathrm";
    case SP_VAR_BOLD: return "\\mathbf";
    case SP_VAR_BOLD_ITALIC: return "\\boldsymbol";
    case SP_VAR_CALLIGRAPHIC: return "\\mathcal";
    case SP_VAR_BLACKBOARD: return "\\mathbb";
    case SP_VAR_FRAKTUR: return "\\mathfrak";
    case SP_VAR_SANS: return "\\mathsf";
    case SP_VAR_MONO: return "\\mathtt";
    default: return NULL;
    }
}

/* Is this a one-token argument that needs no braces in simplified form? */
static int sp_lx_simple(const sp_node *row) {
    if (!row) return 0;
    const sp_node *n = row;
    if (row->kind == SP_NODE_ROW) {
        if (row->u.row.n != 1) return 0;
        n = row->u.row.items[0];
    }
    if (n->kind != SP_NODE_SYMBOL || n->u.sym.variant || n->u.sym.size) return 0;
    const char *l = n->u.sym.latex;
    if (l[0] == '\\') {
        for (size_t i = 1; l[i]; i++)
            if (!sp_lw_isletter(l[i])) return 0;
        return 1;
    }
    return strlen(l) == 1 && (sp_lw_isletter(l[0]) || (l[0] >= '0' && l[0] <= '9'));
}

/* {row}: an argument.  Simplified form drops the braces of a one-token
 * argument when allowed (scripts and \frac arguments). */
static int sp_lx_arg(sp_lw *w, const sp_node *row, int may_drop) {
    if (!row) return SCIPIX_EINVAL;
    if (!w->styled && may_drop && sp_lx_simple(row)) {
        const sp_node *n = row->kind == SP_NODE_ROW ? row->u.row.items[0] : row;
        const char *l = n->u.sym.latex;
        if (l[0] == '\\') sp_lw_put(w, l);
        else {
            /* "\frac12": a letter or digit right after a command name needs a space */
            if (w->after_word) sp_buf_putc(w->b, ' ');
            sp_buf_puts(w->b, l);
            w->after_word = 0;
        }
        return SCIPIX_OK;
    }
    sp_lw_put(w, "{");
    int rc = row->kind == SP_NODE_ROW ? sp_lx_row_items(w, row) : sp_lx_node(w, row, NULL, 0);
    sp_lw_put(w, "}");
    return rc;
}

/* Is row two or more symbols all in one font (\mathrm{GeV}), written as
 * one \mathrm{…} group? */
static int sp_lx_one_font_run(const sp_node *row) {
    if (row->kind != SP_NODE_ROW || row->u.row.n < 2) return 0;
    for (uint32_t i = 0; i < row->u.row.n; i++) {
        const sp_node *c = row->u.row.items[i];
        if (!c || c->kind != SP_NODE_SYMBOL || c->u.sym.size || !sp_lx_font(c->u.sym.variant) ||
            c->u.sym.variant != row->u.row.items[0]->u.sym.variant)
            return 0;
    }
    return 1;
}

static int sp_lx_symbol(sp_lw *w, const sp_node *n) {
    if (n->u.sym.size) {
        static const char *const sz[] = {"", "\\big", "\\Big", "\\bigg", "\\Bigg"};
        static const char *const role[] = {"", "l", "r", "m"};
        char cmd[16];
        unsigned s = n->u.sym.size <= 4 ? n->u.sym.size : 1;
        unsigned r = n->u.sym.size_role <= 3 ? n->u.sym.size_role : 0;
        strcpy(cmd, sz[s]);
        strcat(cmd, role[r]);
        sp_lw_put(w, cmd);
        sp_lw_put(w, n->u.sym.latex);
        return SCIPIX_OK;
    }
    if (n->u.sym.size_role == SP_ROLE_MIDDLE) sp_lw_put(w, "\\middle");
    sp_lw_put(w, n->u.sym.latex);
    return SCIPIX_OK;
}

static void sp_lx_text(sp_lw *w, const sp_node *n) {
    const char *cmd = "\\text";
    switch (n->u.text.variant) {
    case SP_VAR_BOLD: cmd = "\\textbf"; break;
    case SP_VAR_ITALIC: cmd = "\\textit"; break;
    case SP_VAR_SANS: cmd = "\\textsf"; break;
    case SP_VAR_MONO: cmd = "\\texttt"; break;
    default: break;
    }
    sp_lw_put(w, cmd);
    sp_buf_putc(w->b, '{');
    for (const char *s = n->u.text.text; *s; s++) {
        switch (*s) {
        case '{': case '}': case '$': case '%': case '&': case '#': case '_':
            sp_buf_putc(w->b, '\\');
            sp_buf_putc(w->b, *s);
            break;
        case '\\': sp_buf_puts(w->b, "\\textbackslash{}"); break;
        case '^': sp_buf_puts(w->b, "\\textasciicircum{}"); break;
        case '~': sp_buf_puts(w->b, "\\textasciitilde{}"); break;
        default: sp_buf_putc(w->b, *s);
        }
    }
    sp_buf_putc(w->b, '}');
    w->after_word = 0;
}

static int sp_lx_table(sp_lw *w, const sp_node *n) {
    const char *env = n->u.table.env ? n->u.table.env : "matrix";
    sp_lw_put(w, "\\begin{");
    sp_buf_puts(w->b, env);
    sp_buf_putc(w->b, '}');
    w->after_word = 0;
    if (!strcmp(env, "array") || !strcmp(env, "subarray")) {
        sp_buf_putc(w->b, '{');
        if (n->u.table.colspec) sp_buf_puts(w->b, n->u.table.colspec);
        else {
            /* a builder's array without a spec: centre every column */
            uint32_t cols = 1;
            const sp_node *rows = n->u.table.rows;
            for (uint32_t i = 0; rows && i < rows->u.row.n; i++)
                if (rows->u.row.items[i]->u.row.n > cols) cols = rows->u.row.items[i]->u.row.n;
            for (uint32_t i = 0; i < cols; i++) sp_buf_putc(w->b, 'c');
        }
        sp_buf_putc(w->b, '}');
    }
    const sp_node *rows = n->u.table.rows;
    if (!rows || rows->kind != SP_NODE_ROW) return SCIPIX_EINVAL;
    for (uint32_t i = 0; i < rows->u.row.n; i++) {
        const sp_node *r = rows->u.row.items[i];
        if (r->kind != SP_NODE_ROW) return SCIPIX_EINVAL;
        if (i) sp_lw_put(w, " \\\\ ");
        else sp_buf_putc(w->b, ' ');
        w->after_word = 0;
        if (r->flags & SP_NODEF_HLINE_ABOVE) sp_lw_put(w, "\\hline ");
        else if (i && r->u.row.n && sp_lx_starts_bracket(r->u.row.items[0])) sp_lw_put(w, "\\relax ");
        w->after_word = 0;
        for (uint32_t j = 0; j < r->u.row.n; j++) {
            if (j) sp_lw_put(w, " & ");
            w->after_word = 0;
            const sp_node *cell = r->u.row.items[j];
            int rc = cell->kind == SP_NODE_ROW ? sp_lx_row_items(w, cell) : sp_lx_node(w, cell, NULL, 0);
            if (rc) return rc;
        }
        if ((r->flags & SP_NODEF_HLINE_BELOW) && i + 1 == rows->u.row.n) sp_lw_put(w, " \\\\ \\hline");
    }
    /* The parser drops the empty row after a final \\ (as LaTeX shows
     * nothing for it), so a last row that really is empty needs one more. */
    if (rows->u.row.n >= 2) {
        const sp_node *last = rows->u.row.items[rows->u.row.n - 1];
        int empty = last->u.row.n == 0 ||
                    (last->u.row.n == 1 && last->u.row.items[0]->kind == SP_NODE_ROW &&
                     last->u.row.items[0]->u.row.n == 0);
        if (empty && !(last->flags & (SP_NODEF_HLINE_BELOW | SP_NODEF_HLINE_ABOVE))) sp_lw_put(w, " \\\\");
    }
    sp_lw_put(w, " \\end{");
    sp_buf_puts(w->b, env);
    sp_buf_putc(w->b, '}');
    w->after_word = 0;
    return SCIPIX_OK;
}

/* Would n's LaTeX start with '['?  After \\ that would read as its optional
 * [dimension], so the writer puts \relax (which the parser ignores) between. */
static int sp_lx_starts_bracket(const sp_node *n) {
    while (n) {
        if (n->kind == SP_NODE_SYMBOL) return n->u.sym.latex[0] == '[' && !n->u.sym.variant && !n->u.sym.size;
        if (n->kind == SP_NODE_ROW) n = n->u.row.n ? n->u.row.items[0] : NULL;
        else if (n->kind == SP_NODE_SCRIPTS) n = n->u.scripts.base;
        else return 0;
    }
    return 0;
}

static int sp_lx_is_switch_style(const sp_node *n) {
    return n->kind == SP_NODE_STYLE && n->u.style.style <= SP_STYLE_SIZE;
}

/* A group {…} in simplified form may lose its braces unless they delimit a
 * style switch or an \atop. */
static int sp_lx_group_needs_braces(const sp_node *row) {
    for (uint32_t i = 0; i < row->u.row.n; i++) {
        const sp_node *c = row->u.row.items[i];
        if (sp_lx_is_switch_style(c)) return 1;
        if (c->kind == SP_NODE_FRAC && !c->u.frac.bar && !c->u.frac.open) return 1;
    }
    return row->u.row.n == 0;
}

static int sp_lx_node(sp_lw *w, const sp_node *n, const sp_node *parent_row, uint32_t idx) {
    if (!n) return SCIPIX_EINVAL;
    int rc = SCIPIX_OK;
    int last_in_row = !parent_row || idx + 1 == parent_row->u.row.n;
    switch ((sp_node_kind)n->kind) {
    case SP_NODE_ROW:
        if (!w->styled && parent_row && !sp_lx_group_needs_braces(n)) return sp_lx_row_items(w, n);
        sp_lw_put(w, "{");
        rc = sp_lx_row_items(w, n);
        sp_lw_put(w, "}");
        return rc;
    case SP_NODE_SYMBOL: {
        const char *font = sp_lx_font(n->u.sym.variant);
        if (font && !n->u.sym.size) {
            sp_lw_put(w, font);
            sp_lw_put(w, "{");
            sp_lx_symbol(w, n);
            sp_lw_put(w, "}");
            return SCIPIX_OK;
        }
        return sp_lx_symbol(w, n);
    }
    case SP_NODE_TEXT:
        sp_lx_text(w, n);
        return SCIPIX_OK;
    case SP_NODE_SPACE:
        if (n->u.space.latex) sp_lw_put(w, n->u.space.latex);
        else sp_lw_put(w, n->u.space.em < 0 ? "\\!" : n->u.space.em >= 1.5f ? "\\qquad" : n->u.space.em >= 0.75f ? "\\quad" : "\\,");
        return SCIPIX_OK;
    case SP_NODE_FRAC: {
        const sp_node *num = n->u.frac.num, *den = n->u.frac.den;
        if (!num || !den) return SCIPIX_EINVAL;
        if (n->u.frac.bar || (n->u.frac.open && !strcmp(n->u.frac.open, "(") && n->u.frac.close &&
                              !strcmp(n->u.frac.close, ")"))) {
            static const char *const frac[] = {"\\frac", "\\dfrac", "\\tfrac"};
            static const char *const binom[] = {"\\binom", "\\dbinom", "\\tbinom"};
            unsigned st = n->u.frac.style <= 2 ? n->u.frac.style : 0;
            int with_delims = n->u.frac.bar && n->u.frac.open;
            if (with_delims) {
                sp_lw_put(w, "\\left");
                sp_lw_put(w, n->u.frac.open);
            }
            sp_lw_put(w, n->u.frac.bar ? frac[st] : binom[st]);
            if ((rc = sp_lx_arg(w, num, 1)) || (rc = sp_lx_arg(w, den, 1))) return rc;
            if (with_delims) {
                sp_lw_put(w, "\\right");
                sp_lw_put(w, n->u.frac.close ? n->u.frac.close : ".");
            }
            return SCIPIX_OK;
        }
        /* no bar, no parentheses: plain-TeX \atop; braces unless alone in its row */
        int alone = parent_row && parent_row->u.row.n == 1;
        if (!alone) sp_lw_put(w, "{");
        rc = num->kind == SP_NODE_ROW ? sp_lx_row_items(w, num) : sp_lx_node(w, num, NULL, 0);
        if (rc) return rc;
        sp_lw_put(w, " \\atop ");
        w->after_word = 0;
        rc = den->kind == SP_NODE_ROW ? sp_lx_row_items(w, den) : sp_lx_node(w, den, NULL, 0);
        if (!alone) sp_lw_put(w, "}");
        return rc;
    }
    case SP_NODE_RADICAL:
        sp_lw_put(w, "\\sqrt");
        if (n->u.radical.index) {
            sp_lw_put(w, "[");
            const sp_node *ix = n->u.radical.index;
            rc = ix->kind == SP_NODE_ROW ? sp_lx_row_items(w, ix) : sp_lx_node(w, ix, NULL, 0);
            if (rc) return rc;
            sp_lw_put(w, "]");
        }
        return sp_lx_arg(w, n->u.radical.body, 0);
    case SP_NODE_SCRIPTS: {
        const sp_node *base = n->u.scripts.base;
        if (!base) return SCIPIX_EINVAL;
        if (base->kind == SP_NODE_ROW) {
            if (!w->styled && base->u.row.n == 1 && base->u.row.items[0]->kind != SP_NODE_SCRIPTS &&
                !sp_lx_group_needs_braces(base))
                rc = sp_lx_node(w, base->u.row.items[0], base, 0);
            else if (sp_lx_one_font_run(base))
                rc = sp_lx_row_items(w, base); /* \mathrm{GeV}^{2}: the font's braces group the word */
            else {
                sp_lw_put(w, "{");
                rc = sp_lx_row_items(w, base);
                sp_lw_put(w, "}");
            }
        } else if (base->kind == SP_NODE_SCRIPTS || (base->kind == SP_NODE_FRAC && !base->u.frac.bar && !base->u.frac.open) ||
                   sp_lx_is_switch_style(base)) {
            sp_lw_put(w, "{");
            rc = sp_lx_node(w, base, NULL, 0);
            sp_lw_put(w, "}");
        } else rc = sp_lx_node(w, base, NULL, 0);
        if (rc) return rc;
        if (n->u.scripts.limits == SP_LIMITS_LIMITS) sp_lw_put(w, "\\limits");
        else if (n->u.scripts.limits == SP_LIMITS_NOLIMITS) sp_lw_put(w, "\\nolimits");
        if (n->u.scripts.sub) {
            sp_lw_put(w, "_");
            w->after_word = 0;
            if ((rc = sp_lx_arg(w, n->u.scripts.sub, 1))) return rc;
        }
        if (n->u.scripts.sup) {
            const sp_node *sup = n->u.scripts.sup;
            /* simplified: x' for a superscript of primes only */
            int primes = !w->styled && sup->kind == SP_NODE_ROW && sup->u.row.n > 0;
            for (uint32_t i = 0; primes && i < sup->u.row.n; i++) {
                const sp_node *c = sup->u.row.items[i];
                primes = c->kind == SP_NODE_SYMBOL && !strcmp(c->u.sym.latex, "\\prime") && !c->u.sym.variant;
            }
            if (primes && !n->u.scripts.sub) {
                for (uint32_t i = 0; i < sup->u.row.n; i++) sp_buf_putc(w->b, '\'');
                w->after_word = 0;
            } else {
                sp_lw_put(w, "^");
                w->after_word = 0;
                if ((rc = sp_lx_arg(w, sup, 1))) return rc;
            }
        }
        return SCIPIX_OK;
    }
    case SP_NODE_UNDEROVER: {
        const char *cmd = n->u.uo.cmd;
        const sp_node *base = n->u.uo.base;
        if (!base) return SCIPIX_EINVAL;
        if (cmd && (!strcmp(cmd, "\\overset") || !strcmp(cmd, "\\stackrel")) && n->u.uo.over && !n->u.uo.under) {
            sp_lw_put(w, cmd);
            if ((rc = sp_lx_arg(w, n->u.uo.over, 0))) return rc;
            return sp_lx_arg(w, base, 0);
        }
        if (cmd && !strcmp(cmd, "\\underset") && n->u.uo.under && !n->u.uo.over) {
            sp_lw_put(w, cmd);
            if ((rc = sp_lx_arg(w, n->u.uo.under, 0))) return rc;
            return sp_lx_arg(w, base, 0);
        }
        if (cmd && cmd[0] == '\\' && (n->u.uo.over == NULL) != (n->u.uo.under == NULL) &&
            (n->u.uo.over ? n->u.uo.over : n->u.uo.under)->kind == SP_NODE_SYMBOL) {
            /* accents, \overline, \underline, braces: the command names it */
            sp_lw_put(w, cmd);
            return sp_lx_arg(w, base, 0);
        }
        /* a builder's node: spell it with \overset / \underset */
        if (n->u.uo.under) {
            sp_lw_put(w, "\\underset");
            if ((rc = sp_lx_arg(w, n->u.uo.under, 0))) return rc;
            sp_lw_put(w, "{");
        }
        if (n->u.uo.over) {
            sp_lw_put(w, "\\overset");
            if ((rc = sp_lx_arg(w, n->u.uo.over, 0))) return rc;
        }
        rc = sp_lx_arg(w, base, 0);
        if (n->u.uo.under) sp_lw_put(w, "}");
        return rc;
    }
    case SP_NODE_FENCED:
        sp_lw_put(w, "\\left");
        sp_lw_put(w, n->u.fenced.open ? n->u.fenced.open : ".");
        if (n->u.fenced.body) {
            sp_buf_putc(w->b, ' ');
            w->after_word = 0;
            rc = n->u.fenced.body->kind == SP_NODE_ROW ? sp_lx_row_items(w, n->u.fenced.body)
                                                       : sp_lx_node(w, n->u.fenced.body, NULL, 0);
            if (rc) return rc;
        }
        sp_lw_put(w, " \\right");
        sp_lw_put(w, n->u.fenced.close ? n->u.fenced.close : ".");
        return SCIPIX_OK;
    case SP_NODE_TABLE:
        return sp_lx_table(w, n);
    case SP_NODE_FUNC:
        if (n->u.func.latex) {
            sp_lw_put(w, n->u.func.latex);
            return SCIPIX_OK;
        }
        sp_lw_put(w, (n->flags & SP_NODEF_STAR) ? "\\operatorname*{" : "\\operatorname{");
        w->after_word = 0;
        {
            /* the name is Unicode text: write the characters that are
             * special in LaTeX as their commands */
            for (const char *s = n->u.func.name; s && *s; s++) {
                if (strchr("{}$%&#_^~\\", *s)) {
                    sp_buf_putc(w->b, '\\');
                    sp_buf_putc(w->b, strchr("^~\\", *s) ? '_' : *s);
                } else sp_buf_putc(w->b, *s);
            }
        }
        sp_lw_put(w, "}");
        return SCIPIX_OK;
    case SP_NODE_STYLE: {
        const sp_node *body = n->u.style.body;
        if (!body) return SCIPIX_EINVAL;
        static const char *const sw[] = {"\\displaystyle", "\\textstyle", "\\scriptstyle", "\\scriptscriptstyle"};
        static const char *const wrap[] = {NULL, NULL, NULL, NULL, NULL, "\\phantom", "\\hphantom",
                                           "\\vphantom", "\\smash", "\\boxed", "\\not"};
        unsigned st = n->u.style.style;
        if (st <= SP_STYLE_SIZE) {
            const char *cmd = st == SP_STYLE_SIZE ? (n->u.style.arg ? n->u.style.arg : "\\normalsize") : sw[st];
            if (!last_in_row) sp_lw_put(w, "{");
            sp_lw_put(w, cmd);
            sp_buf_putc(w->b, ' ');
            w->after_word = 0;
            rc = body->kind == SP_NODE_ROW ? sp_lx_row_items(w, body) : sp_lx_node(w, body, NULL, 0);
            if (!last_in_row) sp_lw_put(w, "}");
            return rc;
        }
        if (st == SP_STYLE_CLASS) {
            static const char *const cls[] = {"\\mathord", "\\mathop", "\\mathbin", "\\mathrel",
                                              "\\mathopen", "\\mathclose", "\\mathpunct", "\\mathinner"};
            sp_lw_put(w, cls[n->u.style.atom <= 7 ? n->u.style.atom : 0]);
        } else if (st < SP_STYLE_COUNT && wrap[st]) sp_lw_put(w, wrap[st]);
        else return SCIPIX_EINVAL;
        return sp_lx_arg(w, body, 0);
    }
    default:
        return SCIPIX_EINVAL;
    }
}

/* The items of a row, with runs of symbols in one non-default font written
 * as one \mathbf{…}. */
static int sp_lx_row_items(sp_lw *w, const sp_node *row) {
    uint32_t i = 0;
    while (i < row->u.row.n) {
        const sp_node *c = row->u.row.items[i];
        if (!c) return SCIPIX_EINVAL;
        const char *font = c->kind == SP_NODE_SYMBOL && !c->u.sym.size ? sp_lx_font(c->u.sym.variant) : NULL;
        if (font) {
            uint32_t j = i;
            sp_lw_put(w, font);
            sp_lw_put(w, "{");
            while (j < row->u.row.n && row->u.row.items[j]->kind == SP_NODE_SYMBOL &&
                   !row->u.row.items[j]->u.sym.size &&
                   row->u.row.items[j]->u.sym.variant == c->u.sym.variant) {
                sp_lx_symbol(w, row->u.row.items[j]);
                j++;
            }
            sp_lw_put(w, "}");
            i = j;
            continue;
        }
        int rc = sp_lx_node(w, c, row, i);
        if (rc) return rc;
        if (c->kind == SP_NODE_SPACE && c->u.space.latex && !strcmp(c->u.space.latex, "\\\\") &&
            i + 1 < row->u.row.n && sp_lx_starts_bracket(row->u.row.items[i + 1]))
            sp_lw_put(w, "\\relax ");
        i++;
    }
    return SCIPIX_OK;
}

int sp_latex_emit(const sp_node *root, int styled, sp_buf *out) {
    if (!root || !out) return SCIPIX_EINVAL;
    sp_lw w = {out, styled, 0};
    sp_buf_put(out, "", 0);
    int rc = root->kind == SP_NODE_ROW ? sp_lx_row_items(&w, root) : sp_lx_node(&w, root, NULL, 0);
    if (rc) return rc;
    return out->oom ? SCIPIX_ENOMEM : SCIPIX_OK;
}
