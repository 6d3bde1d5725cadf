/*
 * cut.c — where a connected component might be two glyphs touching.
 *
 * Below about 150 dpi neighbouring glyphs often share a pixel or two
 * (antialiasing, heavy strokes): "dt", a subscript under the last stroke
 * of m, "2π".  Such a component comes out of connected components as one
 * symbol.  This file proposes where to cut it; whether a cut is right is
 * decided by recognition (src/engine/touching.c): a cut is kept when the
 * two halves are recognized better than the whole.
 *
 * Cuts are vertical lines through the columns where the component has the
 * least ink: touching glyphs meet at a thin bridge, while a glyph's own
 * thin places (the join of the two arcs of m) are rarer and are rejected
 * by the recognizer.  Heavy glyphs at 100 dpi may press together along
 * more than half their height ("co"); a bridge up to three fifths of it
 * is cut too, the cut marked thick (its slivers are no dots).  Every part keeps at least min_part columns, so that
 * no cut shaves a serif off a glyph.  When the thinnest bridge is a
 * horizontal stroke, several columns inked alike (an "=" stuck to the 0
 * after it), a cut in its middle maims both glyphs: its two ends are
 * proposed as well.
 */
#include "segment/segment.h"

#include <stdlib.h>
#include <string.h>

static int sp_cut_ink(l_uint32 *data, l_int32 wpl, int x, int y) {
    return GET_DATA_BIT(data + (size_t)y * wpl, x) != 0;
}

/* Tight box of the ink of columns [x0, x1) and rows [y0, y1); 0 if none. */
static int sp_cut_tight(l_uint32 *data, l_int32 wpl, int x0, int x1, int y0, int y1, sp_box *out) {
    int bx0 = x1, bx1 = x0 - 1, by0 = y1, by1 = y0 - 1;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (sp_cut_ink(data, wpl, x, y)) {
                if (x < bx0) bx0 = x;
                if (x > bx1) bx1 = x;
                if (y < by0) by0 = y;
                if (y > by1) by1 = y;
            }
    if (bx1 < bx0) return 0;
    *out = (sp_box){bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1};
    return 1;
}

/* Tight box of the part [x0, x1) x [y0, y1) of a cut component, leaving
 * out slivers: pieces of the neighbour that the straight cut left on this
 * side, i.e. 8-connected pieces of ink (within the part) that touch a cut
 * edge (cut_left: column x0, cut_right: column x1 - 1) and hold at most
 * an eighth of the part's ink (3 pixels at least).  The curled top of a
 * "(" that reaches over the "p" it touches would otherwise make the p's
 * part as tall as the parenthesis.  0 if the part holds no ink. */
static int sp_cut_part_box(l_uint32 *data, l_int32 wpl, int x0, int x1, int y0, int y1, int cut_left,
                           int cut_right, sp_box *out) {
    int w = x1 - x0, h = y1 - y0;
    if (w <= 0 || h <= 0) return 0;
    int *label = calloc((size_t)w * (size_t)h, sizeof *label);
    int *stack = malloc((size_t)w * (size_t)h * sizeof *stack);
    if (!label || !stack) { /* no scratch: the plain tight box */
        free(label);
        free(stack);
        return sp_cut_tight(data, wpl, x0, x1, y0, y1, out);
    }
    int total = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) total += sp_cut_ink(data, wpl, x0 + x, y0 + y);
    int sliver_max = total / 8 > 3 ? total / 8 : 3;
    int bx0 = w, bx1 = -1, by0 = h, by1 = -1;
    for (int start = 0; start < w * h; start++) {
        if (label[start] || !sp_cut_ink(data, wpl, x0 + start % w, y0 + start / w)) continue;
        /* flood one piece, then keep its extent unless it is a sliver */
        int top = 0, n = 0, edge = 0, px0 = w, px1 = -1, py0 = h, py1 = -1;
        label[start] = 1;
        stack[top++] = start;
        while (top) {
            int i = stack[--top], x = i % w, y = i / w;
            n++;
            edge |= (cut_left && x == 0) || (cut_right && x == w - 1);
            if (x < px0) px0 = x;
            if (x > px1) px1 = x;
            if (y < py0) py0 = y;
            if (y > py1) py1 = y;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h || label[ny * w + nx]) continue;
                    if (!sp_cut_ink(data, wpl, x0 + nx, y0 + ny)) continue;
                    label[ny * w + nx] = 1;
                    stack[top++] = ny * w + nx;
                }
        }
        if (edge && n <= sliver_max && n < total) continue;
        if (px0 < bx0) bx0 = px0;
        if (px1 > bx1) bx1 = px1;
        if (py0 < by0) by0 = py0;
        if (py1 > by1) by1 = py1;
    }
    free(label);
    free(stack);
    if (bx1 < 0) return sp_cut_tight(data, wpl, x0, x1, y0, y1, out);
    *out = (sp_box){x0 + bx0, y0 + by0, bx1 - bx0 + 1, by1 - by0 + 1};
    return 1;
}

