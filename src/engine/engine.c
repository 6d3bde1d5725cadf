/*
 * engine.c — the scipix_engine: configuration, model loading, and the
 * recognition pipeline of one image.
 *
 * An engine is immutable after scipix_engine_new: it holds a copy of the
 * config, the resolved limits and the opened (memory-mapped) model, and
 * scipix_recognize keeps all of its state on the stack or in allocations it
 * frees before returning.  So one engine serves any number of threads.
 *
 * The pipeline, stage by stage (the time limit is checked between stages
 * and between classifier batches):
 *   decode   untrusted bytes -> 8-bit gray, ink dark (src/image)
 *   binarize Otsu -> 1-bit ink mask (src/image)
 *   segment  connected components -> symbol groups (src/segment)
 *   classify gray crop of each group -> top classes (src/classify)
 *   route    a model with a low-resolution network: when the context
 *            stage puts this reading under its cutoff in pixels per point
 *            (~90 dpi), every group is read again with that network, which
 *            the later stages then use (sp_engine_route)
 *   split    unsure, wide single components cut where two glyphs touch,
 *            kept when the classifier reads the parts better (touching.c)
 *   context  every glyph's candidates re-ranked by its height in points
 *            and what lies directly above and below it (src/classify,
 *            context.c): \Big( vs \bigg(, O vs o, a fraction bar vs -
 *   layout   symbols with boxes and the classifier's runners-up -> math
 *            tree (src/layout; it settles look-alikes such as . / \cdot
 *            by where they sit on the line)
 *   emit     tree -> canonical LaTeX (src/emit, styled form)
 * The result keeps every symbol with its box and classifier probability;
 * its formula confidence is the layout's (symbol probabilities times a
 * factor for each close layout decision).
 * ref_height for the classifier is the median height of the letters and
 * digits (sp_segment_reference_height): the scale of "an ordinary symbol"
 * in this formula, found by classifying once at the plain median height.
 */
#include "classify/classify.h"
#include "engine/result.h"
#include "engine/status.h"
#include "engine/touching.h"
#include "emit/emit.h"
#include "image/image.h"
#include "layout/layout.h"
#include "segment/segment.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef SCIPIX_DEFAULT_MODEL
#define SCIPIX_DEFAULT_MODEL "models/symbols.spxm"
#endif

/* Glyphs classified per call, so that the time limit is checked often even
 * on a page full of symbols. */
#define SP_ENGINE_CLASSIFY_CHUNK 256
/* A first-pass reading this sure counts as a letter for the reference. */
#define SP_ENGINE_LETTER_SURE 0.5f

struct scipix_engine {
    scipix_config cfg; /* cfg.model_path points at model_path below */
    char *model_path;
    sp_image_limits limits;
    sp_precision precision;
    sp_model *model;
    int touch_read_all; /* tests: see sp_engine_touch_read_all */
};

void sp_engine_touch_read_all(scipix_engine *eng, int on) {
    if (eng) eng->touch_read_all = on;
}

void scipix_config_init(scipix_config *cfg) {
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
    cfg->model_path = NULL;
    cfg->max_bytes = 20u * 1000u * 1000u;
    cfg->max_dimension = 8192;
    cfg->max_pixels = 40000000u;
    cfg->timeout_ms = 10000;
    cfg->threads = 1;
    cfg->use_int8 = 1;
}

