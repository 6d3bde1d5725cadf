/*
 * context.c — the classifier's second look: each glyph's candidates
 * re-ranked by where the glyph sits among the others in its image.
 *
 * The network sees one glyph scaled to fill a 32 x 32 square, with its size
 * only as ratios to the formula's median letter.  What separates its
 * largest confusions is not in that square: \Big( and \bigg( are one
 * drawing at two sizes, O is o at capital height, a fraction bar is a
 * minus sign with something above and below it, \dot is a period over a
 * letter.  So, per image:
 *
 *  1. the scale s (pixels per point) is estimated as the one under which
 *     the heights of the glyphs read surely (top probability >= sure) are
 *     most likely, each class having its own learned distribution of
 *     heights in points (which holds the sub- and superscript sizes too,
 *     so scripts do not drag the estimate); a grid search over ln s;
 *  2. each glyph gets up to three observations: its height in points,
 *     h / s; whether another glyph lies directly above and/or below it
 *     (within gap_pt points, sharing at least half the narrower width; with
 *     9 patterns also whether the nearest is within near_pt, as a rule over
 *     its argument is and a minus sign over a fraction's bar is not); and,
 *     with a row table, where its foot lies against its neighbours' to the
 *     left and right (a period on their line, a centred dot above it);
 *  3. each of its top candidates c is scored
 *         ln p(c) + alpha ln P(height | c) + beta ln P(pattern | c)
 *                 + gamma min(0, ln P(row offset | c) - best + margin)
 *     and the candidates are re-ordered by that score; their probabilities
 *     become the softmax of the scores, times the mass they had, so a glyph
 *     whose context says nothing keeps its numbers.
 *
 * The tables and weights come from the model file (ctx.*, written by
 * tools/train/context.py from the training renders, where s is known); a
 * model without them leaves the scores alone.  Only the top candidates are
 * re-ranked, and of those only the near-misses (probability at least `near`
 * times the best): the stage settles what the network found close, and
 * never promotes a class the network all but ruled out.  The others keep
 * their places and probabilities below.
 */
#include "classify/model.h"

#include "engine/status.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

int sp_model_has_context(const sp_model *model) { return model && model->ctx_height != NULL; }

static int sp_context_bin(const sp_model *m, double ln_h_pt) {
    double b = floor((ln_h_pt - (double)m->ctx.bin0) / (double)m->ctx.bin_width);
    if (!(b > 0)) return 0; /* also NaN */
    if (b > (double)(m->ctx_bins - 1)) return m->ctx_bins - 1;
    return (int)b;
}

static float sp_context_height_logp(const sp_model *m, int class_id, double ln_h_pt) {
    return m->ctx_height[(size_t)class_id * (size_t)m->ctx_bins + (size_t)sp_context_bin(m, ln_h_pt)];
}

/* ln(pixels per point) under which the heights of the n glyphs read surely
 * (classes cls, ln heights ln_h) are most likely: a grid search. */
static double sp_context_scale(const sp_model *m, const int *cls, const double *ln_h, size_t n) {
    const sp_context_params *c = &m->ctx;
    int steps = (int)((c->scale_hi - c->scale_lo) / c->scale_step + 0.5f);
    double best = -INFINITY, best_ln_s = 0.0;
    for (int k = 0; k < steps; k++) {
        double ln_s = (double)c->scale_lo + (double)k * (double)c->scale_step, obj = 0.0;
        for (size_t i = 0; i < n; i++) {
            float lp = sp_context_height_logp(m, cls[i], ln_h[i] - ln_s);
            obj += lp > c->floor ? lp : c->floor;
        }
        if (obj > best) best = obj, best_ln_s = ln_s;
    }
    return best_ln_s;
}

/* Whether b shares at least half the narrower width with a: lies directly
 * above or below it rather than to a side. */
static int sp_context_stacked(const sp_glyph_place *a, const sp_glyph_place *b) {
    int right = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
    int left = a->x > b->x ? a->x : b->x;
    int narrower = a->w < b->w ? a->w : b->w;
    return 2 * (right - left) >= narrower;
}

/* Whether another glyph lies directly above and below glyph i, gap in
 * pixels: with 4 patterns 2 * above + below (0 none, 1 some); with 9,
 * 3 * above + below (0 none, 1 within near pixels, 2 farther), by the
 * nearest such glyph.  tools/train/context.py computes the same. */
