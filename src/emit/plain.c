/*
 * plain.c — the math tree as plain Unicode text, for places that take no
 * markup: x², y₁, √x, ∛x, ½, x̂, ∑ᵢ₌₁ⁿ, 𝐯, ℝ.
 *
 * Scripts use Unicode super/subscript characters when every character of the
 * script has one; otherwise a readable fallback x^(n+q).  Fonts use the
 * Mathematical Alphanumeric Symbols block (with the letter-like exceptions
 * ℝ ℂ ℬ ℌ …).  Accents on a single character are combining marks; otherwise
 * hat(ab).  Relations and binary operators get spaces around them.
 */
#include "emit/emit.h"

#include <string.h>

typedef struct {
    sp_buf *b;
} sp_pw;

static int sp_pt_node(sp_pw *w, const sp_node *n, const sp_node *prev);
static int sp_pt_items(sp_pw *w, const sp_node *row);

/* Decodes one UTF-8 code point at *s (assumed valid: tree text is). */
static uint32_t sp_pt_next(const char **s) {
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    size_t n = 1;
    if (c >= 0xF0 && p[1] && p[2] && p[3]) c = ((c & 7) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F), n = 4;
    else if (c >= 0xE0 && p[1] && p[2]) c = ((c & 15) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F), n = 3;
    else if (c >= 0xC0 && p[1]) c = ((c & 31) << 6) | (p[1] & 0x3F), n = 2;
    *s += n;
    return c;
}

static uint32_t sp_pt_sup(uint32_t c) {
    static const uint32_t digits[] = {0x2070, 0xB9, 0xB2, 0xB3, 0x2074, 0x2075, 0x2076, 0x2077, 0x2078, 0x2079};
    static const uint32_t lower[26] = {0x1D43, 0x1D47, 0x1D9C, 0x1D48, 0x1D49, 0x1DA0, 0x1D4D, 0x02B0, 0x2071,
                                       0x02B2, 0x1D4F, 0x02E1, 0x1D50, 0x207F, 0x1D52, 0x1D56, 0,      0x02B3,
                                       0x02E2, 0x1D57, 0x1D58, 0x1D5B, 0x02B7, 0x02E3, 0x02B8, 0x1DBB};
    static const uint32_t upper[26] = {0x1D2C, 0x1D2E, 0, 0x1D30, 0x1D31, 0, 0x1D33, 0x1D34, 0x1D35, 0x1D36,
                                       0x1D37, 0x1D38, 0x1D39, 0x1D3A, 0x1D3C, 0x1D3E, 0, 0x1D3F, 0, 0x1D40,
                                       0x1D41, 0x2C7D, 0x1D42, 0, 0, 0};
    if (c >= '0' && c <= '9') return digits[c - '0'];
    if (c >= 'a' && c <= 'z') return lower[c - 'a'];
    if (c >= 'A' && c <= 'Z') return upper[c - 'A'];
    switch (c) {
    case '+': return 0x207A;
    case 0x2212: case '-': return 0x207B;
    case '=': return 0x207C;
    case '(': return 0x207D;
    case ')': return 0x207E;
    case 0x2032: return 0x2032; /* prime stays a prime */
    case 0x03B2: return 0x1D5D;
    case 0x03B3: return 0x1D5E;
    case 0x03B4: return 0x1D5F;
    case 0x03C6: case 0x03D5: return 0x1D60;
    case 0x03C7: return 0x1D61;
    case 0x2218: return 0xB0; /* ∘ as a degree sign */
    default: return 0;
    }
}