/* The 8-connected components of box b of bin, their boxes in b's
 * coordinates (NULL on failure); *sub gets the clipped box and *pixa the
 * components' images, when asked for (the caller destroys them). */
static BOXA *sp_cut_components(PIX *bin, const sp_box *b, PIX **sub, PIXA **pixa) {
    BOX *clip = boxCreate(b->x, b->y, b->w, b->h);
    PIX *part = clip ? pixClipRectangle(bin, clip, NULL) : NULL;
    boxDestroy(&clip);
    BOXA *comps = part ? pixConnComp(part, pixa, 8) : NULL;
    if (sub) *sub = part;
    else pixDestroy(&part);
    return comps;
}

/* The ink of box b of bin that belongs to the component spanning the
 * whole box (its own glyph: a radicand under a radical, a subscript tucked
 * under a wide blob are other components inside the box), as a b->w x
 * b->h image.  Without such a component (a stem and its dot): all the ink
 * of the box, or NULL when require is set.  NULL on failure. */
static PIX *sp_cut_own(PIX *bin, const sp_box *b, int require) {
    PIX *sub = NULL;
    PIXA *pixa = NULL;
    BOXA *comps = sp_cut_components(bin, b, &sub, &pixa);
    if (!sub) return NULL;
    PIX *own = NULL;
    for (l_int32 i = 0; comps && i < boxaGetCount(comps); i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(comps, i, &x, &y, &w, &h);
        if (w == b->w && h == b->h) {
            own = pixaGetPix(pixa, i, L_COPY);
            break;
        }
    }
    boxaDestroy(&comps);
    pixaDestroy(&pixa);
    if (own || require) {
        pixDestroy(&sub);
        return own;
    }
    return sub;
}

static sp_box sp_cut_shift(sp_box r, const sp_box *b) {
    r.x += b->x;
    r.y += b->y;
    return r;
}

/* A 1-bit image and a non-empty box inside it. */
static int sp_cut_box_ok(PIX *bin, const sp_box *b) {
    if (!bin || !b || pixGetDepth(bin) != 1) return 0;
    int W = (int)pixGetWidth(bin), H = (int)pixGetHeight(bin);
    return b->x >= 0 && b->y >= 0 && b->w > 0 && b->h > 0 && b->x + b->w <= W && b->y + b->h <= H;
}

/* The ink pixels of column c of an h-row image. */
static int sp_cut_column_ink(l_uint32 *data, l_int32 wpl, int c, int h) {
    int k = 0;
    for (int y = 0; y < h; y++) k += sp_cut_ink(data, wpl, c, y);
    return k;
}

/* Whether columns c1 and c2 of an h-row image hold ink in the same rows. */
static int sp_cut_same_columns(l_uint32 *data, l_int32 wpl, int h, int c1, int c2) {
    for (int y = 0; y < h; y++)
        if (sp_cut_ink(data, wpl, c1, y) != sp_cut_ink(data, wpl, c2, y)) return 0;
    return 1;
}

/* The cut at column c of box b (own ink `data`), in image coordinates;
 * 0 if a side holds no ink. */
static int sp_cut_at(l_uint32 *data, l_int32 wpl, const sp_box *b, int c, sp_cut *out) {
    sp_cut cut = {b->x + c, {0, 0, 0, 0}, {0, 0, 0, 0}, 0};
    if (!sp_cut_part_box(data, wpl, 0, c, 0, b->h, 0, 1, &cut.left)) return 0;
    if (!sp_cut_part_box(data, wpl, c, b->w, 0, b->h, 1, 0, &cut.right)) return 0;
    cut.left = sp_cut_shift(cut.left, b);
    cut.right = sp_cut_shift(cut.right, b);
    *out = cut;
    return 1;
}

/* The cut of box b (own ink `data`) under its first r rows, in image
 * coordinates (cut.column is the row); 0 if a side holds no ink. */
