/*
 * touching.c — splitting glyphs that touch, by asking the classifier.
 *
 * Connected components merge neighbours that share a pixel, which below
 * 150 dpi and with heavy strokes is common ("dt", "2π", the subscript under
 * m, a numerator stuck to its fraction rule).  A merged blob is classified
 * as whatever single glyph it resembles most, usually with low confidence.
 * So, for each candidate of one component (or a stem and its dot) that the
 * classifier is not sure of:
 *   - the cutter (src/segment/cut.c) proposes vertical cuts through the
 *     thinnest columns, and for wide blobs pairs of them (three glyphs);
 *   - a blob with a full-width thin band of ink and ink on both sides is
 *     proposed as a fraction rule plus the pieces around it;
 * all parts go to the classifier in one batch, and the best proposal is
 * kept when its parts read better than the whole:
 *     (prod p(part))^(1/parts) > p(whole) + SP_TOUCH_MARGIN,  every p(part) >= SP_TOUCH_MIN_PART
 * (a rule split is judged by its rule: its pieces may still touch, and the
 * next pass cuts them).  The margin makes splitting the exception: a glyph
 * with a thin waist (m, w, ∞) has halves that look like nothing in
 * particular.  Parts are examined again, for up to SP_TOUCH_PASSES passes.
 * Two clean-ups follow: a "\\sqrt" with nothing under it is no radical (it
 * is always tried, and takes its next class if no split explains it), and a
 * dot left alone above a freed stem is read with it again (the i of "dim").
 *
 * Cost: only unsure candidates are tried, so a clean formula pays nothing
 * and a heavy one a few dozen extra glyph classifications.
 */
#include "engine/touching.h"

#include "engine/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SP_TOUCH_CUTS 5          /* cuts tried per candidate */
#define SP_TOUCH_PASSES 3        /* parts are examined again: rule, then a cut, then one more */
#define SP_TOUCH_TRY_BELOW 0.90f /* candidates the classifier is surer of stay whole */
#define SP_TOUCH_MIN_PART 0.35f  /* each part must be recognized at least this well */
#define SP_TOUCH_MARGIN 0.10f    /* and the pair beat the whole by this much */
#define SP_TOUCH_RULE_PARTS 8    /* a fraction stuck to its rule: rule + pieces */
#define SP_TOUCH_PAIR_CUTS 4     /* the best cuts paired for three-glyph blobs */
#define SP_TOUCH_THREE_WIDE 1.4f /* blobs this many glyph heights wide may hold three */
#define SP_TOUCH_THREE_BELOW 0.75f /* ... when the classifier is this unsure of them */

/* A radical sign always holds its radicand under the vinculum.  A "\\sqrt"
 * with no other candidate's centre inside its box is a blob of touching
 * glyphs that the classifier took for the one class drawn as a long
 * stroke with a hook; it is tried whatever its probability. */
static int sp_touch_empty_radical(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_symbol_class *c = sp_model_class(ctx->model, cs->scores[i].class_id[0]);
    if (!c || !c->latex || strcmp(c->latex, "\\sqrt")) return 0;
    const sp_box *b = &cs->groups[i].box;
    float x0 = b->x + 0.3f * b->w, x1 = (float)(b->x + b->w), y0 = b->y + 0.15f * b->h, y1 = (float)(b->y + b->h);
    for (size_t k = 0; k < cs->n; k++) {
        if (k == i) continue;
        const sp_box *o = &cs->groups[k].box;
        float cx = o->x + 0.5f * o->w, cy = o->y + 0.5f * o->h;
        if (cx > x0 && cx < x1 && cy > y0 && cy < y1) return 0;
    }
    return 1;
}

/* The probability a split has to beat: the whole's, or none for a
 * radical with nothing under it. */
static float sp_touch_whole_prob(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    return sp_touch_empty_radical(ctx, cs, i) ? 0.0f : cs->scores[i].prob[0];
}

