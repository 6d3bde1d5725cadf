/*
 * test_classify_context.c — the context stage (src/classify/context.c) on
 * small models whose tables are written here, so that each test knows what
 * the answer must be: the image's scale found from the glyphs read surely,
 * a size that picks between two look-alikes, a glyph between two others
 * read as the class that is found there, only near-misses moving up, the
 * probabilities' mass kept; the loader refusing malformed tables; and the
 * committed model carrying its tables.
 */
#include "test_classify_util.h"
#include "sp_test.h"

#include "engine/status.h"

static char tmpdir[512];
static char path[600];

static void setup(void) {
    tcu_tempdir(tmpdir, sizeof tmpdir);
    snprintf(path, sizeof path, "%s/m.spxm", tmpdir);
}

static void teardown(void) {
    unlink(path);
    rmdir(tmpdir);
}

#define BINS 64
#define BIN0 -1.3862944f /* ln 0.25 */
#define BIN_W 0.1f

enum { CLS_X = 0, CLS_ALPHA = 1, CLS_PLUS = 2 };

/* ln density of heights peaked at peak_pt (a narrow Gaussian in ln h), or
 * flat when peak_pt is 0. */
static void height_row(float *row, float peak_pt) {
    for (int b = 0; b < BINS; b++) {
        float centre = BIN0 + ((float)b + 0.5f) * BIN_W, z = (centre - logf(peak_pt)) / 0.08f;
        row[b] = peak_pt > 0 ? logf(expf(-0.5f * z * z) + 1e-3f) : 0.0f;
    }
}

/* Sensible ctx.params for these tables (the order of sp_context_params). */
static void default_params(float *p, float near) {
    const float d[SP_CONTEXT_PARAMS] = {BIN0, BIN_W, 0.5f, 0.5f, 6.0f, 0.9f, -1.0f, 3.0f, 0.01f, -6.9f, near};
    memcpy(p, d, sizeof d);
}

/* A model with ctx's tables written to `path`, and the loader's answer. */
static int try_open(const tcu_context *ctx, sp_model **m, scipix_error *err) {
    size_t size;
    uint8_t *buf = tcu_build_model_ctx(&size, ctx);
    tcu_write(path, buf, size);
    free(buf);
    *m = NULL;
    return sp_model_open(path, m, err);
}

static sp_model *open_built(const tcu_context *ctx) {
    scipix_error err;
    sp_model *m;
    ck_assert_msg(try_open(ctx, &m, &err) == SCIPIX_OK, "%s", err.message);
    return m;
}

/* A model whose x is 4.3 pt tall, \alpha alpha_pt and + plus_pt (0: any),
 * \alpha found between two glyphs and + alone when `neighbours`. */
static sp_model *open_ctx_model(float alpha_pt, float plus_pt, int neighbours, float near) {
    static float height[3 * BINS], vnbr[12], params[SP_CONTEXT_PARAMS];
    height_row(height + CLS_X * BINS, 4.3f);
    height_row(height + CLS_ALPHA * BINS, alpha_pt);
    height_row(height + CLS_PLUS * BINS, plus_pt);
    for (int i = 0; i < 12; i++) vnbr[i] = logf(0.25f);
    if (neighbours) {
        static const float alpha_nb[4] = {0.01f, 0.02f, 0.02f, 0.95f}, plus_nb[4] = {0.95f, 0.02f, 0.02f, 0.01f};
        for (int k = 0; k < 4; k++) {
            vnbr[CLS_ALPHA * 4 + k] = logf(alpha_nb[k]);
            vnbr[CLS_PLUS * 4 + k] = logf(plus_nb[k]);
        }
    }
    default_params(params, near);
    tcu_context ctx = {params, SP_CONTEXT_PARAMS, height, BINS, vnbr, NULL, 0, NULL, NULL, 0, 4};
    sp_model *m = open_built(&ctx);
    ck_assert(sp_model_has_context(m));
    return m;
}

static sp_class_scores two(int a, float pa, int b, float pb) {
    sp_class_scores s = {{a, b, -1, -1, -1}, {pa, pb, 0, 0, 0}};
    return s;
}

