/*
 * tree.h — the scipix math tree: one structure for a formula, shared by the
 * LaTeX parser (src/tree/latex.c), the formula-recognition stage that builds
 * trees from symbols on a page, and every emitter (src/emit/).
 *
 * Why it is built this way:
 *  - All nodes of one formula live in one arena (sp_tree).  Building is a
 *    bump of a pointer, freeing is one call, and sp_tree_reset() reuses the
 *    memory for the next formula, so batch conversion allocates almost
 *    nothing after the first formula.
 *  - One node struct with a kind tag and a union: emitters are plain
 *    switch statements, and a builder needs only the constructors below.
 *  - A node records *what* the math is (a fraction, a radical, a symbol
 *    with its math variant and TeX atom class), not how one notation wrote
 *    it, so that \frac{a}{b} and {a \over b} give one tree, and every output
 *    format can be generated from it.  The few spelling choices that change
 *    the meaning of the rendering (\dfrac vs \frac, \binom, \overset vs
 *    \stackrel, the delimiter of \bigl) are kept as fields.
 *  - Strings (symbol spellings, text) are either static table entries or
 *    copies in the arena; a tree never points into the caller's input.
 *
 * Node kinds (see sp_node below for their fields):
 *   ROW       a horizontal list of nodes; a braced group {…} is a ROW inside
 *             a ROW.  The root of every formula is a ROW.
 *   SYMBOL    one identifier / number / operator with its Unicode text, its
 *             LaTeX spelling, math variant, atom class, and for sized
 *             delimiters (\big( …) the size.
 *   TEXT      text-mode content (\text{…}, \mbox, \textrm …) with a variant.
 *   SPACE     horizontal space: \, \: \; \! \quad \qquad "\ " ~ \hspace{…}.
 *   FRAC      numerator over denominator: \frac \dfrac \tfrac, \binom
 *             (no bar, parentheses), \atop (no bar).
 *   RADICAL   \sqrt with an optional index.
 *   SCRIPTS   base with sub- and/or superscript and limit placement.
 *   UNDEROVER base with something under and/or over it: accents (\hat),
 *             \overline, braces, \overset/\underset/\stackrel.
 *   FENCED    \left X … \right Y, stretchy delimiters around a body.
 *   TABLE     an environment of rows × cells: matrix family, array, cases,
 *             aligned, gathered …
 *   FUNC      a function name set upright: \sin, \lim, \operatorname{…}.
 *   STYLE     a wrapper that changes how its body is set: \displaystyle,
 *             size commands, \phantom, \fbox, \mathrel{…}, \not{…}.
 */
#ifndef SP_TREE_TREE_H
#define SP_TREE_TREE_H

#include "scipix.h"

#include <stddef.h>
#include <stdint.h>

/* ---- a growable output buffer (used by dumps and every emitter) -------- */
typedef struct sp_buf {
    char *data; /* NUL-terminated when len > 0 or after sp_buf_init */
    size_t len;
    size_t cap;
    int oom;    /* set once an allocation failed; further appends are no-ops */
} sp_buf;

