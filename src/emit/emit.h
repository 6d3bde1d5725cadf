/*
 * emit.h — emitters: the math tree (tree/tree.h) written as LaTeX (styled
 * or simplified), Presentation MathML, AsciiMath, plain Unicode text, and
 * the Mathpix v3 result JSON.
 *
 * Every emitter appends to an sp_buf and returns SCIPIX_OK, or SCIPIX_ENOMEM
 * when the buffer could not grow, or SCIPIX_EINVAL for a malformed tree
 * (a NULL where a child is required).  They keep no state between calls and
 * may run on many threads at once.
 */
#ifndef SP_EMIT_EMIT_H
#define SP_EMIT_EMIT_H

#include "tree/tree.h"

/* LaTeX.  styled=1: the canonical form: every argument and script braced,
 * one spelling per symbol; parsing it back gives the same tree (the
 * round-trip guarantee for trees from the parser).  styled=0: minimal braces,
 * for people. */
int sp_latex_emit(const sp_node *root, int styled, sp_buf *out);

/* Presentation MathML: a complete <math> element, display="block" when
 * display is set. */
int sp_mathml_emit(const sp_node *root, int display, sp_buf *out);

/* AsciiMath. */
int sp_asciimath_emit(const sp_node *root, sp_buf *out);

/* Plain Unicode text: x², y₁, √x, ∑ …; where Unicode has no form (a
 * superscript letter q, a fraction), a readable ASCII-style fallback:
 * x^(n+1), (a+b)/(c). */
int sp_plain_emit(const sp_node *root, sp_buf *out);

/* Mathpix v3 result JSON. */
#define SP_MATHPIX_DATA_MATHML 0x01
#define SP_MATHPIX_DATA_ASCIIMATH 0x02
#define SP_MATHPIX_DATA_LATEX 0x04

typedef struct sp_mathpix_options {
    const char *open_delim;  /* put before the math in "text" (default "\\(") */
    const char *close_delim; /* after it (default "\\)") */
    unsigned data;           /* SP_MATHPIX_DATA_* formats to list in "data" */
    double confidence;       /* 0..1; 1 for converted LaTeX */
    int pretty;              /* indented JSON */
} sp_mathpix_options;

void sp_mathpix_options_init(sp_mathpix_options *o);
/* Appends one JSON object (no newline). */
int sp_mathpix_emit(const sp_node *root, const sp_mathpix_options *o, sp_buf *out);

#endif