/* Five x's read surely, 13 px tall (4.3 pt at 3 px/pt), on one line. */
static size_t five_xs(sp_glyph_place *pl, sp_class_scores *sc) {
    for (int i = 0; i < 5; i++) {
        pl[i] = (sp_glyph_place){10 + 20 * i, 100, 10, 13};
        sc[i] = two(CLS_X, 0.97f, CLS_PLUS, 0.02f);
    }
    return 5;
}

/* The class the context stage reads for one more glyph (box, network
 * scores) after five x's; glyphs after it (n_more) join the image too. */
static int read_after_five_xs(const sp_model *m, sp_glyph_place box, sp_class_scores scores,
                              const sp_glyph_place *more, size_t n_more) {
    sp_glyph_place pl[8];
    sp_class_scores sc[8];
    size_t n = five_xs(pl, sc);
    pl[n] = box;
    sc[n++] = scores;
    for (size_t i = 0; i < n_more && n < 8; i++) {
        pl[n] = more[i];
        sc[n++] = two(CLS_X, 0.97f, CLS_PLUS, 0.02f);
    }
    scipix_error err;
    ck_assert_int_eq(sp_classify_context(m, pl, n, sc, NULL, &err), SCIPIX_OK);
    ck_assert_float_eq_tol(sc[5].prob[0] + sc[5].prob[1], scores.prob[0] + scores.prob[1], 1e-5f);
    return sc[5].class_id[0];
}

START_TEST(size_picks_between_look_alikes) {
    sp_model *m = open_ctx_model(8.0f, 6.0f, 0, 0.1f);
    sp_glyph_place pl[8];
    sp_class_scores sc[8];
    for (int tall = 0; tall < 2; tall++) {
        size_t n = five_xs(pl, sc);
        /* the network leans to + either way */
        pl[n] = (sp_glyph_place){130, 95, 12, tall ? 24 : 18};
        sc[n++] = two(CLS_PLUS, 0.55f, CLS_ALPHA, 0.44f);
        float scale = 0;
        scipix_error err;
        ck_assert_int_eq(sp_classify_context(m, pl, n, sc, &scale, &err), SCIPIX_OK);
        ck_assert_msg(scale > 2.6f && scale < 3.4f, "scale %g px/pt, want about 3", (double)scale);
        /* 24 px = 8 pt: \alpha's height; 18 px = 6 pt: +'s */
        ck_assert_int_eq(sc[5].class_id[0], tall ? CLS_ALPHA : CLS_PLUS);
        ck_assert(sc[5].prob[0] >= sc[5].prob[1]);
        ck_assert_float_eq_tol(sc[5].prob[0] + sc[5].prob[1], 0.99f, 1e-5f);
        for (int i = 0; i < 5; i++) ck_assert_int_eq(sc[i].class_id[0], CLS_X);
    }
    sp_model_close(m);
}
END_TEST

START_TEST(glyph_between_two_reads_as_what_lies_there) {
    sp_model *m = open_ctx_model(0, 0, 1, 0.1f);
    /* a 30 x 2 bar at x 200; when stacked, an x 4 px above and one 4 px below */
    const sp_glyph_place bar = {200, 120, 30, 2}, xs[2] = {{210, 103, 10, 13}, {210, 126, 10, 13}};
    for (int stacked = 0; stacked < 2; stacked++)
        ck_assert_int_eq(read_after_five_xs(m, bar, two(CLS_PLUS, 0.6f, CLS_ALPHA, 0.4f), xs, stacked ? 2 : 0),
                         stacked ? CLS_ALPHA : CLS_PLUS);
    sp_model_close(m);
}
END_TEST

/* A candidate the network all but ruled out stays below, however well its
 * size fits; with `near` 0 the same evidence moves it up. */