void sp_buf_init(sp_buf *b);
void sp_buf_free(sp_buf *b);
void sp_buf_clear(sp_buf *b);                 /* len = 0, keeps memory */
void sp_buf_put(sp_buf *b, const char *s, size_t n);
void sp_buf_puts(sp_buf *b, const char *s);
void sp_buf_putc(sp_buf *b, char c);
void sp_buf_printf(sp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sp_buf_put_utf8(sp_buf *b, uint32_t cp);  /* one code point as UTF-8 */
const char *sp_buf_str(sp_buf *b);            /* "" when empty, never NULL */

/* ---- node kinds and attributes ---------------------------------------- */
typedef enum sp_node_kind {
    SP_NODE_ROW = 0,
    SP_NODE_SYMBOL,
    SP_NODE_TEXT,
    SP_NODE_SPACE,
    SP_NODE_FRAC,
    SP_NODE_RADICAL,
    SP_NODE_SCRIPTS,
    SP_NODE_UNDEROVER,
    SP_NODE_FENCED,
    SP_NODE_TABLE,
    SP_NODE_FUNC,
    SP_NODE_STYLE,
    SP_NODE_KIND_COUNT
} sp_node_kind;

/* What a symbol is, which decides <mi>, <mn> or <mo> in MathML. */
typedef enum sp_sym_type {
    SP_SYM_IDENT = 0, /* letters, Greek, \infty, \hbar … */
    SP_SYM_NUMBER,    /* digits and the decimal point inside a number */
    SP_SYM_OP         /* operators, relations, fences, punctuation */
} sp_sym_type;

/* Math variant (font).  NONE means "as TeX sets it by default": italic
 * letters, upright digits and operators. */
typedef enum sp_variant {
    SP_VAR_NONE = 0,
    SP_VAR_ITALIC,       /* \mathit, \it, \mit, \sl */
    SP_VAR_UPRIGHT,      /* \mathrm, \rm, \textrm, \text */
    SP_VAR_BOLD,         /* \mathbf, \bf, \textbf */
    SP_VAR_BOLD_ITALIC,  /* \boldsymbol, \bm, \boldmath */
    SP_VAR_CALLIGRAPHIC, /* \mathcal, \cal */
    SP_VAR_BLACKBOARD,   /* \mathbb */
    SP_VAR_FRAKTUR,      /* \mathfrak */
    SP_VAR_SANS,         /* \mathsf, \sf, \textsf */
    SP_VAR_MONO,         /* \mathtt, \tt, \texttt */
    SP_VAR_COUNT
} sp_variant;

/* TeX atom class: decides spacing in LaTeX and form/spacing in MathML. */
typedef enum sp_atom {
    SP_ATOM_ORD = 0,
    SP_ATOM_OP,    /* large operators: \sum \int */
    SP_ATOM_BIN,   /* + - \times */
    SP_ATOM_REL,   /* = < \leq \to */
    SP_ATOM_OPEN,  /* ( [ \{ \langle */
    SP_ATOM_CLOSE, /* ) ] \} \rangle */
    SP_ATOM_PUNCT, /* , ; */
    SP_ATOM_INNER
} sp_atom;

/* Symbol flags. */
#define SP_SYMF_LARGEOP 0x01 /* large operator: limits above/below in display style */
#define SP_SYMF_INTEGRAL 0x02 /* large operator whose scripts stay at the side */
#define SP_SYMF_FENCE 0x04    /* may be used after \left, \right, \big */

/* Sizes of a delimiter given with \big and friends (SYMBOL.size). */
typedef enum sp_delim_size {
    SP_SIZE_NORMAL = 0,
    SP_SIZE_BIG,  /* \big  1.2em */
    SP_SIZE_BIG2, /* \Big  1.8em */
    SP_SIZE_BIGG, /* \bigg 2.4em */
    SP_SIZE_BIGG2 /* \Bigg 3.0em */
} sp_delim_size;

/* Which of \big, \bigl, \bigr, \bigm was used (SYMBOL.size_role). */
typedef enum sp_size_role {
    SP_ROLE_PLAIN = 0, /* \big */
    SP_ROLE_LEFT,      /* \bigl */
    SP_ROLE_RIGHT,     /* \bigr */
    SP_ROLE_MIDDLE     /* \bigm, and \middle inside \left…\right */
} sp_size_role;

/* Placement of scripts (SCRIPTS.limits). */
typedef enum sp_limits {
    SP_LIMITS_AUTO = 0, /* the base decides: above/below for \sum, \lim in display */
    SP_LIMITS_LIMITS,   /* \limits: always above/below */
    SP_LIMITS_NOLIMITS  /* \nolimits: always at the side */
} sp_limits;

/* FRAC.style */
typedef enum sp_frac_style {
    SP_FRAC_AUTO = 0, /* \frac */
    SP_FRAC_DISPLAY,  /* \dfrac */
    SP_FRAC_TEXT      /* \tfrac */
} sp_frac_style;

/* STYLE.style */
typedef enum sp_style {
    SP_STYLE_DISPLAY = 0, /* \displaystyle */
    SP_STYLE_TEXT,        /* \textstyle */
    SP_STYLE_SCRIPT,      /* \scriptstyle */
    SP_STYLE_SCRIPTSCRIPT,/* \scriptscriptstyle */
    SP_STYLE_SIZE,        /* \tiny … \Huge; STYLE.arg holds the command name */
    SP_STYLE_PHANTOM,     /* \phantom */
    SP_STYLE_HPHANTOM,    /* \hphantom */
    SP_STYLE_VPHANTOM,    /* \vphantom */
    SP_STYLE_SMASH,       /* \smash */
    SP_STYLE_BOXED,       /* \fbox, \boxed */
    SP_STYLE_NOT,         /* \not applied to something without a negated form */
    SP_STYLE_CLASS,       /* \mathrel{…} \mathbin … : STYLE.atom holds the class */
    SP_STYLE_COUNT
} sp_style;

/* Node flags (sp_node.flags). */
#define SP_NODEF_HLINE_ABOVE 0x01 /* on a table row: \hline before it */
#define SP_NODEF_HLINE_BELOW 0x02 /* on a table row: \hline after it (last row) */
#define SP_NODEF_STAR 0x04        /* FUNC: \operatorname* (limits like \lim) */

typedef struct sp_node sp_node;
struct sp_node {
    uint8_t kind;   /* sp_node_kind */
    uint8_t flags;  /* SP_NODEF_* */
    uint32_t pos;   /* byte offset in the source it came from (0 when built) */
    union {
        struct {
            sp_node **items;
            uint32_t n, cap;
        } row;
        struct {
            const char *text;  /* Unicode, UTF-8: "α", "+", "12" is two symbols */
            const char *latex; /* LaTeX spelling: "\\alpha", "+", "\\{" */
            uint8_t type;      /* sp_sym_type */
            uint8_t variant;   /* sp_variant */
            uint8_t atom;      /* sp_atom */
            uint8_t symflags;  /* SP_SYMF_* */
            uint8_t size;      /* sp_delim_size (0 = not sized) */
            uint8_t size_role; /* sp_size_role */
        } sym;
        struct {
            const char *text; /* UTF-8 */
            uint8_t variant;  /* sp_variant: UPRIGHT for \text, BOLD for \textbf … */
        } text;
        struct {
            const char *latex; /* "\\,", "\\quad", "\\hspace{1cm}", "~", "\\ " */
            float em;          /* width in em (negative for \!) */
        } space;
        struct {
            sp_node *num, *den;
            const char *open, *close; /* LaTeX delimiters around it (\binom: "(" ")"), or NULL */
            uint8_t bar;              /* 1: fraction bar drawn; 0: \binom, \atop */
            uint8_t style;            /* sp_frac_style */
        } frac;
        struct {
            sp_node *body;
            sp_node *index; /* NULL for a square root */
        } radical;
        struct {
            sp_node *base; /* never NULL (an empty ROW for {}^2) */
            sp_node *sub;  /* NULL when absent */
            sp_node *sup;  /* NULL when absent */
            uint8_t limits;/* sp_limits */
        } scripts;
        struct {
            sp_node *base;
            sp_node *under, *over; /* NULL when absent */
            const char *cmd;       /* LaTeX command that made it: "\\hat", "\\overset" … */
            uint8_t accent;        /* 1: over/under is an accent (hugs the base) */
        } uo;
        struct {
            sp_node *body;             /* a ROW */
            const char *open, *close;  /* LaTeX delimiters: "(", "\\{", "." for none */
            const char *open_text, *close_text; /* Unicode of them, "" for "." */
        } fenced;
        struct {
            const char *env;     /* "matrix", "pmatrix", "array", "cases" … */
            const char *colspec; /* array column spec "c|c", or NULL */
            sp_node *rows;       /* ROW of ROWs (rows) of ROWs (cells) */
        } table;
        struct {
            const char *name;  /* "sin", "lim", or an \operatorname text */
            const char *latex; /* "\\sin", or NULL for \operatorname{name} */
            uint8_t limits;    /* 1: scripts go above/below in display (\lim, \max) */
        } func;
        struct {
            sp_node *body;
            uint8_t style;   /* sp_style */
            uint8_t atom;    /* SP_STYLE_CLASS: the class */
            const char *arg; /* SP_STYLE_SIZE: "\\tiny"…; otherwise NULL */
        } style;
    } u;
};

/* ---- a tree: the arena that owns a formula's nodes -------------------- */
typedef struct sp_arena_chunk sp_arena_chunk;
typedef struct sp_tree {
    sp_arena_chunk *chunks; /* newest first */
    size_t used_bytes;      /* bytes handed out since the last reset */
    size_t limit_bytes;     /* 0: no limit; else allocations past it fail */
    sp_node *root;          /* set by the parser or a builder; may be NULL */
} sp_tree;

sp_tree *sp_tree_new(void);
void sp_tree_free(sp_tree *t);
/* Forget every node but keep the first chunk for the next formula. */
void sp_tree_reset(sp_tree *t);
/* Raw arena allocation, 8-byte aligned, zeroed.  NULL when out of memory
 * or over limit_bytes. */
void *sp_tree_alloc(sp_tree *t, size_t n);
char *sp_tree_strdup(sp_tree *t, const char *s, size_t n);

/* ---- constructors: each returns NULL only when out of memory ---------- */
sp_node *sp_tree_row(sp_tree *t);
/* Appends child to a ROW; SCIPIX_OK or SCIPIX_ENOMEM. */
int sp_tree_row_append(sp_tree *t, sp_node *row, sp_node *child);
/* A symbol by LaTeX name: a table entry ("\\alpha", "+", "\\le" gives
 * \\leq) or one ASCII letter or digit; NULL if the name is not known
 * (see sp_tree_symbol_raw). */
sp_node *sp_tree_symbol(sp_tree *t, const char *latex, sp_variant v);
/* A symbol with everything given (strings are not copied: pass static or
 * arena strings). */
sp_node *sp_tree_symbol_raw(sp_tree *t, const char *text, const char *latex, sp_sym_type type,
                            sp_variant v, sp_atom atom, unsigned symflags);
sp_node *sp_tree_text(sp_tree *t, const char *utf8, sp_variant v); /* copies */
sp_node *sp_tree_space(sp_tree *t, const char *latex, float em);
sp_node *sp_tree_frac(sp_tree *t, sp_node *num, sp_node *den, int bar);
sp_node *sp_tree_radical(sp_tree *t, sp_node *body, sp_node *index);
sp_node *sp_tree_scripts(sp_tree *t, sp_node *base, sp_node *sub, sp_node *sup, sp_limits l);
sp_node *sp_tree_underover(sp_tree *t, sp_node *base, sp_node *under, sp_node *over,
                           const char *cmd, int accent);
/* open/close are LaTeX delimiter names ("(", "\\langle", "."); NULL if unknown. */
sp_node *sp_tree_fenced(sp_tree *t, const char *open, const char *close, sp_node *body);
sp_node *sp_tree_table(sp_tree *t, const char *env, const char *colspec, sp_node *rows);
sp_node *sp_tree_func(sp_tree *t, const char *name, const char *latex, int limits);
sp_node *sp_tree_style(sp_tree *t, sp_style s, sp_node *body);

/* ---- the symbol table ------------------------------------------------- */
typedef struct sp_symbol_info {
    const char *key;   /* what the input spells: "\\le", "\\alpha", "+" */
    const char *latex; /* the canonical spelling emitters write: "\\leq" */
    const char *text;  /* UTF-8 */
    uint8_t type;      /* sp_sym_type */
    uint8_t atom;      /* sp_atom */
    uint8_t flags;     /* SP_SYMF_* */
    const char *ascii; /* AsciiMath spelling, NULL: use text */
} sp_symbol_info;

/* Looks up a LaTeX symbol name (with its backslash, or one character). */
const sp_symbol_info *sp_tree_symbol_find(const char *latex, size_t len);
/* The whole table (sorted by latex, strcmp order) and its size, for tests. */
const sp_symbol_info *sp_tree_symbol_table(size_t *count);

/* ---- comparing and printing ------------------------------------------- */
/* 1 when both trees are the same math (positions are ignored). */
int sp_tree_equal(const sp_node *a, const sp_node *b);
/* A one-line S-expression of the tree, for tests and debugging:
 * (row (sym "x" it) (scripts (sym "x") nil (row (sym "2")))) … */
void sp_tree_dump(const sp_node *n, sp_buf *out);

const char *sp_tree_kind_name(sp_node_kind k);
const char *sp_tree_variant_name(sp_variant v);
/* Number of nodes under n, n included. */
size_t sp_tree_count(const sp_node *n);

#endif