static int sp_cut_rows_at(l_uint32 *data, l_int32 wpl, const sp_box *b, int r, sp_cut *out) {
    sp_cut cut = {b->y + r, {0, 0, 0, 0}, {0, 0, 0, 0}, 0};
    if (!sp_cut_tight(data, wpl, 0, b->w, 0, r, &cut.left)) return 0;
    if (!sp_cut_tight(data, wpl, 0, b->w, r, b->h, &cut.right)) return 0;
    cut.left = sp_cut_shift(cut.left, b);
    cut.right = sp_cut_shift(cut.right, b);
    *out = cut;
    return 1;
}

size_t sp_segment_cut_candidates(PIX *bin, const sp_box *b, int min_part, sp_cut *out, size_t max,
                                 size_t *n_ends) {
    if (n_ends) *n_ends = 0;
    if (!sp_cut_box_ok(bin, b) || !out || max == 0) return 0;
    if (min_part < 1) min_part = 1;
    /* in the box's own coordinates from here: column c of the box */
    int lo = min_part, hi = b->w - min_part; /* cut column c: left [0, c), right [c, w) */
    if (hi < lo) return 0;
    PIX *own = sp_cut_own(bin, b, 0);
    int n = hi - lo + 1;
    int *ink = own ? malloc((size_t)n * sizeof *ink) : NULL;
    if (!ink) {
        pixDestroy(&own);
        return 0;
    }
    l_uint32 *data = pixGetData(own);
    l_int32 wpl = pixGetWpl(own);
    /* ink per column, then the emptiest columns first; ties go to the one
     * nearer the middle (two glyphs of one size meet near it). */
    for (int c = lo; c <= hi; c++) ink[c - lo] = sp_cut_column_ink(data, wpl, c, b->h);
    size_t got = 0;
    int mid2 = b->w, end_at[2] = {-1, -1};
    while (got < max) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (ink[i] < 0) continue;
            if (best < 0 || ink[i] < ink[best] ||
                (ink[i] == ink[best] && abs(2 * (lo + i) - mid2) < abs(2 * (lo + best) - mid2)))
                best = i;
        }
        if (best < 0) break;
        /* a bridge over three fifths of the component's height is a
         * stroke; one over half of it is as often two heavy glyphs pressed
         * together ("co" at 100 dpi meet along four of seven rows): such a
         * cut is marked thick */
        int k = ink[best];
        if (5 * k > 3 * b->h) break;
        /* the thinnest bridge, when it is a run of three or more columns
         * inked alike, is a horizontal stroke (the bars of an "=" stuck to
         * the 0 after it; a slanted one shifts from column to column): cut
         * in its middle it leaves both glyphs maimed, so its ends are
         * tried too (after the other cuts) */
        if (n_ends && got == 0) {
            int r0 = best, r1 = best;
            while (r0 > 0 && sp_cut_same_columns(data, wpl, b->h, lo + r0 - 1, lo + r0)) r0--;
            while (r1 + 1 < n && sp_cut_same_columns(data, wpl, b->h, lo + r1, lo + r1 + 1)) r1++;
            if (r1 - r0 >= 2) end_at[0] = lo + r1 + 1, end_at[1] = lo + r0;
        }
        /* the column and its neighbours are one bridge: not tried again */
        for (int i = best - 1; i <= best + 1; i++)
            if (i >= 0 && i < n) ink[i] = -1;
        if (sp_cut_at(data, wpl, b, lo + best, &out[got])) out[got].thick = 2 * k > b->h, got++;
    }
    for (int j = 0; j < 2; j++)
        if (end_at[j] >= lo && end_at[j] <= hi && sp_cut_at(data, wpl, b, end_at[j], &out[got])) got++, ++*n_ends;
    free(ink);
    pixDestroy(&own);
    return got;
}

size_t sp_segment_accent_cuts(PIX *bin, const sp_box *b, int min_part, sp_cut *out, size_t max) {
    if (!sp_cut_box_ok(bin, b) || !out || max == 0) return 0;
    if (min_part < 1) min_part = 1;
    int lo = min_part, hi = b->h / 2; /* row r: upper [0, r), lower [r, h); an accent is the smaller part */
    if (hi < lo) return 0;
    PIX *own = sp_cut_own(bin, b, 1);
    if (!own) return 0;
    l_uint32 *data = pixGetData(own);
    l_int32 wpl = pixGetWpl(own);
    int ink[64], n = hi - lo + 1 < 64 ? hi - lo + 1 : 64;
    for (int i = 0; i < n; i++) {
        int k = 0;
        for (int x = 0; x < b->w; x++) k += sp_cut_ink(data, wpl, x, lo + i);
        ink[i] = k;
    }
    size_t got = 0;
    while (got < max) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (ink[i] >= 0 && (best < 0 || ink[i] < ink[best])) best = i;
        /* a neck: a few pixels across, not a stroke */
        if (best < 0 || 3 * ink[best] > b->w) break;
        for (int i = best - 1; i <= best + 1; i++)
            if (i >= 0 && i < n) ink[i] = -1;
        if (sp_cut_rows_at(data, wpl, b, lo + best, &out[got])) got++;
    }
    pixDestroy(&own);
    return got;
}

