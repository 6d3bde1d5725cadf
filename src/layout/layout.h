/*
 * layout.h — formula layout analysis: recognized symbols with boxes → the
 * math tree (tree/tree.h).
 *
 * The input is what the classifier says about each glyph (its class's
 * canonical LaTeX, e.g. "x", "\\mathbb{R}", "\\Big(", "\\frac" for a
 * horizontal rule, "\\sqrt" for a radical sign, "\\hat" for an accent) and
 * the glyph's box in image pixels.  The output is a ROW node built with the
 * tree constructors, ready for any emitter (sp_latex_emit …).
 *
 * The analysis is the classical recursive one for printed math (see
 * layout.c): dominant symbols first (function words, fraction rules,
 * radicals, big operators with limits, accents, delimited matrices) turn
 * parts of the region into composite units, then a baseline pass assigns
 * superscripts and subscripts by vertical position relative to the base,
 * using each glyph's class to know whether it is an x-height, ascending or
 * descending glyph.  Recursion depth and work are bounded, so any input
 * (garbage boxes included) yields a tree or an error, never a crash.
 *
 * Nothing here keeps state between calls; safe on many threads at once.
 */
#ifndef SP_LAYOUT_H
#define SP_LAYOUT_H

#include "scipix.h"
#include "tree/tree.h"

#include <stddef.h>

/* Alternatives kept per symbol (the classifier's next-best classes). */
#define SP_LAYOUT_MAX_ALTS 4

/* One recognized symbol: box in pixels (y grows downwards) and its class.
 * The alternatives are optional (initializers that stop after prob leave
 * them empty): the classifier sees a glyph without its surroundings, so it
 * confuses shapes that differ only in where they sit — "." and \cdot, ","
 * and \prime, o and \circ, x and \times, | and l.  Once the baseline is
 * known the layout picks, among latex and these, the class whose usual
 * place on the line fits the box clearly better (see layout.c). */
typedef struct sp_layout_symbol {
    int x, y, w, h;
    const char *latex; /* class LaTeX as in tools/gen/inventory.tsv; NULL or "" is skipped */
    float prob;        /* classifier probability of that class, 0..1 */
    const char *alt[SP_LAYOUT_MAX_ALTS]; /* next-best classes, best first; NULL ends the list */
    float alt_prob[SP_LAYOUT_MAX_ALTS];  /* their probabilities */
} sp_layout_symbol;

/* More symbols than this are laid out as one flat row (bounded work). */
#define SP_LAYOUT_MAX_SYMBOLS 4000
/* Deeper nesting than this is laid out flat. */
#define SP_LAYOUT_MAX_DEPTH 48

/* Builds the tree of syms[0..n) in t.  On success *root is a ROW (also set
 * as t->root) and *confidence (if not NULL) an estimate in 0..1 that the
 * whole formula is right: the product of the symbol probabilities times a
 * factor for each layout decision taken close to its threshold.  Returns
 * SCIPIX_OK, SCIPIX_EINVAL (NULL arguments) or SCIPIX_ENOMEM. */
int sp_layout_build(sp_tree *t, const sp_layout_symbol *syms, size_t n, sp_node **root,
                    float *confidence, scipix_error *err);

/* Flags of sp_layout_build_ex. */
#define SP_LAYOUT_JOIN_LINES 1u /* lines of the image are one wrapped formula: join them into one row
                                   (default: an array with one column) */

/* sp_layout_build with flags (sp_layout_build: flags 0). */
int sp_layout_build_ex(sp_tree *t, const sp_layout_symbol *syms, size_t n, unsigned flags, sp_node **root,
                       float *confidence, scipix_error *err);

/* The Latin letter a class draws ('x' for "x", "\\mathrm{x}", "\\mathbf{x}",
 * ...) with its alphabet in *v, or 0 (and *v SP_VAR_NONE) for anything else. */
char sp_layout_letter(const char *latex, sp_variant *v);

/* Is the class drawn at x-height (a c e m n … α ε ω)?  The touching
 * split asks: a blob read as one but much taller holds more than one glyph. */
int sp_layout_x_height_class(const char *latex);

/* The i-th function name the layout spells from letters ("sin", "lim",
 * ...), or NULL past the end.  The touching-glyph split reads these too. */
const char *sp_layout_function_name(size_t i);

/* The tree of one class's LaTeX on its own ("\\mathbb{R}" → a blackboard
 * R symbol, "\\big(" → a sized parenthesis); NULL if it cannot be made.
 * Exposed for the tests and the engine. */
sp_node *sp_layout_class_node(sp_tree *t, const char *latex);

#endif
