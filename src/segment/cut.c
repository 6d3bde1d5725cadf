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
 * by the recognizer.  Every part keeps at least min_part columns, so that
 * no cut shaves a serif off a glyph.
 */
#include "segment/segment.h"

#include <stdlib.h>

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

size_t sp_segment_cut_candidates(PIX *bin, const sp_box *b, int min_part, sp_cut *out, size_t max) {
    if (!bin || !b || !out || max == 0 || pixGetDepth(bin) != 1) return 0;
    int W = (int)pixGetWidth(bin), H = (int)pixGetHeight(bin);
    if (b->x < 0 || b->y < 0 || b->w <= 0 || b->h <= 0 || b->x + b->w > W || b->y + b->h > H) return 0;
    if (min_part < 1) min_part = 1;
    int lo = b->x + min_part, hi = b->x + b->w - min_part; /* cut column c: left [x, c), right [c, ...) */
    if (hi < lo) return 0;
    l_uint32 *data = pixGetData(bin);
    l_int32 wpl = pixGetWpl(bin);
    /* ink per column, then the emptiest columns first; ties go to the one
     * nearer the middle (two glyphs of one size meet near it). */
    int n = hi - lo + 1;
    int *ink = malloc((size_t)n * sizeof *ink);
    if (!ink) return 0;
    for (int c = lo; c <= hi; c++) {
        int k = 0;
        for (int y = b->y; y < b->y + b->h; y++) k += sp_cut_ink(data, wpl, c, y);
        ink[c - lo] = k;
    }
    size_t got = 0;
    int mid2 = 2 * b->x + b->w;
    while (got < max) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (ink[i] < 0) continue;
            if (best < 0 || ink[i] < ink[best] ||
                (ink[i] == ink[best] && abs(2 * (lo + i) - mid2) < abs(2 * (lo + best) - mid2)))
                best = i;
        }
        if (best < 0) break;
        /* a bridge thicker than half the component's height is a stroke */
        int c = lo + best, k = ink[best];
        if (2 * k > b->h) break;
        /* the column and its neighbours are one bridge: not tried again */
        for (int i = best - 1; i <= best + 1; i++)
            if (i >= 0 && i < n) ink[i] = -1;
        sp_cut cut = {c, {0, 0, 0, 0}, {0, 0, 0, 0}};
        if (!sp_cut_tight(data, wpl, b->x, c, b->y, b->y + b->h, &cut.left)) continue;
        if (!sp_cut_tight(data, wpl, c, b->x + b->w, b->y, b->y + b->h, &cut.right)) continue;
        out[got++] = cut;
    }
    free(ink);
    return got;
}

int sp_segment_ink_box_in(PIX *bin, const sp_box *b, int x0, int x1, sp_box *out) {
    if (!bin || !b || !out || pixGetDepth(bin) != 1) return 0;
    int W = (int)pixGetWidth(bin), H = (int)pixGetHeight(bin);
    if (x0 < b->x) x0 = b->x;
    if (x1 > b->x + b->w) x1 = b->x + b->w;
    if (b->y < 0 || b->y + b->h > H || x0 < 0 || x1 > W || x1 <= x0) return 0;
    return sp_cut_tight(pixGetData(bin), pixGetWpl(bin), x0, x1, b->y, b->y + b->h, out);
}

/* ---- a fraction rule that touches what is above or below it ------------ */

/* Heavy strokes make a fraction's numerator or denominator touch its rule,
 * and then the whole fraction is one component.  Its mark: a band of rows
 * inked across (nearly) the whole width, thin against the component, with
 * ink both above and below.  Removing the band splits the rest into its
 * real components.  Glyphs with a full-width bar inside (+, θ, ⊕) have the
 * same mark, which is why the engine only keeps the split when the
 * classifier reads the pieces better than the whole. */
size_t sp_segment_rule_split(PIX *bin, const sp_box *b, sp_box *out, size_t max) {
    if (!bin || !b || !out || max < 3 || pixGetDepth(bin) != 1) return 0;
    int W = (int)pixGetWidth(bin), H = (int)pixGetHeight(bin);
    if (b->x < 0 || b->y < 0 || b->w < 5 || b->h < 5 || b->x + b->w > W || b->y + b->h > H) return 0;
    BOX *clip = boxCreate(b->x, b->y, b->w, b->h);
    PIX *sub = clip ? pixClipRectangle(bin, clip, NULL) : NULL;
    boxDestroy(&clip);
    if (!sub) return 0;
    /* keep only the component that spans the box (not neighbours' ink) */
    PIXA *pixa = NULL;
    BOXA *comps = pixConnComp(sub, &pixa, 8);
    PIX *own = NULL;
    size_t got = 0;
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
    pixDestroy(&sub);
    if (!own) return 0;
    l_uint32 *data = pixGetData(own);
    l_int32 wpl = pixGetWpl(own);
    /* the first band of full rows [band0, band1) with rows on both sides */
    int band0 = -1, band1 = -1;
    int max_thick = b->h / 5 > 2 ? b->h / 5 : 2;
    for (int y = 0; y < b->h - 1 && band0 < 0; y++) {
        int k = 0;
        for (int x = 0; x < b->w; x++) k += sp_cut_ink(data, wpl, x, y);
        if (k * 10 < b->w * 9) continue;
        int e = y + 1;
        for (; e < b->h - 1; e++) {
            int m = 0;
            for (int x = 0; x < b->w; x++) m += sp_cut_ink(data, wpl, x, e);
            if (m * 10 < b->w * 9) break;
        }
        if (y > 0 && e - y <= max_thick && e < b->h - 1) band0 = y, band1 = e;
        y = e;
    }
    if (band0 > 0) {
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
        /* pieces on both sides, and each piece wholly on one side */
        if (above && below && (size_t)np + 1 <= max) {
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