static uint32_t sp_pt_sub(uint32_t c) {
    if (c >= '0' && c <= '9') return 0x2080 + (c - '0');
    switch (c) {
    case 'a': return 0x2090; case 'e': return 0x2091; case 'o': return 0x2092; case 'x': return 0x2093;
    case 'h': return 0x2095; case 'k': return 0x2096; case 'l': return 0x2097; case 'm': return 0x2098;
    case 'n': return 0x2099; case 'p': return 0x209A; case 's': return 0x209B; case 't': return 0x209C;
    case 'i': return 0x1D62; case 'r': return 0x1D63; case 'u': return 0x1D64; case 'v': return 0x1D65;
    case 'j': return 0x2C7C;
    case '+': return 0x208A;
    case 0x2212: case '-': return 0x208B;
    case '=': return 0x208C;
    case '(': return 0x208D;
    case ')': return 0x208E;
    case 0x03B2: return 0x1D66;
    case 0x03B3: return 0x1D67;
    case 0x03C1: return 0x1D68;
    case 0x03C6: case 0x03D5: return 0x1D69;
    case 0x03C7: return 0x1D6A;
    default: return 0;
    }
}

/* Writes s with every character mapped by f; returns 0 (and writes nothing)
 * if some character has no form. */
static int sp_pt_mapped(sp_buf *b, const char *s, uint32_t (*f)(uint32_t)) {
    const char *p = s;
    while (*p) {
        uint32_t c = sp_pt_next(&p);
        if (c != ' ' && !f(c)) return 0;
    }
    p = s;
    while (*p) {
        uint32_t c = sp_pt_next(&p);
        if (c != ' ') sp_buf_put_utf8(b, f(c));
    }
    return 1;
}

static uint32_t sp_pt_font(uint32_t c, int v) {
    int up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z', dg = c >= '0' && c <= '9';
    if (!up && !lo && !dg) return c;
    switch (v) {
    case SP_VAR_BOLD:
        return up ? 0x1D400 + (c - 'A') : lo ? 0x1D41A + (c - 'a') : 0x1D7CE + (c - '0');
    case SP_VAR_BOLD_ITALIC:
        return up ? 0x1D468 + (c - 'A') : lo ? 0x1D482 + (c - 'a') : 0x1D7CE + (c - '0');
    case SP_VAR_BLACKBOARD:
        switch (c) {
        case 'C': return 0x2102; case 'H': return 0x210D; case 'N': return 0x2115; case 'P': return 0x2119;
        case 'Q': return 0x211A; case 'R': return 0x211D; case 'Z': return 0x2124;
        default: return up ? 0x1D538 + (c - 'A') : lo ? 0x1D552 + (c - 'a') : 0x1D7D8 + (c - '0');
        }
    case SP_VAR_CALLIGRAPHIC:
        switch (c) {
        case 'B': return 0x212C; case 'E': return 0x2130; case 'F': return 0x2131; case 'H': return 0x210B;
        case 'I': return 0x2110; case 'L': return 0x2112; case 'M': return 0x2133; case 'R': return 0x211B;
        case 'e': return 0x212F; case 'g': return 0x210A; case 'o': return 0x2134;
        default: return up ? 0x1D49C + (c - 'A') : lo ? 0x1D4B6 + (c - 'a') : c;
        }
    case SP_VAR_FRAKTUR:
        switch (c) {
        case 'C': return 0x212D; case 'H': return 0x210C; case 'I': return 0x2111; case 'R': return 0x211C;
        case 'Z': return 0x2128;
        default: return up ? 0x1D504 + (c - 'A') : lo ? 0x1D51E + (c - 'a') : c;
        }
    case SP_VAR_SANS:
        return up ? 0x1D5A0 + (c - 'A') : lo ? 0x1D5BA + (c - 'a') : 0x1D7E2 + (c - '0');
    case SP_VAR_MONO:
        return up ? 0x1D670 + (c - 'A') : lo ? 0x1D68A + (c - 'a') : 0x1D7F6 + (c - '0');
    default: return c;
    }
}

static void sp_pt_text_font(sp_buf *b, const char *s, int v) {
    while (*s) {
        uint32_t c = sp_pt_next(&s);
        sp_buf_put_utf8(b, sp_pt_font(c, v));
    }
}