int sp_segment_top_cut(PIX *bin, const sp_box *b, int rows, sp_cut *out) {
    if (!sp_cut_box_ok(bin, b) || !out || rows < 1 || rows >= b->h) return 0;
    PIX *own = sp_cut_own(bin, b, 0);
    if (!own) return 0;
    int ok = sp_cut_rows_at(pixGetData(own), pixGetWpl(own), b, rows, out);
    pixDestroy(&own);
    return ok;
}

int sp_segment_stacked_parts(PIX *bin, const sp_box *b, sp_box *upper, sp_box *lower) {
    if (!sp_cut_box_ok(bin, b) || !upper || !lower) return 0;
    BOXA *comps = sp_cut_components(bin, b, NULL, NULL);
    /* the upper piece reaches the box's top, the lower its bottom (the
     * largest such: a neighbour may reach into the box) */
    int up = -1, lo = -1, lo_area = 0, n_top = 0;
    for (l_int32 i = 0; comps && i < boxaGetCount(comps); i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(comps, i, &x, &y, &w, &h);
        if (y == 0 && y + h < b->h) up = i, n_top++;
        if (y + h == b->h && y > 0 && w * h > lo_area) lo = i, lo_area = w * h;
    }
    int ok = up >= 0 && lo >= 0 && n_top == 1;
    if (ok) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(comps, up, &x, &y, &w, &h);
        *upper = (sp_box){b->x + x, b->y + y, w, h};
        boxaGetBoxGeometry(comps, lo, &x, &y, &w, &h);
        *lower = (sp_box){b->x + x, b->y + y, w, h};
        ok = upper->y + upper->h <= lower->y + (lower->h + 1) / 2;
    }
    boxaDestroy(&comps);
    return ok;
}

/* ---- seam cuts ---------------------------------------------------------- */

/* Two glyphs side by side that touch along a bent line (the bowl of a d
 * against a blurred θ at 100 dpi) leave no thin column: every column
 * crosses one glyph or the other.  A seam, one pixel per row, each at most
 * one column off the one above, can still pass between them along the gap
 * that bends with their outlines.  The seam through the fewest ink pixels
 * (moves break ties: the straightest) is found by dynamic programming over
 * the rows; it is proposed when it crosses less ink than every straight
 * column, which the vertical cuts try. */