/* Is candidate c worth splitting?  One component (or a stem and its dot)
 * the classifier is unsure of, not a rule or a dot, room for two glyphs. */
static int sp_touch_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_symbol_group *g = &cs->groups[i];
    const sp_box *b = &g->box;
    if (g->ncomp > 2) return 0; /* one component, or a stem with its dot */
    if (sp_touch_whole_prob(ctx, cs, i) >= SP_TOUCH_TRY_BELOW) return 0;
    if (b->h < 0.4f * ctx->ref) return 0;
    if (b->w < 4 || b->w < 0.5f * ctx->ref) return 0;
    return 1;
}

/* Vertical cuts: glyphs side by side are about a glyph tall (a big
 * operator or a tall delimiter touching something is left alone). */
static int sp_touch_cut_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    return b->h <= 2.0f * ctx->ref && b->w >= 0.6f * ctx->ref;
}

static int sp_touch_grow(sp_candidates *cs, size_t need, scipix_error *err) {
    if (need <= cs->cap) return SCIPIX_OK;
    size_t cap = cs->cap ? cs->cap : 16;
    while (cap < need) cap *= 2;
    sp_symbol_group *g = realloc(cs->groups, cap * sizeof *g);
    if (g) cs->groups = g;
    sp_glyph *gl = realloc(cs->glyphs, cap * sizeof *gl);
    if (gl) cs->glyphs = gl;
    sp_class_scores *sc = realloc(cs->scores, cap * sizeof *sc);
    if (sc) cs->scores = sc;
    if (!g || !gl || !sc) return sp_error_set(err, SCIPIX_ENOMEM, "cannot grow the candidates to %zu", cap);
    cs->cap = cap;
    return SCIPIX_OK;
}

static sp_glyph sp_touch_glyph(const sp_touching_ctx *ctx, const sp_box *b) {
    sp_glyph g;
    g.pixels = ctx->gray + (size_t)b->y * (size_t)ctx->gray_stride + (size_t)b->x;
    g.width = b->w;
    g.height = b->h;
    g.stride = ctx->gray_stride;
    g.ref_height = ctx->ref;
    return g;
}

/* A cut that shaves a dot off the top of a glyph: the dot of a heavy i or
 * j touching its stem, not a glyph of its own (a period sits low). */
static int sp_touch_cut_leaves_a_dot(const sp_touching_ctx *ctx, const sp_box *l, const sp_box *r) {
    for (int k = 0; k < 2; k++) {
        const sp_box *d = k ? r : l, *o = k ? l : r;
        if (d->h < 0.35f * ctx->ref && d->w < 0.35f * ctx->ref && d->y + d->h <= o->y + o->h / 2) return 1;
    }
    return 0;
}

/* A proposal: candidate `owner` read as parts boxes[first .. first+n).
 * A rule split (rule = 1) lists the rule first. */
typedef struct sp_touch_proposal {
    size_t owner, first, n;
    int rule;
} sp_touch_proposal;

/* Is candidate c tall enough to be a fraction stuck to its rule? */
static int sp_touch_rule_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    return b->h >= ctx->ref && b->w >= 0.5f * ctx->ref;
}

/* One pass over the candidates listed in todo[0..ntodo): the parts of the
 * ones it splits are listed in *next (allocated here, NULL if none) for the
 * next pass. */