START_TEST(only_near_misses_move_up) {
    for (int any = 0; any < 2; any++) {
        sp_model *m = open_ctx_model(8.0f, 6.0f, 0, any ? 0.0f : 0.1f);
        sp_glyph_place pl[8];
        sp_class_scores sc[8];
        size_t n = five_xs(pl, sc);
        pl[n] = (sp_glyph_place){130, 95, 12, 24};
        sc[n++] = two(CLS_PLUS, 0.85f, CLS_ALPHA, 0.08f); /* 0.08 < 0.1 x 0.85 */
        scipix_error err;
        ck_assert_int_eq(sp_classify_context(m, pl, n, sc, NULL, &err), SCIPIX_OK);
        ck_assert_int_eq(sc[5].class_id[0], any ? CLS_ALPHA : CLS_PLUS);
        if (!any) ck_assert_float_eq_tol(sc[5].prob[1], 0.08f, 1e-6f); /* untouched */
        sp_model_close(m);
    }
}
END_TEST

START_TEST(no_tables_or_no_sure_glyph_changes_nothing) {
    size_t size;
    uint8_t *buf = tcu_build_model(&size);
    tcu_write(path, buf, size);
    free(buf);
    scipix_error err;
    sp_model *plain = NULL;
    ck_assert_int_eq(sp_model_open(path, &plain, &err), SCIPIX_OK);
    ck_assert(!sp_model_has_context(plain));
    sp_model *ctx = open_ctx_model(8.0f, 6.0f, 0, 0.1f);
    sp_glyph_place pl[8];
    sp_class_scores sc[8], before[8];
    size_t n = five_xs(pl, sc);
    pl[n] = (sp_glyph_place){130, 95, 12, 24};
    sc[n++] = two(CLS_PLUS, 0.55f, CLS_ALPHA, 0.44f);
    memcpy(before, sc, sizeof sc);
    float scale = -1;
    ck_assert_int_eq(sp_classify_context(plain, pl, n, sc, &scale, &err), SCIPIX_OK);
    ck_assert(memcmp(before, sc, n * sizeof sc[0]) == 0);
    ck_assert(scale == 0.0f);
    /* nothing read surely (all under 0.9): no scale, no change */
    for (size_t i = 0; i < 5; i++) sc[i] = before[i] = two(CLS_X, 0.6f, CLS_PLUS, 0.3f);
    ck_assert_int_eq(sp_classify_context(ctx, pl, n, sc, &scale, &err), SCIPIX_OK);
    ck_assert(memcmp(before, sc, n * sizeof sc[0]) == 0);
    ck_assert(scale == 0.0f);
    ck_assert_int_eq(sp_classify_context(ctx, pl, 0, sc, NULL, &err), SCIPIX_OK);
    sp_model_close(plain);
    sp_model_close(ctx);
}
END_TEST