int scipix_engine_new(const scipix_config *cfg_in, scipix_engine **out, scipix_error *err) {
    sp_error_clear(err);
    if (!out) return sp_error_set(err, SCIPIX_EINVAL, "scipix_engine_new: out is NULL");
    *out = NULL;
    scipix_config cfg;
    if (cfg_in)
        cfg = *cfg_in;
    else
        scipix_config_init(&cfg);
    if (cfg.threads < 0)
        return sp_error_set(err, SCIPIX_EINVAL, "threads must be >= 0 (got %d)", cfg.threads);

    const char *path = cfg.model_path;
    if (!path || !*path) path = getenv("SCIPIX_MODEL");
    if (!path || !*path) path = SCIPIX_DEFAULT_MODEL;

    /* Leptonica's message switches are process-wide; see image.h. */
    sp_image_quiet_leptonica();

    scipix_engine *eng = calloc(1, sizeof *eng);
    if (!eng) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate an engine");
    size_t pl = strlen(path) + 1;
    eng->model_path = malloc(pl);
    if (!eng->model_path) {
        free(eng);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate the model path");
    }
    memcpy(eng->model_path, path, pl);
    eng->cfg = cfg;
    eng->cfg.model_path = eng->model_path;
    sp_image_limits_from_config(&cfg, &eng->limits);
    eng->precision = cfg.use_int8 ? SP_PRECISION_INT8 : SP_PRECISION_FP32;
    int rc = sp_model_open(eng->model_path, &eng->model, err);
    if (rc != SCIPIX_OK) {
        free(eng->model_path);
        free(eng);
        return rc;
    }
    *out = eng;
    return SCIPIX_OK;
}

void scipix_engine_free(scipix_engine *eng) {
    if (!eng) return;
    sp_model_close(eng->model);
    free(eng->model_path);
    free(eng);
}

static double sp_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int sp_engine_check_time(const scipix_engine *eng, double t0, const char *stage, scipix_error *err) {
    if (eng->cfg.timeout_ms == 0) return SCIPIX_OK;
    double el = sp_now_ms() - t0;
    if (el > eng->cfg.timeout_ms)
        return sp_error_set(err, SCIPIX_ETIMEOUT, "time limit of %u ms reached after %s (%.0f ms)",
                            eng->cfg.timeout_ms, stage, el);
    return SCIPIX_OK;
}

/* Everything one recognition allocates, freed in one place. */
typedef struct sp_recognize_state {
    PIX *gray, *bin;
    sp_box *comps;
    sp_symbol_group *groups;
    uint8_t *gray_bytes;
    sp_glyph *glyphs;
    sp_class_scores *scores;
    sp_class_cache *cache; /* the image's classifications, for the touching search */
    sp_result_symbol *syms;
    sp_layout_symbol *lsyms;
    sp_tree *tree;
    sp_buf latex;
} sp_recognize_state;

static void sp_recognize_state_free(sp_recognize_state *st) {
    pixDestroy(&st->gray);
    pixDestroy(&st->bin);
    free(st->comps);
    free(st->groups);
    free(st->gray_bytes);
    free(st->glyphs);
    free(st->scores);
    sp_class_cache_free(st->cache);
    free(st->syms);
    free(st->lsyms);
    sp_tree_free(st->tree);
    sp_buf_free(&st->latex);
}

/* Put the candidates back in reading order after splits appended parts at
 * the end: sort an index, then permute groups, glyphs and scores by it. */
typedef struct sp_engine_order {
    sp_box box;
    size_t index;
} sp_engine_order;

static int sp_engine_cmp_order(const void *pa, const void *pb) {
    const sp_engine_order *a = pa, *b = pb;
    if (a->box.x != b->box.x) return (a->box.x > b->box.x) - (a->box.x < b->box.x);
    if (a->box.y != b->box.y) return (a->box.y > b->box.y) - (a->box.y < b->box.y);
    return (a->index > b->index) - (a->index < b->index);
}