static int sp_touch_pass(const sp_touching_ctx *ctx, sp_candidates *cs, const size_t *todo, size_t ntodo,
                         size_t **next, size_t *nnext, scipix_error *err) {
    *nnext = 0;
    *next = NULL;
    int min_part = (int)(0.2f * ctx->ref + 0.5f);
    if (min_part < 2) min_part = 2;
    size_t ntry = 0;
    for (size_t t = 0; t < ntodo; t++) ntry += sp_touch_worth_trying(ctx, cs, todo[t]);
    if (ntry == 0) return SCIPIX_OK;
    /* per candidate: SP_TOUCH_CUTS cuts of 2 parts, pairs of the first
     * SP_TOUCH_PAIR_CUTS of them (3 parts), one rule split */
    size_t npairs = SP_TOUCH_PAIR_CUTS * (SP_TOUCH_PAIR_CUTS - 1) / 2;
    size_t max_props = ntry * (SP_TOUCH_CUTS + npairs + 1),
           max_boxes = ntry * (2 * SP_TOUCH_CUTS + 3 * npairs + SP_TOUCH_RULE_PARTS);
    sp_touch_proposal *props = malloc(max_props * sizeof *props);
    sp_box *boxes = malloc(max_boxes * sizeof *boxes);
    sp_glyph *glyphs = malloc(max_boxes * sizeof *glyphs);
    sp_class_scores *ps = malloc(max_boxes * sizeof *ps);
    int rc = SCIPIX_OK;
    if (!props || !boxes || !glyphs || !ps) {
        rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split trials", ntry);
        goto done;
    }
    size_t np = 0, nb = 0;
    for (size_t t = 0; t < ntodo; t++) {
        size_t i = todo[t];
        if (!sp_touch_worth_trying(ctx, cs, i)) continue;
        sp_cut cuts[SP_TOUCH_CUTS];
        size_t k = 0;
        if (sp_touch_cut_worth_trying(ctx, cs, i))
            k = sp_segment_cut_candidates(ctx->bin, &cs->groups[i].box, min_part, cuts, SP_TOUCH_CUTS);
        for (size_t j = 0; j < k; j++) {
            props[np++] = (sp_touch_proposal){i, nb, 2, 0};
            boxes[nb++] = cuts[j].left;
            boxes[nb++] = cuts[j].right;
        }
        /* three glyphs in one wide blob ("cab", "ds" and an exponent): two
         * cuts at once, since no single cut leaves two readable parts */
        const sp_box *gb = &cs->groups[i].box;
        size_t kp = k < SP_TOUCH_PAIR_CUTS ? k : SP_TOUCH_PAIR_CUTS;
        int three = gb->w >= SP_TOUCH_THREE_WIDE * ctx->ref && sp_touch_whole_prob(ctx, cs, i) < SP_TOUCH_THREE_BELOW;
        for (size_t a = 0; a < kp && three; a++)
            for (size_t b = 0; b < kp; b++) {
                int ca = cuts[a].column, cb = cuts[b].column;
                if (cb - ca < min_part) continue;
                sp_box mid;
                if (!sp_segment_ink_box_in(ctx->bin, gb, ca, cb, &mid)) continue;
                props[np++] = (sp_touch_proposal){i, nb, 3, 0};
                boxes[nb++] = cuts[a].left;
                boxes[nb++] = mid;
                boxes[nb++] = cuts[b].right;
            }
        if (sp_touch_rule_worth_trying(ctx, cs, i)) {
            size_t r = sp_segment_rule_split(ctx->bin, &cs->groups[i].box, boxes + nb, SP_TOUCH_RULE_PARTS);
            if (r) {
                props[np++] = (sp_touch_proposal){i, nb, r, 1};
                nb += r;
            }
        }
    }
    if (np == 0) goto done;
    if (!(*next = malloc(nb * sizeof **next))) {
        rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split parts", nb);
        goto done;
    }
    for (size_t j = 0; j < nb; j++) glyphs[j] = sp_touch_glyph(ctx, &boxes[j]);
    if ((rc = sp_classify_batch(ctx->model, glyphs, nb, ctx->precision, ps, err))) goto done;

    /* the best proposal of each candidate (a candidate's are adjacent) */
    for (size_t a = 0; a < np;) {
        size_t i = props[a].owner, b = a, best = np;
        float best_score = sp_touch_whole_prob(ctx, cs, i) + SP_TOUCH_MARGIN;
        for (; b < np && props[b].owner == i; b++) {
            float score = 1;
            /* a rule split is judged by the rule alone: its pieces may
             * still be touching glyphs that the next pass cuts */
            size_t judged = props[b].rule ? 1 : props[b].n;
            for (size_t j = props[b].first; j < props[b].first + judged; j++) {
                if (ps[j].prob[0] < SP_TOUCH_MIN_PART) score = 0;
                score *= ps[j].prob[0];
            }
            for (size_t j = props[b].first; !props[b].rule && j + 1 < props[b].first + props[b].n; j++)
                if (sp_touch_cut_leaves_a_dot(ctx, &boxes[j], &boxes[j + 1])) score = 0;
            /* per part (geometric mean), so that two- and three-part
             * proposals and the whole compare as "how well is each glyph
             * read" (token BLEU on heavy-heldout 0.605 -> 0.614) */
            score = powf(score, 1.0f / (float)judged);
            if (score > best_score) best_score = score, best = b;
        }
        a = b;
        if (best == np) continue;
        const sp_touch_proposal *pr = &props[best];
        if ((rc = sp_touch_grow(cs, cs->n + pr->n - 1, err))) goto done;
        for (size_t j = 0; j < pr->n; j++) {
            size_t slot = j == 0 ? i : cs->n++;
            size_t src = pr->first + j;
            cs->groups[slot] = (sp_symbol_group){boxes[src], 1};
            cs->glyphs[slot] = glyphs[src];
            cs->scores[slot] = ps[src];
            (*next)[(*nnext)++] = slot;
        }
    }
done:
    free(props);
    free(boxes);
    free(glyphs);
    free(ps);
    return rc;
}