static int sp_context_pattern(const sp_glyph_place *pl, size_t n, size_t i, double gap, double near, int patterns) {
    const sp_glyph_place *a = &pl[i];
    double above = INFINITY, below = INFINITY; /* the nearest gap found (may be negative: overlapping) */
    for (size_t j = 0; j < n; j++) {
        const sp_glyph_place *b = &pl[j];
        if (j == i || !sp_context_stacked(a, b)) continue;
        double up = (double)(a->y - (b->y + b->h)), down = (double)(b->y - (a->y + a->h));
        if (2 * b->y + b->h < 2 * a->y && up <= gap && up < above) above = up;
        if (2 * b->y + b->h > 2 * (a->y + a->h) && down <= gap && down < below) below = down;
    }
    if (patterns == 4) return 2 * (above < INFINITY) + (below < INFINITY);
    int lv_above = above == INFINITY ? 0 : above <= near ? 1 : 2;
    int lv_below = below == INFINITY ? 0 : below <= near ? 1 : 2;
    return 3 * lv_above + lv_below;
}

/* The row bin of glyph i: how far (points, down positive) its foot lies
 * below the higher foot of its nearest neighbours, one on each side: a
 * period sits on the line its neighbours stand on, a centred dot two
 * points above it, a comma's tail below it.  Feet, not centres: a
 * capital's centre is a point above an x's, their feet level; the higher
 * foot, as a descender or a subscript next to the glyph lowers only one
 * (on the training renders it tells a period from a centred dot or a
 * comma, and a colon from a semicolon, better than the two feet's mean).
 * A side neighbour is not stacked with the glyph (that is the pattern's
 * business), lies within `reach` pixels to the side and overlaps the
 * glyph's rows widened by `band` pixels; of several, the nearest wins,
 * ties going to the taller, then the higher, then the leftmost, so the
 * answer does not depend on the glyphs' order.
 * With no neighbour on either side the bin is ctx_row_bins.
 * tools/train/context.py computes the same for training. */
static int sp_context_row_bin(const sp_model *m, const sp_glyph_place *pl, size_t n, size_t i, double s) {
    const sp_glyph_place *a = &pl[i];
    double reach = (double)m->ctx2.reach_pt * s, band = (double)m->ctx2.band_pt * s;
    long best_gap[2] = {0, 0};
    const sp_glyph_place *best[2] = {NULL, NULL};
    for (size_t j = 0; j < n; j++) {
        const sp_glyph_place *b = &pl[j];
        if (j == i || sp_context_stacked(a, b)) continue;
        if ((double)b->y >= (double)(a->y + a->h) + band || (double)(b->y + b->h) <= (double)a->y - band) continue;
        int side = 2 * b->x + b->w > 2 * a->x + a->w; /* 0 left, 1 right */
        long gap = side ? (long)b->x - (a->x + a->w) : (long)a->x - (b->x + b->w);
        if ((double)gap > reach) continue;
        const sp_glyph_place *c = best[side];
        if (c && (gap > best_gap[side] ||
                  (gap == best_gap[side] &&
                   (b->h < c->h || (b->h == c->h && (b->y > c->y || (b->y == c->y && b->x >= c->x)))))))
            continue;
        best[side] = b, best_gap[side] = gap;
    }
    if (!best[0] && !best[1]) return m->ctx_row_bins;
    int foot = INT_MAX;
    for (int k = 0; k < 2; k++)
        if (best[k] && best[k]->y + best[k]->h < foot) foot = best[k]->y + best[k]->h;
    double offset_pt = (double)(a->y + a->h - foot) / s;
    double b = floor((offset_pt - (double)m->ctx2.row_bin0) / (double)m->ctx2.row_bin_width);
    if (!(b > 0)) return 0; /* also NaN */
    if (b > (double)(m->ctx_row_bins - 1)) return m->ctx_row_bins - 1;
    return (int)b;
}

/* Whether a candidate below the top one is near enough to move up: else
 * re-ranking would leave the glyph's scores as they are. */
static int sp_context_contested(const sp_model *m, const sp_class_scores *s) {
    for (int k = 1; k < SP_CLASSIFY_TOPK; k++)
        if (s->class_id[k] >= 0 && s->class_id[k] < m->n_classes && s->prob[k] >= m->ctx.near * s->prob[0]) return 1;
    return 0;
}

/* Re-score and re-order one glyph's candidates (row_bin < 0: no row term).
 * The row term counts only what a candidate's row density falls short of
 * the candidates' best by more than row_margin: a small difference says
 * more about the company a class keeps in the training renders (digits
 * beside digits, their feet level to the pixel) than about where it sits;
 * a period's foot on the line against a centred dot's 2 pt above it is a
 * large one. */