static int sp_engine_sort_candidates(sp_recognize_state *st, size_t n, scipix_error *err) {
    sp_engine_order *ord = malloc(n * sizeof *ord);
    sp_symbol_group *g = malloc(n * sizeof *g);
    sp_glyph *gl = malloc(n * sizeof *gl);
    sp_class_scores *sc = malloc(n * sizeof *sc);
    if (!ord || !g || !gl || !sc) {
        free(ord), free(g), free(gl), free(sc);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot sort %zu symbols", n);
    }
    for (size_t i = 0; i < n; i++) ord[i] = (sp_engine_order){st->groups[i].box, i};
    qsort(ord, n, sizeof *ord, sp_engine_cmp_order);
    for (size_t i = 0; i < n; i++) {
        g[i] = st->groups[ord[i].index];
        gl[i] = st->glyphs[ord[i].index];
        sc[i] = st->scores[ord[i].index];
    }
    free(ord);
    free(st->groups), free(st->glyphs), free(st->scores);
    st->groups = g, st->glyphs = gl, st->scores = sc;
    return SCIPIX_OK;
}

/* Classify every glyph with `net`, in two passes at most: the plain
 * median height (*ref on entry) first, then the reference the classifier
 * was trained with, the median height of what that pass read confidently
 * as letters and digits (see sp_segment_reference_height), when it differs
 * by more than 5%.  *ref receives the reference used last. */
static int sp_engine_classify(const scipix_engine *eng, const sp_model *net, sp_recognize_state *st,
                              const sp_box *gboxes, unsigned char *letter, size_t ngroups, float *ref, double t0,
                              scipix_error *err) {
    int rc = SCIPIX_OK;
    for (int pass = 0; pass < 2 && rc == SCIPIX_OK; pass++) {
        if (pass == 1) {
            for (size_t i = 0; i < ngroups; i++)
                letter[i] = st->scores[i].prob[0] >= SP_ENGINE_LETTER_SURE &&
                            sp_symbol_class_is_letter(sp_model_class(net, st->scores[i].class_id[0]));
            float lref = sp_segment_reference_height(gboxes, letter, ngroups);
            if (lref < 1 || fabsf(lref - *ref) <= 0.05f * *ref) break;
            *ref = lref;
        }
        for (size_t i = 0; i < ngroups; i++) st->glyphs[i].ref_height = *ref;
        for (size_t i = 0; i < ngroups && rc == SCIPIX_OK; i += SP_ENGINE_CLASSIFY_CHUNK) {
            size_t k = ngroups - i < SP_ENGINE_CLASSIFY_CHUNK ? ngroups - i : SP_ENGINE_CLASSIFY_CHUNK;
            rc = sp_classify_batch_cached(net, st->glyphs + i, k, eng->precision, st->cache, st->scores + i, err);
            if (rc == SCIPIX_OK) rc = sp_engine_check_time(eng, t0, "classification", err);
        }
    }
    return rc;
}

/* The context stage's input: each group's box (NULL when out of memory). */
static sp_glyph_place *sp_engine_places(const sp_recognize_state *st, size_t ngroups) {
    sp_glyph_place *places = malloc((ngroups ? ngroups : 1) * sizeof *places);
    for (size_t i = 0; places && i < ngroups; i++) {
        const sp_box *b = &st->groups[i].box;
        places[i] = (sp_glyph_place){b->x, b->y, b->w, b->h};
    }
    return places;
}

/* A model with a low-resolution network reads an image of few pixels per
 * point with it (sp_model_for_scale): the scale is the context stage's
 * estimate over the first reading, and when it calls for the other
 * network every glyph is read again, from the plain median height, with
 * a fresh cache.  *net receives the network to go on with. */
static int sp_engine_route(const scipix_engine *eng, sp_recognize_state *st, const sp_box *gboxes,
                           unsigned char *letter, size_t ngroups, float *ref, const sp_model **net, double t0,
                           scipix_error *err) {
    *net = eng->model;
    if (!sp_model_has_low(eng->model)) return SCIPIX_OK;
    sp_glyph_place *places = sp_engine_places(st, ngroups);
    sp_class_scores *scratch = malloc(ngroups * sizeof *scratch);
    if (!places || !scratch) {
        free(places), free(scratch);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu glyph places", ngroups);
    }
    memcpy(scratch, st->scores, ngroups * sizeof *scratch);
    float scale = 0.0f;
    int rc = sp_classify_context(eng->model, places, ngroups, scratch, &scale, err);
    free(places), free(scratch);
    if (rc || (*net = sp_model_for_scale(eng->model, scale)) == eng->model) return rc;
    sp_class_cache_free(st->cache);
    if (!(st->cache = sp_class_cache_new(SP_CLASS_CACHE_DEFAULT_ENTRIES)))
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate a classification cache");
    *ref = sp_segment_median_height(gboxes, ngroups);
    if (*ref < 1) *ref = 1;
    return sp_engine_classify(eng, *net, st, gboxes, letter, ngroups, ref, t0, err);
}

