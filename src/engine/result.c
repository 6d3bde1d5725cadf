/*
 * result.c — the scipix_result object: recognized symbols with boxes and
 * confidences, the LaTeX string, and the formula confidence.
 *
 * A result owns copies of every string it returns, so it stays valid after
 * the engine (and its memory-mapped model) is freed.
 *
 * Formula confidence is the PRODUCT of the symbols' top-1 probabilities,
 * not their minimum: under the (rough) assumption that symbol errors are
 * independent, the product estimates the probability that the whole formula
 * is right, which is what a caller gating on confidence wants to know.  It
 * falls with length — a 40-symbol formula whose symbols are each 99% sure
 * is right only about two times in three, and the number says so; the
 * minimum would hide that.  Callers that want the weakest symbol have the
 * per-symbol confidences.
 *
 * The LaTeX string here is the plain left-to-right assembly used until the
 * layout and tree stages take over; tokens are joined without spaces except
 * where TeX needs one to end a control word ("\alpha x", not "\alphax").
 */
#include "engine/result.h"
#include "engine/status.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct scipix_result {
    char *latex;
    float confidence;
    scipix_symbol *symbols;
    size_t nsymbols;
};

static char *sp_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Does s end with a control word (\ followed by letters)? */
static int sp_ends_with_control_word(const char *s, size_t len) {
    size_t i = len;
    while (i > 0 && isalpha((unsigned char)s[i - 1])) i--;
    return i < len && i > 0 && s[i - 1] == '\\' && (i < 2 || s[i - 2] != '\\');
}

int sp_result_append_token(char **s, size_t *len, size_t *cap, const char *tok) {
    size_t tl = strlen(tok);
    if (tl == 0) return SCIPIX_OK;
    int space = *len > 0 && sp_ends_with_control_word(*s, *len) && isalpha((unsigned char)tok[0]);
    size_t need = *len + (size_t)space + tl + 1;
    if (need > *cap) {
        size_t nc = *cap ? *cap : 64;
        while (nc < need) nc *= 2;
        char *ns = realloc(*s, nc);
        if (!ns) return SCIPIX_ENOMEM;
        *s = ns;
        *cap = nc;
    }
    if (space) (*s)[(*len)++] = ' ';
    memcpy(*s + *len, tok, tl);
    *len += tl;
    (*s)[*len] = '\0';
    return SCIPIX_OK;
}

int sp_result_build(const sp_result_symbol *syms, size_t n, scipix_result **out, scipix_error *err) {
    *out = NULL;
    scipix_result *r = calloc(1, sizeof *r);
    if (!r) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate a result");
    if (n) {
        r->symbols = calloc(n, sizeof *r->symbols);
        if (!r->symbols) {
            free(r);
            return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu result symbols", n);
        }
    }
    size_t len = 0, cap = 0;
    r->latex = NULL;
    double conf = 1.0;
    for (size_t i = 0; i < n; i++) {
        scipix_symbol *s = &r->symbols[i];
        s->latex = sp_strdup(syms[i].latex ? syms[i].latex : "");
        s->unicode = sp_strdup(syms[i].unicode ? syms[i].unicode : "");
        r->nsymbols = i + 1;
        if (!s->latex || !s->unicode ||
            sp_result_append_token(&r->latex, &len, &cap, s->latex) != SCIPIX_OK) {
            scipix_result_free(r);
            return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate the result strings");
        }
        s->confidence = syms[i].confidence;
        s->x = syms[i].x, s->y = syms[i].y, s->w = syms[i].w, s->h = syms[i].h;
        conf *= syms[i].confidence;
    }
    if (!r->latex) {
        r->latex = sp_strdup("");
        if (!r->latex) {
            scipix_result_free(r);
            return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate the result string");
        }
    }
    r->confidence = n ? (float)conf : 0.0f;
    *out = r;
    return SCIPIX_OK;
}

int sp_result_set_latex(scipix_result *r, const char *latex, float confidence) {
    char *d = sp_strdup(latex ? latex : "");
    if (!d) return SCIPIX_ENOMEM;
    free(r->latex);
    r->latex = d;
    r->confidence = confidence;
    return SCIPIX_OK;
}

const char *scipix_result_latex(const scipix_result *res) { return res ? res->latex : NULL; }

float scipix_result_confidence(const scipix_result *res) { return res ? res->confidence : 0.0f; }

size_t scipix_result_symbol_count(const scipix_result *res) { return res ? res->nsymbols : 0; }

const scipix_symbol *scipix_result_symbol(const scipix_result *res, size_t i) {
    return (res && i < res->nsymbols) ? &res->symbols[i] : NULL;
}

void scipix_result_free(scipix_result *res) {
    if (!res) return;
    for (size_t i = 0; i < res->nsymbols; i++) {
        free((char *)res->symbols[i].latex);
        free((char *)res->symbols[i].unicode);
    }
    free(res->symbols);
    free(res->latex);
    free(res);
}
