/*
 * latex.c — recursive-descent parser from LaTeX math to the math tree.
 *
 * Structure: a small lexer (sp_lex_*) that yields one token at a time
 * (control word, control symbol, character, brace, ^, _, &, …) skipping
 * spaces and %-comments; a command table (sorted, binary-searched) that maps
 * each known control sequence to a handler kind; and mutually recursive
 * functions for a row, an atom, an argument, scripts, \left…\right and
 * environments.  All state is in sp_parser; nothing is global.
 *
 * Decisions worth knowing:
 *  - A braced group {…} becomes a ROW inside the row; the argument of a
 *    command ({…} after \frac) is the ROW itself.  A script is always a ROW.
 *  - Font commands (\mathbf{…}) and switches ({\bf …}) set the variant of
 *    the symbols they contain; \mathbf's content is spliced into the
 *    enclosing row, so \mathbf{ab} and \mathbf{a}\mathbf{b} are one tree.
 *  - Style switches (\displaystyle, \tiny) wrap the rest of their group in
 *    a STYLE node; plain-TeX infix \over/\atop/\choose splits the group.
 *  - Errors: the first error wins; its message is "at N: …" with N the byte
 *    offset.  Depth of recursion is bounded (opts.max_depth) and input
 *    length too (opts.max_len), so hostile input cannot exhaust the stack.
 */
#include "tree/latex.h"

#include "engine/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens -------------------------------------------------------------- */
typedef enum {
    T_EOF = 0,
    T_CHAR,   /* one character (ASCII or one UTF-8 sequence) */
    T_CMD,    /* \name or \c */
    T_LBRACE,
    T_RBRACE,
    T_SUP,
    T_SUB,
    T_AMP,
    T_PRIME,
    T_TILDE,
    T_BAD     /* a character that may not appear (control bytes, broken UTF-8) */
} sp_tok_type;

typedef struct {
    sp_tok_type type;
    size_t start, end; /* the token's bytes are s[start..end) */
} sp_tok;

typedef struct sp_parser {
    sp_tree *t;
    const char *s;
    size_t len, pos;
    int depth, max_depth;
    scipix_error *err;
    int failed;
} sp_parser;

/* Sentinel meaning "an error has been recorded in p->err". */
#define SP_FAIL (-1)

static int sp_fail(sp_parser *p, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int sp_fail(sp_parser *p, size_t pos, const char *fmt, ...) {
    if (p->failed) return SP_FAIL;
    p->failed = 1;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sp_error_set(p->err, SCIPIX_EPARSE, "at %zu: %s", pos, msg);
    return SP_FAIL;
}

static int sp_oom(sp_parser *p) {
    if (!p->failed) {
        p->failed = 2;
        sp_error_set(p->err, SCIPIX_ENOMEM, "at %zu: out of memory (or tree memory limit reached)", p->pos);
    }
    return SP_FAIL;
}

static int sp_is_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int sp_is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Length of the UTF-8 sequence at s[i] (validated), 0 if invalid. */
static size_t sp_utf8_len(const char *s, size_t i, size_t len) {
    unsigned char c = (unsigned char)s[i];
    size_t n;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3;
    else if (c >= 0xF0 && c <= 0xF4) n = 4;
    else return 0;
    if (i + n > len) return 0;
    for (size_t k = 1; k < n; k++)
        if (((unsigned char)s[i + k] & 0xC0) != 0x80) return 0;
    unsigned char c1 = (unsigned char)s[i + 1];
    if (c == 0xE0 && c1 < 0xA0) return 0;  /* overlong */
    if (c == 0xED && c1 >= 0xA0) return 0; /* surrogates */
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return n;
}

static void sp_skip_space(sp_parser *p) {
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (sp_is_space(c)) p->pos++;
        else if (c == '%') {
            while (p->pos < p->len && p->s[p->pos] != '\n') p->pos++;
        } else break;
    }
}

static void sp_lex_peek(sp_parser *p, sp_tok *tk) {
    sp_skip_space(p);
    size_t i = p->pos;
    tk->start = i;
    if (i >= p->len) {
        tk->type = T_EOF;
        tk->end = i;
        return;
    }
    unsigned char c = (unsigned char)p->s[i];
    tk->end = i + 1;
    switch (c) {
    case '{': tk->type = T_LBRACE; return;
    case '}': tk->type = T_RBRACE; return;
    case '^': tk->type = T_SUP; return;
    case '_': tk->type = T_SUB; return;
    case '&': tk->type = T_AMP; return;
    case '\'': tk->type = T_PRIME; return;
    case '~': tk->type = T_TILDE; return;
    case '\\': {
        tk->type = T_CMD;
        if (i + 1 >= p->len) {
            /* a lone backslash at the very end: "\ " whose space was
             * trimmed away (common in tokenized corpora); a control space */
            tk->end = i + 1;
            return;
        }
        unsigned char d = (unsigned char)p->s[i + 1];
        if (sp_is_letter(d)) {
            size_t j = i + 1;
            while (j < p->len && sp_is_letter(p->s[j])) j++;
            tk->end = j;
        } else if (d >= 0x80 || d < 0x20) {
            if (sp_is_space(d)) tk->end = i + 2; /* "\ " written with a newline or tab */
            else tk->type = T_BAD;
        } else {
            tk->end = i + 2;
        }
        return;
    }
    default: break;
    }
    if (c < 0x20 || c == 0x7F) {
        tk->type = T_BAD;
        return;
    }
    size_t n = sp_utf8_len(p->s, i, p->len);
    if (!n) {
        tk->type = T_BAD;
        return;
    }
    tk->type = T_CHAR;
    tk->end = i + n;
}

static void sp_lex_take(sp_parser *p, const sp_tok *tk) { p->pos = tk->end; }

/* Printable name of a token for messages. */
static const char *sp_tok_desc(const sp_parser *p, const sp_tok *tk, char *buf, size_t cap) {
    if (tk->type == T_EOF) return "end of input";
    size_t n = tk->end - tk->start;
    if (n > 40) n = 40;
    snprintf(buf, cap, "'%.*s'", (int)n, p->s + tk->start);
    return buf;
}

/* ---- the command table --------------------------------------------------- */
typedef enum {
    C_FRAC, C_BINOM, C_SQRT, C_FONT, C_FONTSW, C_TEXT, C_ACCENT, C_UNDERACC, C_BRACE, C_OVERSET,
    C_UNDERSET, C_STACKREL, C_LEFT, C_RIGHT, C_MIDDLE, C_BIG, C_BEGIN, C_END, C_OPNAME, C_FUNC,
    C_SPACE, C_HSPACE, C_KERN, C_STYLESW, C_WRAP, C_CLASS, C_NOT, C_LIMITS, C_NOLIMITS, C_IGNORE,
    C_IGNORE1, C_IGNORE2, C_INFIX, C_SUPCMD, C_SUBCMD, C_NEWLINE, C_HLINE, C_RAISEBOX, C_RAISE,
    C_GROUP1, C_DOTUNDER, C_BARUNDER, C_UNSUPPORTED, C_VSPACE
} sp_cmd_kind;

typedef struct {
    const char *name;  /* with the backslash */
    uint8_t kind;      /* sp_cmd_kind */
    int8_t a;          /* kind-specific: variant, style, size, limits … */
    int8_t b;          /* kind-specific: size role, … */
    const char *s;     /* kind-specific: accent character, canonical name … */
    float em;          /* C_SPACE: width */
} sp_cmd;