/* ---- dots left alone ------------------------------------------------------
 * The dot of an i or j is grouped with its stem by the segmenter, unless the
 * stem was part of a merged component then (the "i" of a heavy "dim" touches
 * the d).  Once a cut has freed the stem, the dot still stands alone and is
 * read as \\cdot.  So: a narrow single-component candidate with a lone dot
 * right above it is read again with the dot; the pair is kept when it reads
 * better than the stem alone, or reads as an i or j at all (a stem read as
 * "1" with a dot over it is an i). */

static int sp_touch_is_dot(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    return cs->groups[i].ncomp == 1 && sp_segment_is_dot(&cs->groups[i].box, ctx->ref);
}

static int sp_touch_dot_over(const sp_touching_ctx *ctx, const sp_box *stem, const sp_box *dot) {
    float cx = dot->x + 0.5f * dot->w;
    int bottom = dot->y + dot->h;
    return cx >= stem->x - 1 && cx <= stem->x + stem->w + 1 && bottom <= stem->y + stem->h / 3 &&
           stem->y - bottom <= 0.5f * ctx->ref;
}

/* A class drawn as a stem with a dot over it (i, j in any alphabet). */
static int sp_touch_dotted(const sp_touching_ctx *ctx, int class_id) {
    const sp_symbol_class *c = sp_model_class(ctx->model, class_id);
    if (!c || !c->latex) return 0;
    const char *l = c->latex;
    static const char *const dotted[] = {"i", "j", "\\mathrm{i}", "\\mathrm{j}", "\\mathbf{i}", "\\mathbf{j}"};
    for (size_t k = 0; k < sizeof dotted / sizeof dotted[0]; k++)
        if (!strcmp(l, dotted[k])) return 1;
    return 0;
}

