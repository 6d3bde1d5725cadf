/*
 * asciimath.c — the math tree as AsciiMath (asciimath.org syntax).
 *
 * Tokens are separated by single spaces so that adjacent names never fuse
 * ("s i n" stays three letters, "sin" is the function).  Symbols use their
 * AsciiMath names from the symbol table (alpha, oo, <=, ->, sum …) or their
 * Unicode character where AsciiMath has no name.  Grouping uses parentheses,
 * which AsciiMath drops when they delimit an argument: (a+b)/(c), x^(n+1),
 * sqrt(x), root(3)(x), hat(x), bb(x).  Upright words become "text".
 */
#include "emit/emit.h"

#include <string.h>

typedef struct {
    sp_buf *b;
} sp_aw;

static int sp_am_node(sp_aw *w, const sp_node *n);
static int sp_am_items(sp_aw *w, const sp_node *row);

static void sp_am_tok(sp_aw *w, const char *s) {
    if (!*s) return;
    if (w->b->len && !strchr(" (^_/", w->b->data[w->b->len - 1]) && s[0] != ')') sp_buf_putc(w->b, ' ');
    sp_buf_puts(w->b, s);
}
static void sp_am_raw(sp_aw *w, const char *s) { sp_buf_puts(w->b, s); }

static const sp_node *sp_am_unwrap(const sp_node *n) {
    while (n && n->kind == SP_NODE_ROW && n->u.row.n == 1) n = n->u.row.items[0];
    return n;
}

static int sp_am_is_simple(const sp_node *n) {
    n = sp_am_unwrap(n);
    if (!n) return 0;
    if (n->kind == SP_NODE_SYMBOL) return !n->u.sym.variant;
    return n->kind == SP_NODE_RADICAL || n->kind == SP_NODE_UNDEROVER || n->kind == SP_NODE_TEXT;
}

/* An argument: a simple one as is, otherwise in parentheses. */
static int sp_am_arg(sp_aw *w, const sp_node *n, int force_paren) {
    if (!n) return SCIPIX_EINVAL;
    if (!force_paren && sp_am_is_simple(n)) return sp_am_node(w, sp_am_unwrap(n));
    sp_am_tok(w, "(");
    int rc = n->kind == SP_NODE_ROW ? sp_am_items(w, n) : sp_am_node(w, n);
    sp_am_raw(w, ")");
    return rc;
}

static const char *sp_am_font(int v) {
    switch (v) {
    case SP_VAR_BOLD: case SP_VAR_BOLD_ITALIC: return "bb";
    case SP_VAR_BLACKBOARD: return "bbb";
    case SP_VAR_CALLIGRAPHIC: return "cc";
    case SP_VAR_FRAKTUR: return "fr";
    case SP_VAR_SANS: return "sf";
    case SP_VAR_MONO: return "tt";
    default: return NULL;
    }
}

static void sp_am_symbol_text(sp_aw *w, const sp_node *n) {
    const sp_symbol_info *si = sp_tree_symbol_find(n->u.sym.latex, strlen(n->u.sym.latex));
    const char *s = si && si->ascii ? si->ascii : n->u.sym.text;
    if (!strcmp(s, "\"")) s = "\\\"";
    sp_am_tok(w, s);
}

static int sp_am_items(sp_aw *w, const sp_node *row) {
    uint32_t i = 0;
    while (i < row->u.row.n) {
        const sp_node *c = row->u.row.items[i];
        if (!c) return SCIPIX_EINVAL;
        if (c->kind == SP_NODE_SYMBOL && c->u.sym.type == SP_SYM_NUMBER) {
            /* a number: digits and inner points, one token */
            sp_am_tok(w, "");
            if (w->b->len && w->b->data[w->b->len - 1] != ' ' && w->b->data[w->b->len - 1] != '(') sp_buf_putc(w->b, ' ');
            while (i < row->u.row.n) {
                const sp_node *d = row->u.row.items[i];
                if (d->kind == SP_NODE_SYMBOL && d->u.sym.type == SP_SYM_NUMBER) sp_buf_puts(w->b, d->u.sym.text);
                else if (d->kind == SP_NODE_SYMBOL && !strcmp(d->u.sym.latex, ".") && i + 1 < row->u.row.n &&
                         row->u.row.items[i + 1]->kind == SP_NODE_SYMBOL &&
                         row->u.row.items[i + 1]->u.sym.type == SP_SYM_NUMBER)
                    sp_buf_putc(w->b, '.');
                else break;
                i++;
            }
            continue;
        }
        if (c->kind == SP_NODE_SYMBOL && c->u.sym.variant == SP_VAR_UPRIGHT && c->u.sym.type == SP_SYM_IDENT) {
            /* an upright word: "text" */
            sp_am_tok(w, "\"");
            while (i < row->u.row.n && row->u.row.items[i]->kind == SP_NODE_SYMBOL &&
                   row->u.row.items[i]->u.sym.variant == SP_VAR_UPRIGHT &&
                   row->u.row.items[i]->u.sym.type == SP_SYM_IDENT) {
                sp_buf_puts(w->b, row->u.row.items[i]->u.sym.text);
                i++;
            }
            sp_buf_putc(w->b, '"');
            continue;
        }
        int rc = sp_am_node(w, c);
        if (rc) return rc;
        i++;
    }
    return SCIPIX_OK;
}

