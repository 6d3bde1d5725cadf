/*
 * segment.c — connected components and their grouping into symbols.
 *
 * Grouping is a handful of explicit geometric rules over pairs of
 * vertically stacked components (see segment.h for the symbols they cover),
 * joined with union-find.  Sizes are measured against ref, the median
 * component height, so the rules hold at any resolution.  A pair is never
 * joined when a third component lies in the gap between them (that is a
 * fraction: numerator, bar, denominator), and each rule is narrow on
 * purpose — e.g. ≤ needs the < and the bar to have the same left and right
 * edges, which a numerator over a fraction bar never has because TeX pads
 * the bar by \nulldelimiterspace on both sides.  Pairs are found with a
 * sweep over components sorted by left edge, so a noisy image with many
 * components does not cost n².
 */
#include "segment/segment.h"
#include "engine/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int sp_segment_components(PIX *bin, sp_box **out, size_t *n, scipix_error *err) {
    *out = NULL;
    *n = 0;
    if (!bin || pixGetDepth(bin) != 1)
        return sp_error_set(err, SCIPIX_EINVAL, "connected components need a 1-bit image");
    BOXA *boxa = pixConnComp(bin, NULL, 8);
    if (!boxa) return sp_error_set(err, SCIPIX_ENOMEM, "connected components could not be computed");
    l_int32 count = boxaGetCount(boxa);
    if (count == 0) {
        boxaDestroy(&boxa);
        return SCIPIX_OK;
    }
    sp_box *boxes = malloc((size_t)count * sizeof *boxes);
    if (!boxes) {
        boxaDestroy(&boxa);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %d component boxes", count);
    }
    for (l_int32 i = 0; i < count; i++) {
        l_int32 x = 0, y = 0, w = 0, h = 0;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        boxes[i] = (sp_box){x, y, w, h};
    }
    boxaDestroy(&boxa);
    *out = boxes;
    *n = (size_t)count;
    return SCIPIX_OK;
}

static int sp_cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static float sp_segment_median_of(int *v, size_t k) {
    qsort(v, k, sizeof *v, sp_cmp_int);
    return (k % 2) ? (float)v[k / 2] : 0.5f * (float)(v[k / 2 - 1] + v[k / 2]);
}

/* Median of the heights (or, with max_side, of max(w, h)) of the boxes,
 * only of those with keep[i] when keep is not NULL (0 when none is). */
static float sp_segment_typical(const sp_box *boxes, const unsigned char *keep, size_t n, int max_side) {
    if (n == 0) return 0;
    int *v = malloc(n * sizeof *v);
    size_t k = 0;
    if (!v) { /* fall back to the mean: never fail for want of a scratch array */
        double s = 0;
        for (size_t i = 0; i < n; i++)
            if (!keep || keep[i]) s += boxes[i].h, k++;
        return k ? (float)(s / k) : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!keep || keep[i]) v[k++] = max_side && boxes[i].w > boxes[i].h ? boxes[i].w : boxes[i].h;
    float m = k ? sp_segment_median_of(v, k) : 0;
    free(v);
    return m;
}

float sp_segment_median_height(const sp_box *boxes, size_t n) { return sp_segment_typical(boxes, NULL, n, 0); }

float sp_segment_reference_height(const sp_box *boxes, const unsigned char *is_letter, size_t n) {
    size_t letters = 0;
    for (size_t i = 0; is_letter && i < n; i++) letters += is_letter[i] != 0;
    if (letters < SP_SEGMENT_REF_MIN_LETTERS) return sp_segment_typical(boxes, NULL, n, 0);
    return sp_segment_typical(boxes, is_letter, n, 0);
}

/* ---- union-find -------------------------------------------------------- */

