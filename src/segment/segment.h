/*
 * segment.h — from a binary ink mask to symbol candidates: connected
 * components, then grouping of the components that belong to one symbol
 * (the dot and stem of i and j, the bars of = and ≡, the < and bar of ≤,
 * the dots and bar of ÷, the dots of : and ⋮, the dot and comma of ;, the
 * stem and dot of !, the circles and slash of %).
 *
 * The stage is split in two so that each part can be tested and replaced
 * alone:
 *   sp_segment_components  image -> component boxes (Leptonica pixConnComp,
 *                          8-connectivity);
 *   sp_segment_group       component boxes -> groups (pure geometry, no
 *                          image: unit-testable with hand-made boxes).
 * Grouping is deliberately conservative: it joins only the stacked pieces
 * of the symbols listed above and leaves everything else — fraction bars and
 * their numerators, accents over letters, limits under Σ, scripts — as
 * separate symbols for the layout stage to interpret.
 *
 * The result is in no particular reading order; sp_segment_sort_reading
 * orders groups left to right (by left edge, then top) for the simple
 * string assembly that precedes the layout stage.
 *
 * All arrays are caller-owned and freed with free(); the functions keep no
 * state between calls and are safe to call from many threads.
 */
#ifndef SP_SEGMENT_H
#define SP_SEGMENT_H

#include "scipix.h"

#include <allheaders.h>
#include <stddef.h>

/* An axis-aligned box in image pixels: [x, x+w) x [y, y+h). */
typedef struct sp_box {
    int x, y, w, h;
} sp_box;

/* The smallest box holding a and b. */
static inline sp_box sp_box_union(const sp_box *a, const sp_box *b) {
    int x0 = a->x < b->x ? a->x : b->x, y0 = a->y < b->y ? a->y : b->y;
    int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
    int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
    return (sp_box){x0, y0, x1 - x0, y1 - y0};
}

/* How many columns a and b share (negative: the gap between them). */
static inline int sp_box_x_overlap(const sp_box *a, const sp_box *b) {
    return (a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w) - (a->x > b->x ? a->x : b->x);
}

/* One symbol candidate: the union box of its components. */
typedef struct sp_symbol_group {
    sp_box box;
    int ncomp; /* number of components joined (1 for most symbols) */
} sp_symbol_group;

/* Connected components (8-connected) of a 1-bit image, as boxes. */
int sp_segment_components(PIX *bin, sp_box **out, size_t *n, scipix_error *err);

/* Median height of boxes (0 when n == 0): the height of an ordinary symbol. */
float sp_segment_median_height(const sp_box *boxes, size_t n);

/* The classifier's reference height: the median height of the letters and
 * digits (is_letter[i] != 0), or of all boxes when fewer than
 * SP_SEGMENT_REF_MIN_LETTERS are letters.  Commas, dots, bars and tall
 * delimiters then do not move it: in "0,1,2,3,..." the plain median is a
 * comma's height, and a comma read at that scale looks like a "2".  The
 * engine takes is_letter from a first classification, the training tools
 * from the labels, so training and inference share the definition. */
#define SP_SEGMENT_REF_MIN_LETTERS 2
float sp_segment_reference_height(const sp_box *boxes, const unsigned char *is_letter, size_t n);

/* Group components into symbols.  *out receives ngroups groups.  Specks
 * smaller than 1/12 of the median component height in both directions are
 * dropped as noise (a real dot is about 1/5 of it). */
int sp_segment_group(const sp_box *comps, size_t n, sp_symbol_group **out, size_t *ngroups,
                     scipix_error *err);

/* A vertical cut of one symbol candidate into two (cut.c): column is the
 * first column of the right part; left and right are the tight boxes of
 * the ink on either side; thick: the bridge cut through is more than half
 * as tall as the box (see sp_segment_cut_candidates). */
typedef struct sp_cut {
    int column;
    sp_box left, right;
    int thick;
} sp_cut;

/* Up to max cuts of box b of the 1-bit image bin, through the columns with
 * the least ink first, none through a bridge over three fifths of the
 * box's height; each part keeps at least min_part columns.  With
 * n_ends given, up to two more follow (out holds max + 2; *n_ends says how
 * many): the two ends of the thinnest bridge when it is a horizontal
 * stroke, a run of three or more equally thin columns.  Returns the number
 * written (0: nowhere thin enough to cut). */
size_t sp_segment_cut_candidates(PIX *bin, const sp_box *b, int min_part, sp_cut *out, size_t max,
                                 size_t *n_ends);

/* Up to max horizontal cuts of box b through the rows of its upper part
 * with the least ink (an accent stuck on its letter): cut.column is the
 * first row of the lower part, cut.left the upper part, cut.right the
 * lower.  Only the ink of b's own component counts.  Returns the number. */
size_t sp_segment_accent_cuts(PIX *bin, const sp_box *b, int min_part, sp_cut *out, size_t max);

/* The horizontal cut of box b under its first `rows` rows, wherever it
 * falls (the caller judges the rows: a bar a pixel thin on its letter),
 * as sp_segment_accent_cuts writes one.  Returns 1, or 0 when a part
 * would hold no ink. */
