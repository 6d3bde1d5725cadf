/*
 * result.h — building a scipix_result (see result.c).
 */
#ifndef SP_ENGINE_RESULT_H
#define SP_ENGINE_RESULT_H

#include "scipix.h"

/* One recognized symbol as the engine hands it over; strings are copied. */
typedef struct sp_result_symbol {
    const char *latex;
    const char *unicode;
    float confidence;
    int x, y, w, h;
} sp_result_symbol;

/* Build a result from symbols already in reading order: copies the
 * strings, assembles the LaTeX string and the formula confidence. */
int sp_result_build(const sp_result_symbol *syms, size_t n, scipix_result **out, scipix_error *err);

/* Replace the result's LaTeX string and formula confidence (the layout
 * stage's, instead of the left-to-right assembly).  SCIPIX_OK or ENOMEM. */
int sp_result_set_latex(scipix_result *r, const char *latex, float confidence);

/* Append LaTeX token tok to the string s of length *len (capacity *cap),
 * with a space only where TeX needs one (after a control word, before a
 * letter).  Exposed for the tests. */
int sp_result_append_token(char **s, size_t *len, size_t *cap, const char *tok);

#endif