/* Sorted by name in strcmp order (checked by tests/unit/test_tree.c). */
static const sp_cmd sp_cmds[] = {
    {"\\ ", C_SPACE, 0, 0, "\\ ", 0.333f},
    {"\\!", C_SPACE, 0, 0, "\\!", -0.1667f},
    {"\\*", C_IGNORE, 0, 0, NULL, 0},
    {"\\,", C_SPACE, 0, 0, "\\,", 0.1667f},
    {"\\-", C_IGNORE, 0, 0, NULL, 0},
    {"\\:", C_SPACE, 0, 0, "\\:", 0.2222f},
    {"\\;", C_SPACE, 0, 0, "\\;", 0.2778f},
    {"\\>", C_SPACE, 0, 0, "\\:", 0.2222f},
    {"\\Big", C_BIG, SP_SIZE_BIG2, SP_ROLE_PLAIN, NULL, 0},
    {"\\Bigg", C_BIG, SP_SIZE_BIGG2, SP_ROLE_PLAIN, NULL, 0},
    {"\\Biggl", C_BIG, SP_SIZE_BIGG2, SP_ROLE_LEFT, NULL, 0},
    {"\\Biggm", C_BIG, SP_SIZE_BIGG2, SP_ROLE_MIDDLE, NULL, 0},
    {"\\Biggr", C_BIG, SP_SIZE_BIGG2, SP_ROLE_RIGHT, NULL, 0},
    {"\\Bigl", C_BIG, SP_SIZE_BIG2, SP_ROLE_LEFT, NULL, 0},
    {"\\Bigm", C_BIG, SP_SIZE_BIG2, SP_ROLE_MIDDLE, NULL, 0},
    {"\\Bigr", C_BIG, SP_SIZE_BIG2, SP_ROLE_RIGHT, NULL, 0},
    {"\\Huge", C_STYLESW, SP_STYLE_SIZE, 0, "\\Huge", 0},
    {"\\LARGE", C_STYLESW, SP_STYLE_SIZE, 0, "\\LARGE", 0},
    {"\\Large", C_STYLESW, SP_STYLE_SIZE, 0, "\\Large", 0},
    {"\\\\", C_NEWLINE, 0, 0, NULL, 0},
    {"\\above", C_UNSUPPORTED, 0, 0, NULL, 0},
    {"\\acute", C_ACCENT, 0, 0, "\xC2\xB4", 0},
    {"\\arccos", C_FUNC, 0, 0, "arccos", 0},
    {"\\arcsin", C_FUNC, 0, 0, "arcsin", 0},
    {"\\arctan", C_FUNC, 0, 0, "arctan", 0},
    {"\\arg", C_FUNC, 0, 0, "arg", 0},
    {"\\atop", C_INFIX, 0, 0, NULL, 0},
    {"\\b", C_BARUNDER, 0, 0, NULL, 0},
    {"\\bar", C_ACCENT, 0, 0, "\xC2\xAF", 0},
    {"\\begin", C_BEGIN, 0, 0, NULL, 0},
    {"\\bf", C_FONTSW, SP_VAR_BOLD, 0, NULL, 0},
    {"\\big", C_BIG, SP_SIZE_BIG, SP_ROLE_PLAIN, NULL, 0},
    {"\\bigg", C_BIG, SP_SIZE_BIGG, SP_ROLE_PLAIN, NULL, 0},
    {"\\biggl", C_BIG, SP_SIZE_BIGG, SP_ROLE_LEFT, NULL, 0},
    {"\\biggm", C_BIG, SP_SIZE_BIGG, SP_ROLE_MIDDLE, NULL, 0},
    {"\\biggr", C_BIG, SP_SIZE_BIGG, SP_ROLE_RIGHT, NULL, 0},
    {"\\bigl", C_BIG, SP_SIZE_BIG, SP_ROLE_LEFT, NULL, 0},
    {"\\bigm", C_BIG, SP_SIZE_BIG, SP_ROLE_MIDDLE, NULL, 0},
    {"\\bigr", C_BIG, SP_SIZE_BIG, SP_ROLE_RIGHT, NULL, 0},
    {"\\binom", C_BINOM, SP_FRAC_AUTO, 0, NULL, 0},
    {"\\bm", C_FONT, SP_VAR_BOLD_ITALIC, 0, NULL, 0},
    {"\\bmod", C_FUNC, 0, 0, "mod", 0},
    {"\\boldmath", C_FONTSW, SP_VAR_BOLD_ITALIC, 0, NULL, 0},
    {"\\boldsymbol", C_FONT, SP_VAR_BOLD_ITALIC, 0, NULL, 0},
    {"\\boxed", C_WRAP, SP_STYLE_BOXED, 0, NULL, 0},
    {"\\breve", C_ACCENT, 0, 0, "\xCB\x98", 0},
    {"\\buildrel", C_UNSUPPORTED, 0, 0, NULL, 0},
    {"\\cal", C_FONTSW, SP_VAR_CALLIGRAPHIC, 0, NULL, 0},
    {"\\cfrac", C_FRAC, SP_FRAC_AUTO, 0, NULL, 0},
    {"\\check", C_ACCENT, 0, 0, "\xCB\x87", 0},
    {"\\choose", C_INFIX, 1, 0, NULL, 0},
    {"\\cos", C_FUNC, 0, 0, "cos", 0},
    {"\\cosh", C_FUNC, 0, 0, "cosh", 0},
    {"\\cot", C_FUNC, 0, 0, "cot", 0},
    {"\\coth", C_FUNC, 0, 0, "coth", 0},
    {"\\cr", C_NEWLINE, 0, 0, NULL, 0},
    {"\\csc", C_FUNC, 0, 0, "csc", 0},
    {"\\d", C_DOTUNDER, 0, 0, NULL, 0},
    {"\\dbinom", C_BINOM, SP_FRAC_DISPLAY, 0, NULL, 0},
    {"\\ddot", C_ACCENT, 0, 0, "\xC2\xA8", 0},
    {"\\deg", C_FUNC, 0, 0, "deg", 0},
    {"\\det", C_FUNC, 1, 0, "det", 0},
    {"\\dfrac", C_FRAC, SP_FRAC_DISPLAY, 0, NULL, 0},
    {"\\dim", C_FUNC, 0, 0, "dim", 0},
    {"\\displaystyle", C_STYLESW, SP_STYLE_DISPLAY, 0, NULL, 0},
    {"\\dot", C_ACCENT, 0, 0, "\xCB\x99", 0},
    {"\\em", C_FONTSW, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\emph", C_TEXT, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\end", C_END, 0, 0, NULL, 0},
    {"\\enspace", C_SPACE, 0, 0, "\\enspace", 0.5f},
    {"\\exp", C_FUNC, 0, 0, "exp", 0},
    {"\\fbox", C_WRAP, SP_STYLE_BOXED, 0, NULL, 0},
    {"\\footnotesize", C_STYLESW, SP_STYLE_SIZE, 0, "\\footnotesize", 0},
    {"\\frac", C_FRAC, SP_FRAC_AUTO, 0, NULL, 0},
    {"\\gcd", C_FUNC, 1, 0, "gcd", 0},
    {"\\grave", C_ACCENT, 0, 0, "`", 0},
    {"\\hat", C_ACCENT, 0, 0, "^", 0},
    {"\\hbox", C_TEXT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\hfill", C_IGNORE, 0, 0, NULL, 0},
    {"\\hline", C_HLINE, 0, 0, NULL, 0},
    {"\\hom", C_FUNC, 0, 0, "hom", 0},
    {"\\hphantom", C_WRAP, SP_STYLE_HPHANTOM, 0, NULL, 0},
    {"\\hspace", C_HSPACE, 0, 0, NULL, 0},
    {"\\huge", C_STYLESW, SP_STYLE_SIZE, 0, "\\huge", 0},
    {"\\inf", C_FUNC, 1, 0, "inf", 0},
    {"\\it", C_FONTSW, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\ker", C_FUNC, 0, 0, "ker", 0},
    {"\\kern", C_KERN, 0, 0, NULL, 0},
    {"\\label", C_IGNORE1, 0, 0, NULL, 0},
    {"\\large", C_STYLESW, SP_STYLE_SIZE, 0, "\\large", 0},
    {"\\left", C_LEFT, 0, 0, NULL, 0},
    {"\\lefteqn", C_GROUP1, 0, 0, NULL, 0},
    {"\\lg", C_FUNC, 0, 0, "lg", 0},
    {"\\lim", C_FUNC, 1, 0, "lim", 0},
    {"\\liminf", C_FUNC, 1, 0, "lim inf", 0},
    {"\\limits", C_LIMITS, 0, 0, NULL, 0},
    {"\\limsup", C_FUNC, 1, 0, "lim sup", 0},
    {"\\linethickness", C_IGNORE1, 0, 0, NULL, 0},
    {"\\llap", C_GROUP1, 0, 0, NULL, 0},
    {"\\ln", C_FUNC, 0, 0, "ln", 0},
    {"\\log", C_FUNC, 0, 0, "log", 0},
    {"\\lower", C_RAISE, 0, 0, NULL, 0},
    {"\\makebox", C_TEXT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\mathbb", C_FONT, SP_VAR_BLACKBOARD, 0, NULL, 0},
    {"\\mathbf", C_FONT, SP_VAR_BOLD, 0, NULL, 0},
    {"\\mathbin", C_CLASS, SP_ATOM_BIN, 0, NULL, 0},
    {"\\mathcal", C_FONT, SP_VAR_CALLIGRAPHIC, 0, NULL, 0},
    {"\\mathclose", C_CLASS, SP_ATOM_CLOSE, 0, NULL, 0},
    {"\\mathfrak", C_FONT, SP_VAR_FRAKTUR, 0, NULL, 0},
    {"\\mathinner", C_CLASS, SP_ATOM_INNER, 0, NULL, 0},
    {"\\mathit", C_FONT, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\mathllap", C_GROUP1, 0, 0, NULL, 0},
    {"\\mathnormal", C_FONT, SP_VAR_NONE, 0, NULL, 0},
    {"\\mathop", C_CLASS, SP_ATOM_OP, 0, NULL, 0},
    {"\\mathopen", C_CLASS, SP_ATOM_OPEN, 0, NULL, 0},
    {"\\mathord", C_CLASS, SP_ATOM_ORD, 0, NULL, 0},
    {"\\mathpunct", C_CLASS, SP_ATOM_PUNCT, 0, NULL, 0},
    {"\\mathrel", C_CLASS, SP_ATOM_REL, 0, NULL, 0},
    {"\\mathring", C_ACCENT, 0, 0, "\xCB\x9A", 0},
    {"\\mathrlap", C_GROUP1, 0, 0, NULL, 0},
    {"\\mathrm", C_FONT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\mathscr", C_FONT, SP_VAR_CALLIGRAPHIC, 0, NULL, 0},
    {"\\mathsf", C_FONT, SP_VAR_SANS, 0, NULL, 0},
    {"\\mathtt", C_FONT, SP_VAR_MONO, 0, NULL, 0},
    {"\\max", C_FUNC, 1, 0, "max", 0},
    {"\\mbox", C_TEXT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\medspace", C_SPACE, 0, 0, "\\:", 0.2222f},
    {"\\middle", C_MIDDLE, 0, 0, NULL, 0},
    {"\\min", C_FUNC, 1, 0, "min", 0},
    {"\\mit", C_FONTSW, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\mkern", C_KERN, 0, 0, NULL, 0},
    {"\\negthinspace", C_SPACE, 0, 0, "\\!", -0.1667f},
    {"\\nolimits", C_NOLIMITS, 0, 0, NULL, 0},
    {"\\nonumber", C_IGNORE, 0, 0, NULL, 0},
    {"\\normalsize", C_STYLESW, SP_STYLE_SIZE, 0, "\\normalsize", 0},
    {"\\not", C_NOT, 0, 0, NULL, 0},
    {"\\notag", C_IGNORE, 0, 0, NULL, 0},
    {"\\operatorname", C_OPNAME, 0, 0, NULL, 0},
    {"\\over", C_INFIX, 2, 0, NULL, 0},
    {"\\overbrace", C_BRACE, 1, 0, "\xE2\x8F\x9E", 0},
    {"\\overleftarrow", C_ACCENT, 0, 0, "\xE2\x86\x90", 0},
    {"\\overleftrightarrow", C_ACCENT, 0, 0, "\xE2\x86\x94", 0},
    {"\\overline", C_ACCENT, 0, 0, "\xE2\x80\x95", 0},
    {"\\overrightarrow", C_ACCENT, 0, 0, "\xE2\x86\x92", 0},
    {"\\overset", C_OVERSET, 0, 0, NULL, 0},
    {"\\phantom", C_WRAP, SP_STYLE_PHANTOM, 0, NULL, 0},
    {"\\protect", C_IGNORE, 0, 0, NULL, 0},
    {"\\qquad", C_SPACE, 0, 0, "\\qquad", 2.0f},
    {"\\quad", C_SPACE, 0, 0, "\\quad", 1.0f},
    {"\\raise", C_RAISE, 0, 0, NULL, 0},
    {"\\raisebox", C_RAISEBOX, 0, 0, NULL, 0},
    {"\\relax", C_IGNORE, 0, 0, NULL, 0},
    {"\\right", C_RIGHT, 0, 0, NULL, 0},
    {"\\rlap", C_GROUP1, 0, 0, NULL, 0},
    {"\\rm", C_FONTSW, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\sb", C_SUBCMD, 0, 0, NULL, 0},
    {"\\scriptscriptstyle", C_STYLESW, SP_STYLE_SCRIPTSCRIPT, 0, NULL, 0},
    {"\\scriptsize", C_STYLESW, SP_STYLE_SIZE, 0, "\\scriptsize", 0},
    {"\\scriptstyle", C_STYLESW, SP_STYLE_SCRIPT, 0, NULL, 0},
    {"\\sec", C_FUNC, 0, 0, "sec", 0},
    {"\\setlength", C_IGNORE2, 0, 0, NULL, 0},
    {"\\sf", C_FONTSW, SP_VAR_SANS, 0, NULL, 0},
    {"\\sin", C_FUNC, 0, 0, "sin", 0},
    {"\\sinh", C_FUNC, 0, 0, "sinh", 0},
    {"\\sl", C_FONTSW, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\small", C_STYLESW, SP_STYLE_SIZE, 0, "\\small", 0},
    {"\\smallskip", C_IGNORE, 0, 0, NULL, 0},
    {"\\smash", C_WRAP, SP_STYLE_SMASH, 0, NULL, 0},
    {"\\sp", C_SUPCMD, 0, 0, NULL, 0},
    {"\\sqrt", C_SQRT, 0, 0, NULL, 0},
    {"\\stackrel", C_STACKREL, 0, 0, NULL, 0},
    {"\\strut", C_IGNORE, 0, 0, NULL, 0},
    {"\\sup", C_FUNC, 1, 0, "sup", 0},
    {"\\tan", C_FUNC, 0, 0, "tan", 0},
    {"\\tanh", C_FUNC, 0, 0, "tanh", 0},
    {"\\tbinom", C_BINOM, SP_FRAC_TEXT, 0, NULL, 0},
    {"\\text", C_TEXT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\textbf", C_TEXT, SP_VAR_BOLD, 0, NULL, 0},
    {"\\textit", C_TEXT, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\textnormal", C_TEXT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\textrm", C_TEXT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\textsf", C_TEXT, SP_VAR_SANS, 0, NULL, 0},
    {"\\textsl", C_TEXT, SP_VAR_ITALIC, 0, NULL, 0},
    {"\\textstyle", C_STYLESW, SP_STYLE_TEXT, 0, NULL, 0},
    {"\\texttt", C_TEXT, SP_VAR_MONO, 0, NULL, 0},
    {"\\textup", C_TEXT, SP_VAR_UPRIGHT, 0, NULL, 0},
    {"\\tfrac", C_FRAC, SP_FRAC_TEXT, 0, NULL, 0},
    {"\\thicklines", C_IGNORE, 0, 0, NULL, 0},
    {"\\thickspace", C_SPACE, 0, 0, "\\;", 0.2778f},
    {"\\thinspace", C_SPACE, 0, 0, "\\,", 0.1667f},
    {"\\tilde", C_ACCENT, 0, 0, "~", 0},
    {"\\tiny", C_STYLESW, SP_STYLE_SIZE, 0, "\\tiny", 0},
    {"\\tt", C_FONTSW, SP_VAR_MONO, 0, NULL, 0},
    {"\\underbrace", C_BRACE, 0, 0, "\xE2\x8F\x9F", 0},
    {"\\underline", C_UNDERACC, 0, 0, "\xE2\x80\x95", 0},
    {"\\underset", C_UNDERSET, 0, 0, NULL, 0},
    {"\\unitlength", C_UNSUPPORTED, 0, 0, NULL, 0},
    {"\\vec", C_ACCENT, 0, 0, "\xE2\x86\x92", 0},
    {"\\vphantom", C_WRAP, SP_STYLE_VPHANTOM, 0, NULL, 0},
    {"\\vspace", C_VSPACE, 0, 0, NULL, 0},
    {"\\widehat", C_ACCENT, 0, 0, "^", 0},
    {"\\widetilde", C_ACCENT, 0, 0, "~", 0},
};
#define SP_NCMDS (sizeof sp_cmds / sizeof sp_cmds[0])

static const sp_cmd *sp_cmd_find(const char *name, size_t len) {
    size_t lo = 0, hi = SP_NCMDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *k = sp_cmds[mid].name;
        int c = strncmp(k, name, len);
        if (c == 0 && k[len] != 0) c = 1;
        if (c == 0) return &sp_cmds[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* Exposed for the unit test that checks the table order. */
int sp_latex_command_table_sorted(void);
int sp_latex_command_table_sorted(void) {
    for (size_t i = 1; i < SP_NCMDS; i++)
        if (strcmp(sp_cmds[i - 1].name, sp_cmds[i].name) >= 0) return 0;
    return 1;
}

/* ---- environments -------------------------------------------------------- */
typedef struct {
    const char *name;  /* as written */
    const char *canon; /* as stored and emitted */
    const char *colspec; /* forced column spec (eqnarray), or NULL */
    int has_colspec;   /* reads a {spec} argument */
} sp_env;

static const sp_env sp_envs[] = {
    {"Bmatrix", "Bmatrix", NULL, 0},   {"Vmatrix", "Vmatrix", NULL, 0},
    {"align", "aligned", NULL, 0},     {"align*", "aligned", NULL, 0},
    {"aligned", "aligned", NULL, 0},   {"array", "array", NULL, 1},
    {"bmatrix", "bmatrix", NULL, 0},   {"cases", "cases", NULL, 0},
    {"darray", "array", NULL, 1},      {"dcases", "dcases", NULL, 0},
    {"eqnarray", "array", "rcl", 0},   {"eqnarray*", "array", "rcl", 0},
    {"gather", "gathered", NULL, 0},   {"gather*", "gathered", NULL, 0},
    {"gathered", "gathered", NULL, 0}, {"matrix", "matrix", NULL, 0},
    {"pmatrix", "pmatrix", NULL, 0},   {"rcases", "rcases", NULL, 0},
    {"smallmatrix", "smallmatrix", NULL, 0}, {"split", "aligned", NULL, 0},
    {"subarray", "subarray", NULL, 1}, {"vmatrix", "vmatrix", NULL, 0},
};

static const sp_env *sp_env_find(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof sp_envs / sizeof sp_envs[0]; i++)
        if (strlen(sp_envs[i].name) == len && memcmp(sp_envs[i].name, name, len) == 0) return &sp_envs[i];
    return NULL;
}

/* ---- helpers ------------------------------------------------------------- */
#define M_CELL 0x01 /* the row is a table cell: & \\ \end end it */
#define M_OPT 0x02  /* the row is an optional argument: ] ends it */

static int sp_parse_row(sp_parser *p, sp_node *row, int variant, int mode);
static int sp_parse_atom(sp_parser *p, sp_node *row, int *variant, int mode);

static int sp_append(sp_parser *p, sp_node *row, sp_node *n) {
    if (!n) return sp_oom(p);
    if (sp_tree_row_append(p->t, row, n) != SCIPIX_OK) return sp_oom(p);
    return 0;
}

static int sp_enter(sp_parser *p) {
    if (++p->depth > p->max_depth)
        return sp_fail(p, p->pos, "nesting deeper than %d levels", p->max_depth);
    return 0;
}

/* Is this token a terminator for a row parsed in `mode`? */
static int sp_is_terminator(sp_parser *p, const sp_tok *tk, int mode) {
    switch (tk->type) {
    case T_EOF:
    case T_RBRACE:
    case T_AMP: return 1;
    case T_CHAR: return (mode & M_OPT) && p->s[tk->start] == ']';
    case T_CMD: {
        const sp_cmd *c = sp_cmd_find(p->s + tk->start, tk->end - tk->start);
        if (!c) return 0;
        if (c->kind == C_END || c->kind == C_RIGHT || c->kind == C_MIDDLE) return 1;
        if (c->kind == C_NEWLINE && (mode & M_CELL)) return 1;
        if (c->kind == C_HLINE && (mode & M_CELL)) return 1;
        return 0;
    }
    default: return 0;
    }
}

/* Makes an error for a terminator found where `expected` was wanted. */
static int sp_unexpected(sp_parser *p, const sp_tok *tk, const char *expected) {
    char b[64];
    if (tk->type == T_AMP) return sp_fail(p, tk->start, "stray '&' outside a table (expected %s)", expected);
    if (tk->type == T_RBRACE) return sp_fail(p, tk->start, "unbalanced '}' (expected %s)", expected);
    if (tk->type == T_EOF) return sp_fail(p, tk->start, "unexpected end of input (expected %s)", expected);
    return sp_fail(p, tk->start, "unexpected %s (expected %s)", sp_tok_desc(p, tk, b, sizeof b), expected);
}

/* {…}: the row of a braced group; the opening brace is the next token. */
static int sp_parse_group(sp_parser *p, sp_node **out, int variant) {
    sp_tok tk;
    sp_lex_peek(p, &tk);
    if (tk.type != T_LBRACE) return sp_unexpected(p, &tk, "'{'");
    sp_lex_take(p, &tk);
    if (sp_enter(p)) return SP_FAIL;
    sp_node *row = sp_tree_row(p->t);
    if (!row) return sp_oom(p);
    row->pos = (uint32_t)tk.start;
    if (sp_parse_row(p, row, variant, 0)) return SP_FAIL;
    sp_lex_peek(p, &tk);
    if (tk.type != T_RBRACE) {
        if (tk.type == T_EOF) return sp_fail(p, tk.start, "missing '}' for the '{' opened at %u", row->pos);
        return sp_unexpected(p, &tk, "'}'");
    }
    sp_lex_take(p, &tk);
    p->depth--;
    *out = row;
    return 0;
}

/* A required argument: a braced group, or one token's atom. */
static int sp_parse_arg(sp_parser *p, sp_node **out, int variant, const char *cmd) {
    sp_tok tk;
    sp_lex_peek(p, &tk);
    if (tk.type == T_LBRACE) return sp_parse_group(p, out, variant);
    if (sp_is_terminator(p, &tk, 0) || tk.type == T_SUP || tk.type == T_SUB || tk.type == T_PRIME ||
        (tk.type == T_CHAR && p->s[tk.start] == ']'))
        return sp_fail(p, tk.start, "missing argument for %s", cmd);
    if (sp_enter(p)) return SP_FAIL;
    sp_node *row = sp_tree_row(p->t);
    if (!row) return sp_oom(p);
    row->pos = (uint32_t)tk.start;
    int v = variant;
    if (sp_parse_atom(p, row, &v, 0)) return SP_FAIL;
    if (row->u.row.n == 0) return sp_fail(p, tk.start, "missing argument for %s", cmd);
    p->depth--;
    *out = row;
    return 0;
}

/* [ … ] if present; *out stays NULL when absent. */
static int sp_parse_optarg(sp_parser *p, sp_node **out, int variant) {
    sp_tok tk;
    sp_lex_peek(p, &tk);
    *out = NULL;
    if (tk.type != T_CHAR || p->s[tk.start] != '[') return 0;
    sp_lex_take(p, &tk);
    if (sp_enter(p)) return SP_FAIL;
    sp_node *row = sp_tree_row(p->t);
    if (!row) return sp_oom(p);
    if (sp_parse_row(p, row, variant, M_OPT)) return SP_FAIL;
    sp_lex_peek(p, &tk);
    if (tk.type != T_CHAR || p->s[tk.start] != ']') return sp_unexpected(p, &tk, "']'");
    sp_lex_take(p, &tk);
    p->depth--;
    *out = row;
    return 0;
}

/* Reads a balanced {…} as raw bytes without spaces into buf (colspec, env
 * names, dimensions).  The braces are not included. */
static int sp_read_raw_group(sp_parser *p, char *buf, size_t cap, const char *what) {
    sp_tok tk;
    sp_lex_peek(p, &tk);
    if (tk.type != T_LBRACE) return sp_fail(p, tk.start, "missing {…} for %s", what);
    size_t i = tk.end, n = 0;
    int level = 1;
    while (i < p->len) {
        char c = p->s[i];
        if (c == '{') level++;
        else if (c == '}' && --level == 0) break;
        if (c == '\\' && i + 1 < p->len) {
            if (n + 2 >= cap) return sp_fail(p, i, "%s is too long", what);
            buf[n++] = c;
            buf[n++] = p->s[++i];
            i++;
            continue;
        }
        if (!sp_is_space(c)) {
            if (n + 1 >= cap) return sp_fail(p, i, "%s is too long", what);
            buf[n++] = c;
        }
        i++;
    }
    if (i >= p->len) return sp_fail(p, tk.start, "missing '}' for %s", what);
    buf[n] = 0;
    p->pos = i + 1;
    return 0;
}

/* Skips [ … ] without interpreting it (optional arguments we drop). */
static int sp_skip_bracket(sp_parser *p) {
    sp_tok tk;
    sp_lex_peek(p, &tk);
    if (tk.type != T_CHAR || p->s[tk.start] != '[') return 0;
    size_t i = tk.end;
    while (i < p->len && p->s[i] != ']') i++;
    if (i >= p->len) return sp_fail(p, tk.start, "missing ']'");
    p->pos = i + 1;
    return 0;
}

/* A TeX dimension: optional sign, digits with '.', a two-letter unit.  Spaces
 * between the parts are allowed (the im2latex tokenization has them). */
static int sp_read_dimen(sp_parser *p, char *buf, size_t cap, float *em) {
    size_t n = 0;
    int digits = 0;
    double val = 0, scale = 0;
    int neg = 0;
    sp_skip_space(p);
    size_t start = p->pos;
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (sp_is_space(c)) {
            p->pos++;
            continue;
        }
        if ((c == '-' || c == '+') && digits == 0 && scale == 0) {
            if (c == '-') neg = !neg;
        } else if (c >= '0' && c <= '9') {
            digits++;
            if (scale) {
                val += (c - '0') * scale;
                scale /= 10;
            } else val = val * 10 + (c - '0');
        } else if (c == '.' && scale == 0) {
            scale = 0.1;
        } else break;
        if (n + 1 >= cap - 4) return sp_fail(p, p->pos, "dimension is too long");
        buf[n++] = c;
        p->pos++;
    }
    if (!digits && scale == 0) return sp_fail(p, start, "missing dimension");
    sp_skip_space(p);
    static const struct { const char *u; double em; } units[] = {
        {"em", 1}, {"ex", 0.43}, {"pt", 0.1}, {"mm", 0.284}, {"cm", 2.84}, {"in", 7.2},
        {"mu", 1.0 / 18}, {"pc", 1.2}, {"bp", 0.1}, {"sp", 0.0}, {"dd", 0.107}, {"cc", 1.28}};
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        if (p->pos + 2 <= p->len && p->s[p->pos] == units[k].u[0]) {
            /* the two letters may be separated by a space in tokenized input */
            size_t j = p->pos + 1;
            while (j < p->len && sp_is_space(p->s[j])) j++;
            if (j < p->len && p->s[j] == units[k].u[1]) {
                buf[n++] = units[k].u[0];
                buf[n++] = units[k].u[1];
                buf[n] = 0;
                p->pos = j + 1;
                *em = (float)((neg ? -val : val) * units[k].em);
                return 0;
            }
        }
    }
    return sp_fail(p, p->pos, "missing unit (em, ex, pt, mm, cm, in, mu …) in dimension");
}

/* A delimiter after \left, \right, \middle, \big: returns the symbol info. */
static int sp_read_delim(sp_parser *p, const sp_symbol_info **out, int allow_dot, const char *cmd) {
    sp_tok tk;
    sp_lex_peek(p, &tk);
    const char *name = p->s + tk.start;
    size_t len = tk.end - tk.start;
    char b[64];
    if (tk.type == T_CHAR && len == 1 && *name == '.') {
        if (!allow_dot) return sp_fail(p, tk.start, "'.' is not a delimiter for %s", cmd);
        sp_lex_take(p, &tk);
        *out = NULL;
        return 0;
    }
    if (tk.type == T_CHAR && len == 1 && (*name == '<' || *name == '>')) {
        name = *name == '<' ? "\\langle" : "\\rangle";
        len = strlen(name);
    }
    const sp_symbol_info *si = NULL;
    if (tk.type == T_CHAR || tk.type == T_CMD) si = sp_tree_symbol_find(name, len);
    if (!si || !(si->flags & SP_SYMF_FENCE))
        return sp_fail(p, tk.start, "missing delimiter after %s (found %s)", cmd, sp_tok_desc(p, &tk, b, sizeof b));
    sp_lex_take(p, &tk);
    *out = si;
    return 0;
}

static sp_node *sp_sym_from_info(sp_parser *p, const sp_symbol_info *si, int variant, size_t pos) {
    sp_node *n = sp_tree_symbol_raw(p->t, si->text, si->latex, (sp_sym_type)si->type, (sp_variant)variant,
                                    (sp_atom)si->atom, si->flags);
    if (n) n->pos = (uint32_t)pos;
    return n;
}

/* ---- scripts ------------------------------------------------------------- */
static int sp_is_script_tok(sp_parser *p, const sp_tok *tk) {
    if (tk->type == T_SUP || tk->type == T_SUB || tk->type == T_PRIME) return 1;
    if (tk->type == T_CMD) {
        const sp_cmd *c = sp_cmd_find(p->s + tk->start, tk->end - tk->start);
        return c && (c->kind == C_SUPCMD || c->kind == C_SUBCMD || c->kind == C_LIMITS || c->kind == C_NOLIMITS);
    }
    return 0;
}

static int sp_is_op_base(const sp_node *b) {
    if (!b) return 0;
    if (b->kind == SP_NODE_SYMBOL) return b->u.sym.atom == SP_ATOM_OP;
    if (b->kind == SP_NODE_FUNC) return 1;
    if (b->kind == SP_NODE_STYLE) return b->u.style.style == SP_STYLE_CLASS && b->u.style.atom == SP_ATOM_OP;
    if (b->kind == SP_NODE_UNDEROVER) return !b->u.uo.accent;
    return 0;
}

/* Attaches ^ _ ' \limits to the items row[n0..] (the atom just parsed). */
static int sp_parse_scripts(sp_parser *p, sp_node *row, uint32_t n0, int variant) {
    sp_tok tk;
    sp_lex_peek(p, &tk);
    if (!sp_is_script_tok(p, &tk)) return 0;
    sp_node *base;
    uint32_t have = row->u.row.n - n0;
    /* A lone SCRIPTS item (e.g. \mathrm{d'} unwrapped to d^{\prime}) is
     * wrapped in a ROW like any group: scripts cannot be stacked directly,
     * and the emitted {d^{\prime}}^{3} reads back as a ROW base. */
    if (have == 1 && row->u.row.items[n0]->kind != SP_NODE_SCRIPTS) base = row->u.row.items[n0];
    else {
        base = sp_tree_row(p->t);
        if (!base) return sp_oom(p);
        for (uint32_t i = n0; i < row->u.row.n; i++)
            if (sp_append(p, base, row->u.row.items[i])) return SP_FAIL;
    }
    row->u.row.n = n0;
    sp_node *sub = NULL, *sup = NULL;
    int limits = SP_LIMITS_AUTO, sup_from_caret = 0;
    size_t pos0 = tk.start;
    for (;;) {
        sp_lex_peek(p, &tk);
        if (!sp_is_script_tok(p, &tk)) break;
        sp_lex_take(p, &tk);
        if (tk.type == T_PRIME) {
            if (sup_from_caret) return sp_fail(p, tk.start, "prime after a superscript (double superscript)");
            if (!sup && !(sup = sp_tree_row(p->t))) return sp_oom(p);
            if (sp_append(p, sup, sp_tree_symbol(p->t, "\\prime", SP_VAR_NONE))) return SP_FAIL;
            continue;
        }
        int is_sup = tk.type == T_SUP, is_sub = tk.type == T_SUB;
        if (tk.type == T_CMD) {
            const sp_cmd *c = sp_cmd_find(p->s + tk.start, tk.end - tk.start);
            if (c->kind == C_LIMITS || c->kind == C_NOLIMITS) {
                if (sub || sup) return sp_fail(p, tk.start, "\\limits must come before the scripts");
                if (sp_is_op_base(base)) limits = c->kind == C_LIMITS ? SP_LIMITS_LIMITS : SP_LIMITS_NOLIMITS;
                continue;
            }
            is_sup = c->kind == C_SUPCMD;
            is_sub = c->kind == C_SUBCMD;
        }
        sp_node *arg;
        if (sp_parse_arg(p, &arg, variant, is_sup ? "'^'" : "'_'")) return SP_FAIL;
        if (is_sub) {
            if (sub) return sp_fail(p, tk.start, "double subscript");
            sub = arg;
        } else if (is_sup) {
            if (sup_from_caret) return sp_fail(p, tk.start, "double superscript");
            sup_from_caret = 1;
            if (sup) { /* x'^2 = x^{\prime 2} */
                for (uint32_t i = 0; i < arg->u.row.n; i++)
                    if (sp_append(p, sup, arg->u.row.items[i])) return SP_FAIL;
            } else sup = arg;
        }
    }
    if (!sub && !sup) { /* only \limits: keep the base alone */
        return sp_append(p, row, base);
    }
    sp_node *s = sp_tree_scripts(p->t, base, sub, sup, (sp_limits)limits);
    if (!s) return sp_oom(p);
    s->pos = (uint32_t)pos0;
    return sp_append(p, row, s);
}

/* ---- text mode ----------------------------------------------------------- */
static int sp_name_is(const char *name, size_t nl, const char *lit) {
    return strlen(lit) == nl && memcmp(name, lit, nl) == 0;
}

static int sp_parse_text(sp_parser *p, sp_node *row, int variant, const char *cmd) {
    sp_tok tk;
    sp_skip_bracket(p); /* \makebox[width] */
    if (p->failed) return SP_FAIL;
    sp_lex_peek(p, &tk);
    sp_buf b;
    sp_buf_init(&b);
    size_t i;
    if (tk.type != T_LBRACE) {
        /* one token: a character */
        if (tk.type != T_CHAR) return sp_fail(p, tk.start, "missing argument for %s", cmd);
        sp_buf_put(&b, p->s + tk.start, tk.end - tk.start);
        sp_lex_take(p, &tk);
        goto done;
    }
    i = tk.end;
    int level = 1, space = 0;
    while (i < p->len) {
        unsigned char c = (unsigned char)p->s[i];
        if (sp_is_space(c) || c == '~') {
            space = 1;
            i++;
            continue;
        }
        if (c == '}') {
            if (--level == 0) break;
            i++;
            continue;
        }
        if (space && !(b.len && b.data[b.len - 1] == ' ')) sp_buf_putc(&b, ' ');
        space = 0;
        if (c == '{') {
            if (++level > p->max_depth) {
                sp_buf_free(&b);
                return sp_fail(p, i, "nesting deeper than %d levels", p->max_depth);
            }
            i++;
            continue;
        }
        if (c == '$' || c == '&' || c == '#' || c == '^' || c == '_') {
            sp_buf_free(&b);
            return sp_fail(p, i, "'%c' inside %s is not supported", c, cmd);
        }
        if (c == '\\') {
            if (i + 1 >= p->len) break;
            size_t j = i + 1;
            if (sp_is_letter(p->s[j])) {
                while (j < p->len && sp_is_letter(p->s[j])) j++;
            } else j++;
            const char *name = p->s + i;
            size_t nl = j - i;
            const sp_cmd *cm = sp_cmd_find(name, nl);
            const sp_symbol_info *si = sp_tree_symbol_find(name, nl);
            if (nl == 2 && strchr("{}$%&#_", name[1])) sp_buf_putc(&b, name[1]);
            else if (nl == 2 && (name[1] == ' ' || name[1] == ',' || name[1] == ';' || name[1] == ':' || name[1] == '!' || sp_is_space(name[1]))) {
                if (name[1] != '!') space = 1;
            } else if (sp_name_is(name, nl, "\\textbackslash")) sp_buf_putc(&b, '\\');
            else if (sp_name_is(name, nl, "\\textasciicircum")) sp_buf_putc(&b, '^');
            else if (sp_name_is(name, nl, "\\textasciitilde")) sp_buf_putc(&b, '~');
            else if (cm && (cm->kind == C_FONTSW || cm->kind == C_TEXT || cm->kind == C_FONT ||
                            (cm->kind == C_STYLESW && cm->a == SP_STYLE_SIZE) || cm->kind == C_IGNORE)) {
                /* font changes inside text: the text keeps its own variant */
            } else if (cm && cm->kind == C_SPACE) {
                if (cm->em > 0) space = 1;
            } else if (si && ((unsigned char)si->text[0] >= 0x80 || si->type == SP_SYM_IDENT) &&
                       strlen(si->text) <= 4 && (unsigned char)si->latex[0] >= 0x80) {
                sp_buf_puts(&b, si->text); /* \o \ae \l … */
            } else if (si && (!strcmp(si->key, "\\S") || !strcmp(si->key, "\\P") || !strcmp(si->key, "\\pounds") ||
                              !strcmp(si->key, "\\AA") || !strcmp(si->key, "\\aa") || !strcmp(si->key, "\\i") ||
                              !strcmp(si->key, "\\j") || !strcmp(si->key, "\\dag") || !strcmp(si->key, "\\ddag"))) {
                sp_buf_puts(&b, si->text);
            } else {
                sp_buf_free(&b);
                return sp_fail(p, i, "unknown command %.*s inside %s", (int)(nl > 40 ? 40 : nl), name, cmd);
            }
            i = j;
            if (nl > 2 || sp_is_letter(name[1])) {
                /* a control word eats the spaces after it */
                while (i < p->len && sp_is_space(p->s[i])) i++;
            }
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            sp_buf_free(&b);
            return sp_fail(p, i, "control character inside %s", cmd);
        }
        size_t n = sp_utf8_len(p->s, i, p->len);
        if (!n) {
            sp_buf_free(&b);
            return sp_fail(p, i, "invalid UTF-8 inside %s", cmd);
        }
        sp_buf_put(&b, p->s + i, n);
        i += n;
    }
    if (i >= p->len) {
        sp_buf_free(&b);
        return sp_fail(p, tk.start, "missing '}' for %s", cmd);
    }
    if (space && !(b.len && b.data[b.len - 1] == ' ')) sp_buf_putc(&b, ' ');
    p->pos = i + 1;
done:
    if (b.oom) {
        sp_buf_free(&b);
        return sp_oom(p);
    }
    {
        sp_node *n = sp_tree_text(p->t, sp_buf_str(&b), (sp_variant)variant);
        sp_buf_free(&b);
        if (n) n->pos = (uint32_t)tk.start;
        return sp_append(p, row, n);
    }
}

/* ---- \left … \right ------------------------------------------------------- */
static int sp_parse_left(sp_parser *p, sp_node *row, int variant, size_t pos) {
    const sp_symbol_info *open, *close;
    if (sp_read_delim(p, &open, 1, "\\left")) return SP_FAIL;
    if (sp_enter(p)) return SP_FAIL;
    sp_node *body = sp_tree_row(p->t);
    if (!body) return sp_oom(p);
    for (;;) {
        if (sp_parse_row(p, body, variant, 0)) return SP_FAIL;
        sp_tok tk;
        sp_lex_peek(p, &tk);
        const sp_cmd *c = tk.type == T_CMD ? sp_cmd_find(p->s + tk.start, tk.end - tk.start) : NULL;
        if (c && c->kind == C_MIDDLE) {
            sp_lex_take(p, &tk);
            const sp_symbol_info *mid;
            if (sp_read_delim(p, &mid, 0, "\\middle")) return SP_FAIL;
            sp_node *m = sp_sym_from_info(p, mid, SP_VAR_NONE, tk.start);
            if (!m) return sp_oom(p);
            m->u.sym.size_role = SP_ROLE_MIDDLE;
            if (sp_append(p, body, m)) return SP_FAIL;
            continue;
        }
        if (c && c->kind == C_RIGHT) {
            sp_lex_take(p, &tk);
            if (sp_read_delim(p, &close, 1, "\\right")) return SP_FAIL;
            break;
        }
        if (tk.type == T_EOF) return sp_fail(p, pos, "\\left without a matching \\right");
        return sp_unexpected(p, &tk, "\\right");
    }
    p->depth--;
    sp_node *f = sp_tree_fenced(p->t, open ? open->latex : ".", close ? close->latex : ".", body);
    if (!f) return sp_oom(p);
    f->pos = (uint32_t)pos;
    return sp_append(p, row, f);
}

/* ---- environments --------------------------------------------------------- */
static int sp_parse_env(sp_parser *p, sp_node *row, int variant, size_t pos) {
    char name[32], spec[128];
    if (sp_read_raw_group(p, name, sizeof name, "\\begin")) return SP_FAIL;
    const sp_env *env = sp_env_find(name, strlen(name));
    if (!env) return sp_fail(p, pos, "unsupported environment '%s'", name);
    const char *colspec = env->colspec;
    if (env->has_colspec) {
        if (sp_read_raw_group(p, spec, sizeof spec, "the column specification")) return SP_FAIL;
        for (const char *s = spec; *s; s++)
            if (!strchr("lcr|:", *s)) return sp_fail(p, p->pos, "unsupported column type '%c' in array", *s);
        if (!spec[0]) return sp_fail(p, p->pos, "empty column specification");
        colspec = sp_tree_strdup(p->t, spec, strlen(spec));
        if (!colspec) return sp_oom(p);
    }
    if (sp_enter(p)) return SP_FAIL;
    sp_node *rows = sp_tree_row(p->t);
    if (!rows) return sp_oom(p);
    for (;;) {
        sp_node *r = sp_tree_row(p->t);
        if (!r) return sp_oom(p);
        sp_tok tk;
        for (;;) { /* \hline before the row */
            sp_lex_peek(p, &tk);
            const sp_cmd *c = tk.type == T_CMD ? sp_cmd_find(p->s + tk.start, tk.end - tk.start) : NULL;
            if (!c || c->kind != C_HLINE) break;
            sp_lex_take(p, &tk);
            r->flags |= SP_NODEF_HLINE_ABOVE;
        }
        int end = 0;
        for (;;) { /* cells */
            sp_node *cell = sp_tree_row(p->t);
            if (!cell) return sp_oom(p);
            if (sp_parse_row(p, cell, variant, M_CELL)) return SP_FAIL;
            if (sp_append(p, r, cell)) return SP_FAIL;
            sp_lex_peek(p, &tk);
            if (tk.type == T_AMP) {
                sp_lex_take(p, &tk);
                continue;
            }
            const sp_cmd *c = tk.type == T_CMD ? sp_cmd_find(p->s + tk.start, tk.end - tk.start) : NULL;
            if (c && c->kind == C_NEWLINE) {
                sp_lex_take(p, &tk);
                sp_tok t2;
                sp_lex_peek(p, &t2);
                if (t2.type == T_CHAR && p->s[t2.start] == '[') {
                    if (sp_skip_bracket(p)) return SP_FAIL;
                }
                break;
            }
            if (c && c->kind == C_END) {
                sp_lex_take(p, &tk);
                char ename[32];
                if (sp_read_raw_group(p, ename, sizeof ename, "\\end")) return SP_FAIL;
                if (strcmp(ename, name) != 0)
                    return sp_fail(p, tk.start, "\\begin{%s} ended by \\end{%s}", name, ename);
                end = 1;
                break;
            }
            if (c && c->kind == C_HLINE) return sp_fail(p, tk.start, "\\hline in the middle of a row");
            if (tk.type == T_EOF) return sp_fail(p, pos, "\\begin{%s} without \\end{%s}", name, name);
            return sp_unexpected(p, &tk, "'&', '\\\\' or \\end");
        }
        /* a last row that is one empty cell (after a final \\) is no row */
        if (end && r->u.row.n == 1 && r->u.row.items[0]->u.row.n == 0) {
            if ((r->flags & SP_NODEF_HLINE_ABOVE) && rows->u.row.n)
                rows->u.row.items[rows->u.row.n - 1]->flags |= SP_NODEF_HLINE_BELOW;
            else if (r->flags & SP_NODEF_HLINE_ABOVE) {
                r->flags = SP_NODEF_HLINE_ABOVE;
                if (sp_append(p, rows, r)) return SP_FAIL;
            } else if (rows->u.row.n == 0) {
                if (sp_append(p, rows, r)) return SP_FAIL;
            }
        } else if (sp_append(p, rows, r)) return SP_FAIL;
        if (end) break;
        if (rows->u.row.n > 10000) return sp_fail(p, p->pos, "too many rows");
    }
    p->depth--;
    sp_node *tb = sp_tree_table(p->t, env->canon, colspec, rows);
    if (!tb) return sp_oom(p);
    tb->pos = (uint32_t)pos;
    return sp_append(p, row, tb);
}

/* ---- atoms ---------------------------------------------------------------- */
static const struct { const char *from, *to; } sp_negations[] = {
    {"=", "\\neq"},         {"<", "\\nless"},         {">", "\\ngtr"},       {"\\in", "\\notin"},
    {"\\leq", "\\nleq"},    {"\\geq", "\\ngeq"},      {"\\sim", "\\nsim"},   {"\\cong", "\\ncong"},
    {"\\mid", "\\nmid"},    {"\\parallel", "\\nparallel"}, {"\\exists", "\\nexists"},
    {"\\subseteq", "\\nsubseteq"}, {"\\supseteq", "\\nsupseteq"}, {"\\equiv", "\\not\\equiv"},
};

static int sp_parse_cmd(sp_parser *p, sp_node *row, int *variant, int mode, const sp_tok *tk) {
    const char *name = p->s + tk->start;
    size_t nl = tk->end - tk->start;
    const sp_cmd *c = sp_cmd_find(name, nl);
    char cname[48];
    snprintf(cname, sizeof cname, "%.*s", (int)(nl > 40 ? 40 : nl), name);
    if (!c && nl == 1) c = sp_cmd_find("\\ ", 2); /* trailing lone backslash */
    if (!c) {
        const sp_symbol_info *si = sp_tree_symbol_find(name, nl);
        if (!si) return sp_fail(p, tk->start, "unknown command %s", cname);
        if (!strcmp(si->latex, "\\dots")) {
            /* amsmath: \dots before a binary operator or relation is \cdots */
            sp_tok t2;
            sp_lex_peek(p, &t2);
            const sp_symbol_info *nx = (t2.type == T_CHAR || t2.type == T_CMD)
                                           ? sp_tree_symbol_find(p->s + t2.start, t2.end - t2.start) : NULL;
            if (nx && (nx->atom == SP_ATOM_BIN || nx->atom == SP_ATOM_REL))
                si = sp_tree_symbol_find("\\cdots", 6);
        }
        return sp_append(p, row, sp_sym_from_info(p, si, *variant, tk->start));
    }
    sp_node *a = NULL, *b = NULL, *n = NULL;
    switch ((sp_cmd_kind)c->kind) {
    case C_FRAC:
    case C_BINOM:
        if (sp_parse_arg(p, &a, *variant, c->name) || sp_parse_arg(p, &b, *variant, c->name)) return SP_FAIL;
        n = sp_tree_frac(p->t, a, b, c->kind == C_FRAC);
        if (!n) return sp_oom(p);
        n->u.frac.style = (uint8_t)c->a;
        if (c->kind == C_BINOM) {
            n->u.frac.open = "(";
            n->u.frac.close = ")";
        }
        break;
    case C_SQRT:
        if (sp_parse_optarg(p, &b, *variant) || sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        n = sp_tree_radical(p->t, a, b);
        break;
    case C_FONT:
        if (sp_parse_arg(p, &a, c->a, c->name)) return SP_FAIL;
        /* a style switch inside (\mathrm{\tiny x}) must keep its group */
        for (uint32_t i = 0; i < a->u.row.n; i++)
            if (a->u.row.items[i]->kind == SP_NODE_STYLE && a->u.row.items[i]->u.style.style <= SP_STYLE_SIZE)
                return sp_append(p, row, a);
        for (uint32_t i = 0; i < a->u.row.n; i++)
            if (sp_append(p, row, a->u.row.items[i])) return SP_FAIL;
        return 0;
    case C_FONTSW:
        *variant = c->a;
        return 0;
    case C_TEXT:
        return sp_parse_text(p, row, c->a, c->name);
    case C_ACCENT:
    case C_UNDERACC: {
        if (sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        sp_node *acc = sp_tree_symbol_raw(p->t, c->s, c->name, SP_SYM_OP, SP_VAR_NONE, SP_ATOM_ORD, 0);
        if (!acc) return sp_oom(p);
        n = c->kind == C_ACCENT ? sp_tree_underover(p->t, a, NULL, acc, c->name, 1)
                                : sp_tree_underover(p->t, a, acc, NULL, c->name, 1);
        break;
    }
    case C_BRACE: {
        if (sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        sp_node *br = sp_tree_symbol_raw(p->t, c->s, c->name, SP_SYM_OP, SP_VAR_NONE, SP_ATOM_ORD, 0);
        if (!br) return sp_oom(p);
        n = c->a ? sp_tree_underover(p->t, a, NULL, br, c->name, 0) : sp_tree_underover(p->t, a, br, NULL, c->name, 0);
        break;
    }
    case C_OVERSET:
    case C_UNDERSET:
    case C_STACKREL:
        if (sp_parse_arg(p, &a, *variant, c->name) || sp_parse_arg(p, &b, *variant, c->name)) return SP_FAIL;
        n = c->kind == C_UNDERSET ? sp_tree_underover(p->t, b, a, NULL, c->name, 0)
                                  : sp_tree_underover(p->t, b, NULL, a, c->name, 0);
        break;
    case C_DOTUNDER:
    case C_BARUNDER:
        if (sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        if (c->kind == C_DOTUNDER) {
            /* \d{x}: the same tree as \underset{.}{x} */
            b = sp_tree_row(p->t);
            if (!b || sp_append(p, b, sp_tree_symbol(p->t, ".", SP_VAR_NONE))) return sp_oom(p);
            n = sp_tree_underover(p->t, a, b, NULL, "\\underset", 0);
        } else {
            sp_node *acc = sp_tree_symbol_raw(p->t, "\xE2\x80\x95", "\\underline", SP_SYM_OP, SP_VAR_NONE, SP_ATOM_ORD, 0);
            if (!acc) return sp_oom(p);
            n = sp_tree_underover(p->t, a, acc, NULL, "\\underline", 1);
        }
        break;
    case C_LEFT:
        return sp_parse_left(p, row, *variant, tk->start);
    case C_RIGHT:
    case C_MIDDLE:
        return sp_fail(p, tk->start, "%s without a matching \\left", cname);
    case C_END:
        return sp_fail(p, tk->start, "\\end without a matching \\begin");
    case C_BIG: {
        const sp_symbol_info *si;
        if (sp_read_delim(p, &si, 0, c->name)) return SP_FAIL;
        n = sp_sym_from_info(p, si, SP_VAR_NONE, tk->start);
        if (!n) return sp_oom(p);
        n->u.sym.size = (uint8_t)c->a;
        n->u.sym.size_role = (uint8_t)c->b;
        break;
    }
    case C_BEGIN:
        return sp_parse_env(p, row, *variant, tk->start);
    case C_OPNAME: {
        int star = 0;
        sp_tok t2;
        sp_lex_peek(p, &t2);
        if (t2.type == T_CHAR && p->s[t2.start] == '*') {
            sp_lex_take(p, &t2);
            star = 1;
        }
        if (sp_parse_arg(p, &a, SP_VAR_UPRIGHT, c->name)) return SP_FAIL;
        sp_buf nb;
        sp_buf_init(&nb);
        for (uint32_t i = 0; i < a->u.row.n; i++) {
            sp_node *it = a->u.row.items[i];
            if (it->kind == SP_NODE_SYMBOL && !it->u.sym.size) sp_buf_puts(&nb, it->u.sym.text);
            else if (it->kind == SP_NODE_SPACE) continue;
            else {
                sp_buf_free(&nb);
                return sp_fail(p, tk->start, "\\operatorname takes only letters, digits and symbols");
            }
        }
        if (!nb.len || nb.oom) {
            int oom = nb.oom;
            sp_buf_free(&nb);
            return oom ? sp_oom(p) : sp_fail(p, tk->start, "empty \\operatorname");
        }
        char *nm = sp_tree_strdup(p->t, nb.data, nb.len);
        sp_buf_free(&nb);
        if (!nm) return sp_oom(p);
        n = sp_tree_func(p->t, nm, NULL, star);
        if (n && star) n->flags |= SP_NODEF_STAR;
        break;
    }
    case C_FUNC:
        n = sp_tree_func(p->t, c->s, c->name, c->a);
        break;
    case C_SPACE:
        n = sp_tree_space(p->t, c->s, c->em);
        break;
    case C_HSPACE:
    case C_KERN: {
        char dim[64], lat[80];
        float em = 0;
        if (c->kind == C_HSPACE) {
            sp_tok t2;
            sp_lex_peek(p, &t2);
            if (t2.type == T_CHAR && p->s[t2.start] == '*') sp_lex_take(p, &t2);
            sp_lex_peek(p, &t2);
            if (t2.type != T_LBRACE) return sp_fail(p, t2.start, "missing {dimension} for \\hspace");
            sp_lex_take(p, &t2);
            if (sp_read_dimen(p, dim, sizeof dim, &em)) return SP_FAIL;
            sp_lex_peek(p, &t2);
            if (t2.type != T_RBRACE) return sp_unexpected(p, &t2, "'}' after the dimension");
            sp_lex_take(p, &t2);
            snprintf(lat, sizeof lat, "\\hspace{%s}", dim);
        } else {
            if (sp_read_dimen(p, dim, sizeof dim, &em)) return SP_FAIL;
            snprintf(lat, sizeof lat, "%s%s", c->name, dim);
        }
        char *l = sp_tree_strdup(p->t, lat, strlen(lat));
        if (!l) return sp_oom(p);
        n = sp_tree_space(p->t, l, em);
        break;
    }
    case C_VSPACE: {
        char dim[64];
        if (sp_read_raw_group(p, dim, sizeof dim, "\\vspace")) return SP_FAIL;
        return 0;
    }
    case C_STYLESW:
        return sp_fail(p, tk->start, "%s cannot be an argument", cname);
    case C_WRAP:
        if (sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        n = sp_tree_style(p->t, (sp_style)c->a, a);
        break;
    case C_CLASS:
        if (sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        n = sp_tree_style(p->t, SP_STYLE_CLASS, a);
        if (n) n->u.style.atom = (uint8_t)c->a;
        break;
    case C_NOT: {
        sp_tok t2;
        sp_lex_peek(p, &t2);
        if (t2.type == T_CHAR || t2.type == T_CMD) {
            const sp_symbol_info *si = sp_tree_symbol_find(p->s + t2.start, t2.end - t2.start);
            if (si) {
                for (size_t k = 0; k < sizeof sp_negations / sizeof sp_negations[0]; k++) {
                    if (strcmp(si->latex, sp_negations[k].from) != 0) continue;
                    const sp_symbol_info *ng = sp_tree_symbol_find(sp_negations[k].to, strlen(sp_negations[k].to));
                    if (!ng) break;
                    sp_lex_take(p, &t2);
                    return sp_append(p, row, sp_sym_from_info(p, ng, *variant, tk->start));
                }
            }
        }
        /* like TeX: a zero-width slash before whatever follows */
        n = sp_tree_symbol(p->t, "\\not", (sp_variant)*variant);
        break;
    }
    case C_LIMITS:
    case C_NOLIMITS:
    case C_IGNORE:
        return 0;
    case C_IGNORE1:
    case C_IGNORE2: {
        char junk[256];
        sp_tok t2;
        for (int k = 0; k < (c->kind == C_IGNORE2 ? 2 : 1); k++) {
            sp_lex_peek(p, &t2);
            if (t2.type == T_LBRACE) {
                if (sp_read_raw_group(p, junk, sizeof junk, cname)) return SP_FAIL;
            } else if (t2.type == T_CHAR || t2.type == T_CMD) {
                sp_lex_take(p, &t2);
            } else return sp_fail(p, t2.start, "missing argument for %s", cname);
        }
        return 0;
    }
    case C_INFIX:
        return sp_fail(p, tk->start, "%s cannot be an argument", cname);
    case C_SUPCMD:
    case C_SUBCMD:
        return sp_fail(p, tk->start, "missing argument before %s", cname);
    case C_NEWLINE: {
        sp_tok t2;
        sp_lex_peek(p, &t2);
        if (t2.type == T_CHAR && p->s[t2.start] == '[' && sp_skip_bracket(p)) return SP_FAIL;
        n = sp_tree_space(p->t, "\\\\", 0);
        break;
    }
    case C_HLINE:
        return sp_fail(p, tk->start, "\\hline outside a table");
    case C_RAISEBOX: {
        char dim[64];
        if (sp_read_raw_group(p, dim, sizeof dim, "\\raisebox")) return SP_FAIL;
        if (sp_skip_bracket(p) || sp_skip_bracket(p)) return SP_FAIL;
        if (sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        n = a; /* the raise is dropped; the content stays as a group */
        break;
    }
    case C_RAISE: {
        char dim[64];
        float em;
        if (sp_read_dimen(p, dim, sizeof dim, &em)) return SP_FAIL;
        return 0;
    }
    case C_GROUP1:
        if (sp_parse_arg(p, &a, *variant, c->name)) return SP_FAIL;
        n = a;
        break;
    case C_UNSUPPORTED:
        return sp_fail(p, tk->start, "unsupported command %s", cname);
    }
    if (!n) return sp_oom(p);
    n->pos = (uint32_t)tk->start;
    return sp_append(p, row, n);
}

/* One atom (without its scripts) appended to row: may append 0 (a switch,
 * \label), 1, or several nodes (\mathbf{ab}). */
static int sp_parse_atom(sp_parser *p, sp_node *row, int *variant, int mode) {
    sp_tok tk;
    char b[64];
    sp_lex_peek(p, &tk);
    switch (tk.type) {
    case T_LBRACE: {
        sp_node *g;
        if (sp_parse_group(p, &g, *variant)) return SP_FAIL;
        return sp_append(p, row, g);
    }
    case T_TILDE:
        sp_lex_take(p, &tk);
        return sp_append(p, row, sp_tree_space(p->t, "~", 0.333f));
    case T_CMD:
        sp_lex_take(p, &tk);
        return sp_parse_cmd(p, row, variant, mode, &tk);
    case T_CHAR: {
        sp_lex_take(p, &tk);
        const char *s = p->s + tk.start;
        size_t n = tk.end - tk.start;
        unsigned char c = (unsigned char)*s;
        sp_node *nd;
        if (n == 1 && (sp_is_letter(c) || (c >= '0' && c <= '9'))) {
            char *txt = sp_tree_strdup(p->t, s, 1);
            if (!txt) return sp_oom(p);
            nd = sp_tree_symbol_raw(p->t, txt, txt, sp_is_letter(c) ? SP_SYM_IDENT : SP_SYM_NUMBER,
                                    (sp_variant)*variant, SP_ATOM_ORD, 0);
        } else {
            const sp_symbol_info *si = sp_tree_symbol_find(s, n);
            if (si) nd = sp_sym_from_info(p, si, *variant, tk.start);
            else if (n > 1) { /* any other Unicode character: an identifier */
                char *txt = sp_tree_strdup(p->t, s, n);
                if (!txt) return sp_oom(p);
                nd = sp_tree_symbol_raw(p->t, txt, txt, SP_SYM_IDENT, (sp_variant)*variant, SP_ATOM_ORD, 0);
            } else if (c == '[' || c == ']') {
                nd = sp_tree_symbol(p->t, c == '[' ? "[" : "]", (sp_variant)*variant);
            } else {
                return sp_fail(p, tk.start, "unexpected character %s", sp_tok_desc(p, &tk, b, sizeof b));
            }
        }
        if (!nd) return sp_oom(p);
        nd->pos = (uint32_t)tk.start;
        return sp_append(p, row, nd);
    }
    case T_BAD:
        if (tk.start + 1 >= p->len && p->s[tk.start] == '\\') return sp_fail(p, tk.start, "lone backslash at end of input");
        return sp_fail(p, tk.start, "invalid character (byte 0x%02X)", (unsigned char)p->s[tk.start]);
    default:
        return sp_unexpected(p, &tk, "an atom");
    }
}

static int sp_parse_row(sp_parser *p, sp_node *row, int variant, int mode) {
    sp_node *num = NULL;
    int infix = 0; /* 1 \choose, 2 \over, 3 \atop */
    size_t infix_pos = 0;
    if (sp_enter(p)) return SP_FAIL;
    for (;;) {
        sp_tok tk;
        sp_lex_peek(p, &tk);
        if (sp_is_terminator(p, &tk, mode)) break;
        if (tk.type == T_CMD) {
            const sp_cmd *c = sp_cmd_find(p->s + tk.start, tk.end - tk.start);
            if (c && c->kind == C_INFIX) {
                sp_lex_take(p, &tk);
                if (infix) return sp_fail(p, tk.start, "ambiguous: two of \\over, \\atop, \\choose in one group");
                infix = c->a == 1 ? 1 : c->a == 2 ? 2 : 3;
                infix_pos = tk.start;
                num = sp_tree_row(p->t);
                if (!num) return sp_oom(p);
                *num = *row;
                row->u.row.items = NULL;
                row->u.row.n = row->u.row.cap = 0;
                continue;
            }
            if (c && c->kind == C_STYLESW) {
                sp_lex_take(p, &tk);
                sp_node *body = sp_tree_row(p->t);
                if (!body) return sp_oom(p);
                if (sp_parse_row(p, body, variant, mode)) return SP_FAIL;
                sp_node *st = sp_tree_style(p->t, (sp_style)c->a, body);
                if (!st) return sp_oom(p);
                st->u.style.arg = c->s;
                st->pos = (uint32_t)tk.start;
                if (sp_append(p, row, st)) return SP_FAIL;
                break;
            }
        }
        uint32_t n0 = row->u.row.n;
        if (!sp_is_script_tok(p, &tk)) {
            if (sp_parse_atom(p, row, &variant, mode)) return SP_FAIL;
        }
        if (sp_parse_scripts(p, row, n0, variant)) return SP_FAIL;
        if (row->u.row.n > 1000000) return sp_fail(p, p->pos, "row too long");
    }
    if (infix) {
        sp_node *den = sp_tree_row(p->t);
        if (!den) return sp_oom(p);
        *den = *row;
        row->u.row.items = NULL;
        row->u.row.n = row->u.row.cap = 0;
        sp_node *f = sp_tree_frac(p->t, num, den, infix == 2);
        if (!f) return sp_oom(p);
        if (infix == 1) {
            f->u.frac.open = "(";
            f->u.frac.close = ")";
        }
        f->pos = (uint32_t)infix_pos;
        if (sp_append(p, row, f)) return SP_FAIL;
    }
    p->depth--;
    return 0;
}

/* ---- entry points ------------------------------------------------------------ */
void sp_latex_options_init(sp_latex_options *o) {
    o->max_len = 64 * 1024;
    o->max_depth = 200;
}

int sp_latex_parse(sp_tree *t, const char *src, size_t len, const sp_latex_options *opts, sp_node **out,
                   scipix_error *err) {
    sp_latex_options def;
    if (!opts) {
        sp_latex_options_init(&def);
        opts = &def;
    }
    *out = NULL;
    if (!t || (!src && len)) return sp_error_set(err, SCIPIX_EINVAL, "at 0: no input");
    if (len > opts->max_len)
        return sp_error_set(err, SCIPIX_EPARSE, "at %zu: input longer than %zu bytes", opts->max_len, opts->max_len);
    sp_parser p = {t, src ? src : "", len, 0, 0, opts->max_depth, err, 0};
    sp_node *root = sp_tree_row(t);
    if (!root) return sp_error_set(err, SCIPIX_ENOMEM, "at 0: out of memory");
    if (sp_parse_row(&p, root, SP_VAR_NONE, 0) == 0) {
        sp_tok tk;
        sp_lex_peek(&p, &tk);
        if (tk.type != T_EOF) {
            const sp_cmd *c = tk.type == T_CMD ? sp_cmd_find(p.s + tk.start, tk.end - tk.start) : NULL;
            if (c && c->kind == C_RIGHT) sp_fail(&p, tk.start, "\\right without a matching \\left");
            else if (c && c->kind == C_MIDDLE) sp_fail(&p, tk.start, "\\middle without a matching \\left");
            else if (c && c->kind == C_END) sp_fail(&p, tk.start, "\\end without a matching \\begin");
            else sp_unexpected(&p, &tk, "end of input");
        }
    }
    if (p.failed) return p.failed == 2 ? SCIPIX_ENOMEM : SCIPIX_EPARSE;
    t->root = root;
    *out = root;
    return SCIPIX_OK;
}

size_t sp_latex_error_pos(const scipix_error *err) {
    if (!err || strncmp(err->message, "at ", 3) != 0) return 0;
    return (size_t)strtoull(err->message + 3, NULL, 10);
}