size_t sp_segment_seam_cuts(PIX *bin, const sp_box *b, int min_part, sp_seam_cut *out, size_t max) {
    if (!sp_cut_box_ok(bin, b) || !out || max == 0) return 0;
    if (min_part < 1) min_part = 1;
    int w = b->w, h = b->h, lo = min_part, hi = b->w - min_part;
    if (hi < lo || h > SP_CUT_SEAM_MAX || w > SP_CUT_SEAM_MAX) return 0;
    int n = hi - lo + 1;
    PIX *own = sp_cut_own(bin, b, 0);
    int *cost = own ? malloc((size_t)2 * (size_t)n * sizeof *cost) : NULL;
    signed char *step = cost ? malloc((size_t)h * (size_t)n) : NULL; /* column offset to the row above */
    size_t got = 0;
    if (!step) goto done;
    l_uint32 *data = pixGetData(own);
    l_int32 wpl = pixGetWpl(own);
    int straight = h + 1; /* the least ink of a straight column */
    for (int c = lo; c <= hi; c++) {
        int k = sp_cut_column_ink(data, wpl, c, h);
        if (k < straight) straight = k;
    }
    /* cost = 2 h * ink + moves: ink first, then the straightest */
    int *prev = cost, *cur = cost + n;
    for (int i = 0; i < n; i++) prev[i] = 2 * h * sp_cut_ink(data, wpl, lo + i, 0), step[i] = 0;
    for (int y = 1; y < h; y++) {
        for (int i = 0; i < n; i++) {
            int best = prev[i], from = 0;
            if (i > 0 && prev[i - 1] + 1 < best) best = prev[i - 1] + 1, from = -1;
            if (i + 1 < n && prev[i + 1] + 1 < best) best = prev[i + 1] + 1, from = 1;
            cur[i] = best + 2 * h * sp_cut_ink(data, wpl, lo + i, y);
            step[(size_t)y * (size_t)n + (size_t)i] = (signed char)from;
        }
        int *t = prev;
        prev = cur, cur = t;
    }
    /* the cheapest seams by where they end, ends at least three columns
     * apart, each through less ink than any straight column */
    while (got < max) {
        int end = -1;
        for (int i = 0; i < n; i++)
            if (prev[i] >= 0 && (end < 0 || prev[i] < prev[end])) end = i;
        if (end < 0 || prev[end] / (2 * h) >= straight) break;
        for (int i = end - 2; i <= end + 2; i++)
            if (i >= 0 && i < n) prev[i] = -1;
        sp_seam_cut *sc = &out[got];
        sc->top = b->y;
        sc->h = h;
        for (int y = h - 1, i = end; y >= 0; y--) {
            sc->x[y] = b->x + lo + i;
            i += step[(size_t)y * (size_t)n + (size_t)i];
        }
        /* the parts: the own ink left of the seam, and at or right of it */
        int lx0 = w, lx1 = -1, ly0 = h, ly1 = -1, rx0 = w, rx1 = -1, ry0 = h, ry1 = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (!sp_cut_ink(data, wpl, x, y)) continue;
                if (b->x + x < sc->x[y]) {
                    lx0 = x < lx0 ? x : lx0, lx1 = x > lx1 ? x : lx1, ly0 = y < ly0 ? y : ly0, ly1 = y;
                } else {
                    rx0 = x < rx0 ? x : rx0, rx1 = x > rx1 ? x : rx1, ry0 = y < ry0 ? y : ry0, ry1 = y;
                }
            }
        if (lx1 - lx0 + 1 < min_part || rx1 - rx0 + 1 < min_part) continue;
        sc->left = sp_cut_shift((sp_box){lx0, ly0, lx1 - lx0 + 1, ly1 - ly0 + 1}, b);
        sc->right = sp_cut_shift((sp_box){rx0, ry0, rx1 - rx0 + 1, ry1 - ry0 + 1}, b);
        got++;
    }
done:
    free(cost);
    free(step);
    pixDestroy(&own);
    return got;
}

/* ---- corner cuts -------------------------------------------------------- */

/* Corner cuts are searched over every column and row of the blob, so only
 * blobs up to this size (pixels, each side) are tried: two glyphs touching
 * at 400 dpi are well under it. */
#define SP_CUT_CORNER_MAX 192

/* Is (x, y) in the corner of column c and row r?  Upper: x >= c, y < r;
 * lower: x >= c, y >= r. */
static int sp_cut_in_corner(int x, int y, int c, int r, int upper) {
    return x >= c && (upper ? y < r : y >= r);
}

/* Prefix counts of a w x h ink image, so that the tight box of any
 * rectangle costs O(w + h): row[y * (w + 1) + x] is the ink of row y left
 * of x, col[x * (h + 1) + y] the ink of column x above y. */
typedef struct sp_cut_prefix {
    int w, h;
    int *row, *col;
} sp_cut_prefix;

static int sp_cut_prefix_init(sp_cut_prefix *p, l_uint32 *data, l_int32 wpl, int w, int h) {
    p->w = w, p->h = h;
    p->row = malloc((size_t)h * (size_t)(w + 1) * sizeof *p->row);
    p->col = malloc((size_t)w * (size_t)(h + 1) * sizeof *p->col);
    if (!p->row || !p->col) return 0;
    for (int y = 0; y < h; y++) p->row[(size_t)y * (w + 1)] = 0;
    for (int x = 0; x < w; x++) p->col[(size_t)x * (h + 1)] = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int ink = sp_cut_ink(data, wpl, x, y);
            p->row[(size_t)y * (w + 1) + x + 1] = p->row[(size_t)y * (w + 1) + x] + ink;
            p->col[(size_t)x * (h + 1) + y + 1] = p->col[(size_t)x * (h + 1) + y] + ink;
        }
    return 1;
}

/* Tight box of the ink of [x0, x1) x [y0, y1); 0 if none. */
static int sp_cut_prefix_tight(const sp_cut_prefix *p, int x0, int x1, int y0, int y1, sp_box *out) {
    int by0 = -1, by1 = -1, bx0 = -1, bx1 = -1;
    for (int y = y0; y < y1; y++)
        if (p->row[(size_t)y * (p->w + 1) + x1] > p->row[(size_t)y * (p->w + 1) + x0]) {
            if (by0 < 0) by0 = y;
            by1 = y;
        }
    if (by0 < 0) return 0;
    for (int x = x0; x < x1; x++)
        if (p->col[(size_t)x * (p->h + 1) + y1] > p->col[(size_t)x * (p->h + 1) + y0]) {
            if (bx0 < 0) bx0 = x;
            bx1 = x;
        }
    *out = (sp_box){bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1};
    return 1;
}