static const char *sp_am_accent(const char *cmd) {
    static const struct { const char *cmd, *am; } acc[] = {
        {"\\hat", "hat"}, {"\\widehat", "hat"}, {"\\bar", "bar"}, {"\\overline", "bar"}, {"\\vec", "vec"},
        {"\\overrightarrow", "vec"}, {"\\tilde", "tilde"}, {"\\widetilde", "tilde"}, {"\\dot", "dot"},
        {"\\ddot", "ddot"}, {"\\underline", "ul"}, {"\\overbrace", "obrace"}, {"\\underbrace", "ubrace"}};
    for (size_t i = 0; cmd && i < sizeof acc / sizeof acc[0]; i++)
        if (!strcmp(cmd, acc[i].cmd)) return acc[i].am;
    return NULL;
}

static int sp_am_table(sp_aw *w, const sp_node *n) {
    const char *env = n->u.table.env ? n->u.table.env : "matrix";
    const char *open = "{:", *close = ":}", *ro = "(", *rc_ = ")";
    if (!strcmp(env, "pmatrix")) open = "(", close = ")";
    else if (!strcmp(env, "bmatrix")) open = "[", close = "]", ro = "[", rc_ = "]";
    else if (!strcmp(env, "Bmatrix")) open = "{", close = "}";
    else if (!strcmp(env, "vmatrix")) open = "|", close = "|";
    else if (!strcmp(env, "Vmatrix")) open = "||", close = "||";
    else if (!strcmp(env, "cases") || !strcmp(env, "dcases")) open = "{", close = ":}";
    else if (!strcmp(env, "rcases")) open = "{:", close = "}";
    const sp_node *rows = n->u.table.rows;
    if (!rows) return SCIPIX_EINVAL;
    sp_am_tok(w, open);
    for (uint32_t i = 0; i < rows->u.row.n; i++) {
        const sp_node *r = rows->u.row.items[i];
        if (i) sp_am_raw(w, ",");
        sp_am_tok(w, ro);
        for (uint32_t j = 0; j < r->u.row.n; j++) {
            if (j) sp_am_raw(w, ",");
            int rc = sp_am_items(w, r->u.row.items[j]);
            if (rc) return rc;
        }
        sp_am_raw(w, rc_);
    }
    sp_am_tok(w, close);
    return SCIPIX_OK;
}