static int sp_engine_run(const scipix_engine *eng, const uint8_t *bytes, size_t len, sp_recognize_state *st,
                         scipix_result **out, scipix_error *err) {
    double t0 = sp_now_ms();
    int rc = sp_image_decode(bytes, len, &eng->limits, &st->gray, NULL, err);
    if (rc) return rc;
    if ((rc = sp_engine_check_time(eng, t0, "decoding", err))) return rc;

    if ((rc = sp_image_binarize(st->gray, &st->bin, err))) return rc;
    size_t ncomp = 0, ngroups = 0;
    if ((rc = sp_segment_components(st->bin, &st->comps, &ncomp, err))) return rc;
    if ((rc = sp_segment_group(st->comps, ncomp, &st->groups, &ngroups, err))) return rc;
    if (ngroups == 0) return sp_error_set(err, SCIPIX_EIMAGE_BLANK, "image holds no symbols");
    sp_segment_sort_reading(st->groups, ngroups);
    if ((rc = sp_engine_check_time(eng, t0, "segmentation", err))) return rc;

    sp_box *gboxes = malloc(ngroups * sizeof *gboxes);
    unsigned char *letter = calloc(ngroups, 1);
    if (!gboxes || !letter) {
        free(gboxes);
        free(letter);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu symbol boxes", ngroups);
    }
    for (size_t i = 0; i < ngroups; i++) gboxes[i] = st->groups[i].box;
    float ref = sp_segment_median_height(gboxes, ngroups);
    if (ref < 1) ref = 1;
    const sp_model *net = eng->model; /* the network this image is read with (sp_engine_route) */

    if ((rc = sp_image_gray_bytes(st->gray, &st->gray_bytes, err))) goto refs_done;
    int gw = (int)pixGetWidth(st->gray);
    st->glyphs = calloc(ngroups, sizeof *st->glyphs);
    st->scores = calloc(ngroups, sizeof *st->scores);
    st->cache = sp_class_cache_new(SP_CLASS_CACHE_DEFAULT_ENTRIES);
    if (!st->glyphs || !st->scores || !st->cache) {
        rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu glyphs", ngroups);
        goto refs_done;
    }
    for (size_t i = 0; i < ngroups; i++) {
        const sp_box *b = &st->groups[i].box;
        st->glyphs[i].pixels = st->gray_bytes + (size_t)b->y * (size_t)gw + (size_t)b->x;
        st->glyphs[i].width = b->w;
        st->glyphs[i].height = b->h;
        st->glyphs[i].stride = gw;
    }
    rc = sp_engine_classify(eng, eng->model, st, gboxes, letter, ngroups, &ref, t0, err);
    if (rc == SCIPIX_OK) rc = sp_engine_route(eng, st, gboxes, letter, ngroups, &ref, &net, t0, err);
refs_done:
    free(gboxes);
    free(letter);
    if (rc) return rc;
    sp_touching_ctx tctx = {net, eng->precision, st->cache, st->bin, st->gray_bytes, gw, ref,
                            eng->touch_read_all};
    {
        sp_candidates cands = {st->groups, st->glyphs, st->scores, ngroups, ngroups};
        rc = sp_touching_split(&tctx, &cands, err);
        /* the arrays may have moved even on failure: the state frees them */
        st->groups = cands.groups, st->glyphs = cands.glyphs, st->scores = cands.scores;
        if (rc) return rc;
        if (cands.n != ngroups) {
            ngroups = cands.n;
            if ((rc = sp_engine_sort_candidates(st, ngroups, err))) return rc;
        }
        if ((rc = sp_engine_check_time(eng, t0, "touching-glyph split", err))) return rc;
    }
    /* the classifier's second look, with every glyph's final box known:
     * sizes in points and what lies above or below (src/classify/context.c) */
    {
        sp_glyph_place *places = sp_engine_places(st, ngroups);
        if (!places) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu glyph places", ngroups);
        rc = sp_classify_context(net, places, ngroups, st->scores, NULL, err);
        free(places);
        if (rc) return rc;
        sp_candidates cands = {st->groups, st->glyphs, st->scores, ngroups, ngroups};
        sp_touching_settle_bars(&tctx, &cands);
    }
    st->syms = calloc(ngroups, sizeof *st->syms);
    if (!st->syms) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu symbols", ngroups);
    int nclass = sp_model_class_count(eng->model);
    for (size_t i = 0; i < ngroups; i++) {
        int id = st->scores[i].class_id[0];
        if (id < 0 || id >= nclass)
            return sp_error_set(err, SCIPIX_EINTERNAL, "classifier returned class %d of %d", id, nclass);
        const sp_symbol_class *cls = sp_model_class(eng->model, id);
        const sp_box *b = &st->groups[i].box;
        st->syms[i] = (sp_result_symbol){cls->latex, cls->unicode, st->scores[i].prob[0], b->x, b->y, b->w, b->h};
    }
    if ((rc = sp_result_build(st->syms, ngroups, out, err))) return rc;

    /* layout: symbols with boxes -> tree -> LaTeX */
    st->lsyms = calloc(ngroups, sizeof *st->lsyms);
    st->tree = sp_tree_new();
    if (!st->lsyms || !st->tree) rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate the layout");
    for (size_t i = 0; !rc && i < ngroups; i++) {
        const sp_result_symbol *s = &st->syms[i];
        sp_layout_symbol *ls = &st->lsyms[i]; /* calloc'd: unused alternatives stay NULL */
        ls->x = s->x, ls->y = s->y, ls->w = s->w, ls->h = s->h;
        ls->latex = s->latex;
        ls->prob = s->confidence;
        /* the classifier's runners-up: the layout picks among them by
         * where the glyph sits on the line (dot vs \cdot, comma vs prime) */
        int na = 0;
        for (int k = 1; k < SP_CLASSIFY_TOPK && na < SP_LAYOUT_MAX_ALTS; k++) {
            int id = st->scores[i].class_id[k];
            if (id < 0 || id >= nclass) continue;
            const sp_symbol_class *alt = sp_model_class(eng->model, id);
            if (!alt || !alt->latex || !alt->latex[0]) continue;
            ls->alt[na] = alt->latex;
            ls->alt_prob[na++] = st->scores[i].prob[k];
        }
    }
    sp_node *root = NULL;
    float conf = 0;
    if (!rc) rc = sp_layout_build(st->tree, st->lsyms, ngroups, &root, &conf, err);
    if (!rc && (rc = sp_latex_emit(root, 1, &st->latex)))
        sp_error_set(err, rc, "cannot write the formula as LaTeX");
    if (!rc && (rc = sp_result_set_latex(*out, sp_buf_str(&st->latex), conf)))
        sp_error_set(err, rc, "cannot allocate the result string");
    if (rc) {
        scipix_result_free(*out);
        *out = NULL;
    }
    return rc;
}