static size_t sp_uf_find(size_t *parent, size_t i) {
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void sp_uf_join(size_t *parent, size_t a, size_t b) {
    a = sp_uf_find(parent, a);
    b = sp_uf_find(parent, b);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
}

/* ---- shape predicates (ref = median component height) -------------------- */

typedef struct sp_seg_ctx {
    const sp_box *c; /* components sorted by x */
    size_t n;
    float ref;
} sp_seg_ctx;

static int sp_right(const sp_box *b) { return b->x + b->w; }
static int sp_bottom(const sp_box *b) { return b->y + b->h; }
static float sp_cx(const sp_box *b) { return b->x + 0.5f * b->w; }

int sp_segment_is_dot(const sp_box *b, float ref) {
    int mx = b->w > b->h ? b->w : b->h, mn = b->w < b->h ? b->w : b->h;
    return mx <= 0.45f * ref && mn * 3 >= mx;
}
static int sp_is_flat(const sp_box *b) { return b->h * 2 <= b->w; }
/* A bar of = ≡ Ξ: flat and thin (a flat run of touching letters above a
 * fraction rule is flat too, but as tall as a letter). */
static int sp_is_bar(const sp_box *b, float ref) { return sp_is_flat(b) && b->h <= 0.3f * ref + 1; }
static int sp_is_narrow(const sp_box *b, float ratio) { return b->w <= ratio * b->h; }

/* Vertical gap from upper a to lower b (negative: they overlap a little). */
static int sp_gap(const sp_box *a, const sp_box *b) { return b->y - sp_bottom(a); }

/* Does any component other than a and b cut into the gap between them? */
static int sp_something_between(const sp_seg_ctx *s, size_t ia, size_t ib) {
    const sp_box *a = &s->c[ia], *b = &s->c[ib];
    int x0 = a->x > b->x ? a->x : b->x, x1 = sp_right(a) < sp_right(b) ? sp_right(a) : sp_right(b);
    int y0 = sp_bottom(a), y1 = b->y;
    if (y1 <= y0 || x1 <= x0) return 0;
    for (size_t k = 0; k < s->n && s->c[k].x < x1; k++) {
        if (k == ia || k == ib) continue;
        const sp_box *c = &s->c[k];
        if (sp_right(c) > x0 && c->y < y1 && sp_bottom(c) > y0) return 1;
    }
    return 0;
}

/* Is there a glyph (not a flat bar) right under bar b, within 0.6 ref,
 * other than ia?  Then b is a fraction rule with its denominator, not the
 * bar of a ≤ (a ≤ set in a numerator has the fraction rule, a bar, under
 * it, not a glyph). */
static int sp_glyph_under(const sp_seg_ctx *s, size_t ia, size_t ib) {
    const sp_box *b = &s->c[ib];
    for (size_t k = 0; k < s->n && s->c[k].x < sp_right(b); k++) {
        if (k == ia || k == ib) continue;
        const sp_box *c = &s->c[k];
        if (sp_is_flat(c) || sp_right(c) <= b->x) continue;
        int gap = c->y - sp_bottom(b);
        if (gap < 0 || gap > 0.6f * s->ref) continue;
        if (sp_box_x_overlap(c, b) * 2 >= c->w) return 1;
    }
    return 0;
}

/* May upper a and lower b be two parts of one symbol?  Returns the rule. */
enum { SP_RULE_NONE, SP_RULE_DOT_OVER, SP_RULE_DOT_UNDER, SP_RULE_DOTS, SP_RULE_BARS, SP_RULE_OVER_BAR };

static int sp_stack_rule(const sp_seg_ctx *s, size_t ia, size_t ib) {
    const sp_box *a = &s->c[ia], *b = &s->c[ib];
    float ref = s->ref;
    int gap = sp_gap(a, b);
    int tol = (a->h < b->h ? a->h : b->h) / 4 + 1;
    /* the dot of an italic i or j may sit beside the top of the stem,
     * level with it, when strokes are heavy: overlap up to its height */
    if (sp_segment_is_dot(a, ref) && !sp_segment_is_dot(b, ref) && sp_bottom(a) <= b->y + b->h / 3 && sp_cx(a) > sp_cx(b))
        tol = a->h + 1;
    if (gap < -tol) return SP_RULE_NONE;
    int ov = (sp_right(a) < sp_right(b) ? sp_right(a) : sp_right(b)) - (a->x > b->x ? a->x : b->x);
    if (ov <= 0) return SP_RULE_NONE;
    int wmax = a->w > b->w ? a->w : b->w, wmin = a->w < b->w ? a->w : b->w;
    int adot = sp_segment_is_dot(a, ref), bdot = sp_segment_is_dot(b, ref);
    if (adot && bdot) { /* : ⋮ ; */
        int hmax = a->h > b->h ? a->h : b->h, hmin = a->h < b->h ? a->h : b->h;
        if (gap <= 0.6f * ref && hmax <= 3 * hmin && fabsf(sp_cx(a) - sp_cx(b)) <= wmax)
            return SP_RULE_DOTS;
        return SP_RULE_NONE;
    }
    if (adot && !bdot && sp_is_narrow(b, 0.9f) && b->h >= 1.5f * a->h && gap <= 0.5f * ref &&
        sp_cx(a) >= b->x - 1 && sp_cx(a) <= sp_right(b) + 1) /* i j */
        return SP_RULE_DOT_OVER;
    /* ! ?: the dot under the middle of its stroke; the dot of the i of
     * \sum_{i=1}, whose stem is stuck to the "=", sits under the Σ's
     * left part */
    if (bdot && !adot && sp_is_narrow(a, 1.1f) && a->h >= 1.5f * b->h && gap <= 0.5f * ref &&
        fabsf(sp_cx(b) - sp_cx(a)) <= 0.2f * a->w + 1)
        return SP_RULE_DOT_UNDER;
    if (sp_is_bar(a, ref) && sp_is_bar(b, ref) && wmin * 10 >= wmax * 6 && ov * 10 >= wmin * 8 &&
        gap <= 0.6f * ref) /* = ≡ ≈ Ξ */
        return SP_RULE_BARS;
    if (!sp_is_flat(a) && !adot && sp_is_flat(b) && a->h <= 1.2f * ref && gap <= 0.4f * ref) {
        /* ≤ ≥ ⊆ ⊇ ⪯: the bar spans exactly the glyph above it */
        float edge = 0.06f * wmax < 1.0f ? 1.0f : 0.06f * wmax;
        if (abs(a->x - b->x) <= edge && abs(sp_right(a) - sp_right(b)) <= edge && !sp_glyph_under(s, ia, ib))
            return SP_RULE_OVER_BAR;
    }
    return SP_RULE_NONE;
}

static int sp_cmp_box_x(const void *pa, const void *pb) {
    const sp_box *a = pa, *b = pb;
    if (a->x != b->x) return (a->x > b->x) - (a->x < b->x);
    return (a->y > b->y) - (a->y < b->y);
}

/* Intersection area of two boxes. */
static long sp_inter(const sp_box *a, const sp_box *b) {
    int x0 = a->x > b->x ? a->x : b->x, x1 = sp_right(a) < sp_right(b) ? sp_right(a) : sp_right(b);
    int y0 = a->y > b->y ? a->y : b->y, y1 = sp_bottom(a) < sp_bottom(b) ? sp_bottom(a) : sp_bottom(b);
    return (x1 > x0 && y1 > y0) ? (long)(x1 - x0) * (y1 - y0) : 0;
}

int sp_segment_group(const sp_box *comps_in, size_t n_in, sp_symbol_group **out, size_t *ngroups,
                     scipix_error *err) {
    *out = NULL;
    *ngroups = 0;
    if (n_in == 0) return SCIPIX_OK;
    if (!comps_in) return sp_error_set(err, SCIPIX_EINVAL, "component boxes are NULL");
    /* ref: median of max(w, h), not of h: in a row of = signs, dots and
     * bars the median height is a bar's thickness, while the larger side of
     * most components is about a letter's size. */
    float ref = sp_segment_typical(comps_in, NULL, n_in, 1);
    if (ref < 1) ref = 1;

    sp_box *c = malloc(n_in * sizeof *c);
    size_t *parent = malloc(n_in * sizeof *parent);
    unsigned char *used = calloc(n_in, 1); /* dot already claimed by an i/j stem */
    if (!c || !parent || !used) {
        free(c), free(parent), free(used);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate grouping state for %zu components", n_in);
    }
    size_t n = 0;
    for (size_t i = 0; i < n_in; i++) {
        const sp_box *b = &comps_in[i];
        if (b->w <= 0 || b->h <= 0) continue;
        if (b->w * 12 < ref && b->h * 12 < ref) continue; /* speck */
        c[n++] = *b;
    }
    qsort(c, n, sizeof *c, sp_cmp_box_x);
    for (size_t i = 0; i < n; i++) parent[i] = i;
    sp_seg_ctx s = {c, n, ref};

    /* Two passes so that a dot is given to an i/j stem below it before
     * anything else may claim it (the dot of i in \sum_{i=1} sits right
     * under the Σ). */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; j < n && c[j].x < sp_right(&c[i]) + 2; j++) {
                /* the upper one by centre, not top: the dot of a heavy
                 * italic j can start below the top of its stem */
                int ci = c[i].y * 2 + c[i].h, cj = c[j].y * 2 + c[j].h;
                if (ci == cj) continue;
                size_t up = ci < cj ? i : j, lo = up == i ? j : i;
                int rule = sp_stack_rule(&s, up, lo);
                if (rule == SP_RULE_NONE) continue;
                int dot_up = rule == SP_RULE_DOT_OVER, dot_lo = rule == SP_RULE_DOT_UNDER;
                if (pass == 0 && !dot_up) continue;
                if (pass == 1 && dot_up) continue;
                if ((dot_up && used[up]) || (dot_lo && used[lo])) continue;
                if (sp_something_between(&s, up, lo)) continue;
                sp_uf_join(parent, up, lo);
                if (dot_up) used[up] = 1;
                if (dot_lo) used[lo] = 1;
            }
        }
    }

    /* ÷: a dot above and a dot below the middle of a short bar. */
    for (size_t b = 0; b < n; b++) {
        const sp_box *bar = &c[b];
        if (!sp_is_flat(bar) || bar->w > 1.5f * ref || sp_uf_find(parent, b) != b) continue;
        size_t above = n, below = n;
        for (size_t k = 0; k < n; k++) {
            if (k == b || !sp_segment_is_dot(&c[k], ref) || sp_uf_find(parent, k) != k) continue;
            if (fabsf(sp_cx(&c[k]) - sp_cx(bar)) > 0.2f * bar->w) continue;
            if (sp_bottom(&c[k]) <= bar->y && bar->y - sp_bottom(&c[k]) <= 0.5f * ref) above = k;
            if (c[k].y >= sp_bottom(bar) && c[k].y - sp_bottom(bar) <= 0.5f * ref) below = k;
        }
        if (above < n && below < n) {
            sp_uf_join(parent, b, above);
            sp_uf_join(parent, b, below);
        }
    }

    /* %: a slash whose box holds a small part (a circle) near its top-left
     * and one near its bottom-right, level with its top and bottom edges.
     * Where the slash and the upper circle touch (Computer Modern) only the
     * lower circle is separate; it must then reach the slash's right edge,
     * which a radicand inside a √ (never level with the sign's bottom and
     * covered by the overline) does not do, and be over a third of its
     * height (a circle of % is about half): a period right after a W, one
     * column into its box, is no circle. */
    for (size_t sl = 0; sl < n; sl++) {
        const sp_box *S = &c[sl];
        /* a % is a glyph tall; an integral sign with its lower limit tucked
         * under the top hook looks like a slash and a circle too */
        if (S->h < 0.8f * ref || S->h > 1.6f * ref || sp_uf_find(parent, sl) != sl) continue;
        size_t top = n, bot = n;
        for (size_t k = 0; k < n; k++) {
            const sp_box *C = &c[k];
            if (k == sl || C->h > 0.6f * S->h || sp_uf_find(parent, k) != k) continue;
            if (sp_inter(C, S) * 2 < (long)C->w * C->h) continue;
            float level = 0.08f * S->h + 1;
            if (abs(C->y - S->y) <= level && sp_cx(C) < sp_cx(S)) top = k;
            if (abs(sp_bottom(C) - sp_bottom(S)) <= level && sp_cx(C) > sp_cx(S)) bot = k;
        }
        if (top < n && bot < n && top != bot) {
            sp_uf_join(parent, sl, top);
            sp_uf_join(parent, sl, bot);
        } else if (bot < n && top == n && sp_right(&c[bot]) >= sp_right(S) && c[bot].w * 10 <= S->w * 6 &&
                   c[bot].h * 20 >= S->h * 7) {
            sp_uf_join(parent, sl, bot);
        }
    }

    /* Collect the groups: one per union-find root, in x order of roots. */
    sp_symbol_group *g = malloc(n ? n * sizeof *g : 1);
    size_t *slot = malloc(n ? n * sizeof *slot : 1);
    if (!g || !slot) {
        free(g), free(slot), free(c), free(parent), free(used);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu groups", n);
    }
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = sp_uf_find(parent, i);
        if (r == i) {
            slot[i] = ng;
            g[ng].box = c[i];
            g[ng].ncomp = 0;
            ng++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        sp_symbol_group *G = &g[slot[sp_uf_find(parent, i)]];
        if (G->ncomp > 0) G->box = sp_box_union(&G->box, &c[i]);
        G->ncomp++;
    }
    free(slot), free(c), free(parent), free(used);
    *out = g;
    *ngroups = ng;
    return SCIPIX_OK;
}

static int sp_cmp_group_reading(const void *pa, const void *pb) {
    const sp_symbol_group *a = pa, *b = pb;
    return sp_cmp_box_x(&a->box, &b->box);
}

void sp_segment_sort_reading(sp_symbol_group *groups, size_t n) {
    if (groups && n > 1) qsort(groups, n, sizeof *groups, sp_cmp_group_reading);
}