/* Does ink pixel (x, y) of the corner (c, r) touch ink outside it? */
static int sp_cut_touches_out(l_uint32 *data, l_int32 wpl, int w, int h, int x, int y, int c, int r, int upper) {
    if (!sp_cut_ink(data, wpl, x, y)) return 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx, ny = y + dy;
            if (nx >= 0 && ny >= 0 && nx < w && ny < h && !sp_cut_in_corner(nx, ny, c, r, upper) &&
                sp_cut_ink(data, wpl, nx, ny))
                return 1;
        }
    return 0;
}

/* Ink pixels of the corner (c, r) with an 8-neighbour of ink outside it:
 * how thick the bridge the cut goes through is.  Only the corner's left
 * column and its edge row can touch the rest. */
static int sp_cut_corner_crossing(l_uint32 *data, l_int32 wpl, int w, int h, int c, int r, int upper) {
    int n = 0, y0 = upper ? 0 : r, y1 = upper ? r : h, edge = upper ? r - 1 : r;
    for (int y = y0; y < y1; y++) n += sp_cut_touches_out(data, wpl, w, h, c, y, c, r, upper);
    for (int x = c + 1; x < w; x++) n += sp_cut_touches_out(data, wpl, w, h, x, edge, c, r, upper);
    return n;
}