static void sp_context_rerank(const sp_model *m, sp_class_scores *s, double ln_h_pt, int pattern, int row_bin) {
    double score[SP_CLASSIFY_TOPK], row[SP_CLASSIFY_TOPK], mass = 0.0, top = -INFINITY, row_best = -INFINITY;
    int valid[SP_CLASSIFY_TOPK];
    float least = m->ctx.near * s->prob[0];
    for (int k = 0; k < SP_CLASSIFY_TOPK; k++) {
        int c = s->class_id[k];
        valid[k] = c >= 0 && c < m->n_classes && (k == 0 || s->prob[k] >= least);
        row[k] = valid[k] && row_bin >= 0
                     ? (double)m->ctx_row[(size_t)c * (size_t)(m->ctx_row_bins + 1) + (size_t)row_bin]
                     : 0.0;
        if (valid[k] && row[k] > row_best) row_best = row[k];
    }
    for (int k = 0; k < SP_CLASSIFY_TOPK; k++) {
        int c = s->class_id[k];
        if (!valid[k]) {
            score[k] = -INFINITY;
            continue;
        }
        double p = s->prob[k] > 1e-6f ? (double)s->prob[k] : 1e-6;
        mass += (double)s->prob[k];
        score[k] = log(p) + (double)m->ctx.alpha * (double)sp_context_height_logp(m, c, ln_h_pt) +
                   (double)m->ctx.beta * (double)m->ctx_vnbr[(size_t)c * (size_t)m->ctx_patterns + (size_t)pattern];
        if (row_bin >= 0)
            score[k] += (double)m->ctx2.gamma * fmin(0.0, row[k] - row_best + (double)m->ctx2.row_margin);
        if (score[k] > top) top = score[k];
    }
    if (top == -INFINITY) return;
    double sum = 0.0;
    for (int k = 0; k < SP_CLASSIFY_TOPK; k++)
        if (valid[k]) sum += exp(score[k] - top);
    for (int k = 0; k < SP_CLASSIFY_TOPK; k++)
        if (valid[k]) s->prob[k] = (float)(exp(score[k] - top) / sum * mass);
    /* insertion sort by score, best first (stable: ties keep the network's order) */
    for (int k = 1; k < SP_CLASSIFY_TOPK; k++) {
        double sk = score[k];
        int ck = s->class_id[k];
        float pk = s->prob[k];
        int j = k - 1;
        for (; j >= 0 && score[j] < sk; j--) {
            score[j + 1] = score[j];
            s->class_id[j + 1] = s->class_id[j];
            s->prob[j + 1] = s->prob[j];
        }
        score[j + 1] = sk;
        s->class_id[j + 1] = ck;
        s->prob[j + 1] = pk;
    }
}

int sp_classify_context(const sp_model *model, const sp_glyph_place *places, size_t n, sp_class_scores *scores,
                        float *scale, scipix_error *err) {
    if (scale) *scale = 0.0f;
    if (!model || (n && (!places || !scores)))
        return sp_error_set(err, SCIPIX_EINVAL, "sp_classify_context: NULL argument");
    for (size_t i = 0; i < n; i++)
        if (places[i].w < 1 || places[i].h < 1)
            return sp_error_set(err, SCIPIX_EINVAL, "sp_classify_context: glyph %zu has a bad box (%dx%d)", i,
                                places[i].w, places[i].h);
    if (!model->ctx_height || n == 0) return SCIPIX_OK;
    /* one block: every glyph's ln height, then the sure glyphs' ln heights
     * and classes (the scale search's input) */
    double *ln_h = malloc(n * (2 * sizeof(double) + sizeof(int)));
    if (!ln_h) return sp_error_set(err, SCIPIX_ENOMEM, "sp_classify_context: out of memory");
    double *sure_ln_h = ln_h + n;
    int *sure_cls = (int *)(sure_ln_h + n);
    size_t n_sure = 0;
    for (size_t i = 0; i < n; i++) {
        ln_h[i] = log((double)places[i].h);
        int c = scores[i].class_id[0];
        if (c >= 0 && c < model->n_classes && scores[i].prob[0] >= model->ctx.sure) {
            sure_ln_h[n_sure] = ln_h[i];
            sure_cls[n_sure++] = c;
        }
    }
    if (n_sure) {
        double ln_s = sp_context_scale(model, sure_cls, sure_ln_h, n_sure);
        double s = exp(ln_s), gap = (double)model->ctx.gap_pt * s, near = (double)model->ctx2.near_pt * s;
        for (size_t i = 0; i < n; i++) {
            if (!sp_context_contested(model, &scores[i])) continue; /* nothing to re-rank: no neighbour search */
            int pattern = sp_context_pattern(places, n, i, gap, near, model->ctx_patterns);
            int row = model->ctx_row ? sp_context_row_bin(model, places, n, i, s) : -1;
            sp_context_rerank(model, &scores[i], ln_h[i] - ln_s, pattern, row);
        }
        if (scale) *scale = (float)s;
    }
    free(ln_h);
    return SCIPIX_OK;
}