int scipix_recognize(scipix_engine *eng, const void *bytes, size_t len, scipix_result **out, scipix_error *err) {
    sp_error_clear(err);
    if (!out) return sp_error_set(err, SCIPIX_EINVAL, "scipix_recognize: out is NULL");
    *out = NULL;
    if (!eng) return sp_error_set(err, SCIPIX_EINVAL, "scipix_recognize: engine is NULL");
    if (!bytes && len) return sp_error_set(err, SCIPIX_EINVAL, "scipix_recognize: bytes are NULL");
    sp_recognize_state st;
    memset(&st, 0, sizeof st);
    sp_buf_init(&st.latex);
    int rc = sp_engine_run(eng, bytes, len, &st, out, err);
    sp_recognize_state_free(&st);
    return rc;
}

int scipix_image_probe(const scipix_config *cfg, const void *bytes, size_t len, scipix_image_info *out,
                       scipix_error *err) {
    sp_error_clear(err);
    if (!out) return sp_error_set(err, SCIPIX_EINVAL, "scipix_image_probe: out is NULL");
    memset(out, 0, sizeof *out);
    if (!bytes && len) return sp_error_set(err, SCIPIX_EINVAL, "scipix_image_probe: bytes are NULL");
    sp_image_quiet_leptonica();
    sp_image_limits lim;
    sp_image_limits_from_config(cfg, &lim);
    sp_image_info info;
    PIX *gray = NULL;
    int rc = sp_image_decode(bytes, len, &lim, &gray, &info, err);
    if (rc) return rc;
    pixDestroy(&gray);
    out->width = (uint32_t)info.width;
    out->height = (uint32_t)info.height;
    out->format = sp_image_format_name(info.format);
    out->bits_per_sample = info.bits_per_sample;
    out->samples_per_pixel = info.samples_per_pixel;
    out->has_alpha = info.has_alpha;
    out->inverted = info.inverted;
    return SCIPIX_OK;
}