static int sp_am_node(sp_aw *w, const sp_node *n) {
    if (!n) return SCIPIX_EINVAL;
    int rc = SCIPIX_OK;
    switch ((sp_node_kind)n->kind) {
    case SP_NODE_ROW:
        if (n->u.row.n <= 1) return sp_am_items(w, n);
        sp_am_tok(w, "(");
        rc = sp_am_items(w, n);
        sp_am_raw(w, ")");
        return rc;
    case SP_NODE_SYMBOL: {
        const char *font = sp_am_font(n->u.sym.variant);
        if (font) {
            sp_am_tok(w, font);
            sp_am_raw(w, "(");
            sp_buf_puts(w->b, n->u.sym.text);
            sp_am_raw(w, ")");
        } else sp_am_symbol_text(w, n);
        return SCIPIX_OK;
    }
    case SP_NODE_TEXT: {
        const char *font = sp_am_font(n->u.text.variant);
        if (font) {
            sp_am_tok(w, font);
            sp_am_raw(w, "(");
        } else sp_am_tok(w, "");
        if (!font && w->b->len && w->b->data[w->b->len - 1] != ' ') sp_buf_putc(w->b, ' ');
        sp_buf_putc(w->b, '"');
        for (const char *s = n->u.text.text; *s; s++) sp_buf_putc(w->b, *s == '"' ? '\'' : *s);
        sp_buf_putc(w->b, '"');
        if (font) sp_am_raw(w, ")");
        return SCIPIX_OK;
    }
    case SP_NODE_SPACE:
        if (n->u.space.em >= 1.5f) sp_am_tok(w, "qquad");
        else if (n->u.space.em >= 0.75f) sp_am_tok(w, "quad");
        else if (n->u.space.em >= 0.2f) sp_am_tok(w, "\\ ");
        return SCIPIX_OK;
    case SP_NODE_FRAC:
        if (!n->u.frac.bar) {
            /* binomial / \atop: a two-row column */
            sp_am_tok(w, n->u.frac.open ? "(" : "{:");
            sp_am_raw(w, "(");
            if ((rc = sp_am_items(w, n->u.frac.num))) return rc;
            sp_am_raw(w, "),(");
            if ((rc = sp_am_items(w, n->u.frac.den))) return rc;
            sp_am_raw(w, ")");
            sp_am_raw(w, n->u.frac.open ? ")" : ":}");
            return SCIPIX_OK;
        }
        if ((rc = sp_am_arg(w, n->u.frac.num, 0))) return rc;
        sp_am_raw(w, "/");
        return sp_am_arg(w, n->u.frac.den, 0);
    case SP_NODE_RADICAL:
        if (n->u.radical.index) {
            sp_am_tok(w, "root");
            if ((rc = sp_am_arg(w, n->u.radical.index, 1))) return rc;
            return sp_am_arg(w, n->u.radical.body, 1);
        }
        sp_am_tok(w, "sqrt");
        return sp_am_arg(w, n->u.radical.body, 1);
    case SP_NODE_SCRIPTS: {
        const sp_node *base = n->u.scripts.base;
        if (!base) return SCIPIX_EINVAL;
        if (base->kind == SP_NODE_ROW && base->u.row.n == 0) sp_am_tok(w, "{::}");
        else if ((rc = sp_am_arg(w, base, 0))) return rc;
        if (n->u.scripts.sub) {
            sp_am_raw(w, "_");
            if ((rc = sp_am_arg(w, n->u.scripts.sub, 0))) return rc;
        }
        if (n->u.scripts.sup) {
            sp_am_raw(w, "^");
            if ((rc = sp_am_arg(w, n->u.scripts.sup, 0))) return rc;
        }
        return SCIPIX_OK;
    }
    case SP_NODE_UNDEROVER: {
        const char *acc = sp_am_accent(n->u.uo.cmd);
        if (acc) {
            sp_am_tok(w, acc);
            return sp_am_arg(w, n->u.uo.base, 1);
        }
        if (n->u.uo.over && !n->u.uo.under) {
            sp_am_tok(w, "overset");
            if ((rc = sp_am_arg(w, n->u.uo.over, 1))) return rc;
            return sp_am_arg(w, n->u.uo.base, 1);
        }
        if (n->u.uo.under && !n->u.uo.over) {
            sp_am_tok(w, "underset");
            if ((rc = sp_am_arg(w, n->u.uo.under, 1))) return rc;
            return sp_am_arg(w, n->u.uo.base, 1);
        }
        sp_am_tok(w, "underset");
        if ((rc = sp_am_arg(w, n->u.uo.under, 1))) return rc;
        sp_am_tok(w, "(overset");
        if ((rc = sp_am_arg(w, n->u.uo.over, 1)) || (rc = sp_am_arg(w, n->u.uo.base, 1))) return rc;
        sp_am_raw(w, ")");
        return SCIPIX_OK;
    }
    case SP_NODE_FENCED: {
        const sp_symbol_info *o = sp_tree_symbol_find(n->u.fenced.open, strlen(n->u.fenced.open));
        const sp_symbol_info *c = sp_tree_symbol_find(n->u.fenced.close, strlen(n->u.fenced.close));
        sp_am_tok(w, o ? (o->ascii ? o->ascii : o->text) : "{:");
        if (n->u.fenced.body && (rc = sp_am_items(w, n->u.fenced.body))) return rc;
        sp_am_tok(w, c ? (c->ascii ? c->ascii : c->text) : ":}");
        return SCIPIX_OK;
    }
    case SP_NODE_TABLE: return sp_am_table(w, n);
    case SP_NODE_FUNC: {
        static const char *const known[] = {"sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan",
                                            "sinh", "cosh", "tanh", "sech", "csch", "coth", "exp", "log", "ln",
                                            "det", "dim", "mod", "gcd", "lcm", "lub", "glb", "min", "max", "lim"};
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (!strcmp(n->u.func.name, known[i])) {
                sp_am_tok(w, known[i]);
                return SCIPIX_OK;
            }
        sp_am_tok(w, "");
        if (w->b->len && w->b->data[w->b->len - 1] != ' ' && w->b->data[w->b->len - 1] != '(') sp_buf_putc(w->b, ' ');
        sp_buf_putc(w->b, '"');
        sp_buf_puts(w->b, n->u.func.name);
        sp_buf_putc(w->b, '"');
        return SCIPIX_OK;
    }
    case SP_NODE_STYLE:
        switch (n->u.style.style) {
        case SP_STYLE_PHANTOM: case SP_STYLE_HPHANTOM: case SP_STYLE_VPHANTOM: return SCIPIX_OK;
        case SP_STYLE_NOT:
            sp_am_tok(w, "cancel");
            return sp_am_arg(w, n->u.style.body, 1);
        default:
            return n->u.style.body->kind == SP_NODE_ROW ? sp_am_items(w, n->u.style.body) : sp_am_node(w, n->u.style.body);
        }
    default: return SCIPIX_EINVAL;
    }
}

int sp_asciimath_emit(const sp_node *root, sp_buf *out) {
    if (!root || !out) return SCIPIX_EINVAL;
    sp_aw w = {out};
    size_t start = out->len;
    sp_buf_put(out, "", 0);
    int rc = root->kind == SP_NODE_ROW ? sp_am_items(&w, root) : sp_am_node(&w, root);
    if (rc) return rc;
    /* the writer never starts with a space when out was empty; trim if it did */
    if (out->len > start && out->data[start] == ' ') {
        memmove(out->data + start, out->data + start + 1, out->len - start);
        out->len--;
    }
    return out->oom ? SCIPIX_ENOMEM : SCIPIX_OK;
}