int sp_segment_top_cut(PIX *bin, const sp_box *b, int rows, sp_cut *out);

/* The two pieces of a symbol of two components one over the other (a dot
 * accent that segmentation took for the dot of an i) in box b: the one
 * that alone reaches b's top in *upper, the largest that reaches its
 * bottom (and not its top) in *lower.  Returns 1, or 0 when there are no
 * such pieces or they lie side by side (the upper one ends below the
 * middle of the lower). */
int sp_segment_stacked_parts(PIX *bin, const sp_box *b, sp_box *upper, sp_box *lower);

/* A corner cut of one symbol candidate (cut.c): the ink right of column
 * and above row (upper) or at and below it (lower) is the corner, a
 * script stuck to its base's corner (E^2 joined at the arm) or a letter
 * under the overhang of the one before (the r under the bar of a T);
 * the rest is the other part.  Coordinates are the image's; rest and
 * corner are the tight boxes of the two parts' ink.  rest's box may cover
 * part of the corner: mask is that part (w = 0: none), which the rest is
 * to be read without. */
typedef struct sp_corner_cut {
    int column, row, upper;
    sp_box rest, corner, mask;
} sp_corner_cut;

/* Up to max corner cuts of box b (upper or lower corners), the fewest
 * ink pixels across the cut first, each distinct in its two parts; each
 * part at least min_part wide and tall, the corner not the full height
 * (a vertical cut covers that), sticking out past the rest's right edge
 * and reaching the rest's top (upper) or bottom (lower), as a glyph of
 * its own does and an arm or a serif does not.  Only b's own component
 * counts; blobs over SP_CUT_CORNER_MAX px a side get none. */
size_t sp_segment_corner_cuts(PIX *bin, const sp_box *b, int min_part, int upper, sp_corner_cut *out,
                              size_t max);

/* sp_segment_corner_cuts with the ink in mask (image coordinates; NULL:
 * none) left out: the other corner of a base with both scripts stuck,
 * once a corner cut has taken it (the rest's box still holds part of it).
 * A corner must stick out past the rest's right edge, or (short_px > 0)
 * fall short of it by fewer than short_px + 1 pixels: the rest still holds
 * the other script, about as far right. */
size_t sp_segment_corner_cuts_masked(PIX *bin, const sp_box *b, const sp_box *mask, int min_part, int upper,
                                     int short_px, sp_corner_cut *out, size_t max);

/* A seam cut of one symbol candidate (cut.c): one pixel per row, each at
 * most one column off the one above; x[y] is the first column (image
 * coordinates) of the right part in row top + y.  left and right are the
 * tight boxes of the ink on either side; they may overlap, and each part
 * is to be read without the other side's ink. */
#define SP_CUT_SEAM_MAX 128 /* blobs up to this many pixels a side */
typedef struct sp_seam_cut {
    int top, h;
    int x[SP_CUT_SEAM_MAX];
    sp_box left, right;
} sp_seam_cut;

/* Up to max seams through box b's own ink, the fewest ink pixels crossed
 * first, ending at least three columns apart, each part at least min_part
 * wide, each crossing less ink than every straight column (vertical cuts
 * cover the rest).  Returns the number written. */
size_t sp_segment_seam_cuts(PIX *bin, const sp_box *b, int min_part, sp_seam_cut *out, size_t max);

/* Middle parts of box b for three-glyph blobs: for each pair (left,
 * right) of cuts[0..k), in that loop order, whose columns lie at least
 * min_part apart, the part between them (b's own ink, as the cuts' parts
 * are made).  Writes up to max to out; returns the number written. */
typedef struct sp_cut_middle {
    size_t left, right; /* indices into cuts */
    sp_box box;
} sp_cut_middle;
size_t sp_segment_cut_middles(PIX *bin, const sp_box *b, const sp_cut *cuts, size_t k, int min_part,
                              sp_cut_middle *out, size_t max);

/* A fraction rule inside component box b that the numerator or the
 * denominator touches: writes the rule's box, then the boxes of the
 * pieces above and below it, to out (at most max, >= 3).  Returns how many
 * boxes it wrote (0: no such rule).  With edges, the rule may also be the
 * bottom rows of b (SP_RULE_EDGE_BOTTOM: a numerator stuck to its rule,
 * the denominator apart) or the top rows (SP_RULE_EDGE_TOP), provided it
 * reaches past the pieces on the other side. */
#define SP_RULE_EDGE_TOP 1
#define SP_RULE_EDGE_BOTTOM 2
#define SP_RULE_VINCULUM 4 /* with an edge: the band is a radical's vinculum over its radicand, which may
                               be as wide as it, and joined to it only outside b (through the hook) */
size_t sp_segment_rule_split(PIX *bin, const sp_box *b, int edges, sp_box *out, size_t max);

/* A dot-sized, roughly round box (the dot of i, a period), given the
 * ordinary symbol size ref. */
int sp_segment_is_dot(const sp_box *b, float ref);

/* Sort groups into reading order: left edge, then top edge. */
void sp_segment_sort_reading(sp_symbol_group *groups, size_t n);

#endif