/* ---- batches: inputs shared out to worker threads ---------------------- */

typedef struct sp_engine_batch {
    scipix_engine *eng;
    const scipix_input *inputs;
    size_t n;
    scipix_result **results;
    scipix_error *errors;
    int *codes;
    atomic_size_t next; /* the next input nobody has taken yet */
} sp_engine_batch;

/* Takes inputs one at a time until none is left: images differ in cost,
 * so a shared counter balances the threads better than fixed slices. */
static void *sp_engine_batch_worker(void *arg) {
    sp_engine_batch *b = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n) break;
        scipix_error local;
        scipix_error *err = b->errors ? &b->errors[i] : &local;
        sp_error_clear(err);
        b->results[i] = NULL;
        b->codes[i] = scipix_recognize(b->eng, b->inputs[i].bytes, b->inputs[i].len, &b->results[i], err);
    }
    return NULL;
}

int scipix_recognize_batch(scipix_engine *eng, const scipix_input *inputs, size_t n,
                           scipix_result **results, scipix_error *errors) {
    if (!eng || (n && (!inputs || !results))) return SCIPIX_EINVAL;
    if (n == 0) return SCIPIX_OK;
    int *codes = malloc(n * sizeof *codes);
    if (!codes) return SCIPIX_ENOMEM;
    sp_engine_batch b = {eng, inputs, n, results, errors, codes, 0};
    size_t nthreads = eng->cfg.threads > 1 ? (size_t)eng->cfg.threads : 1;
    if (nthreads > n) nthreads = n;
    pthread_t *tids = nthreads > 1 ? malloc((nthreads - 1) * sizeof *tids) : NULL;
    size_t started = 0;
    /* The calling thread works too; if a thread cannot be started, the
     * ones that did (and the caller) still finish every input. */
    for (; tids && started < nthreads - 1; started++)
        if (pthread_create(&tids[started], NULL, sp_engine_batch_worker, &b) != 0) break;
    sp_engine_batch_worker(&b);
    for (size_t t = 0; t < started; t++) pthread_join(tids[t], NULL);
    free(tids);
    int rc = SCIPIX_OK;
    for (size_t i = 0; i < n && rc == SCIPIX_OK; i++) rc = codes[i];
    free(codes);
    return rc;
}