static int sp_pt_is_simple(const sp_node *n) {
    while (n && n->kind == SP_NODE_ROW && n->u.row.n == 1) n = n->u.row.items[0];
    if (!n) return 0;
    if (n->kind == SP_NODE_ROW) {
        /* a number is simple too */
        for (uint32_t i = 0; i < n->u.row.n; i++) {
            const sp_node *c = n->u.row.items[i];
            if (c->kind != SP_NODE_SYMBOL || (c->u.sym.type != SP_SYM_NUMBER && strcmp(c->u.sym.latex, "."))) return 0;
        }
        return n->u.row.n > 0;
    }
    return n->kind == SP_NODE_SYMBOL || n->kind == SP_NODE_RADICAL || n->kind == SP_NODE_FUNC ||
           n->kind == SP_NODE_FENCED || n->kind == SP_NODE_UNDEROVER;
}

/* n rendered into a fresh buffer (for scripts that may be mapped). */
static int sp_pt_render(const sp_node *n, sp_buf *tmp) {
    sp_pw w2 = {tmp};
    return n->kind == SP_NODE_ROW ? sp_pt_items(&w2, n) : sp_pt_node(&w2, n, NULL);
}

static int sp_pt_group(sp_pw *w, const sp_node *n) {
    if (sp_pt_is_simple(n)) return n->kind == SP_NODE_ROW ? sp_pt_items(w, n) : sp_pt_node(w, n, NULL);
    sp_buf_putc(w->b, '(');
    int rc = n->kind == SP_NODE_ROW ? sp_pt_items(w, n) : sp_pt_node(w, n, NULL);
    sp_buf_putc(w->b, ')');
    return rc;
}

static int sp_pt_script(sp_pw *w, const sp_node *s, int sup) {
    sp_buf tmp;
    sp_buf_init(&tmp);
    int rc = sp_pt_render(s, &tmp);
    if (rc || tmp.oom) {
        sp_buf_free(&tmp);
        return rc ? rc : SCIPIX_ENOMEM;
    }
    if (!sp_pt_mapped(w->b, sp_buf_str(&tmp), sup ? sp_pt_sup : sp_pt_sub)) {
        sp_buf_putc(w->b, sup ? '^' : '_');
        rc = sp_pt_group(w, s);
    }
    sp_buf_free(&tmp);
    return rc;
}

static const char *sp_pt_vulgar(const sp_node *num, const sp_node *den) {
    static const char *const tbl[][3] = {
        {"1", "2", "\xC2\xBD"}, {"1", "3", "\xE2\x85\x93"}, {"2", "3", "\xE2\x85\x94"}, {"1", "4", "\xC2\xBC"},
        {"3", "4", "\xC2\xBE"}, {"1", "5", "\xE2\x85\x95"}, {"2", "5", "\xE2\x85\x96"}, {"3", "5", "\xE2\x85\x97"},
        {"4", "5", "\xE2\x85\x98"}, {"1", "6", "\xE2\x85\x99"}, {"5", "6", "\xE2\x85\x9A"}, {"1", "8", "\xE2\x85\x9B"},
        {"3", "8", "\xE2\x85\x9C"}, {"5", "8", "\xE2\x85\x9D"}, {"7", "8", "\xE2\x85\x9E"}};
    if (!num || !den || num->kind != SP_NODE_ROW || den->kind != SP_NODE_ROW || num->u.row.n != 1 || den->u.row.n != 1)
        return NULL;
    const sp_node *a = num->u.row.items[0], *b = den->u.row.items[0];
    if (a->kind != SP_NODE_SYMBOL || b->kind != SP_NODE_SYMBOL || a->u.sym.type != SP_SYM_NUMBER ||
        b->u.sym.type != SP_SYM_NUMBER)
        return NULL;
    for (size_t i = 0; i < sizeof tbl / sizeof tbl[0]; i++)
        if (!strcmp(a->u.sym.text, tbl[i][0]) && !strcmp(b->u.sym.text, tbl[i][1])) return tbl[i][2];
    return NULL;
}