static int sp_touch_redot(const sp_touching_ctx *ctx, sp_candidates *cs, scipix_error *err) {
    size_t n = cs->n;
    size_t *stem = malloc(n * sizeof *stem), *dot = malloc(n * sizeof *dot);
    unsigned char *dead = calloc(n, 1);
    sp_glyph *gl = malloc(n * sizeof *gl);
    sp_class_scores *sc = malloc(n * sizeof *sc);
    sp_box *box = malloc(n * sizeof *box);
    int rc = SCIPIX_OK;
    if (!stem || !dot || !dead || !gl || !sc || !box) {
        rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu dot trials", n);
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const sp_box *b = &cs->groups[i].box;
        if (cs->groups[i].ncomp != 1 || b->w > 0.9f * b->h || b->h < 0.5f * ctx->ref) continue;
        for (size_t d = 0; d < n; d++) {
            if (d == i || dead[d] || !sp_touch_is_dot(ctx, cs, d) || !sp_touch_dot_over(ctx, b, &cs->groups[d].box))
                continue;
            const sp_box *o = &cs->groups[d].box;
            int x0 = b->x < o->x ? b->x : o->x, y0 = o->y;
            int x1 = b->x + b->w > o->x + o->w ? b->x + b->w : o->x + o->w, y1 = b->y + b->h;
            box[k] = (sp_box){x0, y0, x1 - x0, y1 - y0};
            gl[k] = sp_touch_glyph(ctx, &box[k]);
            stem[k] = i, dot[k] = d;
            dead[d] = 1; /* claimed; released below if the pair reads worse */
            k++;
            break;
        }
    }
    if (k == 0) goto done;
    if ((rc = sp_classify_batch(ctx->model, gl, k, ctx->precision, sc, err))) goto done;
    for (size_t j = 0; j < k; j++) {
        size_t i = stem[j];
        if (sc[j].prob[0] <= cs->scores[i].prob[0] && !sp_touch_dotted(ctx, sc[j].class_id[0])) {
            dead[dot[j]] = 0;
            continue;
        }
        cs->groups[i] = (sp_symbol_group){box[j], 2};
        cs->glyphs[i] = gl[j];
        cs->scores[i] = sc[j];
    }
    /* drop the dots that joined a stem */
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (dead[i]) continue;
        cs->groups[w] = cs->groups[i], cs->glyphs[w] = cs->glyphs[i], cs->scores[w] = cs->scores[i];
        w++;
    }
    cs->n = w;
done:
    free(stem), free(dot), free(dead), free(gl), free(sc), free(box);
    return rc;
}

int sp_touching_split(const sp_touching_ctx *ctx, sp_candidates *cands, scipix_error *err) {
    if (!ctx || !cands || !ctx->model || !ctx->bin || !ctx->gray || ctx->ref <= 0)
        return sp_error_set(err, SCIPIX_EINVAL, "touching-glyph split: bad arguments");
    if (cands->n == 0) return SCIPIX_OK;
    size_t ntodo = cands->n;
    size_t *todo = malloc(ntodo * sizeof *todo);
    if (!todo) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split trials", ntodo);
    for (size_t i = 0; i < ntodo; i++) todo[i] = i;
    int rc = SCIPIX_OK;
    for (int pass = 0; pass < SP_TOUCH_PASSES && ntodo && !rc; pass++) {
        size_t *next = NULL, nnext = 0;
        rc = sp_touch_pass(ctx, cands, todo, ntodo, &next, &nnext, err);
        free(todo);
        todo = next, ntodo = nnext;
    }
    free(todo);
    /* an empty radical that no cut explained: its next-best class */
    for (size_t i = 0; i < cands->n && !rc; i++) {
        if (!sp_touch_empty_radical(ctx, cands, i)) continue;
        sp_class_scores *sc = &cands->scores[i];
        memmove(sc->class_id, sc->class_id + 1, (SP_CLASSIFY_TOPK - 1) * sizeof sc->class_id[0]);
        memmove(sc->prob, sc->prob + 1, (SP_CLASSIFY_TOPK - 1) * sizeof sc->prob[0]);
        sc->class_id[SP_CLASSIFY_TOPK - 1] = -1;
        sc->prob[SP_CLASSIFY_TOPK - 1] = 0;
    }
    if (!rc) rc = sp_touch_redot(ctx, cands, err);
    return rc;
}