START_TEST(bad_arguments) {
    sp_model *m = open_ctx_model(8.0f, 6.0f, 0, 0.1f);
    sp_glyph_place pl[1] = {{0, 0, 0, 5}};
    sp_class_scores sc[1] = {two(CLS_X, 0.97f, CLS_PLUS, 0.02f)};
    scipix_error err;
    ck_assert_int_eq(sp_classify_context(NULL, pl, 1, sc, NULL, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_classify_context(m, NULL, 1, sc, NULL, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_classify_context(m, pl, 1, NULL, NULL, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_classify_context(m, pl, 1, sc, NULL, &err), SCIPIX_EINVAL); /* 0 px wide */
    ck_assert_ptr_nonnull(strstr(err.message, "bad box"));
    sp_model_close(m);
}
END_TEST

#define ROW_BINS 64
#define ROW_BIN0 -8.0f
#define ROW_BIN_W 0.25f

/* ctx.row: + (a period, say) with its foot peak_plus points below its row
 * neighbours' feet, \alpha (a centred dot) peak_alpha below, x anywhere;
 * with no neighbour all three alike. */
static void row_tables(float *row, float *params2, float peak_plus, float peak_alpha) {
    const float p[SP_CONTEXT_PARAMS2] = {ROW_BIN0, ROW_BIN_W, 0.5f, 5.0f, 3.0f, 2.0f};
    memcpy(params2, p, sizeof p);
    for (int c = 0; c < 3; c++) {
        float peak = c == CLS_PLUS ? peak_plus : c == CLS_ALPHA ? peak_alpha : NAN;
        for (int b = 0; b < ROW_BINS; b++) {
            float z = (ROW_BIN0 + ((float)b + 0.5f) * ROW_BIN_W - peak) / 0.5f;
            row[c * (ROW_BINS + 1) + b] = isnan(peak) ? 0.0f : logf(expf(-0.5f * z * z) + 1e-3f);
        }
        row[c * (ROW_BINS + 1) + ROW_BINS] = logf(0.1f);
    }
}

static sp_model *open_row_model_with(float peak_plus, float peak_alpha, float margin) {
    static float height[3 * BINS], vnbr[12], params[SP_CONTEXT_PARAMS], row[3 * (ROW_BINS + 1)],
        params2[SP_CONTEXT_PARAMS2];
    height_row(height + CLS_X * BINS, 4.3f);
    height_row(height + CLS_ALPHA * BINS, 0);
    height_row(height + CLS_PLUS * BINS, 0);
    for (int i = 0; i < 12; i++) vnbr[i] = logf(0.25f);
    default_params(params, 0.1f);
    row_tables(row, params2, peak_plus, peak_alpha);
    params2[6] = margin;
    tcu_context ctx = {params, SP_CONTEXT_PARAMS, height, BINS, vnbr, NULL, 0, params2, row, ROW_BINS + 1, 4};
    sp_model *m = open_built(&ctx);
    ck_assert_ptr_nonnull(m->ctx_row);
    return m;
}

static sp_model *open_row_model(void) { return open_row_model_with(0.0f, -1.7f, 1.25f); }

/* A 3 x 3 dot after five x's (13 px: 3 px/pt) is read by where it sits on
 * the row: on the x's line a period (+ here), 5 px (1.7 pt) above it a
 * centred dot (\alpha), whichever way the network leans; far from any
 * glyph, as the network reads it. */
START_TEST(row_offset_picks_between_look_alikes) {
    sp_model *m = open_row_model();
    for (int where = 0; where < 3; where++)
        for (int lean = 0; lean < 2; lean++) {
            /* x's at x 10, 30 .. 90, rows 100-112, feet at 113 */
            static const int dot_y[3] = {110, 105, 110}, dot_x[3] = {103, 103, 160};
            sp_class_scores sc = lean ? two(CLS_PLUS, 0.52f, CLS_ALPHA, 0.47f) : two(CLS_ALPHA, 0.52f, CLS_PLUS, 0.47f);
            int got = read_after_five_xs(m, (sp_glyph_place){dot_x[where], dot_y[where], 3, 3}, sc, NULL, 0);
            int want = where == 0 ? CLS_PLUS : where == 1 ? CLS_ALPHA : lean ? CLS_PLUS : CLS_ALPHA;
            ck_assert_msg(got == want, "dot at %d,%d leaning %d: read %d, want %d", dot_x[where], dot_y[where], lean,
                          got, want);
        }
    sp_model_close(m);
}
END_TEST

/* The neighbour on each side is the nearest one, whatever the glyphs'
 * order: of two x's on a dot's left, the near one (foot 5 px below the
 * dot's: a centred dot) counts and the farther one (foot level with the
 * dot's: a period) does not. */
START_TEST(row_neighbour_is_the_nearest_in_any_order) {
    sp_model *m = open_row_model();
    for (int order = 0; order < 2; order++) {
        sp_glyph_place pl[8];
        sp_class_scores sc[8];
        size_t n = five_xs(pl, sc);
        sp_glyph_place near = {115, 100, 10, 13}, far = {108, 95, 6, 13}, dot = {127, 105, 3, 3};
        pl[order ? 3 : 4] = near; /* replace two of the five x's */
        pl[order ? 4 : 3] = far;
        pl[n] = dot;
        sc[n++] = two(CLS_PLUS, 0.52f, CLS_ALPHA, 0.47f);
        scipix_error err;
        ck_assert_int_eq(sp_classify_context(m, pl, n, sc, NULL, &err), SCIPIX_OK);
        ck_assert_int_eq(sc[5].class_id[0], CLS_ALPHA); /* measured against the near x */
    }
    sp_model_close(m);
}
END_TEST

/* Row densities that differ by less than the margin count as equal: a dot
 * on the x's line, where + is e^0.25 times likelier than \alpha, goes the
 * network's way with a margin of 1.25 and +'s without one. */
START_TEST(small_row_differences_are_ignored) {
    for (int margin = 0; margin < 2; margin++) {
        sp_model *m = open_row_model_with(0.0f, 0.5f, margin ? 1.25f : 0.0f);
        ck_assert_int_eq(read_after_five_xs(m, (sp_glyph_place){103, 110, 3, 3}, two(CLS_ALPHA, 0.52f, CLS_PLUS, 0.47f),
                                            NULL, 0),
                         margin ? CLS_ALPHA : CLS_PLUS);
        sp_model_close(m);
    }
}
END_TEST

/* With 9 patterns a glyph close over a bar (within near_pt, 1.5 pt = 4.5
 * px, or overlapping it) is told from one farther up: \alpha (a rule under its argument,
 * say) is always found with a near glyph above, + (a minus sign below a
 * numerator's last glyph) with a far one.  tools/train/context.py
 * --selftest checks its patterns on the same layout. */
START_TEST(near_and_far_neighbours_are_told_apart) {
    static float height[3 * BINS], vnbr9[27], params[SP_CONTEXT_PARAMS], params2[SP_CONTEXT_PARAMS2];
    static float row[3 * (ROW_BINS + 1)];
    height_row(height + CLS_X * BINS, 4.3f);
    height_row(height + CLS_ALPHA * BINS, 0);
    height_row(height + CLS_PLUS * BINS, 0);
    for (int i = 0; i < 27; i++) vnbr9[i] = logf(0.02f);
    vnbr9[CLS_ALPHA * 9 + 3] = logf(0.9f); /* near above, nothing below */
    vnbr9[CLS_PLUS * 9 + 6] = logf(0.9f);  /* far above, nothing below */
    default_params(params, 0.1f);
    row_tables(row, params2, 0.0f, -1.7f);
    tcu_context ctx = {params, SP_CONTEXT_PARAMS, height, BINS, vnbr9, NULL, 0, params2, NULL, 0, 9};
    sp_model *m = open_built(&ctx);
    ck_assert_int_eq(m->ctx_patterns, 9);
    static const int above_y[3] = {100, 103, 108}; /* 7 px above the bar, 4 px, 1 px into it */
    for (int k = 0; k < 3; k++) {
        int near = k > 0;
        sp_glyph_place above = {210, above_y[k], 10, 13};
        sp_class_scores sc = near ? two(CLS_PLUS, 0.6f, CLS_ALPHA, 0.39f) : two(CLS_ALPHA, 0.6f, CLS_PLUS, 0.39f);
        ck_assert_int_eq(read_after_five_xs(m, (sp_glyph_place){200, 120, 30, 2}, sc, &above, 1),
                         near ? CLS_ALPHA : CLS_PLUS);
    }
    sp_model_close(m);
}
END_TEST

static void expect_refused(const tcu_context *ctx, const char *what) {
    scipix_error err;
    sp_model *m;
    ck_assert_int_eq(try_open(ctx, &m, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

START_TEST(malformed_tables_are_refused) {
    static float height[3 * BINS], vnbr[12];
    float good[SP_CONTEXT_PARAMS], p[SP_CONTEXT_PARAMS];
    default_params(good, 0.1f);
    tcu_context c = {p, SP_CONTEXT_PARAMS, height, BINS, vnbr, NULL, 0, NULL, NULL, 0, 4};
    memcpy(p, good, sizeof p);
    p[2] = NAN;
    expect_refused(&c, "ctx");
    memcpy(p, good, sizeof p);
    p[8] = 0.0f; /* a scale search that never ends */
    expect_refused(&c, "ctx");
    memcpy(p, good, sizeof p);
    p[10] = 2.0f;
    expect_refused(&c, "ctx");
    memcpy(p, good, sizeof p);
    height[7] = INFINITY;
    expect_refused(&c, "ctx");
    height[7] = 0.0f;
    c.bins = 1;
    expect_refused(&c, "ctx");
    c.bins = BINS;
    c.n_params = SP_CONTEXT_PARAMS - 1;
    expect_refused(&c, "ctx.params");
    c.n_params = SP_CONTEXT_PARAMS;
    c.vnbr = NULL; /* params without all of the tables */
    expect_refused(&c, "ctx.vnbr");
    c.vnbr = vnbr;
    /* the second set: ctx.params2 with what it serves, finite, a positive row bin width */
    static float row[3 * (ROW_BINS + 1)], vnbr9[27];
    float params2[SP_CONTEXT_PARAMS2];
    row_tables(row, params2, 0.0f, -1.7f);
    c.params2 = params2; /* serving nothing */
    expect_refused(&c, "ctx.params2");
    c.params2 = NULL, c.row = row, c.row_cols = ROW_BINS + 1; /* a row table without its scalars */
    expect_refused(&c, "ctx.params2");
    c.params2 = params2;
    params2[1] = 0.0f;
    expect_refused(&c, "ctx.row");
    params2[1] = ROW_BIN_W;
    row[5] = NAN;
    expect_refused(&c, "ctx.row");
    row[5] = 0.0f;
    c.row_cols = 2;
    expect_refused(&c, "ctx.row");
    c.row_cols = ROW_BINS + 1;
    params2[6] = -1.0f;
    expect_refused(&c, "ctx.row");
    params2[6] = 1.25f;
    c.vnbr = vnbr9, c.vnbr_cols = 9;
    params2[5] = 7.0f; /* "near" farther than the 6 pt gap */
    expect_refused(&c, "ctx.params2");
    params2[5] = 2.0f;
    c.vnbr_cols = 5;
    expect_refused(&c, "ctx.");
    c.vnbr_cols = 9;
    c.params = NULL, c.height = NULL, c.vnbr = NULL; /* the second set without the first */
    expect_refused(&c, "without the context tables");
}
END_TEST

/* The row density of class c at offset_pt points. */
static float committed_row(const sp_model *m, int c, float offset_pt) {
    int b = (int)floorf((offset_pt - m->ctx2.row_bin0) / m->ctx2.row_bin_width);
    ck_assert(b >= 0 && b < m->ctx_row_bins);
    return m->ctx_row[(size_t)c * (size_t)(m->ctx_row_bins + 1) + (size_t)b];
}

/* The committed model carries its tables, and they make sense: a fraction
 * bar is found between near glyphs far more often than a minus sign is; a
 * period sits on its neighbours' line and a centred dot 2 pt above it. */
START_TEST(committed_model_has_context) {
    sp_model *m = tcu_open_committed_model();
    ck_assert(sp_model_has_context(m));
    ck_assert_int_eq(m->ctx_patterns, 9);
    ck_assert_ptr_nonnull(m->ctx_row);
    int frac = sp_model_find_class(m, "\\frac"), minus = sp_model_find_class(m, "-");
    int period = sp_model_find_class(m, "."), cdot = sp_model_find_class(m, "\\cdot");
    ck_assert(frac >= 0 && minus >= 0 && period >= 0 && cdot >= 0);
    ck_assert(m->ctx_vnbr[frac * 9 + 4] > m->ctx_vnbr[minus * 9 + 4] + 2.0f);
    ck_assert(committed_row(m, period, 0.1f) > committed_row(m, cdot, 0.1f) + 1.0f);
    ck_assert(committed_row(m, cdot, -2.0f) > committed_row(m, period, -2.0f) + 1.0f);
    sp_model_close(m);
}
END_TEST

int main(void) {
    Suite *s = suite_create("classify_context");
    TCase *tc = tcase_create("context");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, size_picks_between_look_alikes);
    tcase_add_test(tc, glyph_between_two_reads_as_what_lies_there);
    tcase_add_test(tc, only_near_misses_move_up);
    tcase_add_test(tc, row_offset_picks_between_look_alikes);
    tcase_add_test(tc, row_neighbour_is_the_nearest_in_any_order);
    tcase_add_test(tc, small_row_differences_are_ignored);
    tcase_add_test(tc, near_and_far_neighbours_are_told_apart);
    tcase_add_test(tc, no_tables_or_no_sure_glyph_changes_nothing);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, malformed_tables_are_refused);
    tcase_add_test(tc, committed_model_has_context);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