static uint32_t sp_pt_combining(const char *cmd) {
    static const struct { const char *cmd; uint32_t cp; } tbl[] = {
        {"\\hat", 0x302}, {"\\widehat", 0x302}, {"\\bar", 0x304}, {"\\overline", 0x305}, {"\\tilde", 0x303},
        {"\\widetilde", 0x303}, {"\\dot", 0x307}, {"\\ddot", 0x308}, {"\\vec", 0x20D7}, {"\\overrightarrow", 0x20D7},
        {"\\check", 0x30C}, {"\\breve", 0x306}, {"\\acute", 0x301}, {"\\grave", 0x300}, {"\\mathring", 0x30A},
        {"\\underline", 0x332}, {"\\overleftarrow", 0x20D6}};
    for (size_t i = 0; cmd && i < sizeof tbl / sizeof tbl[0]; i++)
        if (!strcmp(cmd, tbl[i].cmd)) return tbl[i].cp;
    return 0;
}

static int sp_pt_node(sp_pw *w, const sp_node *n, const sp_node *prev) {
    if (!n) return SCIPIX_EINVAL;
    int rc = SCIPIX_OK;
    switch ((sp_node_kind)n->kind) {
    case SP_NODE_ROW: return sp_pt_items(w, n);
    case SP_NODE_SYMBOL: {
        int atom = n->u.sym.atom;
        int after_op = !prev || (prev->kind == SP_NODE_SYMBOL &&
                                 (prev->u.sym.atom == SP_ATOM_BIN || prev->u.sym.atom == SP_ATOM_REL ||
                                  prev->u.sym.atom == SP_ATOM_OPEN || prev->u.sym.atom == SP_ATOM_PUNCT));
        if (atom == SP_ATOM_REL) {
            sp_buf_putc(w->b, ' ');
            sp_pt_text_font(w->b, n->u.sym.text, n->u.sym.variant);
            sp_buf_putc(w->b, ' ');
        } else if (atom == SP_ATOM_BIN && !after_op) {
            sp_buf_putc(w->b, ' ');
            sp_pt_text_font(w->b, n->u.sym.text, n->u.sym.variant);
            sp_buf_putc(w->b, ' ');
        } else if (atom == SP_ATOM_PUNCT) {
            sp_pt_text_font(w->b, n->u.sym.text, n->u.sym.variant);
            sp_buf_putc(w->b, ' ');
        } else sp_pt_text_font(w->b, n->u.sym.text, n->u.sym.variant);
        return SCIPIX_OK;
    }
    case SP_NODE_TEXT:
        sp_pt_text_font(w->b, n->u.text.text, n->u.text.variant == SP_VAR_UPRIGHT ? SP_VAR_NONE : n->u.text.variant);
        return SCIPIX_OK;
    case SP_NODE_SPACE:
        if (n->u.space.latex && !strcmp(n->u.space.latex, "\\\\")) sp_buf_putc(w->b, '\n');
        else if (n->u.space.em >= 0.2f && (!w->b->len || w->b->data[w->b->len - 1] != ' ')) sp_buf_putc(w->b, ' ');
        return SCIPIX_OK;
    case SP_NODE_FRAC: {
        if (!n->u.frac.num || !n->u.frac.den) return SCIPIX_EINVAL;
        if (!n->u.frac.bar) {
            sp_buf_puts(w->b, n->u.frac.open ? "binom(" : "(");
            if ((rc = sp_pt_render(n->u.frac.num, w->b))) return rc;
            sp_buf_puts(w->b, n->u.frac.open ? ", " : " over ");
            if ((rc = sp_pt_render(n->u.frac.den, w->b))) return rc;
            sp_buf_putc(w->b, ')');
            return SCIPIX_OK;
        }
        const char *vf = sp_pt_vulgar(n->u.frac.num, n->u.frac.den);
        if (vf) {
            sp_buf_puts(w->b, vf);
            return SCIPIX_OK;
        }
        if ((rc = sp_pt_group(w, n->u.frac.num))) return rc;
        sp_buf_putc(w->b, '/');
        return sp_pt_group(w, n->u.frac.den);
    }
    case SP_NODE_RADICAL: {
        const sp_node *ix = n->u.radical.index;
        if (ix) {
            sp_buf tmp;
            sp_buf_init(&tmp);
            rc = sp_pt_render(ix, &tmp);
            const char *s = sp_buf_str(&tmp);
            if (!rc && !strcmp(s, "3")) sp_buf_puts(w->b, "\xE2\x88\x9B");
            else if (!rc && !strcmp(s, "4")) sp_buf_puts(w->b, "\xE2\x88\x9C");
            else if (!rc) {
                if (!sp_pt_mapped(w->b, s, sp_pt_sup)) {
                    sp_buf_puts(w->b, "root(");
                    sp_buf_puts(w->b, s);
                    sp_buf_putc(w->b, ')');
                }
                sp_buf_puts(w->b, "\xE2\x88\x9A");
            }
            sp_buf_free(&tmp);
            if (rc) return rc;
        } else sp_buf_puts(w->b, "\xE2\x88\x9A");
        return sp_pt_group(w, n->u.radical.body);
    }
    case SP_NODE_SCRIPTS: {
        const sp_node *base = n->u.scripts.base;
        if (!base) return SCIPIX_EINVAL;
        if (base->kind == SP_NODE_ROW && base->u.row.n > 1) rc = sp_pt_group(w, base);
        else rc = base->kind == SP_NODE_ROW ? sp_pt_items(w, base) : sp_pt_node(w, base, NULL);
        if (rc) return rc;
        if (n->u.scripts.sub && (rc = sp_pt_script(w, n->u.scripts.sub, 0))) return rc;
        if (n->u.scripts.sup && (rc = sp_pt_script(w, n->u.scripts.sup, 1))) return rc;
        return SCIPIX_OK;
    }
    case SP_NODE_UNDEROVER: {
        uint32_t comb = n->u.uo.accent ? sp_pt_combining(n->u.uo.cmd) : 0;
        sp_buf tmp;
        sp_buf_init(&tmp);
        if ((rc = sp_pt_render(n->u.uo.base, &tmp))) {
            sp_buf_free(&tmp);
            return rc;
        }
        const char *s = sp_buf_str(&tmp), *p = s;
        int one_char = 0;
        if (*p) {
            sp_pt_next(&p);
            one_char = *p == 0;
        }
        if (comb && one_char) {
            sp_buf_puts(w->b, s);
            sp_buf_put_utf8(w->b, comb);
        } else if (comb) {
            const char *name = n->u.uo.cmd + 1;
            sp_buf_puts(w->b, name);
            sp_buf_putc(w->b, '(');
            sp_buf_puts(w->b, s);
            sp_buf_putc(w->b, ')');
        } else {
            /* braces and \overset: the base, then what is above/below as scripts */
            int brace = n->u.uo.cmd && strstr(n->u.uo.cmd, "brace") != NULL;
            sp_buf_puts(w->b, s);
            if (!brace) {
                if (n->u.uo.under && (rc = sp_pt_script(w, n->u.uo.under, 0))) {
                    sp_buf_free(&tmp);
                    return rc;
                }
                if (n->u.uo.over && (rc = sp_pt_script(w, n->u.uo.over, 1))) {
                    sp_buf_free(&tmp);
                    return rc;
                }
            }
        }
        sp_buf_free(&tmp);
        return SCIPIX_OK;
    }
    case SP_NODE_FENCED:
        sp_buf_puts(w->b, n->u.fenced.open_text ? n->u.fenced.open_text : "");
        if (n->u.fenced.body && (rc = sp_pt_items(w, n->u.fenced.body))) return rc;
        sp_buf_puts(w->b, n->u.fenced.close_text ? n->u.fenced.close_text : "");
        return SCIPIX_OK;
    case SP_NODE_TABLE: {
        const char *env = n->u.table.env ? n->u.table.env : "matrix";
        const char *open = "[", *close = "]";
        if (!strcmp(env, "pmatrix")) open = "(", close = ")";
        else if (!strcmp(env, "Bmatrix")) open = "{", close = "}";
        else if (!strcmp(env, "vmatrix")) open = "|", close = "|";
        else if (!strcmp(env, "Vmatrix")) open = "\xE2\x80\x96", close = "\xE2\x80\x96";
        else if (!strcmp(env, "cases") || !strcmp(env, "dcases")) open = "{", close = "";
        else if (!strcmp(env, "rcases")) open = "", close = "}";
        else if (!strcmp(env, "aligned") || !strcmp(env, "gathered") || !strcmp(env, "array")) open = "", close = "";
        const sp_node *rows = n->u.table.rows;
        if (!rows) return SCIPIX_EINVAL;
        sp_buf_puts(w->b, open);
        for (uint32_t i = 0; i < rows->u.row.n; i++) {
            const sp_node *r = rows->u.row.items[i];
            if (i) sp_buf_puts(w->b, "; ");
            for (uint32_t j = 0; j < r->u.row.n; j++) {
                if (j) sp_buf_puts(w->b, ", ");
                if ((rc = sp_pt_items(w, r->u.row.items[j]))) return rc;
            }
        }
        sp_buf_puts(w->b, close);
        return SCIPIX_OK;
    }
    case SP_NODE_FUNC:
        sp_buf_puts(w->b, n->u.func.name ? n->u.func.name : "");
        return SCIPIX_OK;
    case SP_NODE_STYLE:
        switch (n->u.style.style) {
        case SP_STYLE_PHANTOM: case SP_STYLE_HPHANTOM: case SP_STYLE_VPHANTOM: return SCIPIX_OK;
        case SP_STYLE_NOT: {
            sp_buf tmp;
            sp_buf_init(&tmp);
            rc = sp_pt_render(n->u.style.body, &tmp);
            const char *s = sp_buf_str(&tmp);
            while (!rc && *s) {
                uint32_t c = sp_pt_next(&s);
                sp_buf_put_utf8(w->b, c);
                sp_buf_put_utf8(w->b, 0x338); /* combining long solidus */
            }
            sp_buf_free(&tmp);
            return rc;
        }
        case SP_STYLE_BOXED:
            sp_buf_putc(w->b, '[');
            rc = sp_pt_render(n->u.style.body, w->b);
            sp_buf_putc(w->b, ']');
            return rc;
        default: return sp_pt_render(n->u.style.body, w->b);
        }
    default: return SCIPIX_EINVAL;
    }
}