static int sp_box_same(const sp_box *a, const sp_box *b) {
    return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

/* The two parts of corner (c, r), in the box's coordinates: 0 if either
 * has no ink.  left is the tight box of the ink left of column c (ha: it
 * has any), the same for every row. */
static int sp_cut_corner_parts(const sp_cut_prefix *p, int c, int r, int upper, const sp_box *left, int ha,
                               sp_box *rest, sp_box *corner) {
    int w = p->w, h = p->h;
    sp_box a = *left, z;
    int hz = upper ? sp_cut_prefix_tight(p, c, w, r, h, &z) : sp_cut_prefix_tight(p, c, w, 0, r, &z);
    if (!ha && !hz) return 0;
    *rest = ha && hz ? sp_box_union(&a, &z) : ha ? a : z;
    return upper ? sp_cut_prefix_tight(p, c, w, 0, r, corner) : sp_cut_prefix_tight(p, c, w, r, h, corner);
}

/* Keeps cut (crossing k) among the best *got of out[0..max), sorted by
 * crossing: the same two parts found from another (c, r) are kept once,
 * with the thinner crossing. */
static void sp_cut_corner_keep(sp_corner_cut *out, int *cross, size_t *got, size_t max, const sp_corner_cut *cut,
                               int k) {
    size_t n = *got, dup = n;
    for (size_t j = 0; j < n && dup == n; j++)
        if (sp_box_same(&out[j].corner, &cut->corner) && sp_box_same(&out[j].rest, &cut->rest)) dup = j;
    if (dup < n) {
        if (k >= cross[dup]) return;
        memmove(out + dup, out + dup + 1, (n - dup - 1) * sizeof *out);
        memmove(cross + dup, cross + dup + 1, (n - dup - 1) * sizeof *cross);
        n--;
    }
    size_t at = n < max ? n : max - 1;
    while (at > 0 && cross[at - 1] > k) {
        if (at < max) out[at] = out[at - 1], cross[at] = cross[at - 1];
        at--;
    }
    out[at] = *cut, cross[at] = k;
    *got = n < max ? n + 1 : n;
}

size_t sp_segment_corner_cuts(PIX *bin, const sp_box *b, int min_part, int upper, sp_corner_cut *out,
                              size_t max) {
    return sp_segment_corner_cuts_masked(bin, b, NULL, min_part, upper, 0, out, max);
}

size_t sp_segment_corner_cuts_masked(PIX *bin, const sp_box *b, const sp_box *mask, int min_part, int upper,
                                     int short_px, sp_corner_cut *out, size_t max) {
    if (!sp_cut_box_ok(bin, b) || !out || max == 0) return 0;
    if (min_part < 1) min_part = 1;
    int w = b->w, h = b->h;
    if (w < 2 * min_part || h < 2 * min_part || w > SP_CUT_CORNER_MAX || h > SP_CUT_CORNER_MAX) return 0;
    PIX *own = sp_cut_own(bin, b, 0);
    if (!own) return 0;
    if (mask && mask->w > 0 && mask->h > 0) {
        BOX *m = boxCreate(mask->x - b->x, mask->y - b->y, mask->w, mask->h);
        if (m) pixClearInRect(own, m);
        boxDestroy(&m);
    }
    l_uint32 *data = pixGetData(own);
    l_int32 wpl = pixGetWpl(own);
    sp_cut_prefix pre;
    if (!sp_cut_prefix_init(&pre, data, wpl, w, h)) {
        free(pre.row), free(pre.col);
        pixDestroy(&own);
        return 0;
    }
    /* the best max by crossing, kept sorted; a bridge is thinner than a
     * third of the blob's height (a stroke is not) */
    size_t got = 0;
    int cross[8], limit = h / 3 > 1 ? h / 3 : 1;
    if (max > 8) max = 8;
    for (int c = 1; c < w; c++) { /* the parts' own sizes are checked below */
        sp_box left = {0, 0, 0, 0};
        int ha = sp_cut_prefix_tight(&pre, 0, c, 0, h, &left);
        for (int r = 1; r < h; r++) {
            int k = sp_cut_corner_crossing(data, wpl, w, h, c, r, upper);
            if (k == 0 || k > limit || (got == max && k >= cross[got - 1])) continue;
            sp_corner_cut cut = {b->x + c, b->y + r, upper, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
            if (!sp_cut_corner_parts(&pre, c, r, upper, &left, ha, &cut.rest, &cut.corner)) continue;
            if (cut.corner.w < min_part || cut.corner.h < min_part || cut.rest.w < min_part ||
                cut.rest.h < min_part || cut.corner.h * 10 >= h * 9)
                continue;
            /* a glyph of its own sticks out past the rest's right edge and
             * reaches the rest's top (a script) or bottom (under an
             * overhang); an arm or serif of one glyph does neither */
            if (cut.corner.x + cut.corner.w + short_px <= cut.rest.x + cut.rest.w ||
                (upper ? (cut.corner.y - cut.rest.y) * 5 > cut.rest.h
                       : (cut.rest.y + cut.rest.h - cut.corner.y - cut.corner.h) * 5 > cut.rest.h))
                continue;
            cut.rest = sp_cut_shift(cut.rest, b);
            cut.corner = sp_cut_shift(cut.corner, b);
            const sp_box *rb = &cut.rest;
            int my0 = upper ? rb->y : cut.row, my1 = upper ? cut.row : rb->y + rb->h;
            if (cut.column < rb->x + rb->w && my0 < my1)
                cut.mask = (sp_box){cut.column, my0, rb->x + rb->w - cut.column, my1 - my0};
            sp_cut_corner_keep(out, cross, &got, max, &cut, k);
        }
    }
    free(pre.row), free(pre.col);
    pixDestroy(&own);
    return got;
}

size_t sp_segment_cut_middles(PIX *bin, const sp_box *b, const sp_cut *cuts, size_t k, int min_part,
                              sp_cut_middle *out, size_t max) {
    if (!sp_cut_box_ok(bin, b) || !cuts || !out || max == 0) return 0;
    PIX *own = sp_cut_own(bin, b, 0); /* once for all pairs */
    if (!own) return 0;
    size_t got = 0;
    for (size_t l = 0; l < k && got < max; l++)
        for (size_t r = 0; r < k && got < max; r++) {
            int x0 = cuts[l].column, x1 = cuts[r].column;
            if (x1 - x0 < min_part) continue;
            if (x0 < b->x) x0 = b->x;
            if (x1 > b->x + b->w) x1 = b->x + b->w;
            sp_box m;
            if (x1 <= x0 || !sp_cut_part_box(pixGetData(own), pixGetWpl(own), x0 - b->x, x1 - b->x, 0, b->h,
                                             x0 > b->x, x1 < b->x + b->w, &m))
                continue;
            out[got++] = (sp_cut_middle){l, r, sp_cut_shift(m, b)};
        }
    pixDestroy(&own);
    return got;
}

/* Does a row of [y0, y1) hold one unbroken run of ink across the width
 * (but a pixel at either end)?  A rule does; the serifs along the bottom of
 * an upright m, nearly as wide, have gaps between them. */
static int sp_cut_solid_row(l_uint32 *data, l_int32 wpl, int w, int y0, int y1) {
    for (int y = y0; y < y1; y++) {
        int run = 0, best = 0;
        for (int x = 0; x < w; x++) {
            run = sp_cut_ink(data, wpl, x, y) ? run + 1 : 0;
            if (run > best) best = run;
        }
        if (best >= w - 2) return 1;
    }
    return 0;
}

/* ---- a fraction rule that touches what is above or below it ------------ */

/* Heavy strokes make a fraction's numerator or denominator touch its rule,
 * and then the whole fraction is one component.  Its mark: a band of rows
 * inked across (nearly) the whole width, thin against the component, with
 * ink both above and below.  Removing the band splits the rest into its
 * real components.  Glyphs with a full-width bar inside (+, θ, ⊕) have the
 * same mark, which is why the engine only keeps the split when the
 * classifier reads the pieces better than the whole. */
size_t sp_segment_rule_split(PIX *bin, const sp_box *b, int edges, sp_box *out, size_t max) {
    if (!sp_cut_box_ok(bin, b) || !out || max < 3 || b->w < 5 || b->h < 5) return 0;
    /* keep only the component that spans the box (not neighbours' ink) */
    PIX *own = sp_cut_own(bin, b, !(edges & SP_RULE_VINCULUM));
    if (!own) return 0;
    size_t got = 0;
    l_uint32 *data = pixGetData(own);
    l_int32 wpl = pixGetWpl(own);
    /* the first band of full rows [band0, band1) with rows on both sides,
     * or, where edges allow, at the top or bottom edge */
    int band0 = -1, band1 = -1, edge = 0;
    int max_thick = b->h / 5 > 2 ? b->h / 5 : 2;
    for (int y = 0; y < b->h && band0 < 0; y++) {
        int k = 0;
        for (int x = 0; x < b->w; x++) k += sp_cut_ink(data, wpl, x, y);
        if (k * 10 < b->w * 9) continue;
        int e = y + 1;
        for (; e < b->h; e++) {
            int m = 0;
            for (int x = 0; x < b->w; x++) m += sp_cut_ink(data, wpl, x, e);
            if (m * 10 < b->w * 9) break;
        }
        if (e - y <= max_thick && b->w >= 3 * (e - y)) { /* thin, and flat: a narrow glyph's rows are all "full" */
            if (y > 0 && e < b->h - 1) band0 = y, band1 = e;
            else if (y > 0 && (edges & SP_RULE_EDGE_BOTTOM) && sp_cut_solid_row(data, wpl, b->w, y, e))
                band0 = y, band1 = b->h, edge = SP_RULE_EDGE_BOTTOM;
            else if (y == 0 && e < b->h - 1 && (edges & SP_RULE_EDGE_TOP) && sp_cut_solid_row(data, wpl, b->w, y, e))
                band0 = 0, band1 = e, edge = SP_RULE_EDGE_TOP;
        }
        y = e;
    }
    if (band0 >= 0) {
        BOX *band = boxCreate(0, band0, b->w, band1 - band0);
        if (band) pixClearInRect(own, band);
        boxDestroy(&band);
        BOXA *parts = pixConnComp(own, NULL, 8);
        l_int32 np = parts ? boxaGetCount(parts) : 0;
        int above = 0, below = 0;
        for (l_int32 i = 0; i < np; i++) {
            l_int32 x, y, w, h;
            boxaGetBoxGeometry(parts, i, &x, &y, &w, &h);
            above |= y + h <= band0;
            below |= y >= band1;
        }
        /* pieces on both sides (on the one side of an edge rule, which
         * also reaches past them: a rule is wider than what it carries,
         * the bottom stroke of a Z is not), each wholly on one side */
        int px0 = b->w, px1 = 0;
        for (l_int32 i = 0; i < np; i++) {
            l_int32 x, y, w, h;
            boxaGetBoxGeometry(parts, i, &x, &y, &w, &h);
            if (x < px0) px0 = x;
            if (x + w > px1) px1 = x + w;
        }
        int sides = edge == SP_RULE_EDGE_BOTTOM ? above && !below
                    : edge == SP_RULE_EDGE_TOP  ? below && !above
                                                : above && below;
        if (edge && px1 - px0 >= b->w && !(edges & SP_RULE_VINCULUM)) sides = 0;
        if (sides && (size_t)np + 1 <= max) {
            out[got++] = (sp_box){b->x, b->y + band0, b->w, band1 - band0};
            for (l_int32 i = 0; i < np; i++) {
                l_int32 x, y, w, h;
                boxaGetBoxGeometry(parts, i, &x, &y, &w, &h);
                if (y < band1 && y + h > band0) { /* crosses the band: not a rule */
                    got = 0;
                    break;
                }
                out[got++] = (sp_box){b->x + x, b->y + y, w, h};
            }
        }
        boxaDestroy(&parts);
    }
    pixDestroy(&own);
    return got;
}
