/*
 * tree.c — the math tree's arena, constructors, structural equality and
 * S-expression dump, plus sp_buf, the growable string every emitter writes.
 *
 * The arena is a list of chunks (newest first).  A reset keeps the first
 * (largest) chunk so that converting many formulas in a row reuses the same
 * memory; a byte limit guards against unbounded memory on hostile input.
 * Rows grow by doubling inside the arena (the old array is abandoned: at most
 * twice the memory, and no free list to get wrong).
 */
#include "tree/tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sp_buf ------------------------------------------------------------ */
void sp_buf_init(sp_buf *b) { memset(b, 0, sizeof *b); }
void sp_buf_free(sp_buf *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}
void sp_buf_clear(sp_buf *b) {
    b->len = 0;
    b->oom = 0;
    if (b->data) b->data[0] = 0;
}
static int sp_buf_grow(sp_buf *b, size_t extra) {
    if (b->oom) return 0;
    if (b->len + extra + 1 <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        b->oom = 1;
        return 0;
    }
    b->data = d;
    b->cap = cap;
    return 1;
}
void sp_buf_put(sp_buf *b, const char *s, size_t n) {
    if (!sp_buf_grow(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}
void sp_buf_puts(sp_buf *b, const char *s) { sp_buf_put(b, s, strlen(s)); }
void sp_buf_putc(sp_buf *b, char c) {
    if (!sp_buf_grow(b, 1)) return;
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}
void sp_buf_printf(sp_buf *b, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sp_buf_put(b, tmp, (size_t)n);
        return;
    }
    if (!sp_buf_grow(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
void sp_buf_put_utf8(sp_buf *b, uint32_t cp) {
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sp_buf_put(b, s, n);
}
const char *sp_buf_str(sp_buf *b) { return b->data ? b->data : ""; }

/* ---- arena ------------------------------------------------------------- */
struct sp_arena_chunk {
    sp_arena_chunk *next;
    size_t size, used;
    _Alignas(8) unsigned char mem[];
};

#define SP_ARENA_FIRST (64 * 1024)

sp_tree *sp_tree_new(void) {
    sp_tree *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->limit_bytes = 256u * 1024 * 1024;
    return t;
}

void sp_tree_free(sp_tree *t) {
    if (!t) return;
    sp_arena_chunk *c = t->chunks;
    while (c) {
        sp_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    free(t);
}

void sp_tree_reset(sp_tree *t) {
    /* Keep the oldest chunk (the tail): it is the first one allocated. */
    sp_arena_chunk *c = t->chunks, *keep = NULL;
    while (c) {
        sp_arena_chunk *n = c->next;
        if (!n) keep = c;
        else free(c);
        c = n;
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    t->chunks = keep;
    t->used_bytes = 0;
    t->root = NULL;
}

void *sp_tree_alloc(sp_tree *t, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (t->limit_bytes && t->used_bytes + n > t->limit_bytes) return NULL;
    sp_arena_chunk *c = t->chunks;
    if (!c || c->size - c->used < n) {
        size_t size = SP_ARENA_FIRST;
        if (c && c->size < 16 * 1024 * 1024) size = c->size * 2;
        else if (c) size = c->size;
        if (size < n) size = n;
        sp_arena_chunk *nc = malloc(sizeof *nc + size);
        if (!nc) return NULL;
        nc->size = size;
        nc->used = 0;
        if (!c || c->used == 0 || !t->chunks) {
            nc->next = t->chunks;
            t->chunks = nc;
        } else {
            nc->next = t->chunks;
            t->chunks = nc;
        }
        c = nc;
    }
    void *p = c->mem + c->used;
    c->used += n;
    t->used_bytes += n;
    memset(p, 0, n);
    return p;
}

char *sp_tree_strdup(sp_tree *t, const char *s, size_t n) {
    char *d = sp_tree_alloc(t, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* ---- constructors ------------------------------------------------------ */
static sp_node *sp_tree_node(sp_tree *t, sp_node_kind k) {
    sp_node *n = sp_tree_alloc(t, sizeof *n);
    if (n) n->kind = (uint8_t)k;
    return n;
}

sp_node *sp_tree_row(sp_tree *t) { return sp_tree_node(t, SP_NODE_ROW); }

int sp_tree_row_append(sp_tree *t, sp_node *row, sp_node *child) {
    if (!row || row->kind != SP_NODE_ROW || !child) return SCIPIX_EINVAL;
    if (row->u.row.n == row->u.row.cap) {
        uint32_t cap = row->u.row.cap ? row->u.row.cap * 2 : 4;
        sp_node **items = sp_tree_alloc(t, cap * sizeof *items);
        if (!items) return SCIPIX_ENOMEM;
        if (row->u.row.n) memcpy(items, row->u.row.items, row->u.row.n * sizeof *items);
        row->u.row.items = items;
        row->u.row.cap = cap;
    }
    row->u.row.items[row->u.row.n++] = child;
    return SCIPIX_OK;
}

sp_node *sp_tree_symbol_raw(sp_tree *t, const char *text, const char *latex, sp_sym_type type,
                            sp_variant v, sp_atom atom, unsigned symflags) {
    sp_node *n = sp_tree_node(t, SP_NODE_SYMBOL);
    if (!n) return NULL;
    n->u.sym.text = text;
    n->u.sym.latex = latex;
    n->u.sym.type = (uint8_t)type;
    n->u.sym.variant = (uint8_t)v;
    n->u.sym.atom = (uint8_t)atom;
    n->u.sym.symflags = (uint8_t)symflags;
    return n;
}

sp_node *sp_tree_symbol(sp_tree *t, const char *latex, sp_variant v) {
    const sp_symbol_info *si = sp_tree_symbol_find(latex, strlen(latex));
    if (!si) {
        char c = latex[0];
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'), digit = c >= '0' && c <= '9';
        if ((!letter && !digit) || latex[1]) return NULL;
        char *s = sp_tree_strdup(t, latex, 1);
        if (!s) return NULL;
        return sp_tree_symbol_raw(t, s, s, letter ? SP_SYM_IDENT : SP_SYM_NUMBER, v, SP_ATOM_ORD, 0);
    }
    return sp_tree_symbol_raw(t, si->text, si->latex, (sp_sym_type)si->type, v, (sp_atom)si->atom,
                              si->flags);
}

sp_node *sp_tree_text(sp_tree *t, const char *utf8, sp_variant v) {
    sp_node *n = sp_tree_node(t, SP_NODE_TEXT);
    if (!n) return NULL;
    n->u.text.text = sp_tree_strdup(t, utf8, strlen(utf8));
    if (!n->u.text.text) return NULL;
    n->u.text.variant = (uint8_t)v;
    return n;
}

sp_node *sp_tree_space(sp_tree *t, const char *latex, float em) {
    sp_node *n = sp_tree_node(t, SP_NODE_SPACE);
    if (!n) return NULL;
    n->u.space.latex = latex;
    n->u.space.em = em;
    return n;
}

sp_node *sp_tree_frac(sp_tree *t, sp_node *num, sp_node *den, int bar) {
    sp_node *n = sp_tree_node(t, SP_NODE_FRAC);
    if (!n) return NULL;
    n->u.frac.num = num;
    n->u.frac.den = den;
    n->u.frac.bar = (uint8_t)(bar != 0);
    return n;
}

sp_node *sp_tree_radical(sp_tree *t, sp_node *body, sp_node *index) {
    sp_node *n = sp_tree_node(t, SP_NODE_RADICAL);
    if (!n) return NULL;
    n->u.radical.body = body;
    n->u.radical.index = index;
    return n;
}

sp_node *sp_tree_scripts(sp_tree *t, sp_node *base, sp_node *sub, sp_node *sup, sp_limits l) {
    sp_node *n = sp_tree_node(t, SP_NODE_SCRIPTS);
    if (!n) return NULL;
    n->u.scripts.base = base;
    n->u.scripts.sub = sub;
    n->u.scripts.sup = sup;
    n->u.scripts.limits = (uint8_t)l;
    return n;
}

sp_node *sp_tree_underover(sp_tree *t, sp_node *base, sp_node *under, sp_node *over,
                           const char *cmd, int accent) {
    sp_node *n = sp_tree_node(t, SP_NODE_UNDEROVER);
    if (!n) return NULL;
    n->u.uo.base = base;
    n->u.uo.under = under;
    n->u.uo.over = over;
    n->u.uo.cmd = cmd;
    n->u.uo.accent = (uint8_t)(accent != 0);
    return n;
}

sp_node *sp_tree_fenced(sp_tree *t, const char *open, const char *close, sp_node *body) {
    const char *ot = "", *ct = "";
    if (strcmp(open, ".") != 0) {
        const sp_symbol_info *si = sp_tree_symbol_find(open, strlen(open));
        if (!si || !(si->flags & SP_SYMF_FENCE)) return NULL;
        open = si->latex;
        ot = si->text;
    } else open = ".";
    if (strcmp(close, ".") != 0) {
        const sp_symbol_info *si = sp_tree_symbol_find(close, strlen(close));
        if (!si || !(si->flags & SP_SYMF_FENCE)) return NULL;
        close = si->latex;
        ct = si->text;
    } else close = ".";
    sp_node *n = sp_tree_node(t, SP_NODE_FENCED);
    if (!n) return NULL;
    n->u.fenced.open = open;
    n->u.fenced.close = close;
    n->u.fenced.open_text = ot;
    n->u.fenced.close_text = ct;
    n->u.fenced.body = body;
    return n;
}

sp_node *sp_tree_table(sp_tree *t, const char *env, const char *colspec, sp_node *rows) {
    sp_node *n = sp_tree_node(t, SP_NODE_TABLE);
    if (!n) return NULL;
    n->u.table.env = env;
    n->u.table.colspec = colspec;
    n->u.table.rows = rows;
    return n;
}

sp_node *sp_tree_func(sp_tree *t, const char *name, const char *latex, int limits) {
    sp_node *n = sp_tree_node(t, SP_NODE_FUNC);
    if (!n) return NULL;
    n->u.func.name = name;
    n->u.func.latex = latex;
    n->u.func.limits = (uint8_t)(limits != 0);
    return n;
}

sp_node *sp_tree_style(sp_tree *t, sp_style s, sp_node *body) {
    sp_node *n = sp_tree_node(t, SP_NODE_STYLE);
    if (!n) return NULL;
    n->u.style.style = (uint8_t)s;
    n->u.style.body = body;
    return n;
}

/* ---- equality ---------------------------------------------------------- */
static int sp_streq(const char *a, const char *b) {
    if (a == b) return 1;
    if (!a || !b) return 0;
    return strcmp(a, b) == 0;
}

int sp_tree_equal(const sp_node *a, const sp_node *b) {
    if (a == b) return 1;
    if (!a || !b) return 0;
    if (a->kind != b->kind || a->flags != b->flags) return 0;
    switch ((sp_node_kind)a->kind) {
    case SP_NODE_ROW:
        if (a->u.row.n != b->u.row.n) return 0;
        for (uint32_t i = 0; i < a->u.row.n; i++)
            if (!sp_tree_equal(a->u.row.items[i], b->u.row.items[i])) return 0;
        return 1;
    case SP_NODE_SYMBOL:
        return sp_streq(a->u.sym.text, b->u.sym.text) && sp_streq(a->u.sym.latex, b->u.sym.latex) &&
               a->u.sym.type == b->u.sym.type && a->u.sym.variant == b->u.sym.variant &&
               a->u.sym.atom == b->u.sym.atom && a->u.sym.size == b->u.sym.size &&
               a->u.sym.size_role == b->u.sym.size_role;
    case SP_NODE_TEXT:
        return sp_streq(a->u.text.text, b->u.text.text) && a->u.text.variant == b->u.text.variant;
    case SP_NODE_SPACE:
        return sp_streq(a->u.space.latex, b->u.space.latex);
    case SP_NODE_FRAC:
        return a->u.frac.bar == b->u.frac.bar && a->u.frac.style == b->u.frac.style &&
               sp_streq(a->u.frac.open, b->u.frac.open) && sp_streq(a->u.frac.close, b->u.frac.close) &&
               sp_tree_equal(a->u.frac.num, b->u.frac.num) && sp_tree_equal(a->u.frac.den, b->u.frac.den);
    case SP_NODE_RADICAL:
        return sp_tree_equal(a->u.radical.body, b->u.radical.body) &&
               sp_tree_equal(a->u.radical.index, b->u.radical.index);
    case SP_NODE_SCRIPTS:
        return a->u.scripts.limits == b->u.scripts.limits &&
               sp_tree_equal(a->u.scripts.base, b->u.scripts.base) &&
               sp_tree_equal(a->u.scripts.sub, b->u.scripts.sub) &&
               sp_tree_equal(a->u.scripts.sup, b->u.scripts.sup);
    case SP_NODE_UNDEROVER:
        return a->u.uo.accent == b->u.uo.accent && sp_streq(a->u.uo.cmd, b->u.uo.cmd) &&
               sp_tree_equal(a->u.uo.base, b->u.uo.base) && sp_tree_equal(a->u.uo.under, b->u.uo.under) &&
               sp_tree_equal(a->u.uo.over, b->u.uo.over);
    case SP_NODE_FENCED:
        return sp_streq(a->u.fenced.open, b->u.fenced.open) &&
               sp_streq(a->u.fenced.close, b->u.fenced.close) &&
               sp_tree_equal(a->u.fenced.body, b->u.fenced.body);
    case SP_NODE_TABLE:
        return sp_streq(a->u.table.env, b->u.table.env) &&
               sp_streq(a->u.table.colspec, b->u.table.colspec) &&
               sp_tree_equal(a->u.table.rows, b->u.table.rows);
    case SP_NODE_FUNC:
        return sp_streq(a->u.func.name, b->u.func.name) && sp_streq(a->u.func.latex, b->u.func.latex) &&
               a->u.func.limits == b->u.func.limits;
    case SP_NODE_STYLE:
        return a->u.style.style == b->u.style.style && a->u.style.atom == b->u.style.atom &&
               sp_streq(a->u.style.arg, b->u.style.arg) && sp_tree_equal(a->u.style.body, b->u.style.body);
    default:
        return 0;
    }
}

size_t sp_tree_count(const sp_node *n) {
    if (!n) return 0;
    size_t c = 1;
    switch ((sp_node_kind)n->kind) {
    case SP_NODE_ROW:
        for (uint32_t i = 0; i < n->u.row.n; i++) c += sp_tree_count(n->u.row.items[i]);
        break;
    case SP_NODE_FRAC: c += sp_tree_count(n->u.frac.num) + sp_tree_count(n->u.frac.den); break;
    case SP_NODE_RADICAL: c += sp_tree_count(n->u.radical.body) + sp_tree_count(n->u.radical.index); break;
    case SP_NODE_SCRIPTS:
        c += sp_tree_count(n->u.scripts.base) + sp_tree_count(n->u.scripts.sub) +
             sp_tree_count(n->u.scripts.sup);
        break;
    case SP_NODE_UNDEROVER:
        c += sp_tree_count(n->u.uo.base) + sp_tree_count(n->u.uo.under) + sp_tree_count(n->u.uo.over);
        break;
    case SP_NODE_FENCED: c += sp_tree_count(n->u.fenced.body); break;
    case SP_NODE_TABLE: c += sp_tree_count(n->u.table.rows); break;
    case SP_NODE_STYLE: c += sp_tree_count(n->u.style.body); break;
    default: break;
    }
    return c;
}

/* ---- dump -------------------------------------------------------------- */
static const char *const sp_kind_names[SP_NODE_KIND_COUNT] = {
    "row", "sym", "text", "space", "frac", "radical", "scripts", "underover", "fenced", "table",
    "func", "style"};
static const char *const sp_variant_names[SP_VAR_COUNT] = {
    "none", "italic", "upright", "bold", "bold-italic", "calligraphic", "blackboard", "fraktur",
    "sans", "mono"};

const char *sp_tree_kind_name(sp_node_kind k) {
    return (unsigned)k < SP_NODE_KIND_COUNT ? sp_kind_names[k] : "?";
}
const char *sp_tree_variant_name(sp_variant v) {
    return (unsigned)v < SP_VAR_COUNT ? sp_variant_names[v] : "?";
}

static void sp_dump_str(sp_buf *o, const char *s) {
    sp_buf_putc(o, '"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') sp_buf_putc(o, '\\');
        sp_buf_putc(o, *s);
    }
    sp_buf_putc(o, '"');
}

/* One child of a dumped node: a space, then its dump ("nil" when absent). */
static void sp_dump_child(sp_buf *o, const sp_node *child) {
    sp_buf_putc(o, ' ');
    sp_tree_dump(child, o);
}

void sp_tree_dump(const sp_node *n, sp_buf *o) {
    if (!n) {
        sp_buf_puts(o, "nil");
        return;
    }
    sp_buf_putc(o, '(');
    sp_buf_puts(o, sp_tree_kind_name((sp_node_kind)n->kind));
    switch ((sp_node_kind)n->kind) {
    case SP_NODE_ROW:
        for (uint32_t i = 0; i < n->u.row.n; i++) {
            sp_dump_child(o, n->u.row.items[i]);
        }
        break;
    case SP_NODE_SYMBOL:
        sp_buf_putc(o, ' ');
        sp_dump_str(o, n->u.sym.latex);
        if (n->u.sym.variant) sp_buf_printf(o, " %s", sp_tree_variant_name((sp_variant)n->u.sym.variant));
        if (n->u.sym.size) sp_buf_printf(o, " size=%d/%d", n->u.sym.size, n->u.sym.size_role);
        break;
    case SP_NODE_TEXT:
        sp_buf_putc(o, ' ');
        sp_dump_str(o, n->u.text.text);
        sp_buf_printf(o, " %s", sp_tree_variant_name((sp_variant)n->u.text.variant));
        break;
    case SP_NODE_SPACE:
        sp_buf_putc(o, ' ');
        sp_dump_str(o, n->u.space.latex);
        break;
    case SP_NODE_FRAC:
        if (!n->u.frac.bar) sp_buf_puts(o, " nobar");
        if (n->u.frac.open) sp_buf_printf(o, " %s%s", n->u.frac.open, n->u.frac.close);
        if (n->u.frac.style) sp_buf_printf(o, " style=%d", n->u.frac.style);
        sp_dump_child(o, n->u.frac.num);
        sp_dump_child(o, n->u.frac.den);
        break;
    case SP_NODE_RADICAL:
        sp_dump_child(o, n->u.radical.body);
        sp_dump_child(o, n->u.radical.index);
        break;
    case SP_NODE_SCRIPTS:
        if (n->u.scripts.limits) sp_buf_printf(o, " limits=%d", n->u.scripts.limits);
        sp_dump_child(o, n->u.scripts.base);
        sp_dump_child(o, n->u.scripts.sub);
        sp_dump_child(o, n->u.scripts.sup);
        break;
    case SP_NODE_UNDEROVER:
        sp_buf_printf(o, " %s%s ", n->u.uo.cmd ? n->u.uo.cmd : "-", n->u.uo.accent ? " accent" : "");
        sp_tree_dump(n->u.uo.base, o);
        sp_dump_child(o, n->u.uo.under);
        sp_dump_child(o, n->u.uo.over);
        break;
    case SP_NODE_FENCED:
        sp_buf_putc(o, ' ');
        sp_dump_str(o, n->u.fenced.open);
        sp_buf_putc(o, ' ');
        sp_dump_str(o, n->u.fenced.close);
        sp_dump_child(o, n->u.fenced.body);
        break;
    case SP_NODE_TABLE:
        sp_buf_printf(o, " %s", n->u.table.env);
        if (n->u.table.colspec) {
            sp_buf_putc(o, ' ');
            sp_dump_str(o, n->u.table.colspec);
        }
        sp_dump_child(o, n->u.table.rows);
        break;
    case SP_NODE_FUNC:
        sp_buf_putc(o, ' ');
        sp_dump_str(o, n->u.func.name);
        break;
    case SP_NODE_STYLE:
        sp_buf_printf(o, " %d", n->u.style.style);
        if (n->u.style.arg) sp_buf_printf(o, " %s", n->u.style.arg);
        sp_dump_child(o, n->u.style.body);
        break;
    default: break;
    }
    sp_buf_putc(o, ')');
}