static int sp_pt_items(sp_pw *w, const sp_node *row) {
    const sp_node *prev = NULL;
    for (uint32_t i = 0; i < row->u.row.n; i++) {
        const sp_node *c = row->u.row.items[i];
        int rc = sp_pt_node(w, c, prev);
        if (rc) return rc;
        /* a function name followed by a letter or number: a space */
        if (c->kind == SP_NODE_FUNC && i + 1 < row->u.row.n) {
            const sp_node *nx = row->u.row.items[i + 1];
            if (nx->kind == SP_NODE_SYMBOL && (nx->u.sym.type != SP_SYM_OP)) sp_buf_putc(w->b, ' ');
            else if (nx->kind == SP_NODE_SCRIPTS || nx->kind == SP_NODE_FUNC) sp_buf_putc(w->b, ' ');
        }
        prev = c;
    }
    return SCIPIX_OK;
}

int sp_plain_emit(const sp_node *root, sp_buf *out) {
    if (!root || !out) return SCIPIX_EINVAL;
    sp_pw w = {out};
    size_t start = out->len;
    sp_buf_put(out, "", 0);
    int rc = root->kind == SP_NODE_ROW ? sp_pt_items(&w, root) : sp_pt_node(&w, root, NULL);
    if (rc) return rc;
    /* trim spaces at both ends */
    while (out->len > start && out->data[out->len - 1] == ' ') out->data[--out->len] = 0;
    size_t k = start;
    while (k < out->len && out->data[k] == ' ') k++;
    if (k > start) {
        memmove(out->data + start, out->data + k, out->len - k + 1);
        out->len -= k - start;
    }
    return out->oom ? SCIPIX_ENOMEM : SCIPIX_OK;
}
